# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01 · Learning from data
#
# **Purpose:** see learning as the minimisation of a loss, and meet the geometry that makes
# learning in high dimension hard, and the ideas (features, kernels, manifolds) that make
# it possible.
#
# **After this notebook you can**
# - write learning as $\min_\theta \sum_i \mathcal{L}(f(\mathbf{x}_i; \theta), y_i)$ and
#   follow the loss downhill;
# - use training, validation and test sets for what each is for;
# - read a linear classifier as a hyperplane;
# - write a nearest-neighbour classifier, and explain why it fails in high dimension: a
#   grid needs $5^d$ points to come within $0.1$ of every point of $[0,1]^d$, and
#   distances all look alike when $d$ is large;
# - compute Cover's count of separable labellings, check it by simulation, and count the
#   labellings a line can realise;
# - make data separable with polynomial features, chosen features or a kernel, and say why
#   real data (digits) are much simpler than their pixel count suggests.
#
# **Expected run time:** about 10 s on a 2-core CPU with AVX-512; about 25 s on a 2-core laptop without AVX-512 (predicted by `make bench`).

# %% [markdown]
# ## 1. Set-up

# %%
# NBVAL_IGNORE_OUTPUT
from course_lib import runtime

report = runtime.setup(seed=0)

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
from sklearn.decomposition import PCA
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from sklearn.svm import SVC

from course_lib import data, geometry, outcomes, plots, scratch, widgets
from course_lib.exercises import learning_from_data as exercises

# %% [markdown]
# ## 2. Learning is minimising a loss
#
# A model $f(\mathbf{x}; \theta)$ has parameters $\theta$. A **loss** $\mathcal{L}(\hat y, y)$
# measures how far a prediction $\hat y = f(\mathbf{x}; \theta)$ is from the truth $y$.
# Learning from a training set $\{(\mathbf{x}_i, y_i)\}_{i=1}^n$ means finding
#
# $$\theta^\star = \arg\min_\theta \; C(\theta), \qquad
#   C(\theta) = \frac1n\sum_{i=1}^{n} \mathcal{L}\big(f(\mathbf{x}_i; \theta), y_i\big).$$
#
# The simplest case: a line $\hat y = w x + b$ and the squared loss, so $C$ is the **mean
# squared error** (MSE). Here are 40 noisy points around $y = 2x + 1$:

# %%
rng = np.random.default_rng(0)
x_line = rng.uniform(-1, 1, size=40)
y_line = 2 * x_line + 1 + rng.normal(scale=0.3, size=40)

# %% [markdown]
# The cost is a surface over the parameter plane $(w, b)$. **Gradient descent** starts
# somewhere and repeatedly steps downhill, $\theta \leftarrow \theta - \rho\,\nabla C(\theta)$.
# For the line, the chain rule gives $\partial C/\partial w = \frac1n\sum_i 2(\hat y_i - y_i)\,x_i$
# and $\partial C/\partial b = \frac1n\sum_i 2(\hat y_i - y_i)$;
# `scratch.mse_gradient` supplies the $\frac{2}{n}(\hat y_i - y_i)$ part.

# %%
w, b, lr = -1.5, -1.0, 0.3
path = [(w, b)]
for _ in range(60):
    grad_y_hat = scratch.mse_gradient(y_line, w * x_line + b)   # dC/dy_hat, shape (40,)
    w, b = w - lr * grad_y_hat @ x_line, b - lr * grad_y_hat.sum()
    path.append((w, b))
print(f"gradient descent: w = {w:.3f}, b = {b:.3f}, "
      f"MSE = {scratch.mse(y_line, w * x_line + b):.4f}")

# %%
w_grid, b_grid = np.meshgrid(np.linspace(-2, 4, 120), np.linspace(-1.5, 3, 120))
cost = ((w_grid[..., None] * x_line + b_grid[..., None] - y_line) ** 2).mean(axis=-1)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
left.contour(w_grid, b_grid, cost, levels=np.geomspace(0.05, 20, 15), cmap="viridis")
left.plot(*np.array(path).T, ".-", color="C3", label="gradient descent")
left.set(xlabel="$w$", ylabel="$b$", title="cost $C(w, b)$ and the descent path")
right.scatter(x_line, y_line, s=12)
right.plot([-1, 1], [b - w, b + w], color="C3")
right.set(xlabel="$x$", ylabel="$y$", title="the fitted line")
legend = left.legend()

# %% [markdown]
# For this model the minimum also has a closed form (least squares); gradient descent
# found it. Networks have no closed form, only the descent.

# %%
w_best, b_best = np.polyfit(x_line, y_line, deg=1)
print(f"least squares   : w = {w_best:.3f}, b = {b_best:.3f}")
assert np.allclose([w, b], [w_best, b_best], atol=1e-3)

# %% [markdown]
# ## 3. Training, validation and test sets
#
# A small training cost is not the goal: the model must do well on examples it has never
# seen (**generalisation**). So the data are split three ways:
#
# - the **training set** fits the *parameters* (weights and biases);
# - the **validation set** chooses the *hyper-parameters* (here the degree of a
#   polynomial; later the number of units, the learning rate...);
# - the **test set**, from the same distribution, is used once at the very end for an
#   unbiased estimate of the final model's error.
#
# We fit polynomials of degree 1 to 12 to 60 noisy samples of a sine.

# %%
x_sine = rng.uniform(0, 1, size=(60, 1))
y_sine = np.sin(2 * np.pi * x_sine[:, 0]) + rng.normal(scale=0.25, size=60)
x_train, x_rest, y_train, y_rest = train_test_split(x_sine, y_sine, test_size=0.4, random_state=0)
x_val, x_test, y_val, y_test = train_test_split(x_rest, y_rest, test_size=0.5, random_state=0)
print("train / validation / test:", len(x_train), len(x_val), len(x_test))

# %%
degrees = range(1, 13)
train_errors, val_errors, models = [], [], {}
for degree in degrees:
    models[degree] = make_pipeline(PolynomialFeatures(degree), LinearRegression())
    models[degree].fit(x_train, y_train)
    train_errors.append(scratch.mse(y_train, models[degree].predict(x_train)))
    val_errors.append(scratch.mse(y_val, models[degree].predict(x_val)))
best_degree = degrees[int(np.argmin(val_errors))]
print("degree chosen on the validation set:", best_degree)

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
left.plot(degrees, train_errors, "o-", label="training")
left.plot(degrees, val_errors, "o-", label="validation")
left.set(xlabel="polynomial degree", ylabel="MSE", yscale="log", title="choosing the degree")
left.legend()
x_plot = np.linspace(0, 1, 200)[:, None]
right.scatter(x_train, y_train, s=12, label="training points")
for degree in (1, best_degree, 12):
    right.plot(x_plot, models[degree].predict(x_plot), label=f"degree {degree}")
right.set(ylim=(-1.8, 1.8), title="under-fit, chosen, over-fit")
legend = right.legend(fontsize=8)

# %% [markdown]
# The training error keeps falling with the degree; the validation error falls, then rises
# again when the polynomial starts fitting the noise (**over-fitting**). Only now, with the
# degree fixed, do we look at the test set:

# %%
test_error = scratch.mse(y_test, models[best_degree].predict(x_test))
print(f"test MSE of the degree-{best_degree} model: {test_error:.3f}")
assert 3 <= best_degree <= 9 and val_errors[-1] > min(val_errors)
assert train_errors[-1] < train_errors[0]

# %% [markdown]
# (The noise alone has variance $0.25^2 = 0.0625$; an estimate from only 12 test points can
# land below it by luck. Test sets in practice hold thousands of examples.)

# %% [markdown]
# ## 4. A linear classifier is a hyperplane
#
# For classification the simplest model is linear: $f(\mathbf{x}) =
# \operatorname{sign}(\mathbf{w}^\top\mathbf{x} + b)$. The points where
# $\mathbf{w}^\top\mathbf{x} + b = 0$ form a **hyperplane** (a line in 2-D, a plane in 3-D)
# perpendicular to $\mathbf{w}$; the classifier answers "which side?". Learning means
# placing the hyperplane; here by logistic regression.

# %%
X_blobs, y_blobs = data.make_2d("blobs", 150, seed=0)
keep = y_blobs < 2                                      # two of the three clusters
X_two, y_two = X_blobs[keep], y_blobs[keep]
classifier = LogisticRegression().fit(X_two, y_two)
w_plane, b_plane = classifier.coef_[0], classifier.intercept_[0]
print("w =", w_plane.round(2), " b =", round(b_plane, 2),
      " accuracy:", classifier.score(X_two, y_two))

# %%
ax = plots.decision_boundary(classifier.decision_function, X_two, y_two)
ax.annotate("", xy=w_plane / np.linalg.norm(w_plane), xytext=(0, 0),
            arrowprops={"arrowstyle": "->", "lw": 2})
title = ax.set_title("the line $\\mathbf{w}^\\top \\mathbf{x} + b = 0$ and its normal $\\mathbf{w}$")

# %% [markdown]
# ## 5. The curse of dimensionality
#
# A simple way to learn $f$ is to look up nearby examples: the **nearest-neighbour
# classifier** answers, for a new point, the label of the closest training point.
#
# ### Exercise 1 · Implement: the nearest-neighbour classifier
#
# Write `nearest_neighbour_predict(X_train, y_train, X_query)`: for each of the $m$ rows of
# `X_query` (shape `(m, d)`), the label in `y_train` (shape `(n,)`) of the closest row of
# `X_train` (shape `(n, d)`) in Euclidean distance. Return an array of shape `(m,)`. No
# loops over the points are needed: broadcasting builds all $m \times n$ distances at once.
# Leave the arguments unchanged.

# %%
def nearest_neighbour_predict(X_train, y_train, X_query):
    ### BEGIN SOLUTION
    differences = X_query[:, None, :] - X_train[None, :, :]      # (m, n, d)
    squared_distances = (differences**2).sum(axis=-1)           # (m, n)
    return y_train[squared_distances.argmin(axis=1)]
    ### END SOLUTION


# %%
exercises.check_nearest_neighbour(nearest_neighbour_predict)

# %% [markdown]
# The method works if some training example is always close. How many examples does that
# take? Ask for one within $0.1$, per coordinate, of every point of the unit cube
# $[0,1]^d$. A grid at spacing $0.2$ with points at $0.1, 0.3, \dots, 0.9$ does it with
# **5 points per axis**: every coordinate lies within $0.1$ of one of them. In $d$
# dimensions that makes **$5^d$ points**. (A grid at spacing $0.1$ that includes both ends,
# $0, 0.1, \dots, 1$, has 11 points per axis and comes within $0.05$.)

# %%
radius = 0.1
per_axis = math.ceil(round(1 / (2 * radius), 9))     # grid points per axis
print("grid points per axis:", per_axis)
for d in (1, 2, 3, 10, 100, 784):
    print(f"d = {d:3d}: {f'{per_axis**d:,}' if d <= 10 else f'about 10^{round(d * math.log10(per_axis))}'} points")

# %% [markdown]
# A $28 \times 28$ digit lives in $d = 784$: $5^{784} \approx 10^{548}$ points, against
# about $10^{80}$ atoms in the observable universe. No data set covers such a space.
#
# Worse, in high dimension distances stop being informative. For random points in
# $[0,1]^d$ the mean pairwise distance grows like $\sqrt{d/6}$ while its spread stays
# roughly constant, so relative to the mean, all points become almost equally far from
# each other (**distance concentration**): "nearest" neighbour loses its meaning.

# %%
dims = (2, 10, 100, 1000)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
contrasts = {}
for d in dims:
    distances = geometry.pairwise_distances(300, d, seed=1)
    contrasts[d] = geometry.relative_contrast(distances)
    left.hist(distances / distances.mean(), bins=np.linspace(0, 2.5, 80), histtype="step",
              lw=1.5, density=True, label=f"d = {d}")
left.set(xlabel="distance / mean distance", title="pairwise distances of 300 random points")
left.legend()
right.plot(list(contrasts), list(contrasts.values()), "o-")
right.set(xscale="log", yscale="log", xlabel="dimension d",
          title="contrast (max - min) / min of the distances")
for d, contrast in contrasts.items():
    print(f"d = {d:4d}: (max - min) / min = {contrast:.2f}")

# %%
values = np.array([contrasts[d] for d in dims])
assert np.all(np.diff(values) < 0), "concentration must grow with d"

# %% [markdown]
# Move the slider to watch the histogram narrow as the dimension grows.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.dimension_explorer()

# %% [markdown]
# ## 6. Cover's theorem: how many labellings can a hyperplane realise?
#
# Take $P$ points in general position in $\mathbb{R}^N$ and give each a label $\pm1$: there
# are $2^P$ labellings (dichotomies). Cover (1965) counted how many of them a hyperplane
# through the origin separates:
#
# $$C(P, N) = 2\sum_{k=0}^{N-1}\binom{P-1}{k}.$$
#
# If $P \le N$ every labelling is separable ($C = 2^P$). Beyond that, the fraction
# $C(P, N)/2^P$ drops: it is exactly $\tfrac12$ at $P = 2N$ and falls to zero quickly after,
# more and more sharply as $N$ grows. A random labelling of many points in few dimensions
# is almost never linearly separable.

# %%
print("C(4, 2) =", geometry.cover_count(4, 2), "of", 2**4, "labellings")
print("P = 2N gives one half:", [geometry.cover_probability(2 * n, n) for n in (1, 5, 20)])

# %% [markdown]
# **Simulation.** For $N = 10$ and growing $P$, draw Gaussian points and random labels, and
# test separability exactly with the linear program of `geometry.is_linearly_separable`
# (notebook 02 will use it to show that no single neuron with a threshold computes XOR).

# %%
N_dim = 10
num_points = np.arange(5, 45, 5)                    # P / N from 0.5 to 4
trials = report.profile.pick(quick=400, full=4000)  # random labellings per P
simulated = np.array([geometry.separable_fraction(P, N_dim, trials=trials, seed=int(P))
                      for P in num_points])
formula = np.array([geometry.cover_probability(int(P), N_dim) for P in num_points])
for P, sim, exact in zip(num_points, simulated, formula, strict=True):
    print(f"P/N = {P / N_dim:3.1f}: formula {exact:.3f}, simulated ≈ {sim:.3f}")

# %%
largest_gap = np.abs(simulated - formula).max()
outcomes.expect("largest difference between simulation and formula", largest_gap, at_most=0.05, fmt=".3f")

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.6))
ratio = np.linspace(0.1, 4, 200)
for n in (2, 10, 50):
    counts = np.maximum(1, np.round(ratio * n)).astype(int)
    ax.plot(counts / n, [geometry.cover_probability(int(p), n) for p in counts], label=f"N = {n}")
ax.scatter(num_points / N_dim, simulated, color="black", zorder=3, label="simulation, N = 10")
ax.axvline(2, color="gray", ls=":")
ax.set(xlabel="P / N", ylabel="probability of being separable",
       title="Cover's theorem: formula and simulation")
legend = ax.legend()

# %% [markdown]
# ### Exercise 2 · Predict: which labellings can a line realise?
#
# Take the four corners of the unit square, $(0,0), (0,1), (1,0), (1,1)$, and label each
# 0 or 1: 16 labellings. A linear classifier *with a bias*, $\operatorname{sign}(w_1x_1 +
# w_2x_2 + b)$, draws any line in the plane, not only lines through the origin. How many of
# the 16 labellings can it realise? Reason (or draw) before you run anything, and store a
# whole number in `separable_labellings`. The check tests all 16 with the exact linear
# program `geometry.is_linearly_separable`.

# %%
### BEGIN SOLUTION
separable_labellings = 14  # C(4, 3): (x1, x2, 1) puts the corners in 3-D, through the origin
### END SOLUTION

# %%
exercises.check_separable_labellings(separable_labellings)

# %% [markdown]
# ## 7. Going non-linear: features and kernels
#
# Cover's theorem also shows the way out: **map the data into more dimensions**, where
# separating becomes likely. Two classic routes:
#
# 1. **Polynomial features**: add products of the variables, $\Phi(x_1, x_2) = (x_1, x_2,
#    x_1^2, x_1x_2, x_2^2)$, and fit a linear model on $\Phi(\mathbf{x})$. A circle
#    $x_1^2 + x_2^2 = r^2$ becomes a plane.
# 2. **Kernels**: put a bump $K(\mathbf{x}, \mathbf{x}_i) = e^{-\gamma\|\mathbf{x} -
#    \mathbf{x}_i\|^2}$ on training points and decide with
#    $f(\mathbf{x}) = \sum_i \alpha_i y_i K(\mathbf{x}, \mathbf{x}_i) + b$ (a support vector
#    machine): "just put bumps where the data live".

# %%
X_circles, y_circles = data.make_2d("circles", 200, seed=0)
quadratic = PolynomialFeatures(degree=2, include_bias=False)
X_quadratic = quadratic.fit_transform(X_circles)
print("separable in the plane:            ", geometry.is_linearly_separable(X_circles, y_circles))
print("separable with quadratic features: ", geometry.is_linearly_separable(X_quadratic, y_circles))
print("features:", list(quadratic.get_feature_names_out(["x1", "x2"])))

# %%
linear_model = LogisticRegression().fit(X_circles, y_circles)
quadratic_model = make_pipeline(PolynomialFeatures(2), StandardScaler(),
                                LogisticRegression(C=100)).fit(X_circles, y_circles)
kernel_model = SVC(kernel="rbf", gamma=2.0, C=10).fit(X_circles, y_circles)
fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), layout="constrained")
for ax, (name, model) in zip(axes, [("linear", linear_model), ("quadratic features", quadratic_model),
                                    ("RBF kernel", kernel_model)], strict=True):
    plots.decision_boundary(model.decision_function, X_circles, y_circles, ax=ax)
    ax.set_title(f"{name}: accuracy {model.score(X_circles, y_circles):.2f}")
axes[2].scatter(*kernel_model.support_vectors_.T, s=40, facecolors="none", edgecolors="black")
assert quadratic_model.score(X_circles, y_circles) == 1.0
assert linear_model.score(X_circles, y_circles) < 0.7

# %% [markdown]
# The kernel's circled points are its support vectors, the only $\mathbf{x}_i$ with
# $\alpha_i \ne 0$. Both routes have a price. Polynomial features explode: there are
# $\binom{d+k}{k}$ monomials of degree at most $k$ in $d$ variables. Kernels need one bump
# per useful training point, and a fixed bump shape. Neural networks instead **learn** the
# features $\Phi$ (notebook 03).

# %%
for k in (2, 3, 4):
    print(f"degree <= {k} in d = 784: {math.comb(784 + k, k):,} features")

# %% [markdown]
# ### Exercise 3 · Model: two features for XOR
#
# The XOR clusters below are not linearly separable, and all five quadratic features would
# be more than needed. Write `features(X)` that maps the `(n, 2)` points to **at most two**
# features, shape `(n, k)` with $k \le 2$, so that a plain logistic regression on them
# classifies **at least 95 %** of 1,000 new XOR points correctly. The check fits
# `LogisticRegression` on your features of these 200 training points and measures it on
# the new ones.

# %%
X_xor, y_xor = data.make_2d("xor", 200, seed=0)
axes_xor = plots.decision_boundary(LogisticRegression().fit(X_xor, y_xor).decision_function, X_xor, y_xor)
title = axes_xor.set_title("XOR clusters and the best line")


# %%
def features(X):
    ### BEGIN SOLUTION
    return (X[:, 0] * X[:, 1])[:, None]
    ### END SOLUTION


# %%
exercises.check_xor_features(features)

# %% [markdown]
# ## 8. The manifold hypothesis: real data are not random points
#
# If learning needed $10^{784}$ examples, nothing could be learned from images. It works
# because real data occupy a tiny, structured part of the input space: images of digits
# concentrate near a low-dimensional **manifold**, a smooth surface whose few directions
# are the ways a digit can plausibly vary (slant, thickness, size...). Random pixel arrays,
# by contrast, fill the space and look like nothing.

# %%
(digits, digit_labels), _ = data.load_mnist()
noise_images = rng.uniform(size=digits[:2000].shape).astype("float32")
axes = plots.image_grid(np.concatenate([digits[:8], noise_images[:8]]), ncols=8)

# %% [markdown]
# One way to measure "how many directions matter" is principal component analysis: how many
# orthogonal directions capture 90 % of the variance? For the digits, under a hundred. For
# random pixels, whose variance is spread evenly over all 784 directions, about 90 % of
# them (706) would be needed with unlimited samples; from 2,000 samples some directions
# look larger than others by chance, so the count printed below is smaller, but still in
# the hundreds.

# %%
pca_digits = PCA().fit(digits[:2000].reshape(2000, -1))
pca_noise = PCA().fit(noise_images.reshape(2000, -1))
needed = {}
fig, ax = plt.subplots(figsize=(6.4, 3.4))
for name, pca in (("MNIST digits", pca_digits), ("random pixels", pca_noise)):
    cumulative = np.cumsum(pca.explained_variance_ratio_)
    needed[name] = int(np.searchsorted(cumulative, 0.9) + 1)
    ax.plot(np.arange(1, len(cumulative) + 1), cumulative, label=f"{name}: {needed[name]} for 90 %")
ax.set(xlabel="number of principal directions", ylabel="variance explained", xscale="log")
legend = ax.legend()
print(needed)

# %%
assert needed["MNIST digits"] < 0.25 * needed["random pixels"]

# %% [markdown]
# Principal directions are flat, so they overestimate a curved manifold's dimension; the
# digits' true number of degrees of freedom is smaller still. Deep networks exploit this:
# each layer learns a change of variables that flattens and untangles the manifold until
# a linear classifier suffices.

# %% [markdown]
# ## Summary
#
# - Learning = minimising an average loss over the parameters; gradient descent follows
#   $-\nabla C$ downhill.
# - Fit parameters on the training set, choose hyper-parameters on the validation set,
#   report once on the test set.
# - A linear classifier is a hyperplane $\mathbf{w}^\top\mathbf{x} + b = 0$.
# - Nearest neighbours need a close example: $5^d$ grid points to come within $0.1$ of
#   every point of $[0,1]^d$, and in high dimension all distances look alike.
# - Cover: $C(P, N) = 2\sum_{k<N}\binom{P-1}{k}$ of the $2^P$ labellings are separable; half at
#   $P = 2N$, almost none beyond. Mapping data to more dimensions (features, kernels) helps.
# - Real data lie near low-dimensional manifolds, which is why learning is possible at all.
#
# ## Further reading
#
# - T. Cover (1965), *Geometrical and statistical properties of systems of linear
#   inequalities with applications in pattern recognition*, IEEE Trans. Electronic Computers.
# - K. Beyer, J. Goldstein, R. Ramakrishnan and U. Shaft (1999), *When is "nearest neighbor"
#   meaningful?*, ICDT.
# - S. Mallat (2016), *Understanding deep convolutional networks*, Phil. Trans. R. Soc. A.
# - Y. Bengio, A. Courville and P. Vincent (2013), *Representation learning: a review and
#   new perspectives*, IEEE TPAMI.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, sections 5.1-5.3 and 5.11.

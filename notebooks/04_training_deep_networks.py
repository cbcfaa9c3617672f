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
# # 04 · Training deep networks
#
# **Purpose:** see what makes gradient descent work, or fail, on deep networks: the loss,
# the optimizer, the learning rate, the initialisation and the normalisation.
#
# **After this notebook you can**
# - choose a loss among Keras's (MSE, MAE, cross-entropy, the hinges, log-cosh, KL,
#   Poisson, MAPE, MSLE) and explain full-batch, stochastic and minibatch gradient descent;
# - write SGD, momentum, Nesterov, RMSprop, Adam, AMSGrad, Adagrad, Adadelta, Adamax and
#   Nadam from scratch, show that they take exactly the steps `keras.optimizers` takes,
#   and relate the lectures' form of Nesterov's method to Keras's;
# - predict the learning rate at which gradient descent diverges, and tame large
#   gradients by clipping;
# - explain why all-zero weights fail, pick Glorot or He scaling, diagnose a network that
#   does not learn, spot vanishing gradients and measure what batch normalisation buys;
# - say why saddle points, not local minima, slow down high-dimensional training, and why
#   layer-wise pretraining, the 2006 answer to training deep networks, is no longer needed.
#
# **Expected run time:** about 20 s on a 2-core CPU with AVX-512; about 40 s on a 2-core laptop without AVX-512 (predicted by `make bench`).

# %% [markdown]
# ## 1. Set-up

# %%
# NBVAL_IGNORE_OUTPUT
from course_lib import runtime

report = runtime.setup(seed=0)

# %%
import inspect

import keras
import matplotlib.pyplot as plt
import numpy as np

from course_lib import data, deepnets, optimizer_match, outcomes, scratch, surfaces, widgets
from course_lib.exercises import training_deep_networks as exercises
from course_lib.widgets import optimizers as optimizer_widgets

# %% [markdown]
# ## 2. Losses
#
# Training minimises a loss $L(\mathbf w)=\frac1n\sum_i \ell(t_i, y_i)$ that compares each
# target $t_i$ with the network's output $y_i$. The four classic choices:
#
# | loss | $\ell(t, y)$ | used for |
# |---|---|---|
# | mean squared error | $(y-t)^2$ | regression; large errors dominate |
# | mean absolute error | $\lvert y-t\rvert$ | regression robust to outliers |
# | cross-entropy | $-\sum_k t_k \log y_k$ (binary: $-t\log y-(1-t)\log(1-y)$) | classification with probabilities |
# | hinge | $\max(0,\, 1 - t\,y)$, $t=\pm1$ | classification with a margin (SVM-style) |
#
# The figure shows each loss for one positive example ($t=1$) as the output moves. Squared
# error punishes big errors quadratically, absolute error linearly; cross-entropy explodes
# as a confident prediction goes wrong; hinge is zero once the margin $t\,y \ge 1$ is met.

# %%
outputs = np.linspace(-1.5, 2.5, 201)
probabilities = np.clip(1 / (1 + np.exp(-2 * outputs)), 1e-6, 1 - 1e-6)
curves = {
    "squared error": [scratch.mse([1.0], [y]) for y in outputs],
    "absolute error": [scratch.mae([1.0], [y]) for y in outputs],
    "cross-entropy of sigmoid(2y)": [scratch.binary_cross_entropy([1.0], [p]) for p in probabilities],
    "hinge": [scratch.hinge([1.0], [y]) for y in outputs],
}

# %%
fig, ax = plt.subplots(figsize=(6, 3.6))
for label, values in curves.items():
    ax.plot(outputs, values, label=label)
ax.set(xlabel="output y (target t = 1)", ylabel="loss", ylim=(0, 5))
legend = ax.legend()

# %% [markdown]
# Keras has the same four losses; on a small batch they agree with the formulas:

# %%
t = np.array([[1.0], [0.0], [1.0]])
y = np.array([[0.8], [0.3], [0.4]])
signed_t = 2 * t - 1
loss_pairs = {
    "MSE": (scratch.mse(t, y), keras.losses.MeanSquaredError()(t, y)),
    "MAE": (scratch.mae(t, y), keras.losses.MeanAbsoluteError()(t, y)),
    "cross-entropy": (scratch.binary_cross_entropy(t, y), keras.losses.BinaryCrossentropy()(t, y)),
    "hinge": (scratch.hinge(signed_t, y), keras.losses.Hinge()(signed_t, y)),
}
for name, (ours, theirs) in loss_pairs.items():
    print(f"{name:<14} formula {ours:.4f}   keras {float(theirs):.4f}")
    assert abs(ours - float(theirs)) < 1e-5

# %% [markdown]
# Keras has more, each suited to a kind of target ($t$ the target, $y$ the output, the
# mean taken over the examples):
#
# | loss | $\ell(t, y)$ | fits when |
# |---|---|---|
# | squared hinge | $\max(0, 1 - t\,y)^2$, $t = \pm1$ | a margin classifier with a smooth penalty (the gradient shrinks near the margin) |
# | categorical hinge | $\max(0,\ 1 + \max_{k \ne c} y_k - y_c)$ | several classes, a margin between the true class $c$ and the best other one |
# | log-cosh | $\log\cosh(y - t)$ | regression: about $\tfrac12(y-t)^2$ for small errors and $\lvert y - t\rvert - \ln 2$ for large ones, so robust to outliers yet smooth |
# | Kullback-Leibler | $\sum_k t_k \log(t_k / y_k)$ | the target is itself a distribution (soft labels, distillation) |
# | Poisson | $y - t\log y$ | counts (events per interval) with a positive predicted rate $y$ |
# | MAPE | $100\,\lvert (t - y)/t \rvert$ | relative errors matter (sales, prices); undefined near $t = 0$ |
# | MSLE | $(\log(1 + y) - \log(1 + t))^2$ | positive targets spanning orders of magnitude; under-prediction costs more than over-prediction |
#
# The formulas, written with NumPy, agree with Keras on a small batch:

# %%
t_pos, y_pos = np.array([[1.0, 4.0], [2.0, 0.5]]), np.array([[1.5, 3.0], [1.0, 0.8]])
t_dist, y_dist = np.array([[0.7, 0.2, 0.1]]), np.array([[0.5, 0.3, 0.2]])
t_sign, y_score = np.array([[1.0, -1.0]]), np.array([[0.3, 0.4]])
other_losses = {
    "squared hinge": (np.mean(np.maximum(0, 1 - t_sign * y_score) ** 2), keras.losses.squared_hinge(t_sign, y_score)),
    "categorical hinge": (max(0.0, 1 + y_dist[0, 1:].max() - y_dist[0, 0]),
                          keras.losses.categorical_hinge([[1.0, 0.0, 0.0]], y_dist)),
    "log-cosh": (np.mean(np.log(np.cosh(y_pos - t_pos)), axis=1), keras.losses.log_cosh(t_pos, y_pos)),
    "KL": (np.sum(t_dist * np.log(t_dist / y_dist)), keras.losses.kl_divergence(t_dist, y_dist)),
    "Poisson": (np.mean(y_pos - t_pos * np.log(y_pos), axis=1), keras.losses.poisson(t_pos, y_pos)),
    "MAPE": (100 * np.mean(np.abs((t_pos - y_pos) / t_pos), axis=1),
             keras.losses.mean_absolute_percentage_error(t_pos, y_pos)),
    "MSLE": (np.mean((np.log1p(y_pos) - np.log1p(t_pos)) ** 2, axis=1),
             keras.losses.mean_squared_logarithmic_error(t_pos, y_pos)),
}

# %%
for name, (ours, theirs) in other_losses.items():
    agree = np.allclose(ours, np.asarray(theirs), rtol=1e-5)
    print(f"{name:<18} formula {np.round(ours, 4)}   agrees with Keras: {agree}")
    assert agree, name

# %% [markdown]
# ## 3. Full-batch, stochastic and minibatch gradient descent
#
# Gradient descent updates $\mathbf w \leftarrow \mathbf w - \rho\, \mathbf d$ with the
# gradient $\mathbf d$ averaged over some examples:
#
# - **full batch** (the "gradient epoch"): all $n$ examples, one exact but expensive step
#   per epoch;
# - **stochastic**: one example at a time, $n$ cheap, noisy steps per epoch;
# - **minibatch**: $m$ examples (typically 32 to 256), the compromise every framework uses:
#   many steps per epoch, each vectorised and only mildly noisy.
#
# A linear least-squares problem, five epochs each. Full batch and minibatches of 32 share
# the learning rate 0.05; single examples are so noisy that stochastic descent gets a
# smaller one, 0.01.

# %%
rng = np.random.default_rng(0)
X = rng.normal(size=(512, 5))
w_true = rng.normal(size=5)
y_reg = X @ w_true + 0.1 * rng.normal(size=512)


def minibatch_descent(batch_size, learning_rate=0.05, num_epochs=5, seed=0):
    """Least-squares regression by minibatch gradient descent; loss after each step."""
    order_rng, w, losses = np.random.default_rng(seed), np.zeros(5), []
    for _ in range(num_epochs):
        order = order_rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            residual = X[batch] @ w - y_reg[batch]
            w -= learning_rate * 2 * X[batch].T @ residual / len(batch)
            losses.append(np.mean((X @ w - y_reg) ** 2))
    return np.array(losses)


# %%
runs = {"full batch (512)": minibatch_descent(512), "minibatch (32)": minibatch_descent(32),
        "stochastic (1)": minibatch_descent(1, learning_rate=0.01)}
fig, ax = plt.subplots(figsize=(6, 3.6))
for label, losses in runs.items():
    ax.semilogy(np.linspace(0, 5, len(losses)), losses, label=f"{label}: {len(losses)} steps")
ax.set(xlabel="epoch", ylabel="training MSE")
legend = ax.legend()

# %%
for label, losses in runs.items():
    print(f"{label:<18} loss after 5 epochs: {losses[-1]:.4f}")
assert runs["minibatch (32)"][-1] < runs["full batch (512)"][-1]

# %% [markdown]
# In five epochs the full batch takes 5 steps and is still far from the solution; the
# minibatch run takes 80 and the stochastic one 2,560, and both reach the floor set by
# the noise in the targets (its variance is $0.1^2 = 0.01$): below it no step size or batch
# size helps. More steps per epoch is what the smaller batches buy, up to that floor; the
# curves show the price, a noisier path.

# %% [markdown]
# ## 4. Optimizers from scratch
#
# Plain gradient descent moves straight down the steepest slope. On a long, narrow valley
# the learning rate is limited by the steep direction across the valley (section 5), so
# along the valley floor, where the slope is gentle, the steps are tiny and progress is
# slow; with a learning rate between $1/\lambda_{\max}$ and $2/\lambda_{\max}$ the steps also
# overshoot the floor and zig-zag across it. Two families of fixes:
#
# **Momentum** remembers the previous steps (a velocity $\mathbf v$) and keeps rolling:
# $$\mathbf v \leftarrow \mu\,\mathbf v - \rho\,\nabla L(\mathbf w),\qquad \mathbf w \leftarrow \mathbf w + \mathbf v .$$
# **Nesterov** takes the gradient step from where momentum is about to carry it, which in
# Keras's form reads $\mathbf w \leftarrow \mathbf w + \mu\,\mathbf v - \rho\,\nabla L(\mathbf w)$ after
# the same velocity update.
#
# **Adaptive step sizes** divide by the size of recent gradients. The simplest, from the
# lectures, normalises the whole gradient, $\rho = \rho_0 / (\lVert \mathbf d\rVert + \epsilon)$,
# so every step has length $\rho_0$ (`scratch.AdaptiveStep`; Keras has no such optimizer).
# RMSprop does it per coordinate: it keeps a running mean of squared gradients,
# $s \leftarrow \beta s + (1-\beta)\,g^2$, and steps $-\rho\, g / \sqrt{s + \epsilon}$.
# **Adam** combines both: a running mean $m$ of $g$ (momentum), a running mean $v$ of
# $g^2$ (RMSprop), each corrected for starting at zero,
# $$\hat m = \frac{m}{1-\beta_1^t},\quad \hat v = \frac{v}{1-\beta_2^t},\quad
# \mathbf w \leftarrow \mathbf w - \rho\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}.$$
# **AMSGrad** divides by the largest $v$ seen so far instead of the current one, so the
# denominator can only grow; the step itself can still grow when the momentum $m$ grows.
#
# The lectures write $\rho$ for the step size, $\mu$ for momentum and $\alpha,\alpha_1,
# \alpha_2$ for the averaging factors; Keras, and `course_lib.scratch`, call them
# `learning_rate`, `momentum`, `rho`, `beta_1`, `beta_2`. Two details follow Keras rather
# than the slides: RMSprop puts $\epsilon$ *inside* the square root, and Adam folds the
# bias correction into the step size, $\rho_t = \rho\sqrt{1-\beta_2^t}/(1-\beta_1^t)$,
# adding $\epsilon = 10^{-7}$ to $\sqrt{v}$ rather than to $\sqrt{\hat v}$.
#
# Each optimizer in `course_lib.scratch` is a class with `step(params, grads)`; the rule
# itself is a few lines:

# %%
print(inspect.getsource(scratch.Momentum.update))
print(inspect.getsource(scratch.Adam.update))

# %% [markdown]
# ### Same steps as Keras
#
# Run each from-scratch optimizer and its `keras.optimizers` counterpart for 50 steps on
# a random problem in float64: the two trajectories must agree to $10^{-6}$. One subtlety:
# Keras stores its hyper-parameters as float32 numbers, so $0.01$ becomes
# $0.0099999998$ and a momentum of $0.9$ becomes $0.89999998$, which shifts the
# trajectory by a few $10^{-7}$ over 50 steps. With values that float32 holds exactly
# (powers of two such as $2^{-6}$, a momentum of $0.875$, $\beta_2 = 1 - 2^{-10}$) the
# two agree to the last bit.

# %%
adam_betas = dict(beta_1=0.875, beta_2=1 - 2**-10)
optimizer_pairs = {
    "SGD": (scratch.SGD(learning_rate=2**-4), keras.optimizers.SGD(2**-4)),
    "momentum": (scratch.Momentum(2**-6, momentum=0.875),
                 keras.optimizers.SGD(2**-6, momentum=0.875)),
    "Nesterov": (scratch.Nesterov(2**-6, momentum=0.875),
                 keras.optimizers.SGD(2**-6, momentum=0.875, nesterov=True)),
    "RMSprop": (scratch.RMSprop(2**-7), keras.optimizers.RMSprop(2**-7)),
    "Adam": (scratch.Adam(2**-4, **adam_betas), keras.optimizers.Adam(2**-4, **adam_betas)),
    "AMSGrad": (scratch.AMSGrad(2**-4, **adam_betas),
                keras.optimizers.Adam(2**-4, amsgrad=True, **adam_betas)),
}
differences = {name: optimizer_match.max_difference(ours, theirs)
               for name, (ours, theirs) in optimizer_pairs.items()}

# %%
for name, difference in differences.items():
    print(f"{name:<9} matches keras.optimizers over 50 steps: {difference < 1e-6}")
assert max(differences.values()) < 1e-6

# %% [markdown]
# The exact differences (round-off only):

# %%
# NBVAL_IGNORE_OUTPUT
print({name: f"{difference:.1e}" for name, difference in differences.items()})

# %% [markdown]
# ### The lectures' Nesterov and Keras's
#
# The lectures write Nesterov's accelerated gradient (1983) as a gradient step followed by
# a push along the last move of those steps:
#
# $$\mathbf g_t = \mathbf w_{t-1} - \rho\,\nabla L(\mathbf w_{t-1}), \qquad
#   \mathbf w_t = \mathbf g_t + \mu\,(\mathbf g_t - \mathbf g_{t-1}).$$
#
# (The slide prints a minus before $\mu$; with it the push would pull back instead of
# accelerating. Nesterov's method, and Keras, add.) Call $\mathbf v_t = \mathbf g_t -
# \mathbf g_{t-1}$: then $\mathbf v_t = \mu \mathbf v_{t-1} - \rho\nabla L(\mathbf w_{t-1})$
# and $\mathbf w_t = \mathbf w_{t-1} + \mu\mathbf v_t - \rho\nabla L(\mathbf w_{t-1})$, which
# is Keras's update word for word. The two forms visit the same points:

# %%
def lecture_nesterov(surface, learning_rate, momentum, num_steps):
    """The lectures' form, started with g_0 = w_0 (no momentum yet)."""
    w = np.array(surface.start)
    g_previous, points = w.copy(), [w.copy()]
    for _ in range(num_steps):
        g = w - learning_rate * surface.gradient(w)
        w = g + momentum * (g - g_previous)
        g_previous = g
        points.append(w)
    return np.array(points)


# %%
valley = surfaces.get_surface("elongated quadratic")
lecture_path = lecture_nesterov(valley, 0.01, 0.9, num_steps=100)
keras_form_path = surfaces.trajectory(scratch.Nesterov(0.01, momentum=0.9), valley, num_steps=100)
print("same 100 points:", np.allclose(lecture_path, keras_form_path, rtol=1e-12, atol=1e-12))

# %% [markdown]
# ### More adaptive optimizers
#
# Keras has four more adaptive optimizers; `course_lib.scratch` writes them the same way
# (per coordinate, $g$ the gradient):
#
# | optimizer | state | step | idea |
# |---|---|---|---|
# | Adagrad (2011) | $s \mathrel{+}= g^2$ | $-\rho\, g/\sqrt{s + \epsilon}$ | every squared gradient ever seen: the step only shrinks, fast for rare features, too fast for long training |
# | Adadelta (2012) | running means of $g^2$ and of the steps $\Delta^2$ | $\Delta = -\sqrt{\overline{\Delta^2} + \epsilon}\,/\sqrt{\overline{g^2} + \epsilon}\; g$ | Adagrad's decay replaced by a running mean, and a step in the units of the weights |
# | Adamax (2015) | $m$ as in Adam, $u = \max(\beta_2 u, \lvert g\rvert)$ | $-\rho\,\hat m/(u + \epsilon)$ | Adam with the largest recent gradient in place of the root-mean-square |
# | Nadam (2016) | $m$, $v$ as in Adam | Adam's step with Nesterov's look-ahead on $m$ | momentum evaluated "one step ahead", as in Nesterov |
#
# Each takes Keras's steps:

# %%
more_pairs = {
    "Adagrad": (scratch.Adagrad(2**-4), keras.optimizers.Adagrad(2**-4)),
    "Adadelta": (scratch.Adadelta(1.0), keras.optimizers.Adadelta(1.0)),
    "Adamax": (scratch.Adamax(2**-4, beta_1=0.875), keras.optimizers.Adamax(2**-4, beta_1=0.875)),
    "Nadam": (scratch.Nadam(2**-4, beta_1=0.875), keras.optimizers.Nadam(2**-4, beta_1=0.875)),
}
more_differences = {name: optimizer_match.max_difference(ours, theirs) for name, (ours, theirs) in more_pairs.items()}
for name, difference in more_differences.items():
    print(f"{name:<9} matches keras.optimizers over 50 steps: {difference < 1e-6}")
assert max(more_differences.values()) < 1e-6

# %% [markdown]
# ### The race on two-dimensional surfaces
#
# A two-parameter loss can be drawn as a contour map, and an optimizer's path on it shows
# its character. `course_lib.surfaces` has an elongated quadratic
# $\tfrac12(w_1^2 + 20 w_2^2)$ (a narrow valley), Rosenbrock's curved valley
# $(1-w_1)^2 + 100(w_2 - w_1^2)^2$, and a saddle. Each optimizer gets a learning rate that
# suits it (adaptive methods take larger ones).

# %%
learning_rates = {"elongated quadratic": {"SGD": 0.05, "momentum": 0.01, "Nesterov": 0.01,
                                          "RMSprop": 0.05, "Adam": 0.2, "AMSGrad": 0.2},
                  "Rosenbrock": {"SGD": 0.002, "momentum": 0.002, "Nesterov": 0.001,
                                 "RMSprop": 0.01, "Adam": 0.1, "AMSGrad": 0.1}}
paths = {surface: {name: surfaces.trajectory(scratch.OPTIMIZERS[name](learning_rate=lr), surface,
                                             num_steps=300)
                   for name, lr in rates.items()}
         for surface, rates in learning_rates.items()}

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
for ax, (surface, surface_paths) in zip(axes, paths.items(), strict=True):
    surfaces.draw(surface, surface_paths, ax=ax, resolution=100)

# %%
for surface, surface_paths in paths.items():
    finals = {name: round(surfaces.final_loss(path, surface), 4) for name, path in surface_paths.items()}
    print(surface, finals)
assert surfaces.final_loss(paths["Rosenbrock"]["momentum"], "Rosenbrock") < surfaces.final_loss(
    paths["Rosenbrock"]["SGD"], "Rosenbrock")

# %% [markdown]
# On the narrow valley (left) SGD's learning rate 0.05 is exactly $1/\lambda_{\max}$: its
# first step lands on the valley floor and it then slides straight along it, without a
# zig-zag; momentum overshoots the floor and oscillates across it before settling. Plain
# SGD creeps along Rosenbrock's valley (right); momentum builds up speed along it and gets
# to the minimum $(1, 1)$. Race them yourself: choose a surface, the optimizers and one
# learning rate for all of them.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.optimizer_race()

# %% [markdown]
# ### Exercise 1 · Implement: Adagrad's step
#
# Write `adagrad_step(w, accumulator, grad, learning_rate)` that returns the pair
# `(new_w, new_accumulator)` for one step of Adagrad as Keras takes it, with
# $\epsilon = 10^{-7}$ (see the table: where does $\epsilon$ go?). All three arrays have the
# same shape. Build new arrays: the function must leave `w` and `accumulator` as they
# were (no `+=`), since the caller may still need the old values.

# %%
def adagrad_step(w, accumulator, grad, learning_rate):
    ### BEGIN SOLUTION
    new_accumulator = accumulator + grad**2
    new_w = w - learning_rate * grad / np.sqrt(new_accumulator + 1e-7)
    return new_w, new_accumulator
    ### END SOLUTION


# %%
exercises.check_adagrad_step(adagrad_step)

# %% [markdown]
# ## 5. The learning rate
#
# On the quadratic $\tfrac12(w_1^2 + 20 w_2^2)$ a gradient step multiplies $w_2$ by
# $(1 - 20\rho)$ and $w_1$ by $(1-\rho)$. If $|1-20\rho| > 1$ the steep coordinate grows
# every step: the run **diverges**. If $\rho$ is tiny, $w_1$ shrinks by a factor close
# to 1: the run is **too slow**. In between lies the sweet spot.

# %%
lr_paths = {lr: surfaces.trajectory(scratch.SGD(learning_rate=lr), "elongated quadratic",
                                    num_steps=50)
            for lr in (0.01, 0.09, 0.105)}
verdicts = {lr: optimizer_widgets.classify_learning_rate(path) for lr, path in lr_paths.items()}
print(verdicts)
assert list(verdicts.values()) == ["too slow", "converges", "diverges"]

# %% [markdown]
# Move the slider to find the border between converging and diverging; the right panel
# shows the loss after the chosen number of steps for every learning rate at once.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.learning_rate_explorer()

# %% [markdown]
# ### Exercise 2 · Predict: the border on a tilted valley
#
# The valley above is aligned with the axes. Rotate it by 45° and change its curvatures:
#
# $$L(\mathbf w) = \tfrac12\,\mathbf w^\top A\,\mathbf w, \qquad
#   A = \begin{pmatrix} 13 & 12 \\ 12 & 13 \end{pmatrix}.$$
#
# Above which learning rate does plain gradient descent on it diverge? Work it out on
# paper and store it in `tilted_border`; the check also runs gradient descent at your
# rate. (`exercises.tilted_valley()` is this surface, for `surfaces.trajectory`.)

# %%
### BEGIN SOLUTION
tilted_border = 2 / 25
### END SOLUTION

# %%
exercises.check_tilted_learning_rate(tilted_border)

# %% [markdown]
# Just below and just above the border, 400 steps from the same start:

# %%
for rate in (0.078, 0.082):
    path = surfaces.trajectory(scratch.SGD(learning_rate=rate), exercises.tilted_valley(), num_steps=400)
    print(f"learning rate {rate}: {optimizer_widgets.classify_learning_rate(path)}")

# %% [markdown]
# ## 6. Gradient clipping
#
# A single huge gradient (a cliff in the loss, an exploding recurrent network) can throw
# the weights far away in one step. **Clipping** limits the gradient before the update:
#
# - by norm (Keras `clipnorm=c`): $\mathbf g \leftarrow \mathbf g\cdot c/\max(\lVert\mathbf g\rVert, c)$,
#   same direction, bounded length;
# - by value (Keras `clipvalue=c`): each entry clipped to $[-c, c]$, which may turn the
#   direction.

# %%
gradient = np.array([3.0, 40.0])
print("by norm 5: ", scratch.clip_by_norm(gradient, 5.0))
print("by value 5:", scratch.clip_by_value(gradient, 5.0))

# %% [markdown]
# On Rosenbrock's steep walls, SGD with learning rate 0.01 overshoots and diverges within
# a few steps; the same run with `clipnorm=1` stays on the surface and reaches the valley.

# %%
clipping_paths = {
    "SGD": surfaces.trajectory(scratch.SGD(learning_rate=0.01), "Rosenbrock", num_steps=500),
    "SGD, clipnorm=1": surfaces.trajectory(scratch.SGD(learning_rate=0.01, clipnorm=1.0),
                                        "Rosenbrock", num_steps=500),
}
for label, path in clipping_paths.items():
    print(f"{label:<24} steps run: {len(path) - 1:>3}, final loss {surfaces.final_loss(path, 'Rosenbrock'):.3g}")
assert surfaces.final_loss(clipping_paths["SGD, clipnorm=1"], "Rosenbrock") < 0.2

# %% [markdown]
# Clipping in Keras is the same rule, an argument of every optimizer:

# %%
difference = optimizer_match.max_difference(
    scratch.Momentum(2**-5, momentum=0.875, clipnorm=0.5),
    keras.optimizers.SGD(2**-5, momentum=0.875, clipnorm=0.5))
print("clipped momentum matches Keras:", difference < 1e-6)

# %% [markdown]
# ## 7. Initialisation
#
# ### All zeros: the symmetry is never broken
#
# If every weight starts at zero, every hidden unit computes the same function and receives
# the same gradient, so after any number of updates they are still identical: the layer
# behaves like a single unit. A sigmoid network with 32 hidden units, started at zero and
# trained for three epochs on MNIST digits:

# %%
(x_train, y_train), (x_test, y_test) = data.load_mnist()
zero_net = deepnets.mlp((28, 28, 1), hidden=(32,), activation="sigmoid", kernel_initializer="zeros")
zero_net.compile(optimizer=keras.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy",
                 metrics=["accuracy"])
zero_log = zero_net.fit(x_train, y_train, epochs=3, batch_size=64, verbose=0)

# %%
hidden_kernel = deepnets.dense_kernels(zero_net)[0]
print("weights moved:", np.abs(hidden_kernel).max() > 0)
print("all 32 hidden units identical (up to rounding):", deepnets.identical_units(hidden_kernel))
print(f"training accuracy ≈ {zero_log.history['accuracy'][-1]:.2f}")
assert deepnets.identical_units(hidden_kernel) and np.abs(hidden_kernel).max() > 0

# %% [markdown]
# ### Scaling random weights
#
# Random weights break the symmetry, but their scale matters. A unit sums $n$ inputs; if
# the weights have variance $\sigma^2$ and the inputs variance 1, the sum has variance
# $n\sigma^2$. Choosing $\sigma = 1/\sqrt n$ keeps the signal's size from layer to layer.
# **Glorot** (Xavier) initialisation balances forward and backward passes,
# $\operatorname{Var} w = 2/(n_\text{in}+n_\text{out})$ (Keras's default `glorot_uniform`);
# **He** initialisation doubles the variance to $2/n_\text{in}$ because a ReLU zeroes half
# of its inputs. Pushing random inputs through 20 ReLU layers of width 256:

# %%
def activation_scales(std, num_layers=20, width=256, seed=0):
    """Standard deviation of the activations after each ReLU layer."""
    rng = np.random.default_rng(seed)
    h, scales = rng.normal(size=(500, width)), []
    for _ in range(num_layers):
        h = np.maximum(0, h @ rng.normal(scale=std, size=(width, width)))
        scales.append(h.std())
    return np.array(scales)


scales = {"std 0.01": activation_scales(0.01), "std 1/sqrt(n)": activation_scales(256**-0.5),
          "He: sqrt(2/n)": activation_scales((2 / 256) ** 0.5), "std 0.1": activation_scales(0.1)}

# %%
fig, ax = plt.subplots(figsize=(6, 3.6))
for label, values in scales.items():
    ax.semilogy(np.arange(1, 21), values, marker=".", label=label)
ax.set(xlabel="layer", ylabel="activation std")
legend = ax.legend()

# %%
print({label: f"{values[-1]:.2g}" for label, values in scales.items()})
assert 0.3 < scales["He: sqrt(2/n)"][-1] < 3 and scales["std 0.01"][-1] < 1e-10

# %% [markdown]
# Too small and the signal dies; too large and it explodes; $1/\sqrt n$ still shrinks it by
# $\sqrt2$ per ReLU layer, and He's $\sqrt{2/n}$ keeps it steady.

# %% [markdown]
# ### Exercise 3 · Diagnose: a classmate's network that does not learn
#
# A classmate trains six ReLU layers of 64 units on the 8×8 digits (1,437 for training,
# 360 for validation) with plain SGD, and the loss does not move:

# %%
(x_digits, y_digits), (x_digits_val, y_digits_val) = data.load_digits8x8()


def classmate_network(initializer):
    """Six ReLU layers of 64 units whose kernels start from ``initializer``."""
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten()])
    for _ in range(6):
        model.add(keras.layers.Dense(64, activation="relu", kernel_initializer=initializer))
    model.add(keras.layers.Dense(10, activation="softmax"))
    return model


# %%
keras.utils.set_random_seed(0)
classmate = classmate_network(keras.initializers.RandomNormal(stddev=0.01))
classmate.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
classmate_log = classmate.fit(x_digits, y_digits, epochs=3, batch_size=32, verbose=0)
print("training loss per epoch ≈", np.round(classmate_log.history["loss"], 2))
outcomes.expect("classmate's training accuracy", classmate_log.history["accuracy"][-1], at_most=0.3)

# %% [markdown]
# Find the cause and store a better initialiser in `fixed_initializer` (a Keras name
# such as `"glorot_uniform"` or an initializer object). The check builds the classmate's
# network with it, trains it exactly as above and wants at least 80 % validation
# accuracy after three epochs.

# %%
### BEGIN SOLUTION
fixed_initializer = "he_normal"
### END SOLUTION

# %%
exercises.check_fixed_initializer(fixed_initializer, classmate_network, (x_digits, y_digits),
                                  (x_digits_val, y_digits_val))

# %% [markdown]
# The stuck loss is $\ln 10 \approx 2.30$, a uniform guess over ten digits: with standard
# deviation 0.01 each ReLU layer multiplies the signal's size by about $0.01\sqrt{64/2}
# \approx 0.06$, and the gradients reaching the first layers shrink alike. Keras's
# `HeNormal` draws from a truncated normal with He's standard deviation $\sqrt{2/n_\text{in}}$:

# %%
kernel = keras.initializers.HeNormal(seed=0)(shape=(784, 512)).numpy()
print(f"He std for 784 inputs: formula {np.sqrt(2 / 784):.4f}, Keras sample {kernel.std():.4f}")

# %% [markdown]
# ## 8. Vanishing gradients
#
# Backpropagation multiplies, layer after layer, by the derivative of the activation.
# The sigmoid's derivative is at most $\tfrac14$, so in a deep sigmoid network the
# gradient reaching the first layers shrinks geometrically: those layers barely learn.
# ReLU's derivative is 1 wherever the unit is active, so the gradient keeps its size.
# The gradient norm for each layer of two 8-hidden-layer networks, same data, Glorot
# initialisation:

# %%
gradient_norms = {}
for activation in ("sigmoid", "relu"):
    keras.utils.set_random_seed(0)
    net = deepnets.mlp((28, 28, 1), hidden=(32,) * 8, activation=activation)
    gradient_norms[activation] = deepnets.layer_gradient_norms(net, x_train[:256], y_train[:256])

# %%
fig, ax = plt.subplots(figsize=(6, 3.6))
for activation, norms in gradient_norms.items():
    ax.semilogy(np.arange(1, len(norms) + 1), norms, marker="o", label=activation)
ax.set(xlabel="layer (1 = next to the input)", ylabel="gradient norm of the kernel")
legend = ax.legend()

# %%
ratios = {act: norms[0] / norms[-1] for act, norms in gradient_norms.items()}
outcomes.expect("sigmoid: first / last layer gradient norm", ratios["sigmoid"], at_most=1e-3, fmt=".1e")
outcomes.expect("ReLU   : first / last layer gradient norm", ratios["relu"], at_least=0.1, fmt=".1e")

# %% [markdown]
# ## 9. Batch normalisation
#
# Batch normalisation standardises each unit over the minibatch, then lets the network
# rescale it:
# $$\hat h = \frac{h - \mu_\text{batch}}{\sqrt{\sigma^2_\text{batch} + \epsilon}},\qquad
# \text{BN}(h) = \gamma \hat h + \beta .$$
# Every layer then sees inputs of a stable scale, whatever the layers before it do, and
# training tolerates larger learning rates. At test time running averages of
# $\mu$ and $\sigma^2$ replace the batch statistics.
#
# The same 4-layer ReLU network, same data, same plain SGD, with and without a
# `BatchNormalization` layer after each dense layer: how many epochs until the test
# accuracy reaches 80 %?

# %%
num_epochs = report.profile.pick(quick=12, full=30)
target = 0.8
bn_logs = {}
for batch_norm in (False, True):
    keras.utils.set_random_seed(0)
    net = deepnets.mlp((28, 28, 1), hidden=(64,) * 4, batch_norm=batch_norm)
    net.compile(optimizer=keras.optimizers.SGD(0.01), loss="sparse_categorical_crossentropy",
                metrics=["accuracy"])
    bn_logs[batch_norm] = net.fit(x_train, y_train, epochs=num_epochs, batch_size=64, verbose=0,
                                  validation_data=(x_test, y_test), validation_batch_size=500)

# %%
epochs_needed = {bn: deepnets.epochs_to_reach(log, target) for bn, log in bn_logs.items()}
without = epochs_needed[False] or num_epochs + 1     # not reached: count it as one more epoch
print(f"epochs to {target:.0%} test accuracy: with BatchNorm ≈ {epochs_needed[True]}, without ≈ "
      f"{epochs_needed[False] or f'>{num_epochs}'}")
assert epochs_needed[True] is not None
outcomes.expect("epochs saved by BatchNorm", without - epochs_needed[True], at_least=3, fmt="d")

# %%
fig, ax = plt.subplots(figsize=(6, 3.6))
for bn, log in bn_logs.items():
    ax.plot(np.arange(1, num_epochs + 1), log.history["val_accuracy"],
            label="with BatchNorm" if bn else "without")
ax.axhline(target, color="grey", linestyle=":")
ax.set(xlabel="epoch", ylabel="test accuracy")
legend = ax.legend()

# %% [markdown]
# ### Exercise 4 · Model: a deep network that trains
#
# Write `train_deep_network(x, y)`: build a network with **at least eight hidden `Dense`
# layers** for the 8×8 digits (inputs of shape (8, 8, 1), ten classes), compile it with
# `metrics=["accuracy"]`, train it for **at most 10 epochs** on `x, y` and return the
# model and the history that `fit` returns. The check measures it on the 360 validation
# digits and wants **at least 92 %**. Sections 7 to 9 list the tools: activation,
# initialisation, normalisation, optimizer, learning rate, batch size.

# %%
def train_deep_network(x, y):
    ### BEGIN SOLUTION
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten()])
    for _ in range(8):
        model.add(keras.layers.Dense(64, activation="relu", kernel_initializer="he_normal"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, epochs=10, batch_size=32, verbose=0)
    return model, history
    ### END SOLUTION


# %%
exercises.check_deep_network(train_deep_network, (x_digits, y_digits), (x_digits_val, y_digits_val))

# %% [markdown]
# ## 10. Saddle points
#
# In two dimensions we picture getting stuck in a bad local minimum. In millions of
# dimensions a critical point ($\nabla L = 0$) is a minimum only if the curvature is
# positive in *every* direction; far more often some directions curve up and others
# down: a **saddle point**. The gradient is tiny near it, so gradient descent slows to a
# crawl before it finds the way down.
#
# The surface $\tfrac12 w_1^2 - \tfrac12 w_2^2 + \tfrac14 w_2^4$ has a saddle at the
# origin (Hessian eigenvalues $+1$ and $-1$) and minima at $w_2 = \pm 1$. Starting almost
# exactly on the ridge, $w_2 = 10^{-3}$:

# %%
saddle_paths = {name: surfaces.trajectory(scratch.OPTIMIZERS[name](learning_rate=0.05), "saddle",
                                          num_steps=300)
                for name in ("SGD", "momentum", "Adam")}
escape = {name: int(np.argmax(np.abs(path[:, 1]) > 0.5)) for name, path in saddle_paths.items()}
print("steps to leave the saddle (|w2| > 0.5):", escape)
assert escape["SGD"] > escape["momentum"] > escape["Adam"] > 0

# %%
ax = surfaces.draw("saddle", saddle_paths)

# %% [markdown]
# SGD spends most of its steps near the saddle; momentum accumulates the small downhill
# push, and Adam rescales the tiny $w_2$ gradient to a full-size step.

# %% [markdown]
# ## 11. Before ReLU and batch normalisation: layer-wise pretraining
#
# Until about 2010 deep networks trained this way rarely worked: sigmoid units, small
# random weights and plain SGD left the first layers with vanishing gradients (section 8),
# and labelled data sets were small. The answer of 2006 (Hinton, Osindero and Teh; Bengio,
# Lamblin, Popovici and Larochelle) was **greedy unsupervised layer-wise pretraining**:
#
# 1. train the first layer alone, without labels, to model its input: as a restricted
#    Boltzmann machine, or as an autoencoder that reconstructs the input from the layer's
#    output (notebook 12);
# 2. freeze it, feed its outputs to the next layer and train that one the same way; repeat
#    up the stack;
# 3. put a classifier on top and **fine-tune** the whole network with backpropagation on
#    the labels.
#
# Each layer started from weights that already captured the structure of its input, so
# backpropagation began near a good region instead of in the vanishing-gradient regime.
# It made deep belief networks and stacked autoencoders the state of the art on MNIST and
# in speech recognition for a few years.
#
# It faded because the problems it solved got direct fixes, all in this notebook:
# **ReLU** units keep the gradient alive (Glorot, Bordes and Bengio found in 2011 that
# rectifier networks trained from random weights did as well as pretrained ones),
# **scaled initialisations** (Glorot 2010, He 2015) keep the signal's size, **batch
# normalisation** (2015) and adaptive optimizers made very deep networks trainable end to
# end, and large labelled sets (ImageNet) and GPUs made labels, not their absence, the
# usual case. Exercise 4 is the demonstration: eight hidden layers trained from random
# weights in seconds. The idea survives in another form: pretraining on a large data set,
# often without labels, then fine-tuning on the task (transfer learning in notebook 08,
# autoencoders in notebook 12).
#
# | year | how deep networks were trained |
# |---|---|
# | 1986 | backpropagation, sigmoid units, small random weights: one or two hidden layers |
# | 2006 | greedy unsupervised layer-wise pretraining (RBMs, autoencoders), then fine-tuning |
# | 2010-2011 | Glorot initialisation; ReLU networks match pretrained ones without pretraining |
# | 2012-2015 | dropout, GPUs, ImageNet; Adam, He initialisation, batch normalisation |

# %% [markdown]
# ## Summary
#
# - A loss turns "fit the data" into a number: MSE/MAE for regression, cross-entropy or
#   hinge for classification. Minibatches trade exactness of each step for many more steps.
# - Each Keras loss fits a kind of target: hinges for margins, log-cosh for robust
#   regression, KL for distributions, Poisson for counts, MAPE and MSLE for relative errors.
# - Momentum and Nesterov accelerate along valleys (the lectures' Nesterov and Keras's are
#   the same iteration); Adagrad, RMSprop, Adadelta, Adam, Adamax, AMSGrad and Nadam adapt
#   the step per coordinate. Written from scratch they take exactly Keras's steps.
# - The learning rate must stay below $2/\lambda_{\max}$ on a quadratic; too small is
#   slow. Clipping bounds a step when a gradient explodes.
# - Zero initialisation keeps all hidden units identical; Glorot and He scaling keep the
#   signal's size through depth.
# - Sigmoid networks lose their gradient in the first layers; ReLU keeps it. Batch
#   normalisation reached the accuracy target in fewer epochs.
# - In high dimension, saddle points, not local minima, are what slows training.
# - Layer-wise unsupervised pretraining (2006) made deep networks trainable; ReLU, scaled
#   initialisation, batch normalisation and large labelled sets made it unnecessary.
#
# ## Further reading
#
# - S. Ruder (2016), *An overview of gradient descent optimization algorithms*, arXiv:1609.04747.
# - I. Sutskever, J. Martens, G. Dahl and G. Hinton (2013), *On the importance of
#   initialization and momentum in deep learning*, ICML.
# - D. Kingma and J. Ba (2015), *Adam: a method for stochastic optimization*, ICLR.
# - S. Reddi, S. Kale and S. Kumar (2018), *On the convergence of Adam and beyond*, ICLR.
# - X. Glorot and Y. Bengio (2010), *Understanding the difficulty of training deep
#   feedforward neural networks*, AISTATS.
# - K. He, X. Zhang, S. Ren and J. Sun (2015), *Delving deep into rectifiers*, ICCV.
# - S. Ioffe and C. Szegedy (2015), *Batch normalization*, ICML.
# - Y. Dauphin et al. (2014), *Identifying and attacking the saddle point problem in
#   high-dimensional non-convex optimization*, NeurIPS.
# - J. Duchi, E. Hazan and Y. Singer (2011), *Adaptive subgradient methods*, JMLR (Adagrad);
#   M. Zeiler (2012), *ADADELTA*, arXiv:1212.5701; T. Dozat (2016), *Incorporating
#   Nesterov momentum into Adam*, ICLR workshop (Nadam).
# - G. Hinton, S. Osindero and Y.-W. Teh (2006), *A fast learning algorithm for deep belief
#   nets*, Neural Computation; Y. Bengio, P. Lamblin, D. Popovici and H. Larochelle (2007),
#   *Greedy layer-wise training of deep networks*, NeurIPS.
# - X. Glorot, A. Bordes and Y. Bengio (2011), *Deep sparse rectifier neural networks*, AISTATS.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, chapter 8 and section 15.1.

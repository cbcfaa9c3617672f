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
# # 02 · The perceptron
#
# **Purpose:** build the single artificial neuron, train it with Rosenblatt's rule and with
# gradient descent, and find out exactly what one neuron cannot do.
#
# **After this notebook you can**
# - write a formal neuron $y = \sigma(\mathbf{w}^\top \mathbf{x} + b)$ and read it as a
#   hyperplane that splits the input space in two;
# - compare the usual activation functions (sigmoid, tanh, arctan, ReLU, leaky ReLU, ELU,
#   softmax, maxout) and their derivatives, softmax's Jacobian included;
# - train a perceptron with Rosenblatt's rule, by hand and in code, say when it is
#   guaranteed to converge, and prepare data so that it converges fast;
# - fit Adaline (squared loss) by full-batch, stochastic and minibatch gradient descent;
# - prove that no single neuron with a threshold (or any monotone activation) computes
#   XOR, and show that a non-monotone activation can.
#
# **Expected run time:** about 5 s on a 2-core CPU with AVX-512; about 15 s on a 2-core laptop without AVX-512 (predicted by `make bench`).

# %% [markdown]
# ## 1. Set-up

# %%
# NBVAL_IGNORE_OUTPUT
from course_lib import runtime

report = runtime.setup(seed=0)

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np

from course_lib import geometry, plots, scratch, widgets
from course_lib.exercises import perceptron as exercises
from course_lib.scratch import activations as act

# %% [markdown]
# ## 2. The formal neuron (McCulloch and Pitts, 1943)
#
# A neuron receives inputs $\mathbf{x} \in \mathbb{R}^p$, weighs them, adds a bias and
# passes the result through an **activation function** $\sigma$:
#
# $$a = \mathbf{w}^\top \mathbf{x} + b = b + \sum_{j=1}^{p} w_j x_j, \qquad y = \sigma(a).$$
#
# McCulloch and Pitts used binary inputs and a threshold, $\sigma(a) = 1$ if $a \ge 0$
# and $0$ otherwise (the *Heaviside step*). With the right weights such a unit is a logic
# gate. Here $w_1 = w_2 = 1$ and $b = -1.5$: the sum reaches the threshold only when both
# inputs are on.

# %%
X_gate, t_and = scratch.boolean_gate("AND")
y_and = scratch.perceptron_predict(X_gate, w=np.array([1.0, 1.0]), b=-1.5)
for x, y in zip(X_gate, y_and, strict=True):
    print(f"x = {x.astype(int)}  ->  y = {y}")

# %% [markdown]
# Geometrically, the neuron's decision is the side of the line (in $p$ dimensions, the
# hyperplane) $\mathbf{w}^\top \mathbf{x} + b = 0$ on which $\mathbf{x}$ falls. The weight
# vector $\mathbf{w}$ is perpendicular to that line and points to the side labelled 1.

# %%
ax = plots.decision_boundary(
    lambda points: scratch.perceptron_predict(points, np.array([1.0, 1.0]), -1.5).astype(float),
    X_gate, t_and, margin=0.6)
ax.scatter(*X_gate.T, c=t_and, cmap="coolwarm", s=120, edgecolors="black", zorder=3)
title = ax.set_title("AND: only (1, 1) lies above the line $x_1 + x_2 = 1.5$")

# %% [markdown]
# ## 3. Activation functions
#
# The step is not differentiable, so it cannot be trained by gradients. The lectures list
# smooth or piecewise-linear replacements; each comes with a derivative, which is what
# backpropagation (notebook 03) multiplies along the network:
#
# | name | $\sigma(a)$ | $\sigma'(a)$ |
# |---|---|---|
# | sigmoid (logistic) | $\dfrac{1}{1+e^{-a}}$ | $\sigma(a)\,(1-\sigma(a))$ |
# | tanh | $\tanh a$ | $1-\tanh^2 a$ |
# | arctan | $\arctan a$ | $\dfrac{1}{1+a^2}$ |
# | ReLU | $\max(0, a)$ | $1$ if $a>0$, else $0$ |
# | leaky ReLU | $\max(\alpha a, a)$, e.g. $\alpha=0.1$ | $1$ if $a>0$, else $\alpha$ |
# | ELU | $a$ if $a>0$, else $\alpha(e^a-1)$ | $1$ if $a>0$, else $\alpha e^a$ |
#
# The sigmoids saturate: far from 0 their derivative vanishes, and a saturated neuron
# stops learning. ReLU does not saturate for $a>0$ and costs one comparison, which is a
# large part of why deep networks became trainable (notebook 04).

# %%
a = np.linspace(-4, 4, 401)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
for name in ("sigmoid", "tanh", "arctan", "relu", "leaky_relu", "elu"):
    value, derivative = act.apply(name, a)
    left.plot(a, value, label=name)
    right.plot(a, derivative, label=name)
left.set(title="activation $\\sigma(a)$", xlabel="a", ylim=(-1.7, 4))
right.set(title="derivative $\\sigma'(a)$", xlabel="a")
legend = left.legend(ncol=2)

# %% [markdown]
# The from-scratch functions are the ones Keras uses. (The unit tests also compare every
# derivative with TensorFlow's automatic differentiation.)

# %%
keras_pairs = {
    "sigmoid": keras.activations.sigmoid,
    "tanh": keras.activations.tanh,
    "relu": keras.activations.relu,
    "elu": keras.activations.elu,
}
for name, keras_function in keras_pairs.items():
    ours = act.apply(name, a)[0]
    assert np.allclose(ours, keras.ops.convert_to_numpy(keras_function(a)), atol=1e-6), name
print("scratch activations match keras.activations")

# %% [markdown]
# Two activations act on a whole vector rather than entry by entry.
#
# **Softmax** turns $K$ scores into probabilities, the usual last layer of a classifier:
# $\operatorname{softmax}(\mathbf{a})_k = e^{a_k} / \sum_j e^{a_j}$. Larger scores get
# exponentially more of the mass, and the outputs sum to 1.

# %%
scores = np.array([2.0, 1.0, 0.1])
probabilities = scratch.softmax(scores)
print("softmax:", probabilities.round(3), " sum =", probabilities.sum().round(6))

# %% [markdown]
# Every output depends on every score, so softmax's derivative is a $K \times K$ matrix,
# its **Jacobian**. Write $S = \sum_i e^{a_i}$, so $p_j = e^{a_j}/S$ and $\partial S/\partial
# a_k = e^{a_k}$. The quotient rule gives $p_j - p_j^2$ on the diagonal ($j = k$) and
# $-p_j p_k$ off it:
#
# $$\frac{\partial p_j}{\partial a_k} = p_j\,(\delta_{jk} - p_k), \qquad
#   J = \operatorname{diag}(\mathbf{p}) - \mathbf{p}\mathbf{p}^\top .$$
#
# $J$ is symmetric, and its rows sum to 0: raising one score moves probability from the
# other classes to that one, and the total stays 1. TensorFlow's automatic differentiation
# agrees:

# %%
jacobian = np.diag(probabilities) - np.outer(probabilities, probabilities)
tf = runtime.import_tensorflow()
scores_tensor = tf.constant(scores)
with tf.GradientTape() as tape:
    tape.watch(scores_tensor)
    softmax_tensor = tf.nn.softmax(scores_tensor)
print("J =\n", jacobian.round(3))
print("rows sum to 0:", np.allclose(jacobian.sum(axis=1), 0))
print("matches TensorFlow:", np.allclose(jacobian, tape.jacobian(softmax_tensor, scores_tensor).numpy(), atol=1e-6))

# %% [markdown]
# ### Exercise 1 · Implement: softmax's backward pass
#
# Backpropagation (notebook 03) never builds $J$. For each example it receives
# $\mathbf{g} = \partial L/\partial \mathbf{p}$ and needs $\partial L/\partial
# \mathbf{a} = J^\top \mathbf{g}$, entry $k$ being $\sum_j g_j\,\partial p_j/\partial
# a_k$. Simplify that sum by hand first, then write `softmax_backward(grad_p, p)` for a
# batch: `grad_p` and `p` have shape `(n, K)` (one example per row, `p` the softmax
# outputs), and the result has shape `(n, K)`. Build no $K \times K$ matrix, and leave the
# arguments unchanged.

# %%
def softmax_backward(grad_p, p):
    ### BEGIN SOLUTION
    return p * (grad_p - (grad_p * p).sum(axis=1, keepdims=True))
    ### END SOLUTION


# %%
exercises.check_softmax_backward(softmax_backward)

# %% [markdown]
# **Maxout** keeps the largest of several linear pieces,
# $\max(\mathbf{w}_1^\top \mathbf{x} + b_1,\ \mathbf{w}_2^\top \mathbf{x} + b_2)$. With
# pieces $a$ and $0.1a$ it is exactly leaky ReLU; with $a$ and $-a$ it is $|a|$. Its
# gradient flows only through the piece that won.

# %%
pieces = np.column_stack([a, -a])               # two pieces for one unit
absolute, _ = scratch.maxout_forward(pieces, num_pieces=2)
print("maxout(a, -a) == |a|:", np.allclose(absolute[:, 0], np.abs(a)))

# %% [markdown]
# ### Explore
#
# The explorer draws $\sigma(s\,x)$ and its derivative. The *slope* $s$ stretches the input:
# by the chain rule the derivative is multiplied by $s$, so a steep sigmoid learns fast near
# 0 but saturates sooner. *alpha* sets the negative side of leaky ReLU and ELU.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.activation_explorer()

# %% [markdown]
# ## 4. Rosenblatt's perceptron (1958): learning the weights
#
# Rosenblatt's perceptron *learns* $\mathbf{w}$ and $b$ from labelled examples
# $(\mathbf{x}_i, t_i)$, $t_i \in \{0, 1\}$, one example at a time. With the prediction
# $\hat y_i = \operatorname{step}(\mathbf{w}^\top \mathbf{x}_i + b)$ the rule is
#
# $$\mathbf{w} \leftarrow \mathbf{w} + \rho\,(t_i - \hat y_i)\,\mathbf{x}_i, \qquad
#   b \leftarrow b + \rho\,(t_i - \hat y_i).$$
#
# A correct prediction changes nothing. A missed positive ($t=1$, $\hat y=0$) adds
# $\mathbf{x}_i$ to $\mathbf{w}$, which raises $\mathbf{w}^\top \mathbf{x}_i$; a false
# positive subtracts it. Updating after each example is the ancestor of stochastic gradient
# descent. **Convergence theorem** (Novikoff, 1962): if some hyperplane separates the two
# classes with a margin $\gamma$ and all points lie within radius $R$, the perceptron makes
# at most $(R/\gamma)^2$ mistakes, whatever the order of the examples.
#
# ### Exercise 2 · Predict: one epoch by hand
#
# Start from $w_1 = w_2 = b = 0$ with $\rho = 1$ and show the perceptron the four
# examples of the **OR** gate once, in the order $(0,0), (0,1), (1,0), (1,1)$ (targets
# 0, 1, 1, 1). The step answers 1 when $a \ge 0$. Work out, with pencil and paper, the
# weights after this one epoch and store them as a tuple `(w1, w2, b)` in `after_one_epoch`.

# %%
### BEGIN SOLUTION
after_one_epoch = (0.0, 1.0, 0.0)
### END SOLUTION

# %%
exercises.check_first_epoch(after_one_epoch)

# %% [markdown]
# Here is the rule as a loop, one epoch of it: the same code runs inside
# `scratch.train_perceptron` (in a random order of the examples), epoch after epoch, until
# an epoch passes without a mistake.

# %%
def perceptron_epoch(X, t, w, b, learning_rate=1.0):
    mistakes = 0
    for x, target in zip(X, t, strict=True):
        y_hat = 1 if x @ w + b >= 0 else 0
        w, b = w + learning_rate * (target - y_hat) * x, b + learning_rate * (target - y_hat)
        mistakes += int(y_hat != target)
    return w, b, mistakes


# %%
X_or, t_or = scratch.boolean_gate("OR")
w_or, b_or, mistakes_or = perceptron_epoch(X_or, t_or, np.zeros(2), 0.0)
print(f"after one epoch: w = {w_or}, b = {b_or}, {mistakes_or} mistakes")

# %% [markdown]
# Now two clouds of 100 points, which a line separates:

# %%
rng = np.random.default_rng(0)
t_blobs = np.arange(100) % 2
centres = np.where(t_blobs[:, None] == 1, [0.5, 2.5], [2.5, 1.0])  # class 1 upper left
X_blobs = centres + rng.normal(scale=0.5, size=(100, 2))
print("separable:", geometry.is_linearly_separable(X_blobs, t_blobs))

# %%
run = scratch.train_perceptron(X_blobs, t_blobs, num_epochs=100, seed=0)
print("mistakes per epoch:", run.mistakes)
assert run.converged, "the perceptron must converge on separable data"
assert (scratch.perceptron_predict(X_blobs, run.w, run.b) == t_blobs).all()

# %% [markdown]
# The line after every update: early lines are poor, and each mistake turns the line a
# little until no point is on the wrong side.

# %%
ax = plots.decision_boundary(
    lambda points: scratch.perceptron_predict(points, run.w, run.b).astype(float),
    X_blobs, t_blobs)
grid = np.linspace(-2, 5, 2)
for k, (w, b) in enumerate(run.trajectory[1:]):
    if abs(w[1]) > 1e-9:
        ax.plot(grid, -(w[0] * grid + b) / w[1], color="gray",
                alpha=0.2 + 0.8 * k / len(run.trajectory), lw=0.8)
title = ax.set_title(f"{len(run.trajectory) - 1} updates, final line in black")

# %% [markdown]
# ### Step through it yourself
#
# Each click on **Step** shows one example to the perceptron (circled: gold if it caused an
# update). **Epoch** runs to the end of the current pass. Try the gates, then XOR: the
# line keeps moving forever.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.perceptron_stepper()

# %% [markdown]
# ### Far-away measurements
#
# The same two clouds, recorded by an instrument that adds an offset of 20 to both
# coordinates. A line still separates them, with the same margin, yet the perceptron
# needs far more updates:

# %%
offset = 20.0
X_far = X_blobs + offset
far_run = scratch.train_perceptron(X_far, t_blobs, num_epochs=100, seed=0)
print("separable:", geometry.is_linearly_separable(X_far, t_blobs))
print(f"updates: {sum(run.mistakes)} near the origin, {sum(far_run.mistakes):,} after the offset")

# %% [markdown]
# ### Exercise 3 · Model: make the perceptron converge fast
#
# Write `prepare(X)`, which transforms an `(n, 2)` array of such far-away measurements
# into an `(n, k)` array, so that the perceptron trained on `prepare(X_far)` **converges
# within 5 epochs** and classifies **at least 95 %** of 200 new far-away points correctly
# (`prepare` is applied to them too). Novikoff's bound $(R/\gamma)^2$ tells you what to
# change. The check trains `scratch.train_perceptron` on your prepared points.

# %%
new_centres = np.where((np.arange(200) % 2)[:, None] == 1, [0.5, 2.5], [2.5, 1.0])
X_far_new = new_centres + np.random.default_rng(1).normal(scale=0.5, size=(200, 2)) + offset
t_far_new = np.arange(200) % 2


# %%
def prepare(X):
    ### BEGIN SOLUTION
    return (X - X_far.mean(axis=0)) / X_far.std(axis=0)
    ### END SOLUTION


# %%
exercises.check_prepared_perceptron(prepare, (X_far, t_blobs), (X_far_new, t_far_new))

# %% [markdown]
# ## 5. Boolean gates and the XOR failure
#
# AND, OR and NAND are linearly separable, so the perceptron learns each of them:

# %%
for gate in ("AND", "OR", "NAND"):
    X_g, t_g = scratch.boolean_gate(gate)
    gate_run = scratch.train_perceptron(X_g, t_g, num_epochs=50)
    print(f"{gate:>4}: learned in {len(gate_run.mistakes)} epochs, "
          f"w = {gate_run.w}, b = {gate_run.b}")
    assert gate_run.converged

# %% [markdown]
# **XOR** outputs 1 when exactly one input is on. Run on it, the perceptron never finishes an
# epoch without a mistake:

# %%
X_xor, t_xor = scratch.boolean_gate("XOR")
xor_run = scratch.train_perceptron(X_xor, t_xor, num_epochs=100)
print("mistakes in the last 10 epochs:", xor_run.mistakes[-10:])
assert not xor_run.converged and min(xor_run.mistakes) > 0

# %% [markdown]
# Not converging after 100 epochs is evidence, not proof. The proof (Minsky and Papert,
# 1969) takes four lines. A neuron computing XOR would need
#
# $$b < 0, \qquad w_1 + b \ge 0, \qquad w_2 + b \ge 0, \qquad w_1 + w_2 + b < 0.$$
#
# Adding the middle two gives $w_1 + w_2 + 2b \ge 0$, so $w_1 + w_2 + b \ge -b > 0$,
# which contradicts the last inequality. No line separates XOR.
#
# A computer can prove it too: a separating $(\mathbf{w}, b)$ exists exactly when the
# linear program $s_i(\mathbf{w}^\top\mathbf{x}_i + b) \ge 1$ ($s_i = \pm 1$) is feasible,
# and `geometry.is_linearly_separable` asks SciPy's LP solver.

# %%
separable = {gate: geometry.is_linearly_separable(*scratch.boolean_gate(gate))
             for gate in scratch.perceptron.GATES}
print(separable)
assert separable == {"AND": True, "OR": True, "NAND": True, "XOR": False}

# %% [markdown]
# The proof uses one property of the step: a larger $a$ never gives a smaller output. So
# it holds for every **monotone** activation (sigmoid, tanh, ReLU... followed by any
# threshold): the neuron still answers according to the side of a line. A **non-monotone**
# activation escapes it. With $w_1 = w_2 = 1$, $b = -1$ and the bump $\sigma(a) = 1$ if
# $|a| < \tfrac12$, else 0, the four inputs give $a = -1, 0, 0, 1$ and the outputs are XOR:

# %%
def bump(a):
    return (np.abs(a) < 0.5).astype(int)


a_xor = X_xor @ np.array([1.0, 1.0]) - 1.0
print("a =", a_xor, " bump(a) =", bump(a_xor), " XOR =", t_xor)
assert (bump(a_xor) == t_xor).all()

# %% [markdown]
# The bump's region is the strip between two parallel lines, which no single line can
# give. Such units are hard to train and rarely used; the standard way out, a hidden layer
# trained by backpropagation, is notebook 03. The XOR result, published in *Perceptrons*
# (1969), ended the first wave of neural-network research.

# %% [markdown]
# ## 6. Adaline: a squared loss and gradient descent
#
# Widrow and Hoff's Adaline (1960) drops the step while learning: it fits the neuron's
# output $y_i = \sigma(\mathbf{w}^\top \mathbf{x}_i + b)$ to targets $t_i \in \{-1, +1\}$
# by minimising the squared loss
#
# $$J(\mathbf{w}, b) = \frac{1}{2n}\sum_{i=1}^{n} (y_i - t_i)^2, \qquad
#   \nabla_{\mathbf{w}} J = \frac{1}{n}\sum_{i=1}^{n} (y_i - t_i)\,\sigma'(a_i)\,\mathbf{x}_i .$$
#
# With $\sigma$ the identity this is linear least squares. The lectures give three ways to
# follow the gradient, which differ in how many examples feed each step
# $\mathbf{w} \leftarrow \mathbf{w} - \rho\,\mathbf{d}$:
#
# - **gradient epoch** (batch): $\mathbf{d}$ sums over all $n$ examples, one step per epoch;
# - **stochastic gradient**: one example per step, $n$ steps per epoch;
# - **minibatch**: $m$ examples per step (typically 32 to 256), $n/m$ steps per epoch.
#
# Gradient descent is much happier when every input has mean 0 and variance 1 (the loss
# surface is then closer to round), so the inputs are standardised first.

# %%
X_scaled = (X_blobs - X_blobs.mean(axis=0)) / X_blobs.std(axis=0)
t_signed = np.where(t_blobs == 1, 1.0, -1.0)
learning_rate = 0.05     # the same step size for all three
runs = {algorithm: scratch.train_neuron(X_scaled, t_signed, algorithm=algorithm, learning_rate=learning_rate,
                                        num_epochs=20, batch_size=16)
        for algorithm in ("batch", "stochastic", "minibatch")}
for algorithm, neuron_run in runs.items():
    print(f"{algorithm:>10}: {len(neuron_run.update_losses):4d} updates, "
          f"final loss {neuron_run.epoch_losses[-1]:.4f}")

# %%
fig, ax = plt.subplots()
for algorithm, neuron_run in runs.items():
    ax.plot(neuron_run.epoch_losses, marker=".", label=algorithm)
ax.set(xlabel="epoch", ylabel="squared loss $J$", yscale="log",
       title=f"Adaline, learning rate {learning_rate}: three ways to follow the gradient")
legend = ax.legend()

# %% [markdown]
# With the same step size, stochastic and minibatch descent get close to the minimum in
# the first epoch, because they update 100 and 7 times per pass over the data; the batch
# method updates once per epoch and is still far away after 20. The price is noise: the
# stochastic curve wobbles around the minimum instead of settling on it ("trading
# precision for computational efficiency"). All three head for the same minimum, the
# least-squares solution, which NumPy computes directly:

# %%
design = np.column_stack([X_scaled, np.ones(len(X_scaled))])
w_best = np.linalg.lstsq(design, t_signed, rcond=None)[0]
batch_long = scratch.train_neuron(X_scaled, t_signed, algorithm="batch", learning_rate=0.5,
                                  num_epochs=300)
print("least squares:", w_best.round(3) + 0.0)  # + 0.0 turns -0.0 into 0.0
print("batch Adaline:", np.append(batch_long.w, batch_long.b).round(3) + 0.0)
assert np.allclose(np.append(batch_long.w, batch_long.b), w_best, atol=1e-3)

# %% [markdown]
# Thresholding Adaline's output gives a classifier that, unlike the perceptron, also
# settles down on data that are *not* separable: the squared loss has a minimum even when
# no line is perfect.

# %%
accuracy = (np.where(design @ w_best >= 0, 1, 0) == t_blobs).mean()
print(f"Adaline training accuracy: {accuracy:.2f}")
assert accuracy == 1.0

# %% [markdown]
# ### Exercise 4 · Diagnose: a perceptron that never stops
#
# A classmate reuses Adaline's targets `t_signed` ($-1$ and $+1$) to train Rosenblatt's
# perceptron on the same clouds, with the loop below. The clouds are separable, so by
# Novikoff's theorem the perceptron should stop making mistakes, yet it never does.

# %%
def classmate_train(X, t, num_epochs=20, learning_rate=1.0):
    w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
    for _ in range(num_epochs):
        w, b, epoch_mistakes = perceptron_epoch(X, t, w, b, learning_rate)
        mistakes.append(epoch_mistakes)
    return w, b, mistakes


_, _, classmate_mistakes = classmate_train(X_blobs, t_signed)
print("at least 50 mistakes in every one of 20 epochs:", min(classmate_mistakes) >= 50)

# %% [markdown]
# Find the cause, and store in `fixed_targets` the targets (one per point, same order as
# `X_blobs`) with which this same loop converges and class $+1$ is predicted as 1. The
# check trains the perceptron on them.

# %%
### BEGIN SOLUTION
fixed_targets = (t_signed > 0).astype(int)
### END SOLUTION

# %%
exercises.check_fixed_targets(fixed_targets, X_blobs, t_blobs)

# %% [markdown]
# ## Summary
#
# - A neuron computes $\sigma(\mathbf{w}^\top\mathbf{x} + b)$; its decision boundary is a
#   hyperplane with normal $\mathbf{w}$.
# - Activations trade off smoothness, saturation and cost: sigmoids saturate, ReLU and its
#   variants do not (for $a > 0$); softmax turns scores into probabilities; maxout takes
#   the best of several linear pieces.
# - Rosenblatt's rule updates only on mistakes and converges on separable data
#   (at most $(R/\gamma)^2$ mistakes), but cycles forever otherwise.
# - Adaline minimises a squared loss by gradient descent: batch, stochastic or minibatch
#   steps reach the least-squares solution at different speeds per epoch.
# - Softmax's Jacobian is $\operatorname{diag}(\mathbf{p}) - \mathbf{p}\mathbf{p}^\top$;
#   backpropagation only needs its product with the incoming gradient.
# - Moving the data far from the origin makes $R$ and the number of updates grow:
#   centring and scaling the inputs helps the perceptron as it helps gradient descent.
# - No single neuron with a threshold or another monotone activation computes XOR:
#   linearly separable problems are the exception. A non-monotone activation can.
#
# ## Further reading
#
# - W. McCulloch and W. Pitts (1943), *A logical calculus of the ideas immanent in nervous
#   activity*, Bulletin of Mathematical Biophysics 5.
# - F. Rosenblatt (1958), *The perceptron: a probabilistic model for information storage
#   and organization in the brain*, Psychological Review 65.
# - B. Widrow and M. Hoff (1960), *Adaptive switching circuits*, IRE WESCON Convention Record.
# - A. Novikoff (1962), *On convergence proofs for perceptrons*.
# - M. Minsky and S. Papert (1969), *Perceptrons*, MIT Press.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, sections 6.1 and 6.3.

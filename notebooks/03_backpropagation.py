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
# # 03 · Backpropagation
#
# **Purpose:** compute the gradient of a network's loss with the chain rule, check it
# three ways, and use it to train the hidden layer that solves XOR.
#
# **After this notebook you can**
# - draw a computational graph and push gradients backwards through it by hand, also
#   where a variable is used twice;
# - derive the gradient of a single neuron for the squared loss and the cross-entropy;
# - write a network's backward pass layer by layer (outer products and the activations'
#   derivatives), checked against `tf.GradientTape` and finite differences;
# - explain how a hidden layer "bends" the input space, why stacked linear layers gain
#   nothing, what the universal approximation theorem promises (for networks and for
#   SVMs, forests and boosting), and why depth helps;
# - choose a network's size and training settings to reach a measured accuracy.
#
# **Expected run time:** about 10 s on a 2-core CPU with AVX-512; about 20 s on a 2-core laptop without AVX-512 (predicted by `make bench`).

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

from course_lib import data, outcomes, plots, scratch, widgets
from course_lib.exercises import backpropagation as exercises
from course_lib.widgets import approximation, playground

tf = runtime.import_tensorflow()

# %% [markdown]
# ## 2. A computational graph and the chain rule
#
# Any computation is a graph of elementary operations. Take
# $c = \sum_{ij} (x_{ij}\, y_{ij} + z_{ij})$, built from three nodes:
#
# $$a = x \odot y, \qquad b = a + z, \qquad c = \textstyle\sum b .$$
#
# The **forward pass** evaluates the nodes in order. The **backward pass** starts from
# $\partial c / \partial c = 1$ and walks the graph in reverse; each node multiplies the
# gradient arriving from above by its own local derivative (the chain rule):
#
# $$\frac{\partial c}{\partial b} = \mathbf{1}, \quad
#   \frac{\partial c}{\partial a} = \frac{\partial c}{\partial b}, \quad
#   \frac{\partial c}{\partial z} = \frac{\partial c}{\partial b}, \quad
#   \frac{\partial c}{\partial x} = \frac{\partial c}{\partial a} \odot y, \quad
#   \frac{\partial c}{\partial y} = \frac{\partial c}{\partial a} \odot x .$$
#
# A sum passes its gradient unchanged to all its inputs; a product sends each input the
# gradient times *the other* input.

# %%
rng = np.random.default_rng(0)
x, y, z = rng.normal(size=(3, 3, 4))      # three 3x4 inputs
a = x * y                                 # forward, node by node
b = a + z
c = b.sum()

# %%
dc_db = np.ones_like(b)      # backward: c = sum(b) counts every entry of b once
dc_da = dc_db                # b = a + z hands the same gradient to a ...
dc_dz = dc_db                # ... and to z
dc_dx = dc_da * y            # a = x * y: x receives the gradient times y,
dc_dy = dc_da * x            # and y the gradient times x

# %% [markdown]
# Automatic differentiation does exactly this bookkeeping. `tf.GradientTape` records the
# forward operations and replays them backwards; it must agree with our hand-made pass:

# %%
tx, ty, tz = (tf.Variable(v) for v in (x, y, z))
with tf.GradientTape() as tape:
    tc = tf.reduce_sum(tx * ty + tz)
tape_x, tape_y, tape_z = (g.numpy() for g in tape.gradient(tc, [tx, ty, tz]))
print("c =", round(float(c), 4), " tape:", round(float(tc.numpy()), 4))
for name, ours, theirs in (("x", dc_dx, tape_x), ("y", dc_dy, tape_y), ("z", dc_dz, tape_z)):
    assert np.allclose(ours, theirs, rtol=1e-12), name
print("dc/dx, dc/dy, dc/dz equal GradientTape's")

# %% [markdown]
# ### Exercise 1 · Predict: a variable used twice
#
# In the graph above every input feeds one node. Now take scalars and let $x$ enter twice:
#
# $$a = x\,y, \qquad b = a + z, \qquad c = b\,x .$$
#
# At $x = 2$, $y = 3$, $z = 1$, walk the graph backwards by hand (no code) and store
# $\partial c/\partial x$ in `two_paths_gradient`.

# %%
### BEGIN SOLUTION
two_paths_gradient = 13.0
### END SOLUTION

# %%
exercises.check_two_paths(two_paths_gradient)

# %% [markdown]
# The tape confirms it. A variable that reaches the output along several paths receives
# the **sum** of the gradients of all the paths: here $\partial c/\partial b \cdot
# \partial b/\partial a \cdot \partial a/\partial x = x\,y$ through $a$, plus $b$
# directly. In a network every hidden unit feeds all the units above it, so its gradient
# is such a sum; that is what the matrix products of the backward pass compute.

# %%
tape_x = tf.Variable(exercises.TWO_PATHS["x"])
with tf.GradientTape() as tape:
    tape_c = (tape_x * exercises.TWO_PATHS["y"] + exercises.TWO_PATHS["z"]) * tape_x
print("dc/dx from the tape:", float(tape.gradient(tape_c, tape_x)))

# %% [markdown]
# ## 3. One neuron
#
# For a neuron $a = \mathbf{w}^\top\mathbf{x} + b$, $y = \sigma(a)$ and a loss $L(y, t)$,
# the chain rule splits the gradient into three factors:
#
# $$\frac{\partial L}{\partial \mathbf{w}} =
#   \underbrace{\frac{\partial L}{\partial y}}_{\text{loss}}\;
#   \underbrace{\sigma'(a)}_{\text{activation}}\;
#   \underbrace{\mathbf{x}}_{\partial a / \partial \mathbf{w}}, \qquad
#   \frac{\partial L}{\partial b} = \frac{\partial L}{\partial y}\,\sigma'(a), \qquad
#   \frac{\partial L}{\partial \mathbf{x}} = \frac{\partial L}{\partial y}\,\sigma'(a)\,\mathbf{w}.$$
#
# - **Squared loss** $L = \tfrac12 (y - t)^2$: $\;\partial L/\partial \mathbf{w} = (y - t)\,\sigma'(a)\,\mathbf{x}$.
#   With a sigmoid, $\sigma'(a) \le 1/4$ and it vanishes when the neuron saturates, even if
#   the answer is completely wrong.
# - **Cross-entropy** $L = -t\log y - (1-t)\log(1-y)$ with a sigmoid: $\partial L/\partial y
#   = (y - t)/(y(1-y))$ cancels $\sigma'(a) = y(1-y)$, leaving $\partial L/\partial
#   \mathbf{w} = (y - t)\,\mathbf{x}$. A confident wrong answer gets a large gradient.

# %%
x1, t1 = np.array([2.0, -1.0, 0.5]), 1.0
w1, b1 = np.array([-1.5, 2.0, 0.3]), -0.5          # a confidently wrong neuron
y1 = scratch.sigmoid(w1 @ x1 + b1)
square_grad = (y1 - t1) * scratch.sigmoid_derivative(w1 @ x1 + b1) * x1
entropy_grad = (y1 - t1) * x1
print(f"output y = {y1:.4f} for target {t1}")
print("squared-loss gradient :", square_grad.round(4))
print("cross-entropy gradient:", entropy_grad.round(4))

# %% [markdown]
# The tape agrees with both formulas:

# %%
w_var = tf.Variable(w1)
with tf.GradientTape(persistent=True) as tape:
    y_tf = tf.sigmoid(tf.tensordot(w_var, x1, 1) + b1)
    square = 0.5 * (y_tf - t1) ** 2
    entropy = keras.losses.binary_crossentropy([t1], tf.reshape(y_tf, (1,)))
assert np.allclose(tape.gradient(square, w_var).numpy(), square_grad)
assert np.allclose(tape.gradient(entropy, w_var).numpy(), entropy_grad, rtol=1e-5)
print("both single-neuron gradients match GradientTape")

# %% [markdown]
# ## 4. A layer: the gradient is an outer product
#
# A layer of $q$ neurons shares its input. In Keras's layout the kernel $W$ has shape
# (inputs, outputs) and a batch of inputs is a matrix $X$ with one row per example:
#
# $$\text{forward: } A = XW + \mathbf{b}, \qquad
#   \text{backward: } \frac{\partial L}{\partial X} = \frac{\partial L}{\partial A} W^\top,\quad
#   \frac{\partial L}{\partial W} = X^\top \frac{\partial L}{\partial A},\quad
#   \frac{\partial L}{\partial \mathbf{b}} = \textstyle\sum_{\text{rows}} \frac{\partial L}{\partial A}.$$
#
# For one example, $\partial L/\partial W = \mathbf{x}\,\mathbf{v}^\top$ with
# $\mathbf{v} = \partial L/\partial \mathbf{a}$: an **outer product**, so every weight
# $w_{jk}$ gets (input $j$) $\times$ (error at output $k$). For a batch, the outer products
# of the examples add up. `scratch.dense_forward` / `scratch.dense_backward` implement
# these three lines.

# %%
x_one = np.array([[1.0, 2.0, 3.0]])                   # one example, 3 inputs
W_layer, b_layer = rng.normal(size=(3, 2)), np.zeros(2)
out, cache = scratch.dense_forward(x_one, W_layer, b_layer)
v = np.array([[0.5, -1.0]])                           # dL/da at the 2 outputs
dx, dW, db = scratch.dense_backward(v, cache)
print("dW == outer(x, v):", np.allclose(dW, np.outer(x_one, v)))
print(dW)

# %% [markdown]
# A layer from 784 pixels to 10 classes thus has a $784 \times 10$ kernel and 10 biases;
# Keras counts the same:

# %%
layer = keras.layers.Dense(10)
layer.build((None, 784))
print(layer.count_params(), "parameters;", 784 * 10 + 10, "= 784 x 10 weights + 10 biases")

# %% [markdown]
# ## 5. Backpropagation through a 3-layer network, layer by layer
#
# Stack three sigmoid layers, with one row per example in $X$:
#
# $$H_1 = \sigma(XW_1 + \mathbf{b}_1), \qquad H_2 = \sigma(H_1W_2 + \mathbf{b}_2), \qquad
#   Y = \sigma(H_2W_3 + \mathbf{b}_3), \qquad L = \frac1n \sum_{i=1}^n (y_i - t_i)^2 .$$
#
# The backward pass runs from the top down. Write $\Delta_k = \partial L/\partial A_k$ for
# the gradient at layer $k$'s pre-activation $A_k$; since $\sigma'(a) = \sigma(a)(1 -
# \sigma(a))$, each layer's own output gives its derivative:
#
# $$\Delta_3 = \tfrac2n (Y - T) \odot Y \odot (1 - Y), \qquad
#   \nabla_{W_3} L = H_2^\top \Delta_3, \qquad \nabla_{\mathbf{b}_3} L = \textstyle\sum_\text{rows} \Delta_3,$$
# $$\Delta_2 = (\Delta_3 W_3^\top) \odot H_2 \odot (1 - H_2), \qquad
#   \nabla_{W_2} L = H_1^\top \Delta_2, \qquad
#   \Delta_1 = (\Delta_2 W_2^\top) \odot H_1 \odot (1 - H_1), \qquad \nabla_{W_1} L = X^\top \Delta_1 .$$
#
# Each layer repeats the same two moves: the dense layer's three lines of section 4, then
# the activation's derivative. Here they are, written out for a 3-8-6-1 network.

# %%
def forward_3_layers(X, weights):
    """The forward pass, keeping each layer's output for the backward pass."""
    W1, b1, W2, b2, W3, b3 = weights
    H1 = scratch.sigmoid(X @ W1 + b1)
    H2 = scratch.sigmoid(H1 @ W2 + b2)
    Y = scratch.sigmoid(H2 @ W3 + b3)
    return H1, H2, Y


# %%
def backward_3_layers(X, T, weights, H1, H2, Y):
    """Gradients of the mean squared error, from the output layer down to the first."""
    W1, b1, W2, b2, W3, b3 = weights
    delta3 = 2 * (Y - T) / len(X) * Y * (1 - Y)         # output layer
    dW3, db3 = H2.T @ delta3, delta3.sum(axis=0)
    delta2 = (delta3 @ W3.T) * H2 * (1 - H2)            # second hidden layer
    dW2, db2 = H1.T @ delta2, delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * H1 * (1 - H1)            # first hidden layer
    dW1, db1 = X.T @ delta1, delta1.sum(axis=0)
    return [dW1, db1, dW2, db2, dW3, db3]


# %% [markdown]
# Sixteen random points with a sum-sign target, and weights from `scratch.MLP`, the
# course's network class, which runs the same loop over any number of layers:

# %%
mlp = scratch.MLP([3, 8, 6, 1], hidden_activation="sigmoid", output_activation="sigmoid",
                  loss="mse", seed=1)
X_small = rng.normal(size=(16, 3))
t_small = (X_small.sum(axis=1, keepdims=True) > 0).astype(float)
weights = mlp.get_weights()
H1, H2, Y = forward_3_layers(X_small, weights)
ours = backward_3_layers(X_small, t_small, weights, H1, H2, Y)
loss_value = float(np.mean((Y - t_small) ** 2))
print(f"loss = {loss_value:.4f}; gradient shapes:", [g.shape for g in ours])

# %%
mlp_loss, mlp_grads = mlp.loss_and_gradients(X_small, t_small)
mlp_errors = [scratch.relative_error(g, h) for g, h in
              zip(ours, [g for pair in mlp_grads for g in pair], strict=True)]
print(f"same as scratch.MLP (relative error below 1e-12): {max(mlp_errors) < 1e-12}")
assert max(mlp_errors) < 1e-12 and np.isclose(loss_value, mlp_loss)

# %% [markdown]
# **Reference 1: Keras and `tf.GradientTape`.** The same weights copied into a Keras model
# (the kernel layouts are identical), differentiated automatically, in float64:

# %%
model = keras.Sequential([keras.Input((3,), dtype="float64")] + [
    keras.layers.Dense(units, activation="sigmoid", dtype="float64") for units in (8, 6, 1)])
model.set_weights(mlp.get_weights())
with tf.GradientTape() as tape:
    keras_loss = keras.losses.MeanSquaredError(dtype="float64")(t_small, model(X_small))
tape_grads = [g.numpy() for g in tape.gradient(keras_loss, model.trainable_weights)]
tape_errors = [scratch.relative_error(g, h) for g, h in zip(ours, tape_grads, strict=True)]
print("same loss:", np.isclose(loss_value, float(keras_loss)))
print(f"largest relative error vs GradientTape below 1e-10: {max(tape_errors) < 1e-10}")
assert max(tape_errors) < 1e-10

# %% [markdown]
# **Reference 2: finite differences.** Nudge every weight by $\pm\varepsilon$ and measure how
# the loss moves: $\partial L / \partial\theta \approx (L(\theta + \varepsilon) - L(\theta -
# \varepsilon)) / 2\varepsilon$. This needs two forward passes per weight (slow, fine for
# testing) and no calculus at all.

# %%
def loss_at(weights):
    return float(np.mean((forward_3_layers(X_small, weights)[2] - t_small) ** 2))


check_error = scratch.gradient_check(loss_at, weights, ours)
print(f"gradient_check relative error below 1e-7: {check_error < 1e-7}")
assert check_error < 1e-7

# %% [markdown]
# ## 6. XOR, solved: a 2-2-1 network bends the space
#
# A single neuron cannot compute XOR (notebook 02). Two hidden units and one output unit
# can, and backpropagation finds the weights: full-batch gradient descent on the mean
# cross-entropy, tanh hidden units, a sigmoid output.
#
# ### Exercise 2 · Implement: the XOR network's backward pass
#
# Write `xor_gradients(X, t, W1, b1, W2, b2)` for the network
# $\mathbf{h} = \tanh(XW_1 + \mathbf{b}_1)$, $\mathbf{y} = \sigma(\mathbf{h}W_2 + b_2)$ and the
# loss $L = -\frac1n \sum_i \big[t_i \ln y_i + (1 - t_i)\ln(1 - y_i)\big]$. `X` has shape
# (n, 2), `t` (n, 1), `W1` (2, h), `b1` (h,), `W2` (h, 1), `b2` (1,); return
# `(dW1, db1, dW2, db2)` with the same shapes as the weights. Two things differ from
# section 5: the loss (section 3 says what the cross-entropy does to the output's
# derivative) and the hidden activation ($\tanh'(a) = 1 - \tanh^2(a)$). `np.tanh` and
# `scratch.sigmoid` are all you need.

# %%
def xor_gradients(X, t, W1, b1, W2, b2):
    ### BEGIN SOLUTION
    h = np.tanh(X @ W1 + b1)
    y = scratch.sigmoid(h @ W2 + b2)
    delta2 = (y - t) / len(X)
    delta1 = (delta2 @ W2.T) * (1 - h**2)
    return X.T @ delta1, delta1.sum(axis=0), h.T @ delta2, delta2.sum(axis=0)
    ### END SOLUTION


# %%
exercises.check_xor_gradients(xor_gradients)

# %% [markdown]
# `scratch.MLP` computes the same gradients. We train it in four stretches and keep a
# snapshot of the hidden layer after each, to watch what training does to the plane.

# %%
X_xor, t_xor = scratch.boolean_gate("XOR")
xor_net = scratch.MLP([2, 2, 1], hidden_activation="tanh", output_activation="sigmoid",
                      loss="binary_cross_entropy", seed=8)
xor_losses, snapshots = [], {}
for epoch, stretch in ((0, 0), (60, 60), (150, 90), (2000, 1850)):
    if stretch:
        xor_losses += xor_net.fit(X_xor, t_xor, num_epochs=stretch, learning_rate=0.5)
    snapshots[epoch] = [w.copy() for w in xor_net.get_weights()]
xor_outputs = xor_net.predict(X_xor)[:, 0]
print("outputs:", xor_outputs.round(2), " targets:", t_xor)
assert np.array_equal((xor_outputs > 0.5).astype(int), t_xor), "the 2-2-1 MLP must solve XOR"

# %% [markdown]
# Not every start succeeds: with `seed=1` the same training gets stuck with two corners at
# 0.5. Even this 9-parameter network has a non-convex loss with poor local minima, one
# reason why wider networks, which have many more ways down, are easier to train.
#
# Where did the difficulty go? The hidden layer maps each input $\mathbf{x}$ to
# $\mathbf{h} = \tanh(W_1^\top\mathbf{x} + \mathbf{b}_1)$. Below, a grid of lines over the
# input square (blue: $x_2$ fixed, orange: $x_1$ fixed) is drawn as the hidden layer sees
# it at four moments of training, with the four corners and the output neuron's line
# (where $y = \tfrac12$).

# %%
def draw_hidden_space(weights, ax):
    """The input grid, the XOR corners and the output's line in the hidden space."""
    net = scratch.MLP([2, 2, 1], hidden_activation="tanh", output_activation="sigmoid")
    net.set_weights(weights)
    s = np.linspace(-0.25, 1.25, 101)
    for v in np.linspace(-0.25, 1.25, 13):
        for line, colour in ((np.column_stack([s, np.full_like(s, v)]), "C0"),
                             (np.column_stack([np.full_like(s, v), s]), "C1")):
            ax.plot(*net.hidden(line).T, color=colour, lw=0.7, alpha=0.7)
    ax.scatter(*net.hidden(X_xor).T, c=t_xor, cmap="coolwarm", s=90, edgecolors="black", zorder=3)
    (v1, v2), c_out = weights[2][:, 0], weights[3][0]
    h1 = np.linspace(-1, 1, 2)
    ax.plot(h1, -(v1 * h1 + c_out) / v2, color="black", lw=1.5)
    return ax.set(xlim=(-1.05, 1.05), ylim=(-1.05, 1.05), xlabel="$h_1$", ylabel="$h_2$")


# %%
fig, axes = plt.subplots(1, 4, figsize=(14, 3.6), layout="constrained")
for ax, (epoch, weights_then) in zip(axes, snapshots.items(), strict=True):
    draw_hidden_space(weights_then, ax)
    ax.set_title(f"hidden space after {epoch} epochs")

# %% [markdown]
# At the start the grid is a gently curved patch with the red corners between the blue
# ones, so no line separates them. Training pulls both hidden units towards the same direction, the sum $x_1 + x_2$
# (one unit fires for "at least one input on", the other for "both on"), and tanh bends
# the squeezed grid into a curve: $(0, 0)$ at one end, $(1, 1)$ at the other, and the two
# red corners, which have the same sum, together at the bend. In the input space the
# network now draws two parallel lines:

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 3.6), layout="constrained")
axes[0].plot(xor_losses)
axes[0].set(title="training loss", xlabel="epoch", yscale="log")
plots.decision_boundary(xor_net.predict, X_xor, t_xor, ax=axes[1], margin=0.4)
axes[1].scatter(*X_xor.T, c=t_xor, cmap="coolwarm", s=120, edgecolors="black", zorder=3)
axes[1].set_title("decision in input space")
print("hidden representation of the 4 corners:\n", xor_net.hidden(X_xor).round(2))

# %% [markdown]
# ## 7. Without a non-linearity, depth buys nothing
#
# Two linear layers compose into one: $(XW_1 + \mathbf{b}_1)W_2 + \mathbf{b}_2 =
# X(W_1W_2) + (\mathbf{b}_1W_2 + \mathbf{b}_2)$. However many layers are stacked, the
# network is a single linear map.

# %%
W_a, b_a, W_b, b_b = rng.normal(size=(2, 5)), rng.normal(size=5), rng.normal(size=(5, 1)), rng.normal(size=1)
two_layers = (X_xor @ W_a + b_a) @ W_b + b_b
one_layer = X_xor @ (W_a @ W_b) + (b_a @ W_b + b_b)
print("two linear layers == one linear layer:", np.allclose(two_layers, one_layer))

# %% [markdown]
# ### Exercise 3 · Predict: where a deep linear network ends on XOR
#
# The next cell trains a 2-8-8-1 network whose hidden layers are *linear* (a sigmoid
# output, the mean cross-entropy, 2000 full-batch steps at learning rate 1) on the four
# XOR corners. Before running it, predict the loss it ends at, to two decimals, and store
# it in `linear_final_loss`. Reason about which function such a network can compute and
# which of those functions fits XOR best.

# %%
### BEGIN SOLUTION
linear_final_loss = 0.69
### END SOLUTION

# %%
exercises.check_linear_xor_loss(linear_final_loss)

# %%
linear_net = scratch.MLP([2, 8, 8, 1], hidden_activation="linear", loss="binary_cross_entropy")
linear_losses = linear_net.fit(X_xor, t_xor, num_epochs=2000, learning_rate=1.0)
linear_outputs = linear_net.predict(X_xor)[:, 0]
print("every output within 0.001 of 1/2:", bool(np.all(np.abs(linear_outputs - 0.5) < 1e-3)))
print(f"final loss ≈ {linear_losses[-1]:.4f}; ln 2 = {np.log(2):.4f}")
assert np.all(np.abs(linear_outputs - 0.5) < 1e-3) and linear_losses[-1] - np.log(2) < 1e-3

# %% [markdown]
# Whatever its 113 weights, the network computes $\sigma(\mathbf{x}^\top\mathbf{w} + b)$ for
# some $\mathbf{w}, b$. No line puts all four corners on the right side, and the labels are
# symmetric: for every corner there is another one with the opposite label that any tilt
# of the line would push the wrong way. The loss is lowest for the line that commits to
# nothing, $\mathbf{w} = 0$, which answers $\tfrac12$ for every input and pays
# $-\ln \tfrac12 = \ln 2$ per example.

# %% [markdown]
# ## 8. Universal approximation
#
# **Theorem** (Cybenko 1989, Hornik 1991, Pinkus 1999). For any continuous $f$ on a compact
# set $K \subset \mathbb{R}^p$, any $\varepsilon > 0$ and any continuous activation that is
# not a polynomial, there is a width $h$ and weights such that one hidden layer gets within
# $\varepsilon$ everywhere on $K$:
# $\;\sup_{\mathbf{x} \in K} \big|f(\mathbf{x}) - \mathbf{w}_2^\top \sigma(W_1\mathbf{x} + \mathbf{b}) - c\big| \le \varepsilon .$
#
# The idea is constructive: each ReLU unit adds one kink, each steep sigmoid one step, and
# enough kinks or steps trace any continuous curve. Below, the hidden units are placed on
# an even grid and only the output weights are fitted (by least squares), so the fit is
# instantaneous. The theorem says nothing about *how many* units, nor whether training
# will find them.

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 3.2), layout="constrained", sharey=True)
max_errors = []
for ax, num_hidden in zip(axes, (2, 6, 20), strict=True):
    x_fit, y_target, y_fit = approximation.fit_one_hidden_layer("sine", num_hidden, "relu")
    max_errors.append(np.abs(y_target - y_fit).max())
    ax.plot(x_fit, y_target, color="black", alpha=0.4, lw=2)
    ax.plot(x_fit, y_fit, color="C3")
    ax.set_title(f"{num_hidden} ReLU units: largest error {max_errors[-1]:.3f}")
assert max_errors[0] > max_errors[1] > max_errors[2] and max_errors[2] < 0.01

# %% [markdown]
# Try other targets and activations. The *step* is not continuous, and its largest error
# never drops below 0.5 however many units you add (the root-mean-square error still shrinks).

# %%
# NBVAL_IGNORE_OUTPUT
widgets.approximation_explorer()

# %% [markdown]
# Networks are not the only universal approximators. A support vector machine with a
# Gaussian (RBF) kernel, a random forest and gradient-boosted trees can also get within
# any $\varepsilon$ of a continuous function on a compact set, given enough capacity:
# smaller margins and a larger $C$ for the SVM, more and deeper trees for the others. The
# theorem therefore does not explain why deep networks win on images, sound and text;
# what does is how *economically* they represent the functions that matter there
# (section 9) and how well gradient descent finds them. The same sine, fitted by
# scikit-learn's three models with little and with ample capacity, measured between the
# training points:

# %%
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.svm import SVR

x_fit, y_target, _ = approximation.fit_one_hidden_layer("sine", 2, "relu")
x_between = np.linspace(x_fit.min(), x_fit.max(), 1601)
approximators = {
    "SVM (RBF)": (SVR(C=0.1, epsilon=0.1), SVR(C=100.0, epsilon=0.001)),
    "random forest": (RandomForestRegressor(3, max_depth=2, random_state=0),
                      RandomForestRegressor(50, random_state=0)),
    "boosted trees": (GradientBoostingRegressor(n_estimators=5, random_state=0),
                      GradientBoostingRegressor(n_estimators=300, random_state=0)),
}

# %%
for name, (small, large) in approximators.items():
    errors = [np.abs(m.fit(x_fit[:, None], y_target).predict(x_between[:, None])
                     - np.sin(x_between)).max() for m in (small, large)]
    print(f"{name:<14} largest error ≈ {errors[0]:.2f} small, ≈ {errors[1]:.3f} large")
    outcomes.expect(f"{name}: large model's largest error", errors[1], at_most=0.05)

# %% [markdown]
# ## 9. Depth versus width
#
# One hidden layer suffices in principle, but some functions need exponentially many units
# in one layer and only a few per layer in a deep network. The classic example is a
# sawtooth. The "tent" $g(x) = 2\,\mathrm{relu}(x) - 4\,\mathrm{relu}(x - \tfrac12)$ rises
# and falls once on $[0, 1]$; it is a layer of two ReLU units. Composing it $k$ times,
# $g \circ g \circ \dots \circ g$, doubles the teeth at every layer: $2^k$ linear pieces from
# $k$ layers of 2 units. One hidden layer of $n$ ReLU units has at most $n + 1$ pieces
# (one kink per unit), so it needs $2^k - 1$ units for the same function.

# %%
def tent_network(x, depth):
    """depth blocks of (dense 1->2, ReLU, dense 2->1), built from the scratch layers."""
    out = x.reshape(-1, 1)
    for _ in range(depth):
        hidden, _ = scratch.dense_forward(out, np.array([[1.0, 1.0]]), np.array([0.0, -0.5]))
        out, _ = scratch.dense_forward(scratch.relu(hidden), np.array([[2.0], [-4.0]]), np.zeros(1))
    return out[:, 0]


x_saw = np.linspace(0, 1, 2**12 + 1)
pieces = {}
for depth in range(1, 7):
    slopes = np.sign(np.diff(tent_network(x_saw, depth)))
    pieces[depth] = 1 + int(np.count_nonzero(np.diff(slopes)))
    deep_params = 4 + 6 * (depth - 1) + 3    # 1->2, then (depth-1) merged 2->2, then 2->1
    shallow_params = 3 * (2**depth - 1) + 1  # 2**depth - 1 units: 3 weights each, + 1 bias
    print(f"depth {depth}: {pieces[depth]:3d} pieces | deep net {deep_params:3d} parameters "
          f"| one hidden layer needs >= {shallow_params:3d}")
assert all(pieces[depth] == 2**depth for depth in pieces)

# %%
fig, ax = plt.subplots(figsize=(8, 2.6))
for depth in (1, 2, 4):
    ax.plot(x_saw, tent_network(x_saw, depth), label=f"{depth} layer(s): {pieces[depth]} pieces")
legend = ax.legend(loc="upper right", fontsize=8)

# %% [markdown]
# The same holds for parity on $n$ bits, which the lectures cite (Håstad): a circuit with a
# few layers needs exponentially many units, a deep one only polynomially many.

# %% [markdown]
# ## 10. Playground
#
# Time to train real networks with Keras. Pick a dataset, a number of hidden layers and
# units, an activation and a learning rate, then press **Train**: a fresh network is
# trained for 300 minibatch steps with Adam, and the decision boundary and the loss curve
# are redrawn. Try: no hidden layer on the circles (a line cannot do it); one layer of 2
# units versus 4; linear activations with several layers (still a line); the spirals.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.network_playground()

# %% [markdown]
# The button runs `playground.train_playground`, which you can also call directly. Without a
# hidden layer the circles defeat the network; four tanh units bend the boundary into a ring.

# %%
num_steps = report.profile.pick(quick=300, full=1000)
no_hidden = playground.train_playground("circles", hidden_layers=0, units=1, num_steps=num_steps)
one_hidden = playground.train_playground("circles", hidden_layers=1, units=4, activation="tanh",
                                         num_steps=num_steps)
outcomes.expect("no hidden layer: training accuracy", no_hidden.accuracy, at_most=0.7)
outcomes.expect("4 tanh units   : training accuracy", one_hidden.accuracy, at_least=0.9)

# %%
fig = playground.render_playground(one_hidden)

# %% [markdown]
# ## 11. A checkerboard
#
# Nine squares with alternating labels, 1,000 training points and 2,000 other points to
# measure on. Each hidden unit of a first layer draws one line; nine squares need several
# lines and a way to combine them.

# %%
X_board, t_board = data.checkerboard(**exercises.CHECKERBOARD_TRAIN)
fig, ax = plt.subplots(figsize=(3.6, 3.6))
ax.scatter(*X_board.T, c=t_board[:, 0], cmap="coolwarm", s=6)
ax.set(title="checkerboard: 1,000 training points", aspect="equal")
print("points per class:", np.bincount(t_board[:, 0].astype(int)))

# %% [markdown]
# ### Exercise 4 · Model: a network for the checkerboard
#
# Choose the settings of a `scratch.MLP` (sigmoid output, binary cross-entropy, minibatch
# gradient descent, seed 0) that reach **at least 96 % accuracy on the 2,000 held-out
# points** with **at most 400 parameters**, **at most 100 epochs** and batches of **at
# least 8** points (`None` for full batches). `layer_sizes` starts with 2 inputs and ends
# with 1 output; `activation` is one of `"tanh"`, `"relu"`, `"sigmoid"`, `"leaky_relu"`,
# `"elu"`, `"arctan"` or `"linear"`. The check trains your network (about a second) and
# measures it; try a few settings.

# %%
### BEGIN SOLUTION
layer_sizes = [2, 10, 10, 1]
activation = "tanh"
learning_rate = 0.5
batch_size = 16
num_epochs = 100
### END SOLUTION

# %%
exercises.check_checkerboard(layer_sizes, activation, learning_rate, batch_size, num_epochs)

# %% [markdown]
# ## Summary
#
# - Backpropagation is the chain rule applied to a computational graph in reverse order;
#   each node multiplies the incoming gradient by its local derivative.
# - A neuron's gradient is (loss derivative) $\times$ $\sigma'(a)$ $\times$ input; with a sigmoid
#   and cross-entropy the $\sigma'$ cancels, so wrong confident neurons still learn.
# - A dense layer's weight gradient is a sum of outer products $\mathbf{x}\mathbf{v}^\top$;
#   its input gradient is $\mathbf{v}$ sent back through $W^\top$.
# - Hand-written gradients are checked against `tf.GradientTape` and finite differences;
#   relative errors near $10^{-10}$ mean the backward pass is right.
# - The backward pass of a network repeats two moves per layer, from the top down:
#   $\Delta_k = (\Delta_{k+1} W_{k+1}^\top) \odot \sigma'(A_k)$, then
#   $\nabla_{W_k} L = H_{k-1}^\top \Delta_k$. A variable used along several paths
#   receives the sum of their gradients.
# - A hidden layer bends the space so that XOR becomes linearly separable; without the
#   non-linearity, extra layers collapse into one, and on XOR it ends at $\ln 2$.
# - One hidden layer can approximate any continuous function (so can SVMs, forests and
#   boosted trees), but depth can be exponentially more economical (the sawtooth).
#
# ## Further reading
#
# - D. Rumelhart, G. Hinton and R. Williams (1986), *Learning representations by
#   back-propagating errors*, Nature 323.
# - Y. LeCun, L. Bottou, G. Orr and K.-R. Müller (1998), *Efficient BackProp*.
# - G. Cybenko (1989), *Approximation by superpositions of a sigmoidal function*;
#   A. Pinkus (1999), *Approximation theory of the MLP model in neural networks*, Acta Numerica.
# - M. Telgarsky (2016), *Benefits of depth in neural networks*, COLT.
# - I. Steinwart (2001), *On the influence of the kernel on the consistency of support vector
#   machines*, JMLR 2 (Gaussian kernels are universal).
# - D. Smilkov and S. Carter, *TensorFlow Playground*, playground.tensorflow.org.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, sections 6.4 and 6.5.

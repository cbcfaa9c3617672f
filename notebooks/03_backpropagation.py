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
# - draw a computational graph and push gradients backwards through it by hand;
# - derive the gradient of a single neuron for the squared loss and the cross-entropy;
# - write a dense layer's backward pass (an outer product) and backpropagate through a
#   3-layer network, checked against `tf.GradientTape` and finite differences;
# - explain how a hidden layer "bends" the input space, why stacked linear layers gain
#   nothing, what the universal approximation theorem promises, and why depth helps.
#
# **Expected run time:** about 10 s on a 2-core laptop without a GPU.

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

from course_lib import outcomes, plots, scratch, widgets
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
# ### Exercise 1 · A single neuron's gradient
#
# Write `neuron_gradient(x, t, w, b)` returning `(dw, db)`, the gradient of
# $L = \tfrac12(\sigma(\mathbf{w}^\top\mathbf{x} + b) - t)^2$ for a sigmoid neuron and one
# example. You may use `scratch.sigmoid` and `scratch.sigmoid_derivative`.

# %%
def neuron_gradient(x, t, w, b):
    ### BEGIN SOLUTION
    a = w @ x + b
    delta = (scratch.sigmoid(a) - t) * scratch.sigmoid_derivative(a)
    return delta * x, delta
    ### END SOLUTION


# %%
exercises.check_neuron_gradient(neuron_gradient)

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
# ### Exercise 2 · Counting a dense layer's parameters
#
# A dense layer from $n_\text{in}$ inputs to $n_\text{out}$ units has a kernel and a bias.
# Write `dense_parameter_count(n_in, n_out)`.

# %%
def dense_parameter_count(n_in, n_out):
    ### BEGIN SOLUTION
    return n_in * n_out + n_out
    ### END SOLUTION


# %%
exercises.check_dense_parameter_count(dense_parameter_count)

# %% [markdown]
# Keras agrees: a layer from 784 pixels to 10 classes has

# %%
layer = keras.layers.Dense(10)
layer.build((None, 784))
print(layer.count_params(), "parameters;", scratch.dense_parameter_count(784, 10), "by the formula")

# %% [markdown]
# ### Exercise 3 · The dense layer's backward pass
#
# Write `dense_backward(dout, cache)` where `cache = (x, W)` was saved by the forward pass
# `out = x @ W + b`. Return `(dx, dW, db)` with the shapes of `x`, `W` and `b`.

# %%
def dense_backward(dout, cache):
    ### BEGIN SOLUTION
    x, W = cache
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)
    ### END SOLUTION


# %%
exercises.check_dense_backward(dense_backward)

# %% [markdown]
# ## 5. Backpropagation through a 3-layer network
#
# Stack layers, $\mathbf{h}^{(1)} = \sigma(W_1^\top\mathbf{x})$,
# $\mathbf{h}^{(2)} = \sigma(W_2^\top\mathbf{h}^{(1)})$, $y = \sigma(W_3^\top\mathbf{h}^{(2)})$
# (biases omitted here), and the chain rule runs from the top down, each layer reusing the
# gradient the layer above sent it:
#
# $$\nabla_{W_3} J = \mathbf{h}^{(2)}\,\big[(y - t)\,\sigma'(a_3)\big]^\top, \quad
#   \nabla_{\mathbf{h}^{(2)}} J = W_3 \big[(y - t)\,\sigma'(a_3)\big], \quad
#   \nabla_{W_2} J = \mathbf{h}^{(1)}\,\big[\nabla_{\mathbf{h}^{(2)}} J \odot \sigma'(\mathbf{a}_2)\big]^\top, \ \dots$$
#
# `scratch.MLP` chains `dense_backward` and the activation's derivative exactly like this.
# We build a 3-8-6-1 sigmoid network with squared loss and compare its gradients with two
# independent references.

# %%
mlp = scratch.MLP([3, 8, 6, 1], hidden_activation="sigmoid", output_activation="sigmoid",
                  loss="mse", seed=1)
X_small = rng.normal(size=(16, 3))
t_small = (X_small.sum(axis=1, keepdims=True) > 0).astype(float)
loss_value, grads = mlp.loss_and_gradients(X_small, t_small)
ours = [g for pair in grads for g in pair]         # [dW1, db1, dW2, db2, dW3, db3]
print(f"loss = {loss_value:.4f}; gradient shapes:", [g.shape for g in ours])

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
    probe = scratch.MLP([3, 8, 6, 1], hidden_activation="sigmoid", loss="mse")
    probe.set_weights(weights)
    return probe.loss_and_gradients(X_small, t_small)[0]


check_error = scratch.gradient_check(loss_at, mlp.get_weights(), ours)
print(f"gradient_check relative error below 1e-7: {check_error < 1e-7}")
assert check_error < 1e-7

# %% [markdown]
# ## 6. XOR, solved: a 2-2-1 network bends the space
#
# A single neuron cannot compute XOR (notebook 02). Two hidden units and one output unit
# can, and backpropagation finds the weights: full-batch gradient descent on the
# cross-entropy, tanh hidden units, sigmoid output.

# %%
X_xor, t_xor = scratch.boolean_gate("XOR")
xor_net = scratch.MLP([2, 2, 1], hidden_activation="tanh", output_activation="sigmoid",
                      loss="binary_cross_entropy", seed=0)
xor_losses = xor_net.fit(X_xor, t_xor, num_epochs=2000, learning_rate=1.0)
xor_outputs = xor_net.predict(X_xor)[:, 0]
print("outputs:", xor_outputs.round(2), " targets:", t_xor)
assert np.array_equal((xor_outputs > 0.5).astype(int), t_xor), "the 2-2-1 MLP must solve XOR"

# %% [markdown]
# Not every start succeeds: with `seed=1` the same training gets stuck with two corners at
# 0.5. Even this 9-parameter network has a non-convex loss with poor local minima, one
# reason why wider networks, which have many more ways down, are easier to train.

# %% [markdown]
# Where did the difficulty go? The hidden layer maps each input $\mathbf{x}$ to
# $\mathbf{h} = \tanh(W_1^\top\mathbf{x} + \mathbf{b}_1)$. The middle panel shows a grid
# of input points as the hidden layer sees them: the plane is squeezed into the square
# $[-1, 1]^2$ and **folded**, so that the two "0" corners, $(0, 0)$ and $(1, 1)$, land almost
# on top of each other while the two "1" corners go to opposite ends. In that bent space
# the classes are linearly separable, and the output neuron, a plain linear classifier,
# draws the black line.

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), layout="constrained")
axes[0].plot(xor_losses)
axes[0].set(title="training loss", xlabel="epoch", yscale="log")
plots.decision_boundary(xor_net.predict, X_xor, t_xor, ax=axes[2], margin=0.4)
axes[2].scatter(*X_xor.T, c=t_xor, cmap="coolwarm", s=120, edgecolors="black", zorder=3)
axes[2].set_title("decision in input space")
side = np.linspace(-0.5, 1.5, 60)                    # a grid over the input plane...
plane = np.array(np.meshgrid(side, side)).reshape(2, -1).T
hidden_plane = xor_net.hidden(plane)                  # ...as the hidden layer sees it
axes[1].scatter(hidden_plane[:, 0], hidden_plane[:, 1], s=3, cmap="coolwarm", alpha=0.3,
                c=(xor_net.predict(plane)[:, 0] > 0.5).astype(int))
hidden_xor = xor_net.hidden(X_xor)
axes[1].scatter(hidden_xor[:, 0], hidden_xor[:, 1], c=t_xor, cmap="coolwarm", s=80,
                edgecolors="black", zorder=3, alpha=0.8)
(v1, v2), c_out = xor_net.params[1][0][:, 0], xor_net.params[1][1][0]
h1 = np.linspace(-1, 1, 2)
axes[1].plot(h1, -(v1 * h1 + c_out) / v2, color="black", lw=1.5)
axes[1].set(title="hidden space: the output's line", xlabel="$h_1$", ylabel="$h_2$",
            xlim=(-1.05, 1.05), ylim=(-1.05, 1.05))
print("hidden representation of the 4 corners:\n", hidden_xor.round(2))

# %% [markdown]
# ## 7. Without a non-linearity, depth buys nothing
#
# Two linear layers compose into one: $(XW_1 + \mathbf{b}_1)W_2 + \mathbf{b}_2 =
# X(W_1W_2) + (\mathbf{b}_1W_2 + \mathbf{b}_2)$. However many layers are stacked, the
# network is a single linear map, and the XOR problem stays out of reach.

# %%
W_a, b_a, W_b, b_b = rng.normal(size=(2, 5)), rng.normal(size=5), rng.normal(size=(5, 1)), rng.normal(size=1)
two_layers = (X_xor @ W_a + b_a) @ W_b + b_b
one_layer = X_xor @ (W_a @ W_b) + (b_a @ W_b + b_b)
print("two linear layers == one linear layer:", np.allclose(two_layers, one_layer))

# %% [markdown]
# Train a deep but linear 2-8-8-1 network on XOR with cross-entropy and watch where it
# ends. Whatever its 113 weights, it computes $\sigma(\mathbf{x}^\top\mathbf{w} + b)$
# for some $\mathbf{w}, b$. No line puts all four corners on the right side, and the
# labels are symmetric: for every corner there is another one with the opposite label that
# any tilt of the line would push the wrong way. The loss is lowest for the line that
# commits to nothing, $\mathbf{w} = 0$, which answers $\tfrac12$ for every input and pays
# $-\ln \tfrac12 = \ln 2$ per example.

# %%
linear_net = scratch.MLP([2, 8, 8, 1], hidden_activation="linear", loss="binary_cross_entropy")
linear_losses = linear_net.fit(X_xor, t_xor, num_epochs=2000, learning_rate=1.0)
linear_outputs = linear_net.predict(X_xor)[:, 0]
print("every output within 0.001 of 1/2:", bool(np.all(np.abs(linear_outputs - 0.5) < 1e-3)))
print(f"final loss ≈ {linear_losses[-1]:.4f}; ln 2 = {np.log(2):.4f}")
assert np.all(np.abs(linear_outputs - 0.5) < 1e-3) and linear_losses[-1] - np.log(2) < 1e-3

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
# - A hidden layer bends the space so that XOR becomes linearly separable; without the
#   non-linearity, extra layers collapse into one.
# - One hidden layer can approximate any continuous function, but depth can be
#   exponentially more economical (the sawtooth).
#
# ## Further reading
#
# - D. Rumelhart, G. Hinton and R. Williams (1986), *Learning representations by
#   back-propagating errors*, Nature 323.
# - Y. LeCun, L. Bottou, G. Orr and K.-R. Müller (1998), *Efficient BackProp*.
# - G. Cybenko (1989), *Approximation by superpositions of a sigmoidal function*;
#   A. Pinkus (1999), *Approximation theory of the MLP model in neural networks*, Acta Numerica.
# - M. Telgarsky (2016), *Benefits of depth in neural networks*, COLT.
# - D. Smilkov and S. Carter, *TensorFlow Playground*, playground.tensorflow.org.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, sections 6.4 and 6.5.

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
# # 06 · Convolution
#
# **Purpose:** understand the operation at the heart of convolutional networks, from a
# 5×5 example by hand to its gradients, and see what classic masks do to a real photo.
#
# **After this notebook you can**
# - compute a cross-correlation by hand and tell it apart from a convolution;
# - predict the output size of a convolution from padding and stride;
# - read what blur, emboss, Laplacian-of-Gaussian and Gaussian masks do to an image;
# - count the parameters of a multi-channel convolution layer;
# - explain max, average, sum and stochastic pooling and the small translation
#   invariance they bring;
# - work out how far a unit deep in a network sees: its receptive field;
# - backpropagate through a convolution and a max-pooling layer, and check it against Keras;
# - learn a mask from examples by gradient descent.
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
import tensorflow as tf
from scipy import signal

from course_lib import data, filters, scratch, widgets
from course_lib.exercises import convolution as exercises

# %% [markdown]
# ## 2. Convolution and cross-correlation
#
# In the continuous world the convolution of two functions is
# $(f * g)(\mathbf{p}) = \int f(\mathbf{p} - \mathbf{y})\, g(\mathbf{y})\, d\mathbf{y}$.
# For an image $f$ and a small mask $g$ of size $K \times L$, the discrete version flips
# the mask before sliding it:
#
# $$h[x, y] = \sum_{i=0}^{K-1} \sum_{j=0}^{L-1} f[x - i, y - j]\; g[i, j].$$
#
# A convolutional layer does *not* flip: it computes the **cross-correlation**
#
# $$h[x, y] = \sum_{i=0}^{K-1} \sum_{j=0}^{L-1} f[x + i, y + j]\; g[i, j],$$
#
# a weighted sum of the neighbourhood under the mask. Since the mask is learned, flipping
# or not makes no difference to what a network can represent; deep-learning libraries
# keep the name "convolution" for the unflipped version. Here is the lecture's example:

# %%
image = np.array([[3, 3, 2, 1, 0],
                  [0, 0, 1, 3, 1],
                  [3, 1, 2, 2, 3],
                  [2, 0, 0, 2, 2],
                  [2, 0, 0, 0, 1]], dtype=float)
mask = np.array([[0, 1, 2],
                 [2, 2, 0],
                 [0, 1, 2]], dtype=float)

# %% [markdown]
# The top-left output is the sum of the top-left 3×3 block times the mask, element by
# element: $3\cdot0 + 3\cdot1 + 2\cdot2 + 0\cdot2 + 0\cdot2 + 1\cdot0 + 3\cdot0 + 1\cdot1 + 2\cdot2 = 12$.

# %%
print((image[:3, :3] * mask).sum())

# %% [markdown]
# Our from-scratch layer works on batches of multi-channel images (layout
# `(batch, height, width, channels)`, the one Keras uses), so the example gets two extra axes:

# %%
output, _ = scratch.conv2d_forward(image[None, :, :, None], mask[:, :, None, None])
print(output[0, :, :, 0])
assert np.array_equal(output[0, :, :, 0], [[12, 12, 17], [10, 17, 19], [9, 6, 14]])

# %% [markdown]
# SciPy has both operations. Its `correlate2d` agrees with us; `convolve2d` flips the mask
# and gives a different answer, except for masks that are symmetric under a half turn.

# %%
print(signal.correlate2d(image, mask, mode="valid"))
print(signal.convolve2d(image, mask, mode="valid"))
print(np.array_equal(signal.convolve2d(image, mask[::-1, ::-1], mode="valid"), output[0, :, :, 0]))

# %% [markdown]
# ## 3. Padding, stride and the output size
#
# A $k \times k$ mask fits in $n - k + 1$ positions along an axis of $n$ pixels, so each
# layer shrinks the image. Two knobs change that:
#
# - **padding** $p$ adds $p$ rows/columns of zeros on each side ("same" padding chooses
#   $p$ so that the size is kept);
# - **stride** $s$ moves the mask $s$ pixels at a time, dividing the size by about $s$.
#
# $$n_\text{out} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1 .$$

# %%
lines = []
for padding in ("valid", "same"):
    for stride in (1, 2):
        out, _ = scratch.conv2d_forward(image[None, :, :, None], mask[:, :, None, None],
                                        stride=stride, padding=padding)
        keras_out = keras.layers.Conv2D(1, 3, strides=stride, padding=padding)(image[None, :, :, None])
        lines.append(f"{padding:>5}, stride {stride}: scratch {out.shape[1:3]}, Keras {tuple(keras_out.shape[1:3])}")
print("\n".join(lines))

# %% [markdown]
# With stride 2 and "same" padding the 5×5 image becomes 3×3: every other position of
# the padded image.

# %%
out, _ = scratch.conv2d_forward(image[None, :, :, None], mask[:, :, None, None], stride=2, padding="same")
print(out[0, :, :, 0])

# %% [markdown]
# ### Exercise 1 · Predict: the map sizes through a stack
#
# A 30×30 image goes through four layers, in this order:
#
# 1. `Conv2D(8, 5)` (valid padding, stride 1);
# 2. `MaxPooling2D(2)` (2×2 squares, stride 2);
# 3. `Conv2D(16, 3, strides=2, padding="same")`;
# 4. `Conv2D(16, 3, strides=2)` (valid padding).
#
# Before running anything, predict the side of the maps after each layer and write the
# four numbers in `sizes`. Keras's "same" pads just enough zeros that every position the
# stride reaches gets an output; work out what that means for an odd side.

# %%
### BEGIN SOLUTION
sizes = [26, 13, 7, 3]
### END SOLUTION

# %%
exercises.check_stack_sizes(sizes)

# %% [markdown]
# Keras agrees (run this after the check):

# %%
stack = keras.Sequential([
    keras.Input((30, 30, 1)),
    keras.layers.Conv2D(8, 5),
    keras.layers.MaxPooling2D(2),
    keras.layers.Conv2D(16, 3, strides=2, padding="same"),
    keras.layers.Conv2D(16, 3, strides=2),
])
print([layer.output.shape[1] for layer in stack.layers])

# %% [markdown]
# ## 4. Masks on a real photo
#
# Before networks learned their masks, image processing designed them by hand. Each one
# is a small weighted neighbourhood sum:
#
# - **blur**: all nine weights $1/9$, a local average;
# - **emboss**: $+2$ on one corner, $-1$ on the centre and the opposite corner, a
#   directional difference that makes edges look raised;
# - **Laplacian of Gaussian** (5×5): a positive centre and a negative ring, large where
#   brightness changes in every direction (edges, spots), near zero in flat regions;
# - **Gaussian**: weights $\propto \exp\!\big(-(i^2+j^2)/(2\sigma^2)\big)$, a smooth blur that
#   weighs near pixels more.

# %%
photo = data.load_photo("grace_hopper", gray=True, max_side=200)
names = ["blur", "emboss", "laplacian of gaussian", "gaussian"]
fig, axes = plt.subplots(1, 5, figsize=(12, 3))
axes[0].imshow(photo, cmap="gray")
axes[0].set_title("photo")
for ax, name in zip(axes[1:], names, strict=True):
    ax.imshow(filters.for_display(filters.apply(photo, filters.get(name))), cmap="gray", vmin=0, vmax=1)
    ax.set_title(name)
for ax in axes:
    ax.set_axis_off()

# %% [markdown]
# The size of the mask sets the scale: a 7×7 average mixes pixels three steps away and
# blurs much more than a 3×3 one.

# %%
fig, axes = plt.subplots(1, 3, figsize=(9, 3))
for ax, size in zip(axes, (3, 5, 7), strict=True):
    ax.imshow(filters.apply(photo[60:140, 60:140], filters.box(size)), cmap="gray")
    ax.set_title(f"{size}x{size} average")
    ax.set_axis_off()

# %% [markdown]
# The masks that blur sum to 1 (they keep the average brightness); the ones that detect
# edges sum to 0 (a flat region gives 0):

# %%
for name in filters.MASKS:
    print(f"{name:<24} sum of weights = {filters.get(name).sum():+.2f}")

# %% [markdown]
# ### Explore
#
# Pick a mask, or choose "custom" and type your own 3×3 weights. Try a mask that sums to
# 0, one that sums to 2, and the transpose of the vertical-edge mask.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.filter_explorer(photo)

# %% [markdown]
# ### Exercise 2 · Implement: the mask $[-1 \;\; 1]$ (lecture exercise 4)
#
# Slide the 1×2 mask $[-1 \;\; 1]$ over an image without padding: each output is
# $-1 \cdot f[x, y] + 1 \cdot f[x, y+1]$. Write `apply_difference_mask(image)` for a 2-D
# array `image`. Then look at what it does to the photo: which edges light up?

# %%
def apply_difference_mask(image):
    ### BEGIN SOLUTION
    return image[:, 1:] - image[:, :-1]
    ### END SOLUTION


# %%
exercises.check_apply_difference_mask(apply_difference_mask)

# %% [markdown]
# The same mask through our convolution layer gives the same numbers, on a small image
# with a vertical edge between two flat regions:

# %%
step = np.array([[0, 0, 0, 5, 5, 5]] * 3, dtype=float)
response, _ = scratch.conv2d_forward(step[None, :, :, None], np.array([[-1.0, 1.0]])[:, :, None, None])
print(response[0, :, :, 0])

# %% [markdown]
# It is a horizontal derivative: zero on flat regions, large where brightness changes
# from left to right. It responds to **vertical edges** and ignores horizontal ones.

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 3.2))
responses = {"[-1 1]": filters.apply(photo, np.array([[-1.0, 1.0]])),
             "its transpose": filters.apply(photo, np.array([[-1.0], [1.0]]))}
for ax, (name, values) in zip(axes, responses.items(), strict=True):
    ax.imshow(np.abs(values), cmap="magma")
    ax.set_title(f"|{name}|")
    ax.set_axis_off()

# %% [markdown]
# ## 5. Several channels in, several maps out
#
# A colour image has $A = 3$ channels, and a hidden layer may have dozens. A kernel then
# spans all input channels: it is a $k \times k \times A$ block, and its output at a pixel
# sums over the three axes. A layer learns $B$ such kernels, each with one bias, and
# produces $B$ maps:
#
# $$\text{parameters} = (k \cdot k \cdot A + 1) \cdot B .$$
#
# The count does not depend on the image size: that is weight sharing.

# %%
rng = np.random.default_rng(0)
colour = data.load_photo("china", max_side=120)[None]
kernels = rng.normal(size=(3, 3, 3, 4))
maps, _ = scratch.conv2d_forward(colour, kernels, np.zeros(4), padding="same")
print("input", colour.shape, "-> output", maps.shape)

# %%
layer = keras.layers.Conv2D(4, 3, padding="same")
layer.build(colour.shape)
layer.set_weights([kernels.astype("float32"), np.zeros(4, "float32")])
print("Keras parameters:", layer.count_params())
print("same maps as Keras:", np.allclose(layer(colour.astype("float32")), maps, atol=1e-4))

# %% [markdown]
# ## 6. Pooling
#
# A pooling layer shrinks each map separately: it replaces every $p \times p$ square
# (usually non-overlapping, stride $p$) by its **maximum** or its **average**. It has no
# parameters. It reduces the work of later layers, widens their field of view, and makes
# the output less sensitive to small shifts of the input.

# %%
x = np.array([[1, 3, 2, 0],
              [4, 2, 1, 5],
              [0, 1, 7, 2],
              [3, 2, 6, 1]], dtype=float)[None, :, :, None]
max_out, max_cache = scratch.maxpool2d_forward(x, 2)
avg_out, _ = scratch.avgpool2d_forward(x, 2)
print("max pooling:\n", max_out[0, :, :, 0], "\naverage pooling:\n", avg_out[0, :, :, 0])

# %% [markdown]
# The lectures list two more. **Sum pooling** adds the $p^2$ values of a square: it is
# average pooling times $p^2$, so a network can use either (the next layer's weights
# absorb the factor). **Stochastic pooling** (Zeiler and Fergus, 2013) picks one value
# per square at random during training, value $a_i$ with probability
# $p_i = a_i / \sum_j a_j$ (the activations are non-negative, after a ReLU): large values
# win most often, but not always, which regularises like dropout. At test time it uses
# the expected value $\sum_i p_i a_i$ instead of a sample.

# %%
squares = x[0, :, :, 0].reshape(2, 2, 2, 2).swapaxes(1, 2).reshape(2, 2, 4)  # the four 2x2 squares
sum_out = squares.sum(axis=-1)
probabilities = squares / squares.sum(axis=-1, keepdims=True)
sample_rng = np.random.default_rng(0)
picks = np.array([[sample_rng.choice(4, p=probabilities[i, j]) for j in range(2)] for i in range(2)])
stochastic_out = np.take_along_axis(squares, picks[..., None], axis=-1)[..., 0]
expected_out = (probabilities * squares).sum(axis=-1)
print("sum pooling:\n", sum_out, "\none stochastic sample:\n", stochastic_out,
      "\nstochastic pooling at test time:\n", expected_out.round(2))
assert np.allclose(sum_out, 4 * avg_out[0, :, :, 0])

# %% [markdown]
# **Translation invariance, measured.** Take a digit, shift it one pixel to the right,
# and compare the edge maps of both versions before and after a 4×4 max pooling. The
# raw maps move with the digit; many pooled values do not change, because the maximum of
# a square survives as long as it stays inside the square.

# %%
(x_train, y_train), _ = data.load_mnist()
digit = x_train[:1].astype(float)
shifted = np.roll(digit, 1, axis=2)
edge = filters.get("vertical edges (sobel)")[:, :, None, None]
raw = [scratch.conv2d_forward(d, edge, padding="same")[0] for d in (digit, shifted)]
pooled = [scratch.maxpool2d_forward(np.abs(r), 4)[0] for r in raw]

# %%
def relative_change(a, b):
    return np.abs(a - b).sum() / np.abs(a).sum()


print(f"change of the raw edge map    : {relative_change(np.abs(raw[0]), np.abs(raw[1])):.2f}")
print(f"change after 4x4 max pooling  : {relative_change(pooled[0], pooled[1]):.2f}")
assert relative_change(pooled[0], pooled[1]) < relative_change(np.abs(raw[0]), np.abs(raw[1]))

# %%
fig, axes = plt.subplots(1, 4, figsize=(9, 2.4))
panels = [np.abs(raw[0]), np.abs(raw[1]), pooled[0], pooled[1]]
for ax, panel, title in zip(axes, panels, ["edges", "edges, shifted", "pooled", "pooled, shifted"], strict=True):
    ax.imshow(panel[0, :, :, 0], cmap="magma")
    ax.set_title(title)
    ax.set_axis_off()

# %% [markdown]
# **The receptive field grows with depth.** A unit of the first 3×3 layer sees 3×3
# pixels. A unit of a second 3×3 layer sees 3×3 units of the first, which together cover
# 5×5 pixels; each further stride-1 layer adds $k - 1$ pixels. A layer that downsamples
# (pooling, or a stride $s$) multiplies what every later layer adds, because one step in
# its output is $s$ pixels in its input. With $r_0 = 1$ and $j_0 = 1$ (one step = one pixel):
#
# $$r_l = r_{l-1} + (k_l - 1)\, j_{l-1}, \qquad j_l = j_{l-1}\, s_l .$$
#
# Following LeNet-5 (5×5 convolutions, 2×2 subsampling) through its layers:

# %%
def receptive_fields(layers):
    """Receptive field after each (name, kernel, stride) layer, in input pixels."""
    field, jump, fields = 1, 1, {}
    for name, kernel, stride in layers:
        field += (kernel - 1) * jump
        jump *= stride
        fields[name] = field
    return fields


lenet_layers = [("C1", 5, 1), ("S2", 2, 2), ("C3", 5, 1), ("S4", 2, 2), ("C5", 5, 1)]
print(receptive_fields(lenet_layers))
print("five 3x3 layers:", receptive_fields([(f"conv{i}", 3, 1) for i in range(1, 6)]))

# %% [markdown]
# A unit of C5 sees 32×32 pixels, LeNet-5's whole input: three small layers and two
# poolings are enough for the last convolution to look at the entire digit. Without
# pooling, five 3×3 layers only reach 11×11. The same count, on maps, explains why deep
# networks of small kernels (VGG's stacks of 3×3, notebook 07) see as far as one large
# kernel with fewer parameters: two 3×3 layers cover 5×5 with $2 \cdot 9 = 18$ weights
# per channel pair instead of 25.

# %% [markdown]
# The gradient says the same thing: the pixels that can change the output of one C5 unit
# are those where its gradient with respect to the input is not zero.

# %%
lenet_features = keras.Sequential([
    keras.Input((32, 32, 1)),
    keras.layers.Conv2D(6, 5, activation="tanh"),    # C1
    keras.layers.AveragePooling2D(2),                # S2
    keras.layers.Conv2D(16, 5, activation="tanh"),   # C3
    keras.layers.AveragePooling2D(2),                # S4
    keras.layers.Conv2D(120, 5, activation="tanh"),  # C5
])
probe = tf.constant(np.random.default_rng(1).normal(size=(1, 32, 32, 1)), dtype="float32")
with tf.GradientTape() as tape:
    tape.watch(probe)
    c5_unit = lenet_features(probe)[0, 0, 0, 0]
seen = tape.gradient(c5_unit, probe).numpy()
print("C5 maps:", lenet_features.layers[-1].output.shape[1:3], "| input pixels one C5 unit depends on:",
      np.count_nonzero(seen), "of", seen.size)

# %% [markdown]
# ## 7. Backpropagation through a convolution
#
# Take the lecture's layer: a 2×2 mask with bias, stride 1, no padding, activation $f$:
#
# $$y_{i,j} = f\Big(b + \sum_{\lambda,\gamma=1}^{2} w_{\lambda,\gamma}\, x_{i+\lambda-1,\,j+\gamma-1}\Big).$$
#
# Every weight takes part in *every* output, so its gradient sums over all positions
# (write $z_{i,j}$ for the argument of $f$):
#
# $$\frac{\partial \mathcal{L}}{\partial w_{\lambda,\gamma}} = \sum_{i,j} \frac{\partial \mathcal{L}}{\partial y_{i,j}}\, f'(z_{i,j})\, x_{i+\lambda-1,\,j+\gamma-1},
# \qquad
# \frac{\partial \mathcal{L}}{\partial b} = \sum_{i,j} \frac{\partial \mathcal{L}}{\partial y_{i,j}}\, f'(z_{i,j}).$$
#
# The weight gradient is itself a cross-correlation of the input with the upstream
# gradient $\delta_{i,j} = \partial\mathcal{L}/\partial z_{i,j}$. The input gradient, the
# third one, is what the layer below needs; you will write it in exercise 3 below. Here
# are the two parameter gradients by hand for a 4×4 input, with $f = \tanh$ and
# $\mathcal{L} = \sum_{i,j} y_{i,j}$:

# %%
x4 = rng.normal(size=(1, 4, 4, 1))
w2 = rng.normal(size=(2, 2, 1, 1))
b = np.array([0.1])
z, cache = scratch.conv2d_forward(x4, w2, b)
delta = 1.0 - np.tanh(z) ** 2           # dL/dy = 1, times f'(z) for tanh
grads = scratch.conv2d_backward(delta, cache)

# %%
by_formula = np.array([[(delta[0, :, :, 0] * x4[0, lam:lam + 3, gam:gam + 3, 0]).sum()
                        for gam in range(2)] for lam in range(2)])
print("dL/dw by the formula:\n", by_formula.round(4))
print("dL/dw by conv2d_backward:\n", grads["kernel"][:, :, 0, 0].round(4))
print("dL/db:", grads["bias"].round(4), "=", delta.sum().round(4))
assert np.allclose(by_formula, grads["kernel"][:, :, 0, 0])

# %% [markdown]
# ### Exercise 3 · Implement: the gradient with respect to the input
#
# Input pixel $x_{a,b}$ enters every output whose window covers it, so
# $\partial\mathcal{L}/\partial x_{a,b}$ collects one term $\delta_{i,j}\, w_{\lambda,\gamma}$ from
# each such output. Write `input_gradient(delta, kernel)` for one channel, stride 1, no
# padding: `delta` is the `(out_h, out_w)` array of $\partial\mathcal{L}/\partial z_{i,j}$,
# `kernel` a `(k, l)` mask, and the result has the input's shape. Work it out from
# which windows contain a pixel; do not call `scratch`.

# %%
def input_gradient(delta, kernel):
    ### BEGIN SOLUTION
    (out_h, out_w), (kh, kw) = delta.shape, kernel.shape
    dx = np.zeros((out_h + kh - 1, out_w + kw - 1))
    for i in range(out_h):
        for j in range(out_w):
            dx[i:i + kh, j:j + kw] += delta[i, j] * kernel
    return dx
    ### END SOLUTION


# %%
exercises.check_input_gradient(input_gradient)

# %% [markdown]
# Our layer's backward pass gives this third gradient for the 4×4 example; notice the
# border pixels, covered by fewer windows, receive fewer terms:

# %%
print("dL/dx by conv2d_backward:\n", grads["x"][0, :, :, 0].round(4))

# %% [markdown]
# Now the same layer in Keras, in float64, differentiated by `tf.GradientTape`, on a
# bigger case: 3 input maps, 4 output maps, "same" padding and stride 2.

# %%
x_big = rng.normal(size=(2, 9, 9, 3))
layer64 = keras.layers.Conv2D(4, 3, strides=2, padding="same", activation="tanh", dtype="float64")
layer64.build(x_big.shape)
kernel, bias = rng.normal(size=(3, 3, 3, 4)), rng.normal(size=4)
layer64.set_weights([kernel, bias])

# %%
x_var = tf.constant(x_big)
with tf.GradientTape() as tape:
    tape.watch(x_var)
    loss = tf.reduce_sum(layer64(x_var) ** 2)
keras_grads = tape.gradient(loss, [x_var, layer64.kernel.value, layer64.bias.value])

# %%
z, cache = scratch.conv2d_forward(x_big, kernel, bias, stride=2, padding="same")
y = np.tanh(z)
ours = scratch.conv2d_backward(2 * y * (1 - y**2), cache)   # d(sum y^2)/dz
for name, theirs in zip(["x", "kernel", "bias"], keras_grads, strict=True):
    error = np.abs(ours[name] - theirs.numpy()).max() / np.abs(theirs.numpy()).max()
    print(f"d loss / d {name:<6}: relative error below 1e-10: {error < 1e-10}")
    assert error < 1e-10

# %% [markdown]
# **How fast is it?** The forward pass gathers all windows into one matrix (*im2col*) and
# multiplies it by the kernels; the backward pass needs two more matrix products and
# one addition per kernel offset. `scripts/benchmark_scratch_conv.py` times a forward and
# backward pass through LeNet-5's C1-S2-C3-S4 on 64 digits: 12.7 ms in NumPy against
# 3.9 ms for Keras on an idle 2-core CPU (3.3 times slower; about 10 times when other
# jobs share the CPU). Good enough to learn with, and exact to rounding error.

# %% [markdown]
# ## 8. Backpropagation through max pooling
#
# The maximum is not differentiable where two inputs tie, but almost everywhere it is
# simply "pick one input". During the forward pass we remember *which* input of each
# square was the largest (the argmax); during the backward pass each upstream gradient
# $\partial\mathcal{L}/\partial y_{i',j'}$ goes to that input, and every other input of
# the square gets 0. Average pooling instead shares the gradient equally, $1/p^2$ each.

# %%
upstream = np.array([[0.1, -0.2], [0.3, 0.4]])[None, :, :, None]
print("input:\n", x[0, :, :, 0])
print("upstream gradient dL/dy:\n", upstream[0, :, :, 0])

# %% [markdown]
# ### Exercise 4 · Predict: route the gradient
#
# Before running `scratch.maxpool2d_backward`, predict the 4×4 array of
# $\partial\mathcal{L}/\partial x$ for the input and upstream gradient just printed, with
# 2×2 max pooling, and write it as a NumPy array `pool_gradient`. Which four positions
# receive a value?

# %%
### BEGIN SOLUTION
pool_gradient = np.array([[0, 0, 0, 0], [0.1, 0, 0, -0.2], [0, 0, 0.4, 0], [0.3, 0, 0, 0]])
### END SOLUTION

# %%
exercises.check_max_pool_gradient(pool_gradient)

# %% [markdown]
# Our backward pass, to compare with your prediction:

# %%
print(scratch.maxpool2d_backward(upstream, max_cache)[0, :, :, 0])

# %% [markdown]
# Keras agrees with the argmax routing, on random maps with several channels:

# %%
x_pool = rng.normal(size=(2, 6, 6, 3))
x_var = tf.constant(x_pool)
with tf.GradientTape() as tape:
    tape.watch(x_var)
    pooled_keras = keras.layers.MaxPooling2D(2, dtype="float64")(x_var)
    loss = tf.reduce_sum(pooled_keras * np.arange(pooled_keras.shape[-1]))
keras_dx = tape.gradient(loss, x_var).numpy()
pooled_ours, pool_cache = scratch.maxpool2d_forward(x_pool, 2)
ours_dx = scratch.maxpool2d_backward(np.broadcast_to(np.arange(3.0), pooled_ours.shape), pool_cache)
print("same forward:", np.allclose(pooled_ours, pooled_keras), "| same gradient:", np.allclose(ours_dx, keras_dx))
assert np.allclose(ours_dx, keras_dx)

# %% [markdown]
# ## 9. Learning a mask
#
# Hand-made masks were designed; a network learns its own from examples, by the gradients
# of section 7. A single `Conv2D(1, 3)` with no bias and no activation can recover a mask
# from pairs of images and their filtered versions. The examples come from a 3×3 mask
# that the check keeps hidden:

# %%
mask_images, mask_targets = exercises.mask_examples()
print("images", mask_images.shape, "-> targets", mask_targets.shape)

# %% [markdown]
# ### Exercise 5 · Model: recover a hidden mask
#
# Write `learn_mask(images, targets)` returning a `(3, 3)` array. Build and train a
# Keras model on these pairs, choosing the optimizer, learning rate, batch size and number
# of epochs. The check calls your function, then applies the returned mask to eight
# images it has not shown you and wants the **relative error**
# $\lVert h - h^\ast\rVert / \lVert h^\ast\rVert$ of the outputs **below 1 %**.

# %%
def learn_mask(images, targets):
    ### BEGIN SOLUTION
    layer = keras.layers.Conv2D(1, 3, use_bias=False)
    model = keras.Sequential([keras.Input(images.shape[1:]), layer])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    model.fit(images, targets, epochs=15, batch_size=1, verbose=0)
    return layer.get_weights()[0][:, :, 0, 0]
    ### END SOLUTION


# %%
exercises.check_learned_mask(learn_mask)

# %% [markdown]
# ## Summary
#
# - A conv layer computes a cross-correlation: a weighted sum of each neighbourhood,
#   with the same weights everywhere. The lecture's example gives
#   `[[12, 12, 17], [10, 17, 19], [9, 6, 14]]`.
# - Output size: $\lfloor (n + 2p - k)/s \rfloor + 1$; "same" padding keeps $n$ (for stride 1).
# - Hand-made masks blur (weights sum to 1) or detect edges (weights sum to 0); $[-1\;1]$
#   is a horizontal derivative that finds vertical edges.
# - A layer of $B$ kernels $k\times k$ over $A$ maps has $(k^2A + 1)B$ parameters, whatever
#   the image size.
# - Pooling (max, average, sum, stochastic) shrinks maps and brings some invariance to
#   small shifts. Each layer widens the receptive field by $(k - 1)$ times the product of
#   the strides below it: LeNet-5's C5 sees its whole 32×32 input.
# - Backprop: weight gradients sum over all positions, the input gradient spreads each
#   $\delta$ back over its window; max pooling routes each gradient to its argmax. Our
#   NumPy layers match Keras to rounding error, and gradient descent recovers a mask
#   from examples.
#
# ## Further reading
#
# - V. Dumoulin and F. Visin (2016), *A guide to convolution arithmetic for deep learning*, arXiv:1603.07285.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, MIT Press, chapter 9.
# - R. Szeliski (2022), *Computer Vision: Algorithms and Applications*, 2nd ed., chapter 3 (linear filtering).
# - Y. LeCun, L. Bottou, Y. Bengio and P. Haffner (1998), *Gradient-based learning applied to document recognition*.
# - M. Zeiler and R. Fergus (2013), *Stochastic pooling for regularization of deep convolutional neural networks*, ICLR.
# - W. Luo, Y. Li, R. Urtasun and R. Zemel (2016), *Understanding the effective receptive field in deep convolutional neural networks*, NeurIPS.

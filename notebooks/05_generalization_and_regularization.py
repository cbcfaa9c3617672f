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
# # 05 · Generalization and regularization
#
# **Purpose:** understand why a network that fits its training data can still fail on new
# data, and use the standard tools that narrow that gap.
#
# **After this notebook you can**
# - relate capacity to under- and overfitting, and read it off training and validation
#   curves;
# - keep three data sets apart: training, validation (to choose and to stop) and test
#   (touched once, at the end);
# - stop training at the epoch with the best validation loss;
# - add L2 and L1 penalties to the weights (not the biases) and explain why L1 makes
#   weights sparse;
# - use dropout, data augmentation by affine transforms and input noise;
# - read a confusion matrix;
# - explain what a network memorising random labels tells us about generalization, and
#   work through a hyper-parameter checklist.
#
# **Expected run time:** about 30 s on a 2-core CPU with AVX-512; about 50 s on a 2-core laptop without AVX-512 (predicted by `make bench`).

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

from course_lib import data, deepnets, outcomes, plots, regularization, widgets
from course_lib.exercises import regularization as exercises

# %% [markdown]
# ## 2. Capacity, underfitting and overfitting
#
# What we care about is the **generalization error**, the expected loss on data the model
# has never seen, estimated on examples held out from training. The training error is an
# optimistic estimate of it. A model with too little **capacity** (too few parameters, too simple a
# family) underfits: both errors are high. With too much capacity it can fit the noise in
# the training set: the training error keeps falling while the test error rises. That is
# **overfitting**.
#
# Polynomials of increasing degree fitted to 15 noisy samples of $\sin(\pi x)$ show it in
# miniature. A second sample of 200 noisy points, never used for fitting, plays the
# **validation set**: it is what we choose the degree with.

# %%
degrees = list(range(16))
errors = regularization.capacity_errors(degrees)
fig, ax = plt.subplots(figsize=(6, 3.6))
ax.semilogy(degrees, errors["train"], marker=".", label="training")
ax.semilogy(degrees, errors["test"], marker=".", label="validation (held-out points)")
ax.set(xlabel="polynomial degree", ylabel="mean squared error", ylim=(1e-2, 1e2))
legend = ax.legend()

# %%
best_degree = int(np.argmin(errors["test"]))
print(f"best validation error at degree {best_degree}: {errors['test'][best_degree]:.3f}")
print(f"degree 13: training ≈ {errors['train'][13]:.3f}, validation ≈ {errors['test'][13]:.0f}")
assert errors["train"][13] < errors["train"][best_degree] and errors["test"][13] > 10 * errors["test"][best_degree]

# %% [markdown]
# Move the degree to see the curve go from too stiff to wild, then add an **L2 penalty**
# (section 4): with a little of it, even degree 15 gives a smooth curve.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.capacity_explorer()

# %% [markdown]
# ## 3. Overfitting a network, and early stopping
#
# The same happens to a network with many more parameters than training examples. A
# two-layer network (about 120,000 weights) is trained on 500 digits. Everything we decide
# in this notebook (when to stop, which regulariser, how strong) is decided on a
# **validation set**: 1,000 other digits taken from the training pool. The 1,000 **test**
# digits stay locked away until section 7: a number we have tuned on is no longer an
# honest estimate of the generalization error.

# %%
(x_train, y_train), (x_test, y_test) = data.load_mnist()
n_small = report.profile.pick(quick=500, full=2000)
x_small, y_small = x_train[:n_small], y_train[:n_small]
x_val, y_val = x_train[n_small:n_small + 1000], y_train[n_small:n_small + 1000]
num_epochs = report.profile.pick(quick=15, full=40)
print(f"training {len(x_small)}, validation {len(x_val)}, test {len(x_test)} digits")


def train(model, epochs=num_epochs, optimizer=None, **fit_options):
    """Compile (Adam unless told otherwise) and fit on the small training set."""
    model.compile(optimizer=optimizer or keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model.fit(x_small, y_small, epochs=epochs, batch_size=64, verbose=0,
                     validation_data=(x_val, y_val), validation_batch_size=500, **fit_options)


# %%
keras.utils.set_random_seed(0)
baseline_log = train(deepnets.mlp((28, 28, 1), hidden=(128, 128)))
axes = plots.history_curves(baseline_log)

# %%
baseline_gap = regularization.generalization_gap(baseline_log)
print(f"no regularisation: training accuracy ≈ {baseline_log.history['accuracy'][-1]:.2f}, "
      f"validation accuracy ≈ {baseline_log.history['val_accuracy'][-1]:.2f}")
outcomes.expect("generalization gap without regularisation", baseline_gap, at_least=0.08)

# %% [markdown]
# The training loss heads for zero and the training accuracy for 100 %, while the
# validation loss levels off after about ten epochs and then slowly rises: from there on
# the network is memorising its 500 examples rather than learning digits.
# **Early stopping** watches the validation loss and stops when it has not improved for
# `patience` epochs, then restores the weights of the best epoch. The validation set
# decides when to stop, so its loss at the chosen epoch is a slightly optimistic estimate:
# that is why the test set is kept apart for the final number.

# %%
keras.utils.set_random_seed(0)
stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
early_model = deepnets.mlp((28, 28, 1), hidden=(128, 128))
max_epochs = 2 * num_epochs  # an upper limit: the callback decides when to stop
early_log = train(early_model, epochs=max_epochs, callbacks=[stopper])

# %%
val_losses = early_log.history["val_loss"]
best_epoch = int(np.argmin(val_losses)) + 1
restored_loss = early_model.evaluate(x_val, y_val, verbose=0)[0]
print(f"stopped after epoch ≈ {len(val_losses)}, best validation loss at epoch ≈ {stopper.best_epoch + 1}"
      f" (≈ {min(val_losses):.3f}); restored model's validation loss ≈ {restored_loss:.3f}")
assert stopper.best_epoch + 1 == best_epoch and len(val_losses) < max_epochs
assert abs(restored_loss - min(val_losses)) < 1e-3

# %% [markdown]
# ### Exercise 1 · Implement: when does early stopping stop?
#
# Write `early_stopping(val_losses, patience)` that returns `(best_epoch, stop_epoch)`,
# both counted from 1, for Keras's rule: after each epoch, if the loss is a new best
# (strictly lower than every loss before it), remember the epoch and reset a counter;
# otherwise add one to the counter and stop once it reaches `patience`. If it never
# stops, `stop_epoch` is the last epoch. Both are whole numbers.

# %%
def early_stopping(val_losses, patience):
    ### BEGIN SOLUTION
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)
    ### END SOLUTION


# %%
exercises.check_early_stopping(early_stopping)

# %% [markdown]
# ### Exercise 2 · Diagnose: a validation accuracy of zero
#
# Keras can also carve the validation set out of the training arrays:
# `fit(x, y, validation_split=0.2)` holds back 20 % of them. Someone sorted the 500 digits
# by label, to look at them class by class, and then trained with that option:

# %%
order = np.argsort(y_small, kind="stable")
x_sorted, y_sorted = x_small[order], y_small[order]
keras.utils.set_random_seed(0)
sorted_model = deepnets.mlp((28, 28, 1), hidden=(128, 128))
sorted_model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
sorted_log = sorted_model.fit(x_sorted, y_sorted, epochs=3, batch_size=64,
                              validation_split=0.2, verbose=0)

# %%
print(f"training accuracy ≈ {sorted_log.history['accuracy'][-1]:.2f}, "
      f"validation accuracy ≈ {sorted_log.history['val_accuracy'][-1]:.2f}")
outcomes.expect("validation accuracy after a split of sorted data", sorted_log.history["val_accuracy"][-1],
                at_most=0.1)

# %% [markdown]
# The network learns the training digits well, and yet on the validation digits it is
# right only a few times in a hundred, worse than guessing. Find out which examples `validation_split` holds
# back (the Keras documentation of `fit` says it; or look at the labels the model was and
# was not trained on), then repair the **data**, not the model: set `x_fixed` and
# `y_fixed` to the same 500 examples in an order for which `validation_split=0.2` gives
# a fair validation set. The check looks at the part that would be held back and at
# whether every image still carries its own label.

# %%
### BEGIN SOLUTION
permutation = np.random.default_rng(0).permutation(len(y_sorted))
x_fixed = x_sorted[permutation]
y_fixed = y_sorted[permutation]
### END SOLUTION

# %%
exercises.check_sorted_split(x_fixed, y_fixed, (x_sorted, y_sorted))

# %% [markdown]
# `shuffle=True`, the default of `fit`, does not help: Keras shuffles the training part
# after it has cut the validation part off.

# %% [markdown]
# ## 4. Weight penalties: L2 and L1
#
# A penalty added to the loss limits how large the weights can grow:
# $$C(\theta) = \sum_i \ell\big(f(\mathbf x_i;\theta), y_i\big) + \lambda\,\Omega(\mathbf w),
# \qquad \Omega_{L2} = \sum_j w_j^2,\quad \Omega_{L1} = \sum_j \lvert w_j\rvert .$$
# Only the weights are penalised, never the biases: a bias shifts a unit's threshold and
# does not make the function any wigglier. In Keras that means `kernel_regularizer=` and
# no `bias_regularizer`.
#
# The gradients explain the difference. L2 adds $2\lambda w_j$, a pull proportional to the
# weight, which shrinks all weights but rarely makes one exactly zero: the network uses
# all its inputs a little. L1 adds $\lambda\,\operatorname{sign}(w_j)$, the same push
# towards zero however small the weight, so the weights that do not earn their keep are
# driven to (almost) zero: the solution becomes **sparse**.

# %% [markdown]
# `keras.regularizers.L2(strength)` adds exactly $\lambda \sum_j w_j^2$ to the loss, with
# $\lambda$ = `strength` (no factor $\tfrac12$):

# %%
kernel = np.random.default_rng(0).normal(size=(3, 2))
print(f"keras L2: {float(keras.regularizers.L2(0.01)(kernel)):.5f}, "
      f"formula: {0.01 * np.sum(kernel**2):.5f}")

# %% [markdown]
# Now the same network trained with an L1 and with an L2 penalty of equal strength
# $\lambda = 10^{-3}$. How many of its weights end up within $10^{-3}$ of zero? We train
# with SGD and momentum here: Adam divides every gradient by its own running size, which
# turns L2's gentle pull on a weight the data does not use into full-size steps and blurs
# the difference (that is why decoupled weight decay, `keras.optimizers.AdamW`, exists).

# %%
penalised = {}
for name, penalty in (("L1", keras.regularizers.L1(1e-3)), ("L2", keras.regularizers.L2(1e-3))):
    keras.utils.set_random_seed(0)
    penalised[name] = deepnets.mlp((28, 28, 1), hidden=(128, 128), kernel_regularizer=penalty)
    train(penalised[name], epochs=report.profile.pick(quick=8, full=20),
          optimizer=keras.optimizers.SGD(0.1, momentum=0.9))

# %%
kernels = {name: deepnets.dense_kernels(model) for name, model in penalised.items()}
fractions = {name: regularization.near_zero_fraction(k) for name, k in kernels.items()}
for name, fraction in fractions.items():
    print(f"{name}: ≈ {fraction:.0%} of the weights below 1e-3")
outcomes.expect("L1's share of tiny weights / L2's", fractions["L1"] / max(fractions["L2"], 1e-3), at_least=5, fmt=".0f")

# %%
fig, ax = plt.subplots(figsize=(6, 3.6))
for name, k in kernels.items():
    ax.hist(np.concatenate([w.ravel() for w in k]), bins=np.linspace(-0.15, 0.15, 121),
            histtype="step", label=name)
ax.set(xlabel="weight", ylabel="count", yscale="log")
legend = ax.legend()

# %% [markdown]
# ## 5. Dropout
#
# **Dropout** switches off each hidden unit with probability $p$ at every training step
# (and scales the survivors by $1/(1-p)$ so the expected input of the next layer does not
# change). A unit cannot rely on a particular partner being present, so the network learns
# redundant features; it behaves like an average of many thinned networks. At test time
# nothing is dropped.

# %%
keras.utils.set_random_seed(0)
dropout_log = train(deepnets.mlp((28, 28, 1), hidden=(128, 128), dropout=0.5))
dropout_gap = regularization.generalization_gap(dropout_log)
print(f"dropout 0.5: gap ≈ {dropout_gap:.2f} (no regularisation: ≈ {baseline_gap:.2f})")

# %% [markdown]
# ## 6. Data augmentation
#
# The best regulariser is more data. When we cannot collect it, we can make plausible new
# examples: a digit rotated by a few degrees, shifted or zoomed a little, is still the same
# digit (an **affine transformation**), and adding a little **noise** to the pixels should
# not change the label either. Keras's random layers do this on the fly, during training
# only:

# %%
augmentation = regularization.augmentation_layers(rotation=0.05, shift=0.1, zoom=0.1, noise=0.1)
examples = np.repeat(x_small[:4], 5, axis=0)
axes = plots.image_grid(regularization.augment(examples, augmentation), ncols=10)

# %%
keras.utils.set_random_seed(0)
augmented_model = deepnets.mlp((28, 28, 1), hidden=(128, 128),
                               preprocessing=regularization.augmentation_layers())
augmented_log = train(augmented_model)
augmented_gap = regularization.generalization_gap(augmented_log)

# %%
gaps = {"none": baseline_gap, "dropout": dropout_gap, "augmentation": augmented_gap}
accuracies = {"none": baseline_log, "dropout": dropout_log, "augmentation": augmented_log}
for name, log in accuracies.items():
    print(f"{name:<13} train ≈ {log.history['accuracy'][-1]:.2f}  validation "
          f"≈ {log.history['val_accuracy'][-1]:.2f}  gap ≈ {gaps[name]:.2f}")
outcomes.expect("gap narrowed by dropout", baseline_gap - dropout_gap, at_least=0.03)
outcomes.expect("gap narrowed by augmentation", baseline_gap - augmented_gap, at_least=0.05)

# %% [markdown]
# Both shrink the gap, but read the validation column before celebrating: it did not go
# up; it even dropped a little. The gap closed because the *training* accuracy came down, and Keras logs that
# accuracy with dropout and augmentation switched on, on harder inputs than validation
# gets (which is why the augmented network's gap even turns negative). A narrower gap is
# not the goal; a higher validation accuracy is. Here, in 15 epochs, the regularised
# networks have not finished learning: they have given up training fit for nothing yet.

# %%
val_change = {name: log.history["val_accuracy"][-1] - baseline_log.history["val_accuracy"][-1]
              for name, log in accuracies.items() if name != "none"}
for name, change in val_change.items():
    outcomes.expect(f"validation accuracy change with {name}", change, at_least=-0.15, at_most=0.03,
                    fmt="+.2f")

# %% [markdown]
# ### Exercise 3 · Model: make regularisation pay
#
# Write `train_regularised(x, y)`: build a network of **dense layers only** (with any
# dropout, weight penalty or augmentation layers you like), compile it, train it for **at
# most 30 epochs** on `x, y` and return the model and the history `fit` returns. The check
# measures its accuracy on the validation digits and wants **at least 0.90**, more than
# the unregularised network above. Choose the width, the regularisers and their
# strength, the learning rate and the number of epochs; try your variants against the
# validation set yourself (`validation_data=(x_val, y_val)`), never against the test set.

# %%
def train_regularised(x, y):
    ### BEGIN SOLUTION
    model = deepnets.mlp((28, 28, 1), hidden=(256, 256), dropout=0.3,
                         preprocessing=regularization.augmentation_layers())
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, epochs=25, batch_size=64, verbose=0)
    return model, history
    ### END SOLUTION


# %%
# NBVAL_IGNORE_OUTPUT
# (the measured accuracy, and so how far above the target it lands, varies between machines)
exercises.check_regularised_network(train_regularised, (x_small, y_small), (x_val, y_val))

# %% [markdown]
# ## 7. The confusion matrix
#
# Now, and only now, the test set. The model we keep is the early-stopped network of
# section 3, the one the validation set picked; one evaluation on digits that played no
# part in any choice gives the honest estimate. Accuracy is one number;
# the **confusion matrix** says which classes are mistaken for which. Row $i$, column $j$
# counts the test examples of class $i$ predicted as class $j$: the diagonal holds the
# correct answers.

# %%
predictions = early_model.predict(x_test, verbose=0).argmax(axis=1)
matrix = confusion_matrix(y_test, predictions)
confusion_display = ConfusionMatrixDisplay(matrix).plot(colorbar=False)

# %%
print(f"{matrix.sum()} test digits, accuracy ≈ {np.trace(matrix) / matrix.sum():.2f}")

# %%
# NBVAL_IGNORE_OUTPUT
# (which digits get mixed up depends on the training run)
errors_off_diagonal = matrix - np.diag(np.diag(matrix))
actual, predicted = np.unravel_index(errors_off_diagonal.argmax(), matrix.shape)
print(f"most frequent confusion: {actual} read as {predicted} ({errors_off_diagonal.max()} times)")

# %% [markdown]
# ### Exercise 4 · Implement: a confusion matrix by hand
#
# Write `confusion_matrix_by_hand(y_true, y_pred, num_classes)` returning the
# `(num_classes, num_classes)` matrix of counts (an integer array), a row per actual
# class. A class that never occurs still gets its row and column.

# %%
def confusion_matrix_by_hand(y_true, y_pred, num_classes):
    ### BEGIN SOLUTION
    matrix = np.zeros((num_classes, num_classes), dtype=int)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix
    ### END SOLUTION


# %%
exercises.check_confusion_matrix(confusion_matrix_by_hand)

# %% [markdown]
# ## 8. Memorising random labels
#
# Zhang et al. (ICLR 2017) asked how much of a network's success is learning and how much
# is memory. They replaced the labels of the training images with random ones and trained
# as usual: the networks still reached 100 % training accuracy. With random labels there
# is nothing to generalise, so their test accuracy stayed at chance, 10 % for ten
# classes. A network big enough to
# fit real data is big enough to memorise noise; the parameter count alone cannot explain
# why it generalises when the labels are real.
#
# The same experiment on a small scale, 256 digits with shuffled labels:

# %%
n_random = report.profile.pick(quick=256, full=1000)
random_labels = regularization.shuffled_labels(y_train[:n_random], seed=0)
print(f"labels that still match the image: {np.mean(random_labels == y_train[:n_random]):.2f}")

# %%
keras.utils.set_random_seed(0)
memoriser = deepnets.mlp((28, 28, 1), hidden=(512,))
memoriser.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
memory_log = memoriser.fit(x_train[:n_random], random_labels, epochs=report.profile.pick(30, 80),
                           batch_size=32, verbose=0)

# %%
train_accuracy = memory_log.history["accuracy"][-1]
test_accuracy = memoriser.evaluate(x_test, y_test, verbose=0)[1]
outcomes.expect("random labels: training accuracy", train_accuracy, at_least=0.9)
outcomes.expect("random labels: test accuracy", test_accuracy, at_most=0.2)

# %% [markdown]
# The training labels are memorised; the test accuracy is close to chance (0.10), not
# exactly at it: shuffling left about a tenth of the labels on their own image (printed
# above), and those few real pairs teach the network a little about digits.

# %% [markdown]
# ## 9. A hyper-parameter checklist
#
# Regularisation adds knobs. When a network does not do what you expect, go through them
# roughly in this order:
#
# | step | what to check | symptom it fixes |
# |---|---|---|
# | 1 | inputs normalised (scaled, centred), labels correct, data **shuffled** | nothing learns, or only at random |
# | 2 | can it overfit a small batch? if not, there is a bug or too little capacity | loss stuck from the start |
# | 3 | **learning rate** (the most important one), then its schedule | loss explodes, or falls too slowly |
# | 4 | **momentum** / optimizer (Adam is a safe default) | slow, zig-zagging progress |
# | 5 | initialisation (He for ReLU) and **normalisation** (BatchNorm) | deep networks that do not train |
# | 6 | capacity: depth and width | under- or overfitting |
# | 7 | **weight decay** (L2), **dropout**, augmentation, early stopping | a large train/validation gap |
#
# Tune on the validation set, one change at a time, and keep the test set for the very end.

# %% [markdown]
# ## Summary
#
# - Capacity trades underfitting against overfitting; the training error alone cannot tell
#   them apart, the validation error can.
# - Choose and stop on a validation set carved from the training data, in a random order
#   (`validation_split` takes the last examples); touch the test set once, at the end.
# - Early stopping kept the weights of the epoch with the lowest validation loss.
# - L2 shrinks all weights; L1 drives many to zero (here about a third of them, against a
#   about one percent with L2). Both penalise weights, not biases.
# - Dropout and data augmentation (affine transforms, input noise) narrowed the gap
#   between training and validation accuracy, but in 15 epochs mostly by lowering the
#   training accuracy; the validation accuracy, the number that matters, did not rise.
#   Regularisation pays once the network has the width and the epochs to use it
#   (exercise 3).
# - A confusion matrix shows which classes are mistaken for which.
# - A network memorised random labels perfectly while staying near chance on the test set:
#   capacity is not the whole story of generalization.
#
# ## Further reading
#
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, chapter 7
#   (regularization).
# - N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever and R. Salakhutdinov (2014),
#   *Dropout: a simple way to prevent neural networks from overfitting*, JMLR 15.
# - C. Zhang, S. Bengio, M. Hardt, B. Recht and O. Vinyals (2017), *Understanding deep
#   learning requires rethinking generalization*, ICLR.
# - P. Simard, D. Steinkraus and J. Platt (2003), *Best practices for convolutional neural
#   networks applied to visual document analysis* (elastic and affine augmentation).
# - L. Prechelt (1998), *Early stopping, but when?*, in *Neural Networks: Tricks of the Trade*.
# - L. Smith (2018), *A disciplined approach to neural network hyper-parameters*, arXiv:1803.09820.

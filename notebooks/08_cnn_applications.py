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
# # 08 · CNN applications
#
# **Purpose:** reuse a trained CNN for new tasks, slide it over large images, look at what
# it responds to, fool it with invisible noise, and turn it into a similarity measure.
#
# **After this notebook you can**
# - reuse a pretrained network on a small new task, frozen or fine-tuned, show that it
#   beats training from scratch, and choose the settings that get the most out of 50
#   labelled images;
# - turn a classifier into a fully convolutional network that evaluates every window of a
#   large image at once, by rewriting its dense layers as convolutions;
# - compute saliency maps and images that maximise a unit's activation (the Deep Dream idea);
# - craft adversarial examples with the fast gradient sign method and measure their effect;
# - train a siamese network with a contrastive loss to compare images.
#
# **Expected run time:** about 20 s on a 2-core CPU with AVX-512; about 45 s on a 2-core laptop without AVX-512 (predicted by `make bench`).

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

from course_lib import adversarial, interpret, models, outcomes, plots, transfer, widgets
from course_lib.exercises import cnn_applications as exercises

# %% [markdown]
# ## 2. Transfer learning
#
# Training a large CNN from scratch needs a large labelled dataset. The lectures' recipe
# when data is scarce:
#
# 1. train a CNN on a big generic dataset (the *source* task; in practice ImageNet);
# 2. keep its lower layers, which compute generic features (edges, textures, parts), and
#    replace the top layers by new ones for the new classes;
# 3. train on the small *target* dataset: only the new layers (**frozen features**), or
#    then all layers with a small learning rate (**fine-tuning**).
#
# How much this buys is measured in the lecture with GoogLeNet, trained from scratch on
# each small dataset or pretrained on ImageNet (1.2 million images) and fine-tuned:
#
# | dataset | from scratch | pretrained on ImageNet |
# |---|---|---|
# | trademark logos | 67.7 % | 87.5 % |
# | car models | 59.3 % | 79.9 % |
# | Paris buildings | 55.3 % | 71.3 % |
# | aircraft models | 72.7 % | 88.1 % |
# | bird species | 24.4 % | 72.4 % |
# | flower species | 59.5 % | 89.5 % |
# | rice seed varieties (100 classes, 1,500 texture images) | 8.8 % | 52.4 % |
# | plant species (Pl@ntNet) | 58.1 % | 70.4 % |
#
# Even rice seeds, as far from ImageNet's photos as a dataset gets, gain more than 40
# points. The smaller and the more specialised the target data, the larger the gain.
#
# Our miniature version: the source task is recognising the digits 0-4 (about 2,000
# images); the target task is recognising 5-9 from a handful of examples per digit. The
# source model is already trained and ships with the course in `data/`, so loading it is
# instant. To rebuild it yourself, run `python scripts/train_source_model.py` (about 5 s).

# %%
source_model = transfer.load_source_model()
for layer in source_model.layers:
    print(f"{layer.name:<8} {str(layer.output.shape[1:]):<14} {layer.count_params():>6,}")

# %%
_, (x_source_test, y_source_test) = transfer.source_task()
source_accuracy = np.mean(source_model.predict(x_source_test, verbose=0).argmax(1) == y_source_test)
outcomes.expect("source model on its own task (digits 0-4): test accuracy", source_accuracy, at_least=0.95)

# %% [markdown]
# Now the target task, with 5 and then 20 labelled examples per digit, each trained three
# ways (`transfer.train_on_target`). Every run uses the same seed and 30 passes over its
# few images (plus 10 passes of fine-tuning).

# %%
table = {}
for per_class in (5, 20):
    (x_target, y_target), (x_target_test, y_target_test) = transfer.target_task(per_class)
    for start in transfer.STARTS:
        model = transfer.train_on_target(start, x_target, y_target)
        table[start, per_class] = model.evaluate(x_target_test, y_target_test, verbose=0)[1]

# %%
print(f"{'digits 5-9, test accuracy':<28}{'5 per digit':>12}{'20 per digit':>14}")
for start in transfer.STARTS:
    print(f"{start:<28}{'≈ ' + format(table[start, 5], '.2f'):>12}{'≈ ' + format(table[start, 20], '.2f'):>14}")

# %%
for start in ("frozen features", "fine-tuned"):
    gain = np.mean([table[start, n] - table["from scratch", n] for n in (5, 20)])
    outcomes.expect(f"{start}: gain over from scratch (mean of both sizes)", gain, at_least=0.02)

# %% [markdown]
# As in the lecture's table, the pretrained start wins, and wins most when the target set
# is smallest. Filters learned on 0-4 (strokes, loops, corners) are useful for 5-9 too.
# With this little data fine-tuning adds little over frozen features: there is not enough
# to adjust 50,000 weights safely, which is why its learning rate is kept small.
#
# ### Exercise 1 · Model: 50 labelled digits
#
# With 10 labelled images per digit (50 in all), write `train_target_classifier(x, y)`:
# build on the pretrained source model (`transfer.load_source_model()`, and
# `models.feature_extractor(model)` for its layers up to `flatten`), train on `x, y` and
# return the trained model. The check wants **at least 91 %** test accuracy on the 500
# test digits 5-9. Frozen or fine-tuned, what head, how many passes, augmentation
# (`models.augmentation()`)? Each try takes a second or two.

# %%
(x_few, y_few), target_test = transfer.target_task(10)


def train_target_classifier(x, y):
    ### BEGIN SOLUTION
    features = models.feature_extractor(transfer.load_source_model())
    features.trainable = False
    inputs = keras.Input((28, 28, 1))
    h = features(models.augmentation(seed=0)(inputs))
    h = keras.layers.Dropout(0.3)(keras.layers.Dense(64, activation="relu")(h))
    model = keras.Model(inputs, keras.layers.Dense(5, activation="softmax")(h))
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    order = np.concatenate([np.random.default_rng(k).permutation(len(x)) for k in range(60)])
    model.fit(x[order], y[order], batch_size=32, shuffle=False, verbose=0)
    return model
    ### END SOLUTION


# %%
exercises.check_target_classifier(train_target_classifier, (x_few, y_few), target_test)

# %% [markdown]
# ## 3. Sliding windows are convolutions
#
# To find digits in a larger image, one could crop every 28×28 window and classify each.
# Most of that work is repeated: neighbouring windows share most of their pixels. The
# trick: a dense layer reading a flattened $h \times w \times c$ map is exactly a
# convolution with an $h \times w$ kernel; the following dense layers are 1×1
# convolutions. Rewritten this way, the classifier accepts any image size and returns one
# prediction per window position, computing the shared convolutions only once.

# %%
sliding = models.fully_convolutional(source_model)
digit = x_source_test[:1]
print("fully convolutional output on one digit:", sliding(digit).shape)
print("same probabilities as the classifier:",
      np.allclose(np.asarray(sliding(digit))[0, 0, 0], source_model(digit)[0], atol=1e-5))
assert np.allclose(np.asarray(sliding(digit))[0, 0, 0], source_model(digit)[0], atol=1e-5)

# %% [markdown]
# ### Exercise 2 · Implement: a dense layer as a convolution
#
# The source model's `dense` layer reads the flattened 5×5×32 maps of `pool2`: its kernel
# has shape (800, 64), one row per (row, column, channel) of the maps, in the order
# `Flatten` lays them out (row by row, and within a pixel channel by channel). Write
# `dense_to_conv(kernel, map_shape)` returning the kernel of the equivalent convolution,
# of shape `map_shape + (units,)` as Keras's `Conv2D` stores it: (height, width,
# channels, units).

# %%
def dense_to_conv(kernel, map_shape):
    ### BEGIN SOLUTION
    return kernel.reshape(tuple(map_shape) + (kernel.shape[1],))
    ### END SOLUTION


# %%
exercises.check_dense_to_conv(dense_to_conv)

# %% [markdown]
# ### Exercise 3 · Predict: the score map of a larger image
#
# Feed the fully convolutional network a 56×84 image (two rows of three digits). What is
# the shape of its output, `sliding(image).shape` for `image` of shape (1, 56, 84, 1)?
# Work it out from the window (28×28) and the network's stride, then store it as a tuple
# in `score_map_shape`; the check runs the network.

# %%
### BEGIN SOLUTION
score_map_shape = (1, (56 - 28) // 4 + 1, (84 - 28) // 4 + 1, 5)
### END SOLUTION

# %%
exercises.check_score_map_shape(score_map_shape, sliding)

# %% [markdown]
# A strip of three digits, 28×84 pixels. The two 2×2 poolings give the network a stride of
# 4 pixels, so it evaluates the windows starting at columns 0, 4, ..., 56:

# %%
strip = np.concatenate([x_source_test[i] for i in (0, 1, 2)], axis=1)[None]
window_scores = np.asarray(sliding(strip))[0, 0]          # (positions, classes)
print("strip", strip.shape[1:3], "->", window_scores.shape[0], "window positions")
print("true digits:", [transfer.SOURCE_DIGITS[y] for y in y_source_test[:3]])

# %%
fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 4), sharex=True, gridspec_kw={"height_ratios": [1, 1.2]})
top.imshow(strip[0, :, :, 0], cmap="gray", extent=(0, 84, 28, 0))
top.set_axis_off()
centres = 14 + 4 * np.arange(window_scores.shape[0])
for k in range(window_scores.shape[1]):
    bottom.plot(centres, window_scores[:, k], marker=".", label=f"digit {transfer.SOURCE_DIGITS[k]}")
bottom.set(xlabel="window centre (pixel column)", ylabel="probability", xlim=(0, 84))
legend = bottom.legend(ncol=5, fontsize=8)

# %% [markdown]
# Each digit is recognised with high confidence when the window is centred on it; in
# between, the network sees half digits and hesitates. With several image scales this is
# how early CNN detectors localised objects (OverFeat, 2014, won ILSVRC's localisation
# task this way).

# %% [markdown]
# ## 4. What does the network look at?
#
# **Saliency.** The gradient of a class probability with respect to the input pixels,
# $|\partial p_c / \partial x_{ij}|$, shows which pixels would change the decision most:

# %%
images = x_source_test[:5]
maps = [interpret.saliency(source_model, image, int(label)) for image, label in zip(images, y_source_test[:5], strict=True)]
axes = plots.image_grid(np.concatenate([images[..., 0], np.stack(maps)]), ncols=5, size=1.5)

# %% [markdown]
# **Activation maximisation** (the idea behind Deep Dream). Instead of adjusting weights to
# reduce a loss, adjust the *input* to increase the activation of one unit, by gradient
# ascent: $x \leftarrow x + \eta\, \nabla_x\, a(x)$. Starting from grey noise, the image
# becomes the pattern the unit is looking for. For the eight first maps of `conv2`:

# %%
patterns = interpret.maximize_activation(source_model, "conv2", range(8), steps=40)
axes = plots.image_grid(patterns, [f"conv2[{c}]" for c in range(8)], ncols=8, size=1.2)

# %% [markdown]
# Deep Dream starts from a real image instead, and amplifies whatever the chosen layer
# already sees in it: here the strongest `conv2` map of a digit, after 40 ascent steps.

# %%
strongest = int(interpret.feature_maps(source_model, digit[0], ["conv2"])["conv2"].mean(axis=(0, 1)).argmax())
dream = interpret.maximize_activation(source_model, "conv2", [strongest], steps=40, start=digit[0])
axes = plots.image_grid(np.stack([digit[0], dream[0]]), ["digit", f"dreamed (conv2[{strongest}])"], ncols=2, size=2)

# %% [markdown]
# ## 5. Adversarial examples
#
# Networks can be fooled by changes a human does not notice. The **fast gradient sign
# method** (Goodfellow, Shlens and Szegedy, 2015) moves every pixel by $\pm\epsilon$ in the
# direction that increases the loss:
#
# $$x_\text{adv} = \operatorname{clip}_{[0,1]}\big(x + \epsilon\, \operatorname{sign}(\nabla_x J(\theta, x, y))\big).$$
#
# The sign, rather than the gradient itself, spends the whole budget $\epsilon$ on every
# pixel; in high dimension many tiny changes add up to a large change of the output. The
# lecture's example is the paper's: a photo that GoogLeNet calls "panda" with 57.7 %
# confidence, plus FGSM noise with $\epsilon = 0.007$ (on pixels scaled to [0, 1], about
# one grey level in 255, invisible), becomes a "gibbon" with 99.3 % confidence.
#
# ### Exercise 4 · Implement: one FGSM step
#
# Write `fgsm_step(x, gradient, epsilon)` following the formula.

# %%
def fgsm_step(x, gradient, epsilon):
    ### BEGIN SOLUTION
    return np.clip(x + epsilon * np.sign(gradient), 0.0, 1.0)
    ### END SOLUTION


# %%
exercises.check_fgsm(fgsm_step)

# %% [markdown]
# Accuracy of the source model on its 500 test digits, as $\epsilon$ grows:

# %%
epsilons = np.array([0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25])
attacked = adversarial.accuracy_under_attack(source_model, x_source_test, y_source_test, epsilons)
for epsilon, accuracy in zip(epsilons, attacked, strict=True):
    print(f"epsilon {epsilon:.2f}: accuracy ≈ {accuracy:.2f}")
assert np.all(np.diff(attacked) <= 0.005), "accuracy should fall as epsilon grows"
outcomes.expect(f"accuracy lost at epsilon {epsilons[-1]}", attacked[0] - attacked[-1], at_least=0.5)

# %%
fig, ax = plt.subplots(figsize=(5, 3.2))
ax.set(xlabel="epsilon (largest change per pixel)", ylabel="test accuracy", ylim=(0, 1),
       title="FGSM on the digits 0-4 CNN")
curve = ax.plot(epsilons, attacked, marker="o")

# %% [markdown]
# Move the slider: how large must $\epsilon$ be before the prediction flips, and can you
# still read the digit at that point?

# %%
# NBVAL_IGNORE_OUTPUT
widgets.fgsm_explorer(source_model, x_source_test[:10], y_source_test[:10], transfer.SOURCE_DIGITS)

# %% [markdown]
# ## 6. Siamese networks: learning a distance
#
# Some tasks are about *comparing* rather than classifying: is this the same person, the
# same signature? A **siamese network** passes both images through the same embedding
# network $g$ (shared weights) and compares the embeddings, $d = \lVert g(x_a) - g(x_b)\rVert$.
# It is trained on pairs with the **contrastive loss** in the form of Hadsell, Chopra and
# LeCun (2006):
#
# $$\mathcal{L} = s\, d^2 + (1 - s)\, \max(m - d, 0)^2,$$
#
# with $s = 1$ for a same-class pair and margin $m$: same pairs are pulled together,
# different pairs pushed at least $m$ apart.
#
# ### Exercise 5 · Implement: the contrastive loss
#
# Write `contrastive_loss(distance, same, margin)` for NumPy arrays of distances and 0/1
# flags, returning the per-pair losses.

# %%
def contrastive_loss(distance, same, margin):
    ### BEGIN SOLUTION
    return same * distance**2 + (1 - same) * np.maximum(margin - distance, 0.0) ** 2
    ### END SOLUTION


# %%
exercises.check_contrastive_loss(contrastive_loss)

# %% [markdown]
# We embed the *target* digits 5-9 in 16 dimensions, on top of the pretrained feature
# extractor, and train on 2,000 pairs built from 100 images per digit.

# %%
keras.utils.set_random_seed(0)
(x_pairs_source, y_pairs_source), (x_eval, y_eval) = transfer.target_task(100)
x_a, x_b, same = transfer.make_pairs(x_pairs_source, y_pairs_source, 2000, seed=0)
embedding = keras.Sequential([models.feature_extractor(transfer.load_source_model()),
                              keras.layers.Dense(16)], name="embedding")
siamese = models.siamese(embedding)
siamese.compile(optimizer=keras.optimizers.Adam(1e-3), loss=models.contrastive_loss(margin=1.0))
history = siamese.fit([x_a, x_b], same, epochs=report.profile.pick(quick=5, full=20), batch_size=64, verbose=0)

# %%
test_a, test_b, test_same = transfer.make_pairs(x_eval, y_eval, 1000, seed=1)
distances = siamese.predict([test_a, test_b], verbose=0)
same_mean, different_mean = distances[test_same == 1].mean(), distances[test_same == 0].mean()
print(f"mean distance, same digit: ≈ {same_mean:.2f}; different digits: ≈ {different_mean:.2f}")
outcomes.expect("same-digit distance / different-digit distance", same_mean / different_mean, at_most=0.5)

# %%
fig, ax = plt.subplots(figsize=(5.5, 3.2))
ax.hist(distances[test_same == 1], bins=30, alpha=0.6, label="same digit")
ax.hist(distances[test_same == 0], bins=30, alpha=0.6, label="different digits")
ax.set(xlabel="embedding distance", ylabel="pairs", title="unseen test pairs")
legend = ax.legend()

# %% [markdown]
# The learned distance classifies with a single labelled example per digit: give each test
# image the label of the nearest example. Strictly this is not *one-shot learning*: the
# embedding was trained on pairs of these same five digits, so it has seen many of each.
# One-shot recognition means classes never seen in training, and that needs an embedding
# trained on many classes: trained on pairs of our five source digits only and tested on
# 5-9, this one did no better than the raw pretrained features (about 50 % against 58 %
# in our runs).

# %%
examples = np.stack([x_pairs_source[np.flatnonzero(y_pairs_source == k)[0]] for k in range(5)])
test_embeddings, example_embeddings = embedding.predict(x_eval, verbose=0), embedding.predict(examples, verbose=0)
nearest = np.linalg.norm(test_embeddings[:, None] - example_embeddings[None], axis=-1).argmin(axis=1)
one_shot = np.mean(nearest == y_eval)
outcomes.expect("nearest-example accuracy, one example per digit (chance: 0.20)", one_shot, at_least=0.8)

# %% [markdown]
# ## Summary
#
# - Transfer learning: features learned on a source task give a far better start on a
#   small target task than random weights; freeze them, or fine-tune with a small rate.
# - A classifier's dense layers are convolutions in disguise; written as such, the network
#   slides over a large image and scores every window in one pass.
# - Gradients with respect to the *input* show what the network looks at (saliency) and
#   what excites a unit (activation maximisation, Deep Dream).
# - FGSM: $x + \epsilon\,\mathrm{sign}(\nabla_x J)$ fools the network with small changes;
#   accuracy falls steadily as $\epsilon$ grows.
# - Siamese networks learn a distance with a contrastive loss; a single labelled example
#   per class then suffices to classify the classes it was trained on. New classes need an
#   embedding learned from many classes.
#
# ## Further reading
#
# - J. Yosinski, J. Clune, Y. Bengio and H. Lipson (2014), *How transferable are features in deep neural networks?*
# - P. Sermanet et al. (2014), *OverFeat: integrated recognition, localization and detection using convolutional networks*.
# - K. Simonyan, A. Vedaldi and A. Zisserman (2014), *Deep inside convolutional networks: visualising image classification models and saliency maps*.
# - A. Mordvintsev, C. Olah and M. Tyka (2015), *Inceptionism: going deeper into neural networks*.
# - I. Goodfellow, J. Shlens and C. Szegedy (2015), *Explaining and harnessing adversarial examples*.
# - S. Chopra, R. Hadsell and Y. LeCun (2005), *Learning a similarity metric discriminatively, with application to face verification*.
# - R. Hadsell, S. Chopra and Y. LeCun (2006), *Dimensionality reduction by learning an invariant mapping*.

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
# # 14 · Generative adversarial networks
#
# **Purpose:** learn a generator without writing down a likelihood: train it against a
# second network that tries to tell its samples from real data.
#
# **After this notebook you can**
# - state the GAN minimax objective and derive the discriminator's and the generator's
#   losses from it, in a numerically stable form that works on logits;
# - explain why the original generator loss saturates and why $-\log D(G(z))$ does not;
# - write a GAN training step in TensorFlow, compile it with XLA, and watch a GAN learn
#   a 2-D distribution;
# - recognise and measure mode collapse, and compare a remedy (PacGAN);
# - train a DCGAN with Keras's `fit` and a custom `train_step`, interpolate in its latent
#   space and do latent arithmetic;
# - compare a GAN's samples with a VAE's and with simple baselines, with the course's
#   sample-quality metrics.
#
# **Expected run time:** about 30 s on a 2-core CPU with AVX-512; about 80 s on a 2-core laptop without AVX-512 (predicted by `make bench`).

# %% [markdown]
# ## 1. Set-up

# %%
# NBVAL_IGNORE_OUTPUT
from course_lib import runtime

report = runtime.setup(seed=0)

# %%
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from keras import layers

from course_lib import data, generative, outcomes, plots, widgets
from course_lib.exercises import gans as exercises
from course_lib.generative import pretrained

# %% [markdown]
# ## 2. A game between two networks
#
# A VAE (notebook 13) needs a likelihood $p(x\mid z)$ for its decoder, and the Gaussian
# or Bernoulli we pick for it is why its samples are blurry. Goodfellow et al. (2014)
# proposed to do without any likelihood. Two networks play against each other:
#
# - the **generator** $G$ turns random numbers $z \sim p(z)$ into samples $G(z)$;
# - the **discriminator** $D$ looks at a sample and outputs $D(x) \in (0, 1)$, its belief
#   that $x$ is real rather than generated.
#
# $D$ is trained to tell real from generated samples, $G$ to fool $D$. $G$ never sees the
# data: everything it learns comes through the gradient of $D$'s output with respect to
# its input. The game is written as one value function that $D$ maximises and $G$
# minimises:
#
# $$\min_G \max_D \; V(D, G) = \mathbb E_{x\sim p_\text{data}}\big[\log D(x)\big]
#   + \mathbb E_{z\sim p(z)}\big[\log\big(1 - D(G(z))\big)\big].$$
#
# **The discriminator's loss** is $-V$ estimated on a minibatch of $m$ real samples and
# $m$ generated ones: the binary cross-entropy with label 1 for real, 0 for fake,
#
# $$L_D = -\frac1m\sum_{i=1}^m \log D\big(x^{(i)}\big) - \frac1m\sum_{i=1}^m \log\Big(1 - D\big(G(z^{(i)})\big)\Big).$$
#
# **The generator's loss** in the minimax game is the second term alone,
# $\frac1m\sum_i \log\big(1 - D(G(z^{(i)}))\big)$, to be minimised. In practice one uses
# instead the **non-saturating** loss
#
# $$L_G = -\frac1m\sum_{i=1}^m \log D\big(G(z^{(i)})\big),$$
#
# which has the same goal (make $D(G(z))$ large) but, as section 3 shows, much better
# gradients at the start of training.
#
# Networks output a **logit** $a$ and $D = \sigma(a)$. Computing $\log\sigma(a)$ as
# written fails for a confident discriminator ($\sigma(40)$ rounds to 1 and
# $\log(1 - 1) = -\infty$), so losses are written with the softplus function
# $\operatorname{softplus}(a) = \log(1 + e^a)$:
# $-\log\sigma(a) = \operatorname{softplus}(-a)$ and
# $-\log(1-\sigma(a)) = \operatorname{softplus}(a)$.
#
# ### Exercise 1 · Implement: the two losses from logits
#
# Write `gan_losses(real_logits, fake_logits)` in NumPy. The arguments are the
# discriminator's logits for a batch of real samples and for a batch of generated ones
# (shapes `(m,)` or `(m, 1)`, the two batches may differ in size). Return the pair
# `(d_loss, g_loss)`: $L_D$ and the non-saturating $L_G$, each one number. It must stay
# finite for logits as large as ±60 (`np.logaddexp(0, a)` computes softplus stably).

# %%
def gan_losses(real_logits, fake_logits):
    ### BEGIN SOLUTION
    def softplus(a):
        return np.logaddexp(0.0, a)

    d_loss = np.mean(softplus(-real_logits)) + np.mean(softplus(fake_logits))
    g_loss = np.mean(softplus(-fake_logits))
    return d_loss, g_loss
    ### END SOLUTION


# %%
exercises.check_gan_losses(gan_losses)

# %% [markdown]
# **The best discriminator.** For a fixed generator with density $p_g$, $V$ is an
# integral over $x$ of $p_\text{data}(x)\log D(x) + p_g(x)\log(1 - D(x))$. Maximising the
# integrand point by point gives
#
# $$D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)},$$
#
# and putting $D^*$ back in, $V(D^*, G) = -\log 4 + 2\,\mathrm{JS}(p_\text{data}\,\|\,p_g)$,
# where JS is the Jensen-Shannon divergence. So against a perfect discriminator the
# generator minimises a divergence between its distribution and the data's, zero only
# when the two are equal.
#
# ### Exercise 2 · Predict: the discriminator's loss at equilibrium
#
# Suppose training succeeds: the generator's samples follow the data distribution
# exactly and the discriminator is the best possible one. What value does $L_D$, the
# discriminator's loss as defined above (natural logarithms), take? Give a number; the
# training curves of section 4 will show how close a real run gets.

# %%
### BEGIN SOLUTION
d_loss_prediction = 2 * np.log(2)
### END SOLUTION

# %%
exercises.check_equilibrium_prediction(d_loss_prediction)

# %% [markdown]
# ## 3. Why the original generator loss saturates
#
# Early in training the generator's samples are poor and the discriminator rejects them
# easily: $D(G(z))$ is close to 0. What gradient reaches the generator? Both generator
# losses depend on the discriminator's logit $a$ of a fake sample, with $D = \sigma(a)$
# and $\sigma'(a) = D(1-D)$:
#
# $$\frac{\partial}{\partial a}\log\big(1 - \sigma(a)\big) = -D, \qquad
#   \frac{\partial}{\partial a}\big(-\log\sigma(a)\big) = -(1 - D).$$
#
# Everything the generator learns is this factor times $\partial a/\partial\theta_G$. With
# the minimax loss the factor is $D$, which vanishes exactly when the generator is bad;
# with the non-saturating loss it is $1 - D$, close to 1 then.

# %%
d = np.linspace(0.001, 0.999, 500)
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(d, d, label=r"minimax: $\log(1 - D)$, gradient $D$")
ax.plot(d, 1 - d, label=r"non-saturating: $-\log D$, gradient $1 - D$")
ax.axvspan(0, 0.1, color="0.9", label="early training: D(G(z)) small")
ax.set(xlabel="D(G(z))", ylabel="|d loss / d logit|", title="gradient reaching the generator")
legend = ax.legend(fontsize=8)

# %%
for value in (0.5, 0.1, 0.01, 0.001):
    print(f"D(G(z)) = {value:<6}  minimax gradient {value:<6}  non-saturating gradient {1 - value:.3f}  ratio {(1 - value) / value:.0f}")

# %% [markdown]
# At $D(G(z)) = 0.01$ the non-saturating loss gives the generator a gradient 99 times
# larger. Both losses have the same fixed point ($p_g = p_\text{data}$), so the trick
# changes only how fast the generator starts to learn, not where it is heading.
#
# ## 4. A GAN on the 8-Gaussian ring
#
# A small test bed where success and failure are easy to see: eight tiny Gaussian
# clusters (σ = 0.02) on a circle of radius 2. Both networks are MLPs with three hidden
# layers of 128 ReLU units; the generator maps 2-D standard normal codes to points.

# %%
ring_points = generative.ring_data(1000, seed=0)
ax = generative.plot_ring(ring_points, title="1,000 samples of the ring")


# %%
def build_generator(latent_dim=2, hidden=128):
    z = keras.Input((latent_dim,), name="z")
    x = z
    for _ in range(3):
        x = layers.Dense(hidden, activation="relu")(x)
    return keras.Model(z, layers.Dense(2, name="points")(x), name="generator")


def build_discriminator(pack=1, hidden=128):
    points = keras.Input((2 * pack,), name="points")
    x = points
    for _ in range(3):
        x = layers.Dense(hidden, activation="relu")(x)
    return keras.Model(points, layers.Dense(1, name="logit")(x), name="discriminator")


# %% [markdown]
# (`pack` is for section 5; with `pack = 1` the discriminator judges one point at a
# time.) One **training step** first improves the discriminator on a real batch and a
# fake batch, then improves the generator with the non-saturating loss on fresh codes.
# The step is written with `tf.GradientTape`, each network's optimizer touching only its
# own weights:

# %%
def pack_samples(x, pack):
    """Put samples i, i + n/pack, ... side by side: (n, 2) -> (n / pack, 2 * pack)."""
    return x if pack == 1 else tf.concat(tf.split(x, pack, axis=0), axis=-1)


def make_train_step(generator, discriminator, g_optimizer, d_optimizer, batch_size,
                    pack=1, seed=0, jit_compile=True):
    codes = keras.random.SeedGenerator(seed)
    latent_dim = generator.inputs[0].shape[-1]
    # Create Adam's moment variables now. A tf.function whose first call creates variables
    # is traced a second time, and tracing is a large part of a short run's cost.
    g_optimizer.build(generator.trainable_variables)
    d_optimizer.build(discriminator.trainable_variables)

    @tf.function(jit_compile=jit_compile)
    def train_step(real):
        z = keras.random.normal((batch_size, latent_dim), seed=codes)
        with tf.GradientTape() as tape:
            fake = generator(z, training=True)
            real_logits = discriminator(pack_samples(real, pack), training=True)
            fake_logits = discriminator(pack_samples(fake, pack), training=True)
            d_loss = tf.reduce_mean(tf.nn.softplus(-real_logits)) + tf.reduce_mean(tf.nn.softplus(fake_logits))
        d_optimizer.apply(tape.gradient(d_loss, discriminator.trainable_variables), discriminator.trainable_variables)

        z = keras.random.normal((batch_size, latent_dim), seed=codes)
        with tf.GradientTape() as tape:
            fake_logits = discriminator(pack_samples(generator(z, training=True), pack), training=True)
            g_loss = tf.reduce_mean(tf.nn.softplus(-fake_logits))
        g_optimizer.apply(tape.gradient(g_loss, generator.trainable_variables), generator.trainable_variables)
        return d_loss, g_loss

    return train_step


# %% [markdown]
# **XLA and determinism.** `runtime.setup()` turned on TensorFlow's op determinism, so
# that the course's results repeat exactly on one machine. Under it, Keras quietly
# ignores `model.compile(jit_compile=True)`. A `tf.function(jit_compile=True)` that we
# write ourselves is still compiled by XLA, which fuses the step's many small operations
# into a few kernels; XLA's code on the CPU is deterministic from run to run too, so this
# step is repeatable as well as compiled. The course therefore uses XLA where it can pay,
# in hand-written steps of small networks whose time goes to dispatching operations, and
# leaves `fit` (section 6) under op determinism. Across machines, results still differ in the
# last bits, which a GAN amplifies: the measurements below are printed after "≈" and
# checked with generous bounds.
#
# The training loop: fresh ring data for every step, Adam with $\beta_1 = 0.5$ (the
# usual choice for GANs), and every 200 steps a snapshot of the samples of 1,000 fixed
# codes and of the discriminator's verdict over the plane.

# %%
batch_size = 256
num_steps = report.profile.pick(quick=1600, full=6000)
snapshot_every = 200
probe = np.random.default_rng(0).standard_normal((1000, 2)).astype("float32")
grid_axis = np.linspace(-3, 3, 41)
plane = np.array([[x, y] for y in grid_axis for x in grid_axis], dtype="float32")


def train_ring_gan(pack=1, seed=0, every=snapshot_every):
    keras.utils.set_random_seed(seed)
    generator, discriminator = build_generator(), build_discriminator(pack)
    step = make_train_step(generator, discriminator, keras.optimizers.Adam(1e-3, beta_1=0.5),
                           keras.optimizers.Adam(1e-3, beta_1=0.5), batch_size, pack, seed)
    real = generative.ring_data(num_steps * batch_size, seed + 1)
    losses, snapshots, verdicts = [], [], []
    for i in range(num_steps):
        losses.append(step(real[i * batch_size:(i + 1) * batch_size]))
        if (i + 1) % every == 0:
            snapshots.append(generator(probe, training=False).numpy())
            if pack == 1:
                verdicts.append(tf.sigmoid(discriminator(plane)).numpy().reshape(41, 41))
    return generator, np.array(losses), np.array(snapshots), np.array(verdicts)


# %%
started = time.perf_counter()
generator, losses, snapshots, verdicts = train_ring_gan()
ring_seconds = time.perf_counter() - started

# %%
# NBVAL_IGNORE_OUTPUT
print(f"{num_steps} steps in {ring_seconds:.1f} s ({1000 * ring_seconds / num_steps:.1f} ms per step, XLA)")

# %% [markdown]
# Scrub through training with the slider (or press play). The background is the
# discriminator's probability "real": blue where it believes the data are, red where it
# has learned that the generator puts fakes. The text under the plot counts samples per
# mode.

# %%
# NBVAL_IGNORE_OUTPUT
labels = [f"step {snapshot_every * (k + 1)}" for k in range(len(snapshots))]
widgets.snapshot_scrubber(snapshots, labels, backgrounds=verdicts, title="GAN samples")

# %% [markdown]
# For the record, the same snapshots side by side:

# %%
shown = np.linspace(0, len(snapshots) - 1, 6).astype(int)
fig, axes = plt.subplots(1, 6, figsize=(15, 2.8))
for ax, k in zip(axes, shown, strict=True):
    generative.plot_ring(snapshots[k], ax=ax, title=labels[k], color="black")
    ax.set_axis_off()

# %% [markdown]
# The losses: the discriminator's hovers near the equilibrium value of exercise 2 (the
# dashed line) without settling on it, because the two networks keep chasing each
# other; a GAN's losses say little about the quality of its samples, which is why we
# measure samples instead.

# %%
smooth = np.convolve(losses[:, 0], np.ones(100) / 100, mode="valid")
fig, ax = plt.subplots(figsize=(6.5, 3))
ax.plot(losses[:, 0], alpha=0.3, label="D loss")
ax.plot(np.arange(99, num_steps), smooth, label="D loss, mean of 100 steps")
ax.plot(losses[:, 1], alpha=0.3, label="G loss")
ax.axhline(2 * np.log(2), color="black", ls="--", lw=1)
ax.set(xlabel="step", ylim=(0, 3))
legend = ax.legend(fontsize=8)
outcomes.expect("mean D loss over the last 500 steps", losses[-500:, 0].mean(), at_least=0.8, at_most=1.6)

# %% [markdown]
# **Does XLA help here?** The same step without XLA (a plain `tf.function`), timed on
# 100 steps of fresh networks after one warm-up call. XLA removes the overhead of
# launching each small operation separately, so it helps most when the operations are
# tiny and the processor is otherwise idle; how much depends on the machine, which is
# why the course measures instead of assuming:

# %%
# NBVAL_IGNORE_OUTPUT
for jit in (False, True):
    g, d = build_generator(), build_discriminator()
    step = make_train_step(g, d, keras.optimizers.Adam(1e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5),
                           batch_size, jit_compile=jit)
    step(ring_points[:batch_size])
    started = time.perf_counter()
    for _ in range(100):
        d_loss, g_loss = step(ring_points[:batch_size])
    print(f"jit_compile={jit!s:<5}  {1000 * (time.perf_counter() - started) / 100:.2f} ms per step")

# %% [markdown]
# ## 5. Mode collapse, measured
#
# A generator is rewarded for samples the discriminator accepts, not for covering the
# whole data distribution. It can put all its samples on a few modes; the discriminator
# then learns to reject those, the generator moves on to others, and the two can circle
# for a long time. Two numbers make this visible (`generative.score_ring`):
#
# - **modes covered**: clusters that receive at least 20 of 1,000 samples within 3σ;
# - **high-quality share**: the share of samples within 3σ of some cluster;
#
# plus the **energy distance** to a fresh sample of the ring, which compares whole
# distributions (0 for identical ones). Along the run above:

# %%
along = [generative.score_ring(snapshot) for snapshot in snapshots]
fig, ax = plt.subplots(figsize=(6.5, 2.8))
steps_axis = snapshot_every * (np.arange(len(along)) + 1)
ax.plot(steps_axis, [s.modes_covered for s in along], "o-", label="modes covered (of 8)")
ax.plot(steps_axis, [8 * s.high_quality_share for s in along], "s-", label="8 × high-quality share")
ax.set(xlabel="training step", ylim=(-0.3, 8.5))
legend = ax.legend(fontsize=8)

# %% [markdown]
# The generator finds the modes a few at a time, and the count can fall again when it
# abandons one for another. A remedy that works on the discriminator's side is
# **packing** (PacGAN, Lin et al., 2018): the discriminator judges `pack` samples at once,
# concatenated. A batch of fakes that all sit on the same mode looks nothing like a group
# of real points, which come from different modes, so a collapsed generator is easy to
# catch; a generator that covers every mode is not. Only the discriminator's input layer
# changes. We train a packed GAN with `pack = 2` and the same everything else; in the
# `full` profile we also compare both on three seeds.

# %%
packed_generator, packed_losses, packed_snapshots, _ = train_ring_gan(pack=2)
ring_scores = {
    "GAN (this notebook)": generative.score_ring(snapshots[-1], "GAN (this notebook)"),
    "PacGAN, pack 2 (this notebook)": generative.score_ring(packed_snapshots[-1], "PacGAN, pack 2 (this notebook)"),
    "PacGAN (pretrained)": generative.score_ring(generative.sample("gan_ring", 1000), "PacGAN (pretrained)"),
}
ring_scores |= {name: generative.score_ring(points, name) for name, points in generative.ring_references().items()}
generative.print_ring_scores(list(ring_scores.values()))

# %%
fig, axes = plt.subplots(1, 3, figsize=(10, 3.3))
for ax, (name, points) in zip(axes, [("GAN", snapshots[-1]), ("PacGAN", packed_snapshots[-1]),
                                     ("PacGAN (pretrained)", generative.sample("gan_ring", 1000))], strict=True):
    generative.plot_ring(points, ax=ax, title=name, color="black")

# %%
outcomes.expect("modes covered by the packed GAN", ring_scores["PacGAN, pack 2 (this notebook)"].modes_covered, at_least=6)
outcomes.expect("modes covered by the pretrained PacGAN", ring_scores["PacGAN (pretrained)"].modes_covered, at_least=8)
outcomes.expect("high-quality share of the pretrained PacGAN", ring_scores["PacGAN (pretrained)"].high_quality_share, at_least=0.5)

# %% [markdown]
# The pretrained PacGAN (`generative.sample("gan_ring", n)`) is the same recipe run for
# 4,000 steps by `scripts/train_dcgan.py`. One run of each says little about a method
# whose outcome depends on the seed; the `full` profile trains both variants on three
# seeds and compares the mean number of modes covered.

# %%
if report.profile.name == "full":
    seeds = (0, 1, 2)
    covered = {pack: [generative.score_ring(train_ring_gan(pack, seed)[2][-1]).modes_covered for seed in seeds]
               for pack in (1, 2)}
    print("modes covered, seeds 0-2:", {f"pack {pack}": values for pack, values in covered.items()})
    outcomes.expect("mean modes covered, packed minus plain", np.mean(covered[2]) - np.mean(covered[1]), at_least=0.0)

# %% [markdown]
# ### Exercise 3 · Model: a discriminator that sees the ring
#
# A generator learns only what its discriminator can tell apart. Take the crudest
# "generator", a Gaussian fitted to the ring (the reference row in the table above), and
# train a discriminator to tell its samples from real ring points. Choose the MLP's
# `hidden` units per layer (at most 512), its `depth` (1 to 4 hidden layers), Adam's
# `learning_rate` and `num_epochs` (at most 20) so that its accuracy on fresh points is
# **at least 0.95**. The check trains it (8,000 points, batch 128, seed 0) and evaluates
# it on 8,000 new points.

# %%
### BEGIN SOLUTION
hidden = 128
depth = 2
learning_rate = 3e-3
num_epochs = 10
### END SOLUTION

# %%
exercises.check_discriminator_target(hidden, depth, learning_rate, num_epochs)

# %% [markdown]
# ## 6. A DCGAN for digits
#
# Radford, Metz and Chintala (2016) found an architecture that made GANs train reliably
# on images, the **DCGAN**: the generator upsamples with transposed convolutions and batch
# normalisation, the discriminator downsamples with strided convolutions and LeakyReLU, no
# pooling, Adam with a learning rate of $2\cdot10^{-4}$ and $\beta_1 = 0.5$. Ours, for
# 28×28 digits and 32 latent units:

# %%
def build_dcgan_generator(latent_dim=32):
    z = keras.Input((latent_dim,))
    x = layers.Dense(7 * 7 * 128, use_bias=False)(z)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.Reshape((7, 7, 128))(x)
    for maps in (64, 32):                                           # 7 -> 14 -> 28
        x = layers.Conv2DTranspose(maps, 4, strides=2, padding="same", use_bias=False)(x)
        x = layers.ReLU()(layers.BatchNormalization()(x))
    images = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x)
    return keras.Model(z, images, name="dcgan_generator")


def build_dcgan_discriminator():
    images = keras.Input((28, 28, 1))
    x = layers.LeakyReLU(0.2)(layers.Conv2D(64, 4, strides=2, padding="same")(images))   # 14x14
    x = layers.LeakyReLU(0.2)(layers.Conv2D(128, 4, strides=2, padding="same")(x))       # 7x7
    x = layers.Dropout(0.3, seed=0)(layers.Flatten()(x))
    return keras.Model(images, layers.Dense(1)(x), name="dcgan_discriminator")


# %% [markdown]
# This time the training step lives in a `keras.Model` subclass, so that `fit` runs it:
# the model holds both networks, `compile` receives one optimizer for each, and
# `train_step` is the step of section 4 for one batch of real digits.

# %%
class GAN(keras.Model):
    def __init__(self, generator, discriminator, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.generator, self.discriminator = generator, discriminator
        self.latent_dim = generator.inputs[0].shape[-1]
        self.codes = keras.random.SeedGenerator(seed)

    def compile(self, g_optimizer, d_optimizer):
        super().compile()
        self.g_optimizer, self.d_optimizer = g_optimizer, d_optimizer
        g_optimizer.build(self.generator.trainable_variables)       # as in section 4: the
        d_optimizer.build(self.discriminator.trainable_variables)   # step is traced once

    def train_step(self, real):
        batch = tf.shape(real)[0]
        z = keras.random.normal((batch, self.latent_dim), seed=self.codes)
        with tf.GradientTape() as tape:
            real_logits = self.discriminator(real, training=True)
            fake_logits = self.discriminator(self.generator(z, training=True), training=True)
            d_loss = tf.reduce_mean(tf.nn.softplus(-real_logits)) + tf.reduce_mean(tf.nn.softplus(fake_logits))
        weights = self.discriminator.trainable_weights
        self.d_optimizer.apply(tape.gradient(d_loss, weights), weights)
        z = keras.random.normal((batch, self.latent_dim), seed=self.codes)
        with tf.GradientTape() as tape:
            g_loss = tf.reduce_mean(tf.nn.softplus(-self.discriminator(self.generator(z, training=True), training=True)))
        weights = self.generator.trainable_weights
        self.g_optimizer.apply(tape.gradient(g_loss, weights), weights)
        return {"d_loss": d_loss, "g_loss": g_loss}


# %% [markdown]
# A short demonstration fit on the 4,000 embedded training digits (one epoch in the
# `quick` profile): enough to see that it runs and where it starts, not to draw digits.

# %%
(x_train, y_train), (x_test, y_test) = data.load_mnist()
keras.utils.set_random_seed(0)
gan = GAN(build_dcgan_generator(), build_dcgan_discriminator())
gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5))
demo_epochs = report.profile.pick(quick=1, full=5)
history = gan.fit(x_train[:report.profile.pick(quick=1024, full=4000)], epochs=demo_epochs, batch_size=64, verbose=0)

# %%
demo_codes = np.random.default_rng(1).standard_normal((10, 32)).astype("float32")
axes = plots.image_grid(gan.generator.predict(demo_codes, verbose=0), ncols=10, size=0.8)
print(f"after {demo_epochs} epoch(s): D loss ≈ {history.history['d_loss'][-1]:.2f}, G loss ≈ {history.history['g_loss'][-1]:.2f}")

# %% [markdown]
# Blobs: a DCGAN needs tens of epochs here, 10-20 s each on two cores. The course ships
# one trained for 40 epochs by `scripts/train_dcgan.py` with the same networks and a
# running average of the generator's weights (which smooths the back-and-forth of
# adversarial training); its generator is `data/dcgan_generator.keras`, and
# `generative.sample("dcgan", n)` draws from it:

# %%
dcgan = keras.saving.load_model(pretrained.path("dcgan_generator.keras"), safe_mode=True)
codes = np.random.default_rng(2).standard_normal((30, 32)).astype("float32")
axes = plots.image_grid(dcgan.predict(codes, verbose=0), ncols=10, size=0.8)

# %% [markdown]
# ## 7. Walking and computing in the latent space
#
# **Interpolation.** Decode the points on the straight line between two codes. If the
# generator had memorised training digits, the path would jump from one to another;
# instead it morphs smoothly, through digit-like images, as Radford et al. observed.

# %%
ends = np.random.default_rng(3).standard_normal((4, 2, 32)).astype("float32")
weights = np.linspace(0, 1, 9)[None, :, None]
paths = (1 - weights) * ends[:, :1] + weights * ends[:, 1:]
axes = plots.image_grid(dcgan.predict(paths.reshape(-1, 32), verbose=0), ncols=9, size=0.8)

# %% [markdown]
# **Arithmetic.** Radford et al. averaged the codes of images that share an attribute
# ("smiling woman") and found that differences of such averages act as attribute
# vectors: smiling woman − neutral woman + neutral man ≈ smiling man. Digits have a
# simple attribute we can measure without labels: stroke thickness, the mean ink of the
# image. Average the codes of the 10 % heaviest and the 10 % lightest of 2,000 samples;
# their difference is a "more ink" direction, which we add to other codes in steps.

# %%
pool = np.random.default_rng(4).standard_normal((2000, 32)).astype("float32")
ink = dcgan.predict(pool, verbose=0).mean(axis=(1, 2, 3))
order = np.argsort(ink)
thicker = pool[order[-200:]].mean(axis=0) - pool[order[:200]].mean(axis=0)
print(f"mean ink of the heaviest 10 % ≈ {ink[order[-200:]].mean():.3f}, of the lightest 10 % ≈ {ink[order[:200]].mean():.3f}")

# %%
strengths = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
base = np.random.default_rng(5).standard_normal((500, 32)).astype("float32")
edited = np.stack([dcgan.predict(base + s * thicker, verbose=0) for s in strengths])   # (5, 500, 28, 28, 1)
axes = plots.image_grid(edited[:, :8].transpose(1, 0, 2, 3, 4).reshape(-1, 28, 28, 1), ncols=5, size=0.8)

# %% [markdown]
# Columns: the same code moved by −1, −0.5, 0, +0.5, +1 times the direction. Does the
# edit change the ink, and does it keep the digit? Over 500 codes, with the course's
# classifier for the digit:

# %%
mean_ink = edited.mean(axis=(1, 2, 3, 4))
labels_by_strength = [generative.classify(images)[1].argmax(axis=1) for images in edited]
kept = [np.mean(labels == labels_by_strength[2]) for labels in labels_by_strength]
for s, i, k in zip(strengths, mean_ink, kept, strict=True):
    print(f"strength {s:+.1f}: mean ink ≈ {i:.3f}, same digit as unedited ≈ {k:.0%}")
outcomes.expect("mean ink, +1 / -1 direction", mean_ink[-1] / mean_ink[0], at_least=1.3)
outcomes.expect("digits kept at strength +0.5", kept[3], at_least=0.35, fmt=".0%")

# %% [markdown]
# The ink changes steadily with the strength, so the direction does carry the
# attribute. But the digit changes too, more and more as the code moves: ink and digit
# identity are entangled in this latent space (heavy digits such as 0 and 8 sit on one
# side, light ones such as 1 and 7 on the other), and a direction found by averaging
# captures both. Radford et al. averaged three examples per concept and showed the best
# cases; measuring over many codes tells the fuller story.
#
# ## 8. How good are the samples?
#
# The course's sample-quality measurements (notebook 13): the Fréchet distance between
# the classifier features of 1,000 samples and of the training digits, the share
# classified with confidence above 0.9, and the class histogram, with the same reference
# rows.

# %%
image_sets = dict(generative.image_references())
sampling_seconds = {}
for name in ("vae", "dcgan"):
    started = time.perf_counter()
    image_sets[f"{name} (pretrained)"] = generative.sample(name, 1000)
    sampling_seconds[name] = time.perf_counter() - started
image_scores = {name: generative.score_images(images, name) for name, images in image_sets.items()}
generative.print_image_scores(list(image_scores.values()))

# %%
# NBVAL_IGNORE_OUTPUT
print({name: f"{seconds:.2f} s for 1,000 samples" for name, seconds in sampling_seconds.items()})

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 2.6), sharey=True)
for ax, name in zip(axes, ["vae (pretrained)", "dcgan (pretrained)"], strict=True):
    generative.plot_class_histogram(image_scores[name], ax=ax)

# %%
dcgan_scores = image_scores["dcgan (pretrained)"]
outcomes.expect("Fréchet distance, pixel Gaussian / DCGAN",
                image_scores["Gaussian fitted to pixels"].frechet / dcgan_scores.frechet, at_least=4.0)
outcomes.expect("DCGAN's smallest class share", dcgan_scores.smallest_class_share, at_least=0.02, fmt=".1%")

# %% [markdown]
# The DCGAN's digits are sharp where the VAE's are smooth: no pixel likelihood asks it
# to hedge between possible digits, only a discriminator that rejects blurry ones. Its
# Fréchet distance is a fraction of the pixel Gaussian's and every digit class appears;
# a GAN that collapsed onto a few digits would show it at once in the histogram.
#
# ## Summary
#
# - A GAN trains a generator against a discriminator:
#   $\min_G\max_D\,\mathbb E[\log D(x)] + \mathbb E[\log(1 - D(G(z)))]$. The
#   discriminator minimises the binary cross-entropy of real vs fake; the generator
#   minimises $-\log D(G(z))$, the non-saturating loss, whose gradient does not vanish
#   when the discriminator wins. Losses are computed from logits with softplus.
# - Against the best discriminator, $D^* = p_\text{data}/(p_\text{data} + p_g)$, the
#   generator minimises a Jensen-Shannon divergence; at equilibrium $D = 1/2$ and the
#   discriminator's loss is $2\log 2$.
# - A hand-written `tf.function(jit_compile=True)` step is compiled by XLA even with op
#   determinism on, and stays repeatable; whether it is faster depends on the machine,
#   so measure. `fit` with a custom `train_step` runs under op determinism.
# - Mode collapse is measured by modes covered and high-quality share; packing samples
#   for the discriminator (PacGAN) is one remedy.
# - A DCGAN draws sharp, varied digits; its latent space interpolates smoothly, and
#   differences of mean codes act as attribute directions (more ink).
#
# ## Further reading
#
# - I. Goodfellow et al. (2014), *Generative adversarial nets*, NeurIPS.
# - A. Radford, L. Metz and S. Chintala (2016), *Unsupervised representation learning with deep convolutional generative adversarial networks*, ICLR.
# - Z. Lin, A. Khetan, G. Fanti and S. Oh (2018), *PacGAN: the power of two samples in generative adversarial networks*, NeurIPS.
# - L. Metz, B. Poole, D. Pfau and J. Sohl-Dickstein (2017), *Unrolled generative adversarial networks*, ICLR (the 8-Gaussian ring).
# - A. Makhzani et al. (2016), *Adversarial autoencoders*, ICLR workshop.
# - M. Lucic et al. (2018), *Are GANs created equal? A large-scale study*, NeurIPS.
# - I. Goodfellow (2016), *NIPS 2016 tutorial: generative adversarial networks*, arXiv:1701.00160.

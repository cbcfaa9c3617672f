"""Generative adversarial networks (notebook 14): networks, the training step, the samplers.

* :func:`point_generator`, :func:`point_discriminator`: MLPs for the 2-D ring;
  the discriminator can judge ``pack`` samples at once (PacGAN, Lin et al., 2018), the
  remedy for mode collapse that notebook 14 measures.
* :func:`digit_generator`, :func:`digit_discriminator`: a DCGAN for 28x28 digits
  (Radford, Metz and Chintala, 2016).
* :func:`gan_train_step`: one discriminator step then one generator step with the
  non-saturating loss, as a ``tf.function`` (compiled with XLA on request). Notebook 14
  writes the same step in view; ``tests/test_part5_gan_diffusion.py`` checks the two agree.
* :func:`train_point_gan`: trains a ring GAN end to end (the pretrained one, notebook
  14's modelling exercise) and keeps snapshots of its samples.
* :func:`sample_gan_ring`, :func:`sample_dcgan`: the samplers behind
  ``generative.sample("gan_ring", n)`` and ``generative.sample("dcgan", n)``.

Imports TensorFlow (through :mod:`course_lib.backend`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import validate
from ..backend import keras, tf
from . import pretrained, ring

layers = keras.layers

__all__ = [
    "DCGAN_FILE",
    "GAN_RING_FILE",
    "GanRun",
    "digit_discriminator",
    "digit_generator",
    "gan_train_step",
    "pack_samples",
    "point_discriminator",
    "point_generator",
    "sample_dcgan",
    "sample_gan_ring",
    "train_point_gan",
]

GAN_RING_FILE = "gan_ring_generator.keras"
DCGAN_FILE = "dcgan_generator.keras"


# ----------------------------------------------------------------------------- networks


def point_generator(latent_dim: int = 2, hidden: int = 128, depth: int = 3) -> keras.Model:
    """``z (n, latent_dim) -> x (n, 2)``: ``depth`` dense ReLU layers, then a linear layer."""
    latent_dim = validate.count("latent_dim", latent_dim, maximum=1024)
    hidden = validate.count("hidden", hidden, maximum=4096)
    depth = validate.count("depth", depth, maximum=32)
    z = keras.Input((latent_dim,), name="z")
    x = z
    for _ in range(depth):
        x = layers.Dense(hidden, activation="relu")(x)
    return keras.Model(z, layers.Dense(2, name="points")(x), name="generator")


def point_discriminator(pack: int = 1, hidden: int = 128, depth: int = 3) -> keras.Model:
    """``(n, 2 * pack) -> (n, 1)`` logits: is this group of ``pack`` points real?

    Dense ReLU layers, then one linear unit; the probability "real" is the sigmoid of the
    logit. With ``pack > 1`` the input is ``pack`` points side by side (:func:`pack_samples`).
    """
    pack = validate.count("pack", pack, maximum=16)
    hidden = validate.count("hidden", hidden, maximum=4096)
    depth = validate.count("depth", depth, maximum=32)
    points = keras.Input((2 * pack,), name="points")
    x = points
    for _ in range(depth):
        x = layers.Dense(hidden, activation="relu")(x)
    return keras.Model(points, layers.Dense(1, name="logit")(x), name="discriminator")


def digit_generator(latent_dim: int = 32) -> keras.Model:
    """The DCGAN generator: ``z (n, latent_dim) -> (n, 28, 28, 1)`` pixels in [0, 1].

    Dense to 7x7x128 -> batch norm, ReLU -> transposed conv 4x4 stride 2 (64 maps, 14x14)
    -> batch norm, ReLU -> transposed conv 4x4 stride 2 (32 maps, 28x28) -> batch norm,
    ReLU -> conv 3x3 to one sigmoid channel. No pooling and no dense hidden layers, as
    Radford et al. recommend.
    """
    latent_dim = validate.count("latent_dim", latent_dim, maximum=1024)
    z = keras.Input((latent_dim,), name="z")
    x = layers.Dense(7 * 7 * 128, use_bias=False)(z)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((7, 7, 128))(x)
    for maps in (64, 32):
        x = layers.Conv2DTranspose(maps, 4, strides=2, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    images = layers.Conv2D(1, 3, padding="same", activation="sigmoid", name="pixels")(x)
    return keras.Model(z, images, name="dcgan_generator")


def digit_discriminator() -> keras.Model:
    """The DCGAN discriminator: ``(n, 28, 28, 1) -> (n, 1)`` logits.

    Conv 4x4 stride 2 (64 maps) -> LeakyReLU(0.2) -> conv 4x4 stride 2 (128 maps) ->
    LeakyReLU(0.2) -> flatten -> dropout 0.3 -> one linear unit. Strided convolutions
    instead of pooling, LeakyReLU instead of ReLU (Radford et al.).
    """
    images = keras.Input((28, 28, 1), name="pixels")
    x = layers.Conv2D(64, 4, strides=2, padding="same")(images)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(128, 4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.3, seed=0)(x)
    return keras.Model(images, layers.Dense(1, name="logit")(x), name="dcgan_discriminator")


# ----------------------------------------------------------------------------- training


def pack_samples(x, pack: int):
    """Group a batch into ``pack``-tuples, side by side on the last axis (PacGAN).

    Sample ``i`` is grouped with samples ``i + n/pack``, ``i + 2n/pack``...

    Args:
        x: ``(n, ..., c)`` tensor or array, ``n`` a multiple of ``pack``.
        pack: group size; 1 returns ``x`` unchanged.

    Returns:
        ``(n / pack, ..., pack * c)`` tensor.
    """
    pack = validate.count("pack", pack, maximum=16)
    if pack == 1:
        return x
    return tf.concat(tf.split(x, pack, axis=0), axis=-1)


def gan_train_step(generator, discriminator, g_optimizer, d_optimizer, *, batch_size: int,
                   pack: int = 1, seed: int = 0, jit_compile: bool = False):
    r"""One round of GAN training: a discriminator step, then a generator step.

    Losses, with :math:`D = \sigma(\text{logit})` and :math:`-\log\sigma(a) = \operatorname{softplus}(-a)`:

    * discriminator: :math:`-\frac1m\sum \log D(x) - \frac1m\sum \log(1 - D(G(z)))`;
    * generator (non-saturating): :math:`-\frac1m\sum \log D(G(z))`, on fresh codes.

    Args:
        generator: ``z -> x``; discriminator: ``x (packed) -> logits``.
        g_optimizer, d_optimizer: one Keras optimizer each.
        batch_size: samples per step (a multiple of ``pack``).
        pack: how many samples the discriminator judges together (PacGAN).
        seed: seeds the codes (a ``keras.random.SeedGenerator``).
        jit_compile: compile the step with XLA.

    Returns:
        ``step(real) -> (d_loss, g_loss)`` for a batch ``real`` of ``batch_size`` samples.
    """
    generator = validate.model("generator", generator)
    discriminator = validate.model("discriminator", discriminator)
    batch_size = validate.count("batch_size", batch_size)
    pack = validate.count("pack", pack, maximum=16)
    if batch_size % pack:
        raise ValueError(f"batch_size ({batch_size}) must be a multiple of pack ({pack})")
    seed = validate.seed("seed", seed)
    jit_compile = validate.flag("jit_compile", jit_compile)
    for name, optimizer, model in (("g_optimizer", g_optimizer, generator),
                                   ("d_optimizer", d_optimizer, discriminator)):
        validate.instance(name, optimizer, keras.optimizers.Optimizer, "a Keras optimizer")
        # its slots now: a tf.function that creates variables on its first call is traced twice
        optimizer.build(model.trainable_variables)
    latent_dim = int(generator.inputs[0].shape[-1])
    codes = keras.random.SeedGenerator(seed)

    @tf.function(jit_compile=jit_compile)
    def step(real):
        z = keras.random.normal((batch_size, latent_dim), seed=codes)
        with tf.GradientTape() as tape:
            fake = generator(z, training=True)
            real_logits = discriminator(pack_samples(real, pack), training=True)
            fake_logits = discriminator(pack_samples(fake, pack), training=True)
            d_loss = tf.reduce_mean(tf.nn.softplus(-real_logits)) + tf.reduce_mean(tf.nn.softplus(fake_logits))
        d_gradients = tape.gradient(d_loss, discriminator.trainable_variables)
        d_optimizer.apply(d_gradients, discriminator.trainable_variables)

        z = keras.random.normal((batch_size, latent_dim), seed=codes)
        with tf.GradientTape() as tape:
            fake_logits = discriminator(pack_samples(generator(z, training=True), pack), training=True)
            g_loss = tf.reduce_mean(tf.nn.softplus(-fake_logits))
        g_gradients = tape.gradient(g_loss, generator.trainable_variables)
        g_optimizer.apply(g_gradients, generator.trainable_variables)
        return d_loss, g_loss

    return step


@dataclass
class GanRun:
    """A trained ring GAN and what was recorded along the way.

    Attributes:
        generator, discriminator: the trained networks.
        steps: ``(k,)`` the training steps at which snapshots were taken.
        snapshots: ``(k, n_probe, 2)`` the generator's samples of fixed probe codes.
        d_losses, g_losses: ``(num_steps,)`` the losses of every step.
    """

    generator: keras.Model
    discriminator: keras.Model
    steps: np.ndarray = field(repr=False)
    snapshots: np.ndarray = field(repr=False)
    d_losses: np.ndarray = field(repr=False)
    g_losses: np.ndarray = field(repr=False)


def train_point_gan(
    num_steps: int = 3000,
    *,
    batch_size: int = 256,
    d_learning_rate: float = 1e-3,
    g_learning_rate: float = 1e-3,
    pack: int = 1,
    latent_dim: int = 2,
    hidden: int = 128,
    seed: int = 0,
    snapshot_every: int = 250,
    probe: int = 1000,
    jit_compile: bool = True,
) -> GanRun:
    """Train a GAN on the 8-Gaussian ring, the way notebook 14 does.

    Fresh ring data for every step (``ring.ring_data(num_steps * batch_size, seed + 1)``),
    Adam with beta_1 = 0.5 for both networks, the step of :func:`gan_train_step`.

    Args:
        num_steps: training steps (1 to 100,000).
        batch_size: samples per step; d_learning_rate, g_learning_rate: Adam's rates.
        pack: PacGAN group size (1: a plain GAN).
        latent_dim, hidden: sizes of the networks (three hidden layers each).
        seed: seeds the networks' initial weights, the codes and the data.
        snapshot_every: steps between snapshots of the generator's samples.
        probe: how many fixed codes the snapshots show.
        jit_compile: compile the step with XLA (about twice as fast for these small
            networks on a CPU, after a compilation of a few seconds).

    Returns:
        A :class:`GanRun`.
    """
    num_steps = validate.count("num_steps", num_steps, maximum=100_000)
    batch_size = validate.count("batch_size", batch_size, minimum=2, maximum=8192)
    d_learning_rate = validate.real("d_learning_rate", d_learning_rate, low=0.0, high=1.0, low_open=True)
    g_learning_rate = validate.real("g_learning_rate", g_learning_rate, low=0.0, high=1.0, low_open=True)
    pack = validate.count("pack", pack, maximum=16)
    seed = validate.seed("seed", seed)
    snapshot_every = validate.count("snapshot_every", snapshot_every)
    probe = validate.count("probe", probe, maximum=100_000)
    jit_compile = validate.flag("jit_compile", jit_compile)

    keras.utils.set_random_seed(seed)
    generator = point_generator(latent_dim, hidden)
    discriminator = point_discriminator(pack, hidden)
    step = gan_train_step(
        generator, discriminator,
        keras.optimizers.Adam(g_learning_rate, beta_1=0.5),
        keras.optimizers.Adam(d_learning_rate, beta_1=0.5),
        batch_size=batch_size, pack=pack, seed=seed, jit_compile=jit_compile,
    )
    real = ring.ring_data(num_steps * batch_size, (seed + 1) % 2**32)
    probe_codes = np.random.default_rng(seed).standard_normal((probe, latent_dim)).astype(np.float32)
    losses = np.zeros((num_steps, 2))
    steps, snapshots = [], []
    for i in range(num_steps):
        d_loss, g_loss = step(real[i * batch_size:(i + 1) * batch_size])
        losses[i] = float(d_loss), float(g_loss)
        if (i + 1) % snapshot_every == 0 or i + 1 == num_steps:
            steps.append(i + 1)
            snapshots.append(generator(probe_codes, training=False).numpy())
    return GanRun(generator, discriminator, np.array(steps), np.array(snapshots),
                  losses[:, 0], losses[:, 1])


# ----------------------------------------------------------------------------- samplers


def _codes(model, n: int, seed: int) -> np.ndarray:
    latent_dim = int(model.inputs[0].shape[-1])
    return np.random.default_rng(seed).standard_normal((n, latent_dim)).astype(np.float32)


def sample_gan_ring(n: int, seed: int) -> np.ndarray:
    """``n`` points from the pretrained ring GAN (``data/gan_ring_generator.keras``): ``(n, 2)``."""
    n = validate.count("n", n)
    seed = validate.seed("seed", seed)
    generator = pretrained.load(GAN_RING_FILE)
    return generator.predict(_codes(generator, n, seed), batch_size=1000, verbose=0).astype(np.float32)


def sample_dcgan(n: int, seed: int) -> np.ndarray:
    """``n`` digits from the pretrained DCGAN (``data/dcgan_generator.keras``):
    ``(n, 28, 28, 1)`` pixels in [0, 1]."""
    n = validate.count("n", n)
    seed = validate.seed("seed", seed)
    return pretrained.decode_gaussian_latents(pretrained.load(DCGAN_FILE), n, seed)

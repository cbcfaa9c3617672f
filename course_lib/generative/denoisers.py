"""Noise-prediction networks for denoising diffusion (notebook 15), their training step and samplers.

* :func:`sinusoidal_table` and :func:`time_embedding`: a step ``t`` as sines and cosines
  of geometrically spaced frequencies, held by a frozen ``Embedding`` layer.
* :func:`point_denoiser`: the MLP for 2-D points, ``[x_t (n, 2), t (n, 1) int] -> eps_hat (n, 2)``.
* :func:`digit_denoiser`: a small U-Net for 28x28 digits,
  ``[x_t (n, 28, 28, 1), t (n, 1) int] -> eps_hat (n, 28, 28, 1)``.
* :func:`denoiser_train_step`: the training step of Ho et al. (pick a step, noise the data
  in closed form, regress the noise), as a ``tf.function``, compiled with XLA on request.
* :func:`noise_predictor`: wraps a network as the ``(x_t, t) -> eps_hat`` function that
  :func:`course_lib.generative.diffusion.reverse_sample` calls.
* :func:`sample_ddpm`, :func:`sample_ddpm_ring`: the samplers behind
  ``generative.sample("ddpm", n)`` and ``generative.sample("ddpm_ring", n)``.

Digits are scaled to [-1, 1] for diffusion (:func:`to_signed`, :func:`to_unit`). The
networks use only Keras's own layers, so the shipped ``.keras`` files load with
``safe_mode=True`` and no import. Imports TensorFlow.
"""

from __future__ import annotations

import numpy as np

from .. import validate
from ..backend import keras, tf
from . import diffusion, pretrained

layers = keras.layers

__all__ = [
    "DDPM_DIGITS_FILE",
    "DDPM_RING_FILE",
    "DIGITS_SAMPLING_STEPS",
    "DIGITS_SCHEDULE",
    "RING_SCHEDULE",
    "denoiser_train_step",
    "digit_denoiser",
    "noise_predictor",
    "point_denoiser",
    "sample_ddpm",
    "sample_ddpm_ring",
    "sinusoidal_table",
    "time_embedding",
    "to_signed",
    "to_unit",
]

DDPM_DIGITS_FILE = "ddpm_digits.keras"
DDPM_RING_FILE = "ddpm_ring.keras"

# The settings the shipped models were trained with (scripts/train_ddpm.py): the
# samplers must use the same schedules.
DIGITS_SCHEDULE = ("cosine", 100)
DIGITS_SAMPLING_STEPS = 20
RING_SCHEDULE = ("cosine", 100)


def sinusoidal_table(num_steps: int, dim: int) -> np.ndarray:
    r"""The sinusoidal features of every step ``t = 0..T``: ``(T + 1, dim)`` float32.

    Row ``t`` holds :math:`\sin(\omega_k t)` in its first half and :math:`\cos(\omega_k t)`
    in its second, with ``dim / 2`` frequencies :math:`\omega_k` spaced geometrically from
    1 down to :math:`1 / (4T)` (Vaswani et al., 2017; Ho et al., 2020). Nearby steps get
    similar rows, distant ones different rows, which dense layers read more easily than
    the bare number ``t``.

    Args:
        num_steps: T, from 1 to 10,000; dim: an even number of features.
    """
    num_steps = validate.count("num_steps", num_steps, maximum=diffusion.MAX_STEPS)
    dim = validate.count("dim", dim, minimum=2, maximum=4096)
    if dim % 2:
        raise ValueError(f"dim must be even, got {dim}")
    half = dim // 2
    frequencies = (4.0 * num_steps) ** (-np.arange(half) / max(half - 1, 1))
    angles = np.arange(num_steps + 1)[:, None] * frequencies[None, :]
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=1).astype(np.float32)


def time_embedding(num_steps: int, dim: int, name: str = "time_embedding"):
    """A frozen ``Embedding`` layer that maps a step ``(n, 1)`` int to its sinusoidal
    features ``(n, 1, dim)`` (:func:`sinusoidal_table`).

    A plain Keras layer (no custom class), so models that use it load in safe mode
    without any import.
    """
    num_steps = validate.count("num_steps", num_steps, maximum=diffusion.MAX_STEPS)
    dim = validate.count("dim", dim, minimum=2, maximum=4096)
    name = validate.text("name", name)
    table = sinusoidal_table(num_steps, dim)
    layer = layers.Embedding(num_steps + 1, dim, trainable=False, name=name)
    layer.build((None, 1))
    layer.set_weights([table])
    return layer


def _embedding_size(embedding) -> int:
    embedding = validate.count("embedding", embedding, minimum=2, maximum=4096)
    if embedding % 2:
        raise ValueError(f"embedding must be even (half sines, half cosines), got {embedding}")
    return embedding


def point_denoiser(num_steps: int, hidden: int = 128, depth: int = 3, embedding: int = 32) -> keras.Model:
    """The noise-prediction MLP for 2-D points.

    ``[x_t, t] -> eps_hat``: the step ``t`` goes through :func:`time_embedding`, is
    concatenated with ``x_t``, then ``depth`` dense layers of ``hidden`` SiLU units and a
    linear layer give the predicted noise.

    Args:
        num_steps: T of the schedule; hidden: units per layer; depth: hidden layers;
        embedding: size of the time embedding.

    Returns:
        A model ``[(n, 2) float, (n, 1) int] -> (n, 2)``.
    """
    hidden = validate.count("hidden", hidden, maximum=4096)
    depth = validate.count("depth", depth, maximum=32)
    embedding = _embedding_size(embedding)
    points = keras.Input((2,), name="x_t")
    step = keras.Input((1,), dtype="int32", name="t")
    features = layers.Flatten()(time_embedding(num_steps, embedding)(step))
    x = layers.Concatenate()([points, features])
    for _ in range(depth):
        x = layers.Dense(hidden, activation="silu")(x)
    return keras.Model([points, step], layers.Dense(2, name="eps_hat")(x), name="point_denoiser")


def _residual_block(x, time_features, channels: int, groups: int):
    skip = x if x.shape[-1] == channels else layers.Conv2D(channels, 1)(x)
    h = layers.GroupNormalization(groups)(x)
    h = layers.Activation("silu")(h)
    h = layers.Conv2D(channels, 3, padding="same")(h)
    shift = layers.Reshape((1, 1, channels))(layers.Dense(channels)(time_features))
    h = layers.Add()([h, shift])
    h = layers.GroupNormalization(groups)(h)
    h = layers.Activation("silu")(h)
    h = layers.Conv2D(channels, 3, padding="same")(h)
    return layers.Add()([skip, h])


def digit_denoiser(num_steps: int, channels: int = 32, embedding: int = 64) -> keras.Model:
    """A small U-Net that predicts the noise in a noised 28x28 digit.

    The image is cut into 2x2 patches (a stride-2 convolution, 14x14 maps), then: a
    residual block at 14x14 (``channels`` maps), a stride-2 convolution to 7x7
    (``2 * channels``), two residual blocks there, a transposed convolution back to 14x14,
    the skip connection from the first block concatenated, a residual block, and a
    transposed convolution to 28x28x1. Each residual block adds a learned projection of
    the time features to its maps (how the network knows the noise level).

    Args:
        num_steps: T of the schedule; channels: maps at 14x14 (twice as many at 7x7),
        a multiple of 8 from 8 to 512; embedding: size of the time features.

    Returns:
        A model ``[(n, 28, 28, 1) float, (n, 1) int] -> (n, 28, 28, 1)``; images in
        [-1, 1] plus noise.
    """
    channels = validate.count("channels", channels, minimum=8, maximum=512)
    if channels % 8:
        raise ValueError(f"channels must be a multiple of 8 (group normalisation), got {channels}")
    embedding = _embedding_size(embedding)
    groups = 8
    images = keras.Input((28, 28, 1), name="x_t")
    step = keras.Input((1,), dtype="int32", name="t")
    time_features = layers.Flatten()(time_embedding(num_steps, embedding)(step))
    time_features = layers.Dense(embedding, activation="silu")(time_features)
    x = layers.Conv2D(channels, 2, strides=2)(images)                    # 14x14
    high = _residual_block(x, time_features, channels, groups)
    x = layers.Conv2D(2 * channels, 3, strides=2, padding="same")(high)  # 7x7
    x = _residual_block(x, time_features, 2 * channels, groups)
    x = _residual_block(x, time_features, 2 * channels, groups)
    x = layers.Conv2DTranspose(channels, 3, strides=2, padding="same")(x)  # 14x14
    x = layers.Concatenate()([x, high])
    x = _residual_block(x, time_features, channels, groups)
    x = layers.GroupNormalization(groups)(x)
    x = layers.Activation("silu")(x)
    outputs = layers.Conv2DTranspose(1, 2, strides=2, name="eps_hat")(x)  # 28x28
    return keras.Model([images, step], outputs, name="digit_denoiser")


def to_signed(images: np.ndarray) -> np.ndarray:
    """Pixels in [0, 1] -> [-1, 1], the range diffusion works in (float32, same shape)."""
    images = validate.array("images", images, ndim=(2, 3, 4), dtype=np.float32)
    return (2.0 * images - 1.0).astype(np.float32)


def to_unit(images: np.ndarray) -> np.ndarray:
    """Samples in about [-1, 1] -> pixels in [0, 1], clipped (float32, same shape)."""
    images = validate.array("images", images, ndim=(2, 3, 4), dtype=np.float32)
    return np.clip((images + 1.0) / 2.0, 0.0, 1.0).astype(np.float32)


def denoiser_train_step(model, optimizer, schedule: diffusion.Schedule, *, seed: int = 0,
                        jit_compile: bool = False):
    r"""The DDPM training step for ``model``, as a ``tf.function`` of a batch ``x0``.

    For each example: a step :math:`t` uniform in ``1..T``, noise :math:`\epsilon \sim N(0, I)`,
    :math:`x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\epsilon`; the loss is the
    mean of :math:`(\epsilon - \hat\epsilon(x_t, t))^2` over the batch and the
    coordinates, minimised by one step of ``optimizer``.

    Args:
        model: ``[x_t, t] -> eps_hat`` with ``t`` an ``(n, 1)`` int step; optimizer: a
        Keras optimizer; schedule: the :class:`~course_lib.generative.diffusion.Schedule`.
        seed: seeds the steps and the noise (a ``keras.random.SeedGenerator``).
        jit_compile: compile the step with XLA (worth it for small dense networks).

    Returns:
        ``step(x0) -> loss`` (a scalar tensor), ``x0`` float32 ``(batch, ...)``.
    """
    model = validate.model("model", model)
    schedule = validate.instance("schedule", schedule, diffusion.Schedule, "a Schedule")
    seed = validate.seed("seed", seed)
    jit_compile = validate.flag("jit_compile", jit_compile)
    alpha_bars = tf.constant(schedule.alpha_bars, dtype=tf.float32)
    num_steps = schedule.num_steps
    noise_seed = keras.random.SeedGenerator(seed)
    validate.instance("optimizer", optimizer, keras.optimizers.Optimizer, "a Keras optimizer")
    optimizer.build(model.trainable_variables)   # slots now, so that the step is traced once

    @tf.function(jit_compile=jit_compile)
    def step(x0):
        batch = tf.shape(x0)[0]
        t = keras.random.randint((batch, 1), 1, num_steps + 1, seed=noise_seed, dtype="int32")
        noise = keras.random.normal(tf.shape(x0), seed=noise_seed)
        alpha_bar = tf.reshape(tf.gather(alpha_bars, t[:, 0]), [-1] + [1] * (len(x0.shape) - 1))
        x_t = tf.sqrt(alpha_bar) * x0 + tf.sqrt(1.0 - alpha_bar) * noise
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(noise - model([x_t, t], training=True)))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply(gradients, model.trainable_variables)
        return loss

    return step


def noise_predictor(model, *, batch_size: int = 1000):
    """``model`` as the function ``(x_t, t) -> eps_hat`` the samplers of :mod:`.diffusion` call.

    Args:
        model: ``[x_t, t] -> eps_hat``; batch_size: examples per call of the network.

    Returns:
        A function of ``x_t: (n, ...)`` and ``t: (n,)`` int steps returning ``(n, ...)`` float32.
    """
    model = validate.model("model", model)
    batch_size = validate.count("batch_size", batch_size)

    @tf.function(reduce_retracing=True)
    def call(x, step):
        return model([x, step], training=False)

    def predict(x_t: np.ndarray, t: np.ndarray) -> np.ndarray:
        x_t = np.asarray(x_t, dtype=np.float32)
        steps = np.asarray(t, dtype=np.int32).reshape(-1, 1)
        parts = [call(x_t[i:i + batch_size], steps[i:i + batch_size]).numpy()
                 for i in range(0, len(x_t), batch_size)]
        return np.concatenate(parts)

    return predict


def sample_ddpm(n: int, seed: int, *, num_steps: int | None = DIGITS_SAMPLING_STEPS,
                eta: float = 1.0, progress: bool = False) -> np.ndarray:
    """``n`` digits from the pretrained DDPM (``data/ddpm_digits.keras``).

    The predicted clean digit is clipped to the pixel range at every step.

    Args:
        n: how many; seed: seeds the start noise and the noise of every step.
        num_steps: network calls per sample: ``num_steps`` DDIM steps (default 20), or
            None for full ancestral sampling (every step of the schedule).
        eta: DDIM's share of fresh noise, from 0 (deterministic) to 1 (the default:
            ancestral sampling on the subsequence of steps); ignored when ``num_steps``
            is None.
        progress: show a progress bar.

    Returns:
        ``(n, 28, 28, 1)`` float32 pixels in [0, 1].
    """
    n = validate.count("n", n)
    seed = validate.seed("seed", seed)
    eta = validate.real("eta", eta, low=0.0, high=1.0)
    progress = validate.flag("progress", progress)
    schedule = diffusion.noise_schedule(*DIGITS_SCHEDULE)
    if num_steps is not None:
        num_steps = validate.count("num_steps", num_steps, maximum=schedule.num_steps)
    predict = noise_predictor(pretrained.load(DDPM_DIGITS_FILE), batch_size=500)
    method = "ddpm" if num_steps is None else "ddim"
    samples, _ = diffusion.reverse_sample(predict, (n, 28, 28, 1), schedule, seed=seed, num_steps=num_steps,
                                          method=method, eta=eta, clip=1.0, progress=progress)
    return to_unit(samples)


def sample_ddpm_ring(n: int, seed: int) -> np.ndarray:
    """``n`` points from the pretrained 2-D DDPM of the ring (``data/ddpm_ring.keras``),
    by ancestral sampling: ``(n, 2)`` float32."""
    n = validate.count("n", n)
    seed = validate.seed("seed", seed)
    schedule = diffusion.noise_schedule(*RING_SCHEDULE)
    predict = noise_predictor(pretrained.load(DDPM_RING_FILE))
    samples, _ = diffusion.reverse_sample(predict, (n, 2), schedule, seed=seed)
    return samples

"""Keras models of the generative notebooks: the metrics' classifier and the VAE.

* :func:`mnist_classifier`: the 10-class digit classifier whose ``"features"`` layer
  defines the feature space of the Fréchet distance (``scripts/train_mnist_classifier.py``).
* :func:`dense_encoder`, :func:`dense_decoder`, :func:`conv_encoder`, :func:`conv_decoder`:
  encoders map ``(n, 28, 28, 1)`` digits to ``[z_mean, z_log_var]``, each
  ``(n, latent_dim)``; decoders map ``(n, latent_dim)`` codes to ``(n, 28, 28, 1)`` pixel
  probabilities.
* :class:`VAE`: the variational autoencoder of notebook 13 (the notebook writes the same
  class in view; ``tests/test_part5_generative.py`` checks the two agree).

Every class here is registered with Keras's serialisation, so models holding them save
to ``.keras`` files that load with ``safe_mode=True``. Loads TensorFlow quietly through
:mod:`course_lib.backend`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import validate
from ..backend import keras, tf

layers, ops = keras.layers, keras.ops

__all__ = [
    "VAE",
    "conv_decoder",
    "conv_encoder",
    "dense_decoder",
    "dense_encoder",
    "for_inference",
    "mnist_classifier",
]

IMAGE_SHAPE = (28, 28, 1)


# ----------------------------------------------------------------------------- classifier


def mnist_classifier(*, augment: bool = True, seed: int = 0) -> keras.Model:
    """The course's 10-class MNIST classifier for sample-quality metrics.

    [random shifts] -> conv 3x3 (32) -> BN -> ReLU -> max pool -> conv 3x3 (32) -> BN ->
    ReLU -> max pool -> flatten -> dropout -> dense 64 ReLU (``"features"``) -> dropout ->
    softmax (``"output"``). The 64 features feed the Fréchet distance; augmentation and
    dropout are active only while training.

    Args:
        augment: include the random-shift layer (leave it out for the saved copy).
        seed: seeds the augmentation and dropout layers.
    """
    augment = validate.flag("augment", augment)
    seed = validate.seed("seed", seed)
    inputs = keras.Input(IMAGE_SHAPE, name="digits")
    x = inputs
    if augment:
        x = layers.RandomTranslation(0.08, 0.08, fill_mode="constant", seed=seed, name="shift")(x)
    for stage in (1, 2):
        x = layers.Conv2D(32, 3, padding="same", use_bias=False, name=f"conv{stage}")(x)
        x = layers.BatchNormalization(momentum=0.9, name=f"bn{stage}")(x)
        x = layers.ReLU(name=f"relu{stage}")(x)
        x = layers.MaxPooling2D(2, name=f"pool{stage}")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dropout(0.3, seed=seed, name="dropout1")(x)
    features = layers.Dense(64, activation="relu", name="features")(x)
    x = layers.Dropout(0.3, seed=seed + 1, name="dropout2")(features)
    outputs = layers.Dense(10, activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name="mnist_classifier")


def for_inference(trained: keras.Model, build) -> keras.Model:
    """A fresh, uncompiled copy of ``trained`` built by ``build()``, for saving.

    ``build`` must name its layers as ``trained`` does (e.g. the same builder without its
    augmentation layer): weights are copied by name. The copy holds no optimizer state,
    so its ``.keras`` file keeps only what inference needs.
    """
    trained = validate.model("trained", trained)
    build = validate.callable_("build", build)
    clean = validate.model("build()", build())
    trained_weights = {weight.path: weight for weight in trained.weights}
    missing = [weight.path for weight in clean.weights if weight.path not in trained_weights]
    if missing:
        raise ValueError(f"build must name its layers as trained does: trained has no weights {missing}")
    for weight in clean.weights:
        source = trained_weights[weight.path]
        if tuple(source.shape) != tuple(weight.shape):
            raise ValueError(f"build must make the same layers as trained: {weight.path} has shape "
                             f"{tuple(weight.shape)} in build() and {tuple(source.shape)} in trained")
        weight.assign(source)
    return clean


# ----------------------------------------------------------------------------- encoders, decoders


def _latent(latent_dim: int) -> int:
    return validate.count("latent_dim", latent_dim, maximum=1024)


def dense_encoder(latent_dim: int = 2, hidden: Sequence[int] = (256, 128)) -> keras.Model:
    """Flatten -> dense ReLU layers ``hidden`` -> two heads, ``z_mean`` and ``z_log_var``.

    Returns a model ``(n, 28, 28, 1) -> [(n, latent_dim), (n, latent_dim)]``.
    """
    latent_dim = _latent(latent_dim)
    hidden = validate.counts("hidden", hidden, min_len=0)
    inputs = keras.Input(IMAGE_SHAPE)
    x = layers.Flatten()(inputs)
    for units in hidden:
        x = layers.Dense(units, activation="relu")(x)
    z_mean = layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
    return keras.Model(inputs, [z_mean, z_log_var], name="encoder")


def dense_decoder(latent_dim: int = 2, hidden: Sequence[int] = (128, 256)) -> keras.Model:
    """Dense ReLU layers ``hidden`` -> 784 sigmoid pixels, reshaped to ``(28, 28, 1)``.

    Returns a model ``(n, latent_dim) -> (n, 28, 28, 1)`` of pixel probabilities.
    """
    latent_dim = _latent(latent_dim)
    hidden = validate.counts("hidden", hidden, min_len=0)
    inputs = keras.Input((latent_dim,))
    x = inputs
    for units in hidden:
        x = layers.Dense(units, activation="relu")(x)
    x = layers.Dense(28 * 28, activation="sigmoid")(x)
    outputs = layers.Reshape(IMAGE_SHAPE)(x)
    return keras.Model(inputs, outputs, name="decoder")


def conv_encoder(latent_dim: int = 16) -> keras.Model:
    """Two stride-2 convolutions (32, 64 maps) -> dense 128 -> ``z_mean``, ``z_log_var``."""
    latent_dim = _latent(latent_dim)
    inputs = keras.Input(IMAGE_SHAPE)
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(128, activation="relu")(x)
    z_mean = layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
    return keras.Model(inputs, [z_mean, z_log_var], name="encoder")


def conv_decoder(latent_dim: int = 16) -> keras.Model:
    """Dense to 7x7x64 -> two stride-2 transposed convolutions (64, 32) -> sigmoid pixels."""
    latent_dim = _latent(latent_dim)
    inputs = keras.Input((latent_dim,))
    x = layers.Dense(7 * 7 * 64, activation="relu")(inputs)
    x = layers.Reshape((7, 7, 64))(x)
    x = layers.Conv2DTranspose(64, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(x)
    outputs = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x)
    return keras.Model(inputs, outputs, name="decoder")


# ----------------------------------------------------------------------------- the VAE


@keras.saving.register_keras_serializable(package="course_lib")
class VAE(keras.Model):
    """A variational autoencoder trained by maximising the ELBO.

    For a digit :math:`x`, the encoder gives a Gaussian :math:`q(z|x)` with mean
    ``z_mean`` and log-variance ``z_log_var``; a code is drawn by reparameterisation,
    :math:`z = \\mu + \\sigma \\odot \\epsilon`, :math:`\\epsilon \\sim N(0, I)` (the noise
    comes from a ``keras.random.SeedGenerator`` the model owns); the decoder gives pixel
    probabilities. The loss per digit, in nats, is

    .. math:: -\\mathrm{ELBO} = \\underbrace{-\\sum_{pixels} \\log p(x|z)}_{\\text{reconstruction}}
               + \\beta\\, \\mathrm{KL}(q(z|x) \\,\\|\\, N(0, I))

    with a Bernoulli likelihood (binary cross-entropy summed over the 784 pixels) and
    :math:`\\beta = 1` for the true ELBO. ``fit`` reports ``loss`` (the mean of the above),
    ``reconstruction`` and ``kl``; ``call`` returns the reconstruction of the mean code.

    Args:
        encoder: ``(n, 28, 28, 1) -> [z_mean, z_log_var]``.
        decoder: ``(n, latent_dim) -> (n, 28, 28, 1)`` probabilities.
        beta: weight of the KL term.
        seed: seed of the reparameterisation noise.
    """

    def __init__(self, encoder, decoder, beta=1.0, seed=0, **kwargs):
        encoder = validate.model("encoder", encoder)
        decoder = validate.model("decoder", decoder)
        if len(encoder.outputs) != 2:
            raise ValueError(f"encoder must return [z_mean, z_log_var], got {len(encoder.outputs)} output(s)")
        latent = tuple(encoder.outputs[0].shape[1:])
        if len(decoder.inputs) != 1 or tuple(decoder.inputs[0].shape[1:]) != latent:
            raise ValueError(f"decoder must take the encoder's codes, (n, {latent[-1]}), got inputs "
                             f"{[tuple(tensor.shape) for tensor in decoder.inputs]}")
        beta = validate.positive("beta", beta, allow_zero=True)
        seed = validate.seed("seed", seed)
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.beta = beta
        self.seed = seed
        self.noise = keras.random.SeedGenerator(self.seed)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
        self.kl_tracker = keras.metrics.Mean(name="kl")
        self.build(encoder.inputs[0].shape)  # so that a saved file holds every weight

    def call(self, x, training=False):
        z_mean, _ = self.encoder(x, training=training)
        return self.decoder(z_mean, training=training)

    def loss_terms(self, x, training=False):
        """Per-digit reconstruction loss and KL divergence, each ``(n,)``, in nats.

        Args:
            x: ``(n, *input shape)`` digits with pixel values in [0, 1] (``(n, 28, 28, 1)``
                for the course's encoders).
            training: run the encoder and decoder in training mode.
        """
        shape = (None, *self.encoder.inputs[0].shape[1:])
        x = validate.array("x", x, shape=shape, layout=str(shape).replace("None", "n"), dtype=np.float32)
        if x.min() < 0 or x.max() > 1:
            raise ValueError(f"x must hold pixel values in [0, 1], got [{x.min():.3g}, {x.max():.3g}]")
        return self._loss_terms(x, validate.flag("training", training))

    def _loss_terms(self, x, training):
        """:meth:`loss_terms` without the checks, for the training and test steps."""
        z_mean, z_log_var = self.encoder(x, training=training)
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.noise)
        z = z_mean + ops.exp(0.5 * z_log_var) * epsilon
        x_hat = self.decoder(z, training=training)
        reconstruction = ops.sum(keras.losses.binary_crossentropy(x, x_hat), axis=(1, 2))
        kl = -0.5 * ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=1)
        return reconstruction, kl

    def fit(self, *args, **kwargs):
        """``keras.Model.fit``, after creating the optimizer's variables: created by the
        first step, inside ``tf.function``, they would make it trace ``train_step`` twice."""
        if getattr(self, "optimizer", None) is None:
            raise ValueError("compile the VAE with an optimizer before calling fit")
        self.optimizer.build(self.trainable_variables)
        return super().fit(*args, **kwargs)

    def train_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        with tf.GradientTape() as tape:
            reconstruction, kl = self._loss_terms(x, training=True)
            loss = ops.mean(reconstruction + self.beta * kl)
        gradients = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply(gradients, self.trainable_weights)
        return self._track(loss, reconstruction, kl)

    def test_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        reconstruction, kl = self._loss_terms(x, training=False)
        return self._track(ops.mean(reconstruction + self.beta * kl), reconstruction, kl)

    def _track(self, loss, reconstruction, kl):
        self.loss_tracker.update_state(loss)
        self.reconstruction_tracker.update_state(ops.mean(reconstruction))
        self.kl_tracker.update_state(ops.mean(kl))
        return {metric.name: metric.result() for metric in self.metrics}

    @property
    def metrics(self):
        return [self.loss_tracker, self.reconstruction_tracker, self.kl_tracker]

    def get_config(self):
        return {
            **super().get_config(),
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "beta": self.beta,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        encoder = keras.saving.deserialize_keras_object(config.pop("encoder"))
        decoder = keras.saving.deserialize_keras_object(config.pop("decoder"))
        return cls(encoder, decoder, **config)

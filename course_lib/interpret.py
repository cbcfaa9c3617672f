"""Looking inside a trained CNN: feature maps, saliency and activation maximisation.

Loads TensorFlow quietly through :mod:`course_lib.backend`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import validate
from .backend import keras, tf


def spatial_layers(model: keras.Model) -> list[str]:
    """Names of the layers whose output is a stack of maps ``(batch, h, w, channels)``."""
    model = validate.model("model", model)
    return [layer.name for layer in model.layers if len(layer.output.shape) == 4]


def feature_maps(model: keras.Model, image: np.ndarray, layer_names=None) -> dict[str, np.ndarray]:
    """Every named layer's output for one image.

    Args:
        image: ``(h, w, c)`` or ``(1, h, w, c)``.
        layer_names: layers to read; default all of :func:`spatial_layers`.

    Returns:
        ``{name: (h', w', channels)}`` in layer order.
    """
    model = validate.model("model", model)
    image = _one_image("image", image, model)[None]
    if layer_names is None:
        names = spatial_layers(model)
    else:
        items = validate.items("layer_names", layer_names, "layer names")
        names = [validate.layer_name(f"layer_names[{i}]", n, model) for i, n in enumerate(items)]
        if not names:
            raise ValueError("layer_names must name at least one layer")
    probe = keras.Model(model.inputs[0], [model.get_layer(name).output for name in names])
    outputs = probe(image, training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    return {name: np.asarray(out)[0] for name, out in zip(names, outputs, strict=True)}


def saliency(model: keras.Model, image: np.ndarray, class_index: int) -> np.ndarray:
    """``|d p(class) / d pixel|`` for one image ``(h, w, c)``; returns ``(h, w)``."""
    model = validate.model("model", model)
    image = _one_image("image", image, model)
    class_index = validate.index("class_index", class_index, int(model.output_shape[-1]))
    x = tf.convert_to_tensor(image[None])
    with tf.GradientTape() as tape:
        tape.watch(x)
        score = model(x, training=False)[0, class_index]
    gradient = tape.gradient(score, x)[0].numpy()
    return np.abs(gradient).max(axis=-1)


def maximize_activation(
    model: keras.Model,
    layer_name: str,
    channels: Sequence[int],
    *,
    steps: int = 40,
    step_size: float = 0.05,
    start: np.ndarray | None = None,
    seed: int = 0,
) -> np.ndarray:
    """Gradient *ascent on the input* to excite chosen channels (the Deep Dream idea).

    One image per channel, all optimised together: starting from ``start`` (one image
    ``(h, w, c)`` used for every channel; default faint noise around grey), repeat
    ``steps`` times ``x <- clip(x + step_size * g / std(g), 0, 1)`` with g the gradient of
    the channel's mean activation.

    Returns:
        ``(len(channels), h, w, c)`` images.
    """
    model = validate.model("model", model)
    layer_name = validate.layer_name("layer_name", layer_name, model)
    maps = model.get_layer(layer_name).output
    if len(maps.shape) != 4:
        raise ValueError(
            f"layer_name must name a layer with (batch, h, w, channels) maps, not {layer_name!r}"
        )
    channels = validate.counts("channels", channels, minimum=0, maximum=int(maps.shape[-1]) - 1)
    steps = validate.count("steps", steps)
    step_size = validate.positive("step_size", step_size)
    seed = validate.seed("seed", seed)
    probe = keras.Model(model.inputs[0], maps)
    shape = tuple(model.input_shape[1:])
    if start is None:
        start = 0.5 + 0.05 * np.random.default_rng(seed).normal(size=(len(channels), *shape))
    else:
        start = np.broadcast_to(_one_image("start", start, model), (len(channels), *shape))
    x = tf.Variable(np.asarray(start, dtype=np.float32))
    pick = tf.one_hot(channels, probe.output.shape[-1])          # (images, channels)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            activation = tf.reduce_mean(probe(x, training=False), axis=(1, 2))
            objective = tf.reduce_sum(activation * pick)
        gradient = tape.gradient(objective, x)
        gradient /= tf.math.reduce_std(gradient, axis=(1, 2, 3), keepdims=True) + 1e-8
        x.assign(tf.clip_by_value(x + step_size * gradient, 0.0, 1.0))
    return x.numpy()


def _one_image(name: str, image: Any, model: Any) -> np.ndarray:
    """One image ``(h, w, c)`` (or ``(1, h, w, c)``) of the size ``model`` reads, as float32."""
    expected = tuple(model.input_shape[1:])
    layout = f"({', '.join(map(str, expected))})"
    image = validate.array(name, image, ndim=(len(expected), len(expected) + 1), layout=layout,
                           dtype=np.float32)
    if image.ndim == len(expected) + 1:
        if image.shape[0] != 1:
            raise ValueError(f"{name} must be one image {layout}, got a batch of shape {image.shape}")
        image = image[0]
    if any(want is not None and have != want for have, want in zip(image.shape, expected, strict=True)):
        raise ValueError(f"{name} must have shape {layout} for this model, got {image.shape}")
    return image

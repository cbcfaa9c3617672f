"""Dense networks for notebooks 04-05, and measurements of how they train.

:func:`mlp` builds the multilayer perceptrons both notebooks compare (depth, activation,
initialisation, batch normalisation, dropout, weight penalties all as arguments), and
the other functions measure what the lessons are about: per-layer gradient norms, the
epoch a target accuracy is first reached, whether hidden units are all alike.

Keras is imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from . import validate


def mlp(
    input_shape: Sequence[int],
    hidden: Sequence[int] = (64, 64),
    num_classes: int = 10,
    *,
    activation: str = "relu",
    kernel_initializer: Any = "glorot_uniform",
    batch_norm: bool = False,
    dropout: float = 0.0,
    kernel_regularizer: Any = None,
    preprocessing: Sequence[Any] = (),
    name: str | None = None,
):
    """A dense classifier: ``Flatten``, then one block per entry of ``hidden``.

    Each block is ``Dense(units)`` (+ ``BatchNormalization``) + activation
    (+ ``Dropout``). With ``batch_norm`` the dense layer has no bias (the normalisation's
    shift replaces it) and the activation comes after the normalisation. Penalties
    (``kernel_regularizer``) apply to kernels only, never to biases. The output layer is
    a softmax over ``num_classes``.

    Args:
        input_shape: one example's shape, e.g. ``(28, 28, 1)``.
        preprocessing: layers applied to the input first (augmentation, noise); Keras
            runs them during training only when they are random layers.

    Returns:
        An uncompiled ``keras.Sequential``.
    """
    from .backend import keras

    input_shape = validate.shape("input_shape", input_shape)
    try:
        dropout = validate.real("dropout", dropout, low=0.0, high=1.0, high_open=True)
    except ValueError:
        raise ValueError(f"dropout must be in [0, 1), got {dropout!r}") from None
    try:
        hidden = validate.counts("hidden", hidden)
    except ValueError as error:
        raise ValueError(f"hidden must list positive layer widths: {error}") from None
    num_classes = validate.count("num_classes", num_classes)
    _keras_identifier("activation", activation, keras.activations.get)
    _keras_identifier("kernel_initializer", kernel_initializer, keras.initializers.get)
    if kernel_regularizer is not None:
        _keras_identifier("kernel_regularizer", kernel_regularizer, keras.regularizers.get)
    batch_norm = validate.flag("batch_norm", batch_norm)
    preprocessing = _layers("preprocessing", preprocessing)
    if name is not None:
        name = validate.text("name", name)
    layers: list[Any] = [keras.Input(shape=input_shape), *preprocessing, keras.layers.Flatten()]
    for units in hidden:
        layers.append(
            keras.layers.Dense(
                int(units),
                use_bias=not batch_norm,
                kernel_initializer=kernel_initializer,
                kernel_regularizer=kernel_regularizer,
            )
        )
        if batch_norm:
            layers.append(keras.layers.BatchNormalization())
        layers.append(keras.layers.Activation(activation))
        if dropout:
            layers.append(keras.layers.Dropout(dropout))
    layers.append(
        keras.layers.Dense(
            num_classes,
            activation="softmax",
            kernel_initializer=kernel_initializer,
            kernel_regularizer=kernel_regularizer,
        )
    )
    return keras.Sequential(layers, name=name)


def dense_kernels(model) -> list[np.ndarray]:
    """The kernels of ``model``'s Dense layers, input to output, as NumPy arrays."""
    from .backend import keras

    model = validate.model("model", model)
    return [
        layer.kernel.numpy() for layer in model.layers if isinstance(layer, keras.layers.Dense)
    ]


def layer_gradient_norms(model, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Norm of the loss gradient for each Dense kernel, input layer first.

    The loss is sparse categorical cross-entropy of ``model(X)`` against integer labels
    ``y`` of shape ``(n,)``.

    Returns:
        ``(num_dense_layers,)`` Euclidean norms.
    """
    from .backend import keras, tf

    model = validate.model("model", model)
    X, y = _examples(model, X, y)
    kernels = [
        layer.kernel for layer in model.layers if isinstance(layer, keras.layers.Dense)
    ]
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(X, training=True))
    grads = tape.gradient(loss, kernels)
    return np.array([float(tf.norm(g)) for g in grads])


def epochs_to_reach(history: Any, target: float, metric: str = "val_accuracy") -> int | None:
    """The first epoch (counting from 1) at which ``metric`` reached ``target``, else None.

    ``history`` is a Keras ``History`` or its ``.history`` dict.
    """
    logs: Mapping[str, Sequence[float]] = validate.logs("history", history)
    target = validate.real("target", target)
    metric = validate.text("metric", metric)
    if metric not in logs:
        raise ValueError(f"metric {metric!r} was not logged; available: {sorted(logs)}")
    reached = np.flatnonzero(np.asarray(logs[metric]) >= target)
    return int(reached[0]) + 1 if reached.size else None


def identical_units(kernel: np.ndarray, rtol: float = 1e-3) -> bool:
    """True when every column of ``kernel`` (``(inputs, units)``) equals the first one.

    Identical columns mean identical hidden units: they compute the same function and,
    receiving the same gradient, stay the same. "Equal" allows for rounding: float32
    sums done in a different order (another CPU, BLAS or GPU) give each unit slightly
    different gradients, so columns count as equal when they differ by at most ``rtol``
    times the kernel's largest weight. Units that started from random weights differ by
    about 100 % of that scale.
    """
    kernel = validate.array("kernel", kernel, ndim=2, layout="(inputs, units)")
    rtol = validate.real("rtol", rtol, low=0.0, high=1.0, low_open=True, high_open=True)
    scale = float(np.abs(kernel).max())
    return bool(np.abs(kernel - kernel[:, :1]).max() <= rtol * scale + np.finfo(np.float32).tiny)


def _keras_identifier(name: str, value: Any, get: Any) -> None:
    """Check a Keras activation/initializer/regularizer given by name or object.

    Building an initializer draws its seed from Python's ``random``; the state is put
    back afterwards, so checking an argument never changes what the model learns.
    """
    if value is None or isinstance(value, bool | int | float | complex | bytes):
        raise TypeError(f"{name} must be a Keras name such as 'relu' or an object, got {validate.describe(value)}")
    state = random.getstate()
    try:
        get(value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{name}: Keras does not know {value!r} ({error})") from None
    finally:
        random.setstate(state)


def _layers(name: str, value: Any) -> list[Any]:
    """A list of Keras layers (anything callable on a tensor)."""
    items = validate.items(name, value, "Keras layers")
    for i, item in enumerate(items):
        validate.callable_(f"{name}[{i}]", item)
    return items


def _examples(model: Any, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Inputs shaped as ``model`` expects and integer labels in its class range."""
    expected = tuple(model.input_shape[1:])
    X = validate.array("X", X, ndim=len(expected) + 1, dtype=np.float32)
    if any(want is not None and have != want for have, want in zip(X.shape[1:], expected, strict=True)):
        raise ValueError(f"X must have shape (n, {', '.join(map(str, expected))}), got {X.shape}")
    num_classes = int(model.output_shape[-1])
    y = validate.array("y", y, kind="int", shape=(len(X),), layout=f"(n,) = ({len(X)},) labels")
    if y.min() < 0 or y.max() >= num_classes:
        raise ValueError(f"y must hold class labels 0 .. {num_classes - 1}, got {y.min()} .. {y.max()}")
    return X, y

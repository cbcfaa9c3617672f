"""Dense networks for notebooks 04-05, and measurements of how they train.

:func:`mlp` builds the multilayer perceptrons both notebooks compare (depth, activation,
initialisation, batch normalisation, dropout, weight penalties all as arguments), and
the other functions measure what the lessons are about: per-layer gradient norms, the
epoch a target accuracy is first reached, whether hidden units are all alike.

Keras is imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np


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

    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
    if not hidden or any(int(units) < 1 for units in hidden):
        raise ValueError(f"hidden must list positive layer widths, got {hidden!r}")
    layers: list[Any] = [keras.Input(shape=tuple(input_shape)), *preprocessing, keras.layers.Flatten()]
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
    logs: Mapping[str, Sequence[float]] = getattr(history, "history", history)
    if metric not in logs:
        raise ValueError(f"{metric!r} was not logged; available: {sorted(logs)}")
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
    kernel = np.asarray(kernel)
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be (inputs, units), got shape {kernel.shape}")
    if not 0 < rtol < 1:
        raise ValueError(f"rtol must be between 0 and 1, got {rtol}")
    scale = float(np.abs(kernel).max())
    return bool(np.abs(kernel - kernel[:, :1]).max() <= rtol * scale + np.finfo(np.float32).tiny)

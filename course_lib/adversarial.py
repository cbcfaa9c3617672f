"""Adversarial examples with the fast gradient sign method (Goodfellow et al., 2015).

``x_adv = clip(x + epsilon * sign(grad_x loss(model(x), y)), 0, 1)``: every pixel moves by
at most ``epsilon``, in the direction that increases the loss fastest for that budget.
Loads TensorFlow quietly through :mod:`course_lib.backend`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import validate
from .backend import keras, tf


def gradient_sign(model: keras.Model, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``sign(d loss / d x)`` for images ``x: (n, h, w, c)`` and integer labels ``y: (n,)``."""
    model = validate.model("model", model)
    x_checked, y = _batch(model, x, y)
    x = tf.convert_to_tensor(x_checked)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = keras.losses.sparse_categorical_crossentropy(y, model(x, training=False))
    return np.sign(tape.gradient(loss, x).numpy())


def fgsm(x: np.ndarray, sign: np.ndarray, epsilon: float) -> np.ndarray:
    """The adversarial images ``clip(x + epsilon * sign, 0, 1)``, same shape as ``x``."""
    epsilon = validate.positive("epsilon", epsilon, allow_zero=True)
    x = validate.array("x", x, dtype=np.float32)
    sign = validate.array("sign", sign, shape=x.shape, layout=f"shaped like x {x.shape}",
                          dtype=np.float32)
    return np.clip(x + epsilon * sign, 0.0, 1.0).astype(np.float32)


def accuracy_under_attack(
    model: keras.Model, x: np.ndarray, y: np.ndarray, epsilons: Sequence[float]
) -> np.ndarray:
    """Accuracy on FGSM images for each epsilon in ``epsilons``; returns ``(len(epsilons),)``."""
    epsilons = validate.reals("epsilons", epsilons, low=0.0)
    model = validate.model("model", model)
    x, y = _batch(model, x, y)
    sign = gradient_sign(model, x, y)
    accuracies = []
    for epsilon in epsilons:
        predicted = model.predict(fgsm(x, sign, epsilon), verbose=0, batch_size=512).argmax(axis=1)
        accuracies.append(float(np.mean(predicted == y)))
    return np.array(accuracies)


def _batch(model: Any, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Images shaped as ``model`` reads them and one integer label each, in its class range."""
    expected = tuple(model.input_shape[1:])
    layout = f"(n, {', '.join(map(str, expected))})"
    x = validate.array("x", x, ndim=len(expected) + 1, layout=layout, dtype=np.float32)
    if any(want is not None and have != want for have, want in zip(x.shape[1:], expected, strict=True)):
        raise ValueError(f"x must have shape {layout} for this model, got {x.shape}")
    y = validate.array("y", y, kind="int", ndim=1, layout="(n,) labels")
    if len(y) != len(x):
        raise ValueError(f"x has {len(x)} images but y has {len(y)} labels")
    num_classes = int(model.output_shape[-1])
    if y.min() < 0 or y.max() >= num_classes:
        raise ValueError(f"y must hold labels 0 .. {num_classes - 1}, got {y.min()} .. {y.max()}")
    return x, y

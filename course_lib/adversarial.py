"""Adversarial examples with the fast gradient sign method (Goodfellow et al., 2015).

``x_adv = clip(x + epsilon * sign(grad_x loss(model(x), y)), 0, 1)``: every pixel moves by
at most ``epsilon``, in the direction that increases the loss fastest for that budget.
Loads TensorFlow quietly through :mod:`course_lib.backend`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .backend import keras, tf


def gradient_sign(model: keras.Model, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``sign(d loss / d x)`` for images ``x: (n, h, w, c)`` and integer labels ``y: (n,)``."""
    x = tf.convert_to_tensor(np.asarray(x, dtype=np.float32))
    y = np.asarray(y)
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"x has {x.shape[0]} images but y has {y.shape[0]} labels")
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = keras.losses.sparse_categorical_crossentropy(y, model(x, training=False))
    return np.sign(tape.gradient(loss, x).numpy())


def fgsm(x: np.ndarray, sign: np.ndarray, epsilon: float) -> np.ndarray:
    """The adversarial images ``clip(x + epsilon * sign, 0, 1)``, same shape as ``x``."""
    if epsilon < 0:
        raise ValueError(f"epsilon must be >= 0, got {epsilon}")
    return np.clip(np.asarray(x) + epsilon * np.asarray(sign), 0.0, 1.0).astype(np.float32)


def accuracy_under_attack(
    model: keras.Model, x: np.ndarray, y: np.ndarray, epsilons: Sequence[float]
) -> np.ndarray:
    """Accuracy on FGSM images for each epsilon in ``epsilons``; returns ``(len(epsilons),)``."""
    sign = gradient_sign(model, x, y)
    accuracies = []
    for epsilon in epsilons:
        predicted = model.predict(fgsm(x, sign, epsilon), verbose=0, batch_size=512).argmax(axis=1)
        accuracies.append(float(np.mean(predicted == np.asarray(y))))
    return np.array(accuracies)

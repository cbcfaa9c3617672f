"""Loss functions and their gradients, in NumPy, averaged the way Keras averages them.

Every loss takes ``(y_true, y_pred)`` in Keras's order, both ``(n, k)`` (or ``(n,)``,
treated as ``(n, 1)``), and returns one float: the per-sample loss averaged over the
batch. Its partner ``*_gradient(y_true, y_pred)`` returns ``dL/dy_pred`` with the shape
of ``y_pred``, ready to start backpropagation.

Per-sample losses (``K`` outputs):

- MSE ``mean_k (y_k - t_k)^2`` and MAE ``mean_k |y_k - t_k|``;
- binary cross-entropy ``mean_k -[t_k log y_k + (1 - t_k) log(1 - y_k)]``;
- categorical cross-entropy ``-sum_k t_k log y_k`` (``y`` a probability vector);
- hinge ``mean_k max(0, 1 - t_k y_k)`` with labels ``t`` in {-1, +1} (0/1 labels are
  mapped to -1/+1, as Keras does).

Probabilities are clipped to ``[EPSILON, 1 - EPSILON]`` before a logarithm, like Keras.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Array = np.ndarray
EPSILON = 1e-7  # keras.config.epsilon()


def _pair(y_true: Array, y_pred: Array) -> tuple[Array, Array]:
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if y_pred.ndim == 1:
        y_pred = y_pred[:, None]
    if y_true.ndim == 1:
        y_true = y_true[:, None]
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got {y_true.shape} and {y_pred.shape}"
        )
    return y_true, y_pred


def _shaped_like(grad: Array, y_pred: Array) -> Array:
    return grad.reshape(np.shape(y_pred))


def mse(y_true: Array, y_pred: Array) -> float:
    """Mean squared error."""
    t, y = _pair(y_true, y_pred)
    return float(np.mean((y - t) ** 2))


def mse_gradient(y_true: Array, y_pred: Array) -> Array:
    """``2 (y - t) / (n K)``."""
    t, y = _pair(y_true, y_pred)
    return _shaped_like(2.0 * (y - t) / y.size, y_pred)


def mae(y_true: Array, y_pred: Array) -> float:
    """Mean absolute error."""
    t, y = _pair(y_true, y_pred)
    return float(np.mean(np.abs(y - t)))


def mae_gradient(y_true: Array, y_pred: Array) -> Array:
    """``sign(y - t) / (n K)`` (0 where ``y == t``, like TensorFlow)."""
    t, y = _pair(y_true, y_pred)
    return _shaped_like(np.sign(y - t) / y.size, y_pred)


def binary_cross_entropy(y_true: Array, y_pred: Array) -> float:
    """Binary cross-entropy for probabilities ``y_pred`` in (0, 1), targets in [0, 1]."""
    t, y = _pair(y_true, y_pred)
    y = np.clip(y, EPSILON, 1.0 - EPSILON)
    return float(np.mean(-(t * np.log(y) + (1.0 - t) * np.log(1.0 - y))))


def binary_cross_entropy_gradient(y_true: Array, y_pred: Array) -> Array:
    """``(y - t) / (y (1 - y)) / (n K)``; zero where the clip is active."""
    t, y = _pair(y_true, y_pred)
    inside = (y > EPSILON) & (y < 1.0 - EPSILON)
    y = np.clip(y, EPSILON, 1.0 - EPSILON)
    return _shaped_like(np.where(inside, (y - t) / (y * (1.0 - y)), 0.0) / y.size, y_pred)


def categorical_cross_entropy(y_true: Array, y_pred: Array) -> float:
    """Categorical cross-entropy: one-hot (or soft) targets ``(n, K)``, probabilities ``(n, K)``.

    Like Keras, ``y_pred`` is first rescaled so each row sums to 1.
    """
    t, y = _pair(y_true, y_pred)
    y = np.clip(y / y.sum(axis=-1, keepdims=True), EPSILON, 1.0 - EPSILON)
    return float(np.mean(-(t * np.log(y)).sum(axis=-1)))


def categorical_cross_entropy_gradient(y_true: Array, y_pred: Array) -> Array:
    """Gradient of :func:`categorical_cross_entropy`, row-normalisation included.

    With ``s = sum_k y_k`` and ``p = y / s`` the per-sample loss is ``-sum_k t_k log p_k``,
    whose gradient is ``-t_k / y_k + (sum_j t_j) / s``; for probabilities that already
    sum to 1 and one-hot targets this is ``1 - t_k / y_k``. The constant term does not
    change anything after a softmax, whose Jacobian ignores constant shifts.
    """
    t, y = _pair(y_true, y_pred)
    s = y.sum(axis=-1, keepdims=True)
    p = y / s
    inside = (p > EPSILON) & (p < 1.0 - EPSILON)
    grad_p = np.where(inside, -t / np.clip(p, EPSILON, 1.0 - EPSILON), 0.0)
    # chain rule through p = y / s: dL/dy_k = (dL/dp_k - sum_j dL/dp_j p_j) / s
    grad_y = (grad_p - (grad_p * p).sum(axis=-1, keepdims=True)) / s
    return _shaped_like(grad_y / y.shape[0], y_pred)


def _signed_labels(t: Array) -> Array:
    # Keras maps labels in {0, 1} to {-1, +1} before the hinge.
    if np.all((t == 0) | (t == 1)):
        return 2.0 * t - 1.0
    return t


def hinge(y_true: Array, y_pred: Array) -> float:
    """Hinge loss ``max(0, 1 - t y)`` averaged; ``y_pred`` are raw scores, not probabilities."""
    t, y = _pair(y_true, y_pred)
    return float(np.mean(np.maximum(0.0, 1.0 - _signed_labels(t) * y)))


def hinge_gradient(y_true: Array, y_pred: Array) -> Array:
    """``-t / (n K)`` where the margin ``t y`` is below 1, else 0."""
    t, y = _pair(y_true, y_pred)
    signed = _signed_labels(t)
    return _shaped_like(np.where(1.0 - signed * y > 0, -signed, 0.0) / y.size, y_pred)


# name -> (loss, gradient)
LOSSES: dict[str, tuple[Callable[[Array, Array], float], Callable[[Array, Array], Array]]] = {
    "mse": (mse, mse_gradient),
    "mae": (mae, mae_gradient),
    "binary_cross_entropy": (binary_cross_entropy, binary_cross_entropy_gradient),
    "categorical_cross_entropy": (categorical_cross_entropy, categorical_cross_entropy_gradient),
    "hinge": (hinge, hinge_gradient),
}


def get_loss(name: str) -> tuple[Callable[[Array, Array], float], Callable[[Array, Array], Array]]:
    """``(loss, gradient)`` for a name in :data:`LOSSES`."""
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}: expected one of {tuple(LOSSES)}")
    return LOSSES[name]

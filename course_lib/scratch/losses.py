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

from .. import validate

Array = np.ndarray
EPSILON = 1e-7  # keras.config.epsilon()


def _pair(y_true: Array, y_pred: Array) -> tuple[Array, Array]:
    y_true = validate.array("y_true", y_true, ndim=(1, 2), layout="(n,) or (n, k)")
    y_pred = validate.array("y_pred", y_pred, ndim=(1, 2), layout="(n,) or (n, k)")
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


# Each loss is a formula on checked ``(n, K)`` arrays (``_mse`` ...) behind a public
# function that checks its arguments; training loops call the formulas directly.


def _mse(t: Array, y: Array) -> float:
    return float(np.mean((y - t) ** 2))


def _mse_gradient(t: Array, y: Array) -> Array:
    return 2.0 * (y - t) / y.size


def _mae(t: Array, y: Array) -> float:
    return float(np.mean(np.abs(y - t)))


def _mae_gradient(t: Array, y: Array) -> Array:
    return np.sign(y - t) / y.size


def _binary_cross_entropy(t: Array, y: Array) -> float:
    y = np.clip(y, EPSILON, 1.0 - EPSILON)
    return float(np.mean(-(t * np.log(y) + (1.0 - t) * np.log(1.0 - y))))


def _binary_cross_entropy_gradient(t: Array, y: Array) -> Array:
    inside = (y > EPSILON) & (y < 1.0 - EPSILON)
    y = np.clip(y, EPSILON, 1.0 - EPSILON)
    return np.where(inside, (y - t) / (y * (1.0 - y)), 0.0) / y.size


def _categorical_cross_entropy(t: Array, y: Array) -> float:
    y = np.clip(y / y.sum(axis=-1, keepdims=True), EPSILON, 1.0 - EPSILON)
    return float(np.mean(-(t * np.log(y)).sum(axis=-1)))


def _categorical_cross_entropy_gradient(t: Array, y: Array) -> Array:
    s = y.sum(axis=-1, keepdims=True)
    p = y / s
    inside = (p > EPSILON) & (p < 1.0 - EPSILON)
    grad_p = np.where(inside, -t / np.clip(p, EPSILON, 1.0 - EPSILON), 0.0)
    # chain rule through p = y / s: dL/dy_k = (dL/dp_k - sum_j dL/dp_j p_j) / s
    grad_y = (grad_p - (grad_p * p).sum(axis=-1, keepdims=True)) / s
    return grad_y / y.shape[0]


def _hinge(t: Array, y: Array) -> float:
    return float(np.mean(np.maximum(0.0, 1.0 - _signed_labels(t) * y)))


def _hinge_gradient(t: Array, y: Array) -> Array:
    signed = _signed_labels(t)
    return np.where(1.0 - signed * y > 0, -signed, 0.0) / y.size


def mse(y_true: Array, y_pred: Array) -> float:
    """Mean squared error."""
    return _mse(*_pair(y_true, y_pred))


def mse_gradient(y_true: Array, y_pred: Array) -> Array:
    """``2 (y - t) / (n K)``."""
    return _shaped_like(_mse_gradient(*_pair(y_true, y_pred)), y_pred)


def mae(y_true: Array, y_pred: Array) -> float:
    """Mean absolute error."""
    return _mae(*_pair(y_true, y_pred))


def mae_gradient(y_true: Array, y_pred: Array) -> Array:
    """``sign(y - t) / (n K)`` (0 where ``y == t``, like TensorFlow)."""
    return _shaped_like(_mae_gradient(*_pair(y_true, y_pred)), y_pred)


def binary_cross_entropy(y_true: Array, y_pred: Array) -> float:
    """Binary cross-entropy for probabilities ``y_pred`` in (0, 1), targets in [0, 1]."""
    return _binary_cross_entropy(*_pair(y_true, y_pred))


def binary_cross_entropy_gradient(y_true: Array, y_pred: Array) -> Array:
    """``(y - t) / (y (1 - y)) / (n K)``; zero where the clip is active."""
    return _shaped_like(_binary_cross_entropy_gradient(*_pair(y_true, y_pred)), y_pred)


def categorical_cross_entropy(y_true: Array, y_pred: Array) -> float:
    """Categorical cross-entropy: one-hot (or soft) targets ``(n, K)``, probabilities ``(n, K)``.

    Like Keras, ``y_pred`` is first rescaled so each row sums to 1.
    """
    return _categorical_cross_entropy(*_probability_rows(y_true, y_pred))


def categorical_cross_entropy_gradient(y_true: Array, y_pred: Array) -> Array:
    """Gradient of :func:`categorical_cross_entropy`, row-normalisation included.

    With ``s = sum_k y_k`` and ``p = y / s`` the per-sample loss is ``-sum_k t_k log p_k``,
    whose gradient is ``-t_k / y_k + (sum_j t_j) / s``; for probabilities that already
    sum to 1 and one-hot targets this is ``1 - t_k / y_k``. The constant term does not
    change anything after a softmax, whose Jacobian ignores constant shifts.
    """
    grad = _categorical_cross_entropy_gradient(*_probability_rows(y_true, y_pred))
    return _shaped_like(grad, y_pred)


def _probability_rows(y_true: Array, y_pred: Array) -> tuple[Array, Array]:
    """Like :func:`_pair`, and ``y_pred`` rows must be non-negative with a positive sum."""
    t, y = _pair(y_true, y_pred)
    if (y < 0).any() or not (y.sum(axis=-1) > 0).all():
        raise ValueError(
            "y_pred must hold probabilities: non-negative, each row with a positive sum"
        )
    return t, y


def _signed_labels(t: Array) -> Array:
    # Keras maps labels in {0, 1} to {-1, +1} before the hinge.
    if np.all((t == 0) | (t == 1)):
        return 2.0 * t - 1.0
    return t


def hinge(y_true: Array, y_pred: Array) -> float:
    """Hinge loss ``max(0, 1 - t y)`` averaged; ``y_pred`` are raw scores, not probabilities."""
    return _hinge(*_pair(y_true, y_pred))


def hinge_gradient(y_true: Array, y_pred: Array) -> Array:
    """``-t / (n K)`` where the margin ``t y`` is below 1, else 0."""
    return _shaped_like(_hinge_gradient(*_pair(y_true, y_pred)), y_pred)


# name -> (loss, gradient)
LOSSES: dict[str, tuple[Callable[[Array, Array], float], Callable[[Array, Array], Array]]] = {
    "mse": (mse, mse_gradient),
    "mae": (mae, mae_gradient),
    "binary_cross_entropy": (binary_cross_entropy, binary_cross_entropy_gradient),
    "categorical_cross_entropy": (categorical_cross_entropy, categorical_cross_entropy_gradient),
    "hinge": (hinge, hinge_gradient),
}

# The formulas on checked (n, K) arrays, for training loops.
_FORMULAS: dict[str, tuple[Callable[[Array, Array], float], Callable[[Array, Array], Array]]] = {
    "mse": (_mse, _mse_gradient),
    "mae": (_mae, _mae_gradient),
    "binary_cross_entropy": (_binary_cross_entropy, _binary_cross_entropy_gradient),
    "categorical_cross_entropy": (
        _categorical_cross_entropy,
        _categorical_cross_entropy_gradient,
    ),
    "hinge": (_hinge, _hinge_gradient),
}


def get_loss(name: str) -> tuple[Callable[[Array, Array], float], Callable[[Array, Array], Array]]:
    """``(loss, gradient)`` for a name in :data:`LOSSES`."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a loss name such as 'mse', got {validate.describe(name)}")
    if name not in LOSSES:
        raise ValueError(f"name: unknown loss {name!r}: expected one of {tuple(LOSSES)}")
    return LOSSES[name]

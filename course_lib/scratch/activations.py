"""Activation functions and their derivatives, in NumPy.

Element-wise activations come in pairs: ``f(a)`` and ``f_derivative(a)``, both taking
the pre-activation ``a`` of any shape and returning an array of the same shape. The
two vector-valued ones, softmax and maxout, have a forward/backward pair instead,
because their derivative is a Jacobian rather than a number per entry.

For a layer, :func:`activation_forward` and :func:`activation_backward` follow the
scratch contract (``forward -> (out, cache)``, ``backward(dout, cache) -> grads``) for any
activation in :data:`ACTIVATIONS` plus ``"softmax"`` and ``"linear"``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Array = np.ndarray


def sigmoid(a: Array) -> Array:
    """Logistic function ``1 / (1 + exp(-a))``, computed without overflow."""
    a = np.asarray(a, dtype=float)
    # exp of a non-positive number never overflows: use the form that needs one.
    positive = a >= 0
    exp_neg_abs = np.exp(-np.abs(a))
    return np.where(positive, 1.0 / (1.0 + exp_neg_abs), exp_neg_abs / (1.0 + exp_neg_abs))


def sigmoid_derivative(a: Array) -> Array:
    """``sigmoid'(a) = sigmoid(a) * (1 - sigmoid(a))``; at most 1/4, at ``a = 0``."""
    s = sigmoid(a)
    return s * (1.0 - s)


def tanh(a: Array) -> Array:
    """Hyperbolic tangent, a sigmoid rescaled to (-1, 1): ``2 sigmoid(2a) - 1``."""
    return np.tanh(np.asarray(a, dtype=float))


def tanh_derivative(a: Array) -> Array:
    """``tanh'(a) = 1 - tanh(a)**2``; equals 1 at ``a = 0``."""
    return 1.0 - np.tanh(np.asarray(a, dtype=float)) ** 2


def arctan(a: Array) -> Array:
    """Arctangent, a sigmoid-shaped curve in (-pi/2, pi/2) with slow, polynomial tails."""
    return np.arctan(np.asarray(a, dtype=float))


def arctan_derivative(a: Array) -> Array:
    """``arctan'(a) = 1 / (1 + a**2)``."""
    a = np.asarray(a, dtype=float)
    return 1.0 / (1.0 + a**2)


def relu(a: Array) -> Array:
    """Rectified linear unit ``max(0, a)``."""
    return np.maximum(np.asarray(a, dtype=float), 0.0)


def relu_derivative(a: Array) -> Array:
    """1 where ``a > 0``, else 0 (the convention at 0 that TensorFlow uses too)."""
    return (np.asarray(a) > 0).astype(float)


def leaky_relu(a: Array, alpha: float = 0.1) -> Array:
    """``max(alpha * a, a)`` for ``0 <= alpha < 1``: a ReLU whose negative side still learns."""
    a = np.asarray(a, dtype=float)
    return np.where(a > 0, a, alpha * a)


def leaky_relu_derivative(a: Array, alpha: float = 0.1) -> Array:
    """1 where ``a > 0``, else ``alpha``."""
    return np.where(np.asarray(a) > 0, 1.0, float(alpha))


def elu(a: Array, alpha: float = 1.0) -> Array:
    """Exponential linear unit: ``a`` for ``a > 0``, ``alpha * (exp(a) - 1)`` otherwise."""
    a = np.asarray(a, dtype=float)
    return np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0.0)))


def elu_derivative(a: Array, alpha: float = 1.0) -> Array:
    """1 where ``a > 0``, else ``alpha * exp(a)`` (which is ``elu(a) + alpha``)."""
    a = np.asarray(a, dtype=float)
    return np.where(a > 0, 1.0, alpha * np.exp(np.minimum(a, 0.0)))


def linear(a: Array) -> Array:
    """The identity, for output layers of regression networks."""
    return np.asarray(a, dtype=float)


def linear_derivative(a: Array) -> Array:
    """Ones, shaped like ``a``."""
    return np.ones_like(np.asarray(a, dtype=float))


# name -> (function, derivative); every function takes (a) or (a, alpha).
ACTIVATIONS: dict[str, tuple[Callable[..., Array], Callable[..., Array]]] = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "arctan": (arctan, arctan_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "elu": (elu, elu_derivative),
    "linear": (linear, linear_derivative),
}
WITH_ALPHA = ("leaky_relu", "elu")


def _lookup(name: str) -> tuple[Callable[..., Array], Callable[..., Array]]:
    if name not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {name!r}: expected one of {tuple(ACTIVATIONS)} or 'softmax'"
        )
    return ACTIVATIONS[name]


def apply(name: str, a: Array, alpha: float | None = None) -> tuple[Array, Array]:
    """Value and derivative of the element-wise activation ``name`` at ``a``.

    ``alpha`` is used by ``leaky_relu`` and ``elu`` (their defaults when None) and
    ignored by the others.
    """
    function, derivative = _lookup(name)
    if name in WITH_ALPHA and alpha is not None:
        return function(a, alpha), derivative(a, alpha)
    return function(a), derivative(a)


# ----------------------------------------------------------------- softmax and maxout


def softmax(a: Array, axis: int = -1) -> Array:
    """``exp(a_k) / sum_j exp(a_j)`` along ``axis``; subtracting the max avoids overflow."""
    a = np.asarray(a, dtype=float)
    shifted = np.exp(a - a.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


def softmax_backward(dout: Array, probabilities: Array) -> Array:
    """Gradient through softmax along the last axis.

    With ``p = softmax(a)`` the Jacobian is ``diag(p) - p p^T``, so the gradient of a
    loss ``L`` is ``dL/da = p * (dL/dp - sum_k p_k dL/dp_k)``.

    Args:
        dout: ``dL/dp``, shape ``(..., K)``.
        probabilities: ``p``, the forward output, shape ``(..., K)``.
    """
    p = np.asarray(probabilities, dtype=float)
    dout = np.asarray(dout, dtype=float)
    return p * (dout - (dout * p).sum(axis=-1, keepdims=True))


def maxout_forward(a: Array, num_pieces: int) -> tuple[Array, tuple[Array, int]]:
    """Maxout: the largest of ``num_pieces`` linear pieces, per unit.

    A maxout unit computes ``max(w_1^T x + b_1, ..., w_k^T x + b_k)``. Given the
    pre-activations of all pieces side by side, unit ``u`` owns columns
    ``u * num_pieces ... (u + 1) * num_pieces - 1``.

    Args:
        a: ``(n, units * num_pieces)`` pre-activations.
    Returns:
        ``out: (n, units)`` and a cache for :func:`maxout_backward`.
    """
    a = np.asarray(a, dtype=float)
    if a.ndim != 2 or num_pieces < 1 or a.shape[1] % num_pieces:
        raise ValueError(
            f"maxout needs a (n, units * num_pieces) array; got shape {a.shape} "
            f"with num_pieces={num_pieces}"
        )
    pieces = a.reshape(a.shape[0], -1, num_pieces)
    winner = pieces.argmax(axis=-1)
    return np.take_along_axis(pieces, winner[..., None], axis=-1)[..., 0], (winner, num_pieces)


def maxout_backward(dout: Array, cache: tuple[Array, int]) -> Array:
    """Route each unit's gradient to the piece that won the max; others get 0.

    Returns ``da: (n, units * num_pieces)``.
    """
    winner, num_pieces = cache
    da = np.zeros((*winner.shape, num_pieces))
    np.put_along_axis(da, winner[..., None], np.asarray(dout, dtype=float)[..., None], axis=-1)
    return da.reshape(winner.shape[0], -1)


# ----------------------------------------------------------------- as a layer


def activation_forward(
    a: Array, name: str, alpha: float | None = None
) -> tuple[Array, tuple[str, Array, Array, float | None]]:
    """Apply activation ``name`` to ``a`` (any shape; softmax along the last axis).

    Returns ``out`` (same shape as ``a``) and a cache for :func:`activation_backward`.
    """
    a = np.asarray(a, dtype=float)
    if name == "softmax":
        out = softmax(a)
        return out, (name, a, out, alpha)
    out, _ = apply(name, a, alpha)
    return out, (name, a, out, alpha)


def activation_backward(dout: Array, cache: tuple[str, Array, Array, float | None]) -> Array:
    """``dL/da`` from ``dL/dout``: multiply by the derivative (softmax: its Jacobian)."""
    name, a, out, alpha = cache
    if name == "softmax":
        return softmax_backward(dout, out)
    _, derivative = apply(name, a, alpha)
    return np.asarray(dout, dtype=float) * derivative

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

from .. import validate

Array = np.ndarray


def _input(a: Array, name: str = "a") -> Array:
    """Pre-activations as a float64 array of any shape (a number is a 0-d array)."""
    return validate.array(name, a)


def _alpha(alpha: float, high: float | None = None) -> float:
    return validate.real("alpha", alpha, low=0.0, high=high)


# The formulas, on arrays already checked; the public functions below check their
# arguments first. Training loops call these directly, so a run that diverges shows
# its NaN losses instead of failing inside a layer.


def _sigmoid(a: Array) -> Array:
    # exp of a non-positive number never overflows: use the form that needs one.
    exp_neg_abs = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + exp_neg_abs), exp_neg_abs / (1.0 + exp_neg_abs))


def _sigmoid_derivative(a: Array) -> Array:
    s = _sigmoid(a)
    return s * (1.0 - s)


def _tanh_derivative(a: Array) -> Array:
    return 1.0 - np.tanh(a) ** 2


def _arctan_derivative(a: Array) -> Array:
    return 1.0 / (1.0 + a**2)


def _relu(a: Array) -> Array:
    return np.maximum(a, 0.0)


def _relu_derivative(a: Array) -> Array:
    return (a > 0).astype(float)


def _leaky_relu(a: Array, alpha: float = 0.1) -> Array:
    return np.where(a > 0, a, alpha * a)


def _leaky_relu_derivative(a: Array, alpha: float = 0.1) -> Array:
    return np.where(a > 0, 1.0, alpha)


def _elu(a: Array, alpha: float = 1.0) -> Array:
    return np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0.0)))


def _elu_derivative(a: Array, alpha: float = 1.0) -> Array:
    return np.where(a > 0, 1.0, alpha * np.exp(np.minimum(a, 0.0)))


def _linear(a: Array) -> Array:
    return a


def _linear_derivative(a: Array) -> Array:
    return np.ones_like(a)


def sigmoid(a: Array) -> Array:
    """Logistic function ``1 / (1 + exp(-a))``, computed without overflow."""
    return _sigmoid(_input(a))


def sigmoid_derivative(a: Array) -> Array:
    """``sigmoid'(a) = sigmoid(a) * (1 - sigmoid(a))``; at most 1/4, at ``a = 0``."""
    return _sigmoid_derivative(_input(a))


def tanh(a: Array) -> Array:
    """Hyperbolic tangent, a sigmoid rescaled to (-1, 1): ``2 sigmoid(2a) - 1``."""
    return np.tanh(_input(a))


def tanh_derivative(a: Array) -> Array:
    """``tanh'(a) = 1 - tanh(a)**2``; equals 1 at ``a = 0``."""
    return _tanh_derivative(_input(a))


def arctan(a: Array) -> Array:
    """Arctangent, a sigmoid-shaped curve in (-pi/2, pi/2) with slow, polynomial tails."""
    return np.arctan(_input(a))


def arctan_derivative(a: Array) -> Array:
    """``arctan'(a) = 1 / (1 + a**2)``."""
    return _arctan_derivative(_input(a))


def relu(a: Array) -> Array:
    """Rectified linear unit ``max(0, a)``."""
    return _relu(_input(a))


def relu_derivative(a: Array) -> Array:
    """1 where ``a > 0``, else 0 (the convention at 0 that TensorFlow uses too)."""
    return _relu_derivative(_input(a))


def leaky_relu(a: Array, alpha: float = 0.1) -> Array:
    """``max(alpha * a, a)`` for ``0 <= alpha <= 1``: a ReLU whose negative side still learns."""
    return _leaky_relu(_input(a), _alpha(alpha, high=1.0))


def leaky_relu_derivative(a: Array, alpha: float = 0.1) -> Array:
    """1 where ``a > 0``, else ``alpha``."""
    return _leaky_relu_derivative(_input(a), _alpha(alpha, high=1.0))


def elu(a: Array, alpha: float = 1.0) -> Array:
    """Exponential linear unit: ``a`` for ``a > 0``, ``alpha * (exp(a) - 1)`` otherwise."""
    return _elu(_input(a), _alpha(alpha))


def elu_derivative(a: Array, alpha: float = 1.0) -> Array:
    """1 where ``a > 0``, else ``alpha * exp(a)`` (which is ``elu(a) + alpha``)."""
    return _elu_derivative(_input(a), _alpha(alpha))


def linear(a: Array) -> Array:
    """The identity, for output layers of regression networks."""
    return _input(a)


def linear_derivative(a: Array) -> Array:
    """Ones, shaped like ``a``."""
    return _linear_derivative(_input(a))


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

# The same pairs without argument checks, for loops over arrays already checked.
_FORMULAS: dict[str, tuple[Callable[..., Array], Callable[..., Array]]] = {
    "sigmoid": (_sigmoid, _sigmoid_derivative),
    "tanh": (np.tanh, _tanh_derivative),
    "arctan": (np.arctan, _arctan_derivative),
    "relu": (_relu, _relu_derivative),
    "leaky_relu": (_leaky_relu, _leaky_relu_derivative),
    "elu": (_elu, _elu_derivative),
    "linear": (_linear, _linear_derivative),
}


def _lookup(name: str, argument: str = "name") -> tuple[Callable[..., Array], Callable[..., Array]]:
    if not isinstance(name, str):
        raise TypeError(
            f"{argument} must be an activation name such as 'relu', got {validate.describe(name)}"
        )
    if name not in ACTIVATIONS:
        raise ValueError(
            f"{argument}: unknown activation {name!r}: expected one of {tuple(ACTIVATIONS)} "
            "or 'softmax'"
        )
    return ACTIVATIONS[name]


def apply(name: str, a: Array, alpha: float | None = None) -> tuple[Array, Array]:
    """Value and derivative of the element-wise activation ``name`` at ``a``.

    ``alpha`` is used by ``leaky_relu`` and ``elu`` (their defaults when None) and
    ignored by the others.
    """
    _lookup(name)
    a = _input(a)
    if alpha is not None:
        alpha = _alpha(alpha, high=1.0 if name == "leaky_relu" else None)
    return _apply(name, a, alpha)


def _apply(name: str, a: Array, alpha: float | None = None) -> tuple[Array, Array]:
    function, derivative = _FORMULAS[name]
    if name in WITH_ALPHA and alpha is not None:
        return function(a, alpha), derivative(a, alpha)
    return function(a), derivative(a)


# ----------------------------------------------------------------- softmax and maxout


def softmax(a: Array, axis: int = -1) -> Array:
    """``exp(a_k) / sum_j exp(a_j)`` along ``axis``; subtracting the max avoids overflow."""
    a = _input(a)
    if a.ndim == 0:
        raise ValueError("a must have at least one axis: softmax normalises along one")
    axis = validate.integer("axis", axis, minimum=-a.ndim, maximum=a.ndim - 1)
    return _softmax(a, axis)


def _softmax(a: Array, axis: int = -1) -> Array:
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
    p = validate.array("probabilities", probabilities, layout="(..., K)")
    if p.ndim == 0:
        raise ValueError("probabilities must have at least one axis (..., K)")
    dout = validate.array("dout", dout, shape=p.shape, layout=f"shaped like probabilities {p.shape}")
    return _softmax_backward(dout, p)


def _softmax_backward(dout: Array, p: Array) -> Array:
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
    num_pieces = validate.count("num_pieces", num_pieces)
    a = validate.array("a", a)
    if a.ndim != 2 or a.shape[1] % num_pieces:
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
    if not (isinstance(cache, tuple) and len(cache) == 2 and isinstance(cache[0], np.ndarray)):
        raise TypeError(f"cache must be what maxout_forward returned, got {validate.describe(cache)}")
    winner, num_pieces = cache
    dout = validate.array("dout", dout, shape=winner.shape, layout=f"(n, units) = {winner.shape}")
    da = np.zeros((*winner.shape, num_pieces))
    np.put_along_axis(da, winner[..., None], dout[..., None], axis=-1)
    return da.reshape(winner.shape[0], -1)


# ----------------------------------------------------------------- as a layer


def activation_forward(
    a: Array, name: str, alpha: float | None = None
) -> tuple[Array, tuple[str, Array, Array, float | None]]:
    """Apply activation ``name`` to ``a`` (any shape; softmax along the last axis).

    Returns ``out`` (same shape as ``a``) and a cache for :func:`activation_backward`.
    """
    if name != "softmax":
        _lookup(name)
    a = _input(a)
    if name == "softmax" and a.ndim == 0:
        raise ValueError("a must have at least one axis for softmax")
    if alpha is not None:
        alpha = _alpha(alpha, high=1.0 if name == "leaky_relu" else None)
    return _activation_forward(a, name, alpha)


def _activation_forward(
    a: Array, name: str, alpha: float | None = None
) -> tuple[Array, tuple[str, Array, Array, float | None]]:
    if name == "softmax":
        out = _softmax(a)
        return out, (name, a, out, alpha)
    out, _ = _apply(name, a, alpha)
    return out, (name, a, out, alpha)


def activation_backward(dout: Array, cache: tuple[str, Array, Array, float | None]) -> Array:
    """``dL/da`` from ``dL/dout``: multiply by the derivative (softmax: its Jacobian)."""
    if not (isinstance(cache, tuple) and len(cache) == 4 and isinstance(cache[1], np.ndarray)):
        raise TypeError(
            f"cache must be what activation_forward returned, got {validate.describe(cache)}"
        )
    name, a, out, alpha = cache
    if name != "softmax":
        _lookup(name, "cache")
    dout = validate.array("dout", dout, shape=a.shape, layout=f"shaped like a {a.shape}")
    return _activation_backward(dout, cache)


def _activation_backward(dout: Array, cache: tuple[str, Array, Array, float | None]) -> Array:
    name, a, out, alpha = cache
    if name == "softmax":
        return _softmax_backward(dout, out)
    _, derivative = _apply(name, a, alpha)
    return dout * derivative

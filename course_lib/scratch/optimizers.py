"""Gradient-descent optimizers and gradient clipping, written out in NumPy.

Every optimizer is a class with ``step(params, grads)``. ``params`` is a dict of arrays,
a list of arrays or a single array; it is updated **in place** (and returned), so the
same object can be passed again on the next step. The state an optimizer keeps (its
momentum, its running averages) is stored per parameter, by key or by position.

The update rules, defaults and epsilon placement are those of ``keras.optimizers``
(Keras 3), so a trajectory computed here matches Keras's step for step:

======================  ===========================================================
class                   Keras equivalent
======================  ===========================================================
``SGD``                 ``keras.optimizers.SGD(learning_rate=0.01)``
``Momentum``            ``keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)``
``Nesterov``            ``keras.optimizers.SGD(..., momentum=0.9, nesterov=True)``
``RMSprop``             ``keras.optimizers.RMSprop(learning_rate=0.001, rho=0.9)``
``Adam``                ``keras.optimizers.Adam(learning_rate=0.001)``
``AMSGrad``             ``keras.optimizers.Adam(learning_rate=0.001, amsgrad=True)``
``AdaptiveStep``        none: the lecture's normalised step ``rho0 / (||d|| + eps)``
======================  ===========================================================

Notation. The lectures write the step size as :math:`\\rho`, the gradient as
:math:`d`, the momentum factor as :math:`\\mu`, and the averaging factors of RMSprop and
Adam as :math:`\\alpha, \\alpha_1, \\alpha_2`. Keras (and this module) call them
``learning_rate``, ``grad``, ``momentum``, ``rho``, ``beta_1`` and ``beta_2``. Three
formulations differ from the slides while giving the same algorithm:

* momentum keeps the *velocity* ``v = momentum * v - lr * grad`` and adds it,
  ``w += v``; the slides keep ``d = mu * d + grad`` and subtract ``rho * d``. For a
  constant step the two are identical (``v = -rho * d``);
* Nesterov is written as ``w += momentum * v - lr * grad`` after the velocity update
  (the look-ahead form of Sutskever et al., 2013) rather than the slides' two
  sequences ``g_t`` and ``w``;
* RMSprop puts epsilon **inside** the square root, ``lr * grad / sqrt(v + eps)``, while
  Adam and AMSGrad put it outside and fold the bias correction into the step size,
  ``lr_t = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)``,
  ``w -= lr_t * m / (sqrt(v) + eps)`` (Kingma and Ba's "efficient" form), with
  ``eps = 1e-7``.

Precision. This module computes in the parameters' dtype (float64 in the tests) with the
hyper-parameters as Python floats. Keras keeps ``learning_rate`` in a float32 variable
and turns ``momentum``, ``beta_1`` and ``beta_2`` into float32 numbers before using
them, so ``0.9`` acts as ``0.89999998``: over 50 steps the two trajectories then differ
by a few ``1e-7`` (up to ``1e-5`` for Adam with a large learning rate). With values that
float32 holds exactly (``2**-6``, ``0.875``, ``1 - 2**-10``) they agree to the last bit.

Gradient clipping follows Keras's ``clipnorm`` (each array's norm separately),
``global_clipnorm`` (all arrays together) and ``clipvalue`` (each entry), applied to the
gradients before the update.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

import numpy as np

from .. import validate

Params = MutableMapping[Any, np.ndarray] | list[np.ndarray] | np.ndarray
Grads = Mapping[Any, np.ndarray] | Sequence[np.ndarray] | np.ndarray

__all__ = [
    "SGD",
    "Momentum",
    "Nesterov",
    "RMSprop",
    "Adam",
    "AMSGrad",
    "AdaptiveStep",
    "Optimizer",
    "OPTIMIZERS",
    "clip_by_norm",
    "clip_by_value",
    "clip_by_global_norm",
    "global_norm",
]


# --------------------------------------------------------------------------- clipping


def clip_by_norm(grad: np.ndarray, max_norm: float) -> np.ndarray:
    """Rescale ``grad`` (any shape) so its Euclidean norm is at most ``max_norm``.

    The direction is kept; a gradient already shorter than ``max_norm`` is unchanged.
    This is what Keras's ``clipnorm`` does to each gradient array.
    """
    max_norm = _check_positive("max_norm", max_norm)
    grad = validate.array("grad", grad)
    norm = float(np.sqrt(np.sum(grad**2)))
    return grad * max_norm / max(norm, max_norm)


def clip_by_value(grad: np.ndarray, limit: float) -> np.ndarray:
    """Clip every entry of ``grad`` to ``[-limit, limit]`` (Keras's ``clipvalue``).

    Unlike :func:`clip_by_norm` this can change the gradient's direction.
    """
    limit = _check_positive("limit", limit)
    return np.clip(validate.array("grad", grad), -limit, limit)


def global_norm(grads: Sequence[np.ndarray]) -> float:
    """The Euclidean norm of all arrays in ``grads`` taken together."""
    return _global_norm(_gradient_list(grads))


def _global_norm(grads: list[np.ndarray]) -> float:
    return float(np.sqrt(sum(np.sum(g**2) for g in grads)))


def _gradient_list(grads: Sequence[np.ndarray]) -> list[np.ndarray]:
    """A non-empty list of finite float arrays."""
    if grads is None or isinstance(grads, str | bytes | dict | np.ndarray) or not hasattr(
        grads, "__len__"
    ):
        raise TypeError(f"grads must be a list of arrays, got {validate.describe(grads)}")
    if len(grads) == 0:
        raise ValueError("grads must hold at least one array")
    return [validate.array(f"grads[{i}]", g) for i, g in enumerate(grads)]


def clip_by_global_norm(grads: Sequence[np.ndarray], max_norm: float) -> list[np.ndarray]:
    """Rescale all arrays by one factor so their joint norm is at most ``max_norm``.

    Keras's ``global_clipnorm``: the relative sizes of the gradients are kept.
    """
    max_norm = _check_positive("max_norm", max_norm)
    grads = _gradient_list(grads)
    scale = max_norm / max(_global_norm(grads), max_norm)
    return [g * scale for g in grads]


def _check_positive(name: str, value: float) -> float:
    """A finite number > 0 (NumPy scalars too): a step size, a clipping threshold."""
    return validate.positive(name, value)


# ------------------------------------------------------------------------- optimizers


def _pairs(params: Any, grads: Any) -> list[tuple[Any, np.ndarray, np.ndarray]]:
    """Match parameters with gradients: ``(key, parameter array, gradient array)``."""
    if isinstance(params, np.ndarray):
        params_by_key: Mapping[Any, np.ndarray] = {0: params}
        grads = {0: grads}
    elif isinstance(params, Mapping):
        if not isinstance(grads, Mapping) or set(grads) != set(params):
            raise ValueError(
                "grads must be a dict with the same keys as params, got "
                f"{sorted(map(str, grads)) if isinstance(grads, Mapping) else type(grads).__name__}"
            )
        params_by_key = params
    elif isinstance(params, list):
        if isinstance(grads, (Mapping, np.ndarray)) or len(grads) != len(params):
            raise ValueError(f"grads must be a list of {len(params)} arrays, like params")
        params_by_key = dict(enumerate(params))
        grads = dict(enumerate(grads))
    else:
        raise TypeError(
            f"params must be a dict of arrays, a list of arrays or an array, got {type(params).__name__}"
        )
    pairs = []
    for key, param in params_by_key.items():
        if not isinstance(param, np.ndarray) or param.dtype.kind != "f":
            raise TypeError(
                f"params: parameter {key!r} must be a floating-point NumPy array (updated in "
                f"place), got {validate.describe(param)}"
            )
        if not np.isfinite(param).all():
            raise ValueError(f"params: parameter {key!r} holds NaN or infinity")
        grad = validate.array(f"grads[{key!r}]", grads[key], dtype=param.dtype)
        if grad.shape != param.shape:
            raise ValueError(
                f"grads: gradient {key!r} has shape {grad.shape}, its parameter has shape "
                f"{param.shape}"
            )
        pairs.append((key, param, grad))
    return pairs


class Optimizer:
    """Base class: clipping, per-parameter state and the step counter.

    Subclasses implement :meth:`update`, which returns the change to add to one
    parameter array. ``iterations`` counts the steps taken so far, like Keras's.

    Args:
        learning_rate: the step size (the lectures' :math:`\\rho`).
        clipnorm, clipvalue, global_clipnorm: gradient clipping as in Keras; at most
            one may be set.
    """

    name = "optimizer"
    default_learning_rate = 0.01

    def __init__(
        self,
        learning_rate: float | None = None,
        *,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
    ) -> None:
        if learning_rate is None:
            learning_rate = self.default_learning_rate
        learning_rate = _check_positive("learning_rate", learning_rate)
        clipping = {"clipnorm": clipnorm, "clipvalue": clipvalue, "global_clipnorm": global_clipnorm}
        chosen = {key: value for key, value in clipping.items() if value is not None}
        if len(chosen) > 1:
            raise ValueError(f"set at most one of clipnorm, clipvalue, global_clipnorm; got {chosen}")
        chosen = {key: _check_positive(key, value) for key, value in chosen.items()}
        self.learning_rate = learning_rate
        self.clipnorm = chosen.get("clipnorm")
        self.clipvalue = chosen.get("clipvalue")
        self.global_clipnorm = chosen.get("global_clipnorm")
        self.iterations = 0
        self.state: dict[Any, dict[str, np.ndarray]] = {}

    def clip(self, grads: list[np.ndarray]) -> list[np.ndarray]:
        """Apply the configured clipping to a list of gradient arrays."""
        return self._clip(_gradient_list(grads))

    def _clip(self, grads: list[np.ndarray]) -> list[np.ndarray]:
        if self.clipnorm is not None:
            return [clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm is not None:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue is not None:
            return [clip_by_value(g, self.clipvalue) for g in grads]
        return grads

    def step(self, params: Params, grads: Grads) -> Params:
        """Update ``params`` in place from ``grads`` (same structure) and return them."""
        self._apply(_pairs(params, grads))
        return params

    def _apply(self, pairs: list[tuple[Any, np.ndarray, np.ndarray]]) -> None:
        """One step on checked ``(key, parameter, gradient)`` triples."""
        clipped = self._clip([grad for _, _, grad in pairs])
        for (key, param, _), grad in zip(pairs, clipped, strict=True):
            state = self.state.setdefault(key, {})
            param += self.update(param, grad.astype(param.dtype, copy=False), state)
        self.iterations += 1

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, np.ndarray]) -> np.ndarray:
        """The change to add to ``param``; ``state`` is this parameter's memory."""
        raise NotImplementedError

    def _zeros(self, state: dict[str, np.ndarray], name: str, like: np.ndarray) -> np.ndarray:
        if name not in state:
            state[name] = np.zeros_like(like)
        return state[name]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learning_rate={self.learning_rate:g})"


class SGD(Optimizer):
    """Plain gradient descent: ``w -= lr * grad``."""

    name = "SGD"

    def update(self, param, grad, state):
        return -self.learning_rate * grad


class Momentum(Optimizer):
    """Heavy-ball momentum: ``v = momentum * v - lr * grad``; ``w += v``."""

    name = "momentum"

    def __init__(self, learning_rate: float | None = None, momentum: float = 0.9, **clipping):
        super().__init__(learning_rate, **clipping)
        self.momentum = validate.fraction("momentum", momentum, closed=True)

    def update(self, param, grad, state):
        velocity = self._zeros(state, "velocity", param)
        velocity[...] = self.momentum * velocity - self.learning_rate * grad
        return velocity.copy()


class Nesterov(Momentum):
    """Nesterov's accelerated gradient in Keras's form.

    ``v = momentum * v - lr * grad``; ``w += momentum * v - lr * grad``: the step
    looks one velocity ahead of plain momentum.
    """

    name = "Nesterov"

    def update(self, param, grad, state):
        velocity = self._zeros(state, "velocity", param)
        velocity[...] = self.momentum * velocity - self.learning_rate * grad
        return self.momentum * velocity - self.learning_rate * grad


class RMSprop(Optimizer):
    """Divide the step by a running root-mean-square of the gradient.

    ``v = rho * v + (1 - rho) * grad**2``; ``w -= lr * grad / sqrt(v + epsilon)``.
    """

    name = "RMSprop"
    default_learning_rate = 0.001

    def __init__(
        self,
        learning_rate: float | None = None,
        rho: float = 0.9,
        epsilon: float = 1e-7,
        **clipping,
    ):
        super().__init__(learning_rate, **clipping)
        self.rho = validate.real("rho", rho, low=0.0, high=1.0, high_open=True)
        self.epsilon = _check_positive("epsilon", epsilon)

    def update(self, param, grad, state):
        mean_square = self._zeros(state, "mean_square", param)
        mean_square[...] = self.rho * mean_square + (1 - self.rho) * grad**2
        return -self.learning_rate * grad / np.sqrt(mean_square + self.epsilon)


class Adam(Optimizer):
    """Momentum on the gradient plus RMSprop's scaling, with bias correction.

    ``m = beta_1 m + (1 - beta_1) grad``, ``v = beta_2 v + (1 - beta_2) grad**2``,
    ``lr_t = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)``,
    ``w -= lr_t * m / (sqrt(v) + epsilon)`` at step ``t = 1, 2, ...``.
    """

    name = "Adam"
    default_learning_rate = 0.001
    amsgrad = False

    def __init__(
        self,
        learning_rate: float | None = None,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        **clipping,
    ):
        super().__init__(learning_rate, **clipping)
        self.beta_1 = validate.real("beta_1", beta_1, low=0.0, high=1.0, high_open=True)
        self.beta_2 = validate.real("beta_2", beta_2, low=0.0, high=1.0, high_open=True)
        self.epsilon = _check_positive("epsilon", epsilon)

    def update(self, param, grad, state):
        t = self.iterations + 1
        step_size = self.learning_rate * math.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        mean = self._zeros(state, "mean", param)
        mean_square = self._zeros(state, "mean_square", param)
        mean += (1 - self.beta_1) * (grad - mean)
        mean_square += (1 - self.beta_2) * (grad**2 - mean_square)
        if self.amsgrad:
            largest = self._zeros(state, "max_mean_square", param)
            np.maximum(largest, mean_square, out=largest)
            mean_square = largest
        return -step_size * mean / (np.sqrt(mean_square) + self.epsilon)


class AMSGrad(Adam):
    """Adam that divides by the largest ``v`` seen so far, so steps never grow back."""

    name = "AMSGrad"
    amsgrad = True


class AdaptiveStep(Optimizer):
    """The lectures' normalised step ``w -= lr * grad / (||grad|| + epsilon)``.

    The norm is taken over each parameter array. No Keras optimizer does exactly this.
    """

    name = "adaptive step"

    def __init__(self, learning_rate: float | None = None, epsilon: float = 1e-7, **clipping):
        super().__init__(learning_rate, **clipping)
        self.epsilon = _check_positive("epsilon", epsilon)

    def update(self, param, grad, state):
        return -self.learning_rate * grad / (np.linalg.norm(grad) + self.epsilon)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, RMSprop, Adam, AMSGrad, AdaptiveStep)
}
"""The optimizers by display name, for menus and loops."""

"""Finite-difference gradient checking: the test every hand-written backward pass must pass.

The central difference ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` approximates the
partial derivative ``df/dx_i`` with an error of order ``eps**2``. Comparing it with a
backpropagated gradient through the relative error

    ``||g_analytic - g_numeric|| / (||g_analytic|| + ||g_numeric||)``

gives a number near 1e-9 or smaller in float64 when the backward pass is right, and
near 1 when it is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .. import validate

Array = np.ndarray


def numerical_gradient(f: Callable[[Array], float], x: Array, eps: float = 1e-6) -> Array:
    """Central-difference gradient of a scalar function ``f`` at ``x`` (any shape).

    ``f`` is called ``2 * x.size`` times on perturbed float64 copies of ``x``.
    """
    f = validate.callable_("f", f)
    x = validate.array("x", x).copy()
    eps = validate.real("eps", eps, low=0.0, low_open=True, high=1.0)
    grad = np.zeros_like(x)
    flat, flat_grad = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        up = _value(f, x)
        flat[i] = saved - eps
        down = _value(f, x)
        flat[i] = saved
        flat_grad[i] = (up - down) / (2 * eps)
    return grad


def _value(f: Callable, x: Array) -> float:
    """``f(x)`` as a finite float, or a clear error naming ``f``."""
    value = f(x)
    try:
        return validate.real("f(x)", value)
    except (TypeError, ValueError) as error:
        raise type(error)(f"f must return one finite number: {error}") from None


def relative_error(analytic: Array, numeric: Array) -> float:
    """``||a - n|| / (||a|| + ||n||)``, and 0 when both are exactly zero."""
    analytic = validate.array("analytic", analytic)
    numeric = validate.array("numeric", numeric)
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"numeric must have the shape of analytic {analytic.shape}, got {numeric.shape} "
            "(shapes differ)"
        )
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return 0.0 if scale == 0 else float(np.linalg.norm(analytic - numeric) / scale)


def gradient_check(
    f: Callable[[Sequence[Array]], float],
    params: Sequence[Array],
    grads: Sequence[Array],
    eps: float = 1e-6,
) -> float:
    """Largest relative error between ``grads`` and finite differences of ``f``.

    Args:
        f: the loss as a function of the list of parameter arrays.
        params: the point where the gradient is checked, e.g. ``[W1, b1, W2, b2]``.
        grads: the analytic gradients, same shapes as ``params``.
    Returns:
        The worst :func:`relative_error` over the parameter arrays.
    """
    f = validate.callable_("f", f)
    eps = validate.real("eps", eps, low=0.0, low_open=True, high=1.0)
    params = _arrays("params", params)
    grads = _arrays("grads", grads)
    if len(params) != len(grads):
        raise ValueError(f"grads holds {len(grads)} arrays but params holds {len(params)}")
    for index, (param, grad) in enumerate(zip(params, grads, strict=True)):
        if param.shape != grad.shape:
            raise ValueError(
                f"grads[{index}] has shape {grad.shape}, but params[{index}] has shape {param.shape}"
            )
    worst = 0.0
    for index, (param, grad) in enumerate(zip(params, grads, strict=True)):

        def partial(value: Array, index: int = index) -> float:
            return f([value if j == index else p for j, p in enumerate(params)])

        worst = max(worst, relative_error(grad, numerical_gradient(partial, param, eps)))
    return worst


def _arrays(name: str, values: Sequence[Array]) -> list[Array]:
    """A non-empty list of float64 arrays."""
    if values is None or isinstance(values, str | bytes | dict | np.ndarray) or not hasattr(
        values, "__len__"
    ):
        raise TypeError(f"{name} must be a list of arrays, got {validate.describe(values)}")
    if len(values) == 0:
        raise ValueError(f"{name} must hold at least one array")
    return [validate.array(f"{name}[{i}]", value) for i, value in enumerate(values)]

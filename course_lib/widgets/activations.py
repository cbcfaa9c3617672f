"""An explorer for activation functions and their derivatives (notebook 02)."""

from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import validate
from ..scratch import activations as act
from .redraw import redraw

Array = np.ndarray
X_RANGE = (-5.0, 5.0)


def activation_curves(
    name: str, slope: float = 1.0, alpha: float = 0.1, x: Array | None = None
) -> tuple[Array, Array, Array]:
    """``f(slope * x)`` and its derivative with respect to ``x``.

    Args:
        name: an element-wise activation in ``scratch.activations.ACTIVATIONS``.
        slope: stretches the input; the derivative picks up a factor ``slope``
            (chain rule), which is why steeper sigmoids learn faster near 0 and
            saturate sooner.
        alpha: the negative-side parameter of ``leaky_relu`` and ``elu``.
        x: where to evaluate; 401 points on ``X_RANGE`` by default.
    Returns:
        ``(x, y, dy_dx)``, three arrays of the same shape.
    """
    act._lookup(name)
    slope = validate.positive("slope", slope)
    alpha = validate.real("alpha", alpha, low=0.0, high=1.0)
    x = np.linspace(*X_RANGE, 401) if x is None else validate.array("x", x, ndim=1, layout="(n,)")
    y, derivative = act.apply(name, slope * x, alpha)
    return x, y, slope * derivative


def render_activation(name: str, slope: float = 1.0, alpha: float = 0.1):
    """Two panels, the function and its derivative; returns the Figure."""
    x, y, dy = activation_curves(name, slope, alpha)
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3.0), layout="constrained")
    left.plot(x, y, color="C0")
    left.set(title=f"{name}(slope · x)", xlabel="x", ylim=(-2.2, 5.2))
    right.plot(x, dy, color="C3")
    right.set(title="derivative", xlabel="x", ylim=(-0.2, max(1.2, 1.1 * float(dy.max()))))
    for ax in (left, right):
        ax.axhline(0, color="gray", lw=0.6)
        ax.axvline(0, color="gray", lw=0.6)
    return fig


def activation_explorer(name: str = "sigmoid") -> w.Widget:
    """Pick an activation, stretch its input with *slope*, set *alpha*, see f and f'."""
    names = [n for n in act.ACTIVATIONS if n != "linear"]
    name = validate.choice("name", name, names)
    choice = w.Dropdown(options=names, value=name, description="activation")
    slope = w.FloatSlider(value=1.0, min=0.2, max=5.0, step=0.1, description="slope")
    alpha = w.FloatSlider(value=0.1, min=0.0, max=1.0, step=0.05, description="alpha")
    figure = w.Output()

    def update(change=None) -> None:
        alpha.disabled = choice.value not in act.WITH_ALPHA
        redraw(figure, render_activation(choice.value, slope.value, alpha.value))

    for control in (choice, slope, alpha):
        control.observe(update, names="value")
    update()
    return w.VBox([w.HBox([choice, slope, alpha]), figure])

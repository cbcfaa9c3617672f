"""An explorer for activation functions and their derivatives (notebook 02).

The element-wise activations map each input on its own; the two vector-valued ones of
the lecture are shown on the same input axis: softmax over the logits ``(slope · x, 0, 1)``
(what happens to every probability when one logit moves) and maxout over three linear
pieces of ``slope · x`` (the upper envelope, a convex piecewise-linear function).
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from .. import validate
from ..scratch import activations as act
from .redraw import coalesce, figure_area, redraw

Array = np.ndarray
X_RANGE = (-5.0, 5.0)
VECTOR_ACTIVATIONS = ("softmax", "maxout")
SOFTMAX_OTHER_LOGITS = (0.0, 1.0)
"""The fixed logits beside ``slope · x`` in the softmax panel."""
MAXOUT_PIECES = ((-1.0, -1.0), (0.25, 0.0), (1.5, -1.5))
"""``(weight, bias)`` of the maxout unit's pieces ``weight · (slope · x) + bias``."""


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


def vector_activation_curves(
    name: str, slope: float = 1.0, x: Array | None = None
) -> tuple[Array, Array, Array]:
    """Outputs of softmax or maxout as ``slope · x`` moves, and their derivatives in ``x``.

    * ``"softmax"``: the logits are ``(slope · x, *SOFTMAX_OTHER_LOGITS)``; column ``i``
      of the result is probability ``p_i`` and of the derivative ``dp_i/dx =
      slope · p_i (δ_i0 - p_0)``, computed with ``scratch.activations.softmax_backward``.
    * ``"maxout"``: the columns are the pieces ``w_j · slope · x + b_j`` of
      :data:`MAXOUT_PIECES` followed by their maximum (the unit's output); the
      derivative's last column is the unit's, the slope of the piece that wins.

    Returns:
        ``(x, y, dy_dx)`` with ``x: (n,)`` and ``y``, ``dy_dx``: ``(n, k)``.
    """
    name = validate.choice("name", name, VECTOR_ACTIVATIONS)
    slope = validate.positive("slope", slope)
    x = np.linspace(*X_RANGE, 401) if x is None else validate.array("x", x, ndim=1, layout="(n,)")
    if name == "softmax":
        logits = np.column_stack([slope * x, *(np.full_like(x, v) for v in SOFTMAX_OTHER_LOGITS)])
        p = act.softmax(logits)
        # dp_i/dlogit_0 is the gradient of p_i, i.e. softmax_backward with dout = e_i.
        columns = [act.softmax_backward(np.broadcast_to(np.eye(p.shape[1])[i], p.shape), p)[:, 0]
                   for i in range(p.shape[1])]
        return x, p, slope * np.column_stack(columns)
    weights = np.array([piece[0] for piece in MAXOUT_PIECES])
    biases = np.array([piece[1] for piece in MAXOUT_PIECES])
    pieces = np.outer(slope * x, weights) + biases
    out, cache = act.maxout_forward(pieces, len(MAXOUT_PIECES))
    # Which piece wins, from the backward pass: the gradient flows to it alone.
    routed = act.maxout_backward(np.ones_like(out), cache)
    derivative = slope * (routed @ weights)
    piece_slopes = np.broadcast_to(slope * weights, pieces.shape)
    return x, np.column_stack([pieces, out[:, 0]]), np.column_stack([piece_slopes, derivative])


def render_activation(name: str, slope: float = 1.0, alpha: float = 0.1):
    """Two panels, the function and its derivative; returns the Figure.

    ``name`` is an element-wise activation or one of :data:`VECTOR_ACTIVATIONS`.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.5, 3.0), layout="constrained")
    left, right = fig.subplots(1, 2)
    if name in VECTOR_ACTIVATIONS:
        x, ys, dys = vector_activation_curves(name, slope)
        if name == "softmax":
            labels = ["$p_0$ (logit slope · x)", *(f"$p_{i + 1}$ (logit {v:g})"
                                                    for i, v in enumerate(SOFTMAX_OTHER_LOGITS))]
            for i, label in enumerate(labels):
                left.plot(x, ys[:, i], color=f"C{i}", label=label)
                right.plot(x, dys[:, i], color=f"C{i}")
            left.set(title="softmax(slope · x, 0, 1)", xlabel="x", ylim=(-0.05, 1.05))
            right.set(title="derivative in x", xlabel="x")
            left.legend(loc="center right", fontsize="small")
        else:
            for j in range(len(MAXOUT_PIECES)):
                left.plot(x, ys[:, j], color="gray", lw=0.8, ls="--")
            left.plot(x, ys[:, -1], color="C0", lw=2.2, label="max of the pieces")
            right.plot(x, dys[:, -1], color="C3")
            left.set(title="maxout: max of 3 lines in slope · x", xlabel="x", ylim=(-2.2, 5.2))
            right.set(title="derivative (slope of the winning piece)", xlabel="x")
            left.legend(loc="upper center", fontsize="small")
    else:
        x, y, dy = activation_curves(name, slope, alpha)
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
    names = [*(n for n in act.ACTIVATIONS if n != "linear"), *VECTOR_ACTIVATIONS]
    name = validate.choice("name", name, names)
    choice = w.Dropdown(options=names, value=name, description="activation")
    slope = w.FloatSlider(value=1.0, min=0.2, max=5.0, step=0.1, description="slope")
    alpha = w.FloatSlider(value=0.1, min=0.0, max=1.0, step=0.05, description="alpha")
    figure = figure_area()

    def update() -> None:
        redraw(figure, render_activation(choice.value, slope.value, alpha.value))

    def on_choice(change=None) -> None:
        alpha.disabled = choice.value not in act.WITH_ALPHA

    choice.observe(on_choice, names="value")
    observer = coalesce(update)
    for control in (choice, slope, alpha):
        control.observe(observer, names="value")
    on_choice()
    update()
    return w.VBox([w.HBox([choice, slope, alpha]), figure])

"""A universal-approximation explorer: one hidden layer, more units, a better fit (notebook 03).

The network is ``f(x) = c + sum_j v_j sigma(s_j (x - k_j))``. Its hidden units are placed by
hand, knots ``k_j`` spread evenly over the input range, and only the output layer
``(v, c)`` is fitted, by linear least squares. That is not how networks are trained, but
it is exact and instantaneous, so the slider can redraw without training anything, and it
shows the constructive idea behind the theorem: each unit adds a kink (ReLU) or a step
(sigmoid) where it is needed.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
from threadpoolctl import threadpool_limits

from .. import validate
from ..scratch import activations as act
from .redraw import connect

Array = np.ndarray
X_RANGE = (-np.pi, np.pi)
HIDDEN_ACTIVATIONS = ("relu", "sigmoid", "tanh")


def _sawtooth(x: Array) -> Array:
    return 2 * np.abs((x / np.pi * 1.5) % 1 - 0.5)


TARGETS: dict[str, Callable[[Array], Array]] = {
    "sine": np.sin,
    "abs": np.abs,
    "step": lambda x: (x > 0.5).astype(float),
    "sawtooth": _sawtooth,
    "wiggle": lambda x: np.sin(3 * x) * np.exp(-0.2 * x**2),
}


def hidden_features(x: Array, num_hidden: int, activation: str = "relu") -> Array:
    """Hidden-layer outputs ``(len(x), num_hidden)`` for units with evenly spread knots.

    ReLU units start at their knot; sigmoid and tanh units switch there, with a
    steepness that grows with the number of units so neighbouring steps do not blur.
    """
    num_hidden = validate.count("num_hidden", num_hidden)
    activation = validate.choice("activation", activation, HIDDEN_ACTIVATIONS)
    x = validate.array("x", x, ndim=1, layout="(n,)").reshape(-1, 1)
    low, high = X_RANGE
    spacing = (high - low) / (num_hidden + 1)
    knots = low + spacing * np.arange(num_hidden)  # the first unit is active everywhere
    if activation == "relu":
        return act.relu(x - knots)
    steepness = 2.0 / spacing
    return act.apply(activation, steepness * (x - knots - spacing / 2))[0]


def fit_one_hidden_layer(
    target: str, num_hidden: int, activation: str = "relu", num_points: int = 400
) -> tuple[Array, Array, Array]:
    """Least-squares fit of the output layer on top of :func:`hidden_features`.

    Returns:
        ``(x, y_true, y_fit)``, each ``(num_points,)``.
    """
    target = validate.choice("target", target, tuple(TARGETS))
    num_points = validate.count("num_points", num_points, minimum=2)
    x = np.linspace(*X_RANGE, num_points)
    y = TARGETS[target](x)
    features = np.column_stack([hidden_features(x, num_hidden, activation), np.ones_like(x)])
    # One BLAS thread: a 400 x 61 problem gains nothing from threads, and on a busy
    # machine waking them costs far more than the solve itself.
    with threadpool_limits(limits=1, user_api="blas"):
        weights = np.linalg.lstsq(features, y, rcond=None)[0]
    return x, y, features @ weights


def render_approximation(target: str, num_hidden: int, activation: str = "relu"):
    """Target and fit on one plot, with the worst error in the title; returns the Figure."""
    x, y, y_fit = fit_one_hidden_layer(target, num_hidden, activation)
    fig, ax = plt.subplots(figsize=(6.4, 3.4), layout="constrained")
    ax.plot(x, y, color="black", lw=2, alpha=0.4, label="target")
    ax.plot(x, y_fit, color="C3", label=f"{num_hidden} {activation} units")
    errors = y - y_fit
    ax.set(
        xlabel="x",
        title=f"largest error {np.abs(errors).max():.3f}, "
        f"root-mean-square error {np.sqrt(np.mean(errors**2)):.3f}",
    )
    ax.legend(loc="upper left")
    return fig


def approximation_explorer() -> w.Widget:
    """Target menu, activation menu and a hidden-units slider over the fitted curve."""
    target = w.Dropdown(options=list(TARGETS), value="sine", description="target")
    activation = w.Dropdown(options=HIDDEN_ACTIVATIONS, value="relu", description="units")
    units = w.IntSlider(value=3, min=1, max=60, description="hidden units")
    figure, _ = connect(render_approximation, (target, units, activation))
    return w.VBox([w.HBox([target, activation, units]), figure])

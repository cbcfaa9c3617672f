"""Notebook 05's widget: model capacity and an L2 penalty on a polynomial fit.

:func:`render_capacity` draws the figure (a plain function the tests call); the
builder :func:`capacity_explorer` wires two sliders to it. Fitting is closed-form least
squares, so a redraw takes milliseconds: nothing is trained.
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import regularization, validate
from .redraw import connect

DEGREES = tuple(range(0, 16))


@lru_cache(maxsize=64)
def _errors(l2: float) -> dict[str, np.ndarray]:
    return regularization.capacity_errors(DEGREES, l2)


def render_capacity(degree: int, l2: float = 0.0):
    """The fit of one polynomial degree and the error curves over all degrees.

    Returns:
        ``(figure, text)`` with the training and test mean squared errors.
    """
    degree = validate.index("degree", degree, len(DEGREES))
    l2 = validate.positive("l2", l2, allow_zero=True)
    (x_train, y_train), (x_test, y_test) = regularization.toy_regression()
    weights = regularization.fit_polynomial(x_train, y_train, degree, l2)
    grid = np.linspace(-1, 1, 200)
    errors = _errors(float(l2))
    train_mse, test_mse = errors["train"][degree], errors["test"][degree]

    fig, (ax_fit, ax_errors) = plt.subplots(1, 2, figsize=(11, 3.6))
    ax_fit.scatter(x_test, y_test, s=6, color="lightgrey", label="test points")
    ax_fit.scatter(x_train, y_train, s=25, color="black", label="training points")
    ax_fit.plot(grid, regularization.predict_polynomial(weights, grid), color="crimson",
                label=f"degree {degree}")
    ax_fit.set(ylim=(-2.5, 2.5), xlabel="x", ylabel="y", title="the fitted curve")
    ax_fit.legend(fontsize=8, loc="upper left")
    ax_errors.semilogy(DEGREES, errors["train"], marker=".", label="training")
    ax_errors.semilogy(DEGREES, errors["test"], marker=".", label="test")
    ax_errors.axvline(degree, color="crimson", linestyle="--")
    ax_errors.set(xlabel="polynomial degree (capacity)", ylabel="mean squared error", ylim=(1e-2, 1e2),
                  title=f"L2 strength {l2:g}")
    ax_errors.legend(fontsize=8)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.16, wspace=0.25)
    plt.close(fig)
    return fig, f"degree {degree}, L2 {l2:g}: training MSE {train_mse:.3f}, test MSE {test_mse:.3f}"


def capacity_explorer() -> w.Widget:
    """A degree slider and an L2-strength slider over the polynomial fit."""
    degree = w.IntSlider(value=3, min=0, max=DEGREES[-1], description="degree",
                         continuous_update=False)
    l2 = w.SelectionSlider(options=[0.0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0], value=0.0,
                           description="L2 strength", continuous_update=False)
    figure_out, text_out = connect(render_capacity, (degree, l2))
    return w.VBox([w.HBox([degree, l2]), text_out, figure_out])

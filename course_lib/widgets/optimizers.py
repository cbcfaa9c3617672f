"""Notebook 04's widgets: an optimizer race and a learning-rate explorer.

The figures come from plain functions (:func:`race`, :func:`render_race`,
:func:`learning_rate_sweep`, :func:`render_learning_rate`) that the tests call
without a browser; the builders only wire controls to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import surfaces, validate
from ..scratch import optimizers
from .redraw import connect

RACE_DEFAULTS = ("SGD", "momentum", "Adam")


def race(
    surface: str,
    names: Sequence[str],
    learning_rate: float,
    num_steps: int = 100,
) -> dict[str, np.ndarray]:
    """Run each named optimizer (same learning rate, same start) on ``surface``.

    Returns:
        ``{name: (k, 2) trajectory}`` in the order given.
    """
    surfaces.get_surface(surface)
    items = validate.items("names", names, "optimizer names")
    unknown = [name for name in items if name not in optimizers.OPTIMIZERS]
    if unknown:
        raise ValueError(f"unknown optimizers {unknown}: expected names from {list(optimizers.OPTIMIZERS)}")
    names = validate.choices("names", items, tuple(optimizers.OPTIMIZERS))
    learning_rate = validate.positive("learning_rate", learning_rate)
    num_steps = validate.count("num_steps", num_steps)
    return {
        name: surfaces.trajectory(
            optimizers.OPTIMIZERS[name](learning_rate=learning_rate), surface, num_steps=num_steps
        )
        for name in names
    }


def describe_race(paths: dict[str, np.ndarray], surface: str) -> str:
    """One line per optimizer: the final loss, best first (diverged runs last)."""
    paths = {
        name: validate.array(f"paths[{name!r}]", path, shape=(None, 2), layout="(k, 2) points",
                             finite=False)
        for name, path in validate.mapping("paths", paths).items()
    }
    surfaces.get_surface(surface)
    finals = {name: surfaces.final_loss(path, surface) for name, path in paths.items()}
    lines = []
    for name, loss in sorted(finals.items(), key=lambda item: item[1]):
        verdict = "diverged" if not np.isfinite(loss) or loss > 1e6 else f"final loss {loss:.3g}"
        lines.append(f"{name:<14} {verdict}")
    return "\n".join(lines) if lines else "Pick at least one optimizer."


def render_race(
    surface: str,
    names: Sequence[str],
    learning_rate: float,
    num_steps: int = 100,
):
    """The race figure and its text summary: ``(figure, text)``."""
    paths = race(surface, names, learning_rate, num_steps)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    surfaces.draw(surface, paths, ax=ax, resolution=90)
    ax.set_title(f"{surface}: learning rate {learning_rate:.3g}, {num_steps} steps")
    plt.close(fig)
    return fig, describe_race(paths, surface)


def optimizer_race() -> w.Widget:
    """Choose a surface, some optimizers and a learning rate; watch their paths."""
    surface = w.Dropdown(options=list(surfaces.SURFACES), value="elongated quadratic",
                         description="surface")
    names = w.SelectMultiple(options=list(optimizers.OPTIMIZERS), value=RACE_DEFAULTS,
                             description="optimizers", rows=7)
    learning_rate = w.FloatLogSlider(value=0.05, base=10, min=-3, max=0, step=0.05,
                                     description="learning rate", continuous_update=False,
                                     readout_format=".3f")
    num_steps = w.IntSlider(value=100, min=10, max=400, step=10, description="steps",
                            continuous_update=False)
    controls = (surface, names, learning_rate, num_steps)
    figure_out, text_out = connect(render_race, controls)
    return w.HBox([w.VBox([surface, names, learning_rate, num_steps, text_out]), figure_out])


# ------------------------------------------------------------- learning-rate explorer

EXPLORER_SURFACE = "elongated quadratic"


def classify_learning_rate(path: np.ndarray, surface: str = EXPLORER_SURFACE,
                           tolerance: float = 1e-3) -> str:
    """``"diverges"``, ``"too slow"`` or ``"converges"`` for one gradient-descent run.

    A run diverges when its final loss exceeds the starting loss; it is too slow when it
    has not brought the loss under ``tolerance`` times the starting loss.
    """
    path = validate.array("path", path, shape=(None, 2), layout="(k, 2) points", finite=False)
    tolerance = validate.fraction("tolerance", tolerance)
    start, final = surfaces.final_loss(path[:1], surface), surfaces.final_loss(path, surface)
    if not final <= start:
        return "diverges"
    return "converges" if final <= tolerance * start else "too slow"


def learning_rate_sweep(
    learning_rates: np.ndarray,
    surface: str = EXPLORER_SURFACE,
    num_steps: int = 50,
) -> np.ndarray:
    """Final loss of plain gradient descent for each learning rate: ``(n,)``."""
    learning_rates = validate.array("learning_rates", learning_rates, ndim=1, layout="(n,)")
    if (learning_rates <= 0).any():
        raise ValueError("learning_rates must all be > 0")
    surfaces.get_surface(surface)
    num_steps = validate.count("num_steps", num_steps)
    return np.array(
        [
            surfaces.final_loss(
                surfaces.trajectory(optimizers.SGD(learning_rate=lr), surface, num_steps=num_steps),
                surface,
            )
            for lr in learning_rates
        ]
    )


SWEEP_RATES = np.logspace(-3, np.log10(0.2), 60)


@lru_cache(maxsize=32)
def _cached_sweep(surface: str, num_steps: int) -> np.ndarray:
    return learning_rate_sweep(SWEEP_RATES, surface, num_steps)


class LearningRateFigure:
    """The three panels of :func:`render_learning_rate`, drawn once and updated in place.

    The contours, axes and labels stay; an update moves the path, the loss curve and the
    sweep's marker, so a slider move costs only the rendering.
    """

    def __init__(self, surface: str = EXPLORER_SURFACE) -> None:
        surfaces.get_surface(surface)
        self.surface = surface
        self.fig, (self.ax_path, self.ax_loss, self.ax_sweep) = plt.subplots(1, 3, figsize=(13, 3.6))
        surfaces.draw(surface, {}, ax=self.ax_path, resolution=80)
        (self.path_line,) = self.ax_path.plot([], [], marker=".", markersize=3, linewidth=1.2,
                                              color="C0", label="lr")
        self.legend = self.ax_path.legend(fontsize=8, loc="upper right")
        (self.loss_line,) = self.ax_loss.semilogy([1.0], [1.0])
        self.ax_loss.set(xlabel="step", ylabel="loss")
        (self.sweep_line,) = self.ax_sweep.loglog(SWEEP_RATES, np.ones_like(SWEEP_RATES))
        self.marker = self.ax_sweep.axvline(SWEEP_RATES[0], color="crimson", linestyle="--")
        self.ax_sweep.set(xlabel="learning rate", title="all learning rates")
        self.fig.subplots_adjust(left=0.06, right=0.98, bottom=0.16, wspace=0.32)
        plt.close(self.fig)
        self._steps_drawn: int | None = None

    def update(self, learning_rate: float, num_steps: int) -> str:
        """Show gradient descent with ``learning_rate`` for ``num_steps``; returns the verdict."""
        learning_rate = validate.positive("learning_rate", learning_rate)
        num_steps = validate.count("num_steps", num_steps)
        path = surfaces.trajectory(optimizers.SGD(learning_rate=learning_rate), self.surface,
                                   num_steps=num_steps)
        verdict = classify_learning_rate(path, self.surface)
        self.path_line.set_data(path[:, 0], path[:, 1])
        self.legend.get_texts()[0].set_text(f"lr = {learning_rate:.3g}")
        losses = np.maximum(surfaces.get_surface(self.surface)(path), 1e-12)
        self.loss_line.set_data(np.arange(len(losses)), losses)
        self.ax_loss.relim()
        self.ax_loss.autoscale_view()
        self.ax_loss.set_title(f"loss: {verdict}")
        if num_steps != self._steps_drawn:
            self.sweep_line.set_ydata(np.minimum(_cached_sweep(self.surface, num_steps), 1e6))
            self.ax_sweep.relim()
            self.ax_sweep.autoscale_view()
            self.ax_sweep.set_ylabel(f"loss after {num_steps} steps")
            self._steps_drawn = num_steps
        self.marker.set_xdata([learning_rate, learning_rate])
        return verdict


def render_learning_rate(learning_rate: float, num_steps: int = 50, surface: str = EXPLORER_SURFACE,
                         *, figure: LearningRateFigure | None = None):
    """Three panels for one learning rate: the path, its loss curve, and the sweep.

    ``figure`` (a :class:`LearningRateFigure` of the same surface) is updated instead of
    drawing a new one; the explorer keeps one for its life.

    Returns:
        ``(figure, text)`` with the verdict of :func:`classify_learning_rate`.
    """
    learning_rate = validate.positive("learning_rate", learning_rate)
    num_steps = validate.count("num_steps", num_steps)
    surfaces.get_surface(surface)
    if figure is None:
        figure = LearningRateFigure(surface)
    else:
        figure = validate.instance("figure", figure, LearningRateFigure, "a LearningRateFigure")
        if figure.surface != surface:
            raise ValueError(f"figure shows the surface {figure.surface!r}, not {surface!r}")
    verdict = figure.update(learning_rate, num_steps)
    return figure.fig, f"learning rate {learning_rate:.3g}: {verdict}"


def learning_rate_explorer() -> w.Widget:
    """A learning-rate slider over gradient descent on the elongated quadratic."""
    learning_rate = w.FloatLogSlider(value=0.02, base=10, min=-3, max=np.log10(0.2), step=0.02,
                                     description="learning rate", continuous_update=False,
                                     readout_format=".4f", layout=w.Layout(width="420px"))
    num_steps = w.IntSlider(value=50, min=10, max=200, step=10, description="steps",
                            continuous_update=False)
    figure = LearningRateFigure()  # one figure for the explorer's life, updated in place

    def render(rate: float, steps: int):
        return render_learning_rate(rate, steps, figure=figure)

    figure_out, text_out = connect(render, (learning_rate, num_steps))
    return w.VBox([w.HBox([learning_rate, num_steps]), text_out, figure_out])

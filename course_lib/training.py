"""Training helpers: a live plot of the learning curves.

Loads TensorFlow quietly through :mod:`course_lib.backend`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import validate
from .backend import keras

FIRST_DRAW_ESTIMATE_S = 0.1


def compile_classifier(
    model: keras.Model, learning_rate: float | keras.optimizers.schedules.LearningRateSchedule = 1e-3
) -> keras.Model:
    """Compile ``model`` as the course's classifiers are: Adam, sparse categorical
    cross-entropy on integer labels, accuracy. Returns the model."""
    model = validate.model("model", model)
    if not isinstance(learning_rate, keras.optimizers.schedules.LearningRateSchedule):
        learning_rate = validate.positive("learning_rate", learning_rate)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the course
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class LivePlot(keras.callbacks.Callback):
    """Redraw loss and metric curves in place while ``fit`` runs.

    Drawing costs time, so redraws are throttled: at most one every ``min_interval``
    seconds, and never while the time spent drawing exceeds ``budget`` (5 %) of the time
    spent training. The final curves are always drawn when training ends. Outside a
    notebook (a script, a headless test run) nothing is displayed, but the curves are
    still recorded in :attr:`logs`.

    Args:
        metrics: which logged values get a panel; None = ``loss`` plus every metric the
            model reports (validation curves join their training curve).
        every: ``"epoch"`` or a number of batches between data points.
        min_interval: minimum seconds between two redraws.
        budget: the largest share of training time drawing may take.
        render: force drawing even outside a notebook (to an off-screen canvas); used
            to measure the cost.
    """

    def __init__(
        self,
        metrics: Sequence[str] | None = None,
        *,
        every: str | int = "epoch",
        min_interval: float = 1.0,
        budget: float = 0.05,
        render: bool | None = None,
    ) -> None:
        super().__init__()
        if isinstance(every, str):
            every = validate.choice("every", every, ("epoch",))
        else:
            every = validate.count("every", every)
        budget = validate.fraction("budget", budget)
        min_interval = validate.positive("min_interval", min_interval, allow_zero=True)
        if render is not None:
            render = validate.flag("render", render)
        if metrics is not None:
            items = validate.items("metrics", metrics, "metric names")
            metrics = [validate.text(f"metrics[{i}]", name) for i, name in enumerate(items)]
            if not metrics:
                raise ValueError("metrics must name at least one metric, or be None for all")
        self.metrics = list(metrics) if metrics is not None else None
        self.every = every
        self.min_interval = float(min_interval)
        self.budget = float(budget)
        self.display = _in_notebook() if render is None else bool(render)
        self.logs: dict[str, list[float]] = {}
        self.steps: list[float] = []
        self.draw_seconds = 0.0
        self.train_seconds = 0.0
        self.draw_count = 0
        self.last_draw_seconds = 0.0
        self._handle: Any = None
        self._figure: Any = None
        self._start = 0.0
        self._last_draw = 0.0
        self._batches_seen = 0

    # -- recording -------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self.logs, self.steps = {}, []
        self.draw_seconds, self.draw_count, self._batches_seen = 0.0, 0, 0
        self._start = time.perf_counter()
        self._last_draw = self._start

    def _record(self, position: float, logs: dict | None) -> None:
        if not logs:
            return
        self.steps.append(position)
        for key, value in logs.items():
            if np.ndim(value) == 0:
                series = self.logs.setdefault(key, [np.nan] * (len(self.steps) - 1))
                series.append(float(value))
        for series in self.logs.values():
            series.extend([np.nan] * (len(self.steps) - len(series)))
        self._maybe_draw()

    def on_train_batch_end(self, batch, logs=None):
        self._batches_seen += 1
        if self.every != "epoch" and self._batches_seen % self.every == 0:
            steps_per_epoch = self.params.get("steps") or 0
            position = (
                self._batches_seen / steps_per_epoch if steps_per_epoch else self._batches_seen
            )
            self._record(
                position, {k: v for k, v in (logs or {}).items() if not k.startswith("val_")}
            )

    def on_epoch_end(self, epoch, logs=None):
        if self.every == "epoch":
            self._record(epoch + 1, logs)
        elif logs:
            # validation values arrive only at the end of an epoch
            for key, value in logs.items():
                if key.startswith("val_"):
                    series = self.logs.setdefault(key, [np.nan] * len(self.steps))
                    series.extend([np.nan] * (len(self.steps) - len(series)))
                    series[-1] = float(value)

    def on_train_end(self, logs=None):
        self.train_seconds = time.perf_counter() - self._start - self.draw_seconds
        if self.display and self.steps:
            self._draw()

    # -- drawing ---------------------------------------------------------------
    @property
    def overhead(self) -> float:
        """Drawing time as a share of training time so far."""
        elapsed = time.perf_counter() - self._start - self.draw_seconds
        return self.draw_seconds / max(elapsed, 1e-9)

    def _maybe_draw(self) -> None:
        if not self.display:
            return
        now = time.perf_counter()
        if now - self._last_draw < self.min_interval:
            return
        # Predictive: draw only if the next redraw, costing about as much as the last
        # one, still keeps the drawing time within budget.
        training_so_far = now - self._start - self.draw_seconds
        expected_cost = self.last_draw_seconds or FIRST_DRAW_ESTIMATE_S
        if self.draw_seconds + expected_cost > self.budget * training_so_far:
            return
        self._draw()

    def _panels(self) -> list[str]:
        names = self.metrics or [k for k in self.logs if not k.startswith("val_")]
        names = [n for n in names if n in self.logs and n != "learning_rate"]
        return sorted(names, key=lambda name: name != "loss")

    def _draw(self) -> None:
        started = time.perf_counter()
        self._render()
        self.draw_count += 1
        self._last_draw = time.perf_counter()
        self.last_draw_seconds = self._last_draw - started
        self.draw_seconds += self.last_draw_seconds

    def _render(self) -> None:
        """Draw the curves into the figure and show it (or draw it off-screen)."""
        from matplotlib.figure import Figure

        panels = self._panels()
        if self._figure is None or len(self._figure.axes) != len(panels):
            # A bare Figure (not pyplot) so the notebook does not show it a second time.
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            self._figure = Figure(figsize=(4.2 * max(1, len(panels)), 3.0), layout="constrained")
            FigureCanvasAgg(self._figure)
            self._figure.subplots(1, max(1, len(panels)), squeeze=False)
        x_label = "epoch"
        for ax, name in zip(self._figure.axes, panels, strict=False):
            ax.clear()
            ax.plot(
                self.steps,
                self.logs[name],
                label="train",
                marker="." if len(self.steps) < 30 else None,
            )
            if f"val_{name}" in self.logs:
                values = np.asarray(self.logs[f"val_{name}"])
                mask = ~np.isnan(values)
                ax.plot(np.asarray(self.steps)[mask], values[mask], label="validation", marker=".")
            ax.set(title=name, xlabel=x_label)
            ax.grid(True, alpha=0.3)
            ax.legend(frameon=False)
        if _in_notebook():
            from IPython.display import display

            if self._handle is None:
                self._handle = display(self._figure, display_id=True)
            else:
                self._handle.update(self._figure)
        else:
            self._figure.canvas.draw()

    @property
    def figure(self):
        """The matplotlib Figure of the last redraw (None if nothing was drawn)."""
        return self._figure

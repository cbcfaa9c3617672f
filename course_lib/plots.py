"""Plotting helpers shared by the notebooks.

Every function draws into the Axes it is given (or a new figure when ``ax``/``axes`` is
None), returns what it drew into, and never calls ``show()`` or writes files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from . import validate


def _new_axes(ax):
    if ax is not None:
        return validate.axes("ax", ax)
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    return ax


def image_grid(
    images: np.ndarray,
    labels: Sequence[Any] | None = None,
    *,
    predictions: Sequence[Any] | None = None,
    ncols: int = 10,
    cmap: str = "gray",
    axes: np.ndarray | None = None,
    size: float = 1.1,
):
    """Show images in a grid, optionally titled with labels and predictions.

    Args:
        images: ``(n, height, width)``, ``(n, height, width, 1)`` or
            ``(n, height, width, 3)``; any real dtype.
        labels: ``n`` titles (class indices or names).
        predictions: ``n`` predicted labels; a title turns red where it differs from
            the label.
        ncols: images per row.
        axes: existing Axes to draw into (at least ``n``); a new figure otherwise.
        size: inches per image when a new figure is made.

    Returns:
        The flat array of Axes.
    """
    layout = "(n, h, w), (n, h, w, 1) or (n, h, w, 3)"
    checked = validate.array("images", images, ndim=(3, 4), layout=layout, dtype=None)
    # Integer pixels (0-255) keep their integer dtype, which imshow reads as such.
    integer_pixels = getattr(images, "dtype", None) is not None and np.dtype(images.dtype).kind in "iu"
    images = checked.astype(images.dtype) if integer_pixels else checked
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim == 4 and images.shape[-1] != 3:
        raise ValueError(f"images must be {layout}, got shape {images.shape}")
    count = len(images)
    if count == 0 or images.shape[1] == 0 or images.shape[2] == 0:
        raise ValueError(f"images must hold at least one image with pixels, got shape {images.shape}")
    labels = _titles("labels", labels, count)
    predictions = _titles("predictions", predictions, count)
    ncols = validate.count("ncols", ncols)
    cmap = _colormap(cmap)
    size = validate.positive("size", size)
    if axes is not None:
        axes = np.asarray(axes, dtype=object).ravel()
        for i, ax in enumerate(axes):
            validate.axes(f"axes[{i}]", ax)
    if axes is None:
        import matplotlib.pyplot as plt

        ncols = max(1, min(ncols, count))
        nrows = int(np.ceil(count / ncols))
        _, axes = plt.subplots(
            nrows, ncols, figsize=(size * ncols, size * nrows * 1.15), squeeze=False
        )
    axes = np.asarray(axes).ravel()
    if len(axes) < count:
        raise ValueError(f"got {len(axes)} axes for {count} images")
    for i, ax in enumerate(axes):
        ax.set_axis_off()
        if i >= count:
            continue
        ax.imshow(images[i], cmap=cmap if images.ndim == 3 else None)
        title, color = None, "black"
        if labels is not None:
            title = str(labels[i])
        if predictions is not None:
            title = f"{title} → {predictions[i]}" if title else str(predictions[i])
            if labels is not None and predictions[i] != labels[i]:
                color = "crimson"
        if title:
            ax.set_title(title, fontsize=8, color=color, pad=2)
    return axes


def _titles(name: str, values: Sequence[Any] | None, count: int) -> list | None:
    """Per-image titles: a list, tuple or 1-D array of ``count`` labels (or None)."""
    if values is None:
        return None
    if isinstance(values, str | bytes | dict | set) or not hasattr(values, "__len__"):
        raise TypeError(f"{name} must be a list of {count} labels, got {validate.describe(values)}")
    if np.ndim(values) > 1:
        raise ValueError(f"{name} must be a flat list of labels, got shape {np.shape(values)}")
    values = list(values)
    if len(values) != count:
        raise ValueError(f"{name} has {len(values)} entries for {count} images")
    return values


def _colormap(cmap: str) -> str:
    import matplotlib

    if not isinstance(cmap, str):
        raise TypeError(f"cmap must be a colormap name such as 'gray', got {validate.describe(cmap)}")
    if cmap not in matplotlib.colormaps:
        raise ValueError(
            f"cmap must be a matplotlib colormap name such as 'gray' or 'viridis', got {cmap!r}"
        )
    return cmap


def _check_model_or_fn(model_or_fn: Any) -> Any:
    if not (hasattr(model_or_fn, "predict") or callable(model_or_fn)):
        raise TypeError(
            "model_or_fn must be a Keras model or a function mapping (n, 2) points to "
            f"scores, got {validate.describe(model_or_fn)}"
        )
    return model_or_fn


def _predict_grid(model_or_fn: Any, grid: np.ndarray) -> np.ndarray:
    if hasattr(model_or_fn, "predict"):
        scores = model_or_fn.predict(grid, verbose=0, batch_size=4096)
    else:
        scores = model_or_fn(grid)
    try:
        scores = validate.array("scores", scores, ndim=(1, 2), dtype=None)
    except (TypeError, ValueError) as error:
        raise type(error)(f"model_or_fn must return finite scores for the points: {error}") from None
    if len(scores) != len(grid) or (scores.ndim == 2 and scores.shape[1] < 1):
        raise ValueError(
            f"model_or_fn must return (n,), (n, 1) or (n, k) scores for n = {len(grid)} "
            f"points, got shape {scores.shape}"
        )
    return scores


def decision_boundary(
    model_or_fn: Any,
    X: np.ndarray,
    y: np.ndarray | None = None,
    *,
    ax=None,
    resolution: int = 150,
    margin: float = 0.5,
    cmap: str = "coolwarm",
):
    """Colour the plane by a classifier's decision and scatter the data on top.

    Args:
        model_or_fn: a Keras model (its ``predict`` is used) or a function taking
            ``(n, 2)`` points and returning ``(n,)`` or ``(n, 1)`` scores/probabilities
            for two classes, or ``(n, k)`` class scores for ``k`` classes.
        X: ``(n, 2)`` points; ``y``: ``(n,)`` integer classes for the colours.
        resolution: grid points per axis.
        margin: space around the data, in data units.

    Returns:
        The Axes.
    """
    model_or_fn = _check_model_or_fn(model_or_fn)
    X = validate.array("X", X, shape=(None, 2), layout="(n, 2)")
    if y is not None:
        y = validate.array("y", y, shape=(len(X),), layout=f"(n,) = ({len(X)},)")
    resolution = validate.count("resolution", resolution, minimum=2)
    margin = validate.positive("margin", margin, allow_zero=True)
    cmap = _colormap(cmap)
    ax = _new_axes(ax)
    (x_min, y_min), (x_max, y_max) = X.min(0) - margin, X.max(0) + margin
    xx, yy = np.meshgrid(
        np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution)
    )
    grid = np.column_stack([xx.ravel(), yy.ravel()]).astype(np.float32)
    scores = _predict_grid(model_or_fn, grid)
    if scores.ndim == 2 and scores.shape[1] > 1:
        zz = scores.argmax(axis=1).reshape(xx.shape)
        levels = np.arange(scores.shape[1] + 1) - 0.5
        ax.contourf(xx, yy, zz, levels=levels, cmap=cmap, alpha=0.35)
    else:
        zz = scores.reshape(xx.shape)
        low, high = float(zz.min()), float(zz.max())
        threshold = 0.5 if 0.0 <= low and high <= 1.0 else 0.0
        ax.contourf(xx, yy, zz, levels=20, cmap=cmap, alpha=0.35)
        if low < threshold < high:
            ax.contour(xx, yy, zz, levels=[threshold], colors="black", linewidths=1.2)
    ax.scatter(
        X[:, 0],
        X[:, 1],
        c=y if y is not None else "black",
        cmap=cmap,
        edgecolors="white",
        linewidths=0.5,
        s=18,
    )
    ax.set(xlim=(x_min, x_max), ylim=(y_min, y_max), xlabel="$x_1$", ylabel="$x_2$")
    return ax


def history_curves(
    history: Any,
    metrics: Sequence[str] | None = None,
    *,
    axes: Sequence | None = None,
):
    """Training curves from a Keras ``History`` (or its ``.history`` dict).

    One panel per metric (``loss`` first), each with the training curve and, when
    present, the ``val_`` curve.

    Returns:
        The list of Axes.
    """
    logs: Mapping[str, Sequence[float]] = validate.logs("history", history)
    if metrics is None:
        metrics = [key for key in logs if not key.startswith("val_") and key != "learning_rate"]
        metrics.sort(key=lambda key: key != "loss")
    else:
        items = validate.items("metrics", metrics, "metric names")
        metrics = [validate.text(f"metrics[{i}]", m) for i, m in enumerate(items)]
    if not metrics:
        raise ValueError(f"metrics: nothing to plot; available: {sorted(logs)}")
    missing = [m for m in metrics if m not in logs]
    if missing:
        raise ValueError(f"metrics {missing} not in history; available: {sorted(logs)}")
    if axes is None:
        import matplotlib.pyplot as plt

        _, grid = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.2), squeeze=False)
        panels = list(grid[0])
    else:
        panels = list(np.ravel(np.asarray(axes, dtype=object)))
        for i, ax in enumerate(panels):
            validate.axes(f"axes[{i}]", ax)
    for ax, metric in zip(panels, metrics, strict=False):
        epochs = np.arange(1, len(logs[metric]) + 1)
        ax.plot(epochs, logs[metric], label="train")
        if f"val_{metric}" in logs:
            ax.plot(epochs, logs[f"val_{metric}"], label="validation")
        ax.set(xlabel="epoch", title=metric)
        ax.legend()
    return panels


def timeline(
    events: Sequence[tuple[int, str]],
    *,
    eras: Sequence[tuple[float, float, str]] = (),
    highlight: Callable[[int, str], bool] | None = None,
    ax=None,
):
    """Draw dated events as a milestone chart: one row per event, time running right.

    Args:
        events: ``(year, label)`` pairs.
        eras: ``(start, end, name)`` spans to shade and name.
        highlight: predicate ``(year, label) -> bool``; other events are greyed out.

    Returns:
        The Axes.
    """
    return TimelineChart(events, eras=eras, highlight=highlight, ax=ax).ax


class TimelineChart:
    """A milestone chart (see :func:`timeline`) whose highlight can change later.

    :meth:`highlight` restyles the rows already drawn instead of drawing the chart anew,
    so a widget that redraws it on every move pays only for rendering: building the
    figure and laying out its labels is done once.
    """

    ACTIVE, INACTIVE = "#1f4e79", "#b5b5b5"

    def __init__(
        self,
        events: Sequence[tuple[int, str]],
        *,
        eras: Sequence[tuple[float, float, str]] = (),
        highlight: Callable[[int, str], bool] | None = None,
        ax=None,
    ) -> None:
        events = sorted(_events(events))
        if not events:
            raise ValueError("events is empty")
        eras = _eras(eras)
        if ax is not None:
            ax = validate.axes("ax", ax)
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(10, 0.26 * len(events) + 1.2))
        self.ax = ax
        self.events = events
        years = [year for year, _ in events] + [edge for start, end, _ in eras for edge in (start, end)]
        first, last = min(years), max(years)
        middle = (first + last) / 2
        palette = ["#fde2c8", "#dde7f5"]
        for i, (start, end, name) in enumerate(eras):
            ax.axvspan(start, end, color=palette[i % len(palette)], zorder=0)
            ax.text(
                (start + end) / 2,
                1.01,
                name,
                ha="center",
                va="bottom",
                fontsize=8,
                transform=ax.get_xaxis_transform(),
            )
        self._rows = []
        for row, (year, label) in enumerate(events):
            line = ax.hlines(row, first - 2, year, linewidth=0.5, linestyles=":", zorder=1)
            dot = ax.scatter([year], [row], s=22, zorder=2)
            left_side = year > middle
            text = ax.text(
                year + (-1 if left_side else 1),
                row,
                f"{year}  {label}" if not left_side else f"{label}  {year}",
                ha="right" if left_side else "left",
                va="center",
                fontsize=8,
                zorder=3,
            )
            self._rows.append((line, dot, text))
        ax.set(xlim=(first - 2, last + 2), ylim=(len(events) - 0.4, -0.8), yticks=[])
        ax.grid(False)
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        self.highlight(highlight)

    def highlight(self, highlight: Callable[[int, str], bool] | None) -> None:
        """Grey out the events for which ``highlight(year, label)`` is false (None: none)."""
        if highlight is not None:
            highlight = validate.callable_("highlight", highlight)
        for (year, label), (line, dot, text) in zip(self.events, self._rows, strict=True):
            active = highlight is None or bool(highlight(year, label))
            color = self.ACTIVE if active else self.INACTIVE
            line.set_color(color)
            dot.set_color(color)
            text.set_color(color)
            text.set_fontweight("bold" if active and highlight is not None else "normal")


def _events(events: Any) -> list[tuple[int, str]]:
    items = validate.items("events", events, "(year, label) pairs")
    checked = []
    for i, event in enumerate(items):
        if not isinstance(event, tuple | list) or len(event) != 2:
            raise TypeError(f"events[{i}] must be a (year, label) pair, got {validate.describe(event)}")
        year = validate.integer(f"events[{i}] year", event[0])
        checked.append((year, validate.text(f"events[{i}] label", event[1])))
    return checked


def _eras(eras: Any) -> list[tuple[float, float, str]]:
    items = validate.items("eras", eras, "(start, end, name) triples")
    checked = []
    for i, era in enumerate(items):
        if not isinstance(era, tuple | list) or len(era) != 3:
            raise TypeError(
                f"eras[{i}] must be a (start, end, name) triple, got {validate.describe(era)}"
            )
        start = validate.real(f"eras[{i}] start", era[0])
        end = validate.real(f"eras[{i}] end", era[1], low=start)
        checked.append((start, end, validate.text(f"eras[{i}] name", era[2], allow_empty=True)))
    return checked

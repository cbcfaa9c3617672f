"""An explorer for distance concentration: in high dimension all points are equally far (notebook 01)."""

from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import geometry, validate
from .redraw import connect

DIMENSIONS = (1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000)


def _summary(distances: np.ndarray) -> dict[str, float]:
    return {
        "mean": float(distances.mean()),
        "spread": float(distances.std() / distances.mean()),
        "contrast": geometry.relative_contrast(distances),
    }


def distance_summary(dim: int, num_points: int = 200, seed: int = 0) -> dict[str, float]:
    """Statistics of the pairwise distances of uniform points in ``[0, 1]^dim``.

    Returns the mean distance, the relative spread ``std / mean`` and the relative
    contrast ``(max - min) / min``; both ratios shrink as ``dim`` grows.
    """
    num_points = validate.count("num_points", num_points, minimum=2)
    return _summary(geometry.pairwise_distances(num_points, dim, seed=seed))


def render_distances(dim: int, num_points: int = 200, seed: int = 0):
    """Histogram of pairwise distances divided by their mean; returns the Figure."""
    num_points = validate.count("num_points", num_points, minimum=2)
    distances = geometry.pairwise_distances(num_points, dim, seed=seed)  # once per drawing
    summary = _summary(distances)
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.16, top=0.9)
    ax.hist(distances / distances.mean(), bins=list(np.linspace(0, 2.5, 61)), color="C0")
    ax.set(
        xlabel="distance / mean distance",
        ylabel="pairs",
        title=f"d = {dim}: mean distance {summary['mean']:.2f}, "
        f"(max - min) / min = {summary['contrast']:.2f}",
    )
    return fig


def dimension_explorer() -> w.Widget:
    """A dimension slider and a point-count slider over the distance histogram."""
    dim = w.SelectionSlider(options=DIMENSIONS, value=2, description="dimension d")
    points = w.IntSlider(value=200, min=20, max=400, step=20, description="points",
                         continuous_update=False)
    figure, _ = connect(render_distances, (dim, points))
    return w.VBox([w.HBox([dim, points]), figure])

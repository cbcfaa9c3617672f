"""Widgets of notebook 14: scrub through a generator's samples during training.

* :func:`snapshot_scrubber`: a slider (and a play button) over a sequence of 2-D sample
  snapshots, drawn over the ring's modes: a GAN's samples during training, with the
  discriminator's verdict as a background.

The update logic is :func:`render_snapshot`; callbacks only redraw stored arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import validate
from ..generative import ring
from .redraw import connect

__all__ = ["render_snapshot", "snapshot_scrubber"]

EXTENT = ring.RING_RADIUS + 1.0


def _snapshots(snapshots) -> np.ndarray:
    return validate.array("snapshots", snapshots, shape=(None, None, 2), layout="(k, n, 2)")


def _labels(labels, count: int) -> list[str]:
    items = validate.items("labels", labels, "one label per snapshot")
    if len(items) != count:
        raise ValueError(f"labels must hold one label per snapshot ({count}), got {len(items)}")
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise TypeError(f"labels[{i}] must be a string, got {validate.describe(item)}")
    return list(items)


def _backgrounds(backgrounds, count: int) -> np.ndarray | None:
    if backgrounds is None:
        return None
    backgrounds = validate.array("backgrounds", backgrounds, ndim=3, layout="(k, grid, grid)")
    if len(backgrounds) != count or backgrounds.shape[1] != backgrounds.shape[2]:
        raise ValueError(f"backgrounds must be ({count}, grid, grid), got {backgrounds.shape}")
    return backgrounds


def render_snapshot(
    snapshots: np.ndarray,
    labels: Sequence[str],
    index: int,
    backgrounds: np.ndarray | None = None,
    *,
    title: str = "",
):
    """Snapshot ``index``: its samples over the ring's modes, with an optional background.

    Args:
        snapshots: ``(k, n, 2)`` samples at k moments.
        labels: k labels, e.g. ``"step 500"``.
        index: which snapshot, in ``range(k)``.
        backgrounds: ``(k, grid, grid)`` values in [0, 1] over the square
            ``[-3, 3]^2`` (row 0 at the bottom), e.g. the discriminator's probability
            "real"; drawn as a colour map.
        title: put before the label in the title.

    Returns:
        ``(figure, text)``.
    """
    snapshots = _snapshots(snapshots)
    labels = _labels(labels, len(snapshots))
    index = validate.index("index", index, len(snapshots))
    backgrounds = _backgrounds(backgrounds, len(snapshots))
    title = validate.text("title", title, allow_empty=True)
    fig, ax = plt.subplots(figsize=(4.4, 4.0))
    if backgrounds is not None:
        image = ax.imshow(backgrounds[index], origin="lower", extent=(-EXTENT, EXTENT, -EXTENT, EXTENT),
                          cmap="RdBu", vmin=0.0, vmax=1.0, alpha=0.6)
        fig.colorbar(image, ax=ax, fraction=0.046, label="D(x): probability 'real'")
    ring.plot_ring(snapshots[index], ax=ax, color="black")
    ax.set_title(f"{title + ': ' if title else ''}{labels[index]}")
    plt.close(fig)
    points = snapshots[index]
    centres = ring.ring_centres()
    distance = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=-1)
    nearest = distance.argmin(axis=1)
    on_mode = distance.min(axis=1) <= 3 * ring.RING_SIGMA
    hits = np.bincount(nearest[on_mode], minlength=len(centres))
    return fig, (f"{labels[index]}: {int(on_mode.sum())} of {len(points)} samples within 3 sigma "
                 f"of a mode; samples per mode {hits.tolist()}")


def snapshot_scrubber(
    snapshots: np.ndarray,
    labels: Sequence[str],
    *,
    backgrounds: np.ndarray | None = None,
    title: str = "",
) -> w.Widget:
    """A slider and a play button over ``k`` snapshots of 2-D samples.

    Args:
        snapshots: ``(k, n, 2)``; labels: k labels; backgrounds: optional ``(k, grid,
        grid)`` maps in [0, 1] (see :func:`render_snapshot`); title: the figure's title.
    """
    snapshots = _snapshots(snapshots)
    labels = _labels(labels, len(snapshots))
    backgrounds = _backgrounds(backgrounds, len(snapshots))
    title = validate.text("title", title, allow_empty=True)
    last = len(snapshots) - 1
    slider = w.IntSlider(last, 0, last, description="snapshot", continuous_update=False)
    play = w.Play(value=last, min=0, max=last, interval=600, description="play")
    w.link((play, "value"), (slider, "value"))

    def render(index: int):
        return render_snapshot(snapshots, labels, index, backgrounds, title=title)

    figure, text = connect(render, [slider])
    return w.VBox([w.HBox([play, slider]), figure, text])

"""Widgets of notebooks 14-15: scrub through a generator's samples; explore noise schedules.

* :func:`snapshot_scrubber`: a slider (and a play button) over a sequence of 2-D sample
  snapshots, drawn over the ring's modes: a GAN's samples during training (notebook 14,
  with the discriminator's verdict as a background) or a diffusion model's reverse
  trajectory (notebook 15).
* :func:`schedule_explorer`: the linear and cosine noise schedules of denoising diffusion,
  :math:`\\bar\\alpha_t` against t, and one digit noised to step t under each.

The update logic is :func:`render_snapshot` and :func:`render_schedules`; callbacks only
redraw stored arrays or apply the closed-form forward process to one image.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import validate
from ..generative import diffusion, ring
from .redraw import connect

__all__ = ["render_schedules", "render_snapshot", "schedule_explorer", "snapshot_scrubber"]

EXTENT = ring.RING_RADIUS + 1.0


def _snapshots(snapshots) -> np.ndarray:
    return validate.array("snapshots", snapshots, shape=(None, None, 2), layout="(k, n, 2)")


def _labels(labels, count: int) -> list[str]:
    items = validate.items("labels", labels, "one label per snapshot")
    if len(items) != count:
        raise ValueError(f"labels must hold one label per snapshot ({count}), got {len(items)}")
    return [str(item) for item in items]


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
    fig, ax = plt.subplots(figsize=(4.4, 4.0))
    if backgrounds is not None:
        image = ax.imshow(backgrounds[index], origin="lower", extent=(-EXTENT, EXTENT, -EXTENT, EXTENT),
                          cmap="RdBu", vmin=0.0, vmax=1.0, alpha=0.6)
        fig.colorbar(image, ax=ax, fraction=0.046, label="D(x): probability 'real'")
    ring.plot_ring(snapshots[index], ax=ax, color="black")
    ax.set_title(f"{title + ': ' if title else ''}{labels[index]}")
    fig.tight_layout()
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
    w.jslink((play, "value"), (slider, "value"))

    def render(index: int):
        return render_snapshot(snapshots, labels, index, backgrounds, title=title)

    figure, text = connect(render, [slider])
    return w.VBox([w.HBox([play, slider]), figure, text])


def render_schedules(image: np.ndarray, t: int, num_steps: int = 1000, seed: int = 0):
    """The two schedules' :math:`\\bar\\alpha_t`, and ``image`` noised to step ``t`` by each.

    Both noised images use the same noise, so only the schedule differs.

    Args:
        image: ``(28, 28)`` or ``(28, 28, 1)`` pixels in [0, 1] (scaled to [-1, 1]).
        t: the step shown, in ``0..num_steps``.
        num_steps: T.
        seed: seeds the noise.

    Returns:
        ``(figure, text)``.
    """
    image = validate.array("image", image, ndim=(2, 3), layout="(28, 28) or (28, 28, 1)")
    image = image.reshape(image.shape[0], image.shape[1])
    num_steps = validate.count("num_steps", num_steps, minimum=2, maximum=diffusion.MAX_STEPS)
    t = validate.integer("t", t, minimum=0, maximum=num_steps)
    seed = validate.seed("seed", seed)
    noise = np.random.default_rng(seed).standard_normal((1, *image.shape))
    signed = 2.0 * image[np.newaxis] - 1.0
    fig = plt.figure(figsize=(9.0, 3.0))
    grid = fig.add_gridspec(1, 3, width_ratios=[2.2, 1, 1])
    curves = fig.add_subplot(grid[0])
    steps = np.arange(num_steps + 1)
    lines = []
    for column, kind in enumerate(diffusion.SCHEDULES, start=1):
        schedule = diffusion.noise_schedule(kind, num_steps)
        curves.plot(steps, schedule.alpha_bars, label=kind)
        noised = diffusion.forward_sample(signed, t, noise, schedule)[0]
        ax = fig.add_subplot(grid[column])
        ax.imshow(noised, cmap="gray", vmin=-1.5, vmax=1.5)
        ax.set_axis_off()
        ax.set_title(f"{kind}: ᾱ = {schedule.alpha_bars[t]:.3f}", fontsize=9)
        lines.append(f"{kind} ᾱ_t = {schedule.alpha_bars[t]:.3f}")
    curves.axvline(t, color="0.3", ls="--", lw=1)
    curves.set(xlabel="step t", ylabel="ᾱ_t (signal variance kept)", ylim=(-0.02, 1.02),
               title=f"T = {num_steps}")
    curves.legend()
    fig.tight_layout()
    plt.close(fig)
    return fig, f"t = {t}: " + ", ".join(lines)


def schedule_explorer(images: np.ndarray, num_steps: int = 1000) -> w.Widget:
    """Choose a step t (and a digit): the schedules' curves and the digit noised under each.

    Args:
        images: ``(m, 28, 28, 1)`` digits to choose from; num_steps: T.
    """
    images = validate.array("images", images, shape=(None, 28, 28, 1), layout="(m, 28, 28, 1)")
    num_steps = validate.count("num_steps", num_steps, minimum=2, maximum=diffusion.MAX_STEPS)
    step = w.IntSlider(num_steps // 4, 0, num_steps, description="step t", continuous_update=False)
    digit = w.IntSlider(0, 0, len(images) - 1, description="digit", continuous_update=False)

    def render(t: int, which: int):
        return render_schedules(images[which], t, num_steps)

    figure, text = connect(render, [step, digit])
    return w.VBox([w.HBox([step, digit]), figure, text])

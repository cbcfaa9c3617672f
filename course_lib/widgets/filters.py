"""The convolution filter explorer of notebook 06: pick or type a mask, see the photo filtered."""

from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import data, filters, validate
from .redraw import connect

CUSTOM = "custom 3x3 (edit below)"


def mask_for(preset: str, custom: np.ndarray) -> np.ndarray:
    """The preset's mask, or the ``custom`` 3x3 values when ``preset`` is :data:`CUSTOM`."""
    preset = validate.choice("preset", preset, (*filters.MASKS, CUSTOM))
    custom = validate.array("custom", custom, shape=(3, 3), layout="(3, 3)")
    return custom if preset == CUSTOM else filters.get(preset)


def render_filter(photo: np.ndarray, mask: np.ndarray, *, title: str = ""):
    """Original photo, mask and filtered photo side by side; returns the Figure."""
    photo = validate.array("photo", photo, ndim=(2, 3), layout="(h, w) or (h, w, 3)")
    mask = validate.array("mask", mask, ndim=2, layout="(k, l)")
    title = validate.text("title", title, allow_empty=True)
    filtered = filters.for_display(filters.apply(photo, mask))
    fig, (left, middle, right) = plt.subplots(
        1, 3, figsize=(10, 3.4), gridspec_kw={"width_ratios": [3, 1.3, 3]}
    )
    cmap = "gray" if photo.ndim == 2 else None
    left.imshow(photo, cmap=cmap, vmin=0, vmax=1)
    left.set_title("photo")
    limit = np.abs(mask).max() or 1.0
    middle.imshow(mask, cmap="coolwarm", vmin=-limit, vmax=limit)
    if mask.shape[0] <= 5:
        for (i, j), value in np.ndenumerate(mask):
            middle.text(j, i, f"{value:.2g}", ha="center", va="center", fontsize=7)
    middle.set_title(f"mask {mask.shape[0]}x{mask.shape[1]}")
    right.imshow(np.clip(filtered, 0, 1), cmap=cmap, vmin=0, vmax=1)
    right.set_title(title or "filtered")
    for ax in (left, middle, right):
        ax.set_axis_off()
    plt.close(fig)
    return fig


def filter_explorer(photo: np.ndarray | None = None) -> w.Widget:
    """Choose a preset mask (blur, emboss, LoG, Gaussian, edges...) or type a 3x3 one."""
    if photo is None:
        photo = data.load_photo("grace_hopper", gray=True, max_side=200)
    photo = validate.array("photo", photo, ndim=(2, 3), layout="(h, w) or (h, w, 3)")
    preset = w.Dropdown(options=[*filters.MASKS, CUSTOM], value="emboss", description="mask")
    cells = [
        w.FloatText(value=v, layout=w.Layout(width="60px"))
        for v in filters.get("vertical edges (sobel)").ravel()
    ]
    grid = w.GridBox(cells, layout=w.Layout(grid_template_columns="repeat(3, 64px)"))

    def render(name: str, *grid: float):
        return render_filter(photo, mask_for(name, np.reshape(grid, (3, 3))), title=name)

    out, _ = connect(render, (preset, *cells))
    return w.VBox([w.HBox([preset, w.Label("custom mask:"), grid]), out])

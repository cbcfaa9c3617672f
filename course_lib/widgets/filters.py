"""The convolution filter explorer of notebook 06: pick or type a mask, see the photo filtered."""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from .. import data, filters, validate
from .redraw import coalesce, figure_area, redraw

CUSTOM = "custom 3x3 (type in the boxes)"
BOX_WIDTH = "62px"


def mask_for(preset: str, custom: np.ndarray) -> np.ndarray:
    """The preset's mask, or the ``custom`` 3x3 values when ``preset`` is :data:`CUSTOM`."""
    preset = validate.choice("preset", preset, (*filters.MASKS, CUSTOM))
    custom = validate.array("custom", custom, shape=(3, 3), layout="(3, 3)")
    return custom if preset == CUSTOM else filters.get(preset)


def boxes_for(preset: str, custom: np.ndarray) -> np.ndarray:
    """What the 3x3 boxes show for ``preset``: its mask when it is 3x3, else ``custom``.

    Choosing a 3x3 preset copies its values into the boxes, so a student can start
    editing from it; larger masks (Gaussian, Laplacian of Gaussian) leave the boxes as
    they were.
    """
    mask = mask_for(preset, custom)
    return mask if mask.shape == (3, 3) else validate.array("custom", custom, shape=(3, 3))


def _mask_panel(ax, mask: np.ndarray) -> None:
    """The mask as coloured cells with its numbers, readable on every colour."""
    limit = float(np.abs(mask).max()) or 1.0
    # A diverging map stretched so that its ends stay light enough for black numbers.
    ax.imshow(mask, cmap="RdBu_r", vmin=-1.8 * limit, vmax=1.8 * limit)
    if mask.shape[0] <= 5:
        size = 13 if mask.shape[0] <= 3 else 9
        for (i, j), value in np.ndenumerate(mask):
            ax.text(j, i, f"{value:.2g}", ha="center", va="center", fontsize=size,
                    color="black", fontweight="bold")
    ax.set_title(f"mask {mask.shape[0]}x{mask.shape[1]}")


def render_filter(photo: np.ndarray, mask: np.ndarray, *, title: str = ""):
    """Original photo, mask and filtered photo side by side; returns the Figure."""
    from matplotlib.figure import Figure

    photo = validate.array("photo", photo, ndim=(2, 3), layout="(h, w) or (h, w, 3)")
    mask = validate.array("mask", mask, ndim=2, layout="(k, l)")
    title = validate.text("title", title, allow_empty=True)
    filtered = filters.for_display(filters.apply(photo, mask))
    fig = Figure(figsize=(10, 3.4))
    left, middle, right = fig.subplots(1, 3, gridspec_kw={"width_ratios": [3, 1.6, 3]})
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.9, wspace=0.06)
    cmap = "gray" if photo.ndim == 2 else None
    left.imshow(photo, cmap=cmap, vmin=0, vmax=1)
    left.set_title("photo")
    _mask_panel(middle, mask)
    right.imshow(np.clip(filtered, 0, 1), cmap=cmap, vmin=0, vmax=1)
    right.set_title(title or "filtered")
    for ax in (left, middle, right):
        ax.set_axis_off()
    return fig


def filter_explorer(photo: np.ndarray | None = None) -> w.Widget:
    """Choose a preset mask (blur, emboss, LoG, Gaussian, edges...) or type a 3x3 one.

    The boxes show the chosen 3x3 preset's values; typing in a box switches the menu to
    :data:`CUSTOM`, starting from the values shown.
    """
    if photo is None:
        photo = data.load_photo("grace_hopper", gray=True, max_side=200)
    photo = validate.array("photo", photo, ndim=(2, 3), layout="(h, w) or (h, w, 3)")
    preset = w.Dropdown(options=[*filters.MASKS, CUSTOM], value="emboss", description="mask",
                        layout=w.Layout(width="300px"))
    cells = [
        w.FloatText(value=float(v), layout=w.Layout(width=BOX_WIDTH))
        for v in filters.get("emboss").ravel()
    ]
    grid = w.GridBox(cells, layout=w.Layout(grid_template_columns=f"repeat(3, {BOX_WIDTH})"))
    syncing = False

    def values() -> np.ndarray:
        return np.reshape([cell.value for cell in cells], (3, 3))

    out = figure_area()

    def update() -> None:
        mask = mask_for(preset.value, values())
        redraw(out, render_filter(photo, mask, title=preset.value))

    redraw_soon = coalesce(update)

    def on_preset(change) -> None:
        nonlocal syncing
        syncing = True  # the boxes follow the preset; that is not an edit
        try:
            for cell, value in zip(cells, boxes_for(change["new"], values()).ravel(), strict=True):
                cell.value = float(value)
        finally:
            syncing = False
        redraw_soon()

    def on_box(change) -> None:
        if syncing:
            return
        if preset.value != CUSTOM:
            preset.value = CUSTOM  # an edit starts a custom mask from the values shown
        else:
            redraw_soon()

    preset.observe(on_preset, names="value")
    for cell in cells:
        cell.observe(on_box, names="value")
    update()
    custom = w.VBox([w.Label("3x3 mask (type to edit):"), grid])
    return w.VBox([w.HBox([preset, custom], layout=w.Layout(align_items="flex-start")), out])

"""The feature-map browser of notebook 07: pick a layer and a channel of a trained CNN."""

from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from .. import validate
from .redraw import coalesce, figure_area, redraw


def channel_mosaic(
    stack: np.ndarray, columns: int = 8, gap: int = 1, *, normalize: bool = True
) -> np.ndarray:
    """Tile the channels of ``stack: (h, w, channels)`` into one 2-D image.

    Channels fill rows of ``columns`` tiles, separated by ``gap`` pixels of NaN (drawn
    as background), so one ``imshow`` shows them all. With ``normalize`` each tile is
    scaled to [0, 1] on its own, as separate panels would be, so a weak channel is not
    drowned by a strong one.

    Returns:
        ``(rows * (h + gap) - gap, columns * (w + gap) - gap)`` float array.
    """
    stack = validate.array("stack", stack, ndim=3, layout="(height, width, channels)")
    columns = validate.count("columns", columns)
    gap = validate.count("gap", gap, minimum=0)
    normalize = validate.flag("normalize", normalize)
    height, width, count = stack.shape
    columns = max(1, min(columns, count))
    rows = int(np.ceil(count / columns))
    mosaic = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), np.nan)
    for k in range(count):
        tile = stack[..., k].astype(float)
        if normalize:
            low, high = tile.min(), tile.max()
            tile = (tile - low) / (high - low) if high > low else np.zeros_like(tile)
        top, left = (k // columns) * (height + gap), (k % columns) * (width + gap)
        mosaic[top : top + height, left : left + width] = tile
    return mosaic


def render_feature_map(image: np.ndarray, maps: dict[str, np.ndarray], layer: str, channel: int):
    """The input, one channel of one layer large, and all channels of that layer as a mosaic.

    Args:
        image: ``(h, w, 1)`` or ``(h, w)`` input.
        maps: ``{layer: (h', w', channels)}``, e.g. from ``interpret.feature_maps``.

    Returns:
        The Figure.
    """
    image = validate.array("image", image, ndim=(2, 3), layout="(h, w) or (h, w, c)")
    maps = validate.mapping("maps", maps, min_len=1)
    if not isinstance(layer, str):
        raise TypeError(f"layer must be a layer name, got {validate.describe(layer)}")
    if layer not in maps:
        raise ValueError(f"unknown layer {layer!r}; choose one of {list(maps)}")
    stack = validate.array(f"maps[{layer!r}]", maps[layer], ndim=3, layout="(h, w, channels)")
    try:
        channel = validate.index("channel", channel, stack.shape[-1])
    except ValueError:
        raise ValueError(f"layer {layer} has channels 0..{stack.shape[-1] - 1}, got {channel}") from None
    columns, gap = min(stack.shape[-1], 8), 1
    fig, (first, big, grid) = plt.subplots(
        1, 3, figsize=(10, 3.2), gridspec_kw={"width_ratios": [1, 1, 2.2]}
    )
    first.imshow(np.squeeze(image), cmap="gray")
    first.set_title("input")
    big.imshow(stack[..., channel], cmap="viridis")
    big.set_title(f"{layer}[{channel}] {stack.shape[0]}x{stack.shape[1]}")
    grid.imshow(channel_mosaic(stack, columns, gap), cmap="viridis")
    height, width = stack.shape[:2]
    top, left = (channel // columns) * (height + gap), (channel % columns) * (width + gap)
    grid.add_patch(Rectangle((left - 0.5, top - 0.5), width, height, fill=False,
                             edgecolor="crimson", linewidth=2))
    grid.set_title(f"all {stack.shape[-1]} channels of {layer}")
    for ax in (first, big, grid):
        ax.set_axis_off()
    plt.close(fig)
    return fig


def feature_map_browser(model, images: np.ndarray) -> w.Widget:
    """Browse the feature maps of ``model`` for a few ``images: (n, h, w, c)``.

    All maps are computed once when the widget is built; moving the controls only redraws.
    """
    from .. import interpret

    model = validate.model("model", model)
    expected = tuple(model.input_shape[1:])
    images = validate.array("images", images, ndim=len(expected) + 1, dtype=np.float32,
                            layout=f"(n, {', '.join(map(str, expected))})")
    if images.shape[1:] != expected:
        raise ValueError(f"images must be (n, {', '.join(map(str, expected))}), got {images.shape}")
    all_maps = [interpret.feature_maps(model, image) for image in images]
    layers = list(all_maps[0])
    picture = w.IntSlider(0, 0, len(images) - 1, description="image", continuous_update=False)
    layer = w.Dropdown(options=layers, value=layers[0], description="layer")
    channel = w.IntSlider(0, 0, all_maps[0][layers[0]].shape[-1] - 1, description="channel",
                          continuous_update=False)
    out = figure_area()

    def on_layer(change=None) -> None:
        channel.max = all_maps[picture.value][layer.value].shape[-1] - 1

    def update() -> None:
        fig = render_feature_map(images[picture.value], all_maps[picture.value], layer.value,
                                 min(channel.value, channel.max))
        redraw(out, fig)

    layer.observe(on_layer, names="value")
    observer = coalesce(update)
    for control in (picture, layer, channel):
        control.observe(observer, names="value")
    update()
    return w.VBox([w.HBox([picture, layer, channel]), out])

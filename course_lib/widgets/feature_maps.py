"""The feature-map browser of notebook 07: pick a layer and a channel of a trained CNN."""

from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .redraw import redraw


def render_feature_map(image: np.ndarray, maps: dict[str, np.ndarray], layer: str, channel: int):
    """The input, one channel of one layer large, and all channels of that layer small.

    Args:
        image: ``(h, w, 1)`` or ``(h, w)`` input.
        maps: ``{layer: (h', w', channels)}``, e.g. from ``interpret.feature_maps``.

    Returns:
        The Figure.
    """
    if layer not in maps:
        raise ValueError(f"unknown layer {layer!r}; choose one of {list(maps)}")
    stack = maps[layer]
    if not 0 <= channel < stack.shape[-1]:
        raise ValueError(f"layer {layer} has channels 0..{stack.shape[-1] - 1}, got {channel}")
    count = stack.shape[-1]
    columns = min(count, 8)
    rows = int(np.ceil(count / columns))
    fig = plt.figure(figsize=(10, 3.2))
    grid = fig.add_gridspec(rows, 2 + columns, width_ratios=[2, 2] + [1] * columns)
    first = fig.add_subplot(grid[:, 0])
    first.imshow(np.squeeze(image), cmap="gray")
    first.set_title("input")
    big = fig.add_subplot(grid[:, 1])
    big.imshow(stack[..., channel], cmap="viridis")
    big.set_title(f"{layer}[{channel}] {stack.shape[0]}x{stack.shape[1]}")
    for k in range(count):
        ax = fig.add_subplot(grid[k // columns, 2 + k % columns])
        ax.imshow(stack[..., k], cmap="viridis")
        if k == channel:
            for spine in ax.spines.values():
                spine.set(visible=True, color="crimson", linewidth=2)
        ax.set_xticks([])
        ax.set_yticks([])
    first.set_axis_off()
    big.set_axis_off()
    plt.close(fig)
    return fig


def feature_map_browser(model, images: np.ndarray) -> w.Widget:
    """Browse the feature maps of ``model`` for a few ``images: (n, h, w, c)``.

    All maps are computed once when the widget is built; moving the controls only redraws.
    """
    from .. import interpret

    all_maps = [interpret.feature_maps(model, image) for image in images]
    layers = list(all_maps[0])
    picture = w.IntSlider(0, 0, len(images) - 1, description="image", continuous_update=False)
    layer = w.Dropdown(options=layers, value=layers[0], description="layer")
    channel = w.IntSlider(0, 0, all_maps[0][layers[0]].shape[-1] - 1, description="channel",
                          continuous_update=False)
    out = w.Output()

    def update(change=None) -> None:
        channel.max = all_maps[picture.value][layer.value].shape[-1] - 1
        fig = render_feature_map(images[picture.value], all_maps[picture.value], layer.value,
                                 min(channel.value, channel.max))
        redraw(out, fig)

    for control in (picture, layer, channel):
        control.observe(update, names="value")
    update()
    return w.VBox([w.HBox([picture, layer, channel]), out])

"""Latent-space widgets of notebooks 12-13: move through a code, see the decoded digit.

* :func:`latent_explorer` (notebook 12): two sliders choose a point of a 2-D code space,
  drawn over the codes of real digits coloured by class; the decoder's image of that
  point appears beside it.
* :func:`interpolation_explorer` (notebook 13): choose two digits and a position
  ``t`` on the straight line between their codes; every model (an autoencoder and a
  VAE, say) decodes the same path.

A decoder is anything callable on ``(n, latent_dim)`` codes that returns ``n`` images
(``(n, 28, 28, 1)``, ``(n, 28, 28)`` or ``(n, 784)``), e.g. a Keras model. Callbacks only
decode a handful of codes and redraw.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import validate
from .redraw import connect

Decoder = Callable[[np.ndarray], object]


def decode(decoder: Decoder, codes: np.ndarray) -> np.ndarray:
    """``decoder(codes)`` as ``(n, 28, 28)`` float images.

    Args:
        decoder: a callable (Keras model or function) on ``(n, latent_dim)`` float32 codes.
        codes: ``(n, latent_dim)``.
    """
    decoder = validate.callable_("decoder", decoder)
    codes = validate.array("codes", codes, ndim=2, layout="(n, latent_dim)", dtype=np.float32)
    decoded = decoder(codes)
    try:
        images = np.asarray(decoded, dtype=float)
    except (TypeError, ValueError):
        images = None
    if images is None or images.size != len(codes) * 28 * 28:
        raise ValueError(f"decoder must return {len(codes)} images of 28x28 pixels for {len(codes)} "
                         f"codes, got {validate.describe(decoded)}")
    return images.reshape(len(codes), 28, 28)


def _models(decoders, codes, images) -> tuple[dict, dict, np.ndarray]:
    """``decoders`` and ``codes`` checked to name the same models, with one code per image."""
    images = validate.array("images", images, shape=(None, 28, 28, 1), layout="(n, 28, 28, 1)", dtype=None)
    decoders = validate.mapping("decoders", decoders, min_len=1)
    codes = validate.mapping("codes", codes, min_len=1)
    if set(decoders) != set(codes):
        raise ValueError("decoders and codes must name the same, non-empty set of models, got "
                         f"{sorted(map(str, decoders))} and {sorted(map(str, codes))}")
    for name, decoder in decoders.items():
        validate.callable_(f"decoders[{name!r}]", decoder)
    codes = {name: validate.array(f"codes[{name!r}]", model_codes, shape=(len(images), None),
                                  layout=f"({len(images)}, latent_dim): one code per image")
             for name, model_codes in codes.items()}
    return decoders, codes, images


def interpolate(code_a: np.ndarray, code_b: np.ndarray, t: np.ndarray | float) -> np.ndarray:
    """Points ``(1 - t) * code_a + t * code_b`` on the segment between two codes.

    Args:
        code_a, code_b: ``(latent_dim,)``.
        t: a number or ``(steps,)`` positions; 0 gives ``code_a``, 1 gives ``code_b``.

    Returns:
        ``(steps, latent_dim)`` (``steps = 1`` for a number).
    """
    code_a = validate.array("code_a", code_a, ndim=1)
    code_b = validate.array("code_b", code_b, shape=code_a.shape)
    t = np.atleast_1d(validate.array("t", t, ndim=(0, 1)))[:, np.newaxis]
    return (1.0 - t) * code_a + t * code_b


class LatentFigure:
    """The two panels of :func:`render_latent`, drawn once and updated in place.

    The cloud of codes and its class labels stay; an update moves the cross and swaps
    the decoded image, so a slider move costs only decoding one code and the rendering.
    """

    def __init__(self, codes: np.ndarray, labels: np.ndarray) -> None:
        self.codes = validate.array("codes", codes, shape=(None, 2), layout="(n, 2)")
        self.labels = validate.array("labels", labels, shape=(len(self.codes),), kind="int")
        codes, labels = self.codes, self.labels
        self.fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.4),
                                               gridspec_kw={"width_ratios": [1.5, 1]})
        self.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.14, top=0.9, wspace=0.1)
        left.scatter(codes[:, 0], codes[:, 1], c=labels, cmap="tab10", s=4, alpha=0.6,
                     vmin=-0.5, vmax=9.5)
        for digit in np.unique(labels):  # one label per class, at its median code
            centre = np.median(codes[labels == digit], axis=0)
            left.text(*centre, str(digit), fontsize=11, weight="bold", ha="center", va="center")
        (self.cross,) = left.plot([np.nan], [np.nan], marker="x", color="black", markersize=12,
                                  mew=3)
        left.set(xlabel="$z_1$", ylabel="$z_2$", title="codes of test digits")
        self.image = right.imshow(np.zeros((28, 28)), cmap="gray", vmin=0, vmax=1)
        right.set_axis_off()
        self.right = right
        plt.close(self.fig)

    def update(self, decoder: Decoder, z1: float, z2: float) -> str:
        """Mark the code ``(z1, z2)`` and show ``decoder``'s image of it; returns the caption."""
        z1, z2 = validate.real("z1", z1), validate.real("z2", z2)
        image = decode(decoder, np.array([[z1, z2]]))[0]
        self.cross.set_data([z1], [z2])
        self.image.set_data(image)
        self.right.set_title(f"decoded ({z1:+.1f}, {z2:+.1f})")
        return f"code ({z1:+.2f}, {z2:+.2f})"


def render_latent(decoder: Decoder, codes: np.ndarray, labels: np.ndarray, z1: float, z2: float,
                  *, figure: LatentFigure | None = None):
    """Codes of real digits coloured by class, the chosen point, and its decoded image.

    Args:
        codes: ``(n, 2)`` codes of real digits; labels: ``(n,)`` their digits.
        z1, z2: the chosen point.
        figure: a :class:`LatentFigure` of these codes to update instead of drawing anew
            (the explorer keeps one).

    Returns:
        ``(figure, text)``.
    """
    if figure is None:
        figure = LatentFigure(codes, labels)
    else:
        figure = validate.instance("figure", figure, LatentFigure, "a LatentFigure")
        if figure.codes.shape != np.shape(codes) or not np.array_equal(figure.codes, codes):
            raise ValueError("figure was drawn for other codes; build a LatentFigure of these")
    text = figure.update(decoder, z1, z2)
    return figure.fig, text


def latent_explorer(decoder: Decoder, codes: np.ndarray, labels: np.ndarray) -> w.Widget:
    """Two sliders over a 2-D code space; the decoder's image of the chosen point.

    Args:
        decoder: ``(n, 2) -> n`` images.
        codes: ``(n, 2)`` codes of real digits, which set the sliders' ranges.
        labels: ``(n,)`` their digits, for the colours.
    """
    decoder = validate.callable_("decoder", decoder)
    codes = validate.array("codes", codes, shape=(None, 2), layout="(n, 2)")
    labels = validate.array("labels", labels, shape=(len(codes),), kind="int")
    low, high = np.percentile(codes, 0.5, axis=0), np.percentile(codes, 99.5, axis=0)
    margin = 0.15 * (high - low)
    sliders = [
        w.FloatSlider(value=float(np.median(codes[:, axis])), min=float(low[axis] - margin[axis]),
                      max=float(high[axis] + margin[axis]), step=float((high[axis] - low[axis]) / 100),
                      description=f"z{axis + 1}", continuous_update=False, readout_format=".2f")
        for axis in (0, 1)
    ]

    drawing = LatentFigure(codes, labels)  # one figure for the explorer's life

    def render(z1: float, z2: float):
        return render_latent(decoder, codes, labels, z1, z2, figure=drawing)

    figure, text = connect(render, sliders)
    return w.VBox([w.HBox(sliders), figure, text])


def _strip(images: np.ndarray, gap: int = 2) -> np.ndarray:
    """``(n, 28, 28)`` images side by side with ``gap`` columns of NaN (drawn blank)."""
    padded = np.pad(images, ((0, 0), (0, 0), (0, gap)), constant_values=np.nan)
    return np.concatenate(list(padded), axis=1)[:, :-gap]


def render_interpolation(
    decoders: Mapping[str, Decoder],
    codes: Mapping[str, np.ndarray],
    images: np.ndarray,
    first: int,
    second: int,
    t: float,
    steps: int = 9,
):
    """For each model, the decoded path from image ``first`` to image ``second``.

    Each row shows the two digits, then ``steps`` decoded points of the straight path
    between their codes (t = 0 to 1), then the point at ``t`` large.

    Args:
        decoders: ``{model name: decoder}``.
        codes: ``{model name: (n_images, latent_dim)}`` codes of ``images``.
        images: ``(n_images, 28, 28, 1)`` the digits to choose from.
        first, second: indices into ``images``; t: the position shown large, in [0, 1].
        steps: how many points of the path are drawn small.

    Returns:
        ``(figure, text)``.
    """
    decoders, codes, images = _models(decoders, codes, images)
    first = validate.index("first", first, len(images))
    second = validate.index("second", second, len(images))
    t = validate.real("t", t, low=0.0, high=1.0)
    steps = validate.count("steps", steps, maximum=50)
    names = list(decoders)
    positions = np.linspace(0.0, 1.0, steps)
    ends = np.squeeze(images[[first, second]], axis=-1)
    fig, axes = plt.subplots(len(names), 2, figsize=(11, 1.35 * len(names)), squeeze=False,
                             gridspec_kw={"width_ratios": [steps + 2.2, 1]})
    fig.subplots_adjust(left=0.06, right=0.99, bottom=0.02, top=0.85, wspace=0.03, hspace=0.35)
    for (path_ax, big_ax), name in zip(axes, names, strict=True):
        path = interpolate(codes[name][first], codes[name][second], np.append(positions, t))
        decoded = decode(decoders[name], path)
        strip = _strip(np.concatenate([ends[:1], ends[1:], decoded[:-1]]))
        path_ax.imshow(strip, cmap="gray", vmin=0, vmax=1)
        path_ax.set_axis_off()
        path_ax.set_title(f"{name}: the two digits, then t = 0 ... 1", fontsize=9, loc="left")
        big_ax.imshow(decoded[-1], cmap="magma", vmin=0, vmax=1)
        big_ax.set_axis_off()
        big_ax.set_title(f"t = {t:.2f}", fontsize=9)
    plt.close(fig)
    return fig, f"digit {first} -> digit {second}, t = {t:.2f}"


def interpolation_explorer(
    decoders: Mapping[str, Decoder], codes: Mapping[str, np.ndarray], images: np.ndarray
) -> w.Widget:
    """Pick two digits and a position t; every model decodes the straight path between them.

    Args:
        decoders: ``{model name: decoder}``, e.g. ``{"AE": ae_decoder, "VAE": vae_decoder}``.
        codes: ``{model name: (n_images, latent_dim)}`` the codes each model gives ``images``.
        images: ``(n_images, 28, 28, 1)``.
    """
    decoders, codes, images = _models(decoders, codes, images)
    last = len(images) - 1
    first = w.IntSlider(0, 0, last, description="from digit", continuous_update=False)
    second = w.IntSlider(min(1, last), 0, last, description="to digit", continuous_update=False)
    position = w.FloatSlider(0.5, min=0.0, max=1.0, step=0.05, description="t",
                             continuous_update=False, readout_format=".2f")

    def render(a: int, b: int, t: float):
        return render_interpolation(decoders, codes, images, a, b, t)

    figure, text = connect(render, (first, second, position))
    return w.VBox([w.HBox([first, second, position]), figure, text])

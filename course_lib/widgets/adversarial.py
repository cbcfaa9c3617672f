"""The FGSM epsilon slider of notebook 08: how much noise does it take to fool the CNN?"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import validate
from .redraw import connect


def render_fgsm(model, image: np.ndarray, sign: np.ndarray, epsilon: float,
                class_names: Sequence[str]):
    """Original, perturbation and adversarial image with the model's prediction.

    Args:
        image: ``(h, w, c)`` in [0, 1]; sign: ``(h, w, c)``, the loss gradient's sign.

    Returns:
        ``(figure, text)`` where text reads "prediction: 3 (97.5 %)".
    """
    from .. import adversarial

    model = validate.model("model", model)
    image = _image("image", image, model)
    sign = validate.array("sign", sign, shape=image.shape, layout=f"shaped like image {image.shape}",
                          dtype=np.float32)
    epsilon = validate.positive("epsilon", epsilon, allow_zero=True)
    class_names = _class_names(class_names, model)
    adv = adversarial.fgsm(image[None], sign[None], epsilon)
    probabilities = np.asarray(model(adv, training=False))[0]
    predicted = int(probabilities.argmax())
    text = f"prediction: {class_names[predicted]} ({100 * probabilities[predicted]:.1f} %)"
    fig, axes = plt.subplots(1, 4, figsize=(10, 2.6), gridspec_kw={"width_ratios": [1, 1, 1, 1.4]})
    panels = [(image, "original"), (epsilon * sign, f"+ {epsilon:.2f} x sign(grad)"),
              (adv[0], "adversarial")]
    for ax, (picture, title) in zip(axes, panels, strict=False):
        ax.imshow(np.squeeze(picture), cmap="gray", vmin=-0.3 if "sign" in title else 0, vmax=1)
        ax.set_title(title, fontsize=9)
        ax.set_axis_off()
    axes[3].bar([str(name) for name in class_names], probabilities, color="steelblue")
    axes[3].bar(str(class_names[predicted]), probabilities[predicted], color="crimson")
    axes[3].set(ylim=(0, 1), title=text)
    plt.close(fig)
    return fig, text


def fgsm_explorer(model, images: np.ndarray, labels: np.ndarray,
                  class_names: Sequence[str]) -> w.Widget:
    """An epsilon slider (and an image chooser) over FGSM attacks on ``model``.

    Gradient signs are computed once; moving the slider only adds, predicts and redraws.
    """
    from .. import adversarial

    model = validate.model("model", model)
    class_names = _class_names(class_names, model)
    expected = tuple(model.input_shape[1:])
    images = validate.array("images", images, ndim=len(expected) + 1, dtype=np.float32,
                            layout=f"(n, {', '.join(map(str, expected))})")
    if images.shape[1:] != expected:
        raise ValueError(f"images must be (n, {', '.join(map(str, expected))}), got {images.shape}")
    labels = validate.array("labels", labels, kind="int", shape=(len(images),),
                            layout=f"(n,) = ({len(images)},)")
    if labels.min() < 0 or labels.max() >= len(class_names):
        raise ValueError(f"labels must be class indices 0 .. {len(class_names) - 1}")
    signs = adversarial.gradient_sign(model, images, labels)
    picture = w.IntSlider(0, 0, len(images) - 1, description="image", continuous_update=False)
    epsilon = w.FloatSlider(0.0, min=0.0, max=0.3, step=0.01, description="epsilon",
                            continuous_update=False, readout_format=".2f")

    def render(index: int, eps: float):
        return render_fgsm(model, images[index], signs[index], eps, class_names)[0]

    out, _ = connect(render, (picture, epsilon))
    return w.VBox([w.HBox([picture, epsilon]), out])


def _image(name: str, image, model) -> np.ndarray:
    expected = tuple(model.input_shape[1:])
    image = validate.array(name, image, ndim=len(expected), dtype=np.float32,
                           layout=f"({', '.join(map(str, expected))})")
    if any(want is not None and have != want for have, want in zip(image.shape, expected, strict=True)):
        raise ValueError(f"{name} must have shape {expected} for this model, got {image.shape}")
    return image


def _class_names(class_names, model) -> list:
    """One display name per class the model predicts."""
    if class_names is None or isinstance(class_names, str | bytes | dict) or not hasattr(
        class_names, "__len__"
    ):
        raise TypeError(f"class_names must be a list of names, got {validate.describe(class_names)}")
    names = list(class_names)
    num_classes = int(model.output_shape[-1])
    if len(names) != num_classes:
        raise ValueError(f"class_names must hold {num_classes} names (one per class), got {len(names)}")
    return names

"""Widgets of notebook 15: how fast a noise schedule destroys a digit.

* :func:`noise_schedule_explorer`: choose the schedule (linear or cosine), the number of
  steps T and a step t; see the curves of :math:`\\bar\\alpha_t` for both schedules and
  the digit after t steps of the forward process, :math:`x_t = \\sqrt{\\bar\\alpha_t}\\,x_0
  + \\sqrt{1 - \\bar\\alpha_t}\\,\\epsilon` (one fixed draw of the noise).

The update logic is :func:`render_noise_schedule`; callbacks only compute a closed form.
"""

from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import validate
from ..generative import diffusion
from .redraw import connect

__all__ = ["noise_schedule_explorer", "render_noise_schedule"]

STEP_CHOICES = (50, 100, 1000)


def _image(image) -> np.ndarray:
    image = validate.array("image", image, ndim=(2, 3), layout="(28, 28) or (28, 28, 1)")
    image = image.reshape(image.shape[:2]) if image.ndim == 3 else image
    if image.min() < 0.0 or image.max() > 1.0:
        raise ValueError("image must hold pixels in [0, 1]")
    return image


def render_noise_schedule(image: np.ndarray, kind: str, num_steps: int, step: int, *, seed: int = 0):
    """The schedules' :math:`\\bar\\alpha_t` against t/T and ``image`` noised to step ``step``.

    Args:
        image: ``(h, w)`` or ``(h, w, 1)`` pixels in [0, 1] (scaled to [-1, 1] for noising).
        kind: the schedule used for the picture, ``"linear"`` or ``"cosine"``.
        num_steps: T; step: t in ``0..T``; seed: the seed of the noise.

    Returns:
        ``(figure, text)``.
    """
    image = _image(image)
    kind = validate.choice("kind", kind, diffusion.SCHEDULES)
    num_steps = validate.count("num_steps", num_steps, minimum=2, maximum=diffusion.MAX_STEPS)
    step = validate.integer("step", step, minimum=0, maximum=num_steps)
    seed = validate.seed("seed", seed)
    schedules = {name: diffusion.noise_schedule(name, num_steps) for name in diffusion.SCHEDULES}
    noise = np.random.default_rng(seed).standard_normal((1, *image.shape))
    noised = diffusion.forward_sample(2 * image[None] - 1, step, noise, schedules[kind])[0]
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.0, 3.2), width_ratios=(1.6, 1))
    fraction = np.arange(num_steps + 1) / num_steps
    for name, schedule in schedules.items():
        left.plot(fraction, schedule.alpha_bars, label=name, lw=2.5 if name == kind else 1.2)
    left.axvline(step / num_steps, color="black", ls=":")
    left.set(xlabel="t / T", ylabel=r"$\bar\alpha_t$", ylim=(-0.02, 1.02),
             title=rf"signal kept: $\bar\alpha_t$ (T = {num_steps})")
    left.legend()
    right.imshow(np.clip((noised + 1) / 2, 0, 1), cmap="gray_r", vmin=0, vmax=1)
    right.set(title=f"{kind}, t = {step}", xticks=[], yticks=[])
    fig.tight_layout()
    plt.close(fig)
    alpha_bar = schedules[kind].alpha_bars[step]
    return fig, (f"{kind} schedule, t = {step} of {num_steps}: alpha_bar = {alpha_bar:.4f}, signal "
                 f"scale {np.sqrt(alpha_bar):.3f}, noise scale {np.sqrt(1 - alpha_bar):.3f}")


def noise_schedule_explorer(image: np.ndarray, *, num_steps: int = 100) -> w.Widget:
    """Controls for the schedule, T and t over :func:`render_noise_schedule`.

    Args:
        image: ``(28, 28)`` or ``(28, 28, 1)`` pixels in [0, 1], the digit to noise.
        num_steps: the initial T, one of 50, 100, 1000.
    """
    image = _image(image)
    num_steps = validate.integer("num_steps", num_steps)
    if num_steps not in STEP_CHOICES:
        raise ValueError(f"num_steps must be one of {STEP_CHOICES}, got {num_steps}")
    kind = w.ToggleButtons(options=list(diffusion.SCHEDULES), value="linear", description="schedule")
    total = w.Dropdown(options=list(STEP_CHOICES), value=num_steps, description="T")
    fraction = w.FloatSlider(0.5, min=0.0, max=1.0, step=0.01, description="t / T",
                             continuous_update=False)

    def render(kind_value: str, total_value: int, fraction_value: float):
        return render_noise_schedule(image, kind_value, total_value,
                                     int(round(fraction_value * total_value)))

    figure, text = connect(render, [kind, total, fraction])
    return w.VBox([w.HBox([kind, total]), fraction, figure, text])

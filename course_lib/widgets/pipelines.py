"""Notebook 16's widget: what prefetching and a parallel ``map`` do to a training loop.

:func:`render_pipeline` draws the ideal timeline of :func:`course_lib.pipelines.simulate_pipeline`
for the chosen settings next to the plain, serial loop; :func:`pipeline_explorer` wires
sliders to it. The notebook starts it from the per-batch costs it measured once, so the
student explores what-ifs around this machine's figures. Nothing is trained or timed in a
callback.
"""

from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt

from .. import pipelines, validate
from .redraw import connect

STEPS = 10


def render_pipeline(input_ms: float, compute_ms: float, workers: int = 1, prefetch: int = 0):
    """The serial loop and the chosen pipeline, ``STEPS`` steps each.

    Returns:
        ``(figure, text)``; the text gives both throughputs and the speed-up.
    """
    serial = pipelines.simulate_pipeline(input_ms, compute_ms, steps=STEPS)
    chosen = pipelines.simulate_pipeline(input_ms, compute_ms, workers=workers, prefetch=prefetch,
                                         steps=STEPS)
    fig, ax = plt.subplots(figsize=(9, 2.9))
    label = f"{workers} worker{'s' * (workers > 1)}, prefetch {prefetch}"
    pipelines.plot_timeline({"serial": serial, label: chosen}, ax=ax, max_seconds=serial.total * 1.02)
    ax.set_title(f"input {input_ms:g} ms and compute {compute_ms:g} ms per batch; "
                 "serial = 1 worker, no prefetch")
    fig.subplots_adjust(left=0.22, right=0.98, bottom=0.32, top=0.88)
    plt.close(fig)
    bound = max(compute_ms, input_ms / workers) if prefetch else compute_ms + input_ms / workers
    text = (f"serial: {serial.steps_per_second():.1f} steps/s; {label}: "
            f"{chosen.steps_per_second():.1f} steps/s ({serial.total / chosen.total:.2f}x); "
            f"in the long run one step every {bound:.1f} ms")
    return fig, text


def pipeline_explorer(input_ms: float = 10.0, compute_ms: float = 10.0) -> w.Widget:
    """Sliders for the input and compute cost of a batch, the parallel workers and the
    prefetch buffer, over the timeline they give.

    Args:
        input_ms: starting cost of preparing one batch with one worker (e.g. measured).
        compute_ms: starting cost of one training step (e.g. measured).
    """
    input_ms = validate.real("input_ms", input_ms, low=0.0, high=200.0)
    compute_ms = validate.real("compute_ms", compute_ms, low=0.5, high=200.0)
    input_slider = w.FloatSlider(value=round(input_ms, 1), min=0.0, max=max(50.0, input_ms), step=0.5,
                                 description="input ms", continuous_update=False)
    compute_slider = w.FloatSlider(value=round(compute_ms, 1), min=0.5, max=max(50.0, compute_ms),
                                   step=0.5, description="compute ms", continuous_update=False)
    workers = w.IntSlider(value=1, min=1, max=8, description="workers", continuous_update=False)
    prefetch = w.IntSlider(value=0, min=0, max=4, description="prefetch", continuous_update=False)
    figure_out, text_out = connect(render_pipeline, (input_slider, compute_slider, workers, prefetch))
    return w.VBox([w.HBox([input_slider, compute_slider]), w.HBox([workers, prefetch]), text_out,
                   figure_out])

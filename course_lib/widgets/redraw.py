"""Plumbing shared by the widgets: show figures as images, redraw when a control moves.

A widget's figure is shown in an ``ipywidgets.Image`` (:func:`figure_area`): each redraw
renders the matplotlib figure to PNG in the kernel and sends those bytes, and the
browser swaps one picture for the next. That is the quickest way to move a picture
from a kernel to a page with the core widgets alone: no output-area messages, no
re-rendering of a notebook output, and the last picture is kept in the widget's state,
so a page exported to HTML shows it without a kernel.

Fast input is coalesced: in a running kernel a change schedules one redraw a moment
later (:data:`SETTLE_S`), and changes that arrive before it runs share it, so ten key
presses on a slider give a few redraws, the last of them with the final value. Outside
an event loop (tests, scripts) a change redraws at once.
"""

from __future__ import annotations

import asyncio
import io
import traceback
from collections.abc import Callable, Sequence

import ipywidgets as w
from IPython.display import display

SETTLE_S = 0.015
"""Seconds a redraw waits for more changes of the same widget before it runs."""

PNG_OPTIONS = {"compress_level": 1}
"""Pillow's PNG settings: light compression, because encoding time counts and the bytes
only travel from the kernel to a browser on the same machine."""


def figure_area() -> w.Image:
    """An empty picture that :func:`redraw` fills with a figure."""
    return w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))


def figure_png(fig) -> bytes:
    """The PNG bytes of ``fig`` (a matplotlib Figure), at the figure's own size and dpi.

    The figure is closed in pyplot, so a notebook does not show it a second time under
    the cell.
    """
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    plt.close(fig)
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    canvas.print_png(buffer, pil_kwargs=PNG_OPTIONS)
    return buffer.getvalue()


def redraw(area: w.Image | w.Output, fig) -> None:
    """Replace what ``area`` shows with ``fig`` (a matplotlib Figure).

    ``area`` is a :func:`figure_area`; an ``Output`` also works (the figure is displayed
    in it, as a notebook would display it).
    """
    if isinstance(area, w.Image):
        area.value = figure_png(fig)
        return
    import matplotlib.pyplot as plt

    plt.close(fig)
    with area:
        area.clear_output(wait=True)
        display(fig)


def say(output: w.Output, text: str) -> None:
    """Replace what ``output`` shows with one line of text."""
    with output:
        output.clear_output(wait=True)
        print(text)


def coalesce(action: Callable[[], None], report: w.Output | None = None) -> Callable[..., None]:
    """An observer that runs ``action()`` once for a burst of changes.

    Inside a running event loop (a Jupyter kernel) the first change schedules ``action``
    :data:`SETTLE_S` later; later changes find it pending and add nothing, and the run
    reads the controls' values as they are by then, so the last value is always drawn.
    Without an event loop ``action`` runs at once. An error raised by ``action`` in a
    scheduled run is printed into ``report`` (it would otherwise vanish into the kernel's
    log).
    """
    pending = False

    def run() -> None:
        nonlocal pending
        pending = False
        try:
            action()
        except Exception:  # shown to the student, as a callback's error would be
            if report is None:
                raise
            with report:
                report.clear_output(wait=True)
                traceback.print_exc()

    def observer(change=None) -> None:
        nonlocal pending
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            action()
            return
        if not pending:
            pending = True
            loop.call_later(SETTLE_S, run)

    return observer


def connect(
    render: Callable, controls: Sequence[w.ValueWidget]
) -> tuple[w.Image, w.Output]:
    """Redraw ``render(*values)`` whenever one of ``controls`` changes value.

    ``render`` receives the controls' values in order and returns a matplotlib Figure or
    a ``(figure, text)`` pair; the figure goes to the picture, the text (if any) to the
    Output.

    Returns:
        ``(figure_area, text_output)``, already showing the first drawing.
    """
    figure_out, text_out = figure_area(), w.Output()

    def update() -> None:
        drawn = render(*(control.value for control in controls))
        fig, text = drawn if isinstance(drawn, tuple) else (drawn, None)
        redraw(figure_out, fig)
        if text is not None:
            say(text_out, text)

    observer = coalesce(update, text_out)
    for control in controls:
        control.observe(observer, names="value")
    update()  # at once: the first picture belongs to the cell that builds the widget
    return figure_out, text_out

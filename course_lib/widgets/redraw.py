"""Plumbing shared by the widgets: draw into Output areas, redraw when a control moves."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w
from IPython.display import display


def redraw(output: w.Output, fig) -> None:
    """Replace what ``output`` shows with ``fig`` (a matplotlib Figure), without flicker.

    The figure is closed in pyplot first, so the notebook does not show it a second time
    under the cell.
    """
    import matplotlib.pyplot as plt

    plt.close(fig)
    with output:
        output.clear_output(wait=True)
        display(fig)


def say(output: w.Output, text: str) -> None:
    """Replace what ``output`` shows with one line of text."""
    with output:
        output.clear_output(wait=True)
        print(text)


def connect(
    render: Callable, controls: Sequence[w.ValueWidget]
) -> tuple[w.Output, w.Output]:
    """Redraw ``render(*values)`` whenever one of ``controls`` changes value.

    ``render`` receives the controls' values in order and returns a matplotlib Figure or
    a ``(figure, text)`` pair; the figure goes to the first Output, the text (if any) to
    the second.

    Returns:
        ``(figure_output, text_output)``, already showing the first drawing.
    """
    figure_out, text_out = w.Output(), w.Output()

    def update(change=None) -> None:
        drawn = render(*(control.value for control in controls))
        fig, text = drawn if isinstance(drawn, tuple) else (drawn, None)
        redraw(figure_out, fig)
        if text is not None:
            say(text_out, text)

    for control in controls:
        control.observe(update, names="value")
    update()
    return figure_out, text_out

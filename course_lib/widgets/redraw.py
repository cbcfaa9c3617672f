"""Plumbing shared by the widgets: put a freshly drawn figure into an Output area."""

from __future__ import annotations

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

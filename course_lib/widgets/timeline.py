"""An explorer for the history timeline of notebook 00."""

from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt

from .. import history, plots, validate
from .redraw import connect


def render_timeline(
    era: str = "all", years: tuple[int, int] = (1943, 2018), taught_only: bool = False
):
    """Draw the timeline with the selected events highlighted.

    Returns:
        ``(figure, text)``: the matplotlib Figure and the list of selected events.
    """
    start, end = validate.counts("years", years, minimum=-10**6, min_len=2, max_len=2)
    taught_only = validate.flag("taught_only", taught_only)
    selected = set(history.select_events(era, start=start, end=end, taught_only=taught_only))
    fig, ax = plt.subplots(figsize=(10, 7))
    plots.timeline(
        [(e.year, e.label) for e in history.EVENTS],
        eras=[(e.start, e.end, e.name) for e in history.ERAS],
        highlight=lambda year, label: any(e.year == year and e.label == label for e in selected),
        ax=ax,
    )
    ordered = sorted(selected, key=lambda e: (e.year, e.label))
    return fig, history.describe(ordered)


def timeline_explorer() -> w.Widget:
    """Era menu, year-range slider and a "taught in this course" filter over the timeline."""
    era = w.Dropdown(options=history.ERA_NAMES, value="all", description="era")
    years = w.IntRangeSlider(
        value=(1943, 2018),
        min=1943,
        max=2018,
        description="years",
        continuous_update=False,
        layout=w.Layout(width="420px"),
    )
    # The description sits right of the box, at its natural width, so it is never cut.
    taught = w.Checkbox(value=False, description="only what this course teaches", indent=False,
                        layout=w.Layout(width="auto"))
    figure_out, text_out = connect(render_timeline, (era, years, taught))
    controls = w.HBox([era, years, taught], layout=w.Layout(flex_flow="row wrap"))
    return w.VBox([controls, figure_out, text_out])

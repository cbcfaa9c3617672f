"""An explorer for the history timeline of notebook 00."""

from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt

from .. import history, plots, validate
from .redraw import connect


def render_timeline(
    era: str = "all",
    years: tuple[int, int] = (1943, 2018),
    taught_only: bool = False,
    *,
    chart: plots.TimelineChart | None = None,
):
    """Draw the timeline with the selected events highlighted.

    ``chart`` (a :class:`~course_lib.plots.TimelineChart` of :data:`history.EVENTS`) is
    restyled instead of drawing a new figure: the explorer keeps one, so a move costs
    only the rendering.

    Returns:
        ``(figure, text)``: the matplotlib Figure and the list of selected events.
    """
    start, end = validate.counts("years", years, minimum=-10**6, min_len=2, max_len=2)
    taught_only = validate.flag("taught_only", taught_only)
    if chart is not None:
        chart = validate.instance("chart", chart, plots.TimelineChart, "a plots.TimelineChart")
    selected = set(history.select_events(era, start=start, end=end, taught_only=taught_only))
    keys = {(e.year, e.label) for e in selected}

    def chosen(year: int, label: str) -> bool:
        return (year, label) in keys

    if chart is None:
        chart = _chart()
    chart.highlight(chosen)
    ordered = sorted(selected, key=lambda e: (e.year, e.label))
    return chart.ax.figure, history.describe(ordered)


def _chart() -> plots.TimelineChart:
    _, ax = plt.subplots(figsize=(10, 7))
    return plots.TimelineChart(
        [(e.year, e.label) for e in history.EVENTS],
        eras=[(e.start, e.end, e.name) for e in history.ERAS],
        ax=ax,
    )


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
    chart = _chart()  # one figure for the explorer's life: each move restyles it

    def render(era: str, years: tuple[int, int], taught_only: bool):
        return render_timeline(era, years, taught_only, chart=chart)

    figure_out, text_out = connect(render, (era, years, taught))
    controls = w.HBox([era, years, taught], layout=w.Layout(flex_flow="row wrap"))
    return w.VBox([controls, figure_out, text_out])

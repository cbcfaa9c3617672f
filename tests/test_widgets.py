
import matplotlib.pyplot as plt
import pytest

from course_lib import history
from course_lib.widgets import timeline


def test_select_events_by_era_and_years():
    first_wave = history.select_events("first wave")
    assert [e.year for e in first_wave] == [1943, 1949, 1958, 1960, 1969]
    assert all(1985 <= e.year <= 1990 for e in history.select_events(start=1985, end=1990))
    assert history.select_events("first winter") == [
        history.EVENTS[4]
    ]  # only 1969 sits on the edge
    taught = history.select_events(taught_only=True)
    assert taught and all(e.notebook for e in taught)


def test_select_events_errors():
    with pytest.raises(ValueError, match="first wave"):
        history.select_events("bronze age")
    with pytest.raises(ValueError, match="after"):
        history.select_events(start=2000, end=1990)


def test_describe():
    assert history.describe([]) == "No milestones in this selection."
    assert "→ notebook 02" in history.describe(history.select_events("first wave"))


def test_render_timeline_lists_the_selection():
    fig, text = timeline.render_timeline("second wave", (1943, 2018), False)
    fig.canvas.draw()  # what the notebook front-end triggers
    plt.close(fig)
    assert text.splitlines()[0].startswith("1986")


def test_explorer_reacts_to_its_controls(set_value):
    widget = timeline.timeline_explorer()
    era, years, taught = widget.children[0].children
    assert "1958  Rosenblatt's perceptron" in set_value(era, "first wave")
    out = set_value(years, (1943, 1950))
    assert "1949" in out and "1958" not in out
    assert "1949" not in set_value(taught, True)
    plt.close("all")


def test_explorer_restyles_one_chart():
    from matplotlib.colors import to_hex

    from course_lib import plots

    chart = timeline._chart()
    fig, text = timeline.render_timeline("first wave", chart=chart)
    again, _ = timeline.render_timeline("deep learning", chart=chart)
    assert again is fig is chart.ax.figure
    for (year, _), (line, dot, label) in zip(chart.events, chart._rows, strict=True):
        expected = plots.TimelineChart.ACTIVE if year >= 2006 else plots.TimelineChart.INACTIVE
        assert label.get_color() == expected
        assert to_hex(dot.get_facecolor()[0]) == to_hex(line.get_color()[0]) == expected
        assert label.get_fontweight() == ("bold" if year >= 2006 else "normal")
    with pytest.raises(TypeError, match="TimelineChart"):
        timeline.render_timeline(chart="a chart")
    plt.close("all")

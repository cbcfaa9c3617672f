"""Every widget in the catalogue builds, and every one of its controls redraws something.

The same catalogue feeds ``make bench``, which times these redraws against the budget;
here only their effect is checked, so a busy machine cannot fail the test.
"""

import matplotlib.pyplot as plt
import pytest

from course_lib import runtime
from course_lib.widgets import catalog

runtime.import_tensorflow()  # quietly, before a widget imports Keras


@pytest.mark.parametrize("entry", catalog.CATALOG, ids=lambda entry: f"{entry.notebook}-{entry.name}")
def test_every_control_redraws(entry, drawings, capsys):
    widget = entry.build()
    found = list(catalog.controls(widget))
    assert found, f"{entry.name} has no controls"
    for control in found:
        before = len(drawings)
        capsys.readouterr()
        if hasattr(control, "click"):
            control.click()
        else:
            new_value = catalog.another_value(control)
            assert new_value is not None, f"no other value for {catalog.label(control)}"
            control.value = new_value
        printed = capsys.readouterr().out
        assert len(drawings) > before or printed.strip(), (
            f"{entry.name}: moving {catalog.label(control)!r} changed nothing"
        )
        plt.close("all")


def test_every_widget_a_notebook_shows_is_catalogued():
    import re
    from pathlib import Path

    notebooks = Path(__file__).resolve().parent.parent / "notebooks"
    shown = set()
    for script in notebooks.glob("[0-9][0-9]_*.py"):
        shown |= set(re.findall(r"\bwidgets\.(\w+)\(", script.read_text()))
    assert shown <= {entry.name for entry in catalog.CATALOG}

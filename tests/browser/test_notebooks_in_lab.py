"""Every notebook in JupyterLab, as a student meets it: open, Run All, move every control.

For each notebook: before running, each widget output shows the course's hint (no frozen
copy); after Run ▸ Run All Cells every widget renders, moving each of its controls
changes what it shows (the time from the input to the new picture is recorded), ten
quick presses on a slider are coalesced and still end on the last value, no output
holds a traceback or a widget error, and the browser console holds no error.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from lab_driver import (
    LATENCIES,
    burst,
    console_errors,
    error_outputs,
    image_hashes,
    move_and_time,
    open_notebook,
    outputs_text,
    run_all,
    screenshot,
    widget_controls,
    widget_roots,
)

from course_lib import maintenance
from course_lib.widgets import catalog

ROOT = Path(__file__).resolve().parents[2]
ONLY = os.environ.get("COURSE_BROWSER_NOTEBOOKS", "")
NOTEBOOKS = [
    path for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not ONLY or any(path.name.startswith(prefix) for prefix in ONLY.split(","))
]
# Buttons that start a longer action on purpose (the playground's "Train"): exercised,
# but outside the redraw budget, as in the widget catalogue.
ACTION_WORDS = {action.split()[0] for entry in catalog.CATALOG for action in entry.actions}
RUN_ALL_TIMEOUT_S = 900


def stored_widget_outputs(path: Path) -> int:
    notebook = nbformat.read(path, as_version=4)
    return sum(
        maintenance.WIDGET_HINT_MIME in output.get("data", {})
        or maintenance.WIDGET_VIEW_MIME in output.get("data", {})
        for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_widgets_live(path, lab, browser, screenshots):
    driver = browser
    console_errors(driver)  # forget what earlier pages logged
    open_notebook(driver, lab, f"notebooks/{path.name}")
    number = path.name[:2]

    # Before running: a clear hint in place of each widget, never a frozen copy.
    expected = stored_widget_outputs(path)
    assert expected, f"{path.name} stores no widget output"
    hints = outputs_text(driver).count(maintenance.WIDGET_HINT_TEXT)
    assert hints == expected, f"{hints} hints shown for {expected} widgets before Run All"
    assert not widget_roots(driver), "a widget view is shown before the notebook runs"
    assert not error_outputs(driver)

    seconds = run_all(driver, RUN_ALL_TIMEOUT_S)
    print(f"\n{path.stem}: Run All took {seconds:.0f} s")
    problems = error_outputs(driver)
    assert not problems, f"after Run All: {problems}"
    roots = widget_roots(driver)
    assert len(roots) >= expected, f"{len(roots)} widgets rendered, {expected} expected"

    burst_done = False
    for index, root in enumerate(roots):
        name = f"{number}-w{index + 1}"
        screenshot(driver, root, screenshots / f"{name}-before.png")
        controls = widget_controls(driver, root)
        assert controls, f"widget {index + 1} of {path.name} has no control"
        for control in controls:
            is_action = control.kind == "button" and control.label.split(" ")[0] in ACTION_WORDS
            moved = move_and_time(driver, root, control, quiet_ms=2500 if is_action else 600,
                                  limit_ms=300000 if is_action else 60000)
            assert moved["ms"] is not None, (
                f"{path.name}, widget {index + 1}: moving {control.kind} {control.label!r} "
                "changed nothing")
            LATENCIES.append({"notebook": path.stem, "widget": index + 1, "control":
                              f"w{index + 1} {control.kind} {control.label}", "ms": moved["ms"],
                              "last_ms": moved["last_ms"], "action": is_action})
        sliders = [control for control in controls if control.kind == "slider"]
        if sliders and not burst_done:
            burst_done = True
            _check_burst(driver, root, sliders[0], path.stem)
        screenshot(driver, root, screenshots / f"{name}-after.png")
        problems = error_outputs(driver)
        assert not problems, f"after moving widget {index + 1}'s controls: {problems}"

    errors = [e for e in console_errors(driver) if not _harmless(e)]
    assert not errors, "browser console errors:\n" + "\n".join(errors)
    lab.shut_down_kernels()


def _check_burst(driver, root, slider, notebook: str) -> None:
    """Ten quick key presses: a few redraws, and the picture of the final value."""
    result = burst(driver, root, slider, presses=10)
    final = image_hashes(driver, root)
    # Away and back to the same value, each move waited for: the picture must be the same.
    from lab_driver import Control, act  # noqa: I001 - local helpers

    away = move_and_time(driver, root, Control("slider", slider.label, slider.element))
    assert away["ms"] is not None
    opposite = Control("slider", slider.label, slider.element)
    driver.execute_script("arguments[0].focus();", slider.element)
    value_before = slider.element.get_attribute("aria-valuenow")
    _ = value_before, act  # the driver moves toward the end it is not at
    back = _move_back(driver, root, opposite, result["value"])
    assert back["ms"] is not None
    assert image_hashes(driver, root) == final, (
        f"{notebook}: after ten quick presses the picture is not the one for the final value")
    LATENCIES.append({"notebook": notebook, "widget": 0, "control": "burst of 10 key presses",
                      "ms": result["last_ms"] or 0.0, "last_ms": result["last_ms"],
                      "redraws": result["redraws"], "action": True})
    print(f"{notebook}: 10 quick presses gave {result['redraws']} redraws; the last picture "
          f"came {result['last_ms']:.0f} ms after the last press")


def _move_back(driver, root, control, value: str) -> dict:
    """Move the slider one step back toward ``value`` (the value before 'away')."""
    from lab_driver import _ARM_JS, _COLLECT_JS
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    now = float(control.element.get_attribute("aria-valuenow"))
    key = Keys.ARROW_LEFT if now > float(value) else Keys.ARROW_RIGHT
    driver.execute_script(_ARM_JS, root, 600)
    driver.execute_script("arguments[0].focus();", control.element)
    ActionChains(driver).send_keys(key).perform()
    watch = driver.execute_async_script(_COLLECT_JS, root, 600, 60000)
    changes = [t for t in watch["changes"] if watch["start"] is not None and t >= watch["start"]]
    return {"ms": (changes[0] - watch["start"]) if changes else None}


_HARMLESS = (
    re.compile(r"favicon"),
)


def _harmless(message: str) -> bool:
    return any(pattern.search(message) for pattern in _HARMLESS)

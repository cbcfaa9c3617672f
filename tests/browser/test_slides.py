"""Slides: a notebook presented live in JupyterLab with jupyterlab-slideshow.

The slide metadata comes from the maintenance tool (``course_lib.maintenance.annotate``,
applied by ``make notebooks``); here it is applied to a copy of notebook 02 in the
test's results folder. The copy runs in JupyterLab, then becomes a slideshow in the
same notebook panel, on the same kernel, as an instructor presents it: the space bar
walks through the deck (slides, then sub-slides, then the cells that build up a slide),
and on the first slide that holds a widget, moving the widget's slider redraws it.
"""

from __future__ import annotations

import shutil
import time

import nbformat
from conftest import RESULTS, ROOT
from lab_driver import (
    LATENCIES,
    move_and_time,
    open_notebook,
    restore,
    run_all,
    state,
    wait_for,
    widget_controls,
)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from course_lib import maintenance

NOTEBOOK = "02_perceptron.ipynb"

# What the audience sees: the cells the slideshow shows, and widgets on screen in them.
_SHOWN_JS = """
const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'));
const shown = cells.map((c, i) => [i, c]).filter(([i, c]) => {
  const box = c.getBoundingClientRect();
  return getComputedStyle(c).display !== 'none' && box.height > 0
    && box.bottom > 0 && box.top < window.innerHeight;
});
const widgets = shown.flatMap(([i, c]) =>
  Array.from(c.querySelectorAll('.jp-OutputArea-output .jupyter-widgets'))
    .filter(e => !e.parentElement.closest('.jupyter-widgets'))
    .filter(e => e.getBoundingClientRect().height > 0));
return {mode: document.body.dataset.jpDeckMode || '', cells: shown.map(([i]) => i),
        active: window.jupyterapp.shell.currentWidget.content.activeCellIndex, widgets};
"""


def _command(driver, name: str) -> str:
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.jupyterapp.commands.execute(arguments[0]).then(() => done('done'),"
        " e => done(String(e)));", name)


def test_live_slideshow_from_derived_metadata(lab, browser, screenshots):
    driver = browser
    folder = RESULTS / "slides"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    notebook = nbformat.read(ROOT / "notebooks" / NOTEBOOK, as_version=4)
    notebook.metadata.pop("jupytext", None)  # a copy, not paired with a .py file
    maintenance.annotate(notebook)
    nbformat.write(notebook, folder / NOTEBOOK)
    slides = sum(cell.metadata.get("slideshow", {}).get("slide_type") == "slide"
                 for cell in notebook.cells)
    assert slides >= 5, f"notebook 02 has {slides} slides: is the slide metadata there?"
    relative = (folder / NOTEBOOK).relative_to(ROOT).as_posix()

    open_notebook(driver, lab, relative)
    run_all(driver, 900)
    # The instructor starts from the title: select the first cell, then present.
    driver.execute_script("window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0;")
    assert _command(driver, "deck:start") == "done"
    try:
        wait_for(lambda: driver.execute_script(_SHOWN_JS)["mode"] == "presenting", 60,
                 "the slideshow")
        time.sleep(1.0)
        first = driver.execute_script(_SHOWN_JS)
        assert first["cells"] == [0], f"the title slide shows cells {first['cells']}"
        driver.save_screenshot(str(screenshots / "slide-title.png"))

        # Space, as a presenter presses it, until a slide shows a widget.
        visited = [first["active"]]
        shown = first
        for _ in range(len(notebook.cells)):
            ActionChains(driver).send_keys(Keys.SPACE).perform()
            wait_for(lambda: driver.execute_script(_SHOWN_JS)["active"] != visited[-1], 30,
                     f"the slide after cell {visited[-1]}")
            time.sleep(0.5)  # the slide's cells settle
            shown = driver.execute_script(_SHOWN_JS)
            visited.append(shown["active"])
            assert shown["mode"] == "presenting", "the slideshow stopped"
            if shown["widgets"]:
                break
        assert visited == sorted(visited), f"the deck did not move forward: {visited}"
        assert shown["widgets"], "no slide shows a widget"
        assert len(shown["cells"]) < len(notebook.cells) // 4, (
            f"a slide shows {len(shown['cells'])} cells: the notebook is not split into slides")
        assert not any(cell < visited[1] for cell in shown["cells"]), (
            "the widget's slide still shows the first slides")

        # The widget on the slide is live: its slider redraws it, and is put back.
        root = shown["widgets"][0]
        sliders = [control for control in widget_controls(driver, root)
                   if control.kind == "slider"]
        assert sliders, "the widget on the slide has no slider"
        slider = sliders[0]
        before = state(slider)
        driver.save_screenshot(str(screenshots / "slide-widget-before.png"))
        moved = move_and_time(driver, root, slider, quiet_ms=600, limit_ms=15000)
        assert moved["ms"] is not None, f"moving {slider.label!r} on the slide redrew nothing"
        driver.save_screenshot(str(screenshots / "slide-widget-after.png"))
        restore(driver, root, slider, before)
        LATENCIES.append({"notebook": "slideshow (02)", "widget": 1,
                          "control": f"slider {slider.label}", "ms": moved["ms"],
                          "last_ms": moved["last_ms"], "action": False})
        print(f"\nslideshow: {len(visited) - 1} presses of Space from the title to the widget "
              f"on cell {shown['active']} (cells shown: {shown['cells']}); slider "
              f"{slider.label!r} redrew it in {moved['ms']:.0f} ms")
    finally:
        _command(driver, "deck:stop")  # the slideshow is a setting: leave it off
        lab.shut_down_kernels()

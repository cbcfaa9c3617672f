"""Slides: a notebook presented with RISE from JupyterLab.

The slide metadata comes from the maintenance tool (``course_lib.maintenance.annotate``,
applied by ``make notebooks``); here it is applied to a copy of notebook 02 in the
test's results folder. The copy runs in JupyterLab, then opens as a RISE slideshow on
the same kernel: the deck has many slides, the space bar advances them, and a widget
cell sits on a slide of its own.
"""

from __future__ import annotations

import shutil
import time

import nbformat
from conftest import RESULTS, ROOT
from lab_driver import (
    open_notebook,
    run_all,
    wait_for,
)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from course_lib import maintenance

NOTEBOOK = "02_perceptron.ipynb"

_PRESENT_JS = """
const all = Array.from(document.querySelectorAll('.reveal .slides section'))
    .filter(s => !s.querySelector('section'));
const here = all.findIndex(s => s.classList.contains('present'));
return [all.length, here];
"""

_WIDGET_CELL_JS = """
const here = Array.from(document.querySelectorAll('.reveal .slides section.present'))
    .filter(s => !s.querySelector('section'))[0];
if (!here) return null;
return Array.from(here.querySelectorAll('.jp-CodeCell')).find(
    c => /widgets\\.\\w+\\(/.test(c.querySelector('.jp-InputArea').textContent)) || null;
"""

_WIDGET_IN_JS = """
return Array.from(arguments[0].querySelectorAll('.jupyter-widgets'))
    .filter(e => !e.parentElement.closest('.jupyter-widgets'))[0] || null;
"""


def test_slideshow_from_derived_metadata(lab, browser, screenshots):
    driver = browser
    folder = RESULTS / "slides"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    notebook = nbformat.read(ROOT / "notebooks" / NOTEBOOK, as_version=4)
    notebook.metadata.pop("jupytext", None)  # a copy, not paired with a .py file
    maintenance.annotate(notebook)
    nbformat.write(notebook, folder / NOTEBOOK)
    relative = (folder / NOTEBOOK).relative_to(ROOT).as_posix()

    open_notebook(driver, lab, relative)
    run_all(driver, 900)
    saved = driver.execute_async_script(  # save the copy, as RISE's own command does first
        "const done = arguments[arguments.length - 1];"
        "window.jupyterapp.commands.execute('docmanager:save').then(() => done('saved'),"
        " e => done(String(e)));")
    assert saved == "saved", saved

    driver.get(lab.url(f"rise/{relative}"))
    wait_for(lambda: driver.execute_script(_PRESENT_JS)[0] > 0, 180, "the slides")
    time.sleep(2.0)
    count, here = driver.execute_script(_PRESENT_JS)
    assert count >= 10, f"the deck has {count} slides: is the slide metadata there?"

    seen = [here]
    for _ in range(count):  # advance to the slide of the first widget cell
        ActionChains(driver).send_keys(Keys.SPACE).perform()
        time.sleep(0.5)
        seen.append(driver.execute_script(_PRESENT_JS)[1])
        if driver.execute_script(_WIDGET_CELL_JS) is not None and len(seen) > 3:
            break
    assert len(set(seen)) >= 3, f"the slides did not advance: {seen}"
    assert driver.execute_script(_WIDGET_CELL_JS) is not None, "no slide holds a widget cell"
    driver.save_screenshot(str(screenshots / "slide-widget-cell.png"))
    print(f"\nRISE: {count} slides; slide {seen[-1] + 1} holds the first widget cell")
    lab.shut_down_kernels()

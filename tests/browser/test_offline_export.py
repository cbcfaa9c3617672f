"""The offline editions (``make html``, ``make slides``) open in Chromium with the network off.

Both editions are built into the test's results folder (all notebooks, or those named by
``COURSE_BROWSER_NOTEBOOKS=00,06``). With the network disabled through the DevTools
protocol, the HTML index, one page and one reveal.js deck are opened: no request may
fail or leave the machine, MathJax must typeset the maths, the widget snapshots must
show their pictures, and the deck must have many slides and advance.
"""

from __future__ import annotations

import os
import shutil
import time

import pytest
from conftest import RESULTS, ROOT
from lab_driver import console_errors, network_log, wait_for
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from course_lib import export

ONLY = [p for p in os.environ.get("COURSE_BROWSER_NOTEBOOKS", "").split(",") if p] or None

_MATH_JS = """
return document.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_CHTML, mjx-container').length;
"""
_SNAPSHOTS_JS = """
const images = Array.from(document.querySelectorAll('.course-widget-snapshot img'));
return [document.querySelectorAll('.course-widget-snapshot').length,
        images.filter(img => img.complete && img.naturalWidth > 0).length];
"""
_SLIDES_JS = """
const all = Array.from(document.querySelectorAll('.reveal .slides section'))
    .filter(s => !s.querySelector('section'));
return [all.length, all.findIndex(s => s.classList.contains('present')),
        typeof Reveal !== 'undefined' && Reveal.isReady()];
"""


@pytest.fixture(scope="module")
def editions():
    folder = RESULTS / "offline"
    shutil.rmtree(folder, ignore_errors=True)
    html = export.build("html", ROOT / "notebooks", folder / "html", ONLY)
    slides = export.build("slides", ROOT / "notebooks", folder / "slides", ONLY)
    print(f"\nbuilt html in {html['seconds']:.1f} s, slides in {slides['seconds']:.1f} s "
          f"({len(html['pages'])} notebooks, {html['snapshots']} widget snapshots, "
          f"{html['placeholders']} placeholders)")
    return folder, html, slides


@pytest.fixture
def offline(browser):
    """The browser with its network switched off (and back on afterwards)."""
    browser.get("about:blank")
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    network_log(browser)  # forget what came before
    console_errors(browser)
    yield browser
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def _network(driver) -> tuple[list[str], list[str]]:
    """Requests and failures since the last call, without the browser's own about: pages."""
    requested, failed = network_log(driver)
    return ([url for url in requested if not url.startswith("about:")],
            [line for line in failed if not line.startswith("about:")])


def _errors(driver) -> list[str]:
    """Console errors, without MathJax 2's probe of a blank web font at ``about:blank``
    (it names no file and no network address: MathJax times font loading with it)."""
    return [line for line in console_errors(driver) if "about:blank" not in line]


def _open(driver, path) -> tuple[list[str], list[str]]:
    driver.get(path.as_uri())
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", 60,
             f"{path.name} to load")
    return _network(driver)


def _page_with_widget(summary: dict) -> str:
    return summary["pages"][0]


def test_html_edition_offline(editions, offline, screenshots):
    driver = offline
    folder, summary, _ = editions
    requested, failed = _open(driver, folder / "html" / "index.html")
    links = driver.execute_script("return Array.from(document.querySelectorAll('ol.toc a'))"
                                  ".map(a => a.getAttribute('href'));")
    assert links == summary["pages"], links

    page = _page_with_widget(summary)
    driver.get((folder / "html" / page).as_uri())
    wait_for(lambda: driver.execute_script(_MATH_JS) > 0, 120, "MathJax to typeset the page")
    wait_for(lambda: driver.execute_script(
        "return !window.MathJax || !MathJax.Hub || MathJax.Hub.queue.running === 0 "
        "&& MathJax.Hub.queue.pending === 0;"), 120, "MathJax to finish")
    time.sleep(1.0)
    more, more_failed = _network(driver)
    requested += more
    failed += more_failed
    maths = driver.execute_script(_MATH_JS)
    snapshots, pictures = driver.execute_script(_SNAPSHOTS_JS)
    driver.save_screenshot(str(screenshots / "offline-html.png"))
    remote = [url for url in requested if not url.startswith(("file:", "data:"))]
    errors = _errors(driver)
    print(f"\nHTML offline: {len(requested)} requests, {len(failed)} failed, {len(remote)} "
          f"remote; {page}: {maths} typeset formulas, {snapshots} widget snapshots, "
          f"{pictures} pictures")
    assert not failed, failed
    assert not remote, remote
    assert not errors, errors
    assert maths > 0
    assert snapshots >= 1 and pictures >= 1, (snapshots, pictures)


def test_slides_edition_offline(editions, offline, screenshots):
    driver = offline
    folder, _, summary = editions
    requested, failed = _open(driver, folder / "slides" / "index.html")
    deck = summary["pages"][0]
    driver.get((folder / "slides" / deck).as_uri())
    wait_for(lambda: driver.execute_script(_SLIDES_JS)[2], 120, "reveal.js to start")
    wait_for(lambda: driver.execute_script(_MATH_JS) > 0, 120, "MathJax in the deck")
    count, here, _ = driver.execute_script(_SLIDES_JS)
    assert count >= 10, f"the deck has {count} slides: is the slide metadata there?"
    seen = [here]
    for _ in range(5):
        ActionChains(driver).send_keys(Keys.SPACE).perform()
        time.sleep(0.6)
        seen.append(driver.execute_script(_SLIDES_JS)[1])
    driver.save_screenshot(str(screenshots / "offline-slides.png"))
    more, more_failed = _network(driver)
    requested += more
    failed += more_failed
    remote = [url for url in requested if not url.startswith(("file:", "data:"))]
    snapshots, pictures = driver.execute_script(_SNAPSHOTS_JS)
    errors = _errors(driver)
    print(f"\nslides offline: {len(requested)} requests, {len(failed)} failed, {len(remote)} "
          f"remote; {deck}: {count} slides, visited {seen}, {snapshots} widget snapshots")
    assert not failed, failed
    assert not remote, remote
    assert not errors, errors
    assert len(set(seen)) >= 4 and seen == sorted(seen), f"the slides did not advance: {seen}"
    assert snapshots >= 1, "no widget snapshot in the deck"

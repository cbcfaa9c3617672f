"""Helpers that drive JupyterLab 4 in Chromium: open, run, find widgets, move controls.

JupyterLab does not paint off-screen cells, so text is read with ``textContent`` (never
``innerText``) and elements are scrolled into view before they are touched or shot.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from selenium.common.exceptions import JavascriptException, StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

LATENCIES: list[dict] = []
"""One row per control move: notebook, widget, control, ms, action (no budget)."""

BAD_TEXT = ("Error displaying widget", "Loading widget", "model not found", "Traceback",
            "Failed to load model class", "Could not create")


def wait_for(condition, timeout: float, what: str, poll: float = 0.25):
    """Poll ``condition()`` until it returns something truthy; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except (StaleElementReferenceException, JavascriptException) as error:
            last_error = error
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}"
                         + (f" ({last_error})" if last_error else ""))


def status_text(driver) -> str:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.jp-StatusBar-Item'))"
        ".map(e => e.textContent).join(' | ');"
    )


def kernel_idle(driver) -> bool:
    """The status bar says the kernel is idle (the toolbar says so before it starts)."""
    return "| Idle" in status_text(driver) or status_text(driver).rstrip().endswith("Idle")


def open_notebook(driver, lab, relative: str) -> None:
    """Open ``relative`` (e.g. ``notebooks/00_x.ipynb``) alone, with a reset workspace."""
    driver.get(lab.url(f"lab/tree/{relative}", reset=""))
    wait_for(lambda: driver.execute_script(
        "return document.querySelectorAll('.jp-NotebookPanel .jp-Cell').length"), 300,
        "the notebook's cells")

    def ready() -> bool:
        dismiss_dialogs(driver)  # e.g. a kernel choice
        return kernel_idle(driver)

    try:
        wait_for(ready, 300, "an idle kernel")
    except AssertionError:
        driver.save_screenshot(str(Path("build/browser/open-timeout.png").resolve()))
        raise AssertionError(f"no idle kernel; status bar: {status_text(driver)!r}") from None


def dismiss_dialogs(driver) -> None:
    """Close a modal dialog if one is open (e.g. a kernel choice), accepting its default."""
    for button in driver.find_elements(By.CSS_SELECTOR, ".jp-Dialog .jp-mod-accept"):
        try:
            button.click()
        except Exception:  # noqa: BLE001 - gone already
            pass


def run_menu_command(driver, menu: str, label: str) -> None:
    """Click ``menu`` in the menu bar, then its item labelled ``label``."""
    items = driver.find_elements(By.CSS_SELECTOR, "#jp-MainMenu .lm-MenuBar-item")
    target = next(item for item in items if item.get_attribute("textContent").strip() == menu)
    target.click()

    def item():
        for entry in driver.find_elements(By.CSS_SELECTOR, ".lm-Menu .lm-Menu-item"):
            text = entry.find_elements(By.CSS_SELECTOR, ".lm-Menu-itemLabel")
            if text and text[0].get_attribute("textContent").strip() == label:
                return entry
        return None

    wait_for(item, 30, f"the menu item {menu} ▸ {label}").click()


def run_all(driver, timeout: float) -> float:
    """Run ▸ Run All Cells, then wait until no cell is busy and the kernel is idle."""
    started = time.monotonic()
    run_menu_command(driver, "Run", "Run All Cells")
    time.sleep(1.0)

    def finished() -> bool:
        prompts = driver.execute_script(
            "return Array.from(document.querySelectorAll("
            "'.jp-Notebook .jp-CodeCell .jp-InputPrompt')).map(e => e.textContent.trim());")
        busy = any("*" in prompt for prompt in prompts)
        unrun = any(prompt in ("[ ]:", "") for prompt in prompts)
        return not busy and not unrun and kernel_idle(driver)

    wait_for(finished, timeout, "every cell to run", poll=1.0)
    return time.monotonic() - started


def outputs_text(driver) -> str:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.jp-OutputArea-output'))"
        ".map(e => e.textContent).join('\\n');")


def error_outputs(driver) -> list[str]:
    """Tracebacks and widget errors shown in the notebook."""
    text = outputs_text(driver)
    problems = [bad for bad in BAD_TEXT if bad in text]
    disconnected = driver.execute_script(
        "return document.querySelectorAll('.jp-Notebook .jupyter-widgets-disconnected').length")
    if disconnected:
        problems.append(f"{disconnected} disconnected widgets")
    return problems


def console_errors(driver) -> list[str]:
    """Errors the page logged to the console since the last call."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


# ------------------------------------------------------------------------ widgets

# A widget root is a widget view that is not inside another one.
_ROOTS_JS = """
return Array.from(document.querySelectorAll('.jp-OutputArea-output .jupyter-widgets'))
  .filter(e => !e.parentElement.closest('.jupyter-widgets'));
"""

# A fingerprint of what a widget shows: its pictures (and whether they have loaded) and
# the text of its output areas.
_SIGNATURE_JS = """
const root = arguments[0];
const pictures = Array.from(root.querySelectorAll('img')).map(
    img => img.src + (img.complete ? ':ok' : ':loading'));
const texts = Array.from(root.querySelectorAll('.widget-output, .widget-html-content'))
    .map(e => e.textContent);
return JSON.stringify([pictures, texts]);
"""

# Arms a watcher on one widget: the time of the first input event, then the time at
# which a new picture has loaded (or an output area's text changed), resolving when
# nothing changes for `quiet` ms. Stored on the root element.
_ARM_JS = """
const root = arguments[0];
const quiet = arguments[1];
const signature = () => JSON.stringify([
  Array.from(root.querySelectorAll('img')).map(img => img.src),
  Array.from(root.querySelectorAll('.widget-output, .widget-html-content'))
      .map(e => e.textContent)]);
const watch = {start: null, changes: [], before: signature(), done: false};
const mark = () => { if (watch.start === null) watch.start = performance.now(); };
for (const type of ['keydown', 'mousedown', 'change', 'input', 'click']) {
  root.addEventListener(type, mark, {capture: true, once: true});
}
const images = new Set();
const observer = new MutationObserver(() => {
  const now = signature();
  if (now === watch.before) return;
  watch.before = now;
  const fresh = Array.from(root.querySelectorAll('img')).filter(img => !images.has(img.src));
  const record = () => watch.changes.push(performance.now());
  const loading = fresh.filter(img => !img.complete);
  fresh.forEach(img => images.add(img.src));
  if (loading.length) {
    Promise.all(loading.map(img => img.decode().catch(() => null))).then(record);
  } else {
    record();
  }
});
observer.observe(root, {subtree: true, childList: true, attributes: true,
                        attributeFilter: ['src'], characterData: true});
Array.from(root.querySelectorAll('img')).forEach(img => images.add(img.src));
watch.observer = observer;
root.__courseWatch = watch;
"""

# Waits until the armed widget has changed and then stayed quiet; returns the watch.
_COLLECT_JS = """
const root = arguments[0], quiet = arguments[1], limit = arguments[2];
const done = arguments[arguments.length - 1];
const watch = root.__courseWatch;
const began = performance.now();
const check = () => {
  const now = performance.now();
  const last = watch.changes.length ? watch.changes[watch.changes.length - 1] : null;
  if ((last !== null && now - last > quiet) || now - began > limit) {
    watch.observer.disconnect();
    done({start: watch.start, changes: watch.changes});
  } else {
    setTimeout(check, 25);
  }
};
check();
"""

_IMAGE_HASH_JS = """
const root = arguments[0], done = arguments[arguments.length - 1];
const pictures = Array.from(root.querySelectorAll('img')).filter(img => img.src);
Promise.all(pictures.map(img => fetch(img.src).then(r => r.arrayBuffer())
    .then(b => crypto.subtle.digest('SHA-256', b))
    .then(d => Array.from(new Uint8Array(d)).map(x => x.toString(16)).join(''))))
  .then(hashes => done(hashes.join(',')), error => done('error: ' + error));
"""


@dataclass
class Control:
    """One control of a widget: how to find it again and what kind it is."""

    kind: str  # slider, dropdown, multiple, button, text, checkbox
    label: str
    element: object  # the WebElement to act on


def widget_roots(driver) -> list:
    return driver.execute_script(_ROOTS_JS)


def widget_controls(driver, root) -> list[Control]:
    """The enabled controls of one widget, in page order."""
    found: list[Control] = []
    for box in root.find_elements(By.CSS_SELECTOR, ".widget-inline-hbox, .widget-button, "
                                  ".widget-select-multiple, .widget-checkbox"):
        classes = box.get_attribute("class")
        label = box.find_elements(By.CSS_SELECTOR, ".widget-label")
        name = (label[0].get_attribute("textContent").strip() if label else "") or ""
        if "widget-button" in classes:
            if box.get_attribute("disabled") is None:
                found.append(Control("button", box.get_attribute("textContent").strip(), box))
        elif "widget-slider" in classes or "widget-hslider" in classes:
            handles = box.find_elements(By.CSS_SELECTOR, ".noUi-handle")
            disabled = box.find_elements(By.CSS_SELECTOR, "[disabled]")
            fixed = handles and (handles[0].get_attribute("aria-valuemin")
                                 == handles[0].get_attribute("aria-valuemax"))
            if handles and not disabled and not fixed:  # a range of one value cannot move
                found.append(Control("slider", name or "slider", handles[0]))
        elif "widget-select-multiple" in classes:
            select = box.find_elements(By.TAG_NAME, "select")
            if select and select[0].is_enabled():
                found.append(Control("multiple", name or "select", select[0]))
        elif "widget-dropdown" in classes:
            select = box.find_elements(By.TAG_NAME, "select")
            if select and select[0].is_enabled():
                found.append(Control("dropdown", name or "menu", select[0]))
        elif "widget-checkbox" in classes:
            boxes = box.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")
            if boxes and boxes[0].is_enabled():
                found.append(Control("checkbox", box.get_attribute("textContent").strip(), boxes[0]))
        elif "widget-text" in classes:
            inputs = box.find_elements(By.TAG_NAME, "input")
            if inputs and inputs[0].is_enabled():
                found.append(Control("text", name or "box", inputs[0]))
    # Text boxes without a label (a grid of mask values) get their position as a name.
    numbered = 0
    for control in found:
        if control.kind == "text" and control.label == "box":
            numbered += 1
            control.label = f"box {numbered}"
    return found


def scroll_into_view(driver, element) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});",
                          element)
    time.sleep(0.2)


def signature(driver, root) -> str:
    return driver.execute_script(_SIGNATURE_JS, root)


def image_hashes(driver, root) -> str:
    return driver.execute_async_script(_IMAGE_HASH_JS, root)


def _slider_key(control: Control, toward: str | None = None) -> str:
    """The arrow key that moves a slider: toward ``toward`` if given, else up unless it
    is at its top."""
    now = control.element.get_attribute("aria-valuenow")
    high = toward if toward is not None else control.element.get_attribute("aria-valuemax")
    try:
        down = float(now) >= float(high) if toward is None else float(now) > float(high)
    except (TypeError, ValueError):
        down = False
    return Keys.ARROW_LEFT if down else Keys.ARROW_RIGHT


_BIGGER = {Keys.ARROW_RIGHT: (Keys.PAGE_UP, Keys.END), Keys.ARROW_LEFT: (Keys.PAGE_DOWN, Keys.HOME)}


def act(driver, control: Control, toward: str | None = None, attempt: int = 0) -> None:
    """Move one control once, as a person would (a slider one step toward ``toward``; a
    later ``attempt`` takes a bigger step: a page, then to the end)."""
    element = control.element
    if control.kind == "slider":
        driver.execute_script("arguments[0].focus();", element)
        key = _slider_key(control, toward)
        if attempt:
            key = _BIGGER[key][min(attempt, 2) - 1]
        ActionChains(driver).send_keys(key).perform()
    elif control.kind in ("dropdown", "multiple"):
        select = Select(element)
        chosen = [o.get_attribute("index") for o in select.all_selected_options]
        count = len(select.options)
        current = int(chosen[0]) if chosen else 0
        if control.kind == "multiple":
            select.deselect_all()
            select.select_by_index((current + 1) % count)
            element.send_keys(Keys.TAB)  # some browsers fire change only on blur
        else:
            select.select_by_index((current + 1) % count)
    elif control.kind in ("button", "checkbox"):
        element.click()
    elif control.kind == "text":
        value = element.get_attribute("value") or "0"
        try:
            new = float(value) + 1
        except ValueError:
            new = 1.0
        element.click()
        element.send_keys(Keys.CONTROL, "a")
        element.send_keys(f"{new:g}", Keys.ENTER)
    else:  # pragma: no cover
        raise ValueError(control.kind)


def state(control: Control) -> str | None:
    """What :func:`restore` needs to put ``control`` back as it is now."""
    element = control.element
    if control.kind == "slider":
        return element.get_attribute("aria-valuenow")
    if control.kind in ("dropdown", "multiple"):
        return ",".join(o.get_attribute("index") for o in Select(element).all_selected_options)
    if control.kind == "checkbox":
        return "on" if element.is_selected() else "off"
    if control.kind == "text":
        return element.get_attribute("value")
    return None


def restore(driver, root, control: Control, before: str | None) -> None:
    """Put ``control`` back to ``before`` (from :func:`state`) and let its widget settle,
    so that each control is tried with the others at their first values."""
    if before is None or state(control) == before:
        return
    driver.execute_script(_ARM_JS, root, 600)
    element = control.element
    if control.kind == "slider":
        driver.execute_script("arguments[0].focus();", element)
        for _ in range(300):
            if state(control) == before:
                break
            ActionChains(driver).send_keys(_slider_key(control, before)).perform()
    elif control.kind in ("dropdown", "multiple"):
        select = Select(element)
        if control.kind == "multiple":
            select.deselect_all()
        for index in filter(None, before.split(",")):
            select.select_by_index(int(index))
        if control.kind == "multiple":
            element.send_keys(Keys.TAB)
    elif control.kind == "checkbox":
        element.click()
    elif control.kind == "text":
        element.click()
        element.send_keys(Keys.CONTROL, "a")
        element.send_keys(before, Keys.ENTER)
    driver.execute_async_script(_COLLECT_JS, root, 600, 15000)


def move_and_time(driver, root, control: Control, *, quiet_ms: int = 600,
                  limit_ms: int = 60000, toward: str | None = None, attempt: int = 0) -> dict:
    """Move ``control`` and measure until its widget's new picture is shown.

    Returns ``{"ms": first change after the input, "last_ms": last change, "redraws": n}``;
    ``ms`` is None when nothing changed.
    """
    driver.execute_script(_ARM_JS, root, quiet_ms)
    act(driver, control, toward, attempt)
    watch = driver.execute_async_script(_COLLECT_JS, root, quiet_ms, limit_ms)
    start, changes = watch["start"], watch["changes"]
    if start is None or not changes:
        return {"ms": None, "last_ms": None, "redraws": 0}
    after = [t for t in changes if t >= start]
    if not after:
        return {"ms": None, "last_ms": None, "redraws": 0}
    return {"ms": after[0] - start, "last_ms": after[-1] - start, "redraws": len(after)}


def burst(driver, root, control: Control, presses: int = 10, *, quiet_ms: int = 3000) -> dict:
    """Press a slider's arrow key ``presses`` times quickly; count the redraws."""
    key = _slider_key(control)
    driver.execute_script(_ARM_JS, root, quiet_ms)
    driver.execute_script("arguments[0].focus();", control.element)
    chain = ActionChains(driver)
    for _ in range(presses):
        chain.send_keys(key).pause(0.03)
    sent = time.monotonic()
    chain.perform()
    typed_s = time.monotonic() - sent
    watch = driver.execute_async_script(_COLLECT_JS, root, quiet_ms, 60000)
    changes = [t for t in watch["changes"] if watch["start"] is None or t >= watch["start"]]
    first = watch["start"]
    return {"redraws": len(changes), "typed_ms": 1000 * typed_s,
            "last_ms": (changes[-1] - first - 1000 * typed_s) if changes and first else None,
            "value": control.element.get_attribute("aria-valuenow")}


def screenshot(driver, element, path: Path) -> None:
    scroll_into_view(driver, element)
    driver.save_screenshot(str(path))


def network_log(driver) -> tuple[list[str], list[str]]:
    """``(requested URLs, failed requests)`` since the last call, from the performance log."""
    requested: dict[str, str] = {}
    failed = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            requested[params["requestId"]] = params["request"]["url"]
        elif method == "Network.loadingFailed":
            url = requested.get(params["requestId"], "?")
            failed.append(f"{url}: {params.get('errorText')}")
        elif method == "Network.responseReceived":
            status = params["response"].get("status", 0)
            if status >= 400:
                failed.append(f"{params['response']['url']}: HTTP {status}")
    return list(requested.values()), failed

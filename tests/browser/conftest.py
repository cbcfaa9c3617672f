"""A JupyterLab server started with ``make lab`` and a headless Chromium driving it.

Run through ``make test-browser``, which checks that Debian's ``chromium`` and
``chromium-driver`` are installed. The server, its kernels and the browser are shut
down at the end of the test run. Results an instructor would want to see
(latencies, screenshots) are written to ``build/browser/``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from lab_driver import LATENCIES

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "build" / "browser"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _executable(variable: str, *names: str) -> str:
    found = os.environ.get(variable) or next(filter(None, map(shutil.which, names)), None)
    if not found:
        raise pytest.UsageError(
            f"no {' or '.join(names)} found: install Debian's chromium and chromium-driver "
            "(as root: apt-get install -y chromium chromium-driver) or set " + variable
        )
    return found


class Lab:
    """The running server: its address, token and a tiny REST client."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.base = f"http://127.0.0.1:{port}"

    def url(self, path: str, **query: str) -> str:
        items = [f"{key}={value}" for key, value in query.items()] + [f"token={self.token}"]
        return f"{self.base}/{path.lstrip('/')}?{'&'.join(items)}"

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(
            f"{self.base}/api/{path}", method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", method="DELETE")
        for kernel in self.api("kernels"):
            self.api(f"kernels/{kernel['id']}", method="DELETE")


@pytest.fixture(scope="session")
def lab():
    """``make lab`` on a free port with a random token; stopped (kernels first) at the end."""
    port, token = _free_port(), secrets.token_hex(16)
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = open(RESULTS / "lab.log", "w")  # noqa: SIM115 - closed at the end of the session
    # The test must leave the notebooks as they are: no autosave, and the files' bytes are
    # compared (and put back) at the end.
    settings = RESULTS / "lab-settings"
    plugin = settings / "@jupyterlab" / "docmanager-extension"
    plugin.mkdir(parents=True, exist_ok=True)
    (plugin / "plugin.jupyterlab-settings").write_text('{"autosave": false}')
    # Presenting is a setting of the slideshow extension: every session starts without it.
    deck = settings / "jupyterlab-slideshow"
    deck.mkdir(parents=True, exist_ok=True)
    (deck / "plugin.jupyterlab-settings").write_text('{"active": false}')
    originals = {path: path.read_bytes() for path in (ROOT / "notebooks").iterdir()
                 if path.is_file()}
    extra = (f"--IdentityProvider.token={token} --ServerApp.open_browser=False "
             f"--ServerApp.shutdown_no_activity_timeout=0 --LabApp.user_settings_dir={settings} "
             "--LabApp.expose_app_in_browser=True")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"PORT={port}", f"LAB_ARGS={extra}"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    server = Lab(port, token)
    deadline = time.monotonic() + 180
    while True:
        try:
            server.api("status")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"make lab did not start; see {RESULTS / 'lab.log'}") from None
            time.sleep(0.5)
    yield server
    try:
        server.shut_down_kernels()
        server.api("shutdown", method="POST")
        process.wait(timeout=30)
    except Exception:  # a server that does not stop politely is stopped by signal
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    finally:
        log.close()
        changed = [path for path, data in originals.items()
                   if not path.exists() or path.read_bytes() != data]
        for path in changed:
            path.write_bytes(originals[path])
        assert not changed, f"the browser session changed {changed} (put back)"


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium through chromedriver, logging the console and the network."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _executable("COURSE_CHROMIUM", "chromium", "chromium-browser")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1400,1000", "--disable-gpu", "--no-first-run",
                     "--disable-background-timer-throttling",
                     "--disable-renderer-backgrounding"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service(executable_path=_executable("COURSE_CHROMEDRIVER", "chromedriver"),
                      log_output=str(RESULTS / "chromedriver.log"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(120)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = RESULTS / "screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def pytest_terminal_summary(terminalreporter):
    """The latency table: per notebook, how long a control's new picture took to appear."""
    if not LATENCIES:
        return
    write = terminalreporter.write_line
    write("")
    write("Redraw latency in the browser, from a control's change to its new picture (ms):")
    write(f"{'notebook':<38} {'widgets':>7} {'controls':>8} {'moves':>6} {'median':>7} "
          f"{'worst':>6}  worst control")
    rows = []
    for notebook in sorted({row["notebook"] for row in LATENCIES}):
        mine = [row for row in LATENCIES if row["notebook"] == notebook and not row["action"]]
        if not mine:
            continue
        times = [row["ms"] for row in mine]
        worst = max(mine, key=lambda row: row["ms"])
        widgets = len({row["widget"] for row in mine})
        controls = len({(row["widget"], row["control"]) for row in mine})
        rows.append({"notebook": notebook, "widgets": widgets, "controls": controls,
                     "moves": len(times), "median_ms": statistics.median(times),
                     "worst_ms": worst["ms"], "worst_control": worst["control"]})
        write(f"{notebook:<38} {widgets:>7} {controls:>8} {len(times):>6} "
              f"{statistics.median(times):>7.0f} {worst['ms']:>6.0f}  {worst['control']}")
    actions = [row for row in LATENCIES if row["action"]]
    for row in actions:
        write(f"  action (no budget): {row['notebook']} {row['control']}: {row['ms']:.0f} ms")
    all_times = [row["ms"] for row in LATENCIES if not row["action"]]
    if all_times:
        write(f"{'all notebooks':<38} {'':>7} {'':>8} {len(all_times):>6} "
              f"{statistics.median(all_times):>7.0f} {max(all_times):>6.0f}")
    (RESULTS / "latency.json").write_text(json.dumps({"rows": rows, "moves": LATENCIES}, indent=1))

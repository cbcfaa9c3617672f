"""The notebook harness must really fail when a stored output no longer matches."""

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"


def run_nbval(notebook: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "--rootdir",
            str(FIXTURES),
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(HERE / "nbval_sanitize.cfg"),
            str(FIXTURES / notebook),
        ],
        capture_output=True,
        text=True,
        cwd=FIXTURES,
        timeout=300,
    )


@pytest.mark.parametrize(
    "notebook, should_pass",
    [
        ("wrong_output.ipynb", False),  # stored "3", the code prints "2"
        ("right_output.ipynb", True),  # control: same cell, matching output
        ("variable_output.ipynb", True),  # times/addresses sanitised, ignored cell skipped
    ],
)
def test_nbval_compares_outputs(notebook, should_pass):
    result = run_nbval(notebook)
    report = result.stdout + result.stderr
    if should_pass:
        assert result.returncode == 0, report
    else:
        assert result.returncode == 1, report
        assert "Cell outputs differ" in report and "1 failed" in report

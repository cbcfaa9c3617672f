"""Predict how long a command takes on a 2-core laptop CPU without AVX-512.

Limiting TensorFlow to AVX2 (``ONEDNN_MAX_CPU_ISA=AVX2``, with OpenBLAS's and NumPy's AVX2
kernels) makes this machine run the very kernels such a laptop runs, but it does not make
its cores as slow as the laptop's: a server core here retires Python bytecode, TensorFlow's
runtime and AVX2 arithmetic at its own speed. So the time of a run here, even limited, is not
the laptop's time.

The model splits a run's CPU time into three kinds of work, by where ``perf`` finds the
samples: *vector kernels* (oneDNN's JIT-compiled convolutions and matrix products, OpenBLAS),
the *TensorFlow runtime* (its libraries: graph execution, Eigen kernels, the op dispatch) and
*Python and the rest* (the interpreter, NumPy's loops, matplotlib, the kernel). It predicts

    laptop seconds = limited seconds here * sum over kinds (share of the samples * factor)

with one slowdown factor per kind. The factors are fitted (``scripts/calibrate_laptop.py``)
on measurements taken on a real AVX2-only laptop-class CPU: the reference commit's notebooks
were timed there, and are profiled here the same way, so the fit compares like with like.
The fitted factors and the fit's errors live in ``scripts/laptop_model.json``.

Needs ``perf`` (Debian package ``linux-perf``) and permission to sample the process (root, or
``kernel.perf_event_paranoid`` at most 2).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().with_name("laptop_model.json")
KINDS = ("vector kernels", "TensorFlow runtime", "Python and the rest")
SAMPLE_HZ = 250
_VECTOR = re.compile(r"^\[JIT\]|openblas|libmkl|libdnnl|jitted-", re.IGNORECASE)
_TENSORFLOW = re.compile(r"tensorflow|_pywrap_tf|libtfkernel|_pywrap_", re.IGNORECASE)
_REPORT_LINE = re.compile(r"^\s*(\d+(?:\.\d+)?)%\s+(\S.*?)\s*$")


def kind_of(dso: str) -> str:
    """The kind of work done in shared object ``dso`` as ``perf report --sort dso`` names it."""
    if not isinstance(dso, str) or not dso.strip():
        raise ValueError(f"dso must be a shared-object name such as 'libpython3.11.so', got {dso!r}")
    if _VECTOR.search(dso):
        return KINDS[0]
    if _TENSORFLOW.search(dso):
        return KINDS[1]
    return KINDS[2]


def shares_from_report(report: str) -> dict[str, float]:
    """Fractions of the samples per kind, from the text of ``perf report --sort dso --stdio``."""
    totals = dict.fromkeys(KINDS, 0.0)
    for line in report.splitlines():
        if line.startswith("#"):
            continue
        match = _REPORT_LINE.match(line)
        if match:
            totals[kind_of(match.group(2))] += float(match.group(1))
    whole = sum(totals.values())
    if whole <= 0:
        raise ValueError("the perf report holds no samples: was the command too short, or "
                         "did perf lack permission to sample it?")
    return {kind: value / whole for kind, value in totals.items()}


@dataclass(frozen=True)
class Profile:
    """One run: its wall-clock seconds and the share of its CPU samples per kind of work."""

    seconds: float
    shares: dict[str, float]


def profiled_run(command: list[str], env: dict[str, str], cwd: Path) -> tuple[Profile, str]:
    """Run ``command`` under ``perf record``; returns its profile and its standard output."""
    perf = shutil.which("perf")
    if perf is None:
        raise RuntimeError("perf is not installed: install Debian's linux-perf package "
                           "(apt-get install linux-perf) to predict laptop times")
    with tempfile.TemporaryDirectory(prefix="course-perf-") as folder:
        data = os.path.join(folder, "perf.data")
        started = time.perf_counter()
        out = subprocess.run([perf, "record", "-q", "-F", str(SAMPLE_HZ), "-o", data, "--", *command],
                             env=env, cwd=cwd, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if out.returncode:
            raise RuntimeError(f"{' '.join(command)} failed under perf (exit {out.returncode}):\n"
                               f"{out.stderr[-2000:]}")
        report = subprocess.run([perf, "report", "-i", data, "--sort", "dso", "--stdio", "-g", "none"],
                                capture_output=True, text=True, check=True).stdout
    return Profile(seconds, shares_from_report(report)), out.stdout


def predict(profile: Profile, factors: dict[str, float]) -> float:
    """Predicted laptop seconds for a run profiled here (AVX2-limited)."""
    missing = set(KINDS) - set(factors)
    if missing:
        raise ValueError(f"factors must give a factor for each of {KINDS}; missing {sorted(missing)}")
    return profile.seconds * sum(profile.shares.get(kind, 0.0) * factors[kind] for kind in KINDS)


def fit(profiles: list[Profile], laptop_seconds: list[float]) -> tuple[dict[str, float], list[float]]:
    """Non-negative least-squares factors so that ``predict`` matches the laptop's times.

    Minimises the *relative* error of each run (each row is divided by the laptop's time),
    so a long notebook does not outweigh the short ones. Returns the factors and the
    leave-one-out relative error of each run (predicted by a fit to the others / measured - 1).
    """
    from scipy.optimize import nnls

    if len(profiles) != len(laptop_seconds) or len(profiles) < len(KINDS) + 1:
        raise ValueError(f"need as many laptop times as profiles, and at least {len(KINDS) + 1} "
                         f"of each; got {len(profiles)} profiles and {len(laptop_seconds)} times")
    design = np.array([[p.seconds * p.shares.get(kind, 0.0) for kind in KINDS] for p in profiles])
    target = np.asarray(laptop_seconds, dtype=float)
    weighted = design / target[:, None]

    def solve(rows: np.ndarray) -> np.ndarray:
        return nnls(weighted[rows], np.ones(rows.sum()))[0]

    everything = np.ones(len(target), bool)
    factors = solve(everything)
    held_out = []
    for i in range(len(target)):
        rows = everything.copy()
        rows[i] = False
        held_out.append(float(design[i] @ solve(rows) / target[i] - 1))
    return dict(zip(KINDS, map(float, factors), strict=True)), held_out


def load() -> dict:
    """The fitted model: factors, the machine it was fitted on, and the fit's errors."""
    if not MODEL_PATH.exists():
        raise FileNotFoundError(f"{MODEL_PATH.name} is missing: run scripts/calibrate_laptop.py")
    return json.loads(MODEL_PATH.read_text())


def cpu_model() -> str:
    """This machine's CPU model name, as /proc/cpuinfo gives it."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"

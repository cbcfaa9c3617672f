"""Helpers shared by the exercise checks that need more than a list of cases.

Checks that train a model, build a Keras block or compare whole numbers report one
outcome line, as :func:`course_lib.checks.check_function` does.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..checks import CheckResult, Outcome, Status, _report, _short, _with_hint


def result(name: str, status: Status, message: str, hint: str = "") -> CheckResult:
    """Print and return a one-outcome result; the hint is shown when it went wrong."""
    outcome = CheckResult(name=name)
    text = _with_hint(message, hint) if status in (Status.WRONG, Status.CRASHED) else message
    outcome.outcomes.append(Outcome(status, text))
    return _report(outcome, verbose=True)


def not_filled(value: Any) -> bool:
    """The student has not answered yet (the stub's ``...`` or None)."""
    return value is None or value is Ellipsis


def as_count(value: Any) -> int | str:
    """A whole number from an int, NumPy integer or 0-d integer array/tensor; else why not."""
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        try:
            value = value.numpy()
        except Exception:  # noqa: BLE001 - anything unconvertible is reported, not raised
            return f"got {type(value).__name__}, which is not a number"
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, bool | np.bool_):
        return f"got the boolean {value!r}"
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return (f"got {value!r}: a count is a whole number; use integer arithmetic "
                f"(* and + on ints, // rather than /)")
    return f"expected a whole number, got {type(value).__name__} {_short(value)}"


def check_count(answer: Any, expected: int, name: str, hint: str) -> CheckResult:
    """Compare a whole-number answer (a count, a size) with the expected one."""
    if not_filled(answer):
        return result(name, Status.NOT_ATTEMPTED,
                      f"{name} is not filled in yet: replace `...` with your answer and run the cell")
    count = as_count(answer)
    if isinstance(count, str):
        return result(name, Status.WRONG, f"{name}: {count}", hint)
    if count != expected:
        direction = "too large" if count > expected else "too small"
        return result(name, Status.WRONG, f"{name}: {count:,} is {direction}", hint)
    return result(name, Status.CORRECT, f"{name} is right")

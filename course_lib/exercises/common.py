"""Helpers shared by the exercise checks that need more than a list of cases.

Checks that train a model, build a Keras block or compare whole numbers report one
outcome line, as :func:`course_lib.checks.check_function` does. A student's training
function runs with a time limit, :data:`TRAINING_TIME_LIMIT_S`, so that a loop that never
ends is reported instead of hanging the notebook.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import validate
from ..checks import (
    CheckResult,
    Outcome,
    Status,
    _call_with_time_limit,
    _report,
    _short,
    _TimeLimitExceeded,
    _with_hint,
    as_numpy,
)

TRAINING_TIME_LIMIT_S = 900.0
"""Seconds a student's function may run inside a check that trains or builds a model."""

TimeLimitExceeded = _TimeLimitExceeded
"""Raised by :func:`call_with_time_limit` (a ``BaseException``: ``except Exception`` misses it)."""


def result(name: str, status: Status, message: str, hint: str = "") -> CheckResult:
    """Print and return a one-outcome result; the hint is shown when it went wrong."""
    name = validate.text("name", name)
    status = validate.instance("status", status, Status, "a checks.Status")
    message = validate.text("message", message)
    hint = validate.text("hint", hint, allow_empty=True)
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
        return (f"got {_short(value)}: a count is a whole number; use integer arithmetic "
                f"(* and + on ints, // rather than /)")
    return f"expected a whole number, got {type(value).__name__} {_short(value)}"


def as_number(value: Any) -> float | str:
    """A real number from a Python or NumPy number, a 0-d or one-element array, or a tensor;
    else a sentence saying why not. Booleans and complex numbers are not numbers here."""
    value = as_numpy(value)
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        value = value.reshape(()).item()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return f"expected a number, got {type(value).__name__} {_short(value)}"
    try:
        return float(value)
    except OverflowError:
        return f"got {_short(value)}, a number too large for a float"


def check_count(answer: Any, expected: int, name: str, hint: str) -> CheckResult:
    """Compare a whole-number answer (a count, a size) with the expected one."""
    expected = validate.integer("expected", expected, minimum=0)
    name = validate.text("name", name)
    hint = validate.text("hint", hint, allow_empty=True)
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


def call_with_time_limit(func: Callable[..., Any], *args: Any) -> Any:
    """``func(*args)``, stopped with :data:`TimeLimitExceeded` after
    :data:`TRAINING_TIME_LIMIT_S` seconds."""
    return _call_with_time_limit(func, args, {}, TRAINING_TIME_LIMIT_S)


def too_slow(name: str) -> str:
    """The feedback for a student's function stopped by the time limit."""
    return (f"{name} took longer than {TRAINING_TIME_LIMIT_S:g} s and was stopped: look for a "
            "loop that never ends, or train for fewer epochs")


def pair_of_arrays(name: str, value: Any, *, x_ndim: int | None = None, what: str = "(x, y)") -> tuple:
    """A notebook's data set, ``(x, y)``: two arrays with one entry per example each."""
    elements = validate.items(name, value, f"two arrays {what}")
    if len(elements) != 2:
        raise ValueError(f"{name} must be a pair of arrays {what}, got {len(elements)} item(s)")
    x = validate.array(f"{name}[0]", elements[0], ndim=x_ndim, dtype=None)
    y = validate.array(f"{name}[1]", elements[1], dtype=None)
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError(f"{name} must hold arrays with one entry per example, got shapes {x.shape} and {y.shape}")
    if len(x) != len(y):
        raise ValueError(f"{name} must hold as many targets as inputs, got {len(x)} and {len(y)}")
    return np.asarray(elements[0]), np.asarray(elements[1])

"""Private helpers of the checks of notebooks 00-02: reading a student's answer safely.

``_kind_problem`` names what is wrong with an answer of the wrong kind (a string, a
generator, a function...) before any comparison is tried; ``_watch_inputs`` wraps a
student's function so a check can tell when it changed one of its array arguments in
place; ``_compare_arrays`` combines both with :func:`course_lib.checks.describe_mismatch`.
"""

from __future__ import annotations

import inspect
import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import checks
from ..checks import _call_with_time_limit, _short, _TimeLimitExceeded, as_numpy, describe_mismatch

_IN_PLACE_HINT = "the function changed its argument {name} in place"


class _ChangedInput:
    """What :func:`_watch_inputs` returns when a call modified one of its arrays."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<changed {self.name} in place>"


def _kind_problem(got: Any, *, what: str = "an array of numbers") -> str | None:
    """A sentence naming an answer that cannot be a number or an array, else None."""
    got = as_numpy(got)
    if isinstance(got, _ChangedInput):
        return (f"{_IN_PLACE_HINT.format(name=got.name)}: the caller's data changed. Build new "
                "arrays (x - m, not x -= m) and leave the arguments as they were")
    if isinstance(got, str | bytes):
        return f"expected {what}, got the text {_short(got, 40)}"
    if inspect.isgenerator(got) or isinstance(got, map | filter | range | zip):
        return (f"expected {what}, got a {type(got).__name__}: turn it into an array, "
                "e.g. with np.array(list(...))")
    if callable(got):
        return f"expected {what}, got a function: call it and return its result"
    if isinstance(got, dict | set | frozenset):
        return f"expected {what}, got a {type(got).__name__}"
    if isinstance(got, bool | np.bool_):
        return f"expected {what}, got the boolean {got!r}"
    if isinstance(got, numbers.Number) and not isinstance(got, numbers.Real):
        return f"expected {what}, got the complex number {got!r}"
    if isinstance(got, numbers.Integral) and abs(int(got)) > 10**300:
        return f"expected {what}, got a number with {len(str(abs(int(got))))} digits"
    try:
        array = np.asarray(got)
    except Exception:  # noqa: BLE001 - ragged lists and other odd objects
        return f"expected {what}, got {type(got).__name__} {_short(got, 40)} that is not one"
    if array.dtype.kind not in "biuf":
        return f"expected {what}, got {type(got).__name__} {_short(got, 40)}"
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        return "the result contains NaN or infinity"
    return None


def _compare_arrays(
    expected: np.ndarray, got: Any, *, rtol: float = 1e-5, atol: float = 1e-8
) -> str | None:
    """Like :func:`describe_mismatch` for a numeric array, naming wrong kinds of answer first."""
    problem = _kind_problem(got)
    if problem:
        return problem
    return describe_mismatch(expected, got, rtol=rtol, atol=atol)


def _watch_inputs(func: Callable[..., Any], names: tuple[str, ...]) -> Callable[..., Any]:
    """``func`` wrapped so that a call which modifies an array argument returns a marker.

    Args:
        func: the student's function.
        names: the argument names, used in the feedback (``"w"``, ``"X"``...).
    """

    def watched(*args: Any) -> Any:
        before = [np.array(a, copy=True) if isinstance(a, np.ndarray) else None for a in args]
        out = func(*args)
        for name, arg, copy in zip(names, args, before, strict=False):
            if copy is not None and not np.array_equal(arg, copy, equal_nan=True):
                return _ChangedInput(name)
        return out

    return watched


def _number(value: Any) -> float | str:
    """A finite real number from a Python/NumPy number or 0-d array/tensor; else why not."""
    value = as_numpy(value)
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, bool | np.bool_):
        return f"got the boolean {value!r}"
    if not isinstance(value, numbers.Real):
        return f"expected a number, got {type(value).__name__} {_short(value, 40)}"
    try:
        number = float(value)
    except OverflowError:
        return "got a number too large to be a weight"
    if not math.isfinite(number):
        return f"got {number}, which is not a finite number"
    return number


def _point_features(func: Callable[[np.ndarray], Any], X: np.ndarray, call: str, *,
                    column: bool = False, what: str = "an array of numbers") -> np.ndarray | str:
    """``func(X)`` as an ``(n, k)`` float array, or a sentence saying why it is not one.

    The student's function gets a copy of ``X: (n, d)`` under the course's time limit;
    ``call`` names the call in the feedback (``"features(X_train)"``); ``column=True``
    accepts a 1-D result as one feature.
    """
    try:
        got = _call_with_time_limit(_watch_inputs(func, ("X",)), (X.copy(),), {}, checks.TIME_LIMIT_S)
    except _TimeLimitExceeded:
        return f"{call} took longer than {checks.TIME_LIMIT_S:g} s and was stopped"
    if isinstance(got, _ChangedInput):
        return _kind_problem(got) or ""
    if got is None:
        return f"{call} returned None: is a `return` missing?"
    problem = _kind_problem(got, what=what)
    if problem:
        return f"{call}: {problem}"
    array = np.asarray(got, dtype=float)
    if column and array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.shape[0] != len(X):
        return f"{call} should have one row per point, shape ({len(X)}, k), got shape {array.shape}"
    return array

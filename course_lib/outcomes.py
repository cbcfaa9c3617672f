"""Measured results and the claims a notebook makes about them.

Anything that comes out of training (an accuracy, a loss, a number of epochs) depends on
the last bits of floating-point sums, and those differ between CPUs, BLAS libraries and
GPUs. The course therefore prints such a figure after an "≈" sign and states its claim
next to it::

    outcomes.expect("LeNet-5 test accuracy", accuracy, at_least=0.95)

prints ``LeNet-5 test accuracy ≈ 0.97 ✓ expected ≥ 0.95`` and raises ``AssertionError``
when the claim fails. The regression tests mask every number that follows "≈" (see
``tests/nbval_sanitize.cfg``), so they compare the claim and its verdict, never the
digits. A plain measured figure with no claim attached is printed the same way:
``print(f"training accuracy ≈ {accuracy:.2f}")``.

Exact results (counts, shapes, closed forms, the seed's worked examples) are printed
without "≈" and are compared digit for digit.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

APPROX = "≈"
PASS, FAIL = "✓", "✗"


def _as_real(value: object, what: str) -> float:
    """``value`` as a Python float; NumPy scalars, 0-d arrays and 0-d tensors accepted."""
    if isinstance(value, bool | np.bool_):
        raise TypeError(f"{what} must be a real number, got the boolean {value!r}")
    if isinstance(value, numbers.Real):
        return float(value)
    try:
        array = np.asarray(value)
    except Exception as error:  # noqa: BLE001 - anything not array-like is a type error
        raise TypeError(f"{what} must be a real number, got {type(value).__name__}") from error
    if array.shape != () or not np.issubdtype(array.dtype, np.number) or np.iscomplexobj(array):
        raise TypeError(
            f"{what} must be a real number, got {type(value).__name__} "
            f"with shape {array.shape} and dtype {array.dtype}"
        )
    return float(array.item())


def approx(value: object, fmt: str = ".2f", unit: str = "") -> str:
    """``value`` formatted as a measured figure: ``approx(0.973) == "≈ 0.97"``.

    Args:
        value: a real number (Python, NumPy scalar, 0-d array or tensor).
        fmt: a format specification, e.g. ``".3f"``, ``".1e"``, ``".0%"``, ``"d"``.
        unit: appended after a space, e.g. ``"s"``.
    """
    number = _as_real(value, "value")
    if not math.isfinite(number):
        raise ValueError(f"value must be a finite number, got {number}")
    fmt, unit = _format_spec(fmt), _unit(unit)
    text = format(int(round(number)) if fmt.endswith("d") else number, fmt)
    return f"{APPROX} {text}{' ' + unit if unit else ''}"


def _format_spec(fmt: object) -> str:
    """A format specification for a number, such as ``".2f"`` or ``"d"``."""
    if not isinstance(fmt, str):
        raise TypeError(f"fmt must be a format specification such as '.2f', got {fmt!r}")
    try:
        format(1 if fmt.endswith("d") else 1.0, fmt)
    except ValueError:
        raise ValueError(f"fmt must be a format specification such as '.2f', got {fmt!r}") from None
    return fmt


def _unit(unit: object) -> str:
    if not isinstance(unit, str):
        raise TypeError(f"unit must be a string such as 's', got {unit!r}")
    return unit


def _bound_text(at_least: float | None, at_most: float | None, fmt: str) -> str:
    def show(bound: float) -> str:
        return format(int(bound) if fmt.endswith("d") else bound, fmt)

    if at_least is not None and at_most is not None:
        return f"between {show(at_least)} and {show(at_most)}"
    if at_least is not None:
        return f"≥ {show(at_least)}"
    return f"≤ {show(at_most)}"  # type: ignore[arg-type]


def expect(
    name: str,
    value: object,
    *,
    at_least: float | None = None,
    at_most: float | None = None,
    fmt: str = ".2f",
    unit: str = "",
    verbose: bool = True,
) -> None:
    """Print a measured figure with its claim and verdict; raise if the claim fails.

    Args:
        name: what was measured, as the student should read it.
        value: the measured number.
        at_least, at_most: the claim's bounds (inclusive); at least one is required.
            Choose them so that the claim holds on any CPU or GPU, yet fails when the
            lesson breaks.
        fmt: format of the value and the bounds (``".2f"``, ``".0%"``, ``"d"``...).
        unit: a unit printed after the value.
        verbose: print the line (default).

    Returns None on purpose: as the last line of a cell, a returned number would be shown
    as the cell's result, digits and all.

    Raises:
        AssertionError: the value is outside the claimed range (or NaN).
        ValueError, TypeError: the arguments themselves are malformed.
    """
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"name must be a non-empty string, got {name!r}")
    if at_least is None and at_most is None:
        raise ValueError("give at_least, at_most or both: a claim needs a range")
    fmt, unit = _format_spec(fmt), _unit(unit)
    if not isinstance(verbose, bool | np.bool_):
        raise TypeError(f"verbose must be True or False, got {verbose!r}")
    low = None if at_least is None else _as_real(at_least, "at_least")
    high = None if at_most is None else _as_real(at_most, "at_most")
    for label, bound in (("at_least", low), ("at_most", high)):
        if bound is not None and not math.isfinite(bound):
            raise ValueError(f"{label} must be a finite number, got {bound}")
    if low is not None and high is not None and low > high:
        raise ValueError(f"at_least ({low}) must not exceed at_most ({high})")
    number = _as_real(value, "value")
    holds = (
        math.isfinite(number)
        and (low is None or number >= low)
        and (high is None or number <= high)
    )
    claim = f"expected {_bound_text(low, high, fmt)}{' ' + unit if unit else ''}"
    shown = approx(number, fmt, unit) if math.isfinite(number) else f"{APPROX} {number}"
    line = f"{name} {shown} {PASS if holds else FAIL} {claim}"
    if verbose:
        print(line)
    if not holds:
        raise AssertionError(f"{name} is {number!r}, {claim}")

"""Exercise checks for notebook 00, welcome and set-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import history
from ..checks import Case, CheckResult, check_function, check_value


def check_to_unit_range(func: Callable[[np.ndarray], np.ndarray] | None) -> CheckResult:
    """``to_unit_range(images)``: uint8 pixels 0..255 -> float32 in [0, 1], same shape."""
    rng = np.random.default_rng(7)
    inputs = [
        np.array([0, 51, 255], dtype=np.uint8),
        rng.integers(0, 256, size=(2, 28, 28, 1), dtype=np.uint8),
        np.full((3, 4), 255, dtype=np.uint8),
    ]
    cases = [Case(args=(x,), expected=(x / 255.0).astype(np.float32)) for x in inputs]
    return check_function(
        func,
        cases,
        name="to_unit_range",
        check_dtype=True,
        atol=1e-6,
        hint="divide by the largest pixel value, 255, and convert with .astype('float32')",
    )


def check_one_hot(func: Callable[[np.ndarray, int], np.ndarray] | None) -> CheckResult:
    """``one_hot(labels, num_classes)``: (n,) ints -> (n, num_classes) rows of 0/1."""
    cases = [
        Case(args=(np.array([0, 2, 1]), 3), expected=np.eye(3)[[0, 2, 1]]),
        Case(args=(np.array([9, 0, 9, 4]), 10), expected=np.eye(10)[[9, 0, 9, 4]]),
        Case(args=(np.array([1]), 2), expected=np.array([[0.0, 1.0]])),
    ]
    return check_function(
        func,
        cases,
        name="one_hot",
        hint="start from np.zeros((len(labels), num_classes)) and set one 1 per row, "
        "or index the identity matrix np.eye(num_classes) with the labels",
    )


def check_winter_gap(answer: Any) -> CheckResult:
    """Years from Rosenblatt's perceptron to Minsky & Papert's book."""
    years = {e.label: e.year for e in history.EVENTS}
    expected = years["Minsky & Papert: XOR limits"] - years["Rosenblatt's perceptron"]
    return check_value(
        answer,
        expected,
        name="years from the perceptron to Minsky & Papert",
        hint="read both years off the timeline (or history.EVENTS) and subtract",
    )

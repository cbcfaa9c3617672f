"""Exercise checks for notebook 01, learning from data."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .. import geometry
from ..checks import Case, CheckResult, as_numpy, check_function


def check_mse(func: Callable[[np.ndarray, np.ndarray], float] | None) -> CheckResult:
    """``mse(y, y_hat)``: the mean of the squared differences, one number."""
    rng = np.random.default_rng(1)
    pairs = [
        (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0])),
        (np.array([0.0, 0.0]), np.array([1.0, -3.0])),
        (rng.normal(size=50), rng.normal(size=50)),
    ]
    cases = [Case(args=(y, y_hat), expected=float(np.mean((y - y_hat) ** 2))) for y, y_hat in pairs]
    return check_function(
        func,
        cases,
        name="mse",
        hint="subtract, square each difference, then take the mean (not the sum)",
    )


def _exact_integer(expected: int, got: object) -> str | None:
    """Exact comparison for integers too large for floating point (10**784)."""
    got = as_numpy(got)
    if isinstance(got, np.ndarray) and got.shape == () and got.dtype.kind in "iu":
        got = got.item()  # a 0-d array or a tensor holding an integer
    if isinstance(got, bool) or not isinstance(got, (int, np.integer)):
        return f"expected an exact integer, got {type(got).__name__}"
    if int(got) != expected:
        digits = len(str(expected))
        shown = str(int(got)) if len(str(int(got))) <= 12 else f"a {len(str(int(got)))}-digit number"
        return f"expected a {digits}-digit number, got {shown}" if digits > 12 else (
            f"expected {expected}, got {shown}"
        )
    return None


def check_points_to_cover(func: Callable[[int], int] | None) -> CheckResult:
    """``points_to_cover(d)``: grid points at spacing 0.1 needed to cover ``[0, 1]^d``."""
    cases = [Case(args=(d,), expected=geometry.points_to_cover(d, 0.1)) for d in (1, 2, 3, 10, 784)]
    return check_function(
        func,
        cases,
        name="points_to_cover",
        compare=_exact_integer,
        hint="10 points per axis, and the axes multiply: use Python's ** on integers "
        "(10 ** d), which stays exact even for d = 784",
    )


def check_cover_count(func: Callable[[int, int], int] | None) -> CheckResult:
    """``cover_count(P, N)``: Cover's count of separable labellings, ``2 sum_{k<N} C(P-1, k)``."""
    pairs = [(1, 1), (3, 2), (4, 2), (10, 3), (20, 10), (40, 10), (5, 8)]
    cases = [Case(args=pair, expected=geometry.cover_count(*pair)) for pair in pairs]
    return check_function(
        func,
        cases,
        name="cover_count",
        hint="sum math.comb(P - 1, k) for k = 0 ... N - 1 and double it; when P <= N every "
        "labelling is separable and the count is 2 ** P",
    )


def check_quadratic_feature_count(func: Callable[[int], int] | None) -> CheckResult:
    """``quadratic_feature_count(d)``: monomials of degree <= 2 in ``d`` variables, 1 included."""
    cases = [Case(args=(d,), expected=math.comb(d + 2, 2)) for d in (1, 2, 3, 10, 784)]
    return check_function(
        func,
        cases,
        name="quadratic_feature_count",
        hint="count the constant, the d linear terms, the d squares and the d (d - 1) / 2 "
        "products of two different variables",
    )

"""Exercise checks for notebook 08, CNN applications."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..checks import Case, CheckResult, check_function


def check_fgsm(func: Callable[[np.ndarray, np.ndarray, float], np.ndarray] | None) -> CheckResult:
    """``fgsm_step(x, gradient, epsilon)``: ``clip(x + epsilon * sign(gradient), 0, 1)``."""
    rng = np.random.default_rng(8)
    cases = []
    for shape, epsilon in [((4,), 0.1), ((2, 5, 5, 1), 0.05), ((3, 3), 0.5)]:
        x = rng.uniform(0, 1, size=shape)
        gradient = rng.normal(size=shape)
        gradient.flat[0] = 0.0  # sign(0) = 0: that pixel must not move
        cases.append(Case(args=(x, gradient, epsilon),
                          expected=np.clip(x + epsilon * np.sign(gradient), 0, 1)))
    return check_function(
        func, cases, name="fgsm_step",
        hint="use np.sign(gradient) (not the gradient itself), scale by epsilon, "
        "and keep pixels in [0, 1] with np.clip",
    )


def check_contrastive_loss(func: Callable[..., np.ndarray] | None) -> CheckResult:
    """``contrastive_loss(distance, same, margin)``: per-pair loss of a siamese network."""
    rng = np.random.default_rng(9)

    def reference(distance, same, margin):
        return same * distance**2 + (1 - same) * np.maximum(margin - distance, 0.0) ** 2

    cases = []
    for n, margin in [(4, 1.0), (10, 2.0)]:
        distance = rng.uniform(0, 2.5, size=n)
        same = rng.integers(0, 2, size=n).astype(float)
        cases.append(Case(args=(distance, same, margin), expected=reference(distance, same, margin)))
    cases.append(Case(args=(np.array([0.5, 0.5]), np.array([1.0, 0.0]), 1.0),
                      expected=np.array([0.25, 0.25])))
    return check_function(
        func, cases, name="contrastive_loss",
        hint="same pairs pay distance**2; different pairs pay max(margin - distance, 0)**2",
    )


def check_window_count(func: Callable[[int, int, int], int] | None) -> CheckResult:
    """``window_count(size, window, stride)``: positions a sliding window visits along one axis."""
    cases = [Case(args=(size, window, stride), expected=(size - window) // stride + 1)
             for size, window, stride in [(84, 28, 4), (28, 28, 4), (100, 28, 4), (56, 28, 2)]]
    return check_function(
        func, cases, name="window_count",
        hint="the window's left edge can sit at 0, stride, 2 * stride, ... up to size - window",
    )

"""Exercise checks for notebook 07, ConvNets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import validate
from ..checks import Case, CheckResult, check_function, check_value
from ..scratch import conv


def _conv(k: int, a: int, b: int) -> int:
    return (k * k * a + 1) * b


def _dense(n_in: int, n_out: int) -> int:
    return (n_in + 1) * n_out


def lenet5_parameters(side: int = 28) -> dict[str, int]:
    """Per-layer parameter counts of LeNet-5 on ``side x side`` grey images (C5 as dense)."""
    # C1 keeps the size, S2 halves it, C3 (5x5, valid) removes 4, S4 halves it again.
    side = validate.count("side", side, minimum=12)
    after_c3 = conv.output_size(side // 2, 5)
    flat = (after_c3 // 2) ** 2 * 16
    return {"C1": _conv(5, 1, 6), "C3": _conv(5, 6, 16), "C5": _dense(flat, 120),
            "F6": _dense(120, 84), "output": _dense(84, 10)}


def check_dense_parameters(func: Callable[[int, int], int] | None) -> CheckResult:
    """``dense_parameters(n_in, n_out)``: weights and biases of a fully connected layer."""
    cases = [Case(args=(n, m), expected=_dense(n, m))
             for n, m in [(200 * 200, 50), (784, 10), (400, 120), (1, 1)]]
    return check_function(
        func, cases, name="dense_parameters",
        hint="every output neuron has one weight per input plus one bias: (n_in + 1) * n_out",
    )


def check_lenet5_count(answer: Any) -> CheckResult:
    """Exercise 5: LeNet-5's parameter count on 28x28 digits."""
    return check_value(
        answer, sum(lenet5_parameters(28).values()), name="LeNet-5's parameter count",
        hint="C1 (5*5*1+1)*6, C3 (5*5*6+1)*16, then three dense layers 400->120->84->10 "
        "with (inputs + 1) * outputs each",
    )


def check_larger_input(c5_kernel: Any, c5_parameters: Any) -> CheckResult:
    """Exercise 6: on 64x64 inputs, C5 as a convolution must cover S4's whole map."""
    side = conv.output_size(64 // 2, 5) // 2
    expected_kernel = side
    expected_parameters = _conv(side, 16, 120)
    first = check_value(
        c5_kernel, expected_kernel, name="C5's kernel size on 64x64 images",
        hint="follow the sizes: 64 -> C1 (same) 64 -> S2 32 -> C3 (valid 5x5) 28 -> S4 ?",
    )
    if not first.passed:
        return first
    return check_value(
        c5_parameters, expected_parameters, name="C5's parameter count on 64x64 images",
        hint="C5 has 120 kernels of size k x k x 16, each with one bias",
    )

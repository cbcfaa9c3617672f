"""Exercise checks for notebook 06, convolution."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..checks import Case, CheckResult, check_function, check_value
from ..scratch import conv


def _reference_difference(image: np.ndarray) -> np.ndarray:
    return image[:, 1:] - image[:, :-1]


def check_apply_difference_mask(func: Callable[[np.ndarray], np.ndarray] | None) -> CheckResult:
    """``apply_difference_mask(image)``: the (1, 2) mask [-1 1] slid over a 2-D image, no padding."""
    rng = np.random.default_rng(4)
    images = [
        np.array([[0.0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1]]),
        np.array([[5.0, 3.0, 3.0, 8.0, 1.0]]),
        rng.integers(0, 10, size=(4, 6)).astype(float),
    ]
    cases = [Case(args=(image,), expected=_reference_difference(image)) for image in images]
    return check_function(
        func,
        cases,
        name="apply_difference_mask",
        hint="out[i, j] = -1 * image[i, j] + 1 * image[i, j + 1]; the output has one column "
        "fewer than the image (slicing image[:, 1:] and image[:, :-1] does it in one line)",
    )


def check_output_size(func: Callable[..., int] | None) -> CheckResult:
    """``output_size(size, kernel, stride, padding)``: pixels along one axis after a convolution."""
    cases = []
    for size, kernel, stride, padding in [
        (5, 3, 1, 0), (28, 5, 1, 2), (7, 3, 2, 0), (227, 11, 4, 0), (27, 5, 1, 2), (8, 3, 2, 1),
    ]:
        padded = size + 2 * padding
        cases.append(
            Case(args=(size, kernel, stride, padding),
                 expected=conv.output_size(padded, kernel, stride, "valid"))
        )
    return check_function(
        func,
        cases,
        name="output_size",
        hint="count the window positions: (size + 2 * padding - kernel) // stride + 1",
    )


def check_conv_parameters(func: Callable[[int, int, int], int] | None) -> CheckResult:
    """``conv_parameters(k, A, B)``: weights and biases of a k x k conv layer, A maps in, B out."""
    cases = [
        Case(args=(k, a, b), expected=(k * k * a + 1) * b)
        for k, a, b in [(3, 1, 1), (5, 1, 6), (5, 6, 16), (3, 64, 128), (11, 3, 96)]
    ]
    return check_function(
        func,
        cases,
        name="conv_parameters",
        hint="each of the B kernels has k * k * A weights (it spans every input map) and one bias",
    )


def check_max_pool_gradient(answer: Any) -> CheckResult:
    """The gradient reaching a 4x4 input through 2x2 max pooling (values of the notebook)."""
    x = np.array([[1.0, 3, 2, 0], [4, 2, 1, 5], [0, 1, 7, 2], [3, 2, 6, 1]])[None, :, :, None]
    upstream = np.array([[0.1, -0.2], [0.3, 0.4]])[None, :, :, None]
    _, cache = conv.maxpool2d_forward(x, 2)
    expected = conv.maxpool2d_backward(upstream, cache)[0, :, :, 0]
    return check_value(
        answer,
        expected,
        name="dL/dx through max pooling",
        hint="each upstream value goes to the position of the maximum of its 2x2 square; "
        "the three other positions get 0",
    )

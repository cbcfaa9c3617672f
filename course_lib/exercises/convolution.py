"""Exercise checks for notebook 06, convolution."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import validate
from ..checks import Case, CheckResult, Status, _short, as_numpy, check_function, check_value
from ..outcomes import approx
from ..scratch import conv
from . import common


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


# ------------------------------------------------------- sizes through a stack

STACK_INPUT = 30
"""Side of the square input of the stack in :data:`STACK`."""

STACK: tuple[tuple[str, int, int, str], ...] = (
    ("Conv2D", 5, 1, "valid"),
    ("MaxPooling2D", 2, 2, "valid"),
    ("Conv2D", 3, 2, "same"),
    ("Conv2D", 3, 2, "valid"),
)
"""The notebook's stack: ``(layer, kernel or pool size, stride, padding)``."""


def stack_sizes(side: int = STACK_INPUT) -> list[int]:
    """The side of the maps after each layer of :data:`STACK`, Keras's rule."""
    side = validate.count("side", side)
    sizes = []
    for _, kernel, stride, padding in STACK:
        side = conv.output_size(side, kernel, stride, padding)
        sizes.append(side)
    return sizes


def check_stack_sizes(answer: Any) -> CheckResult:
    """The predicted side after each layer of :data:`STACK` on a 30x30 input: four whole numbers."""
    expected = stack_sizes()
    name = "the map sizes"
    hints = [
        "a valid k x k convolution with stride 1 fits in n - k + 1 positions",
        "2x2 pooling with stride 2 halves the side (rounding down)",
        "'same' padding with stride s gives ceil(n / s): Keras pads just enough for every "
        "position the stride reaches, rounding up, not down",
        "valid with stride s: floor((n - k) / s) + 1",
    ]
    if common.not_filled(answer):
        return common.result(name, Status.NOT_ATTEMPTED,
                             "sizes is not filled in yet: replace `...` with your four numbers")
    answer = as_numpy(answer)
    if isinstance(answer, np.ndarray):
        answer = list(answer) if answer.ndim == 1 else answer
    if not isinstance(answer, list | tuple) or len(answer) != len(expected):
        return common.result(name, Status.WRONG,
                             f"expected a list of {len(expected)} sizes, one per layer, got {_short(answer)}",
                             "write sizes = [after conv 1, after pooling, after conv 2, after conv 3]")
    for layer, (value, want, hint) in enumerate(zip(answer, expected, hints, strict=True), start=1):
        count = common.as_count(value)
        if isinstance(count, str):
            return common.result(name, Status.WRONG, f"layer {layer}: {count}", hint)
        if count != want:
            return common.result(name, Status.WRONG,
                                 f"layer {layer} ({STACK[layer - 1][0]}) is wrong: {count}", hint)
    return common.result(name, Status.CORRECT, f"{expected} are right")


# ------------------------------------------------- the input gradient by hand


def reference_input_gradient(delta: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """dL/dx of a 2-D valid, stride-1 cross-correlation ``z = x (*) kernel``.

    Args:
        delta: ``(H - k + 1, W - l + 1)``, dL/dz.
        kernel: ``(k, l)``.

    Returns:
        ``(H, W)``: every ``delta[i, j]`` spread back over the window it came from.
    """
    delta = validate.array("delta", delta, ndim=2, layout="(out_h, out_w)")
    kernel = validate.array("kernel", kernel, ndim=2, layout="(k, l)")
    (out_h, out_w), (kh, kw) = delta.shape, kernel.shape
    dx = np.zeros((out_h + kh - 1, out_w + kw - 1))
    for i in range(out_h):
        for j in range(out_w):
            dx[i:i + kh, j:j + kw] += delta[i, j] * kernel
    return dx


def check_input_gradient(func: Callable[[np.ndarray, np.ndarray], np.ndarray] | None) -> CheckResult:
    """``input_gradient(delta, kernel)``: dL/dx of a valid, stride-1 2-D cross-correlation."""
    rng = np.random.default_rng(6)
    cases = []
    for (out_h, out_w), (kh, kw) in [((1, 1), (2, 2)), ((3, 3), (2, 2)), ((2, 4), (3, 2)), ((4, 3), (3, 3))]:
        delta, kernel = rng.normal(size=(out_h, out_w)), rng.normal(size=(kh, kw))
        cases.append(Case(args=(delta, kernel), expected=reference_input_gradient(delta, kernel),
                          label=f"input_gradient(delta {delta.shape}, kernel {kernel.shape})"))
    return check_function(
        func,
        cases,
        name="input_gradient",
        atol=1e-10,
        hint="start from zeros of the input's shape (out_h + k - 1, out_w + l - 1); every "
        "delta[i, j] adds delta[i, j] * kernel to the window x[i:i+k, j:j+l] it came from "
        "(+=, since windows overlap; the kernel is not flipped here)",
    )


# ------------------------------------------------------- learning a mask

_HIDDEN_MASK = np.array([[0.5, 1.0, 0.0], [-1.0, 0.25, 1.0], [0.0, -1.0, -0.5]])


def mask_examples(n: int = 8, side: int = 16, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random images and what the check's hidden 3x3 mask makes of them (valid, stride 1).

    Returns:
        ``(images, targets)``: ``(n, side, side, 1)`` and ``(n, side - 2, side - 2, 1)``, float32.
    """
    n = validate.count("n", n)
    side = validate.count("side", side, minimum=3)
    seed = validate.seed("seed", seed)
    images = np.random.default_rng(seed).uniform(size=(n, side, side, 1))
    targets, _ = conv.conv2d_forward(images, _HIDDEN_MASK[:, :, None, None])
    return images.astype(np.float32), targets.astype(np.float32)


def check_learned_mask(
    learn_mask: Callable[[np.ndarray, np.ndarray], Any] | None, *, target: float = 0.01
) -> CheckResult:
    """Call ``learn_mask(images, targets) -> (3, 3) mask`` and measure it on unseen images.

    The measure is the relative error ``|h - h*| / |h*|`` (Frobenius norms) between the
    learned mask's output and the hidden mask's output on 8 fresh images; it must be at
    most ``target``.
    """
    target = validate.positive("target", target)
    name = "learn_mask"
    if common.not_filled(learn_mask):
        return common.result(name, Status.NOT_ATTEMPTED, "learn_mask is not written yet")
    if not callable(learn_mask):
        return common.result(name, Status.WRONG,
                             f"learn_mask should be a function, got {type(learn_mask).__name__}",
                             "define it with `def learn_mask(images, targets):`")
    from ..backend import keras

    keras.utils.set_random_seed(0)
    try:
        returned = common.call_with_time_limit(learn_mask, *mask_examples())
    except NotImplementedError:
        return common.result(name, Status.NOT_ATTEMPTED,
                             "learn_mask is still the stub: write its body and run the cell again")
    except common.TimeLimitExceeded:
        return common.result(name, Status.WRONG, common.too_slow(name))
    except Exception as error:  # noqa: BLE001 - any student error becomes feedback
        return common.result(name, Status.CRASHED, f"learn_mask raised {type(error).__name__}: {error}",
                             "fit a Conv2D(1, 3, use_bias=False) to (images, targets) and return its kernel")
    try:
        mask = np.asarray(as_numpy(returned), dtype=np.float64)
    except Exception:  # noqa: BLE001
        mask = np.zeros(0)
    if mask.size != 9:
        return common.result(name, Status.WRONG, f"expected a 3x3 mask, got {_short(returned)}",
                             "return the learned kernel as a (3, 3) array, e.g. "
                             "layer.get_weights()[0][:, :, 0, 0]")
    mask = mask.reshape(3, 3)
    if not np.all(np.isfinite(mask)):
        return common.result(name, Status.WRONG, "the mask holds NaN or infinite values",
                             "the training diverged: lower the learning rate")
    images, targets = mask_examples(seed=1)
    outputs, _ = conv.conv2d_forward(images.astype(np.float64), mask[:, :, None, None])
    with np.errstate(all="ignore"):
        relative = float(np.linalg.norm(outputs - targets) / np.linalg.norm(targets))
    if not np.isfinite(relative):
        return common.result(name, Status.WRONG, "the mask's outputs overflow",
                             "the training diverged: lower the learning rate")
    if not relative <= target:
        flipped, _ = conv.conv2d_forward(images.astype(np.float64), mask[::-1, ::-1, None, None])
        if np.linalg.norm(flipped - targets) <= target * np.linalg.norm(targets):
            return common.result(name, Status.WRONG,
                                 f"relative error {approx(relative, '.3f')}: your mask is the hidden one "
                                 "turned by half a turn", "a Conv2D layer does not flip its kernel: "
                                 "return the kernel as it is, not flipped for a convolution")
        return common.result(name, Status.WRONG,
                             f"relative error on new images {approx(relative, '.3f')}, above the target {target:g}",
                             "train longer or with a larger learning rate (Adam with 0.01-0.1 works "
                             "well on 9 weights), with no bias and no activation")
    return common.result(name, Status.CORRECT,
                         f"relative error on new images {approx(relative, '.1e')}, within {target:g}")

"""Notebook 06's exercise checks: right answers pass in every form; a real student's wrong
ones fail with a hint; malformed answers never crash the check."""

import numpy as np
import pytest

from course_lib import runtime
from course_lib.checks import Status
from course_lib.exercises import convolution
from course_lib.scratch import conv

MALFORMED = [None, ..., "26, 13, 7, 3", float("nan"), 10**400, object(), lambda: 3,
             (i for i in range(4)), [None] * 4, ["26", "13", "7", "3"], [[26, 13, 7, 3]]]


# ------------------------------------------------------------ exercise 1: sizes


def test_stack_sizes_follow_keras():
    keras = runtime.import_tensorflow() and __import__("keras")
    model = keras.Sequential([keras.Input((30, 30, 1)), keras.layers.Conv2D(8, 5), keras.layers.MaxPooling2D(2),
                              keras.layers.Conv2D(16, 3, strides=2, padding="same"),
                              keras.layers.Conv2D(16, 3, strides=2)])
    assert convolution.stack_sizes() == [layer.output.shape[1] for layer in model.layers] == [26, 13, 7, 3]


@pytest.mark.parametrize("answer", [[26, 13, 7, 3], (26, 13, 7, 3), np.array([26, 13, 7, 3]),
                                    [np.int64(26), 13, np.array(7), 3], np.array([26, 13, 7, 3], np.int32)])
def test_stack_sizes_accepts_right_answers(answer, capsys):
    assert convolution.check_stack_sizes(answer).passed


@pytest.mark.parametrize(
    "answer, layer",
    [
        ([25, 12, 6, 2], 1),      # n - k instead of n - k + 1
        ([24, 12, 6, 2], 1),      # as if the kernel were 7 (or 2 lost per side twice)
        ([30, 15, 8, 3], 1),      # 'same' assumed for the first layer
        ([26, 12, 6, 2], 2),      # pooled 26 into 12
        ([26, 13, 6, 2], 3),      # floor instead of ceil for 'same'
        ([26, 13, 13, 6], 3),     # stride ignored
        ([26, 13, 7, 2], 4),      # (7 - 3) / 2 without the + 1
        ([26, 13, 7, 4], 4),      # ceil for valid
        ([26, 13, 7, 3.0], 4),    # a float
        ([26.0, 13.0, 7.0, 3.0], 1),
        ([26, 13, 7.5, 3], 3),
        ([True, 13, 7, 3], 1),
    ],
)
def test_stack_sizes_rejects_plausible_mistakes(answer, layer, capsys):
    result = convolution.check_stack_sizes(answer)
    assert result.status is Status.WRONG and "Hint" in str(result) and f"layer {layer}" in str(result)


@pytest.mark.parametrize("answer", MALFORMED + [[26, 13, 7], [26, 13, 7, 3, 1], 3])
def test_stack_sizes_survives_malformed_answers(answer, capsys):
    assert convolution.check_stack_sizes(answer).status in (Status.WRONG, Status.NOT_ATTEMPTED)


# --------------------------------------------------- exercise 3: input gradient


def test_reference_input_gradient_matches_the_layer():
    rng = np.random.default_rng(0)
    x, kernel = rng.normal(size=(1, 5, 6, 1)), rng.normal(size=(3, 2, 1, 1))
    _, cache = conv.conv2d_forward(x, kernel)
    delta = rng.normal(size=(1, 3, 5, 1))
    np.testing.assert_allclose(convolution.reference_input_gradient(delta[0, :, :, 0], kernel[:, :, 0, 0]),
                               conv.conv2d_backward(delta, cache)["x"][0, :, :, 0])


def _full_convolution(delta, kernel):
    """The input gradient written as a 'full' convolution with the flipped kernel: right."""
    from scipy import signal

    return signal.convolve2d(delta, kernel, mode="full")


def _assignment(delta, kernel):
    """= instead of +=: overlapping windows overwrite each other."""
    (oh, ow), (kh, kw) = delta.shape, kernel.shape
    dx = np.zeros((oh + kh - 1, ow + kw - 1))
    for i in range(oh):
        for j in range(ow):
            dx[i:i + kh, j:j + kw] = delta[i, j] * kernel
    return dx


def _output_shape(delta, kernel):
    """Sized like the output, not the input."""
    return convolution.reference_input_gradient(delta, kernel)[: delta.shape[0], : delta.shape[1]]


def _transposed(delta, kernel):
    """The kernel transposed (rows for columns)."""
    return convolution.reference_input_gradient(delta, kernel.T)


def _off_by_one(delta, kernel):
    (oh, ow), (kh, kw) = delta.shape, kernel.shape
    dx = np.zeros((oh + kh - 1, ow + kw - 1))
    for i in range(oh):
        for j in range(ow):
            dx[i:i + kh - 1, j:j + kw - 1] += delta[i, j] * kernel[:-1, :-1]
    return dx


def _in_place(delta, kernel):
    delta *= 0  # spoils the caller's array
    return convolution.reference_input_gradient(delta, kernel)


@pytest.mark.parametrize("answer", [convolution.reference_input_gradient, _full_convolution,
                                    lambda d, k: convolution.reference_input_gradient(d, k).tolist()])
def test_input_gradient_accepts_right_answers(answer, capsys):
    assert convolution.check_input_gradient(answer).passed


@pytest.mark.parametrize("answer", [
    lambda d, k: convolution.reference_input_gradient(d, k[::-1, ::-1]),  # flipped kernel
    lambda d, k: _full_convolution(d, k[::-1, ::-1]),                      # correlation 'full'
    _assignment, _output_shape, _transposed, _off_by_one, _in_place,
    lambda d, k: convolution.reference_input_gradient(d, k) * d.size,      # an extra factor
    lambda d, k: convolution.reference_input_gradient(np.ones_like(d), k),  # delta ignored
])
def test_input_gradient_rejects_plausible_mistakes(answer, capsys):
    result = convolution.check_input_gradient(answer)
    assert result.status is Status.WRONG and "Hint" in str(result)


def _stub(*args):
    raise NotImplementedError


@pytest.mark.parametrize("answer", [None, ..., "dx", 3, _stub, lambda d, k: None, lambda d, k: 1 / 0,
                                    lambda d: d, lambda d, k: np.full((3, 3), np.nan),
                                    lambda d, k: (v for v in d), lambda d, k: 10**400])
def test_input_gradient_survives_malformed_answers(answer, capsys):
    result = convolution.check_input_gradient(answer)
    assert result.status in (Status.WRONG, Status.CRASHED, Status.NOT_ATTEMPTED)


# ------------------------------------------------------ exercise 5: learn a mask


def test_mask_examples_are_valid_correlations():
    images, targets = convolution.mask_examples(2, 6, seed=3)
    assert images.shape == (2, 6, 6, 1) and targets.shape == (2, 4, 4, 1)
    assert images.dtype == targets.dtype == np.float32


def _true_mask(images, targets):
    """Least squares on the 3x3 windows: the exact mask (a right answer, without training)."""
    windows = np.lib.stride_tricks.sliding_window_view(images[..., 0], (3, 3), axis=(1, 2))
    solution = np.linalg.lstsq(windows.reshape(-1, 9), targets.reshape(-1), rcond=None)[0]
    return solution.reshape(3, 3)


@pytest.mark.parametrize("answer", [_true_mask, lambda i, t: _true_mask(i, t)[:, :, None, None],
                                    lambda i, t: _true_mask(i, t).tolist(),
                                    lambda i, t: _true_mask(i, t).astype(np.float32)])
def test_learned_mask_accepts_right_answers(answer, capsys):
    result = convolution.check_learned_mask(answer)
    assert result.passed and "≈" in str(result)


@pytest.mark.parametrize("answer, words", [
    (lambda i, t: _true_mask(i, t)[::-1, ::-1], "half a turn"),      # flipped for a convolution
    (lambda i, t: _true_mask(i, t) * 0.9, "above the target"),       # not converged
    (lambda i, t: _true_mask(i, t).T, "above the target"),          # transposed
    (lambda i, t: np.zeros((3, 3)), "above the target"),
    (lambda i, t: np.ones((2, 2)), "3x3"),
    (lambda i, t: np.full((3, 3), np.nan), "NaN"),
    (lambda i, t: np.full((3, 3), 1e300), "overflow"),
])
def test_learned_mask_rejects_mistakes_with_a_hint(answer, words, capsys):
    result = convolution.check_learned_mask(answer)
    assert result.status is Status.WRONG and "Hint" in str(result) and words in str(result)


def test_learned_mask_by_training(capsys):
    keras = runtime.import_tensorflow() and __import__("keras")

    def learn_mask(images, targets, epochs=15):
        layer = keras.layers.Conv2D(1, 3, use_bias=False)
        model = keras.Sequential([keras.Input(images.shape[1:]), layer])
        model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
        model.fit(images, targets, epochs=epochs, batch_size=1, verbose=0)
        return layer.get_weights()[0][:, :, 0, 0]

    assert convolution.check_learned_mask(learn_mask).passed
    assert convolution.check_learned_mask(lambda i, t: learn_mask(i, t, epochs=1)).status is Status.WRONG


@pytest.mark.parametrize("answer", [None, ..., "mask", 3, _stub, lambda i, t: None, lambda i, t: 1 / 0,
                                    lambda i: i, lambda i, t: "mask", lambda i, t: (v for v in range(9)),
                                    lambda i, t: 10**400, lambda i, t: [[1, 2, 3]] * 2 + [["a", 1, 1]]])
def test_learned_mask_survives_malformed_answers(answer, capsys):
    result = convolution.check_learned_mask(answer)
    assert result.status in (Status.WRONG, Status.CRASHED, Status.NOT_ATTEMPTED)

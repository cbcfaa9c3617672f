"""Notebook 03's exercise checks: right answers pass; a real student's wrong ones fail
with a hint; malformed answers never crash the check. Also: the backward pass the
notebook writes out layer by layer equals ``scratch.MLP``'s."""

import math

import numpy as np
import pytest
from conftest import notebook_definitions

from course_lib import data, scratch
from course_lib.checks import Status
from course_lib.exercises import backpropagation as ex03

MALFORMED = [None, ..., "13", [13], float("nan"), float("inf"), 10**400, object(), lambda: 13,
             (x for x in [13]), np.array([13.0, 13.0])]


def _wrong(result):
    return result.status is Status.WRONG and "Hint" in str(result)


# ------------------------------------------------------------------ exercise 1: two paths


@pytest.mark.parametrize("answer", [13, 13.0, np.float32(13), np.int64(13), np.array(13.0)])
def test_two_paths_accepts_every_form_of_13(answer, capsys):
    assert ex03.check_two_paths(answer).passed


@pytest.mark.parametrize("answer, words", [
    (7, "direct path"),        # only c = b * x with b held fixed
    (6, "path through a"),     # only the path through a
    (14, "c itself"),          # c, not its derivative
    (12, "z * x"),             # d(x**2 y)/dx, z forgotten
    (12.9, "too small"), (14.5, "too large"), (True, "boolean"),
])
def test_two_paths_rejects_plausible_mistakes(answer, words, capsys):
    result = ex03.check_two_paths(answer)
    assert _wrong(result) and words in str(result)


@pytest.mark.parametrize("answer", MALFORMED)
def test_value_checks_never_crash_on_malformed_answers(answer, capsys):
    for check in (ex03.check_two_paths, ex03.check_linear_xor_loss):
        assert check(answer).status in (Status.WRONG, Status.NOT_ATTEMPTED)


# ------------------------------------------------------------------ exercise 2: XOR gradients


def right(X, t, W1, b1, W2, b2):
    h = np.tanh(X @ W1 + b1)
    y = scratch.sigmoid(h @ W2 + b2)
    delta2 = (y - t) / len(X)
    delta1 = (delta2 @ W2.T) * (1 - h**2)
    return X.T @ delta1, delta1.sum(axis=0), h.T @ delta2, delta2.sum(axis=0)


def right_as_lists(*args):
    return [g.tolist() for g in right(*args)]


def right_through_the_loss_derivative(X, t, W1, b1, W2, b2):
    a1 = X @ W1 + b1
    h = np.tanh(a1)
    y = scratch.sigmoid(h @ W2 + b2)
    d_y = (y - t) / (y * (1 - y)) / len(X)           # dL/dy, then sigma'(a2)
    delta2 = d_y * y * (1 - y)
    delta1 = delta2 @ W2.T / np.cosh(a1) ** 2
    return X.T @ delta1, np.sum(delta1, 0), h.T @ delta2, np.sum(delta2, 0)


def _slip(change):
    def student(X, t, W1, b1, W2, b2):
        a1 = X @ W1 + b1
        h = np.tanh(a1)
        y = scratch.sigmoid(h @ W2 + b2)
        return change(X, t, W1, W2, a1, h, y)
    return student


def _backward(X, W2, h, delta2, slope):
    delta1 = (delta2 @ W2.T) * slope
    return X.T @ delta1, delta1.sum(axis=0), h.T @ delta2, delta2.sum(axis=0)


MISTAKES = {
    "sum instead of mean": (_slip(lambda X, t, W1, W2, a1, h, y: _backward(X, W2, h, y - t, 1 - h**2)),
                            "mean over the n"),
    "extra sigmoid'": (_slip(lambda X, t, W1, W2, a1, h, y: _backward(
        X, W2, h, (y - t) * y * (1 - y) / len(X), 1 - h**2)), "cancels"),
    "tanh' of a, not of h": (_slip(lambda X, t, W1, W2, a1, h, y: _backward(
        X, W2, h, (y - t) / len(X), 1 - a1**2)), "1 - h**2"),
    "hidden derivative missing": (_slip(lambda X, t, W1, W2, a1, h, y: _backward(
        X, W2, h, (y - t) / len(X), 1.0)), "tanh'(a1)"),
    "sigmoid' in the hidden layer": (_slip(lambda X, t, W1, W2, a1, h, y: _backward(
        X, W2, h, (y - t) / len(X), scratch.sigmoid(a1) * (1 - scratch.sigmoid(a1)))), "uses tanh"),
    "sign reversed": (lambda *args: tuple(-g for g in right(*args)), "sign is reversed"),
    "bias gradient as a mean": (lambda *args: tuple(g / len(args[0]) if i % 2 else g
                                                    for i, g in enumerate(right(*args))), "sum the error"),
}


@pytest.mark.parametrize("answer", [right, right_as_lists, right_through_the_loss_derivative])
def test_xor_gradients_accepts_right_answers(answer, capsys):
    assert ex03.check_xor_gradients(answer).passed


@pytest.mark.parametrize("name", list(MISTAKES))
def test_xor_gradients_names_each_mistake(name, capsys):
    student, words = MISTAKES[name]
    result = ex03.check_xor_gradients(student)
    assert _wrong(result) and words in str(result), str(result)


def test_xor_gradients_rejects_other_wrong_shapes(capsys):
    transposed = lambda *a: tuple(g.T for g in right(*a))  # noqa: E731
    keepdims_bias = lambda *a: tuple(g[None, :] if g.ndim == 1 else g for g in right(*a))  # noqa: E731
    swapped = lambda *a: right(*a)[2:] + right(*a)[:2]  # noqa: E731
    three = lambda *a: right(*a)[:3]  # noqa: E731
    for student in (transposed, keepdims_bias, swapped, three, lambda *a: 0):
        assert _wrong(ex03.check_xor_gradients(student))


def test_xor_gradients_stub_crash_and_malformed(capsys):
    def stub(*args):
        raise NotImplementedError

    assert ex03.check_xor_gradients(stub).status is Status.NOT_ATTEMPTED
    assert ex03.check_xor_gradients(lambda *a: 1 / 0).status is Status.CRASHED
    assert ex03.check_xor_gradients(lambda *a: None).status is Status.NOT_ATTEMPTED  # no return yet
    assert ex03.check_xor_gradients(lambda *a: None).status is Status.NOT_ATTEMPTED  # a body without return
    for answer in (None, ..., "f", 13, np.ones(3)):
        assert ex03.check_xor_gradients(answer).status in (Status.WRONG, Status.NOT_ATTEMPTED)


def test_reference_xor_gradients_match_finite_differences():
    args = ex03._xor_cases()[1][0]
    X, t, *weights = args

    def loss(w):
        h = np.tanh(X @ w[0] + w[1])
        y = scratch.sigmoid(h @ w[2] + w[3])
        return float(-np.mean(t * np.log(y) + (1 - t) * np.log(1 - y)))

    grads = list(ex03.reference_xor_gradients(*args))
    assert scratch.gradient_check(loss, weights, grads) < 1e-7


# ------------------------------------------------------------------ exercise 3: linear XOR loss


@pytest.mark.parametrize("answer", [0.69, math.log(2), np.float64(0.693), np.array(0.7), 0.7])
def test_linear_xor_loss_accepts_ln2(answer, capsys):
    assert ex03.check_linear_xor_loss(answer).passed


@pytest.mark.parametrize("answer, words", [
    (0, "certainty"), (1.0, "natural logarithm"), (0.5, "-ln(0.5)"), (0.25, "squared error"),
    (0.6, "too small"), (1.39, "too large"),
])
def test_linear_xor_loss_rejects_plausible_mistakes(answer, words, capsys):
    result = ex03.check_linear_xor_loss(answer)
    assert _wrong(result) and words in str(result)


# ------------------------------------------------------------------ exercise 4: checkerboard


def test_checkerboard_accepts_the_notebook_solution(capsys):
    result = ex03.check_checkerboard([2, 10, 10, 1], "tanh", 0.5, 16, 100)
    assert result.passed and "≈" in str(result)
    assert ex03.check_checkerboard(np.array([2, 10, 10, 1]), "tanh", np.float32(0.5), np.int64(16),
                                   np.array(100)).passed


@pytest.mark.parametrize("settings, words", [
    (([2, 10, 10, 1], "linear", 0.5, 16, 80), "linear"),             # no non-linearity
    (([2, 4, 1], "tanh", 0.5, 16, 80), "second hidden layer"),        # one hidden layer
    (([2, 10, 10, 1], "tanh", 1e-5, 16, 80), "learned nothing"),      # learning rate too small
    (([2, 30, 30, 1], "tanh", 0.5, 16, 80), "parameters"),            # too many parameters
    (([2, 10, 10, 1], "tanh", 0.5, 16, 101), "num_epochs"),           # over the epoch budget
    (([2, 10, 10, 1], "tanh", 0.5, 4, 80), "batch_size"),             # batches too small
    (([2, 10, 10, 2], "tanh", 0.5, 16, 80), "end with"),              # two outputs
    (([2, 10, 10, 1], "softmax", 0.5, 16, 80), "activation"),
    (([2, 10.5, 1], "tanh", 0.5, 16, 80), "whole number"),
    (([2, 10, 10, 1], "tanh", 0.5, 16, 80.0), "num_epochs"),           # a float epoch count
    (([2, 10, 10, 1], "tanh", -0.5, 16, 80), "learning_rate"),
    (([2, 10, 10, 1], "tanh", float("nan"), 16, 80), "learning_rate"),
])
def test_checkerboard_rejects_bad_settings(settings, words, capsys):
    result = ex03.check_checkerboard(*settings)
    assert _wrong(result) and words in str(result), str(result)


def test_checkerboard_not_attempted_and_malformed(capsys):
    assert ex03.check_checkerboard(..., ..., ..., ..., ...).status is Status.NOT_ATTEMPTED
    assert ex03.check_checkerboard([2, 8, 1], "tanh", 0.5, ..., 10).status is Status.NOT_ATTEMPTED
    for bad in ("2, 8, 1", None, 5, [2], [2, "a", 1], [2, -3, 1], [2, 10**400, 1], object()):
        assert ex03.check_checkerboard(bad, "tanh", 0.5, 16, 10).status in (Status.WRONG, Status.NOT_ATTEMPTED)


def test_checkerboard_data_is_exact_and_balanced():
    X, t = data.checkerboard(200, cells=2, seed=3)
    assert X.shape == (200, 2) and t.shape == (200, 1)
    assert np.array_equal(t[:, 0], ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(float))  # cells=2 is XOR
    _, t9 = data.checkerboard(**ex03.CHECKERBOARD_TRAIN)
    assert 0.4 < t9.mean() < 0.6


# ------------------------------------------------------------------ lesson code in view


def test_notebook_backward_pass_is_scratch_mlp():
    found = notebook_definitions("03_backpropagation", "forward_3_layers", "backward_3_layers")
    for function in found.values():
        function.__globals__["scratch"] = scratch
    rng = np.random.default_rng(4)
    net = scratch.MLP([3, 8, 6, 1], hidden_activation="sigmoid", output_activation="sigmoid", loss="mse", seed=2)
    X, t = rng.normal(size=(7, 3)), rng.uniform(size=(7, 1))
    weights = net.get_weights()
    ours = found["backward_3_layers"](X, t, weights, *found["forward_3_layers"](X, weights))
    theirs = [g for pair in net.loss_and_gradients(X, t)[1] for g in pair]
    for g, h in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(g, h, rtol=1e-10, atol=1e-14)

"""Notebook 02's exercise checks: right answers pass; a real student's wrong ones fail
with a hint; malformed answers never crash the check."""

import numpy as np
import pytest

from course_lib import scratch
from course_lib.checks import Status
from course_lib.exercises import perceptron as ex02
from course_lib.scratch import activations as act

NOT_PASSED = (Status.WRONG, Status.NOT_ATTEMPTED, Status.CRASHED)


def stub(*args):
    raise NotImplementedError


# ------------------------------------------------------------------ softmax backward


def vector_jacobian(grad_p, p):
    return p * (grad_p - (grad_p * p).sum(axis=1, keepdims=True))


def through_the_jacobian(grad_p, p):
    jacobians = np.einsum("nj,jk->njk", p, np.eye(p.shape[1])) - p[:, :, None] * p[:, None, :]
    return np.einsum("nj,njk->nk", grad_p, jacobians)


def row_by_row_list(grad_p, p):
    return [list(row_p * (row_g - row_g @ row_p)) for row_g, row_p in zip(grad_p, p, strict=True)]


@pytest.mark.parametrize("answer", [vector_jacobian, through_the_jacobian, row_by_row_list])
def test_softmax_backward_accepts_right_answers(answer, capsys):
    assert ex02.check_softmax_backward(answer).passed


def returns_the_jacobian(grad_p, p):
    return np.einsum("nj,jk->njk", p, np.eye(p.shape[1])) - p[:, :, None] * p[:, None, :]


def sums_over_the_batch(grad_p, p):
    return p * (grad_p - (grad_p * p).sum(axis=0, keepdims=True))


def diagonal_only(grad_p, p):                      # forgets the off-diagonal terms
    return grad_p * p * (1 - p)


def missing_p_factor(grad_p, p):
    return grad_p - (grad_p * p).sum(axis=1, keepdims=True)


def in_place(grad_p, p):
    grad_p -= (grad_p * p).sum(axis=1, keepdims=True)
    return p * grad_p


def sign_flipped(grad_p, p):
    return p * ((grad_p * p).sum(axis=1, keepdims=True) - grad_p)


@pytest.mark.parametrize(
    "answer, words",
    [
        (returns_the_jacobian, "Jacobian"),
        (sums_over_the_batch, ""),
        (diagonal_only, ""),
        (missing_p_factor, ""),
        (in_place, "in place"),
        (sign_flipped, ""),
        (lambda g, p: str(vector_jacobian(g, p)), "text"),
        (lambda g, p: (row for row in vector_jacobian(g, p)), "generator"),
        (lambda g, p: np.full_like(p, np.nan), "NaN"),
    ],
)
def test_softmax_backward_rejects_mistakes_with_a_hint(answer, words, capsys):
    result = ex02.check_softmax_backward(answer)
    assert result.status is Status.WRONG and "Hint" in str(result) and words in str(result)


@pytest.mark.parametrize("answer", [None, ..., 3, "softmax", stub, lambda g, p: None, lambda g, p: 1 / 0,
                                    lambda g: g])
def test_softmax_backward_survives_malformed_answers(answer, capsys):
    assert ex02.check_softmax_backward(answer).status in NOT_PASSED


def test_softmax_backward_reference_is_the_jacobian_product():
    p = act.softmax(np.array([[2.0, 1.0, 0.1]]))
    g = np.array([[0.3, -1.0, 2.0]])
    np.testing.assert_allclose(vector_jacobian(g, p), through_the_jacobian(g, p))


# -------------------------------------------------------------- one epoch by hand


def test_first_epoch_reference_follows_the_rule():
    w, b = np.zeros(2), 0.0
    X, t = scratch.boolean_gate("OR")
    for x, target in zip(X, t, strict=True):
        w, b, _ = scratch.perceptron_update(w, b, x, int(target), 1.0)
    assert ex02.first_epoch_weights() == (*w, b) == (0.0, 1.0, 0.0)
    assert ex02.first_epoch_weights(strict=True) == (0.0, 1.0, 1.0)


@pytest.mark.parametrize("answer", [(0, 1, 0), (0.0, 1.0, 0.0), [0, 1, 0], np.array([0.0, 1.0, 0.0]),
                                    (np.float32(0), np.int64(1), np.array(0.0))])
def test_first_epoch_accepts_right_answers(answer, capsys):
    assert ex02.check_first_epoch(answer).passed


@pytest.mark.parametrize(
    "answer, words",
    [
        ((0, 1, 1), "a = 0"),          # predicts 0 at a = 0
        ((0, 0, 0), "move"),           # thinks nothing changes
        ((1, 1, 0), ""),
        ((0, 1, -1), ""),              # stops after the first example
        ((1, 0, 0), ""),               # the weights swapped
        ((0, 1), "three"),
        ((0, 1, 0, 0), "three"),
        ("0, 1, 0", "three numbers"),
        ((0, "1", 0), "w2"),
        ((0, float("nan"), 0), "w2"),
        ((10**400, 1, 0), "w1"),
        ((True, 1, 0), "w1"),
        (np.zeros((3, 1)), "three"),
    ],
)
def test_first_epoch_rejects_mistakes_with_a_hint(answer, words, capsys):
    result = ex02.check_first_epoch(answer)
    assert result.status is Status.WRONG and "Hint" in str(result) and words in str(result)


@pytest.mark.parametrize("answer", [None, ..., 3, object(), lambda: (0, 1, 0), (v for v in (0, 1, 0)), {}])
def test_first_epoch_survives_malformed_answers(answer, capsys):
    assert ex02.check_first_epoch(answer).status in (Status.WRONG, Status.NOT_ATTEMPTED)


# ------------------------------------------------------------------ far-away points


def clouds(n, seed, offset=20.0):
    t = np.arange(n) % 2
    centres = np.where(t[:, None] == 1, [0.5, 2.5], [2.5, 1.0])
    return centres + np.random.default_rng(seed).normal(scale=0.5, size=(n, 2)) + offset, t


TRAIN, NEW = clouds(100, 0), clouds(200, 1)
MEAN, STD = TRAIN[0].mean(axis=0), TRAIN[0].std(axis=0)


@pytest.mark.parametrize(
    "prepare",
    [lambda X: (X - MEAN) / STD, lambda X: X - MEAN, lambda X: X - X.mean(axis=0),
     lambda X: (X - MEAN).tolist()],
)
def test_prepared_perceptron_accepts_centred_inputs(prepare, capsys):
    result = ex02.check_prepared_perceptron(prepare, TRAIN, NEW)
    assert result.passed and "≈" in str(result)


def centres_in_place(X):
    X -= MEAN
    return X


@pytest.mark.parametrize(
    "prepare, words",
    [
        (lambda X: X, "mistakes"),                         # nothing changed
        (lambda X: X / 100, "mistakes"),                   # scaling alone keeps R / gamma
        (lambda X: X / STD, "mistakes"),
        (lambda X: X - MEAN if len(X) == 100 else X, "new points"),   # new points left far away
        (centres_in_place, "in place"),
        (lambda X: (X - MEAN)[:10], "shape"),
        (lambda X: None, "None"),
        (lambda X: "centred", "text"),
        (lambda X: np.full_like(X, np.nan), "NaN"),
        (lambda X: 1e13 * (X - MEAN), "1e12"),
        (lambda X: (X - MEAN)[:, :1] if len(X) == 200 else X - MEAN, "columns"),
    ],
)
def test_prepared_perceptron_rejects_mistakes_with_a_hint(prepare, words, capsys):
    result = ex02.check_prepared_perceptron(prepare, TRAIN, NEW)
    assert result.status is Status.WRONG and "Hint" in str(result) and words in str(result)


@pytest.mark.parametrize("prepare", [None, ..., 3, "prepare", stub, lambda X: 1 / 0, lambda: 1])
def test_prepared_perceptron_survives_malformed_answers(prepare, capsys):
    assert ex02.check_prepared_perceptron(prepare, TRAIN, NEW).status in NOT_PASSED


def test_prepared_perceptron_validates_the_notebook_data():
    with pytest.raises((TypeError, ValueError)):
        ex02.check_prepared_perceptron(lambda X: X, (TRAIN[0], TRAIN[1] * 2 - 1), NEW)
    with pytest.raises((TypeError, ValueError)):
        ex02.check_prepared_perceptron(lambda X: X, TRAIN, (NEW[0],))


# ------------------------------------------------------------------ fixed targets

X_NEAR, CLASSES = clouds(100, 0, offset=0.0)
SIGNED = np.where(CLASSES == 1, 1.0, -1.0)


@pytest.mark.parametrize(
    "answer",
    [CLASSES, (SIGNED > 0).astype(int), (SIGNED + 1) / 2, ((SIGNED + 1) // 2).tolist(),
     np.where(SIGNED == 1, 1, 0).astype(np.int32)],
)
def test_fixed_targets_accepts_zero_one_targets(answer, capsys):
    result = ex02.check_fixed_targets(answer, X_NEAR, CLASSES)
    assert result.passed


@pytest.mark.parametrize(
    "answer, words",
    [
        (SIGNED, "-1"),                    # the classmate's targets, unchanged
        (1 - CLASSES, "swap"),             # classes swapped
        (np.zeros(100), "do not match"),
        (CLASSES[:-1], "shape"),
        (CLASSES[None, :], "shape"),
        (SIGNED * 2, "values"),
        ("CLASSES", "text"),
        (np.full(100, np.nan), "NaN"),
        ((v for v in CLASSES), "generator"),
    ],
)
def test_fixed_targets_rejects_mistakes_with_a_hint(answer, words, capsys):
    result = ex02.check_fixed_targets(answer, X_NEAR, CLASSES)
    assert result.status is Status.WRONG and "Hint" in str(result) and words in str(result)


@pytest.mark.parametrize("answer", [None, ..., 3, object(), lambda: CLASSES, 10**400, True])
def test_fixed_targets_survives_malformed_answers(answer, capsys):
    assert ex02.check_fixed_targets(answer, X_NEAR, CLASSES).status in (Status.WRONG, Status.NOT_ATTEMPTED)

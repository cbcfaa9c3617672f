"""Notebook 01's exercise checks: right answers pass; a real student's wrong ones fail
with a hint; malformed answers never crash the check."""

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier

from course_lib.checks import Status
from course_lib.exercises import learning_from_data as ex01

NOT_PASSED = (Status.WRONG, Status.NOT_ATTEMPTED, Status.CRASHED)

# ------------------------------------------------------------------ nearest neighbour


def broadcast(X_train, y_train, X_query):
    d = ((X_query[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=-1)
    return y_train[d.argmin(axis=1)]


def loop(X_train, y_train, X_query):
    return [int(y_train[np.argmin(np.linalg.norm(X_train - q, axis=1))]) for q in X_query]


def with_sklearn(X_train, y_train, X_query):
    return KNeighborsClassifier(n_neighbors=1).fit(X_train, y_train).predict(X_query)


@pytest.mark.parametrize("answer", [broadcast, loop, with_sklearn])
def test_nearest_neighbour_accepts_right_answers(answer, capsys):
    assert ex01.check_nearest_neighbour(answer).passed


def city_block(X_train, y_train, X_query):
    d = np.abs(X_query[:, None, :] - X_train[None, :, :]).sum(axis=-1)
    return y_train[d.argmin(axis=1)]


def returns_indices(X_train, y_train, X_query):
    d = ((X_query[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=-1)
    return d.argmin(axis=1)


def wrong_axis(X_train, y_train, X_query):
    d = ((X_query[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=-1)
    return y_train[d.argmin(axis=0)]


def farthest(X_train, y_train, X_query):
    d = ((X_query[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=-1)
    return y_train[d.argmax(axis=1)]


def sums_the_wrong_axis(X_train, y_train, X_query):
    d = ((X_query[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=1)
    return y_train[d.argmin(axis=1) % len(y_train)]


def centres_in_place(X_train, y_train, X_query):
    X_train -= X_train.mean(axis=0)
    X_query -= X_query.mean(axis=0)
    return broadcast(X_train, y_train, X_query)


def one_label_per_training_point(X_train, y_train, X_query):
    d = ((X_query[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=-1)
    return y_train[d.argmin(axis=0) % len(y_train)][: len(X_train)]


@pytest.mark.parametrize(
    "answer, words",
    [
        (city_block, "query"),
        (returns_indices, "query"),
        (wrong_axis, ""),
        (farthest, "query"),
        (sums_the_wrong_axis, ""),
        (centres_in_place, "in place"),
        (one_label_per_training_point, "shape"),
        (lambda X_train, y_train, X_query: str(broadcast(X_train, y_train, X_query)), "text"),
        (lambda X_train, y_train, X_query: (v for v in broadcast(X_train, y_train, X_query)), "generator"),
    ],
)
def test_nearest_neighbour_rejects_mistakes_with_a_hint(answer, words, capsys):
    result = ex01.check_nearest_neighbour(answer)
    assert result.status is Status.WRONG and "Hint" in str(result)
    assert words in str(result)


def stub(*args):
    raise NotImplementedError


@pytest.mark.parametrize("answer", [None, ..., 3, "knn", stub, lambda *a: None, lambda *a: 1 / 0,
                                    lambda X: X, lambda *a: float("nan")])
def test_nearest_neighbour_survives_malformed_answers(answer, capsys):
    assert ex01.check_nearest_neighbour(answer).status in NOT_PASSED


# ----------------------------------------------------------- separable labellings


def test_the_square_has_fourteen_separable_labellings():
    assert ex01.separable_labellings_of_square() == 14


@pytest.mark.parametrize("answer", [14, np.int64(14), np.array(14)])
def test_separable_labellings_accepts_whole_numbers(answer, capsys):
    assert ex01.check_separable_labellings(answer).passed


@pytest.mark.parametrize(
    "answer, words",
    [(16, "not every"), (8, "bias"), (2, "not separable"), (15, "too large"), (13, "too small"),
     (14.0, "whole"), (14.5, "whole"), (True, "boolean")],
)
def test_separable_labellings_rejects_mistakes_with_a_hint(answer, words, capsys):
    result = ex01.check_separable_labellings(answer)
    assert result.status is Status.WRONG and "Hint" in str(result) and words in str(result)


@pytest.mark.parametrize("answer", [None, ..., "14", [14], float("nan"), 10**400, object(), lambda: 14,
                                    (n for n in [14])])
def test_separable_labellings_survives_malformed_answers(answer, capsys):
    assert ex01.check_separable_labellings(answer).status in (Status.WRONG, Status.NOT_ATTEMPTED)


# -------------------------------------------------------------------------- features


@pytest.mark.parametrize(
    "answer",
    [
        lambda X: (X[:, 0] * X[:, 1])[:, None],
        lambda X: X[:, 0] * X[:, 1],                              # one column, as a vector
        lambda X: np.sign(X[:, :1] * X[:, 1:]),
        lambda X: np.stack([X[:, 0] * X[:, 1], X[:, 0] + X[:, 1]], axis=1),
        lambda X: (X[:, 0] * X[:, 1]).reshape(-1, 1).tolist(),
    ],
)
def test_xor_features_accepts_features_that_separate(answer, capsys):
    result = ex01.check_xor_features(answer)
    assert result.passed and "≈" in str(result)


def centres_in_place_features(X):
    X -= 1.0
    return X[:, :1] * X[:, 1:]


@pytest.mark.parametrize(
    "answer, words",
    [
        (lambda X: X, "below"),                                        # the raw points: not separable
        (lambda X: X**2, "below"),                                     # squares lose the sign
        (lambda X: X[:, :1] + X[:, 1:], "below"),
        (lambda X: np.stack([X[:, 0] ** 2, X[:, 0] * X[:, 1], X[:, 1] ** 2], axis=1), "at most 2"),
        (centres_in_place_features, "in place"),
        (lambda X: (X[:, 0] * X[:, 1])[:1, None], "one row per point"),
        (lambda X: None, "None"),
        (lambda X: "x1 * x2", "text"),
        (lambda X: np.full((len(X), 1), np.nan), "NaN"),
        (lambda X: 1e9 * X[:, :1] * X[:, 1:], "million"),
        (lambda X: X[:, :1] * X[:, 1:] if len(X) == 200 else X, "different numbers"),
    ],
)
def test_xor_features_rejects_mistakes_with_a_hint(answer, words, capsys):
    result = ex01.check_xor_features(answer)
    assert result.status is Status.WRONG and "Hint" in str(result) and words in str(result)


@pytest.mark.parametrize("answer", [None, ..., 3, "features", stub, lambda X: 1 / 0, lambda: 1])
def test_xor_features_survives_malformed_answers(answer, capsys):
    assert ex01.check_xor_features(answer).status in NOT_PASSED

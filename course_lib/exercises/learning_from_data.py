"""Exercise checks for notebook 01, learning from data."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import data, geometry, validate
from ..checks import (
    Case,
    CheckResult,
    Status,
    _crash,
    check_function,
)
from ..outcomes import approx
from ._answers import _kind_problem, _point_features, _watch_inputs
from .common import as_count, not_filled, result

# ------------------------------------------------------------------ nearest neighbour


def _reference_nearest(X_train: np.ndarray, y_train: np.ndarray, X_query: np.ndarray) -> np.ndarray:
    distances = ((X_query[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=-1)
    return y_train[distances.argmin(axis=1)]


def _nearest_cases() -> list[Case]:
    rng = np.random.default_rng(11)
    cases = [
        # the Euclidean neighbour of (0, 0) is (2, 2); with |dx| + |dy| it would be (0, 3)
        Case(args=(np.array([[0.0, 3.0], [2.0, 2.0]]), np.array([4, 7]), np.array([[0.0, 0.0]])),
             expected=np.array([7]), label="a query whose Euclidean and city-block neighbours differ"),
        # a query equal to a training point answers that point's label
        Case(args=(np.array([[1.0, 1.0], [5.0, 5.0], [9.0, 9.0]]), np.array([3, 8, 5]),
                   np.array([[5.0, 5.0], [8.0, 9.5], [0.0, 2.0], [6.0, 6.0]])),
             expected=np.array([8, 5, 3, 8]), label="4 queries near 3 training points labelled 3, 8, 5"),
    ]
    for n_train, n_query, dim in [(20, 7, 2), (50, 30, 10), (5, 12, 3)]:
        X_train = rng.normal(size=(n_train, dim))
        y_train = rng.integers(2, 9, size=n_train)
        X_query = rng.normal(size=(n_query, dim))
        cases.append(Case(args=(X_train, y_train, X_query),
                          expected=_reference_nearest(X_train, y_train, X_query),
                          label=f"{n_train} training points and {n_query} queries in {dim}-D"))
    return cases


def _compare_labels(expected: np.ndarray, got: Any) -> str | None:
    problem = _kind_problem(got, what="an array of labels")
    if problem:
        return problem
    got = np.asarray(got)
    if got.shape != expected.shape:
        hint = (" (one label per training point? take the minimum over the training points, "
                "for each query)") if got.ndim == 1 else ""
        return f"expected one label per query, shape {expected.shape}, got shape {got.shape}{hint}"
    if not np.array_equal(got, expected):
        where = int(np.argmax(got != expected))
        return (f"query {where}: expected label {expected[where]}, got {got[where]} "
                f"({int((got != expected).sum())} of {got.size} labels differ)")
    return None


def check_nearest_neighbour(
    func: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None,
) -> CheckResult:
    """``nearest_neighbour_predict(X_train, y_train, X_query)``: the label of each query's
    closest training point (Euclidean distance); ``(n, d), (n,), (m, d) -> (m,)``."""
    return check_function(
        _watch_inputs(func, ("X_train", "y_train", "X_query")) if callable(func) else func,
        _nearest_cases(),
        name="nearest_neighbour_predict",
        compare=_compare_labels,
        hint="build the (m, n) table of squared distances with broadcasting, "
        "X_query[:, None, :] - X_train[None, :, :], sum over the last axis, take argmin over "
        "the training points (axis=1) and return y_train at those positions, not the positions",
    )


# ----------------------------------------------------------- separable labellings


def separable_labellings_of_square() -> int:
    """How many of the 16 labellings of the unit square's corners a line (with bias) separates.

    Counted by testing each labelling with :func:`course_lib.geometry.is_linearly_separable`.
    """
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return sum(
        geometry.is_linearly_separable(corners, np.array(labels))
        for labels in itertools.product((0, 1), repeat=4)
    )


def check_separable_labellings(answer: Any) -> CheckResult:
    """Predict: how many labellings of the square's four corners a neuron with a bias realises."""
    name = "separable labellings of the square"
    hint = ("a line with a bias in the plane is a hyperplane through the origin in one more "
            "dimension; or draw the square and look for the labellings no line can produce")
    if not_filled(answer):
        return result(name, Status.NOT_ATTEMPTED,
                      "separable_labellings is not filled in yet: replace `...` with a whole "
                      "number and run the cell")
    count = as_count(answer)
    if isinstance(count, str):
        return result(name, Status.WRONG, f"{name}: {count}", hint)
    expected = separable_labellings_of_square()
    if count == expected:
        return result(name, Status.CORRECT,
                      f"{name}: {count} of the 16 is right, as the linear program finds")
    reasons = {
        16: "not every labelling is separable: try to separate (0, 0) and (1, 1) from the other two",
        8: "C(4, 2) = 8 counts lines through the origin; a bias adds one dimension",
        2: "that is how many labellings are not separable",
    }
    size = "too large" if count > expected else "too small"
    return result(name, Status.WRONG, f"{name}: {reasons.get(count, f'the count is {size}')}", hint)


# -------------------------------------------------------------------------- features

XOR_TRAIN = dict(n_samples=200, seed=0)
XOR_TEST = dict(n_samples=1000, seed=1)


def check_xor_features(
    features: Callable[[np.ndarray], np.ndarray] | None,
    *,
    max_features: int = 2,
    target: float = 0.95,
) -> CheckResult:
    """Model: a feature map with at most ``max_features`` columns that lets a linear
    classifier (logistic regression) reach ``target`` test accuracy on the XOR clusters.

    The classifier is fitted on ``data.make_2d("xor", 200, seed=0)`` and tested on 1,000
    fresh points (``seed=1``).
    """
    from sklearn.linear_model import LogisticRegression

    max_features = validate.count("max_features", max_features)
    target = validate.fraction("target", target)
    name = "features"
    hint = ("the class depends on whether x1 and x2 have the same sign; find a number, "
            "computed from x1 and x2, that is large for one class and small for the other")
    if not_filled(features):
        return result(name, Status.NOT_ATTEMPTED, "features is not written yet")
    if not callable(features):
        return result(name, Status.WRONG, f"features should be a function, got {type(features).__name__}",
                      "define it with `def features(X):` and return an (n, k) array")
    X_train, y_train = data.make_2d("xor", **XOR_TRAIN)
    X_test, y_test = data.make_2d("xor", **XOR_TEST)
    try:
        train_features = _point_features(features, X_train, "features(X_train)", column=True,
                                         what="an array of features")
        test_features = train_features if isinstance(train_features, str) else _point_features(
            features, X_test, "features(X_test)", column=True, what="an array of features")
    except NotImplementedError:
        return result(name, Status.NOT_ATTEMPTED,
                      "features is still the stub: write its body and run the cell again")
    except (Exception, SystemExit) as error:  # noqa: BLE001 - any student error becomes feedback
        return result(name, Status.CRASHED, _crash(error, "features(X)").message, hint)
    if isinstance(train_features, str) or isinstance(test_features, str):
        problem = train_features if isinstance(train_features, str) else test_features
        return result(name, Status.WRONG, str(problem), "return an (n, k) array of numbers")
    if train_features.shape[1] > max_features:
        return result(name, Status.WRONG,
                      f"your map makes {train_features.shape[1]} features; at most "
                      f"{max_features} are allowed", hint)
    if test_features.shape[1] != train_features.shape[1]:
        return result(name, Status.WRONG, "the training and test points get different numbers "
                      "of features", "compute the same columns for any X")
    if np.abs(train_features).max() > 1e6:
        return result(name, Status.WRONG, "some features exceed a million in size",
                      "keep the features on the scale of the data")
    classifier = LogisticRegression().fit(train_features, y_train)
    accuracy = float(classifier.score(test_features, y_test))
    if accuracy < target:
        return result(name, Status.WRONG,
                      f"a linear classifier on your features reaches {approx(accuracy)} on new "
                      f"points, below {target:.2f}", hint)
    return result(name, Status.CORRECT,
                  f"a linear classifier on your {train_features.shape[1]} feature"
                  f"{'s' * (train_features.shape[1] > 1)} reaches {approx(accuracy)} on "
                  f"{len(X_test):,} new points (target {target:.2f})")

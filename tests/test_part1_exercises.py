"""Part I exercise checks: the reference solutions pass; wrong, stub and crashing answers do not."""

import math

import numpy as np

from course_lib import scratch
from course_lib.checks import Status
from course_lib.exercises import learning_from_data as ex01
from course_lib.exercises import perceptron as ex02


def _crash(*args):
    return 1 / 0


def _stub(*args):
    raise NotImplementedError


# ---------------------------------------------------------------------- notebook 02


def test_sigmoid_derivative_check():
    assert ex02.check_sigmoid_derivative(scratch.sigmoid_derivative).passed
    assert ex02.check_sigmoid_derivative(scratch.sigmoid).status is Status.WRONG
    assert ex02.check_sigmoid_derivative(lambda a: scratch.sigmoid(a) * (1 + scratch.sigmoid(a))).status is Status.WRONG
    assert ex02.check_sigmoid_derivative(_stub).status is Status.NOT_ATTEMPTED
    assert ex02.check_sigmoid_derivative(_crash).status is Status.CRASHED


def test_perceptron_update_check():
    def reference(w, b, x, t, lr):
        return scratch.perceptron_update(w, b, x, t, lr)[:2]

    def always_update(w, b, x, t, lr):
        return w + lr * t * x, b + lr * t

    def strict_threshold(w, b, x, t, lr):  # predicts 1 only for a > 0
        y_hat = 1 if w @ x + b > 0 else 0
        return w + lr * (t - y_hat) * x, b + lr * (t - y_hat)

    assert ex02.check_perceptron_update(reference).passed
    assert ex02.check_perceptron_update(always_update).status is Status.WRONG
    assert ex02.check_perceptron_update(strict_threshold).status is Status.WRONG
    assert ex02.check_perceptron_update(lambda w, b, x, t, lr: w).status is Status.WRONG
    assert ex02.check_perceptron_update(_stub).status is Status.NOT_ATTEMPTED
    assert ex02.check_perceptron_update(_crash).status is Status.CRASHED


def test_gate_weights_check():
    assert ex02.check_gate_weights(1, 1, -0.5, gate="OR").passed
    assert ex02.check_gate_weights(1, 1, -1.5, gate="AND").passed
    assert ex02.check_gate_weights(1, 1, -1.5, gate="OR").status is Status.WRONG
    assert ex02.check_gate_weights(..., ..., ..., gate="OR").status is Status.NOT_ATTEMPTED
    assert ex02.check_gate_weights("a", [1, 2], None).status is Status.NOT_ATTEMPTED
    assert ex02.check_gate_weights("a", [1, 2], 0.5).status is Status.WRONG


def test_updates_per_epoch_check():
    assert ex02.check_updates_per_epoch(13).passed
    assert ex02.check_updates_per_epoch(12.5).status is Status.WRONG
    assert ex02.check_updates_per_epoch(...).status is Status.NOT_ATTEMPTED
    assert np.isclose(13, np.ceil(200 / 16))


# ---------------------------------------------------------------------- notebook 01


def test_mse_check():
    assert ex01.check_mse(lambda y, y_hat: np.mean((y - y_hat) ** 2)).passed
    assert ex01.check_mse(lambda y, y_hat: np.sum((y - y_hat) ** 2)).status is Status.WRONG
    assert ex01.check_mse(lambda y, y_hat: np.mean(np.abs(y - y_hat))).status is Status.WRONG
    assert ex01.check_mse(_stub).status is Status.NOT_ATTEMPTED
    assert ex01.check_mse(_crash).status is Status.CRASHED


def test_points_to_cover_check_compares_huge_integers_exactly():
    assert ex01.check_points_to_cover(lambda d: 10**d).passed
    assert ex01.check_points_to_cover(lambda d: 10 ** (d - 1)).status is Status.WRONG
    assert ex01.check_points_to_cover(lambda d: 10.0**d).status is Status.WRONG  # a float, not exact
    assert ex01.check_points_to_cover(lambda d: d * 10).status is Status.WRONG
    assert ex01.check_points_to_cover(lambda d: "10" * d).status is Status.WRONG
    assert ex01.check_points_to_cover(_stub).status is Status.NOT_ATTEMPTED


def test_cover_count_check():
    def reference(P, N):
        return 2 * sum(math.comb(P - 1, k) for k in range(N))

    assert ex01.check_cover_count(reference).passed
    assert ex01.check_cover_count(lambda P, N: 2 * sum(math.comb(P, k) for k in range(N))).status is Status.WRONG
    assert ex01.check_cover_count(lambda P, N: 2**P).status is Status.WRONG
    assert ex01.check_cover_count(_stub).status is Status.NOT_ATTEMPTED
    assert ex01.check_cover_count(_crash).status is Status.CRASHED


def test_quadratic_feature_count_check_matches_scikit_learn():
    from sklearn.preprocessing import PolynomialFeatures

    def from_sklearn(d):
        return PolynomialFeatures(2).fit(np.zeros((1, d))).n_output_features_

    assert ex01.check_quadratic_feature_count(from_sklearn).passed
    assert ex01.check_quadratic_feature_count(lambda d: 1 + d + d * d).status is Status.WRONG
    assert ex01.check_quadratic_feature_count(_stub).status is Status.NOT_ATTEMPTED

"""Separability, Cover's counting function and distance concentration."""

import math

import numpy as np
import pytest

from course_lib import geometry


def test_linear_separability_is_decided_exactly():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    assert geometry.is_linearly_separable(X, np.array([0, 0, 0, 1]))  # AND
    assert not geometry.is_linearly_separable(X, np.array([0, 1, 1, 0]))  # XOR
    # through the origin only: (1, 1) and (2, 2) on different sides is impossible
    same_ray = np.array([[1.0, 1.0], [2.0, 2.0]])
    assert geometry.is_linearly_separable(same_ray, np.array([0, 1]), bias=True)
    assert not geometry.is_linearly_separable(same_ray, np.array([0, 1]), bias=False)
    assert geometry.is_linearly_separable(X, np.ones(4))
    with pytest.raises(ValueError, match="two classes"):
        geometry.is_linearly_separable(X, np.array([0, 1, 2, 0]))


def test_cover_count_small_cases_and_limits():
    assert geometry.cover_count(4, 2) == 8  # 4 points on a plane through the origin
    for P in range(1, 8):
        assert geometry.cover_count(P, P) == 2**P  # P <= N: everything separable
    for N in (1, 3, 7):
        assert geometry.cover_probability(2 * N, N) == pytest.approx(0.5)
    assert geometry.cover_count(10, 3) == 2 * sum(math.comb(9, k) for k in range(3))
    with pytest.raises(ValueError):
        geometry.cover_count(0, 2)


def test_simulation_agrees_with_cover():
    for P in (4, 8, 12):
        simulated = geometry.separable_fraction(P, 4, trials=300, seed=P)
        assert abs(simulated - geometry.cover_probability(P, 4)) < 0.08


def test_points_to_cover_and_distances():
    assert geometry.points_to_cover(3) == 1000
    assert geometry.points_to_cover(784) == 10**784
    assert geometry.points_to_cover(2, 0.25) == 16
    with pytest.raises(ValueError):
        geometry.points_to_cover(2, 0)
    distances = geometry.pairwise_distances(10, 3)
    assert distances.shape == (45,) and distances.max() <= math.sqrt(3)
    assert geometry.relative_contrast(np.array([1.0, 2.0, 3.0])) == 2.0

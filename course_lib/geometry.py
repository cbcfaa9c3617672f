"""Geometry of high-dimensional data: linear separability, Cover's theorem, distance concentration.

NumPy and SciPy only (no TensorFlow).
"""

from __future__ import annotations

import math

import numpy as np

from . import validate

Array = np.ndarray


def is_linearly_separable(X: Array, y: Array, *, bias: bool = True) -> bool:
    """Whether a hyperplane puts the two classes strictly on opposite sides.

    Solves the linear feasibility problem ``s_i (w . x_i + b) >= 1`` (``s_i = +-1``) with
    SciPy's HiGHS solver: feasible exactly when some ``(w, b)`` separates the classes
    with a positive margin (any strict separator can be rescaled to margin 1). This is
    a proof either way, unlike a perceptron that merely has not converged yet.

    Args:
        X: ``(n, d)`` points; y: ``(n,)`` two classes (0/1 or -1/+1).
        bias: allow an offset ``b``; False asks for a hyperplane through the origin.
    """
    from scipy.optimize import linprog

    X = validate.array("X", X, ndim=2, layout="(n, d)")
    y = validate.array("y", y, kind="int", shape=(len(X),), layout=f"(n,) = ({len(X)},)")
    bias = validate.flag("bias", bias)
    classes = np.unique(y)
    if len(classes) > 2:
        raise ValueError(f"y must hold two classes, got {len(classes)}: {classes[:5]}")
    if len(classes) < 2:
        return True  # one class: a hyperplane with everything on one side always exists
    signs = np.where(y == classes[1], 1.0, -1.0)
    features = np.column_stack([X, np.ones(len(X))]) if bias else X
    result = linprog(
        np.zeros(features.shape[1]),
        A_ub=-signs[:, None] * features,
        b_ub=-np.ones(len(X)),
        bounds=[(None, None)] * features.shape[1],
        method="highs",
    )
    if result.status not in (0, 2):
        raise RuntimeError(f"the linear program did not finish: {result.message}")
    return result.status == 0


def cover_count(num_points: int, dim: int) -> int:
    """Cover's function counter ``C(P, N) = 2 sum_{k=0}^{N-1} binom(P - 1, k)``.

    The number of the ``2**P`` labellings of ``P`` points in general position in
    ``R^N`` that a hyperplane through the origin separates (Cover, 1965).
    """
    num_points = validate.count("num_points", num_points)
    dim = validate.count("dim", dim)
    return 2 * sum(math.comb(num_points - 1, k) for k in range(dim))


def cover_probability(num_points: int, dim: int) -> float:
    """``C(P, N) / 2**P``: chance that random labels of ``P`` points in ``R^N`` are separable."""
    count = cover_count(num_points, dim)
    return float(count / 2 ** int(num_points))


def separable_fraction(num_points: int, dim: int, *, trials: int = 200, seed: int = 0) -> float:
    """Monte-Carlo estimate of :func:`cover_probability`.

    Each trial draws ``P`` Gaussian points in ``R^N`` (in general position with
    probability 1) and fair random labels, and tests separability by a hyperplane
    through the origin with :func:`is_linearly_separable`.
    """
    num_points = validate.count("num_points", num_points)
    dim = validate.count("dim", dim)
    trials = validate.count("trials", trials)
    seed = validate.seed("seed", seed)
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(trials):
        X = rng.normal(size=(num_points, dim))
        y = rng.integers(0, 2, size=num_points)
        hits += is_linearly_separable(X, y, bias=False)
    return hits / trials


def points_to_cover(dim: int, spacing: float = 0.1) -> int:
    """Cells of side ``spacing`` needed to tile ``[0, 1]^dim``: one sample per cell.

    ``ceil(1 / spacing) ** dim``: 10 cells per axis for ``spacing = 0.1``, so ``10**dim``.
    A sample at each cell's centre is then within ``spacing / 2`` of every point of its
    cell along each axis.
    """
    dim = validate.count("dim", dim)
    spacing = validate.real("spacing", spacing, low=0.0, low_open=True, high=1.0)
    return math.ceil(round(1 / spacing, 9)) ** dim


def pairwise_distances(num_points: int, dim: int, *, seed: int = 0) -> Array:
    """Distances between all pairs of ``num_points`` uniform points in ``[0, 1]^dim``.

    Returns the ``num_points * (num_points - 1) / 2`` distances as a flat array.
    """
    from scipy.spatial.distance import pdist

    num_points = validate.count("num_points", num_points, minimum=2)
    dim = validate.count("dim", dim)
    seed = validate.seed("seed", seed)
    rng = np.random.default_rng(seed)
    return pdist(rng.uniform(size=(num_points, dim)))


def relative_contrast(distances: Array) -> float:
    """``(max - min) / min`` of a set of distances: near 0 means "all equally far"."""
    distances = validate.array("distances", distances, ndim=1, layout="(n,)")
    if distances.min() <= 0:
        raise ValueError("distances must all be > 0 (the contrast divides by the smallest)")
    return float((distances.max() - distances.min()) / distances.min())

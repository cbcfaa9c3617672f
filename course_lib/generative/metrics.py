"""Sample-quality metrics for generative models, as plain NumPy/SciPy functions.

A generative model is judged by comparing a set of its samples with real data. The
course uses a few complementary measures:

* :func:`frechet_distance`: fit a Gaussian to the features of each set and compute the
  Fréchet (2-Wasserstein) distance between the two Gaussians. On images the features come
  from a classifier (:mod:`course_lib.generative.digits`): this is the idea of the FID,
  with the course's own MNIST classifier instead of an ImageNet network.
* :func:`confident_share` and :func:`class_histogram`: what a classifier thinks of the
  samples: how many look clearly like *some* digit, and whether every digit is produced
  (a model that drops classes has "mode dropping").
* :func:`energy_distance`: a distance between two sets of points that needs no fitted
  model, used on 2-D toy data.
* :func:`modes_covered` and :func:`high_quality_share`: for data made of well separated
  clusters (the 8-Gaussian ring of :mod:`course_lib.generative.ring`), how many clusters
  the samples reach and how many samples land on a cluster rather than between them.

Every function takes arrays, validates them, and returns Python numbers (or an int array
for histograms). None of them imports TensorFlow.
"""

from __future__ import annotations

import numpy as np

from .. import validate

__all__ = [
    "class_histogram",
    "confident_share",
    "energy_distance",
    "frechet_distance",
    "frechet_distance_from_statistics",
    "gaussian_statistics",
    "high_quality_share",
    "modes_covered",
    "nearest_mode",
    "smallest_class_share",
]


def _cdist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distances between the rows of ``a`` (n, d) and ``b`` (m, d): ``(n, m)``."""
    from scipy.spatial.distance import cdist as scipy_cdist

    return scipy_cdist(a, b)


def _points(name: str, value, *, dims: int | None = None, min_rows: int = 1) -> np.ndarray:
    points = validate.array(name, value, ndim=2, layout="(n_samples, n_features)")
    if len(points) < min_rows:
        raise ValueError(f"{name} needs at least {min_rows} rows, got {len(points)}")
    if dims is not None and points.shape[1] != dims:
        raise ValueError(f"{name} must have {dims} columns, got shape {points.shape}")
    return points


# --------------------------------------------------------------------------- Fréchet distance


def gaussian_statistics(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of a Gaussian fitted to ``features``.

    Args:
        features: ``(n_samples, n_features)``, at least 2 rows.

    Returns:
        ``mean: (n_features,)`` and ``covariance: (n_features, n_features)`` (unbiased,
        divided by ``n_samples - 1``), float64.
    """
    features = _points("features", features, min_rows=2)
    return features.mean(axis=0), np.cov(features, rowvar=False).reshape(
        features.shape[1], features.shape[1]
    )


def _psd_sqrt(matrix: np.ndarray) -> np.ndarray:
    """Symmetric square root of a symmetric positive semi-definite matrix."""
    import scipy.linalg

    values, vectors = scipy.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def frechet_distance_from_statistics(
    mean_a: np.ndarray, covariance_a: np.ndarray, mean_b: np.ndarray, covariance_b: np.ndarray
) -> float:
    r"""Squared Fréchet distance between two Gaussians, in closed form.

    .. math::
        d^2 = \lVert \mu_a - \mu_b \rVert^2
              + \operatorname{tr}\big(\Sigma_a + \Sigma_b - 2 (\Sigma_a^{1/2} \Sigma_b \Sigma_a^{1/2})^{1/2}\big)

    (the trace term equals the usual :math:`\operatorname{tr}(\Sigma_a + \Sigma_b - 2(\Sigma_a\Sigma_b)^{1/2})`;
    the symmetric form avoids complex round-off).

    Args:
        mean_a, mean_b: ``(d,)``; covariance_a, covariance_b: ``(d, d)`` symmetric PSD.

    Returns:
        The squared distance (the number FID reports), ``>= 0``.
    """
    mean_a = validate.array("mean_a", mean_a, ndim=1)
    d = len(mean_a)
    mean_b = validate.array("mean_b", mean_b, shape=(d,))
    covariance_a = validate.array("covariance_a", covariance_a, shape=(d, d))
    covariance_b = validate.array("covariance_b", covariance_b, shape=(d, d))
    import scipy.linalg

    root_a = _psd_sqrt(covariance_a)
    middle = root_a @ covariance_b @ root_a
    eigenvalues = scipy.linalg.eigvalsh((middle + middle.T) / 2)
    trace_cross = np.sqrt(np.clip(eigenvalues, 0.0, None)).sum()
    value = (
        np.sum((mean_a - mean_b) ** 2)
        + np.trace(covariance_a)
        + np.trace(covariance_b)
        - 2.0 * trace_cross
    )
    return float(max(value, 0.0))


def frechet_distance(features_a: np.ndarray, features_b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to two sets of feature vectors.

    Args:
        features_a, features_b: ``(n_a, d)`` and ``(n_b, d)``, at least 2 rows each.

    Returns:
        The squared Fréchet distance (0 for identical sets; lower is better when one set
        is real data). It grows with the difference of the means and of the spreads, so
        a generator that reproduces only some modes, or blurs them, scores worse.
    """
    features_a = _points("features_a", features_a, min_rows=2)
    features_b = _points("features_b", features_b, dims=features_a.shape[1], min_rows=2)
    return frechet_distance_from_statistics(
        *gaussian_statistics(features_a), *gaussian_statistics(features_b)
    )


# --------------------------------------------------------------------------- classifier verdicts


def _probabilities(probabilities: np.ndarray) -> np.ndarray:
    probabilities = _points("probabilities", probabilities)
    if probabilities.min() < 0 or not np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError(
            "probabilities must be (n_samples, n_classes) rows of class probabilities "
            "(non-negative, summing to 1), e.g. a softmax output"
        )
    return probabilities


def confident_share(probabilities: np.ndarray, threshold: float = 0.9) -> float:
    """Share of samples whose most probable class has probability above ``threshold``.

    Args:
        probabilities: ``(n_samples, n_classes)`` classifier outputs.
        threshold: the confidence a sample needs, in (0, 1).

    Returns:
        A fraction in [0, 1]. Real digits score near 1; noise and blurry in-between
        shapes score low.
    """
    probabilities = _probabilities(probabilities)
    threshold = validate.fraction("threshold", threshold)
    return float(np.mean(probabilities.max(axis=1) > threshold))


def class_histogram(probabilities: np.ndarray) -> np.ndarray:
    """How many samples the classifier assigns to each class (its most probable one).

    Args:
        probabilities: ``(n_samples, n_classes)``.

    Returns:
        ``(n_classes,)`` int64 counts, summing to ``n_samples``.
    """
    probabilities = _probabilities(probabilities)
    return np.bincount(probabilities.argmax(axis=1), minlength=probabilities.shape[1]).astype(
        np.int64
    )


def smallest_class_share(probabilities: np.ndarray) -> float:
    """Share of the samples that fall in the least produced class.

    ``1 / n_classes`` for a perfectly balanced generator, 0 when a class is never
    produced (mode dropping).
    """
    counts = class_histogram(probabilities)
    return float(counts.min() / counts.sum())


# --------------------------------------------------------------------------- 2-D distances


def energy_distance(samples: np.ndarray, reference: np.ndarray) -> float:
    r"""Energy distance between two sets of points (Székely and Rizzo).

    .. math::
        D(X, Y) = \sqrt{2\,\mathbb{E}\lVert X - Y\rVert - \mathbb{E}\lVert X - X'\rVert
                        - \mathbb{E}\lVert Y - Y'\rVert}

    with every expectation an average over all pairs of the two sets (pairs of a point
    with itself included). Zero for identical sets and, in one dimension, equal to
    ``scipy.stats.energy_distance``. Unlike the Fréchet distance it fits no Gaussian, so
    it sees the shape of a multi-modal distribution.

    Args:
        samples: ``(n, d)``; reference: ``(m, d)``.

    Returns:
        The distance, ``>= 0``, in the units of the points.
    """
    samples = _points("samples", samples)
    reference = _points("reference", reference, dims=samples.shape[1])
    between = _cdist(samples, reference).mean()
    within_samples = _cdist(samples, samples).mean()
    within_reference = _cdist(reference, reference).mean()
    return float(np.sqrt(max(2.0 * between - within_samples - within_reference, 0.0)))


def nearest_mode(samples: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each sample, the closest centre and the distance to it.

    Args:
        samples: ``(n, d)``; centres: ``(k, d)``.

    Returns:
        ``index: (n,)`` int64 in ``range(k)`` and ``distance: (n,)`` float64.
    """
    samples = _points("samples", samples)
    centres = _points("centres", centres, dims=samples.shape[1])
    distances = _cdist(samples, centres)
    index = distances.argmin(axis=1)
    return index.astype(np.int64), distances[np.arange(len(samples)), index]


def high_quality_share(
    samples: np.ndarray, centres: np.ndarray, sigma: float, *, within: float = 3.0
) -> float:
    """Share of samples that lie within ``within * sigma`` of some centre.

    Args:
        samples: ``(n, d)``; centres: ``(k, d)``; sigma: the clusters' standard deviation.
        within: how many standard deviations count as "on the mode" (3 keeps 98.9 % of
            a 2-D Gaussian's own samples).

    Returns:
        A fraction in [0, 1]; samples between the clusters lower it.
    """
    sigma = validate.positive("sigma", sigma)
    within = validate.positive("within", within)
    _, distance = nearest_mode(samples, centres)
    return float(np.mean(distance <= within * sigma))


def modes_covered(
    samples: np.ndarray,
    centres: np.ndarray,
    sigma: float,
    *,
    min_count: int = 20,
    within: float = 3.0,
) -> int:
    """How many centres have at least ``min_count`` samples within ``within * sigma``.

    Args:
        samples: ``(n, d)``; centres: ``(k, d)``; sigma: the clusters' standard deviation.
        min_count: the samples a mode needs to count as covered (20 of 1,000 samples,
            where a perfect generator puts 125 on each of 8 modes).
        within: the radius, in standard deviations, that counts as "on the mode".

    Returns:
        An int between 0 and ``k``: ``k`` means no mode was dropped.
    """
    sigma = validate.positive("sigma", sigma)
    min_count = validate.count("min_count", min_count)
    within = validate.positive("within", within)
    centres = _points("centres", centres)
    index, distance = nearest_mode(samples, centres)
    hits = np.bincount(index[distance <= within * sigma], minlength=len(centres))
    return int(np.sum(hits >= min_count))

"""The 8-Gaussian ring: the course's 2-D test bed for generative models.

Eight small Gaussian clusters (standard deviation ``RING_SIGMA = 0.02``) sit evenly on a
circle of radius ``RING_RADIUS = 2``. The clusters are tiny and far apart, so a generator
must put its samples on eight narrow targets: one that collapses onto a few clusters
("mode collapse") or smears samples along the circle shows it at once in a scatter plot,
and in the two mode metrics of :mod:`course_lib.generative.metrics`.

:func:`score_ring` measures a set of samples; :func:`ring_references` gives the reference
points every measurement is shown with (real held-out data, a Gaussian fitted to the
data, noise). None of this imports TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import validate
from . import metrics

__all__ = [
    "RING_MODES",
    "RING_RADIUS",
    "RING_SIGMA",
    "RingScores",
    "plot_ring",
    "print_ring_scores",
    "ring_centres",
    "ring_data",
    "ring_references",
    "score_ring",
]

RING_MODES = 8
RING_RADIUS = 2.0
RING_SIGMA = 0.02
REFERENCE_SEED = 1_000_003  # the reference sample: a seed no notebook trains on
HELD_OUT_SEED = 1_000_004
REFERENCE_SIZE = 2000


def ring_centres(modes: int = RING_MODES, radius: float = RING_RADIUS) -> np.ndarray:
    """Centres of the ring's clusters, the first on the positive x axis, counter-clockwise.

    Returns:
        ``(modes, 2)`` float64.
    """
    modes = validate.count("modes", modes)
    radius = validate.positive("radius", radius)
    angles = 2 * np.pi * np.arange(modes) / modes
    return radius * np.column_stack([np.cos(angles), np.sin(angles)])


def ring_data(
    n_samples: int,
    seed: int = 0,
    *,
    modes: int = RING_MODES,
    radius: float = RING_RADIUS,
    sigma: float = RING_SIGMA,
) -> np.ndarray:
    """Points drawn from the ring of Gaussians, each cluster chosen with equal probability.

    Args:
        n_samples: how many points.
        seed: the same seed gives the same points on any machine (NumPy's PCG64).
        modes, radius, sigma: the ring's shape (defaults: 8 clusters, radius 2, sigma 0.02).

    Returns:
        ``(n_samples, 2)`` float32.
    """
    n_samples = validate.count("n_samples", n_samples)
    seed = validate.seed("seed", seed)
    sigma = validate.positive("sigma", sigma)
    centres = ring_centres(modes, radius)
    rng = np.random.default_rng(seed)
    which = rng.integers(0, len(centres), n_samples)
    points = centres[which] + sigma * rng.standard_normal((n_samples, 2))
    return points.astype(np.float32)


def _reference() -> np.ndarray:
    return ring_data(REFERENCE_SIZE, REFERENCE_SEED)


@dataclass(frozen=True)
class RingScores:
    """How a set of 2-D samples compares with the ring.

    Attributes:
        name: what was measured.
        energy: energy distance to a fresh sample of the ring (lower is better).
        modes_covered: clusters with at least 20 samples within 3 sigma (8 is best).
        high_quality_share: share of samples within 3 sigma of a cluster (1 is best).
    """

    name: str
    energy: float
    modes_covered: int
    high_quality_share: float


def score_ring(samples: np.ndarray, name: str = "samples") -> RingScores:
    """Energy distance, modes covered and high-quality share of ``samples``.

    Args:
        samples: ``(n, 2)``; use 1,000 so the numbers compare with the references
            (``modes_covered`` counts 20 samples per mode).
        name: a label for tables.
    """
    samples = validate.array("samples", samples, shape=(None, 2), layout="(n_samples, 2)")
    centres = ring_centres()
    return RingScores(
        name=str(name),
        energy=metrics.energy_distance(samples, _reference()),
        modes_covered=metrics.modes_covered(samples, centres, RING_SIGMA),
        high_quality_share=metrics.high_quality_share(samples, centres, RING_SIGMA),
    )


def ring_references(n_samples: int = 1000, seed: int = 0) -> dict[str, np.ndarray]:
    """The reference points a 2-D generator is compared with, ``n_samples`` each.

    * ``"real held-out data"``: a fresh sample of the ring (the best any model can do;
      its energy distance is the floor set by the sample size);
    * ``"Gaussian fitted to the data"``: a "model" that learned only the mean and the
      covariance of the data;
    * ``"uniform noise"``: points spread evenly over the square [-3, 3]².

    Returns:
        ``{name: (n_samples, 2) float32}`` in that order.
    """
    n_samples = validate.count("n_samples", n_samples)
    seed = validate.seed("seed", seed)
    data = ring_data(REFERENCE_SIZE, seed)
    rng = np.random.default_rng(seed)
    fitted = rng.multivariate_normal(data.mean(axis=0), np.cov(data, rowvar=False), n_samples)
    return {
        "real held-out data": ring_data(n_samples, (HELD_OUT_SEED + seed) % 2**32),
        "Gaussian fitted to the data": fitted.astype(np.float32),
        "uniform noise": rng.uniform(-3.0, 3.0, (n_samples, 2)).astype(np.float32),
    }


def print_ring_scores(scores: list[RingScores]) -> None:
    """Print scores as a table; measured figures follow "≈" (see :mod:`course_lib.outcomes`)."""
    width = max(len(score.name) for score in scores) + 2
    print(f"{'':<{width}}{'energy distance ↓':>19}{'modes covered ↑':>17}{'high quality ↑':>16}")
    for score in scores:
        print(
            f"{score.name:<{width}}{f'≈ {score.energy:.3f}':>19}"
            f"{f'≈ {score.modes_covered} / {RING_MODES}':>17}"
            f"{f'≈ {100 * score.high_quality_share:.0f} %':>16}"
        )


def plot_ring(samples: np.ndarray, ax=None, *, title: str | None = None, color: str = "C0"):
    """Scatter ``samples`` (n, 2) over the ring's modes drawn as 3-sigma circles.

    Returns:
        The Axes.
    """
    import matplotlib.pyplot as plt

    samples = validate.array("samples", samples, shape=(None, 2), layout="(n_samples, 2)")
    if ax is None:
        _, ax = plt.subplots(figsize=(3.6, 3.6))
    for centre in ring_centres():
        ax.add_patch(plt.Circle(centre, 3 * RING_SIGMA, fill=False, color="0.3", lw=0.8))
    ax.scatter(samples[:, 0], samples[:, 1], s=3, alpha=0.5, color=color)
    limit = RING_RADIUS + 1.0
    ax.set(xlim=(-limit, limit), ylim=(-limit, limit), aspect="equal")
    if title:
        ax.set_title(title)
    return ax

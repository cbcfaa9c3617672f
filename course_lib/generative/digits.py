"""Sample quality of generated digits, judged by the course's own MNIST classifier.

The classifier (``data/mnist_classifier.keras``, made by
``scripts/train_mnist_classifier.py`` from the 4,000 embedded training digits) gives
each image 64 features (its penultimate layer) and 10 class probabilities. From them:

* **Fréchet distance** between Gaussians fitted to the features of the samples and of the
  4,000 training digits: an "FID for MNIST" (lower is better);
* **confident share**: samples the classifier labels with probability above 0.9;
* **class histogram** and its **smallest class share**: does the generator make every digit?

:func:`image_references` gives the points of comparison that every table shows with a
model: real held-out digits (the floor), a Gaussian fitted to the training pixels (a
"model" that learned only their mean and covariance) and uniform noise.

Importing this module does not import TensorFlow; the first measurement does.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from .. import data, validate
from . import metrics, pretrained

__all__ = [
    "ImageScores",
    "classify",
    "image_references",
    "pixel_gaussian",
    "plot_class_histogram",
    "print_image_scores",
    "score_images",
]

CLASSIFIER = "mnist_classifier.keras"
FEATURES = "features"
CONFIDENCE = 0.9


def _images(name: str, images) -> np.ndarray:
    images = validate.array(name, images, shape=(None, 28, 28, 1), layout="(n, 28, 28, 1)",
                            dtype=np.float32)
    if images.min() < -1e-6 or images.max() > 1 + 1e-6:
        raise ValueError(f"{name} must hold pixel values in [0, 1], got "
                         f"[{images.min():.3g}, {images.max():.3g}]")
    return images


@functools.lru_cache(maxsize=1)
def _feature_model():
    from ..backend import keras

    classifier = pretrained.load(CLASSIFIER)
    return keras.Model(classifier.inputs, [classifier.get_layer(FEATURES).output,
                                           classifier.outputs[0]])


def classify(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The classifier's view of ``images``.

    Args:
        images: ``(n, 28, 28, 1)`` in [0, 1].

    Returns:
        ``features: (n, 64)`` and ``probabilities: (n, 10)``, float32.
    """
    images = _images("images", images)
    features, probabilities = _feature_model().predict(images, batch_size=500, verbose=0)
    return features, probabilities


@functools.lru_cache(maxsize=1)
def _reference_statistics() -> tuple[np.ndarray, np.ndarray]:
    (x_train, _), _ = data.load_mnist()
    features, _ = classify(x_train)
    return metrics.gaussian_statistics(features)


@dataclass(frozen=True)
class ImageScores:
    """How a set of generated digits compares with real ones.

    Attributes:
        name: what was measured.
        frechet: Fréchet distance to the training digits in the classifier's features.
        confident_share: share classified with probability above 0.9.
        class_counts: ``(10,)`` samples per predicted digit.
    """

    name: str
    frechet: float
    confident_share: float
    class_counts: np.ndarray = field(repr=False)

    @property
    def smallest_class_share(self) -> float:
        """Share of the samples in the least produced digit (0.1 when balanced)."""
        return float(self.class_counts.min() / self.class_counts.sum())


def score_images(images: np.ndarray, name: str = "samples") -> ImageScores:
    """Fréchet distance, confident share and class histogram of ``images``.

    Args:
        images: ``(n, 28, 28, 1)`` in [0, 1]; use 1,000 so the numbers compare with
            :func:`image_references` (the Fréchet distance of a set grows as it shrinks).
        name: a label for tables.
    """
    features, probabilities = classify(images)
    return ImageScores(
        name=str(name),
        frechet=metrics.frechet_distance_from_statistics(
            *metrics.gaussian_statistics(features), *_reference_statistics()
        ),
        confident_share=metrics.confident_share(probabilities, CONFIDENCE),
        class_counts=metrics.class_histogram(probabilities),
    )


def pixel_gaussian(images: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """Samples of a Gaussian fitted to the pixels of ``images`` (mean and covariance).

    Draws ``mean + centred.T @ u / sqrt(m - 1)`` with ``u ~ N(0, I_m)``, which has exactly
    the images' covariance, without factorising the 784x784 matrix.

    Args:
        images: ``(m, 28, 28, 1)`` training images; n: how many samples; seed: their seed.

    Returns:
        ``(n, 28, 28, 1)`` float32, clipped to [0, 1].
    """
    images = _images("images", images)
    n = validate.count("n", n)
    flat = images.reshape(len(images), -1).astype(np.float64)
    mean = flat.mean(axis=0)
    noise = np.random.default_rng(seed).standard_normal((n, len(flat)))
    samples = mean + noise @ (flat - mean) / np.sqrt(len(flat) - 1)
    return np.clip(samples, 0.0, 1.0).astype(np.float32).reshape(n, 28, 28, 1)


def image_references(n: int = 1000, seed: int = 0) -> dict[str, np.ndarray]:
    """The reference sets every table of generated digits is shown with.

    * ``"real held-out digits"``: the first ``n`` of the 1,000 embedded test digits
      (never seen by the classifier or the generators): the floor a perfect generator
      would reach;
    * ``"Gaussian fitted to pixels"``: :func:`pixel_gaussian` of the training digits;
    * ``"uniform noise"``: every pixel uniform in [0, 1].

    Args:
        n: images per set, at most 1,000.

    Returns:
        ``{name: (n, 28, 28, 1) float32}`` in that order.
    """
    n = validate.count("n", n, maximum=1000)
    seed = validate.seed("seed", seed)
    (x_train, _), (x_test, _) = data.load_mnist()
    rng = np.random.default_rng(seed)
    return {
        "real held-out digits": x_test[:n],
        "Gaussian fitted to pixels": pixel_gaussian(x_train, n, seed),
        "uniform noise": rng.uniform(0.0, 1.0, (n, 28, 28, 1)).astype(np.float32),
    }


def print_image_scores(scores: list[ImageScores]) -> None:
    """Print scores as a table; measured figures follow "≈" (see :mod:`course_lib.outcomes`)."""
    width = max(len(score.name) for score in scores) + 2
    print(f"{'':<{width}}{'Fréchet distance ↓':>20}{'confident ↑':>14}{'smallest class ↑':>19}")
    for score in scores:
        print(
            f"{score.name:<{width}}{f'≈ {score.frechet:.1f}':>20}"
            f"{f'≈ {100 * score.confident_share:.0f} %':>14}"
            f"{f'≈ {100 * score.smallest_class_share:.1f} %':>19}"
        )


def plot_class_histogram(scores: ImageScores, ax=None):
    """Bar chart of how many samples the classifier assigns to each digit.

    Returns:
        The Axes.
    """
    import matplotlib.pyplot as plt

    if not isinstance(scores, ImageScores):
        raise TypeError(f"scores must be an ImageScores, got {validate.describe(scores)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 2.6))
    counts = scores.class_counts
    ax.bar(np.arange(len(counts)), counts / counts.sum(), color="steelblue")
    ax.axhline(1 / len(counts), color="0.4", lw=0.8, ls="--")
    ax.set(xticks=np.arange(len(counts)), xlabel="digit (classifier's label)",
           ylabel="share of samples", title=scores.name)
    return ax

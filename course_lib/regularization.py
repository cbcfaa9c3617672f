"""Helpers for notebook 05: capacity, penalties, augmentation, random labels.

The polynomial-regression functions (:func:`polynomial_features`, :func:`fit_polynomial`,
:func:`capacity_errors`) are NumPy only and drive the capacity explorer; the others build
or measure Keras models and import Keras inside the function.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

# ---------------------------------------------------------- capacity on a toy curve


def toy_regression(
    n_train: int = 15, n_test: int = 200, *, noise: float = 0.25, seed: int = 0
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Noisy samples of ``sin(pi x)`` on ``[-1, 1]``: ``((x_train, y_train), (x_test, y_test))``.

    All arrays are 1-D; the test points are a separate noisy sample.
    """
    rng = np.random.default_rng(seed)
    x_train = np.sort(rng.uniform(-1, 1, n_train))
    x_test = np.sort(rng.uniform(-1, 1, n_test))
    truth = lambda x: np.sin(np.pi * x)  # noqa: E731 - a one-line formula
    return (
        (x_train, truth(x_train) + noise * rng.normal(size=n_train)),
        (x_test, truth(x_test) + noise * rng.normal(size=n_test)),
    )


def polynomial_features(x: np.ndarray, degree: int) -> np.ndarray:
    """Legendre polynomials ``P_0(x) .. P_degree(x)`` of 1-D ``x``: ``(n, degree + 1)``.

    Column 0 is the constant (the bias). Legendre rather than plain powers keeps the
    columns well conditioned on ``[-1, 1]``.
    """
    if not isinstance(degree, int) or degree < 0:
        raise ValueError(f"degree must be a non-negative int, got {degree!r}")
    return np.polynomial.legendre.legvander(np.asarray(x, dtype=float), degree)


def fit_polynomial(x: np.ndarray, y: np.ndarray, degree: int, l2: float = 0.0) -> np.ndarray:
    """Least squares with an L2 penalty on the weights (not the bias): ``(degree + 1,)``.

    Minimises ``mean((Phi w - y)**2) + l2 * sum(w[1:]**2)`` in closed form.
    """
    if l2 < 0:
        raise ValueError(f"l2 must be >= 0, got {l2!r}")
    features = polynomial_features(x, degree)
    n = len(x)
    penalty = l2 * np.eye(degree + 1)
    penalty[0, 0] = 0.0  # the bias is not penalised
    return np.linalg.lstsq(features.T @ features / n + penalty, features.T @ y / n, rcond=None)[0]


def predict_polynomial(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The fitted curve at ``x``: ``(n,)``."""
    return polynomial_features(x, len(weights) - 1) @ weights


def capacity_errors(
    degrees: Sequence[int], l2: float = 0.0, *, seed: int = 0
) -> dict[str, np.ndarray]:
    """Training and test MSE of the toy regression for each polynomial degree.

    Returns:
        ``{"train": (k,), "test": (k,)}`` for the ``k`` degrees.
    """
    (x_train, y_train), (x_test, y_test) = toy_regression(seed=seed)
    train, test = [], []
    for degree in degrees:
        weights = fit_polynomial(x_train, y_train, int(degree), l2)
        train.append(np.mean((predict_polynomial(weights, x_train) - y_train) ** 2))
        test.append(np.mean((predict_polynomial(weights, x_test) - y_test) ** 2))
    return {"train": np.array(train), "test": np.array(test)}


# ------------------------------------------------------------- networks and data


def shuffled_labels(y: np.ndarray, *, seed: int = 0) -> np.ndarray:
    """A random permutation of ``y`` (``(n,)``): same class counts, no link to the input."""
    return np.random.default_rng(seed).permutation(np.asarray(y))


def near_zero_fraction(weights: Sequence[np.ndarray], threshold: float = 1e-3) -> float:
    """Share of all entries of ``weights`` whose magnitude is below ``threshold``."""
    if not weights:
        raise ValueError("weights is empty")
    flat = np.concatenate([np.ravel(w) for w in weights])
    return float(np.mean(np.abs(flat) < threshold))


def augmentation_layers(
    rotation: float = 0.05, shift: float = 0.1, zoom: float = 0.1, noise: float = 0.1, *, seed: int = 0
) -> list[Any]:
    """Random affine transforms and input noise as Keras layers (active in training only).

    Args:
        rotation: largest rotation as a fraction of a full turn (0.05 = 18 degrees).
        shift: largest shift as a fraction of the image size.
        zoom: largest zoom in or out, as a fraction.
        noise: standard deviation of the Gaussian noise added to the pixels.
    """
    from .backend import keras

    return [
        keras.layers.RandomRotation(rotation, fill_mode="constant", seed=seed),
        keras.layers.RandomTranslation(shift, shift, fill_mode="constant", seed=seed + 1),
        keras.layers.RandomZoom(zoom, fill_mode="constant", seed=seed + 2),
        keras.layers.GaussianNoise(noise, seed=seed + 3),
    ]


def augment(images: np.ndarray, layers: Sequence[Any]) -> np.ndarray:
    """Apply augmentation ``layers`` to ``images`` (``(n, h, w, c)``) as in training."""
    out = images
    for layer in layers:
        out = layer(out, training=True)
    return np.asarray(out)


def generalization_gap(history: Any) -> float:
    """Final training accuracy minus final validation accuracy of a Keras history."""
    logs: Mapping[str, Sequence[float]] = getattr(history, "history", history)
    missing = {"accuracy", "val_accuracy"} - set(logs)
    if missing:
        raise ValueError(f"the history lacks {sorted(missing)}; compile with metrics=['accuracy']"
                         " and fit with validation data")
    return float(logs["accuracy"][-1] - logs["val_accuracy"][-1])

"""Helpers for notebook 05: capacity, penalties, augmentation, random labels.

The polynomial-regression functions (:func:`polynomial_features`, :func:`fit_polynomial`,
:func:`capacity_errors`) are NumPy only and drive the capacity explorer; the others build
or measure Keras models and import Keras inside the function.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from . import validate

MAX_DEGREE = 100  # a Legendre basis beyond this is numerically meaningless here

# ---------------------------------------------------------- capacity on a toy curve


def toy_regression(
    n_train: int = 15, n_test: int = 200, *, noise: float = 0.25, seed: int = 0
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Noisy samples of ``sin(pi x)`` on ``[-1, 1]``: ``((x_train, y_train), (x_test, y_test))``.

    All arrays are 1-D; the test points are a separate noisy sample.
    """
    n_train = validate.count("n_train", n_train)
    n_test = validate.count("n_test", n_test)
    noise = validate.positive("noise", noise, allow_zero=True)
    seed = validate.seed("seed", seed)
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
    x = validate.array("x", x, ndim=1, layout="1-D (n,)")
    degree = _degree(degree)
    return np.polynomial.legendre.legvander(x, degree)


def _degree(degree: int) -> int:
    try:
        return validate.count("degree", degree, minimum=0, maximum=MAX_DEGREE)
    except ValueError:
        raise ValueError(
            f"degree must be a non-negative int of at most {MAX_DEGREE}, got {degree!r}"
        ) from None


def fit_polynomial(x: np.ndarray, y: np.ndarray, degree: int, l2: float = 0.0) -> np.ndarray:
    """Least squares with an L2 penalty on the weights (not the bias): ``(degree + 1,)``.

    Minimises ``mean((Phi w - y)**2) + l2 * sum(w[1:]**2)`` in closed form.
    """
    l2 = validate.positive("l2", l2, allow_zero=True)
    x = validate.array("x", x, ndim=1, layout="1-D (n,)")
    y = validate.array("y", y, shape=(len(x),), layout=f"1-D (n,) = ({len(x)},), like x")
    degree = _degree(degree)
    features = polynomial_features(x, degree)
    n = len(x)
    penalty = l2 * np.eye(degree + 1)
    penalty[0, 0] = 0.0  # the bias is not penalised
    return np.linalg.lstsq(features.T @ features / n + penalty, features.T @ y / n, rcond=None)[0]


def predict_polynomial(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The fitted curve at ``x``: ``(n,)``."""
    weights = validate.array("weights", weights, ndim=1, layout="(degree + 1,)")
    if len(weights) > MAX_DEGREE + 1:
        raise ValueError(f"weights must hold at most {MAX_DEGREE + 1} coefficients")
    return polynomial_features(x, len(weights) - 1) @ weights


def capacity_errors(
    degrees: Sequence[int], l2: float = 0.0, *, seed: int = 0
) -> dict[str, np.ndarray]:
    """Training and test MSE of the toy regression for each polynomial degree.

    Returns:
        ``{"train": (k,), "test": (k,)}`` for the ``k`` degrees.
    """
    degrees = validate.counts("degrees", degrees, minimum=0, maximum=MAX_DEGREE)
    l2 = validate.positive("l2", l2, allow_zero=True)
    (x_train, y_train), (x_test, y_test) = toy_regression(seed=seed)
    train, test = [], []
    for degree in degrees:
        weights = fit_polynomial(x_train, y_train, degree, l2)
        train.append(np.mean((predict_polynomial(weights, x_train) - y_train) ** 2))
        test.append(np.mean((predict_polynomial(weights, x_test) - y_test) ** 2))
    return {"train": np.array(train), "test": np.array(test)}


# ------------------------------------------------------------- networks and data


def shuffled_labels(y: np.ndarray, *, seed: int = 0) -> np.ndarray:
    """A random permutation of ``y`` (``(n,)``): same class counts, no link to the input."""
    y = validate.array("y", y, ndim=1, kind="int", layout="(n,) class labels")
    return np.random.default_rng(validate.seed("seed", seed)).permutation(y)


def near_zero_fraction(weights: Sequence[np.ndarray], threshold: float = 1e-3) -> float:
    """Share of all entries of ``weights`` whose magnitude is below ``threshold``."""
    if weights is None or isinstance(weights, str | bytes | dict | np.ndarray) or not hasattr(
        weights, "__len__"
    ):
        raise TypeError(f"weights must be a list of arrays, got {validate.describe(weights)}")
    if len(weights) == 0:
        raise ValueError("weights is empty")
    threshold = validate.positive("threshold", threshold)
    flat = np.concatenate(
        [np.ravel(validate.array(f"weights[{i}]", w)) for i, w in enumerate(weights)]
    )
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
    rotation = validate.real("rotation", rotation, low=0.0, high=1.0)
    shift = validate.real("shift", shift, low=0.0, high=1.0)
    zoom = validate.real("zoom", zoom, low=0.0, high=1.0, high_open=True)
    noise = validate.positive("noise", noise, allow_zero=True)
    seed = validate.integer("seed", seed, minimum=0, maximum=2**32 - 4)
    from .backend import keras

    return [
        keras.layers.RandomRotation(rotation, fill_mode="constant", seed=seed),
        keras.layers.RandomTranslation(shift, shift, fill_mode="constant", seed=seed + 1),
        keras.layers.RandomZoom(zoom, fill_mode="constant", seed=seed + 2),
        keras.layers.GaussianNoise(noise, seed=seed + 3),
    ]


def augment(images: np.ndarray, layers: Sequence[Any]) -> np.ndarray:
    """Apply augmentation ``layers`` to ``images`` (``(n, h, w, c)``) as in training."""
    out = validate.array(
        "images", images, ndim=4, layout="(n, height, width, channels)", dtype=np.float32
    )
    if layers is None or isinstance(layers, str | bytes | dict) or not hasattr(layers, "__iter__"):
        raise TypeError(f"layers must be a list of Keras layers, got {validate.describe(layers)}")
    layers = list(layers)
    for i, layer in enumerate(layers):
        validate.callable_(f"layers[{i}]", layer)
    for layer in layers:
        out = layer(out, training=True)
    return np.asarray(out)


def generalization_gap(history: Any) -> float:
    """Final training accuracy minus final validation accuracy of a Keras history."""
    logs: Mapping[str, Sequence[float]] = validate.logs("history", history)
    missing = {"accuracy", "val_accuracy"} - set(logs)
    if missing:
        raise ValueError(f"the history lacks {sorted(missing)}; compile with metrics=['accuracy']"
                         " and fit with validation data")
    return float(logs["accuracy"][-1] - logs["val_accuracy"][-1])

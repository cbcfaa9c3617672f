"""Forecasting a time series: windowed tasks, the two baselines every forecast needs, RMSE.

A forecast is only worth something next to a baseline. The two used in the course:

* **persistence**: tomorrow looks like today, ``y_hat = x_t`` (the last value in the
  window), whatever the horizon;
* **linear autoregression**: ``y_hat`` is a least-squares linear function of the whole
  window, fitted on the training part.

Tasks are cut chronologically: the first ``train_fraction`` of the series trains, the
rest tests, and both are standardised with the training part's mean and standard
deviation, so errors read in standard-deviation units.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from . import data, validate

Array = np.ndarray


@dataclass(frozen=True)
class ForecastTask:
    """Windows of a standardised series and the values ``horizon`` steps after each.

    ``x_*: (n, window, features)`` and ``y_*: (n, features)``, float32; ``mean`` and
    ``std`` (``(features,)``) undo the standardisation.
    """

    x_train: Array
    y_train: Array
    x_test: Array
    y_test: Array
    mean: Array
    std: Array
    window: int
    horizon: int


def make_task(
    series: Array, window: int, *, horizon: int = 1, train_fraction: float = 0.7
) -> ForecastTask:
    """Split ``series`` in time, standardise it with the training part, cut windows.

    Args:
        series: ``(n_steps,)`` or ``(n_steps, features)``.
        window: past steps the model sees.
        horizon: how far ahead the target lies (1 = the next step).
        train_fraction: the share of the series, from its start, used for training.
    """
    series = validate.array("series", series, ndim=(1, 2), layout="(n_steps,) or (n_steps, features)")
    window = validate.count("window", window)
    horizon = validate.count("horizon", horizon)
    train_fraction = validate.fraction("train_fraction", train_fraction)
    if series.ndim == 1:
        series = series[:, np.newaxis]
    split = int(round(train_fraction * len(series)))
    needed = window + horizon
    if split < needed or len(series) - split < needed:
        raise ValueError(
            f"a series of {len(series)} steps split at {split} is too short for "
            f"window={window} and horizon={horizon} on both sides"
        )
    mean, std = series[:split].mean(axis=0), series[:split].std(axis=0)
    if np.any(std == 0):
        raise ValueError("series must vary in its training part (a feature has zero spread)")
    scaled = (series - mean) / std
    x_train, y_train = data.windows(scaled[:split], window, horizon=horizon)
    x_test, y_test = data.windows(scaled[split:], window, horizon=horizon)
    return ForecastTask(x_train, y_train, x_test, y_test, mean, std, window, horizon)


def sine_task(
    *, window: int = 20, horizon: int = 10, n_steps: int = 2000, noise: float = 0.1, seed: int = 0
) -> ForecastTask:
    """A noisy sine of period 50 (:func:`course_lib.data.sine_wave`) as a forecasting task."""
    window, horizon = validate.count("window", window), validate.count("horizon", horizon)
    n_steps = _long_enough(validate.count("n_steps", n_steps), window, horizon)
    noise = validate.positive("noise", noise, allow_zero=True)
    series = data.sine_wave(n_steps, period=50.0, noise=noise, seed=validate.seed("seed", seed))
    return make_task(series, window, horizon=horizon)


def lorenz_task(
    *, window: int = 10, horizon: int = 10, n_steps: int = 3000, spin_up: int = 200
) -> ForecastTask:
    """The Lorenz-63 system (:func:`course_lib.data.lorenz63`, step 0.01) as a task.

    The first ``spin_up`` steps, while the state travels from (1, 1, 1) to the
    attractor, are dropped.
    """
    window, horizon = validate.count("window", window), validate.count("horizon", horizon)
    n_steps = _long_enough(validate.count("n_steps", n_steps), window, horizon)
    spin_up = validate.count("spin_up", spin_up, minimum=0)
    series = data.lorenz63(n_steps + spin_up)[spin_up:]
    return make_task(series, window, horizon=horizon)


def _long_enough(n_steps: int, window: int, horizon: int, train_fraction: float = 0.7) -> int:
    """``n_steps`` if a series that long leaves room for windows on both sides of the split."""
    split = int(round(train_fraction * n_steps))
    needed = window + horizon
    if split < needed or n_steps - split < needed:
        raise ValueError(
            f"n_steps={n_steps} is too short for window={window} and horizon={horizon}: the "
            f"training and the test part ({train_fraction:g} and {1 - train_fraction:g} of the "
            f"series) each need at least window + horizon = {needed} steps"
        )
    return n_steps


def persistence(x: Array) -> Array:
    """The persistence forecast: the last value of each window, ``(n, features)``."""
    x = validate.array("x", x, ndim=3, layout="(n, window, features)", dtype=None)
    return x[:, -1, :]


def fit_linear_ar(x_train: Array, y_train: Array) -> Callable[[Array], Array]:
    """Fit a linear autoregressive model on flattened windows (least squares).

    Returns:
        ``predict(x) -> (n, features)`` for windows ``x: (n, window, features)``.
    """
    from sklearn.linear_model import LinearRegression

    x_train = validate.array("x_train", x_train, ndim=3, layout="(n, window, features)")
    y_train = validate.array("y_train", y_train, shape=(len(x_train), None), layout="(n, features)")
    model = LinearRegression().fit(x_train.reshape(len(x_train), -1), y_train)
    shape = x_train.shape[1:]

    def predict(x: Array) -> Array:
        x = validate.array("x", x, shape=(None, *shape), layout=f"(n, {shape[0]}, {shape[1]})")
        return model.predict(x.reshape(len(x), -1))

    return predict


def rmse(predicted: Array, target: Array) -> float:
    """Root mean squared error over every sample and feature."""
    target = validate.array("target", target)
    predicted = validate.array("predicted", predicted, shape=target.shape,
                               layout=f"the target's shape {target.shape}")
    return float(np.sqrt(np.mean((predicted - target) ** 2)))


def plot_forecasts(
    target: Array,
    forecasts: Mapping[str, Array],
    *,
    feature: int = 0,
    num_points: int = 300,
    ax=None,
):
    """The first ``num_points`` test targets of one feature with each forecast on top.

    Args:
        target: ``(n, features)`` true values.
        forecasts: ``{label: (n, features) predictions}``.
        feature: which feature (column) to draw.
        num_points: how many consecutive samples to show.
    """
    import matplotlib.pyplot as plt

    target = validate.array("target", target, ndim=2, layout="(n, features)")
    forecasts = validate.mapping("forecasts", forecasts)
    for label in list(forecasts):
        label = validate.text("forecasts' labels", label)
        forecasts[label] = validate.array(
            f"forecasts[{label!r}]", forecasts[label], shape=target.shape,
            layout=f"(n, features) = {target.shape}, the target's shape",
        )
    feature = validate.index("feature", feature, target.shape[1])
    num_points = min(validate.count("num_points", num_points), len(target))
    if ax is not None:
        validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 3), layout="constrained")
    steps = np.arange(num_points)
    ax.plot(steps, target[:num_points, feature], color="black", lw=2.5, alpha=0.35, label="truth")
    for label, predicted in forecasts.items():
        ax.plot(steps, predicted[:num_points, feature], lw=1.2, label=label)
    ax.set(xlabel="test step", ylabel="value (standardised)")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small")
    return ax

"""Exercise checks for notebook 00, welcome and set-up.

``check_updates_per_epoch`` and ``check_first_network`` run Keras: they load TensorFlow
(quietly) when called, not when this module is imported.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import validate
from ..checks import Case, CheckResult, Status, _crash, _short, check_function
from ..outcomes import approx
from ._answers import _compare_arrays, _kind_problem, _number, _watch_inputs
from .common import as_count, not_filled, result


def check_to_unit_range(func: Callable[[np.ndarray], np.ndarray] | None) -> CheckResult:
    """``to_unit_range(images)``: uint8 pixels 0..255 -> float32 in [0, 1], same shape."""
    rng = np.random.default_rng(7)
    inputs = [
        np.array([0, 51, 255], dtype=np.uint8),
        rng.integers(0, 256, size=(2, 28, 28, 1), dtype=np.uint8),
        np.array([[10, 20], [30, 40]], dtype=np.uint8),  # a dark image: its maximum is not 255
    ]
    cases = [Case(args=(x,), expected=(x / 255.0).astype(np.float32)) for x in inputs]
    return check_function(
        func,
        cases,
        name="to_unit_range",
        check_dtype=True,
        atol=1e-6,
        hint="divide by the largest pixel value, 255, and convert with .astype('float32')",
    )


# ------------------------------------------------------------------------ one-hot labels


def _compare_one_hot(expected: np.ndarray, got: Any) -> str | None:
    problem = _kind_problem(got)
    if problem:
        return problem
    got = np.asarray(got)
    transposed = got.shape == expected.shape[::-1] and (
        got.shape != expected.shape or np.array_equal(got, expected.T))
    if transposed and not np.array_equal(got, expected):
        return (f"expected shape {expected.shape} (one row per label), got {got.shape}: "
                "the rows and columns are swapped")
    if got.ndim == 2 and got.shape[0] == expected.shape[0] and got.shape[1] != expected.shape[1]:
        return (f"expected {expected.shape[1]} columns (num_classes), got {got.shape[1]}: the "
                "width comes from num_classes, not from the largest label present")
    return _compare_arrays(expected, got)


def check_one_hot(func: Callable[[np.ndarray, int], np.ndarray] | None) -> CheckResult:
    """``one_hot(labels, num_classes)``: ``(n,)`` ints -> ``(n, num_classes)`` rows of 0/1."""
    calls = [
        (np.array([1, 2, 0]), 3),
        (np.array([9, 0, 9, 4]), 10),
        (np.array([1]), 2),
        (np.array([0, 0, 1]), 4),  # the largest class, 3, does not occur
        (np.array([5, 3, 5, 3, 5], dtype=np.int32), 6),
    ]
    cases = [Case(args=call, expected=np.eye(call[1])[call[0]]) for call in calls]
    return check_function(
        _watch_inputs(func, ("labels", "num_classes")) if callable(func) else func,
        cases,
        name="one_hot",
        compare=_compare_one_hot,
        hint="start from np.zeros((len(labels), num_classes)) and put a 1 in row i, column "
        "labels[i], for every i (or index the identity matrix np.eye(num_classes) with the labels)",
    )


# ----------------------------------------------------------------- updates per epoch


def _measured_steps(x: np.ndarray, y: np.ndarray, batch_size: int, validation_split: float) -> int:
    """How many batches ``fit`` runs in one epoch, read from a one-epoch run of a tiny model."""
    from ..backend import keras

    model = keras.Sequential([keras.Input(x.shape[1:]), keras.layers.Flatten(),
                              keras.layers.Dense(int(y.max()) + 1, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, batch_size=batch_size, epochs=1, validation_split=validation_split,
                        verbose=0)
    return int(history.params["steps"])


def check_updates_per_epoch(
    answer: Any, x: np.ndarray, y: np.ndarray, *, batch_size: int = 64, validation_split: float = 0.1
) -> CheckResult:
    """How many weight updates ``fit(x, y, batch_size=..., validation_split=...)`` makes per epoch.

    The check runs ``fit`` for one epoch on a tiny model and reads Keras's own count.

    Args:
        answer: the student's prediction, a whole number.
        x: ``(n, ...)`` inputs; y: ``(n,)`` integer labels.
    """
    x = validate.array("x", x, ndim=(2, 3, 4), dtype=np.float32)
    y = validate.array("y", y, kind="int", shape=(len(x),), layout=f"(n,) = ({len(x)},)")
    if y.min() < 0:
        raise ValueError("y must hold class numbers 0, 1, 2, ...")
    batch_size = validate.count("batch_size", batch_size)
    validation_split = validate.fraction("validation_split", validation_split)
    name = "updates per epoch"
    if not_filled(answer):
        return result(name, Status.NOT_ATTEMPTED,
                      "updates_per_epoch is not filled in yet: replace `...` with your "
                      "prediction and run the cell")
    count = as_count(answer)
    hint = ("fit keeps the last validation_split of the examples aside, cuts the rest into "
            "batches of batch_size, and makes one update per batch, the last smaller one included")
    if isinstance(count, str):
        return result(name, Status.WRONG, f"{name}: {count}", hint)
    expected = _measured_steps(x, y, batch_size, validation_split)
    if count == expected:
        return result(name, Status.CORRECT,
                      f"{name}: {count} is right; fit reports steps = {expected}")
    trained_on = math.floor(len(x) * (1 - validation_split))
    reasons = {
        math.ceil(len(x) / batch_size): "that counts every example, but validation_split keeps "
        f"{len(x) - trained_on:,} of them aside for validation",
        len(x) // batch_size: "that counts every example, including the validation ones",
        trained_on // batch_size: "the last batch is smaller than the others, but it is "
        "still a batch and it still updates the weights",
        trained_on: "one update per batch, not per example",
    }
    message = reasons.get(count, f"{_shown(count)} is too {'large' if count > expected else 'small'}")
    return result(name, Status.WRONG, f"{name}: {message}", hint)


# ------------------------------------------------------------------- the first network

SETTINGS = ("units", "learning_rate", "batch_size", "num_epochs")


def _read_settings(
    settings: Any, max_units: int, max_epochs: int, min_batch: int, max_batch: int
) -> dict[str, Any] | str:
    """The student's settings, checked; or a sentence saying what is wrong with them."""
    if not isinstance(settings, dict):
        return (f"settings should be a dict such as dict(units=..., learning_rate=..., "
                f"batch_size=..., num_epochs=...), got {type(settings).__name__} {_short(settings, 40)}")
    missing = [key for key in SETTINGS if key not in settings]
    unknown = [str(key) for key in settings if key not in SETTINGS]
    if missing or unknown:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"unknown {', '.join(unknown)}"] if unknown else [])
        return f"settings: {'; '.join(parts)} (the keys are {', '.join(SETTINGS)})"
    read: dict[str, Any] = {}
    limits = {"units": (1, max_units), "batch_size": (min_batch, max_batch),
              "num_epochs": (1, max_epochs)}
    for key, (low, high) in limits.items():
        value = as_count(settings[key])
        if isinstance(value, str):
            return f"{key}: {value}"
        if not low <= value <= high:
            return f"{key} = {_shown(value)} is outside the allowed range {low:,} to {high:,}"
        read[key] = value
    rate = _number(settings["learning_rate"])
    if isinstance(rate, str):
        return f"learning_rate should be a number such as 1e-3: {rate}"
    if not 0 < rate <= 1:
        return f"learning_rate = {rate:g} must lie in (0, 1]"
    read["learning_rate"] = rate
    return read


def _shown(number: int) -> str:
    """A whole number for feedback: with thousands separators, or its length if huge."""
    return f"{number:,}" if abs(number) < 10**15 else f"a {len(str(abs(number)))}-digit number"


def check_first_network(
    settings: Any,
    build: Callable[..., Any],
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    *,
    target: float = 0.92,
    max_units: int = 1024,
    max_epochs: int = 5,
    min_batch: int = 16,
) -> CheckResult:
    """Train ``build(units=..., learning_rate=...)`` with the student's settings and test it.

    The model is fitted as in the notebook (``validation_split=0.1``) and evaluated on
    ``test``; the check passes when its accuracy reaches ``target``.

    Args:
        settings: the student's dict with keys ``units``, ``learning_rate``,
            ``batch_size`` and ``num_epochs``.
        build: returns a compiled Keras classifier reporting ``accuracy``.
        train, test: ``(x, y)`` pairs, ``x: (n, ...)`` images, ``y: (n,)`` labels.
    """
    build = validate.callable_("build", build)
    (x_train, y_train), (x_test, y_test) = (_pair(label, pair) for label, pair in
                                            (("train", train), ("test", test)))
    target = validate.fraction("target", target)
    max_units = validate.count("max_units", max_units)
    max_epochs = validate.count("max_epochs", max_epochs)
    min_batch = validate.count("min_batch", min_batch)
    name = "first network"
    if not_filled(settings):
        return result(name, Status.NOT_ATTEMPTED,
                      "settings are not filled in yet: replace `...` with a dict and run the cell")
    read = _read_settings(settings, max_units, max_epochs, min_batch, len(x_train))
    if isinstance(read, str):
        return result(name, Status.WRONG, read,
                      f"at most {max_units:,} units, {max_epochs} epochs and batches of at "
                      f"least {min_batch}; the learning rate is a number such as 1e-3")
    from ..backend import keras

    keras.utils.set_random_seed(0)
    try:
        model = build(units=read["units"], learning_rate=read["learning_rate"])
        model.fit(x_train, y_train, validation_split=0.1, epochs=read["num_epochs"],
                  batch_size=read["batch_size"], verbose=0)
        accuracy = float(model.evaluate(x_test, y_test, verbose=0)[1])
    except Exception as error:  # noqa: BLE001 - reported, never raised
        return result(name, Status.CRASHED, _crash(error, "training with your settings").message,
                      "check that the settings are plain numbers")
    summary = (f"{read['units']} units, learning rate {read['learning_rate']:g}, batches of "
               f"{read['batch_size']}, {read['num_epochs']} epochs")
    if not np.isfinite(accuracy) or accuracy < target:
        shown = approx(accuracy) if np.isfinite(accuracy) else "nan"
        return result(name, Status.WRONG,
                      f"with {summary} the test accuracy is {shown}, below {target:.2f}",
                      "a wider hidden layer learns more per epoch, a larger learning rate or "
                      "smaller batches take more or bigger steps, and every epoch allowed helps")
    return result(name, Status.CORRECT,
                  f"test accuracy {approx(accuracy)} reaches {target:.2f} with {summary}")


def _pair(label: str, pair: Any) -> tuple[np.ndarray, np.ndarray]:
    items = validate.items(label, pair, "two arrays (x, y)")
    if len(items) != 2:
        raise ValueError(f"{label} must be a pair (x, y), got {len(items)} items")
    x = validate.array(f"{label}[0]", items[0], ndim=(2, 3, 4), dtype=np.float32)
    y = validate.array(f"{label}[1]", items[1], kind="int", shape=(len(x),),
                       layout=f"(n,) = ({len(x)},)")
    return x, y

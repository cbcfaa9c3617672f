"""Exercise checks for notebook 05, generalization and regularization."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import validate
from ..checks import Case, CheckResult, Status, _short, as_numpy, check_function
from ..outcomes import approx
from . import common
from .common import as_count


def check_confusion_matrix(func: Callable[..., np.ndarray] | None) -> CheckResult:
    """``confusion_matrix(y_true, y_pred, num_classes)``: rows actual, columns predicted."""
    from sklearn.metrics import confusion_matrix

    rng = np.random.default_rng(12)
    cases = [
        Case(args=(np.array([0, 1, 1, 2]), np.array([0, 2, 1, 2]), 3),
             expected=confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2], labels=range(3))),
        # Classes that never occur (1 and 3) still get their row and column.
        Case(args=(np.array([0, 0, 2]), np.array([2, 0, 2]), 4),
             expected=confusion_matrix([0, 0, 2], [2, 0, 2], labels=range(4))),
    ]
    y_true, y_pred = rng.integers(0, 10, 200), rng.integers(0, 10, 200)
    cases.append(Case(args=(y_true, y_pred, 10),
                      expected=confusion_matrix(y_true, y_pred, labels=range(10)),
                      label="confusion_matrix on 200 random labels of 10 classes"))
    return check_function(
        func,
        cases,
        name="confusion_matrix",
        compare=_compare_counts,
        hint="start from np.zeros((num_classes, num_classes), dtype=int) and add 1 at "
        "[actual, predicted] for every example (a row is an actual class)",
    )


def _compare_counts(expected: np.ndarray, got: Any) -> str | None:
    """A matrix of counts: the right shape, an integer dtype and the right entries."""
    got = as_numpy(got)
    try:
        array = np.asarray(got)
    except Exception:  # noqa: BLE001 - anything unconvertible is a wrong answer
        return f"expected a {expected.shape} array of counts, got {type(got).__name__}"
    if array.dtype.kind not in "iu":
        kind = "floats" if array.dtype.kind == "f" else f"{type(got).__name__} of dtype {array.dtype}"
        return (f"expected whole-number counts (an integer array), got {kind}: "
                "create the matrix with dtype=int")
    if array.shape != expected.shape:
        return f"expected shape {expected.shape}, got shape {array.shape}"
    if not np.array_equal(array, expected):
        if np.array_equal(array.T, expected):
            return "rows and columns are swapped: row i must be the actual class i"
        return f"expected\n{expected}\ngot\n{array}"
    return None


def reference_early_stopping(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    """Keras's ``EarlyStopping(monitor="val_loss", patience=patience)`` on a loss list.

    Returns:
        ``(best_epoch, stop_epoch)``, both counted from 1: the epoch with the lowest
        loss seen before stopping, and the last epoch trained.
    """
    val_losses = validate.reals("val_losses", val_losses)
    patience = validate.count("patience", patience)
    best, best_epoch, wait = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        wait += 1
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
        elif wait >= patience and epoch > 1:
            return best_epoch, epoch
    return best_epoch, len(val_losses)


def check_early_stopping(func: Callable[..., tuple] | None) -> CheckResult:
    """``early_stopping(val_losses, patience) -> (best_epoch, stop_epoch)``, from 1."""
    losses = [
        ([1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9, 0.6], 3),
        ([1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9, 0.6], 10),
        ([0.5, 0.6, 0.4, 0.45, 0.3, 0.31, 0.32], 2),
        ([2.0, 1.0, 0.5, 0.25], 1),
        # Ties: an equal loss is no improvement, so the counter keeps running.
        ([1.0, 0.5, 0.5, 0.5, 0.4], 2),
        ([0.9, 0.7, 0.8, 0.7, 0.7, 0.6], 3),
    ]
    cases = [
        Case(args=(values, patience), expected=reference_early_stopping(values, patience),
             label=f"early_stopping({values}, patience={patience})")
        for values, patience in losses
    ]
    return check_function(
        func,
        cases,
        name="early_stopping",
        compare=_compare_epochs,
        hint="walk through the epochs counting those without a new best (a loss equal to the "
        "best is not a new best); stop at the first epoch where that count reaches the "
        "patience. Epochs count from 1",
    )


def _compare_epochs(expected: tuple[int, int], got: Any) -> str | None:
    """``(best_epoch, stop_epoch)`` as whole numbers: ints, NumPy ints, 0-d arrays, tensors,
    or an integer array of two entries. Floats are refused: an epoch is counted, not measured."""
    got = as_numpy(got)
    if isinstance(got, np.ndarray) and got.shape == (2,):
        got = tuple(got[i] for i in range(2))
    if not isinstance(got, tuple | list) or len(got) != 2:
        return f"expected a pair (best_epoch, stop_epoch) of whole numbers, got {_describe(got)}"
    epochs = []
    for value in got:
        count = as_count(value)
        if isinstance(count, str):
            return f"expected a pair of whole epoch numbers: {count}"
        epochs.append(count)
    if tuple(epochs) != expected:
        return f"expected {expected}, got {tuple(epochs)}"
    return None


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return type(value).__name__


# ------------------------------------------------- a validation split on sorted data


def _split_at(n: int, validation_split: float) -> int:
    """Where ``fit(..., validation_split=...)`` cuts ``n`` examples: the rest is validation."""
    return int(n * (1 - validation_split))


def check_sorted_split(
    x_fixed: Any,
    y_fixed: Any,
    original: tuple[np.ndarray, np.ndarray],
    *,
    validation_split: float = 0.2,
    max_share: float = 0.25,
) -> CheckResult:
    """The repaired data for ``fit(x, y, validation_split=...)``.

    Keras keeps the *last* ``validation_split`` of the arrays for validation, before any
    shuffling, so on data sorted by label the validation set holds only the last classes.
    The answer must hold the same examples as ``original`` with every image keeping its
    label, and its validation part must contain every class, none with more than
    ``max_share`` of it.

    Args:
        x_fixed, y_fixed: the student's arrays, ``(n, ...)`` and ``(n,)``.
        original: the notebook's ``(x, y)`` before the repair.
    """
    x_original, y_original = common.pair_of_arrays("original", original, what="(images, labels)")
    validation_split = validate.fraction("validation_split", validation_split)
    max_share = validate.fraction("max_share", max_share, closed=True)
    name = "the repaired split"
    hint = ("look at which labels the last 20 % of y_sorted holds; put the examples in an "
            "order that mixes the classes, moving each image together with its own label")
    if common.not_filled(x_fixed) or common.not_filled(y_fixed):
        return common.result(name, Status.NOT_ATTEMPTED,
                             "x_fixed and y_fixed are not filled in yet: replace `...` and run the cell")
    try:
        x = np.asarray(as_numpy(x_fixed), dtype=np.float64)
        y = np.asarray(as_numpy(y_fixed))
    except Exception:  # noqa: BLE001 - anything that is not an array is a wrong answer
        return common.result(name, Status.WRONG,
                             f"expected arrays, got {type(x_fixed).__name__} and {type(y_fixed).__name__}", hint)
    if x.shape != x_original.shape or y.shape != y_original.shape:
        return common.result(name, Status.WRONG,
                             f"expected shapes {x_original.shape} and {y_original.shape}, "
                             f"got {x.shape} and {y.shape}: keep all the examples", hint)
    if y.dtype.kind not in "iu":
        return common.result(name, Status.WRONG, f"the labels are {y.dtype}, not whole class numbers", hint)
    labels = {np.asarray(image, dtype=np.float64).tobytes(): label
              for image, label in zip(x_original, y_original, strict=True)}
    looked_up = [labels.get(image.tobytes()) for image in x]
    if any(label is None for label in looked_up):
        return common.result(name, Status.WRONG,
                             "some images are not among the original ones: reorder the examples, "
                             "do not change them", hint)
    wrong = int(np.sum(np.array(looked_up) != y))
    if wrong:
        return common.result(name, Status.WRONG,
                             f"{wrong} of {len(y)} images no longer carry their own label: x and y "
                             "were reordered differently", "index x_sorted and y_sorted with the same order")
    if len({image.tobytes() for image in x}) != len(labels):
        return common.result(name, Status.WRONG,
                             "some examples appear twice and others are missing: use a permutation", hint)
    held_out = y[_split_at(len(y), validation_split):]
    classes = np.unique(y_original)
    missing = sorted(set(classes.tolist()) - set(held_out.tolist()))
    if missing:
        return common.result(name, Status.WRONG,
                             f"the validation part (the last {len(held_out)} examples) has no "
                             f"{', '.join(map(str, missing))}", hint)
    share = max(np.mean(held_out == c) for c in classes)
    if share > max_share:
        return common.result(name, Status.WRONG,
                             f"one class fills {share:.0%} of the validation part", hint)
    return common.result(name, Status.CORRECT,
                         f"the last {len(held_out)} examples hold all {len(classes)} classes "
                         f"(the largest one {share:.0%}) and every image keeps its label")


# ---------------------------------------------------------- a regularised network


def _dense_only(model: Any) -> str | None:
    """None if ``model`` has no convolution or recurrent layer, else the offending layer."""
    for layer in getattr(model, "layers", []):
        inner = _dense_only(layer) if hasattr(layer, "layers") else None
        if inner:
            return inner
        kind = type(layer).__name__
        if "Conv" in kind or kind in ("LSTM", "GRU", "SimpleRNN", "MultiHeadAttention"):
            return kind
    return None


def check_regularised_network(
    train_regularised: Callable[..., Any] | None,
    train: tuple[np.ndarray, np.ndarray],
    validation: tuple[np.ndarray, np.ndarray],
    *,
    max_epochs: int = 30,
    target: float = 0.9,
) -> CheckResult:
    """Call ``train_regularised(x, y) -> (model, history)`` and measure it.

    The model must be made of dense layers (plus regularisation and augmentation layers),
    train at most ``max_epochs`` epochs and reach ``target`` accuracy on ``validation``.
    """
    train = common.pair_of_arrays("train", train, what="(images, labels)")
    validation = common.pair_of_arrays("validation", validation, what="(images, labels)")
    max_epochs = validate.count("max_epochs", max_epochs)
    target = validate.fraction("target", target, closed=True)
    name = "train_regularised"
    hint = ("augmentation (random shifts, rotations and noise) with a wider network and "
            "a little dropout, trained for more epochs than the baseline")
    if common.not_filled(train_regularised):
        return common.result(name, Status.NOT_ATTEMPTED, "train_regularised is not written yet")
    if not callable(train_regularised):
        return common.result(name, Status.WRONG,
                             f"train_regularised should be a function, got {type(train_regularised).__name__}",
                             "define it with `def train_regularised(x, y):`")
    from ..backend import keras

    keras.utils.set_random_seed(0)
    try:
        returned = common.call_with_time_limit(train_regularised, *train)
    except NotImplementedError:
        return common.result(name, Status.NOT_ATTEMPTED,
                             "train_regularised is still the stub: write its body and run the cell again")
    except common.TimeLimitExceeded:
        return common.result(name, Status.WRONG, common.too_slow(name))
    except Exception as error:  # noqa: BLE001 - any student error becomes feedback
        return common.result(name, Status.CRASHED,
                             f"train_regularised(x_small, y_small) raised {type(error).__name__}: {error}",
                             "build the model, compile it, fit it, then `return model, history`")
    if not (isinstance(returned, tuple) and len(returned) == 2):
        return common.result(name, Status.WRONG, f"train_regularised returned {_short(returned)}",
                             "return two things: `return model, history` (history is what fit returns)")
    model, history = returned
    if not isinstance(model, keras.Model):
        return common.result(name, Status.WRONG, f"the first value returned is {_short(model)}, not a model",
                             "return the Keras model first, then fit's history")
    try:
        epochs = len(list(history.history["loss"]))
    except Exception:  # noqa: BLE001 - anything but fit's History
        epochs = 0
    if not epochs:
        return common.result(name, Status.WRONG, "the second value returned is not fit's history",
                             "keep what `model.fit(...)` returns and return it second")
    layer = _dense_only(model)
    if layer:
        return common.result(name, Status.WRONG, f"the model has a {layer} layer",
                             "this exercise is about regularising a dense network: keep to Dense, "
                             "Dropout, penalties and augmentation layers")
    if epochs > max_epochs:
        return common.result(name, Status.WRONG, f"it trained for {epochs} epochs, more than {max_epochs}",
                             f"use epochs={max_epochs} or fewer")
    try:
        accuracy = float(common.call_with_time_limit(
            lambda: model.evaluate(*validation, verbose=0, batch_size=500)[1]))
    except common.TimeLimitExceeded:
        return common.result(name, Status.WRONG, common.too_slow("evaluating your model"))
    except Exception as error:  # noqa: BLE001
        return common.result(name, Status.CRASHED,
                             f"evaluating your model raised {type(error).__name__}: {error}",
                             "compile the model with metrics=['accuracy'] and inputs of shape (28, 28, 1)")
    if not np.isfinite(accuracy):
        return common.result(name, Status.WRONG, f"the validation accuracy is {accuracy}", hint)
    if accuracy < target:
        return common.result(name, Status.WRONG,
                             f"validation accuracy {approx(accuracy, '.3f')}, below the target {target:.2f}",
                             hint)
    return common.result(name, Status.CORRECT,
                         f"validation accuracy {approx(accuracy, '.3f')} reaches {target:.2f} "
                         f"in {epochs} epochs")

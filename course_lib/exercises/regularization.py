"""Exercise checks for notebook 05, generalization and regularization."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import validate
from ..checks import Case, CheckResult, as_numpy, check_function
from .compare import pair_of


def check_l2_penalty(func: Callable[..., tuple] | None) -> CheckResult:
    """``l2_penalty(kernel, strength) -> (penalty, gradient)`` as Keras's ``L2`` defines it.

    ``keras.regularizers.L2(strength)`` adds ``strength * sum(kernel**2)`` to the loss,
    whose gradient is ``2 * strength * kernel``.
    """
    rng = np.random.default_rng(11)
    cases = []
    for shape, strength in (((3,), 0.1), ((4, 2), 1e-3), ((2, 2, 3), 0.5)):
        kernel = rng.normal(size=shape)
        cases.append(
            Case(
                args=(kernel, strength),
                expected=(float(strength * np.sum(kernel**2)), 2 * strength * kernel),
                label=f"l2_penalty on a kernel of shape {shape} with strength {strength}",
            )
        )
    return check_function(
        func,
        cases,
        name="l2_penalty",
        compare=pair_of(("penalty", "gradient"), atol=1e-10),
        hint="the penalty is strength * sum(kernel**2); differentiate each term: "
        "d/dw (strength * w**2) = 2 * strength * w",
    )


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
        hint="start from np.zeros((num_classes, num_classes), dtype=int) and add 1 at "
        "[actual, predicted] for every example (a row is an actual class)",
    )


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
        hint="walk through the epochs counting those without a new best; stop at the first "
        "epoch where that count reaches the patience. Epochs count from 1",
    )


def _compare_epochs(expected: tuple[int, int], got: Any) -> str | None:
    """``(best_epoch, stop_epoch)`` as whole numbers: ints, NumPy ints, 0-d arrays, tensors."""
    got = as_numpy(got)
    if isinstance(got, np.ndarray) and got.shape == (2,):
        got = tuple(got)
    if not isinstance(got, tuple | list) or len(got) != 2:
        return f"expected a pair (best_epoch, stop_epoch) like {expected}, got {got!r}"
    epochs = []
    for value in got:
        value = as_numpy(value)
        if isinstance(value, np.ndarray) and value.shape == ():
            value = value.item()
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real | np.number):
            return f"expected whole epoch numbers like {expected}, got {got!r}"
        if not float(value).is_integer():
            return f"expected whole epoch numbers like {expected}, got {got!r}"
        epochs.append(int(float(value)))
    if tuple(epochs) != expected:
        return f"expected {expected}, got {tuple(epochs)}"
    return None

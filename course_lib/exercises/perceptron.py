"""Exercise checks for notebook 02, the perceptron."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import validate
from ..checks import (
    Case,
    CheckResult,
    Status,
    _crash,
    _short,
    as_numpy,
    check_function,
)
from ..outcomes import approx
from ..scratch import activations as act
from ..scratch import perceptron as pc
from ._answers import (
    _compare_arrays,
    _kind_problem,
    _number,
    _point_features,
    _watch_inputs,
)
from .common import not_filled, result

# ------------------------------------------------------------------ softmax backward


def _softmax_cases() -> list[Case]:
    rng = np.random.default_rng(4)
    cases = []
    for n, k in [(1, 3), (4, 3), (3, 3), (2, 5)]:
        p = act.softmax(rng.normal(scale=2.0, size=(n, k)))
        grad_p = rng.normal(size=(n, k))
        expected = p * (grad_p - (grad_p * p).sum(axis=1, keepdims=True))
        cases.append(Case(args=(grad_p, p), expected=expected,
                          label=f"softmax_backward on a batch of {n} with {k} classes"))
    return cases


def _compare_softmax(expected: np.ndarray, got: Any) -> str | None:
    problem = _kind_problem(got)
    if problem:
        return problem
    got = np.asarray(got, dtype=float)
    if got.shape != expected.shape:
        square = got.ndim >= 2 and got.shape[-1] == got.shape[-2] == expected.shape[-1]
        return (f"expected shape {expected.shape}, the shape of grad_p, got {got.shape}"
                + (": that looks like the Jacobian itself; multiply it with grad_p" if square else ""))
    return _compare_arrays(expected, got)


def check_softmax_backward(func: Callable[[np.ndarray, np.ndarray], np.ndarray] | None) -> CheckResult:
    """``softmax_backward(grad_p, p)``: ``dL/da`` from ``dL/dp`` for ``p = softmax(a)``,
    row by row; ``(n, K), (n, K) -> (n, K)``."""
    return check_function(
        _watch_inputs(func, ("grad_p", "p")) if callable(func) else func,
        _softmax_cases(),
        name="softmax_backward",
        compare=_compare_softmax,
        hint="entry k of row i is sum_j grad_p[i, j] * dp_j/da_k; with the Jacobian "
        "p_j (delta_jk - p_k) that sum is p_k (grad_p[i, k] - sum_j grad_p[i, j] p_j): one sum "
        "per row, over the classes (axis=1, keepdims=True)",
    )


# ----------------------------------------------------------- one epoch by hand

FIRST_EPOCH_GATE = "OR"


def first_epoch_weights(strict: bool = False) -> tuple[float, float, float]:
    """``(w1, w2, b)`` after one pass of Rosenblatt's rule over the OR gate.

    Starts from zero weights, learning rate 1, and visits the inputs in the order
    (0, 0), (0, 1), (1, 0), (1, 1). ``strict=True`` predicts 1 only for ``a > 0``
    (the common slip) instead of ``a >= 0``.
    """
    strict = validate.flag("strict", strict)
    X, t = pc.boolean_gate(FIRST_EPOCH_GATE)
    w, b = np.zeros(2), 0.0
    for x, target in zip(X, t, strict=True):
        a = float(x @ w + b)
        y_hat = int(a > 0) if strict else int(a >= 0)
        w, b = w + (target - y_hat) * x, b + (target - y_hat)
    return float(w[0]), float(w[1]), float(b)


def check_first_epoch(answer: Any) -> CheckResult:
    """Predict: the OR neuron's ``(w1, w2, b)`` after one epoch of Rosenblatt's rule."""
    name = "weights after one epoch"
    hint = ("go through the four inputs in order; at each, compute a = w1 x1 + w2 x2 + b, "
            "predict 1 when a >= 0, and add (t - y_hat) x to w and (t - y_hat) to b")
    if not_filled(answer):
        return result(name, Status.NOT_ATTEMPTED,
                      "after_one_epoch is not filled in yet: replace `...` with (w1, w2, b)")
    answer = as_numpy(answer)
    if isinstance(answer, np.ndarray) and answer.ndim == 1:
        answer = list(answer)
    if isinstance(answer, str) or not isinstance(answer, list | tuple):
        return result(name, Status.WRONG,
                      f"expected three numbers (w1, w2, b), got {type(answer).__name__} "
                      f"{_short(answer, 40)}", "write a tuple such as (0.5, -1.0, 2.0)")
    if len(answer) != 3:
        return result(name, Status.WRONG, f"expected three numbers (w1, w2, b), got {len(answer)}",
                      "the two weights first, then the bias")
    numbers = [_number(value) for value in answer]
    problems = [f"{label}: {n}" for label, n in zip(("w1", "w2", "b"), numbers, strict=True)
                if isinstance(n, str)]
    if problems:
        return result(name, Status.WRONG, "; ".join(problems), "use plain numbers")
    got = np.array(numbers, dtype=float)
    expected = np.array(first_epoch_weights())
    if np.allclose(got, expected, atol=1e-9):
        return result(name, Status.CORRECT,
                      f"{name}: (w1, w2, b) = {tuple(float(v) for v in expected)} is right")
    if np.allclose(got, first_epoch_weights(strict=True), atol=1e-9):
        reason = "that is what a neuron answering 0 at a = 0 learns; the step gives 1 for a >= 0"
    elif np.allclose(got, 0.0):
        reason = "the neuron makes mistakes during this epoch, so the weights move"
    else:
        reason = f"got {tuple(float(v) for v in got)}"
    return result(name, Status.WRONG, f"{name}: {reason}", hint)


# ------------------------------------------------------------- far-away measurements


def check_prepared_perceptron(
    prepare: Callable[[np.ndarray], np.ndarray] | None,
    train: tuple[np.ndarray, np.ndarray],
    new: tuple[np.ndarray, np.ndarray],
    *,
    max_epochs: int = 5,
    target: float = 0.95,
) -> CheckResult:
    """Model: after ``prepare``, the perceptron converges within ``max_epochs`` epochs
    on ``train`` and classifies the ``new`` points with accuracy at least ``target``.

    Args:
        prepare: the student's function ``(n, d) -> (n, k)``, applied to the training
            points and to the new points.
        train, new: ``(X, t)`` pairs, ``X: (n, d)``, labels ``t: (n,)`` in {0, 1}.
    """
    (X_train, t_train), (X_new, t_new) = (_labelled(label, pair) for label, pair in
                                          (("train", train), ("new", new)))
    max_epochs = validate.count("max_epochs", max_epochs)
    target = validate.fraction("target", target)
    name = "prepare"
    hint = ("Novikoff's bound (R / gamma)^2 grows with R, the largest norm of the points "
            "(with the bias, of the points (x1, x2, 1)): what makes it large here, and "
            "which change of the inputs makes it small without making the margin smaller?")
    if not_filled(prepare):
        return result(name, Status.NOT_ATTEMPTED, "prepare is not written yet")
    if not callable(prepare):
        return result(name, Status.WRONG, f"prepare should be a function, got {type(prepare).__name__}",
                      "define it with `def prepare(X):` and return the new (n, k) array")
    try:
        prepared = _point_features(prepare, X_train, "prepare(X_train)")
        prepared_new = prepared if isinstance(prepared, str) else _point_features(prepare, X_new, "prepare(X_new)")
    except NotImplementedError:
        return result(name, Status.NOT_ATTEMPTED,
                      "prepare is still the stub: write its body and run the cell again")
    except (Exception, SystemExit) as error:  # noqa: BLE001 - any student error becomes feedback
        return result(name, Status.CRASHED, _crash(error, "prepare(X)").message,
                      "prepare receives an (n, 2) array and returns an (n, k) array")
    if isinstance(prepared, str) or isinstance(prepared_new, str):
        problem = prepared if isinstance(prepared, str) else prepared_new
        return result(name, Status.WRONG, str(problem), "return an (n, k) array of numbers")
    if np.abs(prepared).max() > 1e12:
        return result(name, Status.WRONG, "the prepared inputs exceed 1e12 in size",
                      "keep the inputs on a moderate scale")
    run = pc.train_perceptron(prepared, t_train, num_epochs=max_epochs, seed=0)
    if not run.converged:
        return result(name, Status.WRONG,
                      f"after {max_epochs} epochs the perceptron still makes {run.mistakes[-1]} "
                      f"mistakes per epoch ({sum(run.mistakes):,} updates so far)", hint)
    if prepared_new.shape[1] != prepared.shape[1]:
        return result(name, Status.WRONG, "the new points get a different number of columns",
                      "prepare must compute the same columns for any X")
    accuracy = float((pc.perceptron_predict(prepared_new, run.w, run.b) == t_new).mean())
    if accuracy < target:
        return result(name, Status.WRONG,
                      f"the perceptron converged in {len(run.mistakes)} epochs but classifies "
                      f"only {approx(accuracy)} of the new points",
                      "prepare the new points exactly as the training points: use the same "
                      "numbers (computed once, from the training data)")
    return result(name, Status.CORRECT,
                  f"the perceptron converges in {len(run.mistakes)} epochs "
                  f"({sum(run.mistakes)} updates) and classifies {approx(accuracy)} of the "
                  f"{len(t_new):,} new points")


def _labelled(label: str, pair: Any) -> tuple[np.ndarray, np.ndarray]:
    items = validate.items(label, pair, "two arrays (X, t)")
    if len(items) != 2:
        raise ValueError(f"{label} must be a pair (X, t), got {len(items)} items")
    X = validate.array(f"{label}[0]", items[0], ndim=2, layout="(n, d)")
    t = validate.array(f"{label}[1]", items[1], kind="int", shape=(len(X),), layout=f"(n,) = ({len(X)},)")
    if not np.isin(t, (0, 1)).all():
        raise ValueError(f"{label}[1] must hold labels 0 and 1")
    return X, t


# ----------------------------------------------------------- the classmate's targets


def check_fixed_targets(answer: Any, X: np.ndarray, classes: np.ndarray) -> CheckResult:
    """Diagnose: targets with which Rosenblatt's rule converges on ``X`` and predicts ``classes``.

    Args:
        answer: the student's targets, one per point.
        X: ``(n, d)`` linearly separable points; classes: ``(n,)`` their classes, 0 or 1.
    """
    X = validate.array("X", X, ndim=2, layout="(n, d)")
    classes = validate.array("classes", classes, kind="int", shape=(len(X),),
                             layout=f"(n,) = ({len(X)},)")
    if not np.isin(classes, (0, 1)).all():
        raise ValueError("classes must hold 0 and 1")
    name = "fixed_targets"
    hint = ("Rosenblatt's rule changes the weights by (t - y_hat) x and stops only when "
            "t - y_hat is 0 for every point; y_hat is 0 or 1: what must t be?")
    if not_filled(answer):
        return result(name, Status.NOT_ATTEMPTED,
                      "fixed_targets is not filled in yet: replace `...` with an array")
    problem = _kind_problem(answer, what="an array with one target per point")
    if problem:
        return result(name, Status.WRONG, problem, hint)
    targets = np.asarray(as_numpy(answer))
    if targets.shape != classes.shape:
        return result(name, Status.WRONG,
                      f"expected one target per point, shape {classes.shape}, got {targets.shape}", hint)
    values = sorted({float(v) for v in np.unique(targets)})
    if not set(values) <= {0.0, 1.0}:
        shown = ", ".join(f"{v:g}" for v in values[:4]) + (", ..." if len(values) > 4 else "")
        explain = (" for t = -1, t - y_hat is -1 or -2 and never 0, so every such point "
                   "updates the weights again, epoch after epoch" if -1.0 in values else "")
        return result(name, Status.WRONG, f"the targets take the values {shown};{explain}", hint)
    targets = targets.astype(np.int64)
    run = pc.train_perceptron(X, targets, num_epochs=100, seed=0)
    if not np.array_equal(targets, classes):
        flipped = np.array_equal(targets, 1 - classes)
        return result(name, Status.WRONG,
                      "the rule converges on these targets, but they swap the two classes"
                      if flipped else "these targets do not match the points' classes",
                      "class 1 (the +1 targets) must stay 1, class -1 becomes 0")
    if not run.converged:  # cannot happen on separable data; kept so the claim is checked
        return result(name, Status.WRONG, "the rule still makes mistakes after 100 epochs", hint)
    return result(name, Status.CORRECT,
                  f"with 0/1 targets the rule converges in {len(run.mistakes)} epochs "
                  f"and classifies all {len(targets)} points correctly")

"""Exercise checks for notebook 04, training deep networks.

1. *Implement*: Adagrad's step, as ``keras.optimizers.Adagrad`` takes it, without
   touching the input arrays (:func:`check_adagrad_step`).
2. *Predict*: the largest stable learning rate on a tilted valley
   (:func:`check_tilted_learning_rate`).
3. *Diagnose*: the initialiser that keeps a classmate's network from learning
   (:func:`check_fixed_initializer`, which trains the network again).
4. *Model*: a network of at least eight hidden layers that reaches a validation target
   (:func:`check_deep_network`, which trains the student's function).

The last two checks load TensorFlow (quietly) when called, not when this module is
imported. Every check prints one verdict and never raises, whatever the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import surfaces, validate
from ..checks import (
    Case,
    CheckResult,
    Status,
    _crash,
    _short,
    as_numpy,
    check_function,
    describe_mismatch,
)
from ..outcomes import approx
from ..scratch import optimizers
from . import common
from .common import as_real, check_real, not_filled, result

# ------------------------------------------------------------------------ exercise 1


class _ModifiedInPlace:
    """What a guarded call returns when the student's function changed its inputs."""

    def __init__(self, names: list[str]) -> None:
        self.names = names


def _guarded(func: Callable[..., Any], names: Sequence[str]) -> Callable[..., Any]:
    """``func`` that reports a change to any of its array arguments instead of its result."""

    def call(*args: Any) -> Any:
        before = [np.array(a, copy=True) if isinstance(a, np.ndarray) else None for a in args]
        returned = func(*args)
        changed = [
            name for name, arg, copy in zip(names, args, before, strict=False)
            if copy is not None and not np.array_equal(arg, copy, equal_nan=True)
        ]
        return _ModifiedInPlace(changed) if changed else returned

    call.__name__ = getattr(func, "__name__", "your function")
    return call


def reference_adagrad_step(
    w: np.ndarray, accumulator: np.ndarray, grad: np.ndarray, learning_rate: float, epsilon: float = 1e-7
) -> tuple[np.ndarray, np.ndarray]:
    """One Adagrad step as Keras takes it: ``(new_w, new_accumulator)``; inputs untouched.

    ``accumulator + grad**2`` is the new sum of squared gradients;
    ``w - learning_rate * grad / sqrt(new_accumulator + epsilon)`` the new parameters.
    All arrays share one shape.
    """
    w = validate.array("w", w)
    accumulator = validate.array("accumulator", accumulator, shape=w.shape, layout=f"{w.shape}, like w")
    grad = validate.array("grad", grad, shape=w.shape, layout=f"{w.shape}, like w")
    if (accumulator < 0).any():
        raise ValueError("accumulator must hold sums of squares (>= 0)")
    learning_rate = validate.positive("learning_rate", learning_rate)
    epsilon = validate.positive("epsilon", epsilon)
    optimizer = optimizers.Adagrad(learning_rate, epsilon=epsilon)
    optimizer.state[0] = {"accumulator": accumulator.astype(float)}
    new_w = w.astype(float)
    optimizer.step(new_w, grad.astype(float))
    return new_w, optimizer.state[0]["accumulator"]


class _Expected:
    """A case's right answer and the answers common slips give, each with its hint."""

    def __init__(self, args: tuple) -> None:
        self.right = reference_adagrad_step(*args)
        self.slips = _adagrad_slips(*args)


def _adagrad_cases() -> list[Case]:
    rng = np.random.default_rng(4)
    cases = []
    for shape, learning_rate, accumulator_scale, grad_scale in (
        ((3,), 0.1, 0.0, 1.0),
        ((2, 2), 0.01, 2.0, 5.0),
        ((4,), 0.5, 30.0, 0.1),
    ):
        w, grad = rng.normal(size=shape), grad_scale * rng.normal(size=shape)
        accumulator = 0.1 + accumulator_scale * rng.uniform(size=shape)
        args = (w, accumulator, grad, learning_rate)
        cases.append(Case(args=args, expected=_Expected(args),
                          label=f"adagrad_step on shape {shape}, learning rate {learning_rate}"))
    return cases


def _adagrad_slips(w, accumulator, grad, learning_rate, epsilon=1e-7) -> dict[str, tuple]:
    """What common slips return on one case, with the hint each deserves."""
    total = accumulator + grad**2
    running_mean = 0.9 * accumulator + 0.1 * grad**2
    return {
        "the step divides by the old sum: add grad**2 to the accumulator first, then divide":
            (w - learning_rate * grad / np.sqrt(accumulator + epsilon), total),
        "that is RMSprop's running mean: Adagrad keeps the running sum, accumulator + grad**2":
            (w - learning_rate * grad / np.sqrt(running_mean + epsilon), running_mean),
        "the square root is missing: divide by sqrt(accumulator + epsilon)":
            (w - learning_rate * grad / (total + epsilon), total),
        "the sign is reversed: step against the gradient, w - ...":
            (w + learning_rate * grad / np.sqrt(total + epsilon), total),
        "epsilon goes inside the square root in Keras's Adagrad, sqrt(accumulator + epsilon)":
            (w - learning_rate * grad / (np.sqrt(total) + epsilon), total),
    }


def _pair_mismatch(expected: tuple, got: Any) -> str | None:
    got = as_numpy(got)
    if not isinstance(got, tuple | list) or len(got) != 2:
        return f"expected the pair (new_w, new_accumulator), got {_short(got)}"
    for label, want, have in zip(("new_w", "new_accumulator"), expected, got, strict=True):
        reason = describe_mismatch(want, have, rtol=1e-9, atol=1e-12)
        if reason:
            return f"{label} is wrong: {reason}"
    return None


def _adagrad_compare(expected: _Expected, got: Any) -> str | None:
    if isinstance(got, _ModifiedInPlace):
        return (f"your function changed {' and '.join(got.names)} in place (+=, -= or [...] = "
                "on an input array); the exercise asks for new arrays, w - ..., and the "
                "inputs left as they were")
    reason = _pair_mismatch(expected.right, got)
    if reason:
        for slip, wrong in expected.slips.items():
            if _pair_mismatch(wrong, got) is None:
                return f"{reason}; {slip}"
    return reason


def check_adagrad_step(func: Callable[..., tuple] | None) -> CheckResult:
    """``adagrad_step(w, accumulator, grad, learning_rate) -> (new_w, new_accumulator)``.

    The expected steps are ``keras.optimizers.Adagrad``'s (``scratch.Adagrad`` is tested
    equal to it); a function that changes its input arrays is wrong, as the prompt says.
    """
    answer = _guarded(func, ("w", "accumulator", "grad")) if callable(func) else func
    return check_function(answer, _adagrad_cases(), name="adagrad_step", compare=_adagrad_compare,
                          hint=_ADAGRAD_HINT)


_ADAGRAD_HINT = ("new_accumulator = accumulator + grad**2 (a sum, not a mean), then "
                 "new_w = w - learning_rate * grad / sqrt(new_accumulator + 1e-7); build new "
                 "arrays rather than changing the inputs")


# ------------------------------------------------------------------------ exercise 2

TILTED_VALLEY = ((13.0, 12.0), (12.0, 13.0))
"""Exercise 2's Hessian: eigenvalues 25 (across the valley) and 1 (along it)."""


def tilted_valley() -> surfaces.Surface:
    """The loss ``0.5 * w^T A w`` of exercise 2, with ``A = [[13, 12], [12, 13]]``."""
    return surfaces.quadratic(TILTED_VALLEY, name="tilted valley", start=(-2.5, 1.5))


def diverges(learning_rate: float, num_steps: int = 400) -> bool:
    """Whether plain gradient descent at ``learning_rate`` leaves the tilted valley."""
    learning_rate = validate.positive("learning_rate", learning_rate)
    num_steps = validate.count("num_steps", num_steps)
    path = surfaces.trajectory(optimizers.SGD(learning_rate), tilted_valley(), num_steps=num_steps)
    return bool(surfaces.final_loss(path, tilted_valley()) > surfaces.final_loss(path[:1], tilted_valley()))


def check_tilted_learning_rate(answer: Any) -> CheckResult:
    """Exercise 2: on ``0.5 w^T A w`` with ``A = [[13, 12], [12, 13]]`` the border is 2/25."""
    largest = 2.0 / float(np.linalg.eigvalsh(np.array(TILTED_VALLEY)).max())
    hint = ("the border is set by the steepest direction, the largest curvature of the "
            "bowl: the largest eigenvalue of A, not a diagonal entry")
    rate = as_real(answer)
    if not isinstance(rate, str) and rate > 0 and abs(rate - largest) > 1e-3:
        outcome = "diverges" if diverges(rate) else "still converges"
        hint = f"at learning rate {rate:g} gradient descent {outcome}. " + hint
    return check_real(
        answer, largest, "largest stable learning rate", hint, tolerance=1e-3,
        mistakes=(
            (2 / 13, "2 / 13 uses a diagonal entry of A; the valley is tilted, so the "
             "curvatures are the eigenvalues of A, not its diagonal"),
            (1 / 25, "1 / 25 removes the steep direction in one step; rates up to twice that "
             "still converge (the steep coordinate flips sign but shrinks)"),
            (2.0, "2 / 1 uses the smallest curvature, along the valley; the steep direction "
             "diverges long before"),
            (0.1, "0.1 was the border of the other valley, 0.5 (w1^2 + 20 w2^2); this one "
             "is curved differently"),
        ),
    )


# ------------------------------------------------------------------------ exercise 3


def check_fixed_initializer(
    initializer: Any,
    build: Callable[[Any], Any],
    train: tuple[np.ndarray, np.ndarray],
    validation: tuple[np.ndarray, np.ndarray],
    *,
    learning_rate: float = 0.1,
    num_epochs: int = 3,
    target: float = 0.8,
) -> CheckResult:
    """Train ``build(initializer)`` with SGD as the classmate did and check that it learns."""
    build = validate.callable_("build", build)
    train = common.pair_of_arrays("train", train, what="(images, labels)")
    validation = common.pair_of_arrays("validation", validation, what="(images, labels)")
    learning_rate = validate.positive("learning_rate", learning_rate)
    num_epochs = validate.count("num_epochs", num_epochs)
    target = validate.fraction("target", target, closed=True)
    name = "fixed_initializer"
    hint = ("look at the scale of the initial weights: after each ReLU layer the signal grows "
            "or shrinks by std * sqrt(fan_in / 2); pick the initialiser that keeps it steady")
    if not_filled(initializer):
        return result(name, Status.NOT_ATTEMPTED,
                      "fixed_initializer is not filled in yet: replace `...` and run the cell")
    from ..backend import keras

    keras.utils.set_random_seed(0)
    try:
        model = build(initializer)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(*train, epochs=num_epochs, batch_size=32, verbose=0)
        accuracy = float(model.evaluate(*validation, verbose=0, batch_size=500)[1])
    except Exception as error:  # noqa: BLE001 - a bad initializer becomes feedback
        outcome = _crash(error, "building and training the network with your initialiser")
        return result(name, Status.WRONG, outcome.message,
                      "give a Keras initialiser: a name such as 'glorot_uniform' or an object "
                      "such as keras.initializers.RandomNormal(stddev=...)")
    if not np.isfinite(accuracy) or accuracy < target:
        return result(name, Status.WRONG,
                      f"with your initialiser the validation accuracy is {approx(accuracy)} after "
                      f"{num_epochs} epochs, below {target:.2f}", hint)
    return result(name, Status.CORRECT,
                  f"the network learns: validation accuracy {approx(accuracy)} after {num_epochs} epochs")


# ------------------------------------------------------------------------ exercise 4


def _hidden_dense_layers(model: Any, keras: Any) -> list[Any]:
    """The model's Dense layers except the last (the output layer), nested models included."""
    found: list[Any] = []

    def walk(layer: Any) -> None:
        for inner in getattr(layer, "layers", []):
            walk(inner) if hasattr(inner, "layers") else found.append(inner)

    walk(model)
    dense = [layer for layer in found if isinstance(layer, keras.layers.Dense)]
    return dense[:-1]


def check_deep_network(
    train_deep_network: Callable[[np.ndarray, np.ndarray], Any] | None,
    train: tuple[np.ndarray, np.ndarray],
    validation: tuple[np.ndarray, np.ndarray],
    *,
    min_hidden_layers: int = 8,
    max_epochs: int = 10,
    target: float = 0.92,
) -> CheckResult:
    """Call ``train_deep_network(x, y) -> (model, history)`` and check depth, epochs, accuracy."""
    train = common.pair_of_arrays("train", train, what="(images, labels)")
    validation = common.pair_of_arrays("validation", validation, what="(images, labels)")
    min_hidden_layers = validate.count("min_hidden_layers", min_hidden_layers)
    max_epochs = validate.count("max_epochs", max_epochs)
    target = validate.fraction("target", target, closed=True)
    name = "train_deep_network"
    if not_filled(train_deep_network):
        return result(name, Status.NOT_ATTEMPTED, "train_deep_network is not written yet")
    if not callable(train_deep_network):
        return result(name, Status.WRONG,
                      f"train_deep_network should be a function, got {type(train_deep_network).__name__}",
                      "define it with `def train_deep_network(x, y):`")
    from ..backend import keras

    keras.utils.set_random_seed(0)
    try:
        returned = common.call_with_time_limit(train_deep_network, *train)
    except common.TimeLimitExceeded:
        return result(name, Status.WRONG, common.too_slow(name), f"train for {max_epochs} epochs or fewer")
    except NotImplementedError:
        return result(name, Status.NOT_ATTEMPTED,
                      "train_deep_network is still the stub: write its body and run the cell again")
    except Exception as error:  # noqa: BLE001 - any student error becomes feedback
        outcome = _crash(error, "train_deep_network(x, y)")
        return result(name, Status.CRASHED, outcome.message,
                      "build the model, compile it, fit it, then `return model, history`")
    if not (isinstance(returned, tuple) and len(returned) == 2):
        return result(name, Status.WRONG, f"train_deep_network returned {_short(returned)}",
                      "return two things: `return model, history` (history is what fit returns)")
    model, history = returned
    if not isinstance(model, keras.Model):
        return result(name, Status.WRONG, f"the first value returned is {_short(model)}, not a model",
                      "return the Keras model first, then fit's history")
    losses = getattr(history, "history", {}).get("loss") if history is not None else None
    if not losses:
        return result(name, Status.WRONG, "the second value returned is not fit's history",
                      "keep what `model.fit(...)` returns and return it second")
    hidden = _hidden_dense_layers(model, keras)
    if len(hidden) < min_hidden_layers:
        return result(name, Status.WRONG,
                      f"the network has {len(hidden)} hidden Dense layers, fewer than {min_hidden_layers}",
                      "the exercise is about training a deep network: keep at least "
                      f"{min_hidden_layers} hidden layers and make them trainable")
    if len(losses) > max_epochs:
        return result(name, Status.WRONG, f"it trained for {len(losses)} epochs, more than {max_epochs}",
                      f"use epochs={max_epochs} or fewer")
    try:
        accuracy = float(model.evaluate(*validation, verbose=0, batch_size=500)[1])
    except Exception as error:  # noqa: BLE001
        outcome = _crash(error, "evaluating your model on the validation digits")
        return result(name, Status.CRASHED, outcome.message,
                      "compile with metrics=['accuracy'] and inputs of shape (8, 8, 1)")
    if not np.isfinite(accuracy) or accuracy < target:
        return result(name, Status.WRONG,
                      f"validation accuracy {approx(accuracy, '.3f')}, below the target {target:.2f}",
                      "sections 7 to 9: an activation whose gradient survives depth, an "
                      "initialisation scaled for it, batch normalisation, an adaptive optimizer")
    return result(name, Status.CORRECT,
                  f"validation accuracy {approx(accuracy, '.3f')} reaches {target:.2f} with "
                  f"{len(hidden)} hidden layers in {len(losses)} epochs")

"""Exercise checks for notebook 09, recurrent networks."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import checks, forecasting, recurrence, validate
from ..checks import Case, CheckResult, Outcome, Status, _crash, _short, check_function, check_value
from ..outcomes import approx
from . import common

# --------------------------------------------------------------------------- BPTT for u


def reference_dh_du(x: Any, u: float, w: float) -> np.ndarray:
    """``dh_t/du`` for ``t = 1..T`` of ``h_t = tanh(u x_t + w h_{t-1})``, ``h_0 = 0``.

    Args:
        x: ``(T,)`` the inputs.
        u, w: the input and the recurrent weight.

    Returns:
        ``(T,)`` the derivatives.
    """
    x = validate.array("x", x, ndim=1, layout="(T,)")
    u, w = validate.real("u", u), validate.real("w", w)
    h, sensitivity, result = 0.0, 0.0, []
    for x_t in x:
        h_new = math.tanh(u * x_t + w * h)
        sensitivity = (x_t + w * sensitivity) * (1.0 - h_new**2)
        h = h_new
        result.append(sensitivity)
    return np.array(result)


def _truncated_dh_du(x: Any, u: float, w: float) -> np.ndarray:
    """The common mistake: forgetting that h_{t-1} depends on u too."""
    h, result = 0.0, []
    for x_t in np.asarray(x, dtype=float):
        h = math.tanh(u * x_t + w * h)
        result.append(x_t * (1.0 - h**2))
    return np.array(result)


def check_dh_du(func: Callable[..., Any] | None) -> CheckResult:
    """``dh_du(x, u, w)``: the recurrence for ``dh_t/du``, one value per time step."""
    calls = [
        (np.array([1.0, 0.5, -0.3]), 0.7, 0.9),
        (np.array([0.2]), -1.5, 0.4),
        (np.array([0.5, -1.0, 2.0, 0.1, 0.0, 1.2]), 0.3, -1.1),
        (np.random.default_rng(9).normal(size=12), 1.2, 0.8),
    ]
    cases = [
        Case(args=call, expected=reference_dh_du(*call),
             label=f"dh_du(x of length {len(call[0])}, u={call[1]}, w={call[2]})")
        for call in calls
    ]
    hint = (
        "keep a running s = dh_{t-1}/du starting at 0; at each step compute h_t, then "
        "s = (x_t + w * s) * (1 - h_t**2), and store s"
    )
    try:  # a more precise hint for the classic slip, if the function runs at all
        got = checks._call_with_time_limit(func, calls[2], {}, checks.TIME_LIMIT_S)  # type: ignore[arg-type]
        truncated = bool(np.allclose(got, _truncated_dh_du(*calls[2])))
    except (Exception, SystemExit, checks._TimeLimitExceeded):  # noqa: BLE001 - check_function reports them
        truncated = False
    if truncated:
        hint = ("your values ignore that h_{t-1} also depends on u: the recurrence needs the "
                "term w * dh_{t-1}/du inside the bracket")
    return check_function(func, cases, name="dh_du", hint=hint, rtol=1e-7, atol=1e-10)


# --------------------------------------------------------------------------- predict: vanishing


VANISH_W, VANISH_THRESHOLD = 0.8, 1e-3


def steps_to_vanish(w: float = VANISH_W, threshold: float = VANISH_THRESHOLD) -> int:
    """Fewest steps back ``k`` at which ``|dh_T/dh_{T-k}|`` of the resting tanh neuron
    (no input, so ``h = 0``) drops below ``threshold``.

    Args:
        w: the recurrent weight, ``-1 < w < 1`` (otherwise the gradient never vanishes).
        threshold: a number between 0 and 1.
    """
    w = validate.real("w", w, low=-1.0, high=1.0, low_open=True, high_open=True)
    threshold = validate.fraction("threshold", threshold)
    # |w|**k < threshold from k > log(threshold) / log|w| on: simulate a few steps beyond.
    needed = 1 if w == 0 else math.ceil(math.log(threshold) / math.log(abs(w))) + 2
    if needed > 10_000:
        raise ValueError(
            f"with w={w} the gradient needs more than 10,000 steps to fall below "
            f"threshold={threshold}: choose a larger threshold or a smaller |w|"
        )
    flow = recurrence.gradient_flow(w, steps=max(needed, 200))
    k = 0
    while flow.gradient_back(k) >= threshold:
        k += 1
    return k


def check_steps_to_vanish(answer: Any) -> CheckResult:
    """Predict: after how many steps back is the gradient through ``w = 0.8`` below 1e-3?"""
    expected = steps_to_vanish()
    name = "the number of steps"
    if answer is None or answer is Ellipsis:
        return check_value(answer, expected, name=name)
    converted = common.as_number(answer)
    number = math.nan if isinstance(converted, str) else converted
    if math.isfinite(number) and number != round(number):
        return _single(Status.WRONG, f"{name}: {_short(answer)} is not a whole number of steps. "
                       "Hint: the gradient is multiplied once per step, so round up to the "
                       "first whole k that is below the threshold")
    hint = f"one step back multiplies the gradient by w * tanh'(0) = {VANISH_W}; find the first k with {VANISH_W}**k < 1e-3"
    if number == expected - 1:
        hint = f"{VANISH_W}**{expected - 1} is {VANISH_W ** (expected - 1):.2e}, still above 1e-3"
    elif number == expected + 1:
        hint = f"one step too many: {VANISH_W}**{expected} is already below 1e-3"
    return check_value(answer, expected, name=name, hint=hint, rtol=0, atol=0)


def _single(status: Status, message: str, name: str = "answer") -> CheckResult:
    result = CheckResult(name=name, outcomes=[Outcome(status, message)])
    print(result)
    return result


# --------------------------------------------------------------------------- model: sine


SINE_TARGET = 0.2  # RMSE in standard-deviation units; the noise alone gives about 0.14


def evaluate_model(
    func: Callable[..., Any] | None,
    train: tuple[np.ndarray, ...],
    test: tuple[np.ndarray, np.ndarray],
    *,
    name: str,
    metric: Callable[[np.ndarray, np.ndarray], float],
    metric_name: str,
    target: float,
    hint: str,
    context: str = "",
    requirement: Callable[[Any], str | None] | None = None,
) -> CheckResult:
    """Train with the student's ``func(*train)``, measure ``metric`` on ``test``.

    Passes when the measured value is at most ``target`` and ``requirement(model)`` (if
    given) returns None rather than a complaint. The measured value is printed after "≈"
    (it depends on the machine), the target plainly.
    """
    train = tuple(validate.items("train", train, "arrays (x, y)"))
    if not train:
        raise ValueError("train must hold the training arrays, e.g. (x_train, y_train)")
    for i, item in enumerate(train):
        validate.array(f"train[{i}]", item, dtype=None)
    x_test, y_test = common.pair_of_arrays("test", test, what="(x_test, y_test)")
    y_test = validate.array("test[1]", y_test, ndim=2, layout="(n, outputs)", dtype=None)
    name = validate.text("name", name)
    metric = validate.callable_("metric", metric)
    metric_name = validate.text("metric_name", metric_name)
    target = validate.real("target", target)
    hint = validate.text("hint", hint, allow_empty=True)
    context = validate.text("context", context, allow_empty=True)
    if requirement is not None:
        requirement = validate.callable_("requirement", requirement)
    result = CheckResult(name=name)

    def finish(status: Status, message: str) -> CheckResult:
        result.outcomes.append(Outcome(status, message))
        print(result)
        return result

    if func is None or func is Ellipsis:
        return finish(Status.NOT_ATTEMPTED, f"{name} is still the stub: write its body and run the cell again")
    if not callable(func):
        return finish(Status.WRONG, f"{name} should be a function, but it is {type(func).__name__}")
    try:
        model = common.call_with_time_limit(func, *train)
    except NotImplementedError:
        return finish(Status.NOT_ATTEMPTED, f"{name} is still the stub: write its body and run the cell again")
    except common.TimeLimitExceeded:
        return finish(Status.WRONG, common.too_slow(name))
    except Exception as error:  # noqa: BLE001 - any student error becomes feedback
        return finish(Status.CRASHED, _crash(error, name).message)
    if model is None:
        return finish(Status.WRONG, f"{name} returned None: return the trained model")
    if not hasattr(model, "predict"):
        return finish(Status.WRONG, f"{name} should return a trained Keras model, got {type(model).__name__}")
    complaint = requirement(model) if requirement is not None else None
    if complaint:
        return finish(Status.WRONG, complaint)
    try:
        predicted = np.asarray(common.call_with_time_limit(lambda: model.predict(x_test, verbose=0)), dtype=float)
    except common.TimeLimitExceeded:
        return finish(Status.WRONG, common.too_slow(f"{name}'s model.predict"))
    except Exception as error:  # noqa: BLE001
        return finish(Status.CRASHED, _crash(error, f"{name}'s model.predict").message)
    if predicted.shape != y_test.shape:
        return finish(Status.WRONG, f"the model's predictions have shape {predicted.shape}, expected "
                      f"{y_test.shape}. Hint: end the model with a Dense layer of {y_test.shape[1]} unit(s)")
    if not np.all(np.isfinite(predicted)):
        return finish(Status.WRONG, f"the model predicts NaN or infinity. Hint: {hint}")
    value = metric(predicted, y_test)
    measured = f"test {metric_name} {approx(value, '.3f')}, target ≤ {target}{context}"
    if value <= target:
        return finish(Status.CORRECT, f"{name} reaches it: {measured}")
    return finish(Status.WRONG, f"{name} misses the target: {measured}. Hint: {hint}")


def check_sine_forecaster(func: Callable[..., Any] | None) -> CheckResult:
    """Model: ``train_sine_forecaster(x_train, y_train)`` returns a trained Keras model whose
    10-step-ahead forecast of the noisy sine has test RMSE at most ``SINE_TARGET``."""
    task = forecasting.sine_task()
    return evaluate_model(
        func, (task.x_train, task.y_train), (task.x_test, task.y_test),
        name="train_sine_forecaster", metric=forecasting.rmse, metric_name="RMSE",
        target=SINE_TARGET, context=" (persistence: about 1.2)",
        hint="a SimpleRNN of 16-32 units and Dense(1), Adam with learning rate 1e-2 and about "
        "10 epochs of batch 32 suffice; check that the model sees the whole window",
    )

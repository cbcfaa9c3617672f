"""Exercise checks for notebook 09, recurrent networks."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import forecasting, recurrence
from ..checks import Case, CheckResult, Outcome, Status, _crash, _short, check_function, check_value
from ..outcomes import approx

# --------------------------------------------------------------------------- BPTT for u


def reference_dh_du(x: Any, u: float, w: float) -> np.ndarray:
    """``dh_t/du`` for ``t = 1..T`` of ``h_t = tanh(u x_t + w h_{t-1})``, ``h_0 = 0``."""
    h, sensitivity, result = 0.0, 0.0, []
    for x_t in np.asarray(x, dtype=float):
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
        truncated = np.allclose(func(*calls[2]), _truncated_dh_du(*calls[2]))  # type: ignore[misc]
    except Exception:  # noqa: BLE001 - check_function reports crashes itself
        truncated = False
    if truncated:
        hint = ("your values ignore that h_{t-1} also depends on u: the recurrence needs the "
                "term w * dh_{t-1}/du inside the bracket")
    return check_function(func, cases, name="dh_du", hint=hint, rtol=1e-7, atol=1e-10)


# --------------------------------------------------------------------------- predict: vanishing


VANISH_W, VANISH_THRESHOLD = 0.8, 1e-3


def steps_to_vanish(w: float = VANISH_W, threshold: float = VANISH_THRESHOLD) -> int:
    """Fewest steps back ``k`` at which ``|dh_T/dh_{T-k}|`` of the resting tanh neuron
    (no input, so ``h = 0``) drops below ``threshold``."""
    flow = recurrence.gradient_flow(w, steps=200)
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
    try:
        number = float(answer)
    except (TypeError, ValueError):
        number = math.nan
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
    x_test, y_test = test
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
        model = func(*train)
    except NotImplementedError:
        return finish(Status.NOT_ATTEMPTED, f"{name} is still the stub: write its body and run the cell again")
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
        predicted = np.asarray(model.predict(x_test, verbose=0), dtype=float)
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

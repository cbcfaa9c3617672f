"""Exercise checks for notebook 02, the perceptron."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import validate
from ..checks import Case, CheckResult, as_numpy, check_function, check_value, describe_mismatch
from ..scratch import activations as act
from ..scratch import perceptron as pc


def check_sigmoid_derivative(func: Callable[[np.ndarray], np.ndarray] | None) -> CheckResult:
    """``sigmoid_derivative(a)``: element-wise ``sigma(a) (1 - sigma(a))``, any shape."""
    rng = np.random.default_rng(3)
    inputs = [np.array([0.0]), np.array([-2.0, 0.5, 3.0]), rng.normal(scale=4, size=(3, 4))]
    cases = [Case(args=(a,), expected=act.sigmoid_derivative(a)) for a in inputs]
    return check_function(
        func,
        cases,
        name="sigmoid_derivative",
        atol=1e-10,
        hint="compute s = sigmoid(a) once, then return s * (1 - s); the value at 0 is 1/4",
    )


def _compare_update(expected: tuple, got: Any) -> str | None:
    got = as_numpy(got)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return f"expected a pair (new_w, new_b), got {type(got).__name__}"
    reason = describe_mismatch(expected[0], got[0])
    if reason:
        return f"new_w: {reason}"
    reason = describe_mismatch(expected[1], got[1])
    return f"new_b: {reason}" if reason else None


def check_perceptron_update(func: Callable[..., tuple] | None) -> CheckResult:
    """``perceptron_update(w, b, x, t, lr)`` -> ``(new_w, new_b)``, Rosenblatt's rule."""
    calls = [
        (np.array([0.0, 0.0]), 0.0, np.array([1.0, 2.0]), 0, 1.0),  # false positive at a = 0
        (np.array([0.5, -1.0]), -0.2, np.array([1.0, 2.0]), 1, 1.0),  # missed positive
        (np.array([0.5, -1.0]), -0.2, np.array([-1.0, -2.0]), 0, 0.5),  # already right
        (np.array([1.0, 1.0, 1.0]), 0.0, np.array([2.0, 0.0, -1.0]), 0, 0.1),  # false positive
    ]
    cases = [
        Case(args=call, expected=pc.perceptron_update(*call)[:2], label=f"case {i + 1}")
        for i, call in enumerate(calls)
    ]
    return check_function(
        func,
        cases,
        name="perceptron_update",
        compare=_compare_update,
        hint="predict y_hat = 1 if w @ x + b >= 0 else 0, then add lr * (t - y_hat) * x "
        "to w and lr * (t - y_hat) to b",
    )


def check_gate_weights(w1: Any, w2: Any, b: Any, gate: str = "OR") -> CheckResult:
    """Weights ``(w1, w2, b)`` for which ``step(w1 x1 + w2 x2 + b)`` computes ``gate``."""
    gate = validate.choice("gate", gate, pc.GATES)
    name = f"weights for the {gate} gate"
    X, t = pc.boolean_gate(gate)
    if any(v is None or v is Ellipsis for v in (w1, w2, b)):
        return check_value(..., t, name=name)
    try:
        weights = np.array([validate.real(label, as_numpy(v)) for label, v in (("w1", w1), ("w2", w2))])
        outputs = pc.perceptron_predict(X, weights, validate.real("b", as_numpy(b)))
    except Exception as error:  # noqa: BLE001 - any malformed answer becomes feedback
        return check_value(
            f"{type(error).__name__}: {error}", t, name=name, hint="use three numbers"
        )
    wrong = [f"{tuple(int(v) for v in x)} -> {o}" for x, o, e in zip(X, outputs, t, strict=True) if o != e]
    hint = (
        f"the neuron answers {', '.join(wrong)}; the output should be 1 exactly for the "
        f"inputs in the {gate} truth table. Pick w1 = w2 = 1 and move the threshold with b"
    )
    return check_value(outputs, t, name=name, hint=hint)


def check_updates_per_epoch(answer: Any, num_examples: int = 200, batch_size: int = 16) -> CheckResult:
    """Minibatch updates in one epoch: ``ceil(num_examples / batch_size)``."""
    num_examples = validate.count("num_examples", num_examples)
    batch_size = validate.count("batch_size", batch_size)
    return check_value(
        answer,
        math.ceil(num_examples / batch_size),
        name="updates per epoch",
        hint="each update uses one minibatch, and the last, smaller batch counts too",
    )

"""Exercise checks for notebook 03, backpropagation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import validate
from ..checks import Case, CheckResult, as_numpy, check_function, describe_mismatch
from ..scratch import activations as act
from ..scratch import dense


def _compare_tuple(names: tuple[str, ...]) -> Callable[[tuple, Any], str | None]:
    """A comparison for functions returning several arrays, naming the one that is off."""

    def compare(expected: tuple, got: Any) -> str | None:
        got = as_numpy(got)
        if not isinstance(got, (tuple, list)) or len(got) != len(names):
            return f"expected a tuple ({', '.join(names)}), got {type(got).__name__}"
        for name, want, have in zip(names, expected, got, strict=True):
            reason = describe_mismatch(want, have, rtol=1e-6, atol=1e-9)
            if reason:
                return f"{name}: {reason}"
        return None

    return compare


def reference_neuron_gradient(x: np.ndarray, t: float, w: np.ndarray, b: float):
    """Gradient of ``(sigmoid(w . x + b) - t)**2 / 2`` with respect to ``w`` and ``b``."""
    x = validate.array("x", x, ndim=1, layout="(d,)")
    w = validate.array("w", w, shape=x.shape, layout=f"(d,) = {x.shape}, like x")
    t = validate.real("t", t)
    b = validate.real("b", b)
    a = float(np.dot(w, x) + b)
    delta = (float(act.sigmoid(np.asarray(a))) - t) * float(act.sigmoid_derivative(np.asarray(a)))
    return delta * np.asarray(x, dtype=float), delta


def check_neuron_gradient(func: Callable[..., tuple] | None) -> CheckResult:
    """``neuron_gradient(x, t, w, b)`` -> ``(dw, db)`` for a sigmoid neuron, squared loss."""
    rng = np.random.default_rng(11)
    calls = [
        (np.array([1.0, 2.0]), 1.0, np.array([0.0, 0.0]), 0.0),
        (np.array([0.5, -1.0, 2.0]), 0.0, np.array([0.3, -0.2, 0.1]), 0.5),
        (rng.normal(size=4), 1.0, rng.normal(size=4), -0.3),
    ]
    cases = [
        Case(args=call, expected=reference_neuron_gradient(*call), label=f"case {i + 1}")
        for i, call in enumerate(calls)
    ]
    return check_function(
        func,
        cases,
        name="neuron_gradient",
        compare=_compare_tuple(("dw", "db")),
        hint="chain rule: delta = (y - t) * sigmoid'(a) with a = w @ x + b; then dw = delta * x "
        "and db = delta",
    )


def check_dense_parameter_count(func: Callable[[int, int], int] | None) -> CheckResult:
    """``dense_parameter_count(n_in, n_out)``: weights plus biases of a dense layer."""
    shapes = [(2, 2), (784, 10), (3, 1), (128, 64)]
    cases = [Case(args=s, expected=dense.dense_parameter_count(*s)) for s in shapes]
    return check_function(
        func,
        cases,
        name="dense_parameter_count",
        hint="every output unit has one weight per input plus one bias",
    )


def check_dense_backward(func: Callable[..., tuple] | None) -> CheckResult:
    """``dense_backward(dout, cache)`` -> ``(dx, dW, db)`` with ``cache = (x, W)``."""
    rng = np.random.default_rng(5)
    cases = []
    for n, n_in, n_out in [(1, 3, 2), (4, 5, 3), (6, 2, 1)]:
        x, W, b = rng.normal(size=(n, n_in)), rng.normal(size=(n_in, n_out)), rng.normal(size=n_out)
        _, cache = dense.dense_forward(x, W, b)
        dout = rng.normal(size=(n, n_out))
        cases.append(
            Case(
                args=(dout, cache),
                expected=dense.dense_backward(dout, cache),
                label=f"a batch of {n}, {n_in} inputs, {n_out} outputs",
            )
        )
    return check_function(
        func,
        cases,
        name="dense_backward",
        compare=_compare_tuple(("dx", "dW", "db")),
        hint="out = x @ W + b, so dx = dout @ W.T, dW = x.T @ dout and db sums dout over the "
        "batch (axis 0); check the shapes match x, W and b",
    )

"""Exercise checks for notebook 10, LSTM and GRU."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import checks, data, validate
from ..checks import Case, CheckResult, Outcome, Status, check_function
from ..scratch import recurrent
from . import common
from .recurrent_networks import evaluate_model

# --------------------------------------------------------------------------- one GRU step


def reference_gru_step(x_t, h_prev, kernel, recurrent_kernel, bias) -> np.ndarray:
    """One step of Keras's GRU: ``(batch, features), (batch, units) -> (batch, units)``.

    ``kernel: (features, 3 * units)``, ``recurrent_kernel: (units, 3 * units)`` and
    ``bias: (2, 3 * units)`` as ``keras.layers.GRU`` holds them.
    """
    x_t = validate.array("x_t", x_t, ndim=2, layout="(batch, features)")
    h_prev = validate.array("h_prev", h_prev, ndim=2, layout="(batch, units)")
    kernel = validate.array("kernel", kernel, ndim=2, layout="(features, 3 * units)")
    if len(h_prev) != len(x_t):
        raise ValueError(f"h_prev must hold one state per row of x_t: {len(x_t)} rows, got {len(h_prev)}")
    if kernel.shape[0] != x_t.shape[1]:
        raise ValueError(f"kernel must have one row per feature of x_t ({x_t.shape[1]}), got shape {kernel.shape}")
    if kernel.shape[1] != 3 * h_prev.shape[1]:
        raise ValueError(
            f"kernel must have 3 * units = {3 * h_prev.shape[1]} columns for the {h_prev.shape[1]} units "
            f"of h_prev, got shape {kernel.shape}"
        )
    h_seq, _ = recurrent.gru_forward(x_t[:, np.newaxis], kernel, recurrent_kernel, bias, h0=h_prev)
    return h_seq[:, 0]


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _gru_variant(x_t, h_prev, kernel, recurrent_kernel, bias, *, swap_update=False,
                 reset_before=False, drop_recurrent_bias=False, order=(0, 1, 2)):
    """Plausible wrong versions of a GRU step, to recognise and name a student's slip."""
    units = h_prev.shape[1]
    blocks = [slice(k * units, (k + 1) * units) for k in order]
    a = x_t @ kernel + bias[0]
    q = h_prev @ recurrent_kernel + (0 if drop_recurrent_bias else bias[1])
    z = _sigmoid(a[:, blocks[0]] + q[:, blocks[0]])
    r = _sigmoid(a[:, blocks[1]] + q[:, blocks[1]])
    if reset_before:
        q_h = (r * h_prev) @ recurrent_kernel[:, blocks[2]] + (0 if drop_recurrent_bias else bias[1][blocks[2]])
        candidate = np.tanh(a[:, blocks[2]] + q_h)
    else:
        candidate = np.tanh(a[:, blocks[2]] + r * q[:, blocks[2]])
    if swap_update:
        return (1 - z) * h_prev + z * candidate
    return z * h_prev + (1 - z) * candidate


_GRU_SLIPS = {
    "swap_update": "Keras's update gate z keeps the old state: h_t = z * h_prev + (1 - z) * candidate "
    "(the lecture's slides use the opposite convention)",
    "reset_before": "Keras 3 applies the reset gate after the recurrent projection "
    "(reset_after=True): candidate = tanh(a_h + r * (h_prev @ R_h + b_rec_h))",
    "drop_recurrent_bias": "the bias has two rows: bias[0] goes with the input projection and "
    "bias[1] with the recurrent one; both are needed",
    "order": "the blocks of columns come in the order z (update), r (reset), h (candidate)",
}


def _gru_cases() -> list[Case]:
    rng = np.random.default_rng(12)
    cases = []
    for batch, features, units in ((2, 3, 4), (1, 1, 1), (5, 2, 3)):
        args = (
            rng.normal(size=(batch, features)),
            rng.normal(size=(batch, units)),
            rng.normal(size=(features, 3 * units)),
            rng.normal(size=(units, 3 * units)),
            rng.normal(size=(2, 3 * units)),
        )
        cases.append(Case(args=args, expected=reference_gru_step(*args),
                          label=f"gru_step with batch {batch}, {features} features, {units} units"))
    return cases


def _student_call(func: Any, args: tuple) -> Any:
    """``func(*args)`` within the checks' time limit; None if it fails or runs too long."""
    try:
        return checks._call_with_time_limit(func, args, {}, checks.TIME_LIMIT_S)
    except (Exception, SystemExit, checks._TimeLimitExceeded):  # noqa: BLE001 - check_function reports them
        return None


def _diagnose_gru(func: Any, case: Case) -> str | None:
    try:
        got = np.asarray(_student_call(func, tuple(np.copy(a) for a in case.args)), dtype=float)
    except Exception:  # noqa: BLE001 - crashes are reported by check_function
        return None
    variants: dict[str, dict[str, Any]] = {
        "swap_update": {"swap_update": True},
        "reset_before": {"reset_before": True},
        "drop_recurrent_bias": {"drop_recurrent_bias": True},
        "order": {"order": (1, 0, 2)},
    }
    for slip, options in variants.items():
        wrong = _gru_variant(*case.args, **options)
        if got.shape == wrong.shape and np.allclose(got, wrong, rtol=1e-6, atol=1e-9):
            return _GRU_SLIPS[slip]
    return None


_GRU_ARGUMENTS = ("x_t", "h_prev", "kernel", "recurrent_kernel", "bias")


def _changed_argument(func: Any, case: Case) -> str | None:
    """The name of an argument ``func`` modifies in place, if any."""
    copies = [np.copy(a) for a in case.args]
    _student_call(func, tuple(copies))
    for name, original, after in zip(_GRU_ARGUMENTS, case.args, copies, strict=True):
        if after.shape != original.shape or not np.array_equal(after, original):
            return name
    return None


def check_gru_step(func: Callable[..., Any] | None) -> CheckResult:
    """``gru_step(x_t, h_prev, kernel, recurrent_kernel, bias) -> h_t`` in Keras's layout."""
    cases = _gru_cases()
    hint = (
        "split x_t @ kernel + bias[0] and h_prev @ recurrent_kernel + bias[1] into the z, r, h "
        "blocks; z and r are sigmoids of the sums, the candidate is tanh(a_h + r * q_h), and "
        "h_t = z * h_prev + (1 - z) * candidate"
    )
    if callable(func):
        changed = _changed_argument(func, cases[0])
        if changed:
            result = CheckResult(name="gru_step", outcomes=[Outcome(
                Status.WRONG,
                f"gru_step changed its argument {changed} in place. Hint: build new arrays "
                "(z * h_prev + ...) instead of writing into the inputs; a recurrent loop still "
                "needs the previous state",
            )])
            print(result)
            return result
        hint = _diagnose_gru(func, cases[0]) or hint
    return check_function(func, cases, name="gru_step", hint=hint, rtol=1e-6, atol=1e-9)


# --------------------------------------------------------------------------- parameter counts


CELLS = ("SimpleRNN", "LSTM", "GRU")


def keras_parameter_count(cell: str, m: int, n: int, k: int) -> int:
    """``count_params()`` of ``Sequential([Input((None, m)), <cell>(n), Dense(k)])``.

    ``cell`` is ``"SimpleRNN"``, ``"LSTM"`` or ``"GRU"``; ``m``, ``n``, ``k`` are counts.
    """
    return _keras_parameter_count(
        validate.choice("cell", cell, CELLS), validate.count("m", m), validate.count("n", n),
        validate.count("k", k),
    )


@functools.lru_cache(maxsize=64)
def _keras_parameter_count(cell: str, m: int, n: int, k: int) -> int:
    from ..backend import keras

    model = keras.Sequential([keras.Input((None, m)), getattr(keras.layers, cell)(n), keras.layers.Dense(k)])
    return int(model.count_params())


def _variants(cell: str, m: int, n: int, k: int) -> dict[str, int]:
    gates = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[cell]
    biases = 2 if cell == "GRU" else 1
    return {
        "no output layer": gates * n * (m + n + biases),
        "no biases": gates * n * (m + n) + k * n,
        "one bias vector for the GRU": gates * n * (m + n + 1) + k * (n + 1),
        "no gate multiplier": n * (m + n + biases) + k * (n + 1),
    }


_COUNT_HINTS = {
    "no output layer": "the model ends with Dense(k), which has (n + 1) * k parameters of its own",
    "no biases": "every gate and the Dense layer have a bias vector",
    "one bias vector for the GRU": "Keras 3's GRU (reset_after=True) has two bias vectors per "
    "gate: one for the input projection and one for the recurrent projection",
    "no gate multiplier": "an LSTM has four blocks (i, f, c, o) and a GRU three (z, r, h), each "
    "with its own input weights, recurrent weights and bias",
}

_COUNT_CALLS = [
    ("SimpleRNN", 10, 20, 5),
    ("LSTM", 10, 20, 5),
    ("GRU", 10, 20, 5),
    ("LSTM", 1, 1, 1),
    ("GRU", 300, 64, 300),
    ("SimpleRNN", 7, 3, 2),
]


def check_parameter_count(func: Callable[[str, int, int, int], int] | None) -> CheckResult:
    """``parameter_count(cell, m, n, k)``: what Keras's ``count_params()`` reports for a
    recurrent layer of ``n`` units on ``m`` inputs followed by ``Dense(k)``."""
    cases = [
        Case(args=call, expected=keras_parameter_count(*call),
             label=f"parameter_count({call[0]!r}, m={call[1]}, n={call[2]}, k={call[3]})")
        for call in _COUNT_CALLS
    ]
    hint = ("count the input weights (m per unit and block), the recurrent weights (n per unit "
            "and block), the biases, and the Dense output layer")
    if callable(func):
        for case in cases:
            got = common.as_count(checks.as_numpy(_student_call(func, case.args)))
            if got == case.expected:
                continue
            slips = [name for name, value in _variants(*case.args).items() if got == value]
            if slips:
                hint = _COUNT_HINTS[slips[0]]
            break
    return check_function(func, cases, name="parameter_count", hint=hint, rtol=0, atol=0,
                          compare=_exact_count)


def _exact_count(expected: int, got: Any) -> str | None:
    count = common.as_count(got)
    if isinstance(count, str):
        number = common.as_number(got)  # a float holding a whole number is fine too
        if isinstance(number, str) or not number.is_integer():
            return f"expected a whole number, got {type(got).__name__} {checks._short(got)}"
        count = int(number)
    return None if count == expected else f"expected {expected}, got {count}"


# --------------------------------------------------------------------------- model: small network


ADDING_LENGTH = 30
PARAMETER_BUDGET = 300
ADDING_TARGET = 0.01  # test MSE; predicting the mean gives about 0.167


def adding_split() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The exercise's data: 2,000 training and 1,000 test sequences of length 30."""
    return data.adding_problem(2000, ADDING_LENGTH, seed=0), data.adding_problem(1000, ADDING_LENGTH, seed=1)


def check_small_adding_model(func: Callable[..., Any] | None) -> CheckResult:
    """Model: ``train_small_adding_model(x_train, y_train)`` returns a trained Keras model
    with at most 300 parameters and test MSE at most 0.01 on the adding problem, T = 30."""
    train, test = adding_split()

    def mse(predicted: np.ndarray, target: np.ndarray) -> float:
        return float(np.mean((predicted - target) ** 2))

    def within_budget(model: Any) -> str | None:
        try:
            count = int(model.count_params())
        except Exception:  # noqa: BLE001 - an unbuilt or foreign model
            return "the model's parameters cannot be counted: return a built Keras model"
        if count > PARAMETER_BUDGET:
            return (f"the model has {count} parameters, more than the budget of {PARAMETER_BUDGET}. "
                    "Hint: use your parameter_count to find how many units fit")
        return None

    return evaluate_model(
        func, train, test, name="train_small_adding_model", metric=mse, metric_name="MSE",
        target=ADDING_TARGET, context=" (predicting the mean: 0.167)", requirement=within_budget,
        hint="a gated cell (GRU or LSTM) with a handful of units, Adam with a learning rate of "
        "1e-2 to 2e-2 and clipnorm=1, and about 10 epochs of batch 32 to 64",
    )

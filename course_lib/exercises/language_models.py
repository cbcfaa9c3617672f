"""Exercise checks for notebook 11, language models and sequence-to-sequence."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.special import log_softmax

from .. import sequences, validate
from ..checks import Case, CheckResult, Outcome, Status, check_function
from . import common

# ---------------------------------------------------------------- helpers


def _report(name: str, status: Status, message: str) -> CheckResult:
    result = CheckResult(name=name, outcomes=[Outcome(status, message)])
    print(result)
    return result


def _is_stub(value: Any) -> bool:
    return value is None or value is Ellipsis


def _held_out_perplexity(model, inputs: np.ndarray, targets: np.ndarray) -> float:
    logits = np.asarray(model.predict(inputs, verbose=0), dtype=np.float64)
    return sequences.perplexity(log_softmax(logits, axis=-1), targets)


def _held_out(inputs: Any, targets: Any) -> tuple[np.ndarray, np.ndarray]:
    """The notebook's held-out token ids: ``inputs`` and next-token ``targets``, ``(n, time)``."""
    inputs = validate.array("inputs", inputs, ndim=2, layout="(sentences, time)", kind="int")
    targets = validate.array("targets", targets, shape=inputs.shape,
                             layout=f"(sentences, time) = {inputs.shape}, the shape of inputs", kind="int")
    if inputs.min() < 0 or targets.min() < 0:
        raise ValueError("inputs and targets must hold token ids (>= 0)")
    return inputs, targets


# ---------------------------------------------------------------- exercise 1 (predict)

INITIAL_TOLERANCE = 0.15


def check_initial_perplexity(prediction: Any, model, inputs: np.ndarray, targets: np.ndarray) -> CheckResult:
    """Predict the held-out perplexity of an untrained language model, then measure it.

    The prediction counts as right within 15 % of the measured value.

    Args:
        prediction: the student's answer, a number.
        model: the notebook's untrained Keras language model (token ids to logits).
        inputs, targets: held-out token ids, ``(sentences, time)`` each.
    """
    name = "predicted perplexity"
    model = validate.model("model", model)
    inputs, targets = _held_out(inputs, targets)
    if _is_stub(prediction):
        return _report(name, Status.NOT_ATTEMPTED, "predicted_perplexity is not filled in yet: "
                       "replace `...` with a number and run the cell")
    number = common.as_number(prediction)
    if isinstance(number, str):
        return _report(name, Status.WRONG, f"give a number: {number}. "
                       "Hint: perplexity is exp(mean cross-entropy per token)")
    prediction = number
    try:
        measured = _held_out_perplexity(model, inputs, targets)
    except (TypeError, ValueError) as error:
        raise ValueError(f"model could not score inputs and targets: {error}") from error
    except Exception as error:  # noqa: BLE001 - Keras and TensorFlow errors, said in words
        raise ValueError(f"model could not read inputs ({type(error).__name__}: {error})") from None
    if not math.isfinite(prediction):
        return _report(name, Status.WRONG, f"{prediction} is not a finite number")
    if abs(prediction - measured) <= INITIAL_TOLERANCE * measured:
        return _report(name, Status.CORRECT, f"your prediction {prediction:g} is within 15 % of the "
                       f"untrained model's measured perplexity ≈ {measured:.1f}")
    if prediction < measured:
        hint = ("an untrained model knows nothing about the grammar, so it cannot beat it; "
                "what does a model with tiny random logits predict for every token?")
        if prediction <= math.log(measured) * 1.2:
            hint = "that looks like a cross-entropy (a logarithm); perplexity is its exponential"
    else:
        hint = ("a model that spreads probability evenly over k tokens has perplexity k; "
                "how many tokens can the output layer choose from?")
    return _report(name, Status.WRONG, f"your prediction {prediction:g} is far from the measured "
                   f"perplexity ≈ {measured:.1f}. Hint: {hint}")


# ---------------------------------------------------------------- exercise 2 (implement)


def _log_probs_case(seed: int, length: int, vocab: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    log_probs = log_softmax(rng.normal(scale=2.0, size=(length, vocab)), axis=-1)
    ids = rng.integers(0, vocab, size=length + 1)
    # Consecutive ids differ, so reading the log-probability of the current token (an
    # off-by-one) gives a different sum.
    for t in range(1, len(ids)):
        if ids[t] == ids[t - 1]:
            ids[t] = (ids[t] + 1) % vocab
    return log_probs, ids


def reference_sentence_log_probability(log_probs: np.ndarray, ids: np.ndarray) -> float:
    """``sum_t log_probs[t, ids[t + 1]]`` for one unpadded sentence.

    Args:
        log_probs: ``(len(ids) - 1, vocab)`` next-token log-probabilities (<= 0).
        ids: ``(n,)`` the sentence's token ids, from its start marker on.
    """
    log_probs = validate.array("log_probs", log_probs, ndim=2, layout="(positions, vocab)", finite=False)
    if np.isnan(log_probs).any() or (log_probs > 1e-6).any():
        raise ValueError("log_probs must hold log-probabilities (<= 0, no NaN)")
    ids = validate.array("ids", ids, shape=(len(log_probs) + 1,),
                         layout=f"(positions + 1,) = ({len(log_probs) + 1},), one more id than log_probs has rows",
                         kind="int")
    if ids.min() < 0 or ids.max() >= log_probs.shape[1]:
        raise ValueError(f"ids must be token ids in 0..{log_probs.shape[1] - 1}")
    return float(log_probs[np.arange(len(ids) - 1), ids[1:]].sum())


def check_sentence_log_probability(func: Callable[[np.ndarray, np.ndarray], float] | None) -> CheckResult:
    """``sentence_log_probability(log_probs, ids)`` with ``log_probs: (len(ids) - 1, vocab)``."""
    cases = []
    for seed, length, vocab in [(0, 3, 5), (1, 4, 7), (2, 1, 4), (3, 6, 38)]:
        log_probs, ids = _log_probs_case(seed, length, vocab)
        cases.append(Case(args=(log_probs, ids), expected=reference_sentence_log_probability(log_probs, ids),
                          label=f"a sentence of {length + 1} ids, vocabulary of {vocab}"))
    return check_function(
        func, cases, name="sentence_log_probability",
        hint="row t of log_probs is the prediction made after reading ids[t], so it scores the "
        "token that comes next, ids[t + 1]; add these log-probabilities (do not average them "
        "or exponentiate them)",
    )


# ---------------------------------------------------------------- exercise 3 (model)


def check_small_language_model(
    train: Callable[[], Any] | None,
    inputs: np.ndarray,
    targets: np.ndarray,
    *,
    target_perplexity: float,
    max_parameters: int = 1000,
) -> CheckResult:
    """Call ``train()``, then measure the returned model's size and held-out perplexity.

    Args:
        train: the student's function, without arguments, returning a trained model.
        inputs, targets: held-out token ids, ``(sentences, time)`` each.
        target_perplexity: the perplexity to reach (at least 1).
        max_parameters: the model's parameter budget.
    """
    name = "small language model"
    inputs, targets = _held_out(inputs, targets)
    target_perplexity = validate.real("target_perplexity", target_perplexity, low=1.0)
    max_parameters = validate.count("max_parameters", max_parameters)
    if _is_stub(train):
        return _report(name, Status.NOT_ATTEMPTED, "train_small_language_model is not written yet")
    if not callable(train):
        return _report(name, Status.WRONG, f"train_small_language_model should be a function, "
                       f"got {type(train).__name__}")
    try:
        model = common.call_with_time_limit(train)
    except NotImplementedError:
        return _report(name, Status.NOT_ATTEMPTED, "train_small_language_model is still the stub: "
                       "replace `raise NotImplementedError` with your code and run that cell again")
    except common.TimeLimitExceeded:
        return _report(name, Status.WRONG, common.too_slow("train_small_language_model"))
    except Exception as error:  # noqa: BLE001 - a student's error becomes feedback
        return _report(name, Status.CRASHED, f"train_small_language_model() raised "
                       f"{type(error).__name__}: {error}")
    if model is None:
        return _report(name, Status.NOT_ATTEMPTED, "train_small_language_model returned None: "
                       "end it with `return` and the trained model")
    if not (hasattr(model, "count_params") and hasattr(model, "predict")):
        return _report(name, Status.WRONG, f"return the trained Keras model, not "
                       f"{type(model).__name__}")
    try:
        count = int(common.call_with_time_limit(model.count_params))
        measured = common.call_with_time_limit(_held_out_perplexity, model, inputs, targets)
    except common.TimeLimitExceeded:
        return _report(name, Status.WRONG, common.too_slow("scoring the held-out sentences with your model"))
    except Exception as error:  # noqa: BLE001 - e.g. a model built for other inputs
        return _report(name, Status.WRONG, f"the model could not score the held-out sentences "
                       f"({type(error).__name__}: {error}). Hint: keep the input of token ids "
                       "and an output layer with one logit per vocabulary entry")
    if count > max_parameters:
        return _report(name, Status.WRONG, f"the model has {count:,} parameters, more than "
                       f"{max_parameters:,}. Hint: the embedding costs vocab x dim, the output "
                       "layer (units + 1) x vocab; a handful of units is enough for six roles")
    if not math.isfinite(measured) or measured > target_perplexity:
        return _report(name, Status.WRONG, f"held-out perplexity ≈ {measured:.2f} misses the target "
                       f"(≤ {target_perplexity:.2f}). Hint: a small model needs a larger learning "
                       "rate or a few more epochs")
    return _report(name, Status.CORRECT, f"held-out perplexity ≈ {measured:.2f} ≤ "
                   f"{target_perplexity:.2f} with {count:,} parameters (at most {max_parameters:,})")


# ---------------------------------------------------------------- exercise 4 (implement)


class _ChangedItsInput:
    """Returned in place of a result when the student's function modified its argument."""


def _guard_input(func: Callable) -> Callable:
    def guarded(targets, start_id, end_id):
        original = np.array(targets, copy=True)
        result = func(targets, start_id, end_id)
        if not np.array_equal(np.asarray(targets), original):
            return _ChangedItsInput()
        return result

    return guarded


def _compare_pair(expected: tuple[np.ndarray, np.ndarray], got: Any) -> str | None:
    if isinstance(got, _ChangedItsInput):
        return "your function changed `targets` in place; build new arrays instead"
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return f"return two arrays (decoder_inputs, decoder_targets), got {type(got).__name__}"
    for label, want, have in zip(("decoder_inputs", "decoder_targets"), expected, got, strict=True):
        try:
            array = np.asarray(have)
        except Exception:  # noqa: BLE001 - ragged or odd objects
            return f"{label} is not an array"
        if array.dtype.kind not in "iu":
            return (f"{label} has dtype {array.dtype}; token ids must stay integers "
                    "(an Embedding layer needs ids)")
        if array.shape != want.shape:
            return f"{label} should have shape {want.shape}, got {array.shape}"
        if not np.array_equal(array, want):
            row = int(np.argwhere((array != want).any(axis=1))[0, 0])
            return f"{label}[{row}] should be {want[row].tolist()}, got {array[row].tolist()}"
    return None


def check_teacher_forcing(func: Callable[[np.ndarray, int, int], tuple] | None) -> CheckResult:
    """``teacher_forcing(targets, start_id, end_id) -> (decoder_inputs, decoder_targets)``."""
    examples = [
        (np.array([[5, 6, 7]]), 1, 2),
        (np.array([[3, 4, 5, 6], [7, 8, 9, 3]]), 1, 2),
        (np.array([[9], [4], [6]]), 0, 11),
    ]
    cases = [Case(args=example, expected=sequences.teacher_forcing(*example),
                  label=f"teacher_forcing(targets of shape {example[0].shape}, start_id={example[1]}, "
                  f"end_id={example[2]})") for example in examples]
    guarded = func if _is_stub(func) or not callable(func) else _guard_input(func)
    return check_function(
        guarded, cases, name="teacher_forcing", compare=_compare_pair,
        hint="the decoder reads start_id then the true tokens, and must output the true tokens "
        "then end_id: both arrays have one column more than targets",
    )

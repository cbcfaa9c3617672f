"""Language models and sequence-to-sequence models: the NumPy side (notebook 11).

Scoring a sentence, perplexity, temperature sampling and teacher-forcing pairs are small
computations on arrays of token ids and probabilities; they live here so the notebook,
its widget and its exercise checks share one tested copy. Nothing here imports
TensorFlow: a Keras model enters only through :func:`model_next_word`, which calls its
``predict_on_batch``.

Conventions: token ids are int arrays, 0 is padding; ``log_probs: (batch, time, vocab)``
holds the model's log-probabilities of the *next* token at each position, so position
``t`` is scored against ``targets[:, t]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.special import log_softmax, softmax

from . import validate

NextWord = Callable[[np.ndarray], np.ndarray]
"""``next_word(prefixes: (n, t) int) -> (n, vocab)``: next-token probabilities."""


def _log_probs_and_targets(log_probs, targets) -> tuple[np.ndarray, np.ndarray]:
    log_probs = validate.array(
        "log_probs", log_probs, ndim=3, layout="(batch, time, vocab)", finite=False
    )
    targets = validate.array("targets", targets, ndim=2, layout="(batch, time)", kind="int")
    if targets.shape != log_probs.shape[:2]:
        raise ValueError(
            f"targets must be (batch, time) = {log_probs.shape[:2]} to match log_probs, "
            f"got {targets.shape}"
        )
    if targets.min() < 0 or targets.max() >= log_probs.shape[2]:
        raise ValueError(f"targets must be token ids in 0..{log_probs.shape[2] - 1}")
    if np.isnan(log_probs).any() or (log_probs > 1e-6).any():
        raise ValueError("log_probs must hold log-probabilities (<= 0, no NaN)")
    return log_probs, targets


def sequence_log_probabilities(log_probs, targets, *, pad_id: int = 0) -> np.ndarray:
    """The log-probability a language model gives each target sequence.

    ``log p(w_1 .. w_n) = sum_t log p(w_t | w_<t)``: at each position, pick the
    log-probability of the token that really comes next, and add them up, skipping
    padding.

    Args:
        log_probs: ``(batch, time, vocab)`` log-probabilities of the next token.
        targets: ``(batch, time)`` the tokens that come next (inputs shifted by one).
        pad_id: the padding id, not scored.

    Returns:
        ``(batch,)`` float64 log-probabilities (natural log).
    """
    log_probs, targets = _log_probs_and_targets(log_probs, targets)
    pad_id = validate.integer("pad_id", pad_id, minimum=0)
    picked = np.take_along_axis(log_probs, targets[..., np.newaxis], axis=-1)[..., 0]
    return np.where(targets != pad_id, picked, 0.0).sum(axis=1)


def perplexity(log_probs, targets, *, pad_id: int = 0) -> float:
    """``exp(-(total log-probability) / (number of scored tokens))`` over a whole batch.

    The exponential of the mean cross-entropy per token: a model that hesitates between
    k equally likely tokens at every step has perplexity k.
    """
    log_probs, targets = _log_probs_and_targets(log_probs, targets)
    pad_id = validate.integer("pad_id", pad_id, minimum=0)
    count = int((targets != pad_id).sum())
    if count == 0:
        raise ValueError("targets hold no token to score (all padding)")
    total = sequence_log_probabilities(log_probs, targets, pad_id=pad_id).sum()
    return float(np.exp(-total / count))


def log_probabilities_from_logits(logits) -> np.ndarray:
    """Log-softmax over the last axis: ``(..., vocab)`` logits to log-probabilities."""
    logits = validate.array("logits", logits, ndim=(2, 3), layout="(..., vocab)")
    return log_softmax(logits, axis=-1)


def apply_temperature(probabilities, temperature) -> np.ndarray:
    """Reshape a distribution with a temperature: ``p_T(w) ∝ p(w)^(1/T)``.

    The same as dividing the logits by ``T`` before the softmax. ``T < 1`` sharpens the
    distribution towards its most likely token, ``T > 1`` flattens it towards uniform,
    ``T = 1`` leaves it unchanged. Zero probabilities stay zero.

    Args:
        probabilities: ``(..., vocab)`` non-negative, summing to 1 along the last axis.
        temperature: a number > 0.

    Returns:
        An array of the same shape whose last axis sums to 1.
    """
    probabilities = validate.array("probabilities", probabilities, ndim=(1, 2, 3))
    temperature = validate.positive("temperature", temperature)
    if (probabilities < 0).any():
        raise ValueError("probabilities must be >= 0")
    if not np.allclose(probabilities.sum(axis=-1), 1.0, atol=1e-4):
        raise ValueError("probabilities must sum to 1 along the last axis")
    with np.errstate(divide="ignore"):
        log_p = np.log(probabilities)
    # Measured from the most likely token, the logits stay finite at any temperature: a
    # tiny one makes the distribution one-hot rather than 0/0.
    logits = (log_p - log_p.max(axis=-1, keepdims=True)) / temperature
    return softmax(logits, axis=-1)


def sample_next(probabilities, temperature, rng: np.random.Generator) -> np.ndarray:
    """Draw one token per row from ``probabilities: (batch, vocab)`` at ``temperature``.

    Inverse-CDF sampling: one uniform number per row, compared with the cumulative sum
    of the tempered distribution. Passing generators seeded alike gives the same uniform
    numbers, so samples at different temperatures differ only by the temperature.

    Returns:
        ``(batch,)`` int64 token ids.
    """
    probabilities = validate.array("probabilities", probabilities, ndim=2, layout="(batch, vocab)")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {validate.describe(rng)}")
    tempered = apply_temperature(probabilities, temperature)
    cumulative = np.cumsum(tempered, axis=1)
    uniform = rng.random((len(tempered), 1)) * cumulative[:, -1:]
    return np.minimum((cumulative <= uniform).sum(axis=1), tempered.shape[1] - 1).astype(np.int64)


def sample_sequences(
    next_word: NextWord,
    n: int,
    *,
    start_id: int,
    end_id: int,
    temperature: float,
    max_length: int,
    seed: int = 0,
) -> list[list[int]]:
    """Generate ``n`` sequences token by token, feeding each sampled token back in.

    Args:
        next_word: ``(n, t)`` prefixes (all starting with ``start_id``) to ``(n, vocab)``
            next-token probabilities.
        start_id, end_id: the begin and end markers.
        temperature: passed to :func:`sample_next`.
        max_length: the longest sequence generated (without the markers).
        seed: seeds the sampler; the same seed gives the same uniform numbers.

    Returns:
        ``n`` lists of token ids, without the start marker, cut before ``end_id``.
    """
    validate.callable_("next_word", next_word)
    n = validate.count("n", n)
    max_length = validate.count("max_length", max_length)
    temperature = validate.positive("temperature", temperature)
    rng = np.random.default_rng(validate.seed("seed", seed))
    prefixes = np.full((n, 1), validate.integer("start_id", start_id, minimum=0), dtype=np.int64)
    end_id = validate.integer("end_id", end_id, minimum=0)
    for step in range(max_length + 1):
        try:
            probabilities = validate.array(
                "next_word's result", next_word(prefixes), shape=(n, None),
                layout=f"(n={n}, vocab): one row of next-token probabilities per prefix",
            )
        except (TypeError, ValueError) as error:
            where = f" the prefix [start_id={prefixes[0, 0]}]" if step == 0 else f" prefixes of length {step + 1}"
            kind = TypeError if isinstance(error, TypeError) else ValueError
            raise kind(f"next_word failed on{where}: {error}") from error
        prefixes = np.column_stack([prefixes, sample_next(probabilities, temperature, rng)])
        if (prefixes[:, 1:] == end_id).any(axis=1).all():
            break
    sequences = []
    for row in prefixes[:, 1:].tolist():
        sequences.append(row[: row.index(end_id)] if end_id in row else row[:max_length])
    return sequences


def model_next_word(model, width: int) -> NextWord:
    """Next-token probabilities from a causal Keras language model that outputs logits.

    Prefixes are padded on the right to ``width`` so every call has the same shape (Keras
    then reuses one traced function); a left-to-right recurrent model's output at position
    ``t`` depends only on the inputs up to ``t``, so the padding cannot change it.
    """
    model = validate.model("model", model)
    width = validate.count("width", width)

    def next_word(prefixes: np.ndarray) -> np.ndarray:
        prefixes = validate.array("prefixes", prefixes, ndim=2, kind="int")
        length = prefixes.shape[1]
        if length > width:
            raise ValueError(f"prefixes are longer ({length}) than the model's width {width}")
        padded = np.zeros((len(prefixes), width), dtype=np.int64)
        padded[:, :length] = prefixes
        logits = np.asarray(model.predict_on_batch(padded))[:, length - 1]
        return softmax(logits.astype(np.float64), axis=-1)

    return next_word


def grammar_next_word(vocabulary: Sequence[str], *, start: str = "<bos>", end: str = "<eos>") -> NextWord:
    """The toy grammar's exact next-token probabilities, indexed like ``vocabulary``.

    The ideal language model for ``data.toy_grammar_corpus``. After a prefix the grammar
    never produces, every word and ``end`` are equally likely.
    """
    from . import data

    vocabulary = [
        validate.text(f"vocabulary[{i}]", token, allow_empty=True)
        for i, token in enumerate(validate.items("vocabulary", vocabulary, "tokens (strings)"))
    ]
    start, end = validate.text("start", start), validate.text("end", end)
    for name, marker in (("start", start), ("end", end)):
        if marker not in vocabulary:
            raise ValueError(f"vocabulary must contain {marker!r} ({name}), the sentence's {name} marker")
    index = {token: i for i, token in enumerate(vocabulary)}
    words = [i for i, token in enumerate(vocabulary) if _is_word(token)]
    fallback = np.zeros(len(vocabulary))
    fallback[[*words, index[end]]] = 1.0 / (len(words) + 1)

    def next_word(prefixes: np.ndarray) -> np.ndarray:
        prefixes = validate.array("prefixes", prefixes, ndim=2, kind="int")
        if prefixes.min() < 0 or prefixes.max() >= len(vocabulary):
            raise ValueError(f"prefixes must hold token ids in 0..{len(vocabulary) - 1}")
        rows = np.empty((len(prefixes), len(vocabulary)))
        for row, prefix in zip(rows, prefixes, strict=True):
            tokens = [vocabulary[i] for i in prefix]
            known = data.toy_grammar_next_word(tokens[1:]) if tokens[0] == start else {}
            if known and end not in tokens:
                row[:] = 0.0
                for token, p in known.items():
                    row[index[token]] = p
            else:
                row[:] = fallback
        return rows

    return next_word


def _is_word(token: str) -> bool:
    from . import data

    try:
        data.toy_grammar_role(token)
    except ValueError:
        return False
    return True


def teacher_forcing(targets, start_id: int, end_id: int) -> tuple[np.ndarray, np.ndarray]:
    """The decoder's inputs and targets for training with teacher forcing.

    At step t the decoder reads the *true* previous token and must predict the current
    one: inputs are ``start, y_1, ..., y_n`` and targets ``y_1, ..., y_n, end``.

    Args:
        targets: ``(batch, n)`` token ids of the output sequences.

    Returns:
        ``(decoder_inputs, decoder_targets)``, both ``(batch, n + 1)`` int64; ``targets``
        is not modified.
    """
    targets = validate.array("targets", targets, ndim=2, layout="(batch, time)", kind="int")
    start_id = validate.integer("start_id", start_id, minimum=0)
    end_id = validate.integer("end_id", end_id, minimum=0)
    column = np.ones((len(targets), 1), dtype=np.int64)
    return (
        np.concatenate([start_id * column, targets], axis=1),
        np.concatenate([targets, end_id * column], axis=1),
    )


def nearest_neighbour_agreement(vectors, labels: Sequence) -> float:
    """The share of vectors whose nearest other vector (Euclidean) has the same label.

    Args:
        vectors: ``(n, dim)`` e.g. word embeddings.
        labels: ``n`` labels, e.g. grammatical roles.
    """
    vectors = validate.array("vectors", vectors, ndim=2, layout="(n, dim)")
    labels = validate.items("labels", labels, "labels")
    if len(labels) != len(vectors) or len(labels) < 2:
        raise ValueError(f"labels must give one label per vector (>= 2), got {len(labels)} for {len(vectors)}")
    squared = ((vectors[:, np.newaxis] - vectors[np.newaxis]) ** 2).sum(axis=-1)
    np.fill_diagonal(squared, np.inf)
    nearest = squared.argmin(axis=1)
    return float(np.mean([labels[i] == labels[j] for i, j in enumerate(nearest)]))

"""Notebook 11: the exact toy grammar, sequence helpers against Keras, checks and the widget."""

import ast
import math
from collections import Counter
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.special import log_softmax, softmax

from course_lib import data, sequences
from course_lib.checks import Status
from course_lib.exercises import language_models as exercises
from course_lib.widgets import language

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "11_language_models_and_seq2seq.py"
VOCABULARY = ["", "[UNK]", *data.toy_grammar_corpus(1).vocab[1:]]


def notebook_function(name: str):
    """A function defined in notebook 11, compiled on its own (with NumPy as ``np``)."""
    tree = ast.parse(NOTEBOOK.read_text(encoding="utf-8"))
    found = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name]
    assert found, f"notebook 11 defines no function {name}"
    namespace = {"np": np}
    exec(compile(ast.Module(body=found, type_ignores=[]), str(NOTEBOOK), "exec"), namespace)
    return namespace[name]


# ---------------------------------------------------------------- the toy grammar


def test_grammar_distribution_is_a_distribution():
    distribution = data.toy_grammar_distribution()
    assert len(distribution) == 1260
    assert math.isclose(sum(distribution.values()), 1.0, rel_tol=1e-12)
    assert min(distribution.values()) > 0


def test_the_lecture_sentences():
    assert data.toy_grammar_probability("I like cats") == pytest.approx(0.75 / 20 * 0.45 / 6)
    assert data.toy_grammar_probability("I table cats") == 0.0
    assert data.toy_grammar_probability("like I cats") == 0.0
    assert data.toy_grammar_probability("  I like   cats ") == data.toy_grammar_probability("I like cats")
    with pytest.raises(TypeError):
        data.toy_grammar_probability(["I", "like", "cats"])


def test_generator_follows_the_exact_distribution():
    """The constants of the exact distribution match the generator's code."""
    corpus = data.toy_grammar_corpus(30_000, seed=3)
    distribution = data.toy_grammar_distribution()
    assert all(sentence in distribution for sentence in corpus.sentences)
    counts = Counter(corpus.sentences)
    # Shares of the first word and of the object rules are estimated within a few 1e-3.
    first = Counter(sentence.split()[0] for sentence in corpus.sentences)
    for word, p in data.toy_grammar_next_word([]).items():
        assert first[word] / len(corpus.sentences) == pytest.approx(p, abs=0.012)
    lengths = Counter(len(sentence.split()) for sentence in corpus.sentences)
    assert lengths[3] / len(corpus.sentences) == pytest.approx(0.45, abs=0.012)
    total_variation = 0.5 * sum(abs(counts[s] / len(corpus.sentences) - p) for s, p in distribution.items())
    assert total_variation < 0.12  # 1,260 outcomes from 30,000 draws: sampling noise is about 0.09


def test_next_word_is_the_conditional_of_the_distribution():
    distribution = data.toy_grammar_distribution()
    after_i_like = data.toy_grammar_next_word(["I", "like"])
    mass = {}
    for sentence, p in distribution.items():
        words = sentence.split()
        if words[:2] == ["I", "like"]:
            mass[words[2]] = mass.get(words[2], 0.0) + p
    total = sum(mass.values())
    assert after_i_like == pytest.approx({word: p / total for word, p in mass.items()})
    assert data.toy_grammar_next_word(["I", "like", "cats"]) == {"<eos>": pytest.approx(1.0)}
    assert data.toy_grammar_next_word(["like"]) == {}
    with pytest.raises(TypeError):
        data.toy_grammar_next_word("I like")


def test_entropy_and_roles():
    entropy, mean_tokens = data.toy_grammar_entropy()
    distribution = np.array(list(data.toy_grammar_distribution().values()))
    assert entropy == pytest.approx(-(distribution * np.log(distribution)).sum())
    assert mean_tokens == pytest.approx(2 + 0.45 + 2 * 0.25 + 2 * 0.3 + 1)
    assert data.toy_grammar_role("likes") == "verb_s" and data.toy_grammar_role("I") == "pronoun"
    with pytest.raises(ValueError):
        data.toy_grammar_role("<eos>")


# ---------------------------------------------------------------- scoring, against Keras


@pytest.fixture(scope="module")
def keras_module():
    from course_lib.backend import keras

    return keras


def test_perplexity_is_the_exponential_of_keras_loss(keras_module):
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4, 6, 9)).astype(np.float32)
    targets = rng.integers(1, 9, size=(4, 6))
    targets[1, 4:] = 0
    targets[3, 2:] = 0
    loss = keras_module.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
    keras_value = float(loss(targets, logits))
    ours = sequences.perplexity(log_softmax(logits.astype(np.float64), axis=-1), targets)
    assert ours == pytest.approx(math.exp(keras_value), rel=1e-5)


def test_sequence_log_probabilities_sum_the_next_tokens():
    log_probs = np.log(np.full((2, 3, 4), 0.25))
    targets = np.array([[1, 2, 3], [1, 0, 0]])
    np.testing.assert_allclose(sequences.sequence_log_probabilities(log_probs, targets),
                               [3 * np.log(0.25), np.log(0.25)])
    with pytest.raises(ValueError, match="batch, time"):
        sequences.sequence_log_probabilities(log_probs, targets[:, :2])
    with pytest.raises(ValueError, match="log-probabilities"):
        sequences.sequence_log_probabilities(np.full((2, 3, 4), 0.25), targets)
    with pytest.raises(ValueError, match="token ids"):
        sequences.sequence_log_probabilities(log_probs, targets + 4)
    with pytest.raises(ValueError, match="all padding"):
        sequences.perplexity(log_probs, np.zeros((2, 3), dtype=int))


# ---------------------------------------------------------------- temperature and sampling


def test_temperature_divides_the_logits(keras_module):
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(3, 7))
    probabilities = softmax(logits, axis=-1)
    for temperature in (0.1, 0.5, 1.0, 2.0, 10.0):
        expected = np.asarray(keras_module.ops.softmax(logits / temperature, axis=-1))
        np.testing.assert_allclose(sequences.apply_temperature(probabilities, temperature), expected,
                                   rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(sequences.apply_temperature(probabilities, 1.0), probabilities)
    with_zero = np.array([0.5, 0.5, 0.0])
    assert sequences.apply_temperature(with_zero, 3.0)[2] == 0.0


@pytest.mark.parametrize("bad", [0, -1.0, np.nan, "hot", None])
def test_temperature_must_be_positive(bad):
    with pytest.raises((TypeError, ValueError)):
        sequences.apply_temperature(np.array([0.5, 0.5]), bad)


def test_temperature_refuses_non_distributions():
    with pytest.raises(ValueError, match="sum to 1"):
        sequences.apply_temperature(np.array([0.5, 0.6]), 1.0)
    with pytest.raises(ValueError, match=">= 0"):
        sequences.apply_temperature(np.array([1.5, -0.5]), 1.0)


def test_notebook_temperature_equals_the_library():
    notebook_version = notebook_function("apply_temperature")
    probabilities = softmax(np.random.default_rng(2).normal(size=(5, 11)), axis=-1)
    for temperature in (0.25, 1.0, 3.0):
        np.testing.assert_allclose(notebook_version(probabilities, temperature),
                                   sequences.apply_temperature(probabilities, temperature))


def test_sample_next_follows_the_tempered_distribution():
    probabilities = np.tile([0.6, 0.3, 0.1, 0.0], (20_000, 1))
    for temperature in (0.5, 2.0):
        drawn = sequences.sample_next(probabilities, temperature, np.random.default_rng(0))
        frequencies = np.bincount(drawn, minlength=4) / len(drawn)
        np.testing.assert_allclose(frequencies, sequences.apply_temperature(probabilities[0], temperature),
                                   atol=0.015)
        assert frequencies[3] == 0.0
    with pytest.raises(TypeError, match="Generator"):
        sequences.sample_next(probabilities[:2], 1.0, 0)


def test_sampling_from_the_exact_grammar_is_always_grammatical():
    next_word = sequences.grammar_next_word(VOCABULARY)
    start, end = VOCABULARY.index("<bos>"), VOCABULARY.index("<eos>")
    samples = sequences.sample_sequences(next_word, 400, start_id=start, end_id=end,
                                         temperature=1.0, max_length=8, seed=0)
    texts = [" ".join(VOCABULARY[i] for i in row) for row in samples]
    assert all(data.toy_grammar_probability(text) > 0 for text in texts)
    assert sum(text.split()[0] == "I" for text in texts) / 400 == pytest.approx(0.1875, abs=0.05)
    again = sequences.sample_sequences(next_word, 400, start_id=start, end_id=end,
                                       temperature=1.0, max_length=8, seed=0)
    assert samples == again


def test_grammar_next_word_rows_are_distributions():
    next_word = sequences.grammar_next_word(VOCABULARY)
    ids = {token: i for i, token in enumerate(VOCABULARY)}
    prefixes = np.array([[ids["<bos>"], ids["I"]], [ids["<bos>"], ids["like"]]])
    rows = next_word(prefixes)
    np.testing.assert_allclose(rows.sum(axis=1), 1.0)
    assert rows[0, ids["like"]] == pytest.approx(0.2) and rows[0, ids["likes"]] == 0.0
    assert rows[1, ids["like"]] == pytest.approx(rows[1, ids["cats"]])  # impossible prefix: uniform
    assert rows[1, ids[""]] == 0.0 and rows[1, ids["<bos>"]] == 0.0


def test_model_next_word_reads_the_last_real_position(keras_module):
    keras = keras_module
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(9, 4),
                              keras.layers.GRU(5, return_sequences=True), keras.layers.Dense(9)])
    prefixes = np.array([[2, 5, 7], [2, 3, 3]])
    expected = softmax(np.asarray(model(prefixes))[:, -1].astype(np.float64), axis=-1)
    np.testing.assert_allclose(sequences.model_next_word(model, width=8)(prefixes), expected, rtol=1e-5)
    with pytest.raises(ValueError, match="width"):
        sequences.model_next_word(model, width=2)(prefixes)


# ---------------------------------------------------------------- teacher forcing, neighbours


def test_teacher_forcing_shifts_by_one():
    targets = np.array([[5, 6, 7], [8, 9, 10]])
    inputs, outputs = sequences.teacher_forcing(targets, 1, 2)
    np.testing.assert_array_equal(inputs, [[1, 5, 6, 7], [1, 8, 9, 10]])
    np.testing.assert_array_equal(outputs, [[5, 6, 7, 2], [8, 9, 10, 2]])
    assert inputs.dtype.kind == "i" and outputs.dtype.kind == "i"
    np.testing.assert_array_equal(targets, [[5, 6, 7], [8, 9, 10]])
    np.testing.assert_array_equal(inputs[:, 1:], outputs[:, :-1])
    with pytest.raises(ValueError, match="batch, time"):
        sequences.teacher_forcing(np.array([1, 2, 3]), 1, 2)
    with pytest.raises(TypeError):
        sequences.teacher_forcing(np.array([[1.5, 2.0]]), 1, 2)


def test_notebook_solutions_equal_the_library():
    targets = np.random.default_rng(4).integers(3, 14, size=(6, 10))
    notebook_version = notebook_function("teacher_forcing")
    for got, want in zip(notebook_version(targets, 1, 2), sequences.teacher_forcing(targets, 1, 2),
                         strict=True):
        np.testing.assert_array_equal(got, want)
    log_probs = log_softmax(np.random.default_rng(5).normal(size=(5, 8)), axis=-1)
    ids = np.array([2, 4, 6, 1, 7, 3])
    assert notebook_function("sentence_log_probability")(log_probs, ids) == pytest.approx(
        sequences.sequence_log_probabilities(log_probs[None], ids[None, 1:])[0])


def test_nearest_neighbour_agreement():
    vectors = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.0, 5.2], [0.0, 0.3]])
    assert sequences.nearest_neighbour_agreement(vectors, list("aabba")) == 1.0
    assert sequences.nearest_neighbour_agreement(vectors, list("abbba")) == pytest.approx(0.6)
    with pytest.raises(ValueError, match="one label per vector"):
        sequences.nearest_neighbour_agreement(vectors, list("ab"))


# ---------------------------------------------------------------- exercise checks


def stub(*args):
    raise NotImplementedError


def crash(*args):
    return undefined_name  # noqa: F821


def right_log_probability(log_probs, ids):
    return float(sum(log_probs[t, ids[t + 1]] for t in range(len(ids) - 1)))


@pytest.mark.parametrize("wrong", [
    lambda lp, ids: float(sum(lp[t, ids[t]] for t in range(len(ids) - 1))),            # off by one
    lambda lp, ids: float(np.mean([lp[t, ids[t + 1]] for t in range(len(ids) - 1)])),  # mean
    lambda lp, ids: float(np.prod([np.exp(lp[t, ids[t + 1]]) for t in range(len(ids) - 1)])),  # p
    lambda lp, ids: float(sum(lp[t, ids[t + 1]] for t in range(len(ids) - 1)) / np.log(2)),  # bits
    lambda lp, ids: float(lp.max(axis=1).sum()),                                       # argmax
    lambda lp, ids: float(sum(lp[t, ids[t + 1]] for t in range(len(ids) - 2))),        # <eos> lost
])
def test_sentence_log_probability_check_rejects(wrong, capsys):
    assert exercises.check_sentence_log_probability(right_log_probability).passed
    result = exercises.check_sentence_log_probability(wrong)
    assert result.status is Status.WRONG and "Hint" in str(result)
    capsys.readouterr()


@pytest.mark.parametrize("answer, status", [
    (stub, Status.NOT_ATTEMPTED), (None, Status.NOT_ATTEMPTED), (..., Status.NOT_ATTEMPTED),
    (crash, Status.CRASHED), (42, Status.WRONG), ("sum", Status.WRONG),
    (lambda lp, ids: np.nan, Status.WRONG), (lambda lp, ids: 1e300, Status.WRONG),
    (lambda lp, ids: None, Status.NOT_ATTEMPTED),
])
def test_sentence_log_probability_check_never_raises(answer, status, capsys):
    assert exercises.check_sentence_log_probability(answer).status is status
    capsys.readouterr()


def test_sentence_log_probability_accepts_arrays_and_numpy_scalars(capsys):
    def as_array(log_probs, ids):
        return np.array([log_probs[np.arange(len(ids) - 1), ids[1:]].sum()])

    def as_numpy_scalar(log_probs, ids):
        return np.float32(log_probs[np.arange(len(ids) - 1), ids[1:]].sum())

    assert exercises.check_sentence_log_probability(as_array).passed
    assert exercises.check_sentence_log_probability(as_numpy_scalar).passed
    capsys.readouterr()


class FixedLogits:
    """A stand-in for a Keras model: constant logits, or the exact grammar's log-probabilities."""

    def __init__(self, parameters=500, vocab=None, grammar=False):
        self.parameters, self.grammar = parameters, grammar
        self.vocab = len(VOCABULARY) if vocab is None else vocab

    def count_params(self):
        return self.parameters

    def predict(self, inputs, verbose=0):
        if not self.grammar:
            return np.zeros((*inputs.shape, self.vocab))
        next_word = sequences.grammar_next_word(VOCABULARY)
        out = np.empty((*inputs.shape, self.vocab))
        for t in range(inputs.shape[1]):
            with np.errstate(divide="ignore"):
                out[:, t] = np.log(np.maximum(next_word(inputs[:, : t + 1]), 1e-12))
        return out


@pytest.fixture(scope="module")
def held_out():
    corpus = data.toy_grammar_corpus(200, seed=7)
    index = {token: i for i, token in enumerate(VOCABULARY)}
    rows = [[index["<bos>"], *(index[w] for w in s.split()), index["<eos>"]] for s in corpus.sentences]
    ids = np.zeros((len(rows), 6), dtype=np.int64)
    for row, tokens in zip(ids, rows, strict=True):
        row[: len(tokens)] = tokens
    sentences = corpus.sentences
    best = math.exp(-sum(math.log(data.toy_grammar_probability(s)) for s in sentences)
                    / sum(len(s.split()) + 1 for s in sentences))
    return ids[:, :-1], ids[:, 1:], best


def test_initial_perplexity_check(held_out, capsys):
    inputs, targets, _ = held_out
    uniform = FixedLogits()                     # perplexity exactly len(VOCABULARY) = 38
    check = exercises.check_initial_perplexity
    assert check(38, uniform, inputs, targets).passed
    assert check(np.int64(36), uniform, inputs, targets).passed
    assert check(np.array(38.0), uniform, inputs, targets).passed
    out = capsys.readouterr().out
    assert "≈ 38.0" in out
    for wrong in (1, 4.47, math.log(38), 38**2, 0, -38, float("nan"), float("inf")):
        assert check(wrong, uniform, inputs, targets).status is Status.WRONG, wrong
    assert "logarithm" in str(check(math.log(38), uniform, inputs, targets))
    for malformed in ("38", [38, 39], True, print):
        assert check(malformed, uniform, inputs, targets).status is Status.WRONG
    assert check(..., uniform, inputs, targets).status is Status.NOT_ATTEMPTED
    assert check(None, uniform, inputs, targets).status is Status.NOT_ATTEMPTED
    capsys.readouterr()


def test_small_language_model_check(held_out, capsys):
    inputs, targets, best = held_out
    check = exercises.check_small_language_model
    target = 1.1 * best
    assert check(lambda: FixedLogits(grammar=True), inputs, targets, target_perplexity=target).passed
    big = check(lambda: FixedLogits(parameters=5000, grammar=True), inputs, targets, target_perplexity=target)
    assert big.status is Status.WRONG and "5,000 parameters" in str(big)
    untrained = check(lambda: FixedLogits(), inputs, targets, target_perplexity=target)
    assert untrained.status is Status.WRONG and "misses the target" in str(untrained)
    assert check(stub, inputs, targets, target_perplexity=target).status is Status.NOT_ATTEMPTED
    assert check(None, inputs, targets, target_perplexity=target).status is Status.NOT_ATTEMPTED
    assert check(lambda: None, inputs, targets, target_perplexity=target).status is Status.NOT_ATTEMPTED
    assert check(crash, inputs, targets, target_perplexity=target).status is Status.CRASHED
    assert check(42, inputs, targets, target_perplexity=target).status is Status.WRONG
    assert check(lambda: "model", inputs, targets, target_perplexity=target).status is Status.WRONG
    wrong_vocab = check(lambda: FixedLogits(vocab=10), inputs, targets, target_perplexity=target)
    assert wrong_vocab.status is Status.WRONG
    capsys.readouterr()


def _no_shift(targets, start_id, end_id):
    return targets.copy(), targets.copy()


def _reversed_roles(targets, start_id, end_id):
    inputs, outputs = sequences.teacher_forcing(targets, start_id, end_id)
    return outputs, inputs


def _float_ids(targets, start_id, end_id):
    inputs, outputs = sequences.teacher_forcing(targets, start_id, end_id)
    return inputs.astype(float), outputs.astype(float)


def _in_place(targets, start_id, end_id):
    inputs, outputs = sequences.teacher_forcing(targets, start_id, end_id)
    targets[:, 0] = start_id
    return inputs, outputs


def _start_at_both_ends(targets, start_id, end_id):
    column = np.full((len(targets), 1), start_id)
    return np.hstack([column, targets]), np.hstack([targets, column])


def _inputs_only(targets, start_id, end_id):
    return sequences.teacher_forcing(targets, start_id, end_id)[0]


def _cut_instead_of_extend(targets, start_id, end_id):
    column = np.full((len(targets), 1), start_id)
    return np.hstack([column, targets[:, :-1]]), targets


@pytest.mark.parametrize("wrong", [_no_shift, _reversed_roles, _float_ids, _in_place,
                                   _start_at_both_ends, _inputs_only, _cut_instead_of_extend])
def test_teacher_forcing_check_rejects(wrong, capsys):
    result = exercises.check_teacher_forcing(wrong)
    assert result.status is Status.WRONG and "Hint" in str(result), str(result)
    capsys.readouterr()


def test_teacher_forcing_check_messages_and_right_answers(capsys):
    assert exercises.check_teacher_forcing(sequences.teacher_forcing).passed
    assert exercises.check_teacher_forcing(notebook_function("teacher_forcing")).passed

    def as_lists(targets, start_id, end_id):
        inputs, outputs = sequences.teacher_forcing(targets, start_id, end_id)
        return [inputs.tolist(), outputs.tolist()]

    assert exercises.check_teacher_forcing(as_lists).passed
    assert "in place" in str(exercises.check_teacher_forcing(_in_place))
    assert "integers" in str(exercises.check_teacher_forcing(_float_ids))
    for answer, status in ((stub, Status.NOT_ATTEMPTED), (None, Status.NOT_ATTEMPTED),
                           (crash, Status.CRASHED), (42, Status.WRONG), ("shift", Status.WRONG)):
        assert exercises.check_teacher_forcing(answer).status is status
    capsys.readouterr()


# ---------------------------------------------------------------- the widget


@pytest.fixture(scope="module")
def exact_table():
    return language.sampling_table(sequences.grammar_next_word(VOCABULARY), VOCABULARY,
                                   is_valid=lambda text: data.toy_grammar_probability(text) > 0,
                                   n_samples=40)


def test_sampling_table_from_the_exact_grammar(exact_table):
    assert set(exact_table.samples) == set(language.TEMPERATURES)
    # The exact grammar gives impossible words probability 0, which no temperature revives.
    assert all(share == 1.0 for share in exact_table.valid.values())
    assert exact_table.distinct[0.1] <= exact_table.distinct[5.0]
    np.testing.assert_allclose(exact_table.contexts["I"][VOCABULARY.index("like")], 0.2)


def test_render_temperature(exact_table):
    figure, text = language.render_temperature(exact_table, 0.5, "I like", is_valid=lambda t: True)
    assert len(figure.axes) == 2 and text.startswith("T = 0.5")
    assert text.count("✓") == 6
    bars = figure.axes[0].patches[:10]
    heights = [bar.get_height() for bar in bars]
    assert heights == sorted(heights, reverse=True)
    plt.close("all")
    with pytest.raises(ValueError, match="temperature"):
        language.render_temperature(exact_table, 0.3, "I")
    with pytest.raises(ValueError, match="context"):
        language.render_temperature(exact_table, 1.0, "you")


def test_the_explorer_never_calls_the_model_on_redraw(set_value):
    calls = []
    exact = sequences.grammar_next_word(VOCABULARY)

    def counting(prefixes):
        calls.append(len(prefixes))
        return exact(prefixes)

    widget = language.temperature_explorer(counting, VOCABULARY, n_samples=10)
    built = len(calls)
    temperature, context = widget.children[0].children
    printed = set_value(temperature, 3.0)
    assert "T = 3" in printed
    set_value(context, "I like")
    assert len(calls) == built
    plt.close("all")


def test_sampling_table_refuses_bad_inputs():
    next_word = sequences.grammar_next_word(VOCABULARY)
    with pytest.raises(ValueError, match="outside the vocabulary"):
        language.sampling_table(next_word, VOCABULARY, contexts=("I adore",))
    with pytest.raises(ValueError, match="<bos>"):
        language.sampling_table(next_word, ["a", "b"])
    with pytest.raises(ValueError):
        language.sampling_table(next_word, VOCABULARY, temperatures=(0.0,))

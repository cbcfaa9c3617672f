"""The temperature explorer of notebook 11: how sampling from a language model changes with T.

Everything the widget shows is computed when it is built: the next-word distributions
of a few contexts (one call of the model each) and, for every temperature on the slider,
a batch of sampled sentences drawn with the same random numbers. Moving a control only
rescales a stored distribution with :func:`course_lib.sequences.apply_temperature` and
redraws, so no redraw runs the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import sequences, validate
from . import redraw as _redraw

TEMPERATURES = (0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0)
CONTEXTS = ("", "I", "I like", "Alice likes the")
HIDDEN = ("", "[UNK]", "<pad>", "<bos>")


@dataclass(frozen=True)
class SamplingTable:
    """What the explorer shows, precomputed.

    ``contexts`` maps each context (words after ``<bos>``) to its ``(vocab,)`` next-token
    distribution at T = 1; ``samples`` maps each temperature to its sampled sentences;
    ``valid`` and ``distinct`` give, per temperature, the share of samples the grammar
    accepts and the share of distinct sentences among them.
    """

    vocabulary: list[str]
    temperatures: tuple[float, ...]
    contexts: dict[str, np.ndarray]
    samples: dict[float, list[str]]
    valid: dict[float, float]
    distinct: dict[float, float]


def sampling_table(
    next_word: sequences.NextWord,
    vocabulary: Sequence[str],
    *,
    contexts: Sequence[str] = CONTEXTS,
    temperatures: Sequence[float] = TEMPERATURES,
    n_samples: int = 60,
    max_length: int = 8,
    seed: int = 0,
    is_valid: Callable[[str], bool] | None = None,
    start: str = "<bos>",
    end: str = "<eos>",
) -> SamplingTable:
    """Sample ``n_samples`` sentences at every temperature and store the context distributions.

    Args:
        next_word: ``(n, t)`` prefixes to ``(n, vocab)`` probabilities (see
            :func:`course_lib.sequences.model_next_word`).
        vocabulary: the tokens, indexed by id; must contain ``start`` and ``end``.
        contexts: sentence beginnings (words after ``start``) whose next-word
            distribution the bar chart shows.
        is_valid: tells whether a sampled sentence is acceptable (e.g. grammatical);
            None counts every sentence as valid.
    """
    vocabulary = [str(token) for token in vocabulary]
    if start not in vocabulary or end not in vocabulary:
        raise ValueError(f"vocabulary must contain {start!r} and {end!r}")
    validate.callable_("next_word", next_word)
    temperatures = tuple(validate.positive("temperature", t) for t in temperatures)
    if not temperatures:
        raise ValueError("temperatures must hold at least one temperature")
    index = {token: i for i, token in enumerate(vocabulary)}
    distributions = {}
    for context in contexts:
        words = context.split()
        unknown = [word for word in words if word not in index]
        if unknown:
            raise ValueError(f"context {context!r} has words outside the vocabulary: {unknown}")
        prefix = np.array([[index[start], *(index[word] for word in words)]])
        distributions[context] = np.asarray(next_word(prefix), dtype=np.float64)[0]
    samples, valid, distinct = {}, {}, {}
    for temperature in temperatures:
        ids = sequences.sample_sequences(
            next_word, n_samples, start_id=index[start], end_id=index[end],
            temperature=temperature, max_length=max_length, seed=seed,
        )
        # Padding ("" in Keras vocabularies) is shown by name if a hot sampler draws it.
        sentences = [" ".join(vocabulary[i] or "<pad>" for i in row) for row in ids]
        samples[temperature] = sentences
        judged = [is_valid(s) if is_valid else True for s in sentences]
        valid[temperature] = float(np.mean(judged))
        distinct[temperature] = len(set(sentences)) / len(sentences)
    return SamplingTable(vocabulary, temperatures, distributions, samples, valid, distinct)


def render_temperature(
    table: SamplingTable,
    temperature: float,
    context: str,
    *,
    top: int = 10,
    is_valid: Callable[[str], bool] | None = None,
    shown: int = 6,
):
    """The tempered next-word distribution after ``context``, and samples at ``temperature``.

    Left: the ``top`` most likely next tokens at T = 1 (outlines) and at ``temperature``
    (bars). Right: the share of valid and of distinct samples against T, with the chosen
    temperature marked.

    Returns:
        ``(figure, text)``; the text lists ``shown`` samples (✓ valid, ✗ not).
    """
    if temperature not in table.samples:
        raise ValueError(f"temperature must be one of {table.temperatures}, got {temperature}")
    if context not in table.contexts:
        raise ValueError(f"context must be one of {list(table.contexts)}, got {context!r}")
    base = table.contexts[context]
    tempered = sequences.apply_temperature(base, temperature)
    visible = [i for i, token in enumerate(table.vocabulary) if token not in HIDDEN]
    order = sorted(visible, key=lambda i: -base[i])[:top]
    labels = [table.vocabulary[i] for i in order]

    fig, (bars, curves) = plt.subplots(1, 2, figsize=(10, 3.4), gridspec_kw={"width_ratios": [1.3, 1]})
    positions = np.arange(len(order))
    bars.bar(positions, tempered[order], color="tab:blue", label=f"T = {temperature:g}")
    bars.bar(positions, base[order], fill=False, edgecolor="black", label="T = 1")
    bars.set_xticks(positions, labels, rotation=45, ha="right")
    bars.set(ylim=(0, 1), ylabel="probability of the next word",
             title=f"after “<bos> {context}”".replace("  ", " "))
    bars.legend(loc="upper right")

    temps = np.array(table.temperatures)
    curves.semilogx(temps, [table.valid[t] for t in temps], marker="o", label="valid sentences")
    curves.semilogx(temps, [table.distinct[t] for t in temps], marker="s", label="distinct sentences")
    curves.axvline(temperature, color="crimson", linestyle="--")
    curves.set_xticks(temps, [f"{t:g}" for t in temps])
    curves.minorticks_off()
    curves.set(xlabel="temperature T", ylabel="share of the samples", ylim=(-0.03, 1.03),
               title=f"{len(table.samples[temperature])} samples per temperature")
    curves.legend(loc="center left")
    # Fixed margins: tight_layout would cost a third of the redraw budget.
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.27, top=0.9, wspace=0.22)
    plt.close(fig)

    lines = [f"T = {temperature:g}: {table.valid[temperature]:.0%} valid, "
             f"{table.distinct[temperature]:.0%} distinct. First samples:"]
    for sentence in table.samples[temperature][:shown]:
        mark = "" if is_valid is None else ("✓ " if is_valid(sentence) else "✗ ")
        lines.append(f"  {mark}{sentence or '(empty)'}")
    return fig, "\n".join(lines)


def temperature_explorer(
    next_word: sequences.NextWord,
    vocabulary: Sequence[str],
    *,
    contexts: Sequence[str] = CONTEXTS,
    temperatures: Sequence[float] = TEMPERATURES,
    n_samples: int = 60,
    max_length: int = 8,
    seed: int = 0,
    is_valid: Callable[[str], bool] | None = None,
) -> w.Widget:
    """A temperature slider and a context menu over a language model's samples.

    Args: as :func:`sampling_table`, which runs once here; the controls only redraw.
    """
    table = sampling_table(next_word, vocabulary, contexts=contexts, temperatures=temperatures,
                           n_samples=n_samples, max_length=max_length, seed=seed, is_valid=is_valid)
    options = [(f"{t:g}", t) for t in table.temperatures]
    temperature = w.SelectionSlider(options=options, value=1.0 if 1.0 in table.temperatures
                                    else table.temperatures[0], description="temperature",
                                    continuous_update=False)
    context = w.Dropdown(options=[(f"<bos> {c}".strip(), c) for c in table.contexts],
                         value=next(iter(table.contexts)), description="context")

    def render(t: float, c: str):
        return render_temperature(table, t, c, is_valid=is_valid)

    figure_out, text_out = _redraw.connect(render, [temperature, context])
    return w.VBox([w.HBox([temperature, context]), figure_out, text_out])

"""Every live widget of the course, built with representative inputs.

The benchmark (``make bench``) and the tests walk this catalogue: they build each widget,
move each of its controls to another value and time the redraw, so a new widget is
measured and tested as soon as it has an entry here. Add one entry per widget a notebook
shows, with the same kind of inputs the notebook passes.

Buttons that start a longer action on purpose (the playground's "Train") are listed in
``actions``: they are exercised, but the 150 ms callback budget does not apply to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import ipywidgets as w
import numpy as np


@dataclass(frozen=True)
class Entry:
    """One widget: the notebook that shows it, its builder's name, and how to build it."""

    notebook: str
    name: str
    build: Callable[[], w.Widget]
    actions: tuple[str, ...] = field(default=())


def _timeline():
    from . import timeline_explorer

    return timeline_explorer()


def _dimensions():
    from . import dimension_explorer

    return dimension_explorer()


def _activations():
    from . import activation_explorer

    return activation_explorer()


def _perceptron():
    from . import perceptron_stepper

    return perceptron_stepper()


def _approximation():
    from . import approximation_explorer

    return approximation_explorer()


def _playground():
    from . import network_playground

    return network_playground(num_steps=50)


def _optimizer_race():
    from . import optimizer_race

    return optimizer_race()


def _learning_rate():
    from . import learning_rate_explorer

    return learning_rate_explorer()


def _capacity():
    from . import capacity_explorer

    return capacity_explorer()


def _filters():
    from .. import data
    from . import filter_explorer

    return filter_explorer(data.load_photo("grace_hopper", gray=True, max_side=200))


def _source_model_and_digits():
    from .. import transfer

    model = transfer.load_source_model()
    _, (x_test, y_test) = transfer.source_task()
    return model, x_test[:10], y_test[:10]


def _feature_maps():
    from . import feature_map_browser

    model, images, _ = _source_model_and_digits()
    return feature_map_browser(model, images[:8])


def _fgsm():
    from .. import transfer
    from . import fgsm_explorer

    model, images, labels = _source_model_and_digits()
    return fgsm_explorer(model, images, labels, transfer.SOURCE_DIGITS)


def _gradient_flow():
    from . import gradient_flow_explorer

    return gradient_flow_explorer()


def _gates():
    from .. import data
    from . import gate_explorer

    rng = np.random.default_rng(0)
    units = 32
    weights = {
        "LSTM": [rng.normal(size=(2, 4 * units)), rng.normal(scale=0.2, size=(units, 4 * units)),
                 np.zeros(4 * units)],
        "GRU": [rng.normal(size=(2, 3 * units)), rng.normal(scale=0.2, size=(units, 3 * units)),
                np.zeros((2, 3 * units))],
    }
    sequences, _ = data.adding_problem(8, 50)
    return gate_explorer(weights, sequences)


def _temperature():
    from .. import data, sequences
    from . import temperature_explorer

    # The exact grammar stands in for a trained language model: same inputs, no training.
    vocabulary = ["", "[UNK]", *data.toy_grammar_corpus(1).vocab[1:]]
    return temperature_explorer(sequences.grammar_next_word(vocabulary), vocabulary,
                                is_valid=lambda text: data.toy_grammar_probability(text) > 0)


def _pipeline():
    from . import pipeline_explorer

    return pipeline_explorer(input_ms=12.0, compute_ms=8.0)

def _toy_decoder(latent_dim: int):
    """A fixed random decoder ``(n, latent_dim) -> (n, 28, 28)`` for building latent widgets."""
    weights = np.random.default_rng(0).normal(size=(latent_dim, 784))

    def decoder(codes):
        return (1 / (1 + np.exp(-np.asarray(codes) @ weights))).reshape(-1, 28, 28)

    return decoder


def _latent_explorer():
    from . import latent_explorer

    rng = np.random.default_rng(0)
    labels = np.arange(1000) % 10
    codes = rng.normal(size=(1000, 2)) + 3 * np.column_stack([np.cos(labels), np.sin(labels)])
    return latent_explorer(_toy_decoder(2), codes, labels)


def _interpolation_explorer():
    from .. import data
    from . import interpolation_explorer

    _, (x_test, _) = data.load_mnist()
    images = x_test[:10]
    rng = np.random.default_rng(1)
    codes = {"AE": rng.normal(size=(10, 2)), "VAE": rng.normal(size=(10, 8))}
    decoders = {"AE": _toy_decoder(2), "VAE": _toy_decoder(8)}
    return interpolation_explorer(decoders, codes, images)


def _snapshot_scrubber():
    from ..generative import ring
    from . import snapshot_scrubber

    rng = np.random.default_rng(0)
    centres = ring.ring_centres()
    snapshots = np.stack([centres[rng.integers(0, 8 - 2 * k, 500)] + rng.normal(0, 0.03, (500, 2))
                          for k in range(3, -1, -1)])
    backgrounds = rng.uniform(0, 1, (4, 41, 41))
    labels = [f"step {250 * (k + 1)}" for k in range(4)]
    return snapshot_scrubber(snapshots, labels, backgrounds=backgrounds, title="GAN samples")


def _noise_schedule_explorer():
    from . import noise_schedule_explorer

    yy, xx = np.mgrid[0:28, 0:28]
    image = (np.hypot(yy - 14, xx - 14) < 8).astype(float)
    return noise_schedule_explorer(image)


CATALOG: tuple[Entry, ...] = (
    Entry("00", "timeline_explorer", _timeline),
    Entry("01", "dimension_explorer", _dimensions),
    Entry("02", "activation_explorer", _activations),
    Entry("02", "perceptron_stepper", _perceptron),
    Entry("03", "approximation_explorer", _approximation),
    Entry("03", "network_playground", _playground, actions=("Train 50 steps",)),
    Entry("04", "optimizer_race", _optimizer_race),
    Entry("04", "learning_rate_explorer", _learning_rate),
    Entry("05", "capacity_explorer", _capacity),
    Entry("06", "filter_explorer", _filters),
    Entry("07", "feature_map_browser", _feature_maps),
    Entry("08", "fgsm_explorer", _fgsm),
    Entry("09", "gradient_flow_explorer", _gradient_flow),
    Entry("10", "gate_explorer", _gates),
    Entry("11", "temperature_explorer", _temperature),
    Entry("12", "latent_explorer", _latent_explorer),
    Entry("13", "interpolation_explorer", _interpolation_explorer),
    Entry("16", "pipeline_explorer", _pipeline),
    Entry("14", "snapshot_scrubber", _snapshot_scrubber),
    Entry("15", "noise_schedule_explorer", _noise_schedule_explorer),
)


_DISPLAY_ONLY = (w.Output, w.Label, w.HTML, w.HTMLMath, w.Image, w.Valid)


def controls(widget: w.Widget) -> Iterator[w.DOMWidget]:
    """The widget's controls (value widgets and buttons), depth first, in display order."""
    if isinstance(widget, w.Button) or (
        isinstance(widget, w.ValueWidget) and not isinstance(widget, _DISPLAY_ONLY)
    ):
        if not getattr(widget, "disabled", False) or isinstance(widget, w.Button):
            yield widget
        return
    for child in getattr(widget, "children", ()):
        yield from controls(child)


def label(control: w.DOMWidget) -> str:
    """How a control is named in reports: its description, else its type."""
    return getattr(control, "description", "") or type(control).__name__


def another_value(control: w.ValueWidget):
    """A valid value different from the control's current one (None if there is none)."""
    value = control.value
    if isinstance(control, w.Checkbox | w.ToggleButton):
        return not value
    if isinstance(control, w.SelectionRangeSlider):
        labels = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return (labels[0], labels[1]) if tuple(value) != (labels[0], labels[1]) else (labels[0], labels[-1])
    options = getattr(control, "options", None)
    if options is not None and not isinstance(control, w.SelectMultiple):
        labels = [o[1] if isinstance(o, tuple) else o for o in options]
        if len(labels) < 2:
            return None
        position = labels.index(value) if value in labels else 0
        return labels[(position + 1) % len(labels)]
    if isinstance(control, w.SelectMultiple):
        labels = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return tuple(labels[:1]) if tuple(value) != tuple(labels[:1]) else tuple(labels[:2])
    if isinstance(control, w.FloatLogSlider):
        exponent = (control.min + 3 * control.max) / 4
        return float(control.base**exponent)
    if isinstance(control, w.IntRangeSlider | w.FloatRangeSlider):
        low, high = value
        width = high - low
        start = control.min if low != control.min else control.min + (control.max - control.min) // 4
        return (start, min(start + max(width // 2, control.step), control.max))
    if isinstance(control, w.IntSlider | w.BoundedIntText | w.Play):
        candidate = control.min + 3 * (control.max - control.min) // 4
        candidate -= (candidate - control.min) % (control.step or 1)
        return candidate if candidate != value else control.min
    if isinstance(control, w.FloatSlider | w.BoundedFloatText):
        candidate = control.min + 0.75 * (control.max - control.min)
        return candidate if not np.isclose(candidate, value) else control.min
    if isinstance(control, w.FloatText | w.IntText):
        return value + 1
    return None

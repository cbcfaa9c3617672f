"""One valid call ("specimen") of every public callable of course_lib.

``tests/test_api_fuzz.py`` swaps one argument of each specimen for a bad value and
checks that a clear ``TypeError``/``ValueError`` comes back; it also fails when a public
callable has neither a specimen here nor a reasoned entry in :data:`EXCLUDED`. To cover a
new function, add ``specimen("course_lib.module.function", lambda: call(function, ...))``
in its module's section below (CONTRIBUTING.md explains the options).

Keep the calls small: the valid call and its NumPy-scalar variants really run.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from api_fuzz import Call, Specimen, call

SPECIMENS: dict[str, Specimen] = {}


def specimen(target: str, make: Any, **options: Any) -> None:
    """Register the valid call ``make()`` of ``target`` (a qualified name)."""
    if target in SPECIMENS:
        raise ValueError(f"two specimens for {target}")
    SPECIMENS[target] = Specimen(make, **options)


RECORD = (
    "a record (dataclass or enum) that course functions build and return; students read "
    "its fields rather than construct it"
)
EXCLUDED: dict[str, str] = {
    # The checks themselves: tests/test_validate.py covers what each accepts and refuses.
    **{
        f"course_lib.validate.{name}": "an argument check: refusing bad values is its job"
        for name in (
            "describe", "real", "positive", "fraction", "integer", "count", "seed", "index",
            "choice", "callable_", "array", "flag", "text", "counts", "reals", "choices",
            "pair", "shape", "mapping", "logs", "instance", "model", "keras_tensor",
            "layer_name", "axes", "items",
        )
    },
    **{
        f"course_lib.maintenance.{name}": "maintainer command line (execute, student, "
        "coverage), run from a shell, never from a notebook"
        for name in (
            "notebook_pairs", "execute", "strip_solutions", "student_version",
            "sanitize_patterns", "output_coverage", "compared_share", "main",
            "ignored_by_nbval", "numeric_environment", "fingerprint", "run_portable",
            "parallel_arguments",
            "strip_volatile_metadata",
            "solution_cell", "shows_widget", "slide_types", "grading_metadata",
            "hint_widget_outputs", "live_widget_outputs", "annotate", "annotate_stored",
        )
    },
    **{
        f"course_lib.grading.{name}": "nbgrader's configuration, loaded by nbgrader_config.py "
        "(tests/test_nbgrader.py runs it)"
        for name in ("CourseCellMetadata", "CourseCellMetadata.preprocess", "CourseSolutions",
                     "ClearWidgetState", "ClearWidgetState.preprocess",
                     "configure")
    },
    **{
        name: RECORD
        for name in (
            "course_lib.checks.Status", "course_lib.checks.Outcome",
            "course_lib.checks.CheckResult", "course_lib.checks.Case",
            "course_lib.data.Corpus", "course_lib.history.Event", "course_lib.history.Era",
            "course_lib.recipes.Recipe", "course_lib.recipes.Trained",
            "course_lib.runtime.Profile", "course_lib.runtime.RuntimeReport",
            "course_lib.runtime.EnvironmentCheck", "course_lib.scratch.conv.ConvCache",
            "course_lib.scratch.conv.PoolCache", "course_lib.scratch.perceptron.PerceptronRun",
            "course_lib.scratch.perceptron.NeuronRun", "course_lib.surfaces.Surface",
            "course_lib.widgets.playground.PlaygroundRun", "course_lib.widgets.catalog.Entry",
            "course_lib.forecasting.ForecastTask", "course_lib.pipelines.Timeline",
            "course_lib.recurrence.GradientFlow", "course_lib.scaling.CallTimes",
            "course_lib.scaling.CpuFacts", "course_lib.scaling.ImageNetRun",
            "course_lib.scratch.recurrent.RecurrentCache",
        )
    },
    "course_lib.runtime.Profile.pick": "returns one of its two arguments as they are: "
    "any value is valid",
    "course_lib.models.LocalResponseNormalization.call": "Keras layer protocol: Keras calls "
    "it with the tensors it built",
    **{
        f"course_lib.training.LivePlot.{hook}": "a Keras callback hook, called by fit() "
        "with Keras's own arguments"
        for hook in ("on_train_begin", "on_train_batch_end", "on_epoch_end", "on_train_end")
    },
    **{
        f"course_lib.scaling.EpochTimer.{hook}": "a Keras callback hook, called by fit() with "
        "Keras's own arguments"
        for hook in ("on_epoch_begin", "on_epoch_end")
    },
    **{
        f"course_lib.scratch.optimizers.{cls}.update": "the per-array rule that step() "
        "calls after it has checked params and grads"
        for cls in ("Optimizer", "SGD", "Momentum", "Nesterov", "RMSprop", "Adam", "AdaptiveStep",
                    "Adagrad", "Adadelta", "Adamax", "Nadam")
    },
    **{
        f"course_lib.widgets.redraw.{name}": "plumbing the widget builders call with their "
        "own Output areas and controls"
        for name in ("redraw", "say", "connect", "figure_png", "coalesce")
    },
    **{
        f"course_lib.widgets.catalog.{name}": "a helper of the tests and the benchmark that "
        "walks CATALOG's own widgets"
        for name in ("controls", "label", "another_value")
    },
    # Widget modules of notebooks 09-11 and 16 are being reworked; their specimens come with
    # the new versions.
    **{
        f"course_lib.widgets.{name}": "widget module under rework"
        for name in (
            "language.SamplingTable", "language.render_temperature", "language.sampling_table",
            "language.temperature_explorer", "pipelines.pipeline_explorer",
            "pipelines.render_pipeline", "recurrent.gate_activations", "recurrent.gate_explorer",
            "recurrent.gradient_flow_explorer", "recurrent.render_gates",
            "recurrent.render_gradient_flow",
        )
    },
}


def _with(func: Any, arguments: Any) -> Any:
    """A specimen maker for ``func`` called with the tuple ``arguments()`` returns."""
    return lambda: call(func, *arguments())


# ------------------------------------------------------------------------- fixtures
# Small inputs, built once. Arrays are returned fresh so a call cannot spoil the next.


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def images(n: int = 4, side: int = 8, channels: int = 1) -> np.ndarray:
    return rng(1).random((n, side, side, channels)).astype(np.float32)


def points(n: int = 12) -> np.ndarray:
    return rng(2).normal(size=(n, 2))


def two_classes(n: int = 12) -> np.ndarray:
    return np.arange(n) % 2


@functools.cache
def keras():
    from course_lib.backend import keras

    return keras


@functools.cache
def tiny_cnn():
    """8x8x1 images -> conv (4 maps) -> pool -> flatten -> softmax over 3 classes."""
    k = keras()
    k.utils.set_random_seed(0)
    return k.Sequential(
        [
            k.Input((8, 8, 1)),
            k.layers.Conv2D(4, 3, activation="relu", name="conv"),
            k.layers.MaxPooling2D(2, name="pool"),
            k.layers.Flatten(name="flatten"),
            k.layers.Dense(3, activation="softmax", name="output"),
        ],
        name="tiny",
    )


@functools.cache
def source_model():
    from course_lib import transfer

    return transfer.load_source_model()


def digits(n: int = 20) -> tuple[np.ndarray, np.ndarray]:
    return rng(3).random((n, 28, 28, 1)).astype(np.float32), np.arange(n) % 10


def logs() -> dict[str, list[float]]:
    return {
        "loss": [1.0, 0.6, 0.4],
        "accuracy": [0.5, 0.7, 0.9],
        "val_loss": [1.1, 0.8, 0.7],
        "val_accuracy": [0.4, 0.6, 0.8],
    }


def keras_input(shape: tuple[int, ...] = (8, 8, 3)):
    return keras().Input(shape)


# ----------------------------------------------------------------------------- data
from course_lib import data  # noqa: E402

specimen("course_lib.data.load_mnist", lambda: call(data.load_mnist, "embedded", test_fraction=0.2, seed=0),
         bad={"test_fraction": (0.0, 1.0, -0.5), "seed": (-1, 2**32)}, slow=True)
specimen("course_lib.data.load_digits8x8", lambda: call(data.load_digits8x8, test_fraction=0.25, seed=1),
         bad={"test_fraction": (0.0, 1.5), "seed": (-1,)})
specimen("course_lib.data.load_photo", lambda: call(data.load_photo, "china", gray=True, max_side=32),
         bad={"max_side": (0, 7, -1)})
specimen("course_lib.data.checkerboard", lambda: call(data.checkerboard, 50, cells=3, seed=0),
         bad={"n_samples": (0, 1), "cells": (1, 0), "seed": (-1,)})
specimen("course_lib.data.make_2d", lambda: call(data.make_2d, "moons", 40, noise=0.1, seed=0),
         bad={"n_samples": (0, 3, -5), "noise": (-0.1,), "seed": (-1,)})
specimen("course_lib.data.sine_wave", lambda: call(data.sine_wave, 50, period=10.0, noise=0.1, seed=0),
         bad={"n_steps": (0, 1), "period": (0.0, -3.0), "noise": (-1.0,)})
specimen("course_lib.data.lorenz63",
         lambda: call(data.lorenz63, 50, dt=0.01, initial_state=(1.0, 1.0, 1.0), sigma=10.0, rho=28.0, beta=8 / 3),
         bad={"n_steps": (0, 1), "dt": (0.0, -0.01), "initial_state": ((1.0, 2.0), (1.0, 2.0, 3.0, 4.0))})
specimen("course_lib.data.windows", lambda: call(data.windows, np.sin(np.arange(30.0)), 5, horizon=2),
         bad={"window": (0, 40), "horizon": (0, 40)})
specimen("course_lib.data.adding_problem", lambda: call(data.adding_problem, 8, 6, seed=0),
         bad={"n_samples": (0,), "length": (1, 0)})
specimen("course_lib.data.copy_task", lambda: call(data.copy_task, 5, 4, delay=3, n_symbols=4, seed=0),
         bad={"n_samples": (0,), "length": (0,), "delay": (0,), "n_symbols": (0,)})
specimen("course_lib.data.Corpus.encode", lambda: call(data.toy_grammar_corpus(20).encode, "I like cats"),
         bad={"sentence": ("I like unicorns", "")}, text=("sentence",))
specimen("course_lib.data.Corpus.decode", lambda: call(data.toy_grammar_corpus(20).decode, [1, 5, 9, 2]),
         bad={"ids": ([-1], [10**6], [1.5])}, ok={"ids": ("empty",)})
specimen("course_lib.data.toy_grammar_corpus", lambda: call(data.toy_grammar_corpus, 20, seed=0),
         bad={"n_sentences": (0, -3)})
specimen("course_lib.data.date_pairs", lambda: call(data.date_pairs, 5, seed=0), bad={"n_pairs": (0,)})
specimen("course_lib.data.toy_grammar_role", lambda: call(data.toy_grammar_role, "cats"),
         bad={"word": ("", "unicorns")})
specimen("course_lib.data.toy_grammar_probability", lambda: call(data.toy_grammar_probability, "I like cats"),
         text=("sentence",))
specimen("course_lib.data.toy_grammar_next_word", lambda: call(data.toy_grammar_next_word, ["I", "like"]),
         text=("words",), ok={"words": ("empty",)})


# -------------------------------------------------------------------- scratch.activations
from course_lib.scratch import activations as act  # noqa: E402

_ANY_SHAPE = {"a": ("scalar", "rank+2")}
for _name in ("sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative", "arctan",
              "arctan_derivative", "relu", "relu_derivative", "linear", "linear_derivative"):
    specimen(f"course_lib.scratch.activations.{_name}",
             _with(getattr(act, _name), lambda: (np.array([-1.5, 0.0, 2.0]),)), ok=_ANY_SHAPE)
for _name in ("leaky_relu", "leaky_relu_derivative", "elu", "elu_derivative"):
    specimen(f"course_lib.scratch.activations.{_name}",
             _with(getattr(act, _name), lambda: (np.array([-1.5, 0.0, 2.0]), 0.2)),
             ok=_ANY_SHAPE, bad={"alpha": (-0.1,)})
specimen("course_lib.scratch.activations.apply", lambda: call(act.apply, "elu", np.array([-1.0, 1.0]), 0.5),
         ok=_ANY_SHAPE, bad={"alpha": (-1.0,)})
specimen("course_lib.scratch.activations.softmax", lambda: call(act.softmax, np.array([[1.0, 2.0, 3.0]]), axis=-1),
         bad={"axis": (2, -3)}, ok={"a": ("rank+2",)})
specimen("course_lib.scratch.activations.softmax_backward",
         lambda: call(act.softmax_backward, np.array([[0.1, -0.2, 0.3]]), act.softmax(np.array([[1.0, 2.0, 0.5]]))),
         bad={"dout": (np.zeros((1, 2)),)})
specimen("course_lib.scratch.activations.maxout_forward", lambda: call(act.maxout_forward, np.arange(12.0).reshape(2, 6), 3),
         bad={"num_pieces": (0, 4)})
specimen("course_lib.scratch.activations.maxout_backward",
         lambda: call(act.maxout_backward, np.ones((2, 2)), act.maxout_forward(np.arange(12.0).reshape(2, 6), 3)[1]),
         bad={"dout": (np.ones((2, 3)),)})
specimen("course_lib.scratch.activations.activation_forward",
         lambda: call(act.activation_forward, np.array([[-1.0, 2.0]]), "leaky_relu", 0.1),
         ok=_ANY_SHAPE, bad={"alpha": (-0.5, 2.0)})
specimen("course_lib.scratch.activations.activation_backward",
         lambda: call(act.activation_backward, np.array([[1.0, 1.0]]), act.activation_forward(np.array([[-1.0, 2.0]]), "tanh")[1]),
         bad={"dout": (np.ones((1, 3)),), "cache": (("tanh", 1, 2, 3),)})


# --------------------------------------------------------------------- scratch.dense etc.
from course_lib.scratch import dense, gradcheck, losses  # noqa: E402

specimen("course_lib.scratch.dense.dense_forward",
         lambda: call(dense.dense_forward, np.ones((2, 3)), np.ones((3, 4)), np.zeros(4)),
         bad={"x": (np.ones((2, 5)),), "b": (np.zeros(3),)})
specimen("course_lib.scratch.dense.dense_backward",
         lambda: call(dense.dense_backward, np.ones((2, 4)), dense.dense_forward(np.ones((2, 3)), np.ones((3, 4)), np.zeros(4))[1]),
         bad={"dout": (np.ones((2, 3)),), "cache": ((1, 2),)})
specimen("course_lib.scratch.dense.dense_parameter_count", lambda: call(dense.dense_parameter_count, 784, 10),
         bad={"n_in": (0, -1), "n_out": (0, -1)})
specimen("course_lib.scratch.gradcheck.numerical_gradient",
         lambda: call(gradcheck.numerical_gradient, lambda v: float(np.sum(v**2)), np.array([1.0, -2.0]), 1e-6),
         bad={"eps": (0.0, -1e-6, 2.0), "f": (lambda v: "one", lambda v: float("nan"))},
         ok={"x": ("scalar", "rank+2")})
specimen("course_lib.scratch.gradcheck.relative_error",
         lambda: call(gradcheck.relative_error, np.array([1.0, 2.0]), np.array([1.0, 2.1])),
         bad={"numeric": (np.ones(3),)})
specimen("course_lib.scratch.gradcheck.gradient_check",
         lambda: call(gradcheck.gradient_check, lambda ps: float(np.sum(ps[0] ** 2)), [np.array([1.0, 2.0])],
                      [np.array([2.0, 4.0])], 1e-6),
         bad={"grads": ([np.ones(3)], [np.ones(2), np.ones(2)]), "eps": (0.0,)})
for _name in ("mse", "mse_gradient", "mae", "mae_gradient", "binary_cross_entropy",
              "binary_cross_entropy_gradient", "hinge", "hinge_gradient"):
    specimen(f"course_lib.scratch.losses.{_name}",
             _with(getattr(losses, _name), lambda: (np.array([1.0, 0.0, 1.0]), np.array([0.8, 0.3, 0.6]))),
             bad={"y_pred": (np.ones(4),)})
for _name in ("categorical_cross_entropy", "categorical_cross_entropy_gradient"):
    specimen(f"course_lib.scratch.losses.{_name}",
             _with(getattr(losses, _name), lambda: (np.eye(3)[[0, 2]], np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]))),
             bad={"y_pred": (np.zeros((2, 3)), -np.ones((2, 3)))})
specimen("course_lib.scratch.losses.get_loss", lambda: call(losses.get_loss, "mse"))


# ------------------------------------------------------------------------ scratch.mlp
from course_lib.scratch import mlp as mlp_module  # noqa: E402

MLP = mlp_module.MLP


def _net() -> Any:
    return MLP([2, 3, 1], hidden_activation="tanh", output_activation="sigmoid", seed=0)


specimen("course_lib.scratch.mlp.MLP",
         lambda: call(MLP, [2, 3, 1], hidden_activation="relu", output_activation="sigmoid",
                      loss="binary_cross_entropy", seed=0),
         bad={"sizes": ([2], [2, 0, 1], [2, -1, 1])})
specimen("course_lib.scratch.mlp.MLP.set_weights", lambda: call(_net().set_weights, _net().get_weights()),
         bad={"weights": ([np.ones((2, 3))], [np.ones((3, 2)), np.zeros(3), np.ones((3, 1)), np.zeros(1)])})
specimen("course_lib.scratch.mlp.MLP.forward", lambda: call(_net().forward, points(4)), bad={"X": (np.ones((4, 3)),)})
specimen("course_lib.scratch.mlp.MLP.predict", lambda: call(_net().predict, points(4)), bad={"X": (np.ones((4, 3)),)})
specimen("course_lib.scratch.mlp.MLP.backward",
         lambda: (lambda net: call(net.backward, np.ones((4, 1)), net.forward(points(4))[1]))(_net()),
         bad={"dy_hat": (np.ones((4, 2)),), "caches": ([],)})
specimen("course_lib.scratch.mlp.MLP.hidden", lambda: call(_net().hidden, points(4), 1), bad={"layer": (0, 2, -1)})
specimen("course_lib.scratch.mlp.MLP.loss_and_gradients",
         lambda: call(_net().loss_and_gradients, points(4), np.array([0.0, 1.0, 1.0, 0.0])),
         bad={"y": (np.ones(3),)})
specimen("course_lib.scratch.mlp.MLP.step", lambda: call(_net().step, points(4), np.array([0.0, 1.0, 1.0, 0.0]), 0.1),
         bad={"learning_rate": (0.0, -0.1)})
specimen("course_lib.scratch.mlp.MLP.fit",
         lambda: call(_net().fit, points(8), two_classes(8), num_epochs=2, learning_rate=0.1, batch_size=4, seed=0),
         bad={"num_epochs": (0, -1), "learning_rate": (0.0, -0.1), "batch_size": (0, -1), "y": (np.ones(5),)},
         ok={"y": ("fractional-array",)})


# ---------------------------------------------------------------- scratch.optimizers
from course_lib.scratch import optimizers as opt  # noqa: E402

specimen("course_lib.scratch.optimizers.clip_by_norm", lambda: call(opt.clip_by_norm, np.array([3.0, 4.0]), 1.0),
         bad={"max_norm": (0.0, -1.0)}, ok={"grad": ("scalar", "rank+2")})
specimen("course_lib.scratch.optimizers.clip_by_value", lambda: call(opt.clip_by_value, np.array([3.0, -4.0]), 1.0),
         bad={"limit": (0.0, -1.0)}, ok={"grad": ("scalar", "rank+2")})
specimen("course_lib.scratch.optimizers.global_norm", lambda: call(opt.global_norm, [np.array([3.0]), np.array([4.0])]))
specimen("course_lib.scratch.optimizers.clip_by_global_norm",
         lambda: call(opt.clip_by_global_norm, [np.array([3.0]), np.array([4.0])], 2.0), bad={"max_norm": (0.0,)})
specimen("course_lib.scratch.optimizers.Optimizer",
         lambda: call(opt.Optimizer, 0.1, clipnorm=1.0), bad={"learning_rate": (0.0, -0.1)})
specimen("course_lib.scratch.optimizers.Optimizer.clip",
         lambda: call(opt.SGD(clipnorm=1.0).clip, [np.array([3.0, 4.0])]))
specimen("course_lib.scratch.optimizers.Optimizer.step",
         lambda: call(opt.SGD(0.1).step, {"w": np.array([1.0, 2.0])}, {"w": np.array([0.5, 0.5])}),
         bad={"params": ({"w": np.array([1, 2])}, {"w": np.array([np.nan, 1.0])}),
              "grads": ({"v": np.ones(2)}, {"w": np.ones(3)}, {"w": np.array([np.nan, 1.0])})})
specimen("course_lib.scratch.optimizers.SGD", lambda: call(opt.SGD, 0.1, clipvalue=1.0),
         bad={"learning_rate": (0.0, -0.1), "clipvalue": (0.0,)})
specimen("course_lib.scratch.optimizers.Momentum", lambda: call(opt.Momentum, 0.1, 0.9),
         bad={"momentum": (-0.1, 1.5)})
specimen("course_lib.scratch.optimizers.Nesterov", lambda: call(opt.Nesterov, 0.1, 0.9),
         bad={"momentum": (-0.1, 1.5)})
specimen("course_lib.scratch.optimizers.RMSprop", lambda: call(opt.RMSprop, 0.01, 0.9, 1e-7),
         bad={"rho": (1.0, -0.1), "epsilon": (0.0,)})
specimen("course_lib.scratch.optimizers.Adam", lambda: call(opt.Adam, 0.01, 0.9, 0.999, 1e-7),
         bad={"beta_1": (1.0, -0.5), "beta_2": (1.0,), "epsilon": (0.0, -1.0)})
specimen("course_lib.scratch.optimizers.AMSGrad", lambda: call(opt.AMSGrad, 0.01, 0.9, 0.999, 1e-7),
         bad={"beta_1": (1.0,)})
specimen("course_lib.scratch.optimizers.AdaptiveStep", lambda: call(opt.AdaptiveStep, 0.1, 1e-7),
         bad={"epsilon": (0.0,)})
specimen("course_lib.scratch.optimizers.Adagrad", lambda: call(opt.Adagrad, 0.01, 0.1, 1e-7),
         bad={"initial_accumulator_value": (-0.1,), "epsilon": (0.0,)})
specimen("course_lib.scratch.optimizers.Adadelta", lambda: call(opt.Adadelta, 1.0, 0.95, 1e-7),
         bad={"rho": (1.0, -0.1), "epsilon": (0.0,)})
specimen("course_lib.scratch.optimizers.Adamax", lambda: call(opt.Adamax, 0.01, 0.9, 0.999, 1e-7),
         bad={"beta_1": (1.0, -0.5), "beta_2": (1.0,), "epsilon": (0.0,)})
specimen("course_lib.scratch.optimizers.Nadam", lambda: call(opt.Nadam, 0.01, 0.9, 0.999, 1e-7),
         bad={"beta_1": (1.0, -0.5), "beta_2": (1.0,), "epsilon": (0.0,)})


# ------------------------------------------------------------------ scratch.perceptron
from course_lib.scratch import perceptron as pc  # noqa: E402

specimen("course_lib.scratch.perceptron.step", lambda: call(pc.step, np.array([-1.0, 0.0, 2.0])), ok=_ANY_SHAPE)
specimen("course_lib.scratch.perceptron.perceptron_predict",
         lambda: call(pc.perceptron_predict, points(5), np.array([1.0, -1.0]), 0.5), bad={"w": (np.ones(3),)})
specimen("course_lib.scratch.perceptron.perceptron_update",
         lambda: call(pc.perceptron_update, np.array([0.5, -1.0]), -0.2, np.array([1.0, 2.0]), 1, 1.0),
         bad={"t": (2, -1), "x": (np.ones(3),), "learning_rate": (0.0,)})
specimen("course_lib.scratch.perceptron.train_perceptron",
         lambda: call(pc.train_perceptron, points(10), two_classes(10), num_epochs=5, learning_rate=1.0, seed=0),
         bad={"t": (np.arange(10) % 3, np.ones(4)), "num_epochs": (0,), "learning_rate": (0.0,)})
specimen("course_lib.scratch.perceptron.neuron_squared_loss",
         lambda: call(pc.neuron_squared_loss, points(6), np.ones(6), np.array([0.1, 0.2]), 0.0, "tanh"),
         bad={"t": (np.ones(4),)})
specimen("course_lib.scratch.perceptron.neuron_squared_gradient",
         lambda: call(pc.neuron_squared_gradient, points(6), np.ones(6), np.array([0.1, 0.2]), 0.0, "sigmoid"),
         bad={"w": (np.ones(3),)})
specimen("course_lib.scratch.perceptron.train_neuron",
         lambda: call(pc.train_neuron, points(12), 2.0 * two_classes(12) - 1, algorithm="minibatch",
                      learning_rate=0.1, num_epochs=3, batch_size=4, activation="linear", seed=0),
         bad={"batch_size": (0, -1), "num_epochs": (0,), "learning_rate": (0.0, -1.0)})
specimen("course_lib.scratch.perceptron.boolean_gate", lambda: call(pc.boolean_gate, "XOR"))


# ------------------------------------------------------------------------ scratch.conv
from course_lib.scratch import conv  # noqa: E402


def _conv_cache() -> Any:
    return conv.conv2d_forward(images(2, 5, 2), rng(4).normal(size=(3, 3, 2, 3)), np.zeros(3))[1]


specimen("course_lib.scratch.conv.output_size", lambda: call(conv.output_size, 28, 5, 1, "valid"),
         bad={"size": (0, 4), "kernel": (0, -1), "stride": (0, -2)})
specimen("course_lib.scratch.conv.same_padding", lambda: call(conv.same_padding, 28, 5, 2),
         bad={"size": (0,), "kernel": (0,), "stride": (0,)})
specimen("course_lib.scratch.conv.conv2d_forward",
         lambda: call(conv.conv2d_forward, images(2, 5, 2), rng(4).normal(size=(3, 3, 2, 3)), np.zeros(3),
                      stride=1, padding="same"),
         bad={"kernel": (np.ones((3, 3, 1, 3)), np.ones((3, 3, 2))), "bias": (np.zeros(2),),
              "stride": (0, (1, 0), (1, 1, 1))})
specimen("course_lib.scratch.conv.conv2d_backward",
         lambda: call(conv.conv2d_backward, np.ones((2, 3, 3, 3)), _conv_cache()),
         bad={"dout": (np.ones((2, 3, 3, 2)),), "cache": ((1, 2),)})
for _kind in ("max", "avg"):
    _forward = getattr(conv, f"{_kind}pool2d_forward")
    specimen(f"course_lib.scratch.conv.{_kind}pool2d_forward", _with(_forward, lambda: (images(2, 4, 2), 2, 2)),
             bad={"pool_size": (0, 5, (2, 0)), "strides": (0, (0, 1))})
    specimen(f"course_lib.scratch.conv.{_kind}pool2d_backward",
             _with(getattr(conv, f"{_kind}pool2d_backward"),
                   lambda f=_forward: (np.ones((2, 2, 2, 2)), f(images(2, 4, 2), 2)[1])),
             bad={"dout": (np.ones((2, 3, 3, 2)),), "cache": ((1, 2),)})

# ------------------------------------------------------------------- scratch.recurrent
from course_lib.scratch import recurrent  # noqa: E402

_BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}


def _recurrent_arguments(cell: str) -> tuple:
    """x (2, 3, 2), the cell's kernel, recurrent kernel and bias for 3 units, h0 (and c0)."""
    r, blocks = rng(8), _BLOCKS[cell]
    x = r.normal(size=(2, 3, 2))
    weights = (r.normal(size=(2, 3 * blocks)), r.normal(size=(3, 3 * blocks)),
               r.normal(size=(2, 9)) if cell == "gru" else r.normal(size=(3 * blocks,)))
    states = (np.zeros((2, 3)), np.zeros((2, 3))) if cell == "lstm" else (np.zeros((2, 3)),)
    return (x, *weights, *states)


for _cell in _BLOCKS:
    _forward = getattr(recurrent, f"{_cell}_forward")
    _other = "rnn" if _cell != "rnn" else "gru"
    specimen(f"course_lib.scratch.recurrent.{_cell}_forward",
             _with(_forward, lambda c=_cell: _recurrent_arguments(c)),
             bad={"kernel": (np.ones((3, 3 * _BLOCKS[_cell])), np.ones((2, 3 * _BLOCKS[_cell] + 1))),
                  "recurrent_kernel": (np.ones((3, 3)) if _cell != "rnn" else np.ones((2, 3)),),
                  "bias": (np.ones(7),), "h0": (np.ones((3, 3)),),
                  **({"c0": (np.ones((2, 4)),)} if _cell == "lstm" else {})})
    specimen(f"course_lib.scratch.recurrent.{_cell}_backward",
             _with(getattr(recurrent, f"{_cell}_backward"),
                   lambda f=_forward, c=_cell: (np.ones((2, 3, 3)), f(*_recurrent_arguments(c))[1])),
             bad={"dh_seq": (np.ones((2, 3, 4)), np.ones((2, 2, 3))),
                  "cache": ((1, 2), getattr(recurrent, f"{_other}_forward")(*_recurrent_arguments(_other))[1])})


# --------------------------------------------------------------------------- geometry
from course_lib import geometry  # noqa: E402

specimen("course_lib.geometry.is_linearly_separable",
         lambda: call(geometry.is_linearly_separable, points(8), two_classes(8), bias=True),
         bad={"y": (np.arange(8) % 3, np.ones(5))})
specimen("course_lib.geometry.cover_count", lambda: call(geometry.cover_count, 10, 3),
         bad={"num_points": (0, -1), "dim": (0,)})
specimen("course_lib.geometry.cover_probability", lambda: call(geometry.cover_probability, 10, 3),
         bad={"num_points": (0,), "dim": (0,)})
specimen("course_lib.geometry.separable_fraction", lambda: call(geometry.separable_fraction, 6, 3, trials=4, seed=0),
         bad={"trials": (0, -1), "num_points": (0,), "dim": (0,), "seed": (-1,)})
specimen("course_lib.geometry.points_to_cover", lambda: call(geometry.points_to_cover, 3, 0.1),
         bad={"dim": (0,), "spacing": (0.0, -0.1, 1.5)})
specimen("course_lib.geometry.pairwise_distances", lambda: call(geometry.pairwise_distances, 10, 3, seed=0),
         bad={"num_points": (0, 1), "dim": (0,)})
specimen("course_lib.geometry.relative_contrast", lambda: call(geometry.relative_contrast, np.array([1.0, 2.0, 3.0])),
         bad={"distances": (np.array([0.0, 1.0]), np.array([-1.0, 2.0]))})


# ---------------------------------------------------------------------------- filters
from course_lib import filters  # noqa: E402

specimen("course_lib.filters.gaussian", lambda: call(filters.gaussian, 5, 1.0),
         bad={"size": (0, 4, -3), "sigma": (0.0, -1.0, 1e-300)})
specimen("course_lib.filters.box", lambda: call(filters.box, 3), bad={"size": (0, -1)})
specimen("course_lib.filters.get", lambda: call(filters.get, "emboss"))
specimen("course_lib.filters.apply", lambda: call(filters.apply, rng(5).random((6, 6)), filters.get("blur")),
         bad={"mask": (np.ones(3), np.ones((3, 3, 3)))}, ok={"image": ()})
specimen("course_lib.filters.for_display", lambda: call(filters.for_display, rng(5).normal(size=(4, 4))),
         ok={"filtered": ("scalar", "rank+2")})


# --------------------------------------------------------------------------- surfaces
from course_lib import surfaces  # noqa: E402

specimen("course_lib.surfaces.get_surface", lambda: call(surfaces.get_surface, "saddle"))
specimen("course_lib.surfaces.trajectory",
         lambda: call(surfaces.trajectory, opt.Adam(0.1), "Rosenbrock", start=(-1.0, 1.0), num_steps=20, blow_up=1e6),
         bad={"num_steps": (-1,), "start": ((1.0, 2.0, 3.0), (1.0,)), "blow_up": (0.0, -1.0)},
         ok={"num_steps": ()})
specimen("course_lib.surfaces.final_loss",
         lambda: call(surfaces.final_loss, np.array([[1.0, 1.0], [0.5, 0.2]]), "round bowl"),
         ok={"path": ("nan-array", "inf-array")}, bad={"path": (np.ones((3, 3)),)})
specimen("course_lib.surfaces.quadratic",
         lambda: call(surfaces.quadratic, [[13.0, 12.0], [12.0, 13.0]], name="tilted", start=(-2.0, 1.0),
                      window=(-3.0, 3.0, -3.0, 3.0)),
         bad={"matrix": ([[1.0, 2.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, -1.0]], np.ones(3)),
              "window": ((1.0, 0.0, -1.0, 1.0),), "start": ((1.0,),)}, text=("name",))
specimen("course_lib.surfaces.grid", lambda: call(surfaces.grid, "saddle", 10), bad={"resolution": (0, 1)})
specimen("course_lib.surfaces.draw",
         lambda: call(surfaces.draw, "elongated quadratic", {"SGD": np.array([[1.0, 1.0], [0.5, 0.2]])},
                      resolution=10),
         bad={"resolution": (0, 1), "paths": ({"SGD": np.ones((3, 3))},)})


# --------------------------------------------------------------------- regularization
from course_lib import regularization  # noqa: E402

specimen("course_lib.regularization.toy_regression",
         lambda: call(regularization.toy_regression, 10, 20, noise=0.2, seed=0),
         bad={"n_train": (0,), "n_test": (0,), "noise": (-0.1,)})
specimen("course_lib.regularization.polynomial_features",
         lambda: call(regularization.polynomial_features, np.linspace(-1, 1, 5), 3),
         bad={"degree": (-1, 1000)})
specimen("course_lib.regularization.fit_polynomial",
         lambda: call(regularization.fit_polynomial, np.linspace(-1, 1, 8), np.sin(np.linspace(-1, 1, 8)), 3, 0.01),
         bad={"l2": (-1.0,), "degree": (-1,), "y": (np.ones(5),)})
specimen("course_lib.regularization.predict_polynomial",
         lambda: call(regularization.predict_polynomial, np.array([0.1, 0.5, -0.2]), np.linspace(-1, 1, 5)))
specimen("course_lib.regularization.capacity_errors",
         lambda: call(regularization.capacity_errors, [1, 3, 5], 0.0, seed=0),
         bad={"degrees": ([-1, 2], [1000]), "l2": (-1.0,)})
specimen("course_lib.regularization.shuffled_labels", lambda: call(regularization.shuffled_labels, np.arange(10) % 3, seed=0))
specimen("course_lib.regularization.near_zero_fraction",
         lambda: call(regularization.near_zero_fraction, [np.array([0.0, 1e-5, 1.0])], 1e-3),
         bad={"threshold": (0.0, -1.0), "weights": ([np.array([np.nan])],)})
specimen("course_lib.regularization.augmentation_layers",
         lambda: call(regularization.augmentation_layers, 0.05, 0.1, 0.1, 0.1, seed=0),
         bad={"rotation": (-0.1,), "shift": (-0.1, 2.0), "zoom": (-0.5, 1.0), "noise": (-0.1,), "seed": (-1,)})
specimen("course_lib.regularization.augment",
         lambda: call(regularization.augment, images(2, 8), regularization.augmentation_layers(seed=0)),
         bad={"layers": ([3],)}, ok={"layers": ("empty",)})
specimen("course_lib.regularization.generalization_gap", lambda: call(regularization.generalization_gap, logs()),
         bad={"history": ({"loss": [1.0]}, {"accuracy": [], "val_accuracy": []})})


# ------------------------------------------------------------------------------ plots
from course_lib import plots  # noqa: E402

_TITLES = ("nan-item", "str-item", "complex-item")  # a title can be anything printable

specimen("course_lib.plots.image_grid",
         lambda: call(plots.image_grid, images(3, 6), [1, 2, 3], predictions=[1, 0, 3], ncols=2, cmap="gray",
                      size=1.0),
         bad={"labels": ([1, 2],), "predictions": ([1],), "ncols": (0,), "size": (0.0,),
              "images": (np.zeros((3, 6, 6, 2)),)},
         ok={"labels": _TITLES, "predictions": _TITLES})
specimen("course_lib.plots.decision_boundary",
         lambda: call(plots.decision_boundary, lambda p: p[:, 0], points(10), two_classes(10), resolution=10,
                      margin=0.5, cmap="coolwarm"),
         bad={"model_or_fn": (lambda p: np.full(len(p), np.nan), lambda p: p[:3, 0], lambda p: "scores"),
              "X": (np.ones((10, 3)),), "y": (np.ones(4),), "resolution": (0, 1), "margin": (-1.0,)},
         ok={"y": ("fractional-array",)})
specimen("course_lib.plots.history_curves", lambda: call(plots.history_curves, logs(), ["loss", "accuracy"]),
         bad={"metrics": (["mae"], [])})
specimen("course_lib.plots.TimelineChart",
         lambda: call(plots.TimelineChart, [(1958, "perceptron"), (1986, "backpropagation")],
                      eras=[(1943, 1969, "first wave")], highlight=lambda year, label: year < 1970),
         bad={"events": ([(1958,)], [("x", "y")], []), "eras": ([(1970, 1960, "backwards")],)},
         ok={"eras": ("empty",)})
specimen("course_lib.plots.TimelineChart.highlight",
         lambda: call(plots.TimelineChart([(1958, "perceptron")]).highlight, lambda year, label: True),
         bad={"highlight": ("not a function",)})
specimen("course_lib.plots.timeline",
         lambda: call(plots.timeline, [(1958, "perceptron"), (1986, "backpropagation")],
                      eras=[(1943, 1969, "first wave")], highlight=lambda year, label: year < 1970),
         bad={"events": ([(1958,)], [("x", "y")]), "eras": ([(1970, 1960, "backwards")],)},
         ok={"eras": ("empty",)})


# ---------------------------------------------------------------------------- history
from course_lib import history  # noqa: E402

specimen("course_lib.history.select_events",
         lambda: call(history.select_events, "first wave", start=1950, end=1990, taught_only=True),
         bad={"end": (1900,)})
specimen("course_lib.history.describe", lambda: call(history.describe, list(history.EVENTS[:3])),
         ok={"events": ("empty",)}, bad={"events": ([(1958, "perceptron")],)})


# ---------------------------------------------------------------------------- outcomes
from course_lib import outcomes  # noqa: E402

specimen("course_lib.outcomes.approx", lambda: call(outcomes.approx, 0.973, ".2f", "s"),
         text=("unit",), bad={"fmt": ("q",)})
specimen("course_lib.outcomes.expect",
         lambda: call(outcomes.expect, "accuracy", 0.9, at_least=0.5, at_most=1.0, fmt=".2f", unit="", verbose=False),
         text=("name", "unit"), bad={"at_least": (2.0,)}, ok={"value": ("nan", "inf", "-inf")})


# ----------------------------------------------------------------------------- runtime
from course_lib import runtime  # noqa: E402

specimen("course_lib.runtime.current_profile", lambda: call(runtime.current_profile, "quick"))
specimen("course_lib.runtime.package_version", lambda: call(runtime.package_version, "numpy"),
         text=("name",), bad={"name": ("",)})
specimen("course_lib.runtime.setup",
         lambda: call(runtime.setup, 0, profile="quick", mixed_precision=False, deterministic_ops=True, verbose=False),
         bad={"seed": (-1, 2**32)}, slow=True)


# -------------------------------------------------------------------- optimizer_match
from course_lib import optimizer_match  # noqa: E402

specimen("course_lib.optimizer_match.random_problem", lambda: call(optimizer_match.random_problem, 3),
         bad={"seed": (-1,)})
specimen("course_lib.optimizer_match.scratch_path", lambda: call(optimizer_match.scratch_path, opt.Adam(0.01), 5, 0),
         bad={"num_steps": (0,), "optimizer": (lambda: None,)})
specimen("course_lib.optimizer_match.keras_path",
         lambda: call(optimizer_match.keras_path, keras().optimizers.SGD(0.01), 3, 0),
         bad={"num_steps": (0,), "optimizer": (opt.SGD(0.01),)}, slow=True)
specimen("course_lib.optimizer_match.max_difference",
         lambda: call(optimizer_match.max_difference, opt.SGD(0.01), keras().optimizers.SGD(0.01), 3, 0),
         bad={"num_steps": (0,), "keras_optimizer": (opt.SGD(0.01),)}, slow=True)


# ----------------------------------------------------------------------------- checks
from course_lib import checks  # noqa: E402

_CASES = [checks.Case(args=(np.array([1.0, 2.0]),), expected=np.array([2.0, 4.0]))]
specimen("course_lib.checks.describe_mismatch",
         lambda: call(checks.describe_mismatch, np.array([1.0, 2.0]), [1.0, 2.0], rtol=1e-5, atol=1e-8, check_dtype=False),
         answers=("expected", "got"), bad={"rtol": (-1.0,), "atol": (-1.0,)})
specimen("course_lib.checks.check_function",
         lambda: call(checks.check_function, lambda x: 2 * x, _CASES, name="double", hint="times two",
                      rtol=1e-5, atol=1e-8, check_dtype=False, compare=None, verbose=False, time_limit=2.0),
         answers=("func",), text=("name", "hint"),
         bad={"cases": ([], [1, 2]), "rtol": (-1.0,), "time_limit": (0.0, -1.0), "compare": (3,)})
specimen("course_lib.checks.check_value",
         lambda: call(checks.check_value, 11, 11, name="gap", hint="subtract", rtol=1e-5, atol=1e-8,
                      check_dtype=False, verbose=False),
         answers=("value", "expected"), text=("name", "hint"), bad={"name": ("",), "atol": (-1.0,)})
specimen("course_lib.checks.as_numpy", lambda: call(checks.as_numpy, (1.0, [2, 3])), answers=("value",))


# -------------------------------------------------------------------------- exercises
from course_lib.exercises import backpropagation as ex03  # noqa: E402
from course_lib.exercises import cnn_applications as ex08  # noqa: E402
from course_lib.exercises import compare as ex_compare  # noqa: E402
from course_lib.exercises import convnets as ex07  # noqa: E402
from course_lib.exercises import convolution as ex06  # noqa: E402
from course_lib.exercises import learning_from_data as ex01  # noqa: E402
from course_lib.exercises import perceptron as ex02  # noqa: E402
from course_lib.exercises import regularization as ex05  # noqa: E402
from course_lib.exercises import training_deep_networks as ex04  # noqa: E402
from course_lib.exercises import welcome as ex00  # noqa: E402


def _answer(check: Any, *answers: Any, **options: Any) -> None:
    """A check whose every argument is a student's answer."""
    names = list(__import__("inspect").signature(check).parameters)
    specimen(f"{check.__module__}.{check.__name__}", lambda: call(check, *answers),
             answers=tuple(names[: len(answers)]), **options)


for _check in (ex03.check_xor_gradients, ex08.check_fgsm, ex08.check_contrastive_loss, ex08.check_dense_to_conv,
               ex06.check_apply_difference_mask, ex06.check_input_gradient,
               ex01.check_nearest_neighbour, ex01.check_xor_features,
               ex02.check_softmax_backward, ex02.check_first_epoch,
               ex05.check_confusion_matrix, ex05.check_early_stopping, ex04.check_adagrad_step,
               ex00.check_to_unit_range, ex00.check_one_hot):
    _answer(_check, lambda *args: 0)
for _check in (ex07.check_lenet5_count, ex06.check_max_pool_gradient, ex06.check_stack_sizes,
               ex04.check_tilted_learning_rate, ex01.check_separable_labellings):
    _answer(_check, 3)
_answer(ex07.check_larger_input, 4, 100)
specimen("course_lib.exercises.perceptron.first_epoch_weights", lambda: call(ex02.first_epoch_weights, strict=True))
specimen("course_lib.exercises.perceptron.check_prepared_perceptron",
         lambda: call(ex02.check_prepared_perceptron, lambda X: X - X.mean(axis=0), (points(12), two_classes(12)),
                      (points(6), two_classes(6)), max_epochs=5, target=0.5),
         answers=("prepare",), bad={"train": ((points(12), np.full(12, 2)), (points(12),)),
                                    "new": ((points(6), two_classes(5)),), "max_epochs": (0,), "target": (1.5,)})
specimen("course_lib.exercises.perceptron.check_fixed_targets",
         lambda: call(ex02.check_fixed_targets, two_classes(12), points(12), two_classes(12)),
         answers=("answer",), bad={"classes": (np.full(12, 2), two_classes(5))})
for _check in (ex03.check_two_paths, ex03.check_linear_xor_loss):
    _answer(_check, 3)
specimen("course_lib.exercises.backpropagation.reference_xor_gradients",
         lambda: call(ex03.reference_xor_gradients, np.ones((3, 2)), np.array([[0.0], [1.0], [1.0]]),
                      np.full((2, 4), 0.1), np.zeros(4), np.full((4, 1), -0.2), np.zeros(1)),
         bad={"t": (np.ones((2, 1)),), "W2": (np.ones((3, 1)),), "b1": (np.ones(3),)})
specimen("course_lib.exercises.training_deep_networks.reference_adagrad_step",
         lambda: call(ex04.reference_adagrad_step, np.array([1.0, 2.0]), np.array([0.1, 0.1]), np.array([0.5, -1.0]),
                      0.1, 1e-7),
         bad={"accumulator": (np.ones(3), np.array([-1.0, 0.1])), "grad": (np.ones(3),), "learning_rate": (0.0,),
              "epsilon": (0.0,)})
specimen("course_lib.exercises.training_deep_networks.diverges", lambda: call(ex04.diverges, 0.05, 50),
         bad={"learning_rate": (0.0, -0.1), "num_steps": (0,)})
specimen("course_lib.exercises.backpropagation.checkerboard_accuracy",
         lambda: call(ex03.checkerboard_accuracy, [2, 4, 1], "tanh", 0.5, 32, 2),
         bad={"layer_sizes": ([2],), "num_epochs": (0,), "batch_size": (0,), "learning_rate": (0.0,)}, slow=True)
specimen("course_lib.exercises.backpropagation.check_checkerboard",
         lambda: call(ex03.check_checkerboard, [2, 4, 1], "tanh", 0.5, 32, 2, target=0.9, max_parameters=400,
                      max_epochs=100, min_batch_size=8),
         answers=("layer_sizes", "activation", "learning_rate", "batch_size", "num_epochs"),
         bad={"target": (1.5, -0.1), "max_parameters": (0,), "max_epochs": (0,)}, slow=True)
specimen("course_lib.exercises.compare.pair_of", lambda: call(ex_compare.pair_of, ("penalty", "gradient"), rtol=1e-6, atol=1e-9),
         bad={"names": (("one",), ("a", "b", "c")), "rtol": (-1.0,)}, text=("names",))
specimen("course_lib.exercises.convnets.lenet5_parameters", lambda: call(ex07.lenet5_parameters, 28),
         bad={"side": (0, 11)})
specimen("course_lib.exercises.regularization.reference_early_stopping",
         lambda: call(ex05.reference_early_stopping, [1.0, 0.8, 0.9, 0.95], 2), bad={"patience": (0,)})


# Exercise checks of notebooks 07-11 and 16. A student's answer is whatever the student
# wrote; the other arguments come from the notebook (its data, its model builders).
from course_lib.checks import Status  # noqa: E402
from course_lib.exercises import common as ex_common  # noqa: E402
from course_lib.exercises import language_models as ex11  # noqa: E402
from course_lib.exercises import lstm_and_gru as ex10  # noqa: E402
from course_lib.exercises import recurrent_networks as ex09  # noqa: E402
from course_lib.exercises import scaling_up as ex16  # noqa: E402


def _small_images(n: int = 20, classes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    return images(n, 8), np.arange(n) % classes


def _small_classifier():
    """A builder of a tiny (8, 8, 1) -> 10 logits classifier, as a notebook passes one."""
    k = keras()
    return k.Sequential([k.Input((8, 8, 1)), k.layers.Flatten(), k.layers.Dense(10)])


def _small_mlp():
    k = keras()
    return k.Sequential([k.Input((784,)), k.layers.Dense(10)])


_PAIR_BAD = (([1, 2],), (np.ones((4, 8, 8, 1)), np.arange(3)))  # one array; lengths differ

specimen("course_lib.exercises.common.as_count", lambda: call(ex_common.as_count, 3), answers=("value",))
specimen("course_lib.exercises.common.as_real", lambda: call(ex_common.as_real, 0.5), answers=("value",))
specimen("course_lib.exercises.common.check_real",
         lambda: call(ex_common.check_real, 0.7, 0.69, "the loss", "think", tolerance=0.01,
                      mistakes=((1.0, "log base 2"),)),
         answers=("answer",), text=("name", "hint"),
         bad={"tolerance": (-1.0,), "name": ("",), "mistakes": ((1.0,), ((1.0, 2.0),))}, ok={"mistakes": ("empty",)})
specimen("course_lib.exercises.common.not_filled", lambda: call(ex_common.not_filled, 3), answers=("value",))
specimen("course_lib.exercises.common.result",
         lambda: call(ex_common.result, "demo", Status.WRONG, "not yet", "try again"),
         text=("name", "message", "hint"), bad={"name": ("",), "message": ("",)})
specimen("course_lib.exercises.common.check_count",
         lambda: call(ex_common.check_count, 12, 12, "the count", "multiply"), answers=("answer",),
         text=("name", "hint"), bad={"expected": (-1,), "name": ("",)})
for _check in (ex09.check_dh_du, ex09.check_sine_forecaster, ex10.check_gru_step, ex10.check_parameter_count,
               ex10.check_small_adding_model, ex11.check_sentence_log_probability, ex11.check_teacher_forcing,
               ex16.check_loss_scale_update, ex16.check_replica_loss, ex07.check_residual_block):
    _answer(_check, lambda *args: 0)
_answer(ex09.check_steps_to_vanish, 3)
specimen("course_lib.exercises.recurrent_networks.reference_dh_du",
         lambda: call(ex09.reference_dh_du, np.array([1.0, 0.5, -0.3]), 0.7, 0.9))
specimen("course_lib.exercises.recurrent_networks.steps_to_vanish", lambda: call(ex09.steps_to_vanish, 0.8, 1e-3),
         bad={"w": (1.0, -1.5), "threshold": (0.0, 1.0)})
specimen("course_lib.exercises.recurrent_networks.evaluate_model",
         lambda: call(ex09.evaluate_model, lambda x, y: None, _windows(), _windows(8), name="forecaster",
                      metric=forecasting.rmse, metric_name="RMSE", target=0.2, hint="more units",
                      context=" (persistence: 1.2)", requirement=lambda model: None),
         answers=("func",), text=("name", "metric_name", "hint", "context"),
         bad={"train": ((np.ones(3),), ()), "test": _PAIR_BAD, "name": ("",), "metric": (3,), "requirement": (3,)})
specimen("course_lib.exercises.lstm_and_gru.reference_gru_step",
         lambda: call(ex10.reference_gru_step, rng(12).normal(size=(2, 3)), np.zeros((2, 4)),
                      rng(13).normal(size=(3, 12)), rng(14).normal(size=(4, 12)), np.zeros((2, 12))),
         bad={"x_t": (np.ones((2, 5)), np.ones((3, 3))), "h_prev": (np.ones((3, 4)), np.ones((2, 5))),
              "bias": (np.zeros(12),)})
specimen("course_lib.exercises.lstm_and_gru.keras_parameter_count",
         lambda: call(ex10.keras_parameter_count, "GRU", 3, 4, 2), bad={"m": (0,), "n": (0,), "k": (0,)})
specimen("course_lib.exercises.language_models.reference_sentence_log_probability",
         lambda: call(ex11.reference_sentence_log_probability, _log_probs()[0], np.array([1, 2, 3, 0])),
         bad={"ids": (np.array([1, 2, 3]), np.array([1, 2, 3, 4]), np.array([1, 2, -1, 0])),
              "log_probs": (np.ones((3, 4)),)})
specimen("course_lib.exercises.language_models.check_initial_perplexity",
         lambda: call(ex11.check_initial_perplexity, 30.0, tiny_language_model(), *_sentences()),
         answers=("prediction",),
         bad={"inputs": (np.ones((8, 5), int), np.full((8, 6), 99)), "targets": (np.ones((7, 6), int),)},
         slow=True)
specimen("course_lib.exercises.language_models.check_small_language_model",
         lambda: call(ex11.check_small_language_model, lambda: None, *_sentences(), target_perplexity=3.0,
                      max_parameters=1000),
         answers=("train",), bad={"target_perplexity": (0.5, -1.0), "max_parameters": (0,),
                                  "targets": (np.ones((7, 6), int),)})
specimen("course_lib.exercises.scaling_up.check_policy_dtypes",
         lambda: call(ex16.check_policy_dtypes, "float32", "float16", "float32", verbose=False),
         answers=("kernel_dtype", "output_dtype", "gradient_dtype"))
specimen("course_lib.exercises.scaling_up.reference_loss_scale_update",
         lambda: call(ex16.reference_loss_scale_update, 32768.0, 0, True, 2000),
         bad={"scale": (0.0, -1.0), "good_steps": (-1,), "growth_steps": (0,)})
specimen("course_lib.exercises.scaling_up.train_large_batch",
         lambda: call(ex16.train_large_batch, _small_mlp, 0.1, 1, seed=0),
         bad={"learning_rate": (0.0, -1.0), "num_epochs": (0,), "seed": (-1,)}, slow=True)
specimen("course_lib.exercises.scaling_up.check_large_batch",
         lambda: call(ex16.check_large_batch, 0.1, 1, _small_mlp, verbose=False),
         answers=("learning_rate", "num_epochs"), slow=True)
specimen("course_lib.exercises.training_deep_networks.check_fixed_initializer",
         lambda: call(ex04.check_fixed_initializer, "he_normal", lambda initializer: _small_classifier(),
                      _small_images(), _small_images(10), learning_rate=0.1, num_epochs=1, target=0.8),
         answers=("initializer",),
         bad={"train": _PAIR_BAD, "validation": _PAIR_BAD, "num_epochs": (0,), "target": (-0.1, 1.5),
              "learning_rate": (0.0,)}, slow=True)
specimen("course_lib.exercises.training_deep_networks.check_deep_network",
         lambda: call(ex04.check_deep_network, lambda x, y: None, _small_images(), _small_images(10),
                      min_hidden_layers=8, max_epochs=10, target=0.92),
         answers=("train_deep_network",),
         bad={"train": _PAIR_BAD, "validation": _PAIR_BAD, "min_hidden_layers": (0,), "max_epochs": (0,),
              "target": (-0.1, 1.5)})
specimen("course_lib.exercises.convnets.check_fixed_loss",
         lambda: call(ex07.check_fixed_loss, "mse", _small_classifier, _small_images(), _small_images(10),
                      num_epochs=1, target=0.8),
         answers=("loss",), bad={"train": _PAIR_BAD, "test": _PAIR_BAD, "num_epochs": (0,), "target": (-0.1, 1.5)},
         slow=True)
specimen("course_lib.exercises.convnets.check_small_cnn",
         lambda: call(ex07.check_small_cnn, lambda x, y: None, _small_images(), _small_images(10),
                      max_parameters=20_000, max_epochs=10, target=0.97),
         answers=("train_small_cnn",),
         bad={"train": _PAIR_BAD, "test": _PAIR_BAD, "max_parameters": (0,), "max_epochs": (0,),
              "target": (-0.1, 1.5)})
specimen("course_lib.exercises.cnn_applications.check_score_map_shape",
         lambda: call(ex08.check_score_map_shape, (1, 8, 15, 5), lambda image: np.zeros((1, 8, 15, 5))),
         answers=("answer",), bad={"sliding": (lambda image: "scores", lambda image: None)})
specimen("course_lib.exercises.cnn_applications.check_target_classifier",
         lambda: call(ex08.check_target_classifier, lambda x, y: None, _small_images(10, 5), _small_images(10, 5),
                      target=0.91),
         answers=("train_target_classifier",),
         bad={"train": _PAIR_BAD, "test": _PAIR_BAD, "target": (-0.1, 1.5)})


# ---------------------------------------------------------- Keras-based modules
# The model arguments are a tiny CNN (8x8x1 images, 3 classes), built once.
from course_lib import adversarial, deepnets, interpret, models, recipes, training, transfer  # noqa: E402

specimen("course_lib.deepnets.mlp",
         lambda: call(deepnets.mlp, (4,), (8, 8), 3, activation="relu", kernel_initializer="he_normal",
                      batch_norm=True, dropout=0.1, kernel_regularizer="l2", name="net"),
         bad={"hidden": ((), (8, 0)), "dropout": (1.0, -0.1), "num_classes": (0,), "input_shape": ((0,), ()),
              "activation": ("no such activation",), "kernel_initializer": ("nope",)},
         ok={"preprocessing": ("empty",)},
         text=("name",), slow=True)
specimen("course_lib.deepnets.dense_kernels", lambda: call(deepnets.dense_kernels, tiny_cnn()))
specimen("course_lib.deepnets.layer_gradient_norms",
         lambda: call(deepnets.layer_gradient_norms, tiny_cnn(), images(4), np.array([0, 1, 2, 0])),
         bad={"X": (images(4, 6),), "y": (np.array([0, 1, 5, 0]), np.array([0, 1]), np.array([0, -1, 1, 2]))},
         slow=True)
specimen("course_lib.deepnets.epochs_to_reach", lambda: call(deepnets.epochs_to_reach, logs(), 0.6, "val_accuracy"),
         bad={"metric": ("f1",)}, text=("metric",))
specimen("course_lib.deepnets.identical_units", lambda: call(deepnets.identical_units, np.ones((3, 2)), 1e-6),
         bad={"atol": (-1.0,)})

specimen("course_lib.models.lenet5",
         lambda: call(models.lenet5, (28, 28, 1), 10, "tanh", standardize=(0.1, 0.3)),
         bad={"input_shape": ((28, 28), (8, 8, 1), (28, 0, 1)), "num_classes": (0,),
              "standardize": ((0.1, 0.0), (0.1,), (0.1, -1.0))}, slow=True)
specimen("course_lib.models.keras_io_convnet", lambda: call(models.keras_io_convnet, (28, 28, 1), 10),
         bad={"input_shape": ((9, 9, 1),), "num_classes": (0,)}, slow=True)
specimen("course_lib.models.conv_bn_relu",
         lambda: call(models.conv_bn_relu, keras_input(), 4, 3, strides=1, padding="same", name="unit"),
         bad={"filters": (0,), "x": (keras_input((8, 3)),)}, text=("name",))
specimen("course_lib.models.augmentation", lambda: call(models.augmentation, 0.1, 0.05, 0),
         bad={"translation": (-0.1, 2.0), "rotation": (-0.1,), "seed": (-1,)})
specimen("course_lib.models.mnist_best",
         lambda: call(models.mnist_best, (28, 28, 1), 10, augment=False, widths=(4, 8), dropout_rate=0.3, seed=0),
         bad={"width": (0,), "dropout_rate": (1.0,), "input_shape": ((2, 2, 1),)}, slow=True)
specimen("course_lib.models.LocalResponseNormalization",
         lambda: call(models.LocalResponseNormalization, 5, 2.0, 1e-4, 0.75),
         bad={"depth": (0, 4), "bias": (0.0,), "alpha": (-1.0,)})
specimen("course_lib.models.alexnet", lambda: call(models.alexnet, (67, 67, 3), 10, groups=2),
         bad={"groups": (0, 3), "input_shape": ((32, 32, 3),)}, slow=True)
specimen("course_lib.models.vgg_block", lambda: call(models.vgg_block, keras_input(), 4, 2, name="vgg"),
         bad={"filters": (0,), "num_convs": (0,), "x": (keras_input((1, 1, 3)),)}, text=("name",))
specimen("course_lib.models.inception_module",
         lambda: call(models.inception_module, keras_input(), 2, 2, 2, 2, 2, 2, name="inc"),
         bad={"filters_1x1": (0,), "filters_pool": (-1,)}, text=("name",))
specimen("course_lib.models.residual_block",
         lambda: call(models.residual_block, keras_input(), 4, strides=2, batch_norm=True, name="res"),
         bad={"filters": (0,), "strides": (0,)}, text=("name",))
specimen("course_lib.models.deep_convnet",
         lambda: call(models.deep_convnet, 2, residual=True, input_shape=(8, 8, 1), num_classes=3, width=4),
         bad={"depth": (0, 3), "width": (0,)}, slow=True)
specimen("course_lib.models.source_cnn", lambda: call(models.source_cnn, (28, 28, 1), 5),
         bad={"input_shape": ((9, 9, 1),), "num_classes": (0,)}, slow=True)
specimen("course_lib.models.feature_extractor", lambda: call(models.feature_extractor, tiny_cnn(), "flatten"))
specimen("course_lib.models.transfer_classifier",
         lambda: call(models.transfer_classifier, models.feature_extractor(tiny_cnn(), "flatten"), 3, trainable=False,
                      hidden=4),
         bad={"num_classes": (0,), "hidden": (0,)}, slow=True)
specimen("course_lib.models.fully_convolutional", lambda: call(models.fully_convolutional, tiny_cnn(), last_conv="pool"),
         bad={"last_conv": ("flatten", "output")}, slow=True)
specimen("course_lib.models.siamese", lambda: call(models.siamese, models.feature_extractor(tiny_cnn(), "flatten")),
         slow=True)
specimen("course_lib.models.contrastive_loss", lambda: call(models.contrastive_loss, 1.0), bad={"margin": (0.0, -1.0)})

specimen("course_lib.training.compile_classifier",
         lambda: call(training.compile_classifier, keras().models.clone_model(tiny_cnn()), 0.01),
         bad={"learning_rate": (0.0, -1.0)})
specimen("course_lib.training.LivePlot",
         lambda: call(training.LivePlot, ["loss"], every=5, min_interval=0.5, budget=0.05, render=False),
         bad={"every": (0, -1, "batch"), "budget": (0.0, 1.0, 1.5), "min_interval": (-1.0,), "metrics": ([],)},
         text=("metrics",))

specimen("course_lib.interpret.spatial_layers", lambda: call(interpret.spatial_layers, tiny_cnn()))
specimen("course_lib.interpret.feature_maps",
         lambda: call(interpret.feature_maps, tiny_cnn(), images(1)[0], ["conv", "pool"]),
         bad={"image": (images(1, 6)[0], images(2))}, slow=True)
specimen("course_lib.interpret.saliency", lambda: call(interpret.saliency, tiny_cnn(), images(1)[0], 2),
         bad={"class_index": (3, -1, 99), "image": (images(1, 6)[0],)}, slow=True)
specimen("course_lib.interpret.maximize_activation",
         lambda: call(interpret.maximize_activation, tiny_cnn(), "conv", [0, 3], steps=2, step_size=0.05,
                      start=np.full((8, 8, 1), 0.5, np.float32), seed=0),
         bad={"channels": ([4], [-1], [99], []), "layer_name": ("flatten", "output"), "steps": (0,),
              "step_size": (0.0,)}, slow=True)

specimen("course_lib.adversarial.gradient_sign",
         lambda: call(adversarial.gradient_sign, tiny_cnn(), images(3), np.array([0, 1, 2])),
         bad={"y": (np.array([0.0, np.nan, 1.0]), np.array([0, 1]), np.array([0, 1, 3])), "x": (images(3, 6),)},
         slow=True)
specimen("course_lib.adversarial.fgsm", lambda: call(adversarial.fgsm, images(2), np.sign(images(2) - 0.5), 0.1),
         bad={"epsilon": (-0.1,), "sign": (np.ones((2, 8, 8, 2)),)}, ok={"x": ("scalar",)})
specimen("course_lib.adversarial.accuracy_under_attack",
         lambda: call(adversarial.accuracy_under_attack, tiny_cnn(), images(3), np.array([0, 1, 2]), [0.0, 0.1]),
         bad={"epsilons": ([-0.1],)}, slow=True)

specimen("course_lib.transfer.target_task", lambda: call(transfer.target_task, 2, seed=0),
         bad={"per_class": (0, 301)}, slow=True)
specimen("course_lib.transfer.load_source_model",
         lambda: call(transfer.load_source_model, str(transfer.SOURCE_MODEL_PATH)), text=("path",), slow=True)
specimen("course_lib.transfer.make_pairs", lambda: call(transfer.make_pairs, images(6), two_classes(6), 4, seed=0),
         bad={"y": (np.zeros(6), np.ones(3)), "n_pairs": (0,)}, ok={"x": ("rank+2",)})
specimen("course_lib.transfer.train_on_target",
         lambda: call(transfer.train_on_target, "frozen features", digits(10)[0], np.arange(10) % 5,
                      num_epochs=1, seed=0),
         bad={"num_epochs": (0,), "y_train": (np.arange(10),), "x_train": (images(10),)}, slow=True)

specimen("course_lib.recipes.train",
         lambda: call(recipes.train, "lenet5", *digits(16), callbacks=None, num_epochs=1),
         bad={"num_epochs": (0, -1), "y_train": (np.arange(16) + 5,), "x_train": (images(16),),
              "callbacks": ([3],)}, slow=True)
specimen("course_lib.recipes.Trained.accuracy",
         lambda: call(recipes.Trained(training.compile_classifier(models.lenet5()), None, 0.0).accuracy,
                      *digits(8)),
         bad={"y": (np.arange(8) + 5,)}, slow=True)


# ------------------------------------------------------------ forecasting, recurrence
from course_lib import forecasting, pipelines, recurrence, runs, sequences  # noqa: E402


def _windows(n: int = 20, window: int = 5) -> tuple[np.ndarray, np.ndarray]:
    series = np.sin(np.arange(n + window, dtype=float) / 3)
    return np.stack([series[i:i + window] for i in range(n)])[..., None], series[window:, None]


specimen("course_lib.forecasting.make_task",
         lambda: call(forecasting.make_task, np.sin(np.arange(60.0) / 3), 5, horizon=2, train_fraction=0.6),
         bad={"window": (0, 40), "horizon": (0, 40), "train_fraction": (0.0, 1.0, 0.01),
              "series": (np.ones(60), np.ones((4, 60, 1)))})
specimen("course_lib.forecasting.sine_task",
         lambda: call(forecasting.sine_task, window=5, horizon=2, n_steps=60, noise=0.1, seed=0),
         bad={"window": (0, 100), "horizon": (0, 100), "n_steps": (0, 1, 10), "noise": (-0.1,), "seed": (-1,)})
specimen("course_lib.forecasting.lorenz_task",
         lambda: call(forecasting.lorenz_task, window=4, horizon=2, n_steps=60, spin_up=10),
         bad={"window": (0, 100), "n_steps": (0, 1, 10), "spin_up": (-1,)})
specimen("course_lib.forecasting.persistence", lambda: call(forecasting.persistence, _windows()[0]),
         bad={"x": (np.ones((6, 5)),)})
specimen("course_lib.forecasting.fit_linear_ar", _with(forecasting.fit_linear_ar, _windows),
         bad={"y_train": (np.ones((19, 1)),), "x_train": (np.ones((20, 5)),)})
specimen("course_lib.forecasting.rmse", lambda: call(forecasting.rmse, np.ones((4, 1)), np.zeros((4, 1))),
         bad={"predicted": (np.ones((3, 1)),)})
specimen("course_lib.forecasting.plot_forecasts",
         lambda: call(forecasting.plot_forecasts, np.ones((10, 2)), {"model": np.zeros((10, 2))}, feature=1,
                      num_points=5),
         bad={"feature": (2, -1), "num_points": (0,), "forecasts": ({"m": np.ones((9, 2))}, {3: np.ones((10, 2))}),
              "target": (np.ones(10),)})

specimen("course_lib.recurrence.GradientFlow.gradient_back",
         lambda: call(recurrence.gradient_flow(0.8, steps=10).gradient_back, 3), bad={"k": (-1, 11)})
specimen("course_lib.recurrence.gradient_flow",
         lambda: call(recurrence.gradient_flow, 0.8, slope=1.0, input_scale=0.5, steps=20, seed=0),
         bad={"slope": (0.0, -1.0), "input_scale": (-1.0,), "steps": (0, 10**6), "seed": (-1,)})
specimen("course_lib.recurrence.final_gradient_over_w",
         lambda: call(recurrence.final_gradient_over_w, np.linspace(-2, 2, 5), slope=1.0, input_scale=0.5,
                      steps=20, seed=0),
         bad={"slope": (0.0,), "steps": (0,), "seed": (-1,)})
specimen("course_lib.recurrence.draw_unfolded_rnn", lambda: call(recurrence.draw_unfolded_rnn, 3),
         bad={"steps": (0, 7)})


# --------------------------------------------------------------------------- sequences
def _log_probs() -> np.ndarray:
    from scipy.special import log_softmax

    return log_softmax(rng(10).normal(size=(2, 3, 4)), axis=-1)


def _targets() -> np.ndarray:
    return np.array([[1, 2, 0], [3, 1, 2]])


def _vocabulary() -> list[str]:
    return list(data.toy_grammar_corpus(20).vocab)


@functools.cache
def tiny_language_model():
    """Token ids (batch, time) over the toy grammar's vocabulary -> next-token logits."""
    k, size = keras(), len(_vocabulary())
    k.utils.set_random_seed(0)
    return k.Sequential([k.Input((None,), dtype="int32"), k.layers.Embedding(size, 4),
                         k.layers.SimpleRNN(4, return_sequences=True), k.layers.Dense(size)])


def _sentences() -> tuple[np.ndarray, np.ndarray]:
    """Encoded sentences of the toy grammar: inputs and next-token targets, (8, 6) each."""
    corpus = data.toy_grammar_corpus(8, seed=1)
    ids = np.zeros((8, 7), dtype=np.int64)
    for row, sentence in zip(ids, corpus.sentences, strict=True):
        encoded = corpus.encode(sentence)
        row[: len(encoded)] = encoded
    return ids[:, :-1], ids[:, 1:]


specimen("course_lib.sequences.sequence_log_probabilities",
         lambda: call(sequences.sequence_log_probabilities, _log_probs(), _targets(), pad_id=0),
         bad={"targets": (np.array([[0, 1, 4], [1, 2, 3]]), np.ones((2, 2), int), np.array([[-1, 1, 2], [1, 2, 3]])),
              "log_probs": (np.ones((2, 3, 4)),), "pad_id": (-1,)})
specimen("course_lib.sequences.perplexity", lambda: call(sequences.perplexity, _log_probs(), _targets(), pad_id=0),
         bad={"targets": (np.zeros((2, 3), int), np.ones((3, 3), int)), "log_probs": (np.ones((2, 3, 4)),),
              "pad_id": (-1,)})
specimen("course_lib.sequences.log_probabilities_from_logits",
         lambda: call(sequences.log_probabilities_from_logits, rng(10).normal(size=(2, 3, 4))))
specimen("course_lib.sequences.apply_temperature",
         lambda: call(sequences.apply_temperature, np.array([[0.5, 0.3, 0.2, 0.0]]), 0.5),
         bad={"probabilities": (np.array([[0.5, 0.6]]), np.array([[-0.1, 1.1]])), "temperature": (0.0, -1.0)})
specimen("course_lib.sequences.sample_next",
         lambda: call(sequences.sample_next, np.array([[0.5, 0.5, 0.0], [0.1, 0.2, 0.7]]), 1.0,
                      np.random.default_rng(0)),
         bad={"probabilities": (np.array([[0.5, 0.6]]),), "temperature": (0.0,)})
specimen("course_lib.sequences.sample_sequences",
         lambda: call(sequences.sample_sequences, sequences.grammar_next_word(_vocabulary()), 3, start_id=1,
                      end_id=2, temperature=1.0, max_length=6, seed=0),
         bad={"n": (0,), "max_length": (0,), "start_id": (-1, 10**6), "end_id": (-1,), "temperature": (0.0,),
              "seed": (-1,), "next_word": (lambda prefixes: np.ones((1, 3)), lambda prefixes: "text")})
specimen("course_lib.sequences.model_next_word", lambda: call(sequences.model_next_word, tiny_language_model(), 6),
         bad={"width": (0,)})
specimen("course_lib.sequences.grammar_next_word",
         lambda: call(sequences.grammar_next_word, _vocabulary(), start="<bos>", end="<eos>"),
         bad={"vocabulary": (["a", "b"], []), "start": ("",), "end": ("",)}, text=("vocabulary",))
specimen("course_lib.sequences.teacher_forcing",
         lambda: call(sequences.teacher_forcing, np.array([[5, 6, 7], [3, 4, 5]]), 1, 2),
         bad={"start_id": (-1,), "end_id": (-1,)})
specimen("course_lib.sequences.nearest_neighbour_agreement",
         lambda: call(sequences.nearest_neighbour_agreement, rng(11).normal(size=(4, 3)), ["a", "b", "a", "b"]),
         bad={"labels": (["a"], ["a", "b", "a"]), "vectors": (np.ones((1, 3)),)},
         text=("labels",), ok={"labels": ("int-item",)})


# --------------------------------------------------------------------------- pipelines
specimen("course_lib.pipelines.measure_timeline",
         lambda: call(pipelines.measure_timeline, [(np.ones(2), np.ones(2))] * 3, lambda x, y: float(np.sum(x)),
                      max_steps=2),
         bad={"max_steps": (0,)}, ok={"batches": ("None-item",)})
specimen("course_lib.pipelines.simulate_pipeline",
         lambda: call(pipelines.simulate_pipeline, 30.0, 20.0, workers=2, prefetch=1, steps=6),
         bad={"input_ms": (-1.0,), "compute_ms": (0.0, -1.0), "workers": (0,), "prefetch": (-1,),
              "steps": (0, 10**7)})
specimen("course_lib.pipelines.plot_timeline",
         lambda: call(pipelines.plot_timeline, {"ideal": pipelines.simulate_pipeline(30.0, 20.0)}, max_seconds=1.0),
         bad={"timelines": ({}, {"x": 3}, {3: pipelines.simulate_pipeline(30.0, 20.0)}), "max_seconds": (0.0,)})


# -------------------------------------------------------------------------------- runs
_TEMPORARY: list[str] = []


def _temporary_folder() -> str:
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="course-fuzz-")
    _TEMPORARY.append(folder)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _in_temporary_runs(func: Any) -> Any:
    """``func`` writing into a temporary runs folder rather than the project's."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import os

        before = os.environ.get(runs.RUNS_ENV_VAR)
        os.environ[runs.RUNS_ENV_VAR] = _TEMPORARY[0] if _TEMPORARY else _temporary_folder()
        try:
            return func(*args, **kwargs)
        finally:
            if before is None:
                del os.environ[runs.RUNS_ENV_VAR]
            else:
                os.environ[runs.RUNS_ENV_VAR] = before

    return wrapper


@functools.cache
def tensorboard_logs() -> str:
    """A folder with the scalars of a three-epoch run, as keras.callbacks.TensorBoard writes them."""
    import os

    from course_lib.backend import tf

    folder = _temporary_folder()
    with tf.summary.create_file_writer(os.path.join(folder, "train")).as_default():
        for step in range(3):
            tf.summary.scalar("epoch_loss", 1.0 / (step + 1), step=step)
    return folder


specimen("course_lib.runs.project_root", lambda: call(runs.project_root, str(runs.project_root() / "notebooks")),
         text=("start",))
specimen("course_lib.runs.run_dir", lambda: call(_in_temporary_runs(runs.run_dir), "fuzz", "demo", fresh=True))
specimen("course_lib.runs.read_scalars", lambda: call(runs.read_scalars, tensorboard_logs()), text=("log_dir",))


# ----------------------------------------------------------------------------- scaling
from course_lib import scaling  # noqa: E402

specimen("course_lib.scaling.format_duration", lambda: call(scaling.format_duration, 396.0),
         bad={"seconds": (0.0, -1.0)})
specimen("course_lib.scaling.matmul_gflops",
         lambda: call(scaling.matmul_gflops, 32, dtype="float32", device="/CPU:0", repeats=1),
         bad={"n": (0, 1, 10**6), "repeats": (0,), "device": ("/GPU:7", "cpu", "")})
specimen("course_lib.scaling.peak_gflops", lambda: call(scaling.peak_gflops, 2, 3.0, 32),
         bad={"cores": (0,), "ghz": (0.0,), "flops_per_cycle": (0,)})
specimen("course_lib.scaling.cpu_facts", lambda: call(scaling.cpu_facts, "flags : avx2 fma\ncpu MHz : 2600.0\n"),
         text=("cpuinfo",))
specimen("course_lib.scaling.forward_flops", lambda: call(scaling.forward_flops, tiny_cnn()))
specimen("course_lib.scaling.training_flops", lambda: call(scaling.training_flops, tiny_cnn()))
specimen("course_lib.scaling.time_calls", lambda: call(scaling.time_calls, lambda x: x * 2, 3.0, calls=4, blocks=2),
         bad={"calls": (0,), "blocks": (0,)})
specimen("course_lib.scaling.time_to_train", lambda: call(scaling.time_to_train, 1e9, 1000, 2.0, 1e12),
         bad={"flops_per_example": (0.0,), "examples": (0,), "epochs": (0.0,), "flops_per_second": (0.0,)})


# ----------------------------------------------------------------------------- widgets
from course_lib.widgets import activations as w_act  # noqa: E402
from course_lib.widgets import adversarial as w_adv  # noqa: E402
from course_lib.widgets import approximation as w_approx  # noqa: E402
from course_lib.widgets import dimensions as w_dim  # noqa: E402
from course_lib.widgets import feature_maps as w_maps  # noqa: E402
from course_lib.widgets import filters as w_filters  # noqa: E402
from course_lib.widgets import optimizers as w_opt  # noqa: E402
from course_lib.widgets import perceptron as w_pc  # noqa: E402
from course_lib.widgets import playground as w_play  # noqa: E402
from course_lib.widgets import regularization as w_reg  # noqa: E402
from course_lib.widgets import timeline as w_time  # noqa: E402

specimen("course_lib.widgets.activations.activation_curves",
         lambda: call(w_act.activation_curves, "elu", 2.0, 0.5, np.linspace(-2, 2, 9)),
         bad={"slope": (0.0, -1.0), "alpha": (-0.1, 1.5)})
specimen("course_lib.widgets.activations.render_activation", lambda: call(w_act.render_activation, "tanh", 1.5, 0.1),
         bad={"slope": (0.0,)})
specimen("course_lib.widgets.activations.vector_activation_curves",
         lambda: call(w_act.vector_activation_curves, "maxout", 2.0, np.linspace(-2, 2, 9)),
         bad={"slope": (0.0, -1.0), "name": ("relu",)})
specimen("course_lib.widgets.activations.activation_explorer", lambda: call(w_act.activation_explorer, "relu"),
         bad={"name": ("linear",)})
specimen("course_lib.widgets.adversarial.render_fgsm",
         lambda: call(w_adv.render_fgsm, tiny_cnn(), images(1)[0], np.sign(images(1)[0] - 0.5), 0.1, ["a", "b", "c"]),
         bad={"epsilon": (-0.1,), "class_names": (["a"],), "sign": (np.ones((8, 8, 2)),)},
         text=("class_names",), ok={"class_names": ("int-item",)}, slow=True)
specimen("course_lib.widgets.adversarial.fgsm_explorer",
         lambda: call(w_adv.fgsm_explorer, tiny_cnn(), images(3), np.array([0, 1, 2]), ["a", "b", "c"]),
         bad={"class_names": (["a", "b"],), "labels": (np.array([0, 1, 7]),)}, text=("class_names",), ok={"class_names": ("int-item",)},
         slow=True)
specimen("course_lib.widgets.approximation.hidden_features",
         lambda: call(w_approx.hidden_features, np.linspace(-1, 1, 5), 4, "sigmoid"), bad={"num_hidden": (0, -1)})
specimen("course_lib.widgets.approximation.fit_one_hidden_layer",
         lambda: call(w_approx.fit_one_hidden_layer, "sine", 5, "relu", 50),
         bad={"num_hidden": (0,), "num_points": (0, 1)})
specimen("course_lib.widgets.approximation.render_approximation",
         lambda: call(w_approx.render_approximation, "abs", 3, "tanh"), bad={"num_hidden": (0,)})
specimen("course_lib.widgets.dimensions.distance_summary", lambda: call(w_dim.distance_summary, 5, 20, seed=0),
         bad={"dim": (0,), "num_points": (1, 0)})
specimen("course_lib.widgets.dimensions.render_distances", lambda: call(w_dim.render_distances, 5, 20, seed=0),
         bad={"dim": (0,), "num_points": (1,)})
specimen("course_lib.widgets.feature_maps.channel_mosaic",
         lambda: call(w_maps.channel_mosaic, rng(6).random((4, 4, 5)), 3, 1, normalize=True),
         bad={"columns": (0,), "gap": (-1,)}, nan_result=True)
specimen("course_lib.widgets.feature_maps.render_feature_map",
         lambda: call(w_maps.render_feature_map, images(1)[0], {"conv": rng(6).random((6, 6, 4))}, "conv", 2),
         bad={"channel": (4, -1), "maps": ({},), "layer": ("pool",)})
specimen("course_lib.widgets.feature_maps.feature_map_browser",
         lambda: call(w_maps.feature_map_browser, tiny_cnn(), images(2)), bad={"images": (images(2, 6),)}, slow=True)
specimen("course_lib.widgets.filters.mask_for",
         lambda: call(w_filters.mask_for, w_filters.CUSTOM, np.arange(9.0).reshape(3, 3)),
         bad={"custom": (np.ones((2, 2)),)})
specimen("course_lib.widgets.filters.boxes_for",
         lambda: call(w_filters.boxes_for, "sharpen", np.arange(9.0).reshape(3, 3)),
         bad={"custom": (np.ones((2, 2)),), "preset": ("nope",)})
specimen("course_lib.widgets.filters.render_filter",
         lambda: call(w_filters.render_filter, rng(7).random((12, 12)), filters.get("blur"), title="blur"),
         text=("title",))
specimen("course_lib.widgets.filters.filter_explorer", lambda: call(w_filters.filter_explorer, rng(7).random((12, 12))))
specimen("course_lib.widgets.optimizers.race", lambda: call(w_opt.race, "saddle", ["SGD", "Adam"], 0.05, 10),
         bad={"learning_rate": (0.0, -0.1), "num_steps": (0,)}, ok={"names": ("empty",)})
specimen("course_lib.widgets.optimizers.describe_race",
         lambda: call(w_opt.describe_race, {"SGD": np.array([[1.0, 1.0], [0.5, 0.5]])}, "round bowl"),
         bad={"paths": ({"SGD": np.ones((2, 3))},)})
specimen("course_lib.widgets.optimizers.render_race",
         lambda: call(w_opt.render_race, "round bowl", ["momentum"], 0.1, 10), ok={"names": ("empty",)},
         bad={"learning_rate": (0.0,), "num_steps": (0,)})
specimen("course_lib.widgets.optimizers.classify_learning_rate",
         lambda: call(w_opt.classify_learning_rate, np.array([[-4.0, 1.0], [-2.0, 0.1]]), "elongated quadratic", 1e-3),
         ok={"path": ("nan-array", "inf-array")}, bad={"tolerance": (0.0, 1.5)})
specimen("course_lib.widgets.optimizers.learning_rate_sweep",
         lambda: call(w_opt.learning_rate_sweep, np.array([0.01, 0.05]), "round bowl", 10),
         bad={"learning_rates": (np.array([0.0, 0.1]), np.array([-0.1]))})
specimen("course_lib.widgets.optimizers.LearningRateFigure",
         lambda: call(w_opt.LearningRateFigure, "elongated quadratic"),
         bad={"surface": ("no such surface",)})
specimen("course_lib.widgets.optimizers.LearningRateFigure.update",
         lambda: call(w_opt.LearningRateFigure().update, 0.02, 10),
         bad={"learning_rate": (0.0, -1.0), "num_steps": (0,)})
specimen("course_lib.widgets.optimizers.render_learning_rate",
         lambda: call(w_opt.render_learning_rate, 0.02, 10, "elongated quadratic"),
         bad={"learning_rate": (0.0,), "num_steps": (0,)})
specimen("course_lib.widgets.perceptron.stepper_data", lambda: call(w_pc.stepper_data, "AND", seed=0),
         bad={"seed": (-1,)})
specimen("course_lib.widgets.perceptron.PerceptronStepper",
         lambda: call(w_pc.PerceptronStepper, points(6), two_classes(6), learning_rate=1.0, seed=0),
         bad={"X": (np.ones((6, 3)),), "t": (np.arange(6), np.ones(4)), "learning_rate": (0.0,)})
specimen("course_lib.widgets.perceptron.render_perceptron",
         lambda: call(w_pc.render_perceptron, w_pc.PerceptronStepper(points(6), two_classes(6))))
specimen("course_lib.widgets.perceptron.perceptron_stepper", lambda: call(w_pc.perceptron_stepper, "OR"))
specimen("course_lib.widgets.playground.build_playground_model",
         lambda: call(w_play.build_playground_model, 1, 3, "relu", seed=0),
         bad={"hidden_layers": (-1, 7), "units": (0,)}, slow=True)
specimen("course_lib.widgets.playground.train_playground",
         lambda: call(w_play.train_playground, "xor", 1, 2, "tanh", 0.05, num_steps=10, batch_size=8, n_samples=16,
                      seed=0),
         bad={"num_steps": (0, 15, -10), "learning_rate": (0.0,), "batch_size": (0,), "n_samples": (0, 3)},
         slow=True)
specimen("course_lib.widgets.playground.render_playground",
         lambda: call(w_play.render_playground, w_play.train_playground("xor", 0, 1, "linear", num_steps=10,
                                                                        n_samples=16)),
         slow=True)
specimen("course_lib.widgets.playground.network_playground", lambda: call(w_play.network_playground, 20),
         bad={"num_steps": (0, 15)})
specimen("course_lib.widgets.regularization.render_capacity", lambda: call(w_reg.render_capacity, 3, 0.01),
         bad={"degree": (-1, 16), "l2": (-1.0,)})
specimen("course_lib.widgets.timeline.render_timeline",
         lambda: call(w_time.render_timeline, "all", (1950, 2000), taught_only=True),
         bad={"years": ((2000,), (1950, 2000, 2010))})
specimen("course_lib.exercises.regularization.check_sorted_split",
         lambda: call(ex05.check_sorted_split, images(10, 8), np.arange(10), _small_images(10),
                      validation_split=0.2, max_share=0.25),
         answers=("x_fixed", "y_fixed"),
         bad={"original": _PAIR_BAD, "validation_split": (0.0, 1.5), "max_share": (-0.1, 1.5)})
specimen("course_lib.exercises.regularization.check_regularised_network",
         lambda: call(ex05.check_regularised_network, lambda x, y: None, _small_images(), _small_images(10),
                      max_epochs=30, target=0.9),
         answers=("train_regularised",),
         bad={"train": _PAIR_BAD, "validation": _PAIR_BAD, "max_epochs": (0,), "target": (-0.1, 1.5)})
specimen("course_lib.exercises.convolution.stack_sizes", lambda: call(ex06.stack_sizes, 30), bad={"side": (0,)})
specimen("course_lib.exercises.convolution.reference_input_gradient",
         lambda: call(ex06.reference_input_gradient, np.ones((3, 3)), np.ones((2, 2))),
         bad={"delta": (np.ones(3),), "kernel": (np.ones(2),)})
specimen("course_lib.exercises.convolution.mask_examples", lambda: call(ex06.mask_examples, 2, 6, seed=0),
         bad={"n": (0,), "side": (2,), "seed": (-1,)})
specimen("course_lib.exercises.convolution.check_learned_mask",
         lambda: call(ex06.check_learned_mask, lambda images, targets: np.zeros((3, 3)), target=0.01),
         answers=("learn_mask",), bad={"target": (-1.0,)})


# ------------------------------------------------------------ Part V: generative models
# Notebooks 12-13 and course_lib.generative. Models are tiny stand-ins of the notebooks'
# (a few units); only the functions that load the course's pretrained files use those.
from course_lib.exercises import autoencoders as ex12  # noqa: E402
from course_lib.exercises import variational_autoencoders as ex13  # noqa: E402
from course_lib.exercises import verdict as ex_verdict  # noqa: E402
from course_lib.generative import digits as gen_digits  # noqa: E402
from course_lib.generative import metrics as gen_metrics  # noqa: E402
from course_lib.generative import pretrained, registry  # noqa: E402
from course_lib.generative import ring as gen_ring  # noqa: E402
from course_lib.widgets import latent as w_latent  # noqa: E402

EXCLUDED.update({
    "course_lib.generative.digits.ImageScores": RECORD,
    "course_lib.generative.ring.RingScores": RECORD,
    "course_lib.generative.registry.Sampler": RECORD + " (register() builds it)",
    **{
        f"course_lib.generative.models.VAE.{method}": "Keras model protocol: __call__, fit() and "
        "evaluate() call it with Keras's own tensors (symbolic inside a compiled step); "
        "VAE.loss_terms is the checked entry point for a student's data"
        for method in ("call", "train_step", "test_step")
    },
    "course_lib.generative.models.VAE.fit": "keras.Model.fit after building the optimizer's "
    "variables: Keras checks fit's arguments (a VAE compiled without an optimizer is refused "
    "first, see tests/test_part5_models.py)",
})


def _digit_images(n: int = 4) -> np.ndarray:
    """``(n, 28, 28, 1)`` float32 pixel values in [0, 1)."""
    return images(n, 28)


def _class_probabilities() -> np.ndarray:
    """``(6, 3)`` rows of class probabilities (a softmax output)."""
    from scipy.special import softmax

    return softmax(rng(20).normal(size=(6, 3)) * 3, axis=1)


def _orthonormal_rows() -> np.ndarray:
    """``(2, 5)`` orthonormal rows, as principal components are."""
    return np.linalg.qr(rng(21).normal(size=(5, 2)))[0].T


def _code_data(n: int = 32) -> np.ndarray:
    """``(n, 6)`` float32 in [0, 1): a flattened-image stand-in for a small autoencoder."""
    return rng(22).random((n, 6)).astype(np.float32)


def _small_autoencoder(l1_weight: float = 0.0):
    """6 -> 4 ReLU code (L1 activity penalty) -> 6 sigmoid, compiled with MSE."""
    k = keras()
    model = k.Sequential([k.Input((6,)),
                          k.layers.Dense(4, activation="relu", activity_regularizer=k.regularizers.L1(l1_weight)),
                          k.layers.Dense(6, activation="sigmoid")])
    model.compile(optimizer="adam", loss="mse")
    return model


def _tiny_encoder(latent_dim: int = 2):
    from course_lib.generative import models as gen_models

    return gen_models.dense_encoder(latent_dim, hidden=(4,))


def _tiny_decoder(latent_dim: int = 2):
    from course_lib.generative import models as gen_models

    return gen_models.dense_decoder(latent_dim, hidden=(4,))


def _tiny_vae():
    from course_lib.generative import models as gen_models

    return gen_models.VAE(_tiny_encoder(), _tiny_decoder(), beta=1.0, seed=0)


def _named_model(layer: str = "dense_a"):
    """3 -> 2 dense layer named ``layer``: a builder for for_inference."""
    k = keras()
    return k.Sequential([k.Input((3,)), k.layers.Dense(2, name=layer)], name="named")


def _toy_latent_decoder(codes: Any) -> np.ndarray:
    """Codes ``(n, d)`` -> ``(n, 784)`` images as bright as the first coordinate (clipped)."""
    return np.repeat(np.clip(np.asarray(codes)[:, :1], 0, 1), 784, axis=1)


def _latent_models() -> tuple[dict, dict, np.ndarray]:
    """Two toy models' decoders and codes for three images."""
    codes = {"AE": np.array([[0.0], [1.0], [0.5]]), "VAE": np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])}
    return {"AE": _toy_latent_decoder, "VAE": _toy_latent_decoder}, codes, _digit_images(3)


def _beta_table() -> dict[float, dict[str, float]]:
    return {0.25: {"reconstruction": 150.0, "kl": 12.0}, 4.0: {"reconstruction": 170.0, "kl": 3.0}}


def _registered_then_removed(func: Any) -> Any:
    """``registry.register`` that takes its entry out again, leaving the registry as it was."""

    @functools.wraps(func)
    def wrapper(name: Any, *args: Any, **kwargs: Any) -> Any:
        before = dict(registry._REGISTRY)
        try:
            return func(name, *args, **kwargs)
        finally:
            registry._REGISTRY.clear()
            registry._REGISTRY.update(before)

    return wrapper


# exercises.common, exercises.verdict: the helpers the checks share
specimen("course_lib.exercises.common.as_number", lambda: call(ex_common.as_number, 2.5), answers=("value",))
specimen("course_lib.exercises.common.call_with_time_limit",
         lambda: call(ex_common.call_with_time_limit, lambda x: 2 * x, 3.0))
specimen("course_lib.exercises.common.too_slow", lambda: call(ex_common.too_slow, "train_model"),
         text=("name",), bad={"name": ("",)})
# The messages name the data set after `name`: calling it "value", as the argument is
# called, lets the fuzz see that a bad value is named.
specimen("course_lib.exercises.common.pair_of_arrays",
         lambda: call(ex_common.pair_of_arrays, "value", (np.ones((4, 2)), np.arange(4)), x_ndim=2, what="(x, y)"),
         text=("name", "what"),
         bad={"name": ("",), "value": ((np.ones((4, 2)),), (np.ones((4, 2)), np.arange(3)), (np.ones((4, 2)), 3)),
              "x_ndim": (0, -1)})
specimen("course_lib.exercises.verdict.is_stub", lambda: call(ex_verdict.is_stub, 3), answers=("value",))
specimen("course_lib.exercises.verdict.verdict",
         lambda: call(ex_verdict.verdict, "demo", Status.WRONG, "not yet", verbose=False),
         text=("name", "message"), bad={"name": ("",), "message": ("",)})
specimen("course_lib.exercises.verdict.choice", lambda: call(ex_verdict.choice, "(b)", {"a": "one", "b": "two"}),
         answers=("answer",), bad={"options": ({},)})

# exercises.autoencoders (notebook 12)
for _check in (ex12.check_pca, ex12.check_contractive_penalty, ex13.check_negative_elbo):
    _answer(_check, lambda *args: 0)
specimen("course_lib.exercises.autoencoders.linear_ae_relation",
         lambda: call(ex12.linear_ae_relation, np.array([[2.0, 1.0], [0.0, 1.0]]) @ _orthonormal_rows(),
                      _orthonormal_rows()),
         bad={"components": (np.ones((2, 4)), np.ones((3, 5)), np.ones((2, 5))),
              "decoder_vectors": (np.zeros((2, 5)),)})
specimen("course_lib.exercises.autoencoders.check_linear_ae_prediction",
         lambda: call(ex12.check_linear_ae_prediction, "b", _orthonormal_rows()[::-1], _orthonormal_rows(),
                      verbose=False),
         answers=("prediction",), bad={"components": (np.ones((2, 4)),)})
specimen("course_lib.exercises.autoencoders.sparsity_and_error",
         lambda: call(ex12.sparsity_and_error, _small_autoencoder(), _code_data(8)),
         bad={"x": (np.ones((8, 5)),)}, slow=True)
specimen("course_lib.exercises.autoencoders.check_sparse_target",
         lambda: call(ex12.check_sparse_target, _small_autoencoder, 1e-3, 1, _code_data(64), _code_data(16),
                      verbose=False),
         answers=("l1_weight", "num_epochs"),
         bad={"x_test": (np.ones((16, 5)),), "build": (3,)}, slow=True)

# exercises.variational_autoencoders (notebook 13)
specimen("course_lib.exercises.variational_autoencoders.check_beta_prediction",
         lambda: call(ex13.check_beta_prediction, "up", "down", _beta_table(), verbose=False),
         answers=("reconstruction_trend", "kl_trend"),
         bad={"table": ({1.0: {"reconstruction": 1.0, "kl": 1.0}},
                        {0.5: {"kl": 1.0}, 1.0: {"reconstruction": 1.0, "kl": 1.0}},
                        {"x": {"reconstruction": 1.0, "kl": 1.0}, 1.0: {"reconstruction": 1.0, "kl": 1.0}},
                        {0.5: {"reconstruction": "a", "kl": 1.0}, 1.0: {"reconstruction": 1.0, "kl": 1.0}},
                        {-1.0: {"reconstruction": 1.0, "kl": 1.0}, 1.0: {"reconstruction": 1.0, "kl": 1.0}})})
specimen("course_lib.exercises.variational_autoencoders.check_vae_target",
         lambda: call(ex13.check_vae_target, 2, 1e-3, 32, 1, _digit_images(32), _digit_images(8), verbose=False),
         answers=("latent_dim", "learning_rate", "batch_size", "num_epochs"),
         bad={"x_train": (images(4, 8), np.full((4, 28, 28, 1), np.nan)), "x_test": (images(4, 8),)}, slow=True)

# generative.metrics
_POINTS_BAD = (np.ones((3, 3)),)  # three columns where the others have two
specimen("course_lib.generative.metrics.gaussian_statistics", lambda: call(gen_metrics.gaussian_statistics, points(5)),
         bad={"features": (np.ones((1, 2)),)})
specimen("course_lib.generative.metrics.frechet_distance_from_statistics",
         lambda: call(gen_metrics.frechet_distance_from_statistics, np.zeros(2), np.eye(2), np.ones(2),
                      np.array([[2.0, 0.5], [0.5, 1.0]])),
         bad={"mean_b": (np.zeros(3),), "covariance_a": (np.eye(3),), "covariance_b": (np.ones((2, 3)),)})
specimen("course_lib.generative.metrics.frechet_distance",
         lambda: call(gen_metrics.frechet_distance, points(6), points(5) + 1.0),
         bad={"features_b": (np.ones((1, 2)), *_POINTS_BAD), "features_a": (np.ones((1, 2)),)})
specimen("course_lib.generative.metrics.confident_share",
         lambda: call(gen_metrics.confident_share, _class_probabilities(), 0.5),
         bad={"probabilities": (np.ones((2, 3)), -np.eye(3)), "threshold": (0.0, 1.0, 1.5)})
specimen("course_lib.generative.metrics.class_histogram",
         lambda: call(gen_metrics.class_histogram, _class_probabilities()),
         bad={"probabilities": (np.ones((2, 3)),)})
specimen("course_lib.generative.metrics.smallest_class_share",
         lambda: call(gen_metrics.smallest_class_share, _class_probabilities()),
         bad={"probabilities": (np.ones((2, 3)),)})
specimen("course_lib.generative.metrics.energy_distance",
         lambda: call(gen_metrics.energy_distance, points(6), points(5) + 1.0), bad={"reference": _POINTS_BAD})
specimen("course_lib.generative.metrics.nearest_mode",
         lambda: call(gen_metrics.nearest_mode, points(6), gen_ring.ring_centres(4)), bad={"centres": _POINTS_BAD})
specimen("course_lib.generative.metrics.high_quality_share",
         lambda: call(gen_metrics.high_quality_share, points(6), gen_ring.ring_centres(4), 0.5, within=3.0),
         bad={"centres": _POINTS_BAD, "sigma": (0.0, -1.0), "within": (0.0, -1.0)})
specimen("course_lib.generative.metrics.modes_covered",
         lambda: call(gen_metrics.modes_covered, points(6), gen_ring.ring_centres(4), 0.5, min_count=2, within=3.0),
         bad={"centres": _POINTS_BAD, "sigma": (0.0,), "min_count": (0, -1), "within": (0.0,)})

# generative.ring
specimen("course_lib.generative.ring.ring_centres", lambda: call(gen_ring.ring_centres, 8, 2.0),
         bad={"modes": (0, -1), "radius": (0.0, -1.0)})
specimen("course_lib.generative.ring.ring_data",
         lambda: call(gen_ring.ring_data, 20, 0, modes=4, radius=1.0, sigma=0.1),
         bad={"n_samples": (0, -1), "seed": (-1, 2**32), "modes": (0,), "radius": (0.0,), "sigma": (0.0, -0.1)})
specimen("course_lib.generative.ring.ring_references", lambda: call(gen_ring.ring_references, 20, seed=0),
         bad={"n_samples": (0,), "seed": (-1,)})
specimen("course_lib.generative.ring.score_ring", lambda: call(gen_ring.score_ring, gen_ring.ring_data(50), "demo"),
         text=("name",), bad={"name": ("",), "samples": (np.ones((5, 3)),)})
specimen("course_lib.generative.ring.print_ring_scores",
         lambda: call(gen_ring.print_ring_scores, [gen_ring.RingScores("demo", 0.1, 8, 0.9)]),
         bad={"scores": ([3],)})
specimen("course_lib.generative.ring.plot_ring",
         lambda: call(gen_ring.plot_ring, gen_ring.ring_data(20), title="ring", color="C1"),
         text=("title",), bad={"samples": (np.ones((5, 3)),), "color": ("", "no such colour")})

# generative.digits: the course's classifier (a small file in data/) judges the images
_SCORES = gen_digits.ImageScores("demo", 12.0, 0.8, np.array([3, 1, 0, 2, 2, 1, 1, 0, 0, 0]))
specimen("course_lib.generative.digits.classify", lambda: call(gen_digits.classify, _digit_images()),
         bad={"images": (np.full((2, 28, 28, 1), 2.0), images(2, 8))}, slow=True)
specimen("course_lib.generative.digits.score_images",
         lambda: call(gen_digits.score_images, _digit_images(), "demo"),
         text=("name",), bad={"name": ("",), "images": (images(2, 8),)}, slow=True)
specimen("course_lib.generative.digits.pixel_gaussian", lambda: call(gen_digits.pixel_gaussian, _digit_images(6), 3, seed=0),
         bad={"images": (_digit_images(1), np.full((2, 28, 28, 1), -1.0)), "n": (0,), "seed": (-1,)})
specimen("course_lib.generative.digits.image_references", lambda: call(gen_digits.image_references, 5, seed=0),
         bad={"n": (0, 1001), "seed": (-1,)}, slow=True)
specimen("course_lib.generative.digits.print_image_scores", lambda: call(gen_digits.print_image_scores, [_SCORES]),
         bad={"scores": ([3], [gen_ring.RingScores("demo", 0.1, 8, 0.9)])})
specimen("course_lib.generative.digits.plot_class_histogram", lambda: call(gen_digits.plot_class_histogram, _SCORES))

# generative.registry and generative.pretrained
specimen("course_lib.generative.registry.info", lambda: call(registry.info, "vae"), bad={"name": ("no such model",)})
specimen("course_lib.generative.registry.register",
         lambda: call(_registered_then_removed(registry.register), "fuzz_points",
                      lambda n, seed: gen_ring.ring_data(n, seed), kind="points", description="a test sampler",
                      made_by="", replace=True),
         text=("name", "description", "made_by"),
         bad={"name": ("", "  "), "kind": ("sound",), "target": ("no_colon",)})
specimen("course_lib.generative.registry.sample", lambda: call(registry.sample, "vae", 3, seed=0),
         bad={"name": ("no such model",), "n": (0, 100_001), "seed": (-1,)}, slow=True)
specimen("course_lib.generative.pretrained.path", lambda: call(pretrained.path, "vae_decoder.keras"),
         bad={"filename": ("mnist.npz",)})
specimen("course_lib.generative.pretrained.decode_gaussian_latents",
         lambda: call(pretrained.decode_gaussian_latents, _tiny_decoder(), 3, 0, batch_size=2),
         bad={"n": (0,), "seed": (-1,), "batch_size": (0,)}, slow=True)
specimen("course_lib.generative.pretrained.sample_vae", lambda: call(pretrained.sample_vae, 3, 0),
         bad={"n": (0,), "seed": (-1,)}, slow=True)

# generative.models (small widths where the builder takes them)
from course_lib.generative import models as gen_models  # noqa: E402

specimen("course_lib.generative.models.mnist_classifier",
         lambda: call(gen_models.mnist_classifier, augment=False, seed=0), bad={"seed": (-1,)}, slow=True)
specimen("course_lib.generative.models.dense_encoder", lambda: call(gen_models.dense_encoder, 2, hidden=(4,)),
         bad={"latent_dim": (0, 2000), "hidden": ((0,), (4, -1))}, ok={"hidden": ("empty",)}, slow=True)
specimen("course_lib.generative.models.dense_decoder", lambda: call(gen_models.dense_decoder, 2, hidden=(4,)),
         bad={"latent_dim": (0, 2000), "hidden": ((0,),)}, ok={"hidden": ("empty",)}, slow=True)
specimen("course_lib.generative.models.conv_encoder", lambda: call(gen_models.conv_encoder, 2),
         bad={"latent_dim": (0, 2000)}, slow=True)
specimen("course_lib.generative.models.conv_decoder", lambda: call(gen_models.conv_decoder, 2),
         bad={"latent_dim": (0, 2000)}, slow=True)
specimen("course_lib.generative.models.for_inference",
         lambda: call(gen_models.for_inference, _named_model(), _named_model),
         bad={"build": (lambda: _named_model("dense_b"), lambda: "model", lambda: None)}, slow=True)
specimen("course_lib.generative.models.VAE",
         lambda: call(gen_models.VAE, _tiny_encoder(), _tiny_decoder(), beta=1.0, seed=0),
         bad={"beta": (-1.0,), "seed": (-1, 2**32), "decoder": (_tiny_decoder(3),), "encoder": (_named_model(),)},
         slow=True)
specimen("course_lib.generative.models.VAE.loss_terms",
         lambda: call(_tiny_vae().loss_terms, _digit_images(3), training=False),
         bad={"x": (images(3, 8), np.full((3, 28, 28, 1), 2.0))}, slow=True)

# widgets.latent (notebooks 12-13): toy decoders stand in for the trained ones
specimen("course_lib.widgets.latent.decode", lambda: call(w_latent.decode, _toy_latent_decoder, points(3)),
         bad={"decoder": (lambda codes: np.zeros((len(codes), 5)), lambda codes: "images", lambda codes: None)})
specimen("course_lib.widgets.latent.interpolate",
         lambda: call(w_latent.interpolate, np.array([0.0, 2.0]), np.array([4.0, -2.0]), np.array([0.0, 0.5, 1.0])),
         bad={"code_b": (np.zeros(3),)}, ok={"t": ("scalar",)})
specimen("course_lib.widgets.latent.LatentFigure",
         lambda: call(w_latent.LatentFigure, points(20), np.arange(20) % 10),
         bad={"codes": (np.ones((20, 3)),), "labels": (np.arange(5),)})
specimen("course_lib.widgets.latent.LatentFigure.update",
         lambda: call(w_latent.LatentFigure(points(20), np.arange(20) % 10).update, _toy_latent_decoder, 0.5, -0.5),
         bad={"decoder": ("not a function",)})
specimen("course_lib.widgets.latent.render_latent",
         lambda: call(w_latent.render_latent, _toy_latent_decoder, points(20), np.arange(20) % 10, 0.5, -0.5),
         bad={"labels": (np.arange(5),), "codes": (np.ones((20, 3)),)})
specimen("course_lib.widgets.latent.latent_explorer",
         lambda: call(w_latent.latent_explorer, _toy_latent_decoder, points(20), np.arange(20) % 10),
         bad={"labels": (np.arange(5),), "codes": (np.ones((20, 3)),)})
specimen("course_lib.widgets.latent.render_interpolation",
         _with(w_latent.render_interpolation, lambda: (*_latent_models(), 0, 2, 0.25, 3)),
         bad={"first": (3, -1), "second": (3,), "t": (-0.1, 1.5), "steps": (0, 51),
              "decoders": ({"AE": 3, "VAE": _toy_latent_decoder}, {"AE": _toy_latent_decoder}),
              "codes": ({"AE": np.ones((2, 1)), "VAE": np.ones((3, 2))},)})
specimen("course_lib.widgets.latent.interpolation_explorer",
         _with(w_latent.interpolation_explorer, _latent_models),
         bad={"decoders": ({"AE": 3, "VAE": _toy_latent_decoder}, {}),
              "codes": ({"AE": np.ones((2, 1)), "VAE": np.ones((3, 2))}, {"AE": np.ones((3, 1))}),
              "images": (images(3, 8),)})


# Notebook 14: generative adversarial networks.
from course_lib.exercises import gans as ex14  # noqa: E402


def _gan():
    from course_lib.generative import gan

    return gan


def _gan_widgets():
    from course_lib.widgets import generative as gan_widgets

    return gan_widgets


def _gan_parts(pack: int = 1):
    gan = _gan()
    k = keras()
    return (gan.point_generator(hidden=4, depth=1), gan.point_discriminator(pack, hidden=4, depth=1),
            k.optimizers.Adam(1e-3), k.optimizers.Adam(1e-3))


def _ring_snapshots(k: int = 2, n: int = 20) -> np.ndarray:
    return np.random.default_rng(0).normal(0.0, 2.0, (k, n, 2))


specimen("course_lib.generative.gan.point_generator",
         lambda: call(_gan().point_generator, 2, 8, 1),
         bad={"latent_dim": (0,), "hidden": (0,), "depth": (0,)}, slow=True)
specimen("course_lib.generative.gan.point_discriminator",
         lambda: call(_gan().point_discriminator, 2, 8, 1),
         bad={"pack": (0, 17), "hidden": (0,), "depth": (0,)}, slow=True)
specimen("course_lib.generative.gan.digit_generator",
         lambda: call(_gan().digit_generator, 4),
         bad={"latent_dim": (0,)}, slow=True)
specimen("course_lib.generative.gan.pack_samples",
         lambda: call(_gan().pack_samples,
                      np.ones((4, 2), dtype=np.float32), 2),
         bad={"pack": (0, 17)}, fixed=("x",))  # x: any tensor whose batch splits evenly
specimen("course_lib.generative.gan.gan_train_step",
         lambda: call(_gan().gan_train_step, *_gan_parts(),
                      batch_size=8, pack=1, seed=0, jit_compile=False),
         bad={"batch_size": (0,), "pack": (0, 3)}, fixed=("g_optimizer", "d_optimizer"), slow=True)
specimen("course_lib.generative.gan.train_point_gan",
         lambda: call(_gan().train_point_gan, 2, batch_size=8,
                      d_learning_rate=1e-3, g_learning_rate=1e-3, pack=1, latent_dim=2, hidden=4, seed=0,
                      snapshot_every=1, probe=5, jit_compile=False),
         bad={"num_steps": (0,), "batch_size": (1,), "pack": (0,), "d_learning_rate": (0.0,),
              "g_learning_rate": (0.0,), "snapshot_every": (0,), "probe": (0,)}, slow=True)
specimen("course_lib.generative.gan.sample_gan_ring",
         lambda: call(_gan().sample_gan_ring, 5, 0),
         bad={"n": (0,)}, slow=True)
specimen("course_lib.generative.gan.sample_dcgan",
         lambda: call(_gan().sample_dcgan, 3, 0),
         bad={"n": (0,)}, slow=True)
EXCLUDED["course_lib.generative.gan.GanRun"] = RECORD
specimen("course_lib.widgets.generative.render_snapshot",
         lambda: call(_gan_widgets().render_snapshot,
                      _ring_snapshots(), ["a", "b"], 1, np.full((2, 4, 4), 0.5), title="GAN"),
         bad={"labels": (["a"],), "index": (2, -3), "backgrounds": (np.zeros((3, 4, 4)),)}, text=("title",),
         ok={"labels": ("unknown-item",)})  # labels are free text
specimen("course_lib.widgets.generative.snapshot_scrubber",
         lambda: call(_gan_widgets().snapshot_scrubber,
                      _ring_snapshots(), ["a", "b"], backgrounds=None, title="GAN"),
         bad={"labels": (["a"],)}, text=("title",), ok={"labels": ("unknown-item",)})
specimen("course_lib.exercises.gans.check_gan_losses",
         lambda: call(ex14.check_gan_losses, lambda r, f: 0), answers=("func",))
specimen("course_lib.exercises.gans.check_equilibrium_prediction",
         lambda: call(ex14.check_equilibrium_prediction, 1.0, verbose=False), answers=("d_loss_prediction",))
specimen("course_lib.exercises.gans.check_discriminator_target",
         lambda: call(ex14.check_discriminator_target, 4, 1, 1e-3, 1, verbose=False),
         answers=("hidden", "depth", "learning_rate", "num_epochs"), slow=True)
specimen("course_lib.exercises.gans.discriminator_accuracy",
         lambda: call(ex14.discriminator_accuracy, 4, 1, 1e-3, 1),
         bad={"hidden": (0, 513), "depth": (0, 5), "learning_rate": (0.0, 0.2), "num_epochs": (0, 21)}, slow=True)


def valid_call(name: str) -> Call:
    """The specimen's valid call (a fresh one each time)."""
    return SPECIMENS[name].make()


def _tiny_first_network(units: int = 4, learning_rate: float = 1e-2):
    """A builder with notebook 00's signature: a compiled (8, 8, 1) -> 10 classifier."""
    k = keras()
    model = k.Sequential([k.Input((8, 8, 1)), k.layers.Flatten(), k.layers.Dense(units, activation="relu"),
                          k.layers.Dense(10, activation="softmax")])
    model.compile(optimizer=k.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


specimen("course_lib.exercises.welcome.check_updates_per_epoch",
         lambda: call(ex00.check_updates_per_epoch, 2, images(20), np.arange(20) % 10, batch_size=16,
                      validation_split=0.1),
         answers=("answer",), bad={"batch_size": (0,), "validation_split": (1.5, -0.1), "y": (-np.ones(20, int),)},
         slow=True)
specimen("course_lib.exercises.welcome.check_first_network",
         lambda: call(ex00.check_first_network, dict(units=4, learning_rate=1e-2, batch_size=16, num_epochs=1),
                      _tiny_first_network, (images(20), np.arange(20) % 10), (images(10), np.arange(10) % 10),
                      target=0.5, max_units=1024, max_epochs=5, min_batch=16),
         answers=("settings",), bad={"target": (1.5,), "max_units": (0,), "max_epochs": (0,),
                                     "train": ((images(20),),), "test": ((images(10), np.arange(3)),)},
         slow=True)


# The offline editions: an instructor's command line (make html, make slides), run from a
# shell on the course's own notebooks, never from a notebook; tests/test_export.py covers it.
EXCLUDED.update({
    f"course_lib.export.{name}": "instructor command line (make html, make slides), run from "
    "a shell, never from a notebook"
    for name in ("widget_snapshot_html", "snapshot_widgets", "build", "main")
})


# Notebook 15: denoising diffusion models.
from course_lib.exercises import diffusion_models as ex15  # noqa: E402
from course_lib.generative import diffusion as gen_diffusion  # noqa: E402


def _denoisers():
    from course_lib.generative import denoisers

    return denoisers


def _diffusion_widgets():
    from course_lib.widgets import diffusion as diffusion_widgets

    return diffusion_widgets


def _schedule(num_steps: int = 10) -> gen_diffusion.Schedule:
    return gen_diffusion.noise_schedule("cosine", num_steps)


def _zero_noise(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """A noise predictor ``(x_t, t) -> eps_hat`` that always predicts no noise."""
    return np.zeros_like(np.asarray(x, dtype=np.float64))


def _pull_to_origin(x: np.ndarray, t: int) -> np.ndarray:
    """A score ``(x, t) -> (n, d)``: that of a standard normal."""
    return -np.asarray(x, dtype=np.float64)


EXCLUDED["course_lib.generative.diffusion.Schedule"] = RECORD + " (noise_schedule() builds it)"
specimen("course_lib.generative.diffusion.noise_schedule",
         lambda: call(gen_diffusion.noise_schedule, "linear", 10),
         bad={"num_steps": (1, 10_001)})
specimen("course_lib.generative.diffusion.forward_moments",
         lambda: call(gen_diffusion.forward_moments, points(4), 3, _schedule()),
         bad={"t": (-1, 11, np.array([1, 2]))}, ok={"x0": ("rank+2",)})  # x0: (n, ...), any rank
specimen("course_lib.generative.diffusion.forward_sample",
         lambda: call(gen_diffusion.forward_sample, points(4), np.array([1, 2, 3, 10]), points(4), _schedule()),
         bad={"t": (-1, 11), "noise": (np.zeros((3, 2)),)},
         ok={"t": ("scalar",), "x0": ("rank+2",)})  # one step for all or one per example; any rank
specimen("course_lib.generative.diffusion.predicted_clean",
         lambda: call(gen_diffusion.predicted_clean, points(4), points(4), 5, _schedule()),
         bad={"t": (0, 11), "eps_hat": (np.zeros((4, 3)),)},
         ok={"x_t": ("rank+2",)})  # x_t: (n, ...), any rank; eps_hat must then match it
specimen("course_lib.generative.diffusion.ddpm_step",
         lambda: call(gen_diffusion.ddpm_step, points(4), points(4), 5, _schedule(), points(4)),
         bad={"t": (0, 11), "noise": (np.zeros((4, 3)),)}, ok={"x_t": ("rank+2",)})
specimen("course_lib.generative.diffusion.ddim_step",
         lambda: call(gen_diffusion.ddim_step, points(4), points(4), 5, 2, _schedule(), eta=0.5, noise=points(4)),
         bad={"t": (0, 11), "t_prev": (5, -1), "eta": (-0.1, 1.5)}, ok={"x_t": ("rank+2",)})
specimen("course_lib.generative.diffusion.step_subsequence",
         lambda: call(gen_diffusion.step_subsequence, 10, 4),
         bad={"num_steps": (0,), "count": (0, 11)})
specimen("course_lib.generative.diffusion.reverse_sample",
         lambda: call(gen_diffusion.reverse_sample, _zero_noise, (5, 2), _schedule(), seed=0, num_steps=4,
                      method="ddim", snapshots=2, progress=False),
         bad={"shape": ((0, 2),), "num_steps": (0, 11), "snapshots": (-1, 6)})
specimen("course_lib.generative.diffusion.mixture_score",
         lambda: call(gen_diffusion.mixture_score, points(4), points(3), 0.5, 0.3),
         bad={"means": (np.zeros((3, 3)),), "alpha_bar": (0.0, 1.5)})
specimen("course_lib.generative.diffusion.reverse_sde_sample",
         lambda: call(gen_diffusion.reverse_sde_sample, _pull_to_origin, (5, 2), _schedule(), seed=0, snapshots=2),
         bad={"shape": ((0, 2),), "snapshots": (-1, 12)})
specimen("course_lib.generative.denoisers.sinusoidal_table",
         lambda: call(_denoisers().sinusoidal_table, 10, 8),
         bad={"num_steps": (0,), "dim": (3, 0)}, slow=True)
specimen("course_lib.generative.denoisers.time_embedding",
         lambda: call(_denoisers().time_embedding, 10, 8, "steps"),
         bad={"num_steps": (0,), "dim": (3,)}, text=("name",), slow=True)
specimen("course_lib.generative.denoisers.point_denoiser",
         lambda: call(_denoisers().point_denoiser, 10, 4, 1, 4),
         bad={"num_steps": (0,), "hidden": (0,), "depth": (0,), "embedding": (3,)}, slow=True)
specimen("course_lib.generative.denoisers.digit_denoiser",
         lambda: call(_denoisers().digit_denoiser, 10, 8, 4),
         bad={"num_steps": (0,), "channels": (12, 0), "embedding": (3,)}, slow=True)
specimen("course_lib.generative.denoisers.to_signed",
         lambda: call(_denoisers().to_signed, images(2, 28)), slow=True)
specimen("course_lib.generative.denoisers.to_unit",
         lambda: call(_denoisers().to_unit, images(2, 28)), slow=True)
specimen("course_lib.generative.denoisers.denoiser_train_step",
         lambda: call(_denoisers().denoiser_train_step, _denoisers().point_denoiser(10, 4, 1, 4),
                      keras().optimizers.Adam(1e-3), _schedule(), seed=0, jit_compile=False),
         fixed=("optimizer",), slow=True)
specimen("course_lib.generative.denoisers.noise_predictor",
         lambda: call(_denoisers().noise_predictor, _denoisers().point_denoiser(10, 4, 1, 4), batch_size=8),
         bad={"batch_size": (0,)}, slow=True)
specimen("course_lib.generative.denoisers.sample_ddpm",
         lambda: call(_denoisers().sample_ddpm, 2, 0, num_steps=2, progress=False),
         bad={"n": (0,), "num_steps": (0, 101)}, slow=True)
specimen("course_lib.generative.denoisers.sample_ddpm_ring",
         lambda: call(_denoisers().sample_ddpm_ring, 5, 0),
         bad={"n": (0,)}, slow=True)
specimen("course_lib.widgets.diffusion.render_noise_schedule",
         lambda: call(_diffusion_widgets().render_noise_schedule, images(1, 28)[0], "cosine", 10, 4, seed=0),
         bad={"image": (np.full((28, 28), 2.0),), "num_steps": (1,), "step": (11, -1)})
specimen("course_lib.widgets.diffusion.noise_schedule_explorer",
         lambda: call(_diffusion_widgets().noise_schedule_explorer, images(1, 28)[0], num_steps=100),
         bad={"image": (np.full((28, 28), 2.0),), "num_steps": (10,)})
specimen("course_lib.exercises.diffusion_models.check_reverse_step",
         lambda: call(ex15.check_reverse_step, lambda *args: 0), answers=("func",))
specimen("course_lib.exercises.diffusion_models.check_zero_predictor_loss",
         lambda: call(ex15.check_zero_predictor_loss, 1.0), answers=("loss_prediction",))
specimen("course_lib.exercises.diffusion_models.check_ring_ddpm_target",
         lambda: call(ex15.check_ring_ddpm_target, 2, 4, 1e-3, verbose=False),
         answers=("num_steps", "hidden", "learning_rate"), slow=True)
specimen("course_lib.exercises.diffusion_models.ring_ddpm_scores",
         lambda: call(ex15.ring_ddpm_scores, 2, 4, 1e-3),
         bad={"num_steps": (1, 201), "hidden": (0, 257), "learning_rate": (0.0, 0.2)}, slow=True)

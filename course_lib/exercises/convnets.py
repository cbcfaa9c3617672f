"""Exercise checks for notebook 07, ConvNets.

The last three checks train or build Keras models: they load TensorFlow (quietly) when
called, not when this module is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import validate
from ..checks import CheckResult, Status, _crash, _short
from ..outcomes import approx
from ..scratch import conv
from . import common
from .common import check_count as _check_count
from .common import result as _result


def _conv(k: int, a: int, b: int) -> int:
    return (k * k * a + 1) * b


def _dense(n_in: int, n_out: int) -> int:
    return (n_in + 1) * n_out


def lenet5_parameters(side: int = 28) -> dict[str, int]:
    """Per-layer parameter counts of LeNet-5 on ``side x side`` grey images (C5 as dense)."""
    # C1 keeps the size, S2 halves it, C3 (5x5, valid) removes 4, S4 halves it again.
    side = validate.count("side", side, minimum=12)
    after_c3 = conv.output_size(side // 2, 5)
    flat = (after_c3 // 2) ** 2 * 16
    return {"C1": _conv(5, 1, 6), "C3": _conv(5, 6, 16), "C5": _dense(flat, 120),
            "F6": _dense(120, 84), "output": _dense(84, 10)}


def check_lenet5_count(answer: Any) -> CheckResult:
    """Lecture exercise 5: LeNet-5's parameter count on 28x28 digits."""
    return _check_count(
        answer, sum(lenet5_parameters(28).values()), "LeNet-5's parameter count",
        "C1 (5*5*1+1)*6, C3 (5*5*6+1)*16 (each kernel spans all 6 maps of S2), then three "
        "dense layers 400->120->84->10 with (inputs + 1) * outputs each; pooling has none",
    )


def check_larger_input(c5_kernel: Any, c5_parameters: Any) -> CheckResult:
    """Lecture exercise 6: on 64x64 inputs, C5 as a convolution must cover S4's whole map."""
    side = conv.output_size(64 // 2, 5) // 2
    first = _check_count(
        c5_kernel, side, "C5's kernel size on 64x64 images",
        "follow the sizes: 64 -> C1 (same) 64 -> S2 32 -> C3 (valid 5x5) 28 -> S4 ?",
    )
    if not first.passed:
        return first
    return _check_count(
        c5_parameters, _conv(side, 16, 120), "C5's parameter count on 64x64 images",
        "C5 has 120 kernels of size k x k x 16 (S4 has 16 maps), each with one bias",
    )


# ------------------------------------------------------------------------ exercise 3


def check_fixed_loss(
    loss: Any,
    build: Callable[[], Any],
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    *,
    num_epochs: int = 3,
    target: float = 0.8,
) -> CheckResult:
    """Train ``build()`` with the student's ``loss`` and check that it learns.

    The model of the exercise ends in a ``Dense(10)`` without softmax: it outputs logits,
    so the loss must be told so (``from_logits=True``).

    Args:
        loss: the student's answer, anything ``model.compile(loss=...)`` accepts.
        build: the notebook's model builder, called without arguments.
        train, test: ``(images, labels)``.
        num_epochs: epochs of training.
        target: the test accuracy that shows the model learns.
    """
    build = validate.callable_("build", build)
    train = common.pair_of_arrays("train", train, what="(images, labels)")
    test = common.pair_of_arrays("test", test, what="(images, labels)")
    num_epochs = validate.count("num_epochs", num_epochs)
    target = validate.fraction("target", target, closed=True)
    name = "fixed_loss"
    hint = ("the last layer has no activation: it outputs raw scores (logits), not "
            "probabilities; find the argument of SparseCategoricalCrossentropy that says so")
    if loss is None or loss is Ellipsis:
        return _result(name, Status.NOT_ATTEMPTED,
                       "fixed_loss is not filled in yet: replace `...` with a loss and run the cell")
    from ..backend import keras

    def train_and_evaluate() -> float:
        model = build()
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss=loss,
                      metrics=["accuracy"])
        model.fit(*train, epochs=num_epochs, batch_size=64, verbose=0)
        return float(model.evaluate(*test, verbose=0)[1])

    keras.utils.set_random_seed(1)
    try:
        accuracy = common.call_with_time_limit(train_and_evaluate)
    except common.TimeLimitExceeded:
        return _result(name, Status.WRONG, common.too_slow("training with your loss"), hint)
    except Exception as error:  # noqa: BLE001 - a bad loss becomes feedback
        outcome = _crash(error, "training with your loss")
        return _result(name, Status.WRONG, outcome.message, hint)
    if not np.isfinite(accuracy) or accuracy < target:
        return _result(name, Status.WRONG,
                       f"with your loss the model reaches a test accuracy {approx(accuracy)}, "
                       f"still below {target:.2f}", hint)
    return _result(name, Status.CORRECT,
                   f"the model learns: test accuracy {approx(accuracy)} after {num_epochs} epochs")


# ------------------------------------------------------------------------ exercise 4


def check_small_cnn(
    train_small_cnn: Callable[[np.ndarray, np.ndarray], Any] | None,
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    *,
    max_parameters: int = 20_000,
    max_epochs: int = 10,
    target: float = 0.97,
) -> CheckResult:
    """Call ``train_small_cnn(x, y) -> (model, history)`` and check the constraints.

    Args:
        train_small_cnn: the student's function.
        train, test: the notebook's ``(images, labels)``.
        max_parameters, max_epochs: the budget.
        target: the test accuracy to reach.
    """
    train = common.pair_of_arrays("train", train, what="(images, labels)")
    test = common.pair_of_arrays("test", test, what="(images, labels)")
    max_parameters = validate.count("max_parameters", max_parameters)
    max_epochs = validate.count("max_epochs", max_epochs)
    target = validate.fraction("target", target, closed=True)
    name = "train_small_cnn"
    if train_small_cnn is None or train_small_cnn is Ellipsis:
        return _result(name, Status.NOT_ATTEMPTED, "train_small_cnn is not written yet")
    if not callable(train_small_cnn):
        return _result(name, Status.WRONG,
                       f"train_small_cnn should be a function, got {type(train_small_cnn).__name__}",
                       "define it with `def train_small_cnn(x, y):`")
    from ..backend import keras

    keras.utils.set_random_seed(0)
    try:
        returned = common.call_with_time_limit(train_small_cnn, *train)
    except NotImplementedError:
        return _result(name, Status.NOT_ATTEMPTED,
                       "train_small_cnn is still the stub: write its body and run the cell again")
    except common.TimeLimitExceeded:
        return _result(name, Status.WRONG, common.too_slow(name))
    except Exception as error:  # noqa: BLE001 - any student error becomes feedback
        outcome = _crash(error, "train_small_cnn(x_train, y_train)")
        return _result(name, Status.CRASHED, outcome.message,
                       "build the model, compile it, fit it, then `return model, history`")
    if not (isinstance(returned, tuple) and len(returned) == 2):
        return _result(name, Status.WRONG,
                       f"train_small_cnn returned {_short(returned)}",
                       "return two things: `return model, history` (history is what fit returns)")
    model, history = returned
    if not isinstance(model, keras.Model):
        return _result(name, Status.WRONG, f"the first value returned is {_short(model)}, not a model",
                       "return the Keras model first, then fit's history")
    try:
        losses = list(history.history["loss"])
    except Exception:  # noqa: BLE001 - anything but fit's History
        losses = []
    if not losses:
        return _result(name, Status.WRONG, "the second value returned is not fit's history",
                       "keep what `model.fit(...)` returns and return it second")
    parameters, epochs = model.count_params(), len(losses)
    if parameters > max_parameters:
        return _result(name, Status.WRONG,
                       f"the model has {parameters:,} parameters, more than {max_parameters:,}",
                       "fewer maps, or pool before the dense layer: the dense layer on the "
                       "flattened maps usually holds most parameters")
    if epochs > max_epochs:
        return _result(name, Status.WRONG, f"it trained for {epochs} epochs, more than {max_epochs}",
                       f"use epochs={max_epochs} or fewer; a larger learning rate with batch "
                       "normalisation and a decaying schedule gets there sooner")
    try:
        accuracy = float(common.call_with_time_limit(lambda: model.evaluate(*test, verbose=0, batch_size=500)[1]))
    except common.TimeLimitExceeded:
        return _result(name, Status.WRONG, common.too_slow("evaluating your model"))
    except Exception as error:  # noqa: BLE001
        outcome = _crash(error, "evaluating your model on the test digits")
        return _result(name, Status.CRASHED, outcome.message,
                       "compile the model with metrics=['accuracy'] and inputs of shape (28, 28, 1)")
    if not np.isfinite(accuracy) or accuracy < target:
        return _result(name, Status.WRONG,
                       f"test accuracy {approx(accuracy, '.3f')}, below the target {target:.3f}",
                       "augmentation (random shifts), batch normalisation after each "
                       "convolution, a learning rate of a few 1e-3 decaying to zero")
    return _result(name, Status.CORRECT,
                   f"test accuracy {approx(accuracy, '.3f')} reaches {target:.3f} with "
                   f"{parameters:,} parameters in {epochs} epochs")


# ------------------------------------------------------------------------ exercise 5


def _reference_block(x: np.ndarray, weights: list[np.ndarray]) -> np.ndarray:
    """relu(x + conv2(relu(conv1(x)))) with 'same' 3x3 convolutions, in float64."""
    kernel1, bias1, kernel2, bias2 = (np.asarray(w, dtype=np.float64) for w in weights)
    hidden, _ = conv.conv2d_forward(x, kernel1, bias1, padding="same")
    out, _ = conv.conv2d_forward(np.maximum(hidden, 0), kernel2, bias2, padding="same")
    return np.maximum(out + x, 0)


def _all_layers(model) -> list:
    """Every layer of ``model``, looking inside nested models, in order."""
    found = []
    for layer in getattr(model, "layers", []):
        found.extend(_all_layers(layer) if hasattr(layer, "layers") else [layer])
    return found


def check_residual_block(residual_block: Callable[[Any, int], Any] | None) -> CheckResult:
    """``residual_block(x, filters)``: ``relu(x + conv(relu(conv(x))))``, 3x3 'same' convs."""
    name = "residual_block"
    hint_shape = "use padding='same' so the maps keep their size, and `filters` maps in both"
    if residual_block is None or residual_block is Ellipsis:
        return _result(name, Status.NOT_ATTEMPTED, "residual_block is not written yet")
    if not callable(residual_block):
        return _result(name, Status.WRONG,
                       f"residual_block should be a function, got {type(residual_block).__name__}",
                       "define it with `def residual_block(x, filters):`")
    from ..backend import keras

    filters, side = 4, 6
    inputs = keras.Input((side, side, filters))
    try:
        outputs = common.call_with_time_limit(residual_block, inputs, filters)
        block = keras.Model(inputs, outputs)
    except NotImplementedError:
        return _result(name, Status.NOT_ATTEMPTED,
                       "residual_block is still the stub: write its body and run the cell again")
    except common.TimeLimitExceeded:
        return _result(name, Status.WRONG, common.too_slow(name))
    except Exception as error:  # noqa: BLE001
        outcome = _crash(error, "building your block on a (6, 6, 4) input")
        return _result(name, Status.CRASHED, outcome.message,
                       "layers are called on tensors: h = keras.layers.Conv2D(...)(x); "
                       "add with keras.layers.Add()([h, x]); return the final tensor")
    try:
        return common.call_with_time_limit(_judge_block, block, keras, name, hint_shape, side, filters)
    except common.TimeLimitExceeded:
        return _result(name, Status.WRONG, common.too_slow("running your block"))
    except Exception as error:  # noqa: BLE001 - a student's layer that fails becomes feedback
        return _result(name, Status.CRASHED, _crash(error, "running your block on random inputs").message)


def _judge_block(block: Any, keras: Any, name: str, hint_shape: str, side: int, filters: int) -> CheckResult:
    """Compare a built residual block with relu(x + conv2(relu(conv1(x))))."""
    if tuple(block.output.shape[1:]) != (side, side, filters):
        return _result(name, Status.WRONG,
                       f"the block turns (6, 6, 4) into {tuple(block.output.shape[1:])}", hint_shape)
    convs = [layer for layer in _all_layers(block) if isinstance(layer, keras.layers.Conv2D)]
    if len(convs) != 2 or any(tuple(layer.kernel_size) != (3, 3) for layer in convs):
        sizes = [tuple(layer.kernel_size) for layer in convs]
        return _result(name, Status.WRONG, f"found {len(convs)} convolutions with kernels {sizes}",
                       "the block has exactly two Conv2D layers with 3x3 kernels")
    if any(len(layer.get_weights()) != 2 for layer in convs) or len(block.weights) != 4:
        return _result(name, Status.WRONG,
                       "the block should hold two convolutions with biases and nothing else "
                       "(no batch normalisation here)",
                       "keras.layers.Conv2D(filters, 3, padding='same') keeps its bias by default")
    rng = np.random.default_rng(5)
    x = rng.normal(size=(3, side, side, filters)).astype("float32")
    for layer in convs:
        layer.set_weights([np.zeros_like(w) for w in layer.get_weights()])
    zeroed = np.asarray(block(x))
    if not np.allclose(zeroed, np.maximum(x, 0), atol=1e-6):
        if np.allclose(zeroed, x, atol=1e-6):
            message = "with zero kernels the block returns x itself"
            hint = "apply the last ReLU to the sum, after adding x"
        else:
            message = "with zero kernels the block does not reduce to ReLU(x)"
            hint = "add the block's input x (the shortcut) to the second convolution's output"
        return _result(name, Status.WRONG, message, hint)
    weights = []
    for layer in convs:
        kernel, bias = layer.get_weights()
        values = [0.3 * rng.normal(size=kernel.shape), 0.1 * rng.normal(size=bias.shape)]
        layer.set_weights([v.astype("float32") for v in values])
        weights.extend(values)
    expected = _reference_block(x.astype(np.float64), weights)
    got = np.asarray(block(x))
    if not np.allclose(got, expected, atol=1e-4, rtol=1e-4):
        return _result(name, Status.WRONG,
                       "on random weights the block differs from relu(x + conv2(relu(conv1(x))))",
                       "a ReLU after the first convolution, none after the second before the "
                       "addition, and the input added to the second convolution's output")
    return _result(name, Status.CORRECT,
                   "residual_block passes: identity shortcut, ReLU placement and 'same' padding")

"""Exercise checks for notebook 16, scaling up."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import validate
from ..checks import (
    Case,
    CheckResult,
    Outcome,
    Status,
    _short,
    as_numpy,
    check_function,
    check_value,
    describe_mismatch,
)
from . import common


def _report(result: CheckResult, verbose: bool) -> CheckResult:
    if verbose:
        print(result)
    return result


# --- Exercise: dtypes under a mixed policy ------------------------------------------

_DTYPE_ALIASES = {"fp32": "float32", "single": "float32", "float": "float32",
                  "fp16": "float16", "half": "float16", "bf16": "bfloat16"}


def _dtype_name(value: Any) -> str | None:
    """``"float16"`` for ``"float16"``, ``tf.float16``, ``np.float16`` or ``"half"``."""
    if isinstance(value, str):
        text = value.strip().lower().removeprefix("tf.").removeprefix("np.")
        return _DTYPE_ALIASES.get(text, text)
    name = getattr(value, "name", None)
    if isinstance(name, str):
        return name
    if isinstance(value, type) and issubclass(value, np.generic):
        return np.dtype(value).name
    return None


def mixed_float16_dtypes() -> tuple[str, str, str]:
    """What Keras does under ``mixed_float16``: the dtypes of a ``Dense`` layer's kernel,
    of its output, and of the gradient of a loss with respect to the kernel."""
    from ..backend import keras, tf

    layer = keras.layers.Dense(3, dtype="mixed_float16")
    inputs = tf.ones((2, 4))
    with tf.GradientTape() as tape:
        outputs = layer(inputs)
        loss = tf.reduce_sum(tf.cast(outputs, "float32"))
    gradient = tape.gradient(loss, layer.kernel)
    names = tuple(str(_dtype_name(tensor.dtype)) for tensor in (layer.kernel, outputs, gradient))
    return names[0], names[1], names[2]


_DTYPE_HINTS = (
    "the kernel is a variable: the policy keeps variables in full precision, so the "
    "optimizer's tiny updates are not rounded away",
    "the output is computed: the policy's compute dtype is used for the layer's arithmetic",
    "a gradient has the dtype of the variable it belongs to (the cast back is "
    "differentiated too)",
)


def check_policy_dtypes(
    kernel_dtype: Any, output_dtype: Any, gradient_dtype: Any, *, verbose: bool = True
) -> CheckResult:
    """Predict the dtypes of a ``Dense`` layer's kernel, output and kernel gradient
    under the ``mixed_float16`` policy (strings such as ``"float32"`` or dtypes)."""
    verbose = validate.flag("verbose", verbose)
    name = "the dtypes under mixed_float16"
    answers = (kernel_dtype, output_dtype, gradient_dtype)
    if any(answer is None or answer is Ellipsis for answer in answers):
        return check_value(..., None, name=name, verbose=verbose)
    result = CheckResult(name=name)
    try:
        expected = mixed_float16_dtypes()
    except Exception as error:  # noqa: BLE001 - a check never raises
        result.outcomes.append(Outcome(Status.CRASHED, f"Keras could not be asked: {error}"))
        return _report(result, verbose)
    problems = []
    for label, answer, want, hint in zip(("kernel", "output", "gradient"), answers, expected,
                                         _DTYPE_HINTS, strict=True):
        try:
            given = _dtype_name(answer)
        except Exception:  # noqa: BLE001 - an object whose name cannot be read is no dtype
            given = None
        if given is None:
            problems.append(f"the {label} dtype {_short(answer)} is not a dtype: write a name such as "
                            "'float32'")
        elif given != want:
            problems.append(f"the {label} dtype is not {given!r}: {hint}")
    if problems:
        result.outcomes.append(Outcome(Status.WRONG, "; ".join(problems)))
    else:
        result.outcomes.append(Outcome(Status.CORRECT, f"{name}: kernel {expected[0]}, output "
                                       f"{expected[1]}, gradient {expected[2]}"))
    return _report(result, verbose)


# --- Exercise: dynamic loss scaling -----------------------------------------------------


def reference_loss_scale_update(
    scale: float, good_steps: int, finite: bool, growth_steps: int = 2000
) -> tuple[float, int, bool]:
    """One step of dynamic loss scaling, as ``keras.optimizers.LossScaleOptimizer`` does it.

    Returns:
        ``(new_scale, new_good_steps, apply_update)``: non-finite gradients halve the
        scale, reset the count and skip the update; finite ones are applied, and after
        ``growth_steps`` finite steps in a row the scale doubles and the count restarts.
    """
    scale = validate.positive("scale", scale)
    good_steps = validate.integer("good_steps", good_steps, minimum=0)
    finite = validate.flag("finite", finite)
    growth_steps = validate.count("growth_steps", growth_steps)
    if not finite:
        return scale / 2, 0, False
    if good_steps + 1 >= growth_steps:
        return scale * 2, 0, True
    return scale, good_steps + 1, True


def _compare_update(expected: tuple, got: Any) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return (f"expected three values (new_scale, new_good_steps, apply_update), "
                f"got {type(got).__name__}")
    scale_reason = describe_mismatch(expected[0], got[0], rtol=1e-9, atol=0.0)
    if scale_reason:
        return f"the new scale is wrong: {scale_reason}"
    steps, apply = common.as_count(got[1]), as_numpy(got[2])
    if isinstance(steps, str):
        return f"new_good_steps should be an int: {steps}"
    if steps != expected[1]:
        return f"new_good_steps should be {expected[1]}, got {steps}"
    if isinstance(apply, np.ndarray) and apply.shape == () and apply.dtype == bool:
        apply = bool(apply)
    if not isinstance(apply, (bool, np.bool_)):
        return f"apply_update should be True or False, got {type(apply).__name__} {_short(apply)}"
    if bool(apply) != expected[2]:
        return f"apply_update should be {expected[2]}"
    return None


def check_loss_scale_update(func: Callable[..., tuple] | None, *, verbose: bool = True) -> CheckResult:
    """``update_loss_scale(scale, good_steps, finite, growth_steps) -> (scale, steps, apply)``."""
    verbose = validate.flag("verbose", verbose)
    calls = [
        (2.0**15, 0, True, 2000, "a first finite step"),
        (2.0**15, 1998, True, 2000, "the last finite step before growing"),
        (2.0**15, 1999, True, 2000, "the 2000th finite step in a row"),
        (2.0**15, 1500, False, 2000, "gradients with an inf after 1500 good steps"),
        (1.0, 0, False, 3, "gradients with a NaN at scale 1"),
        (4.0, 0, True, 1, "growth_steps=1: every finite step grows the scale"),
        (8.0, 1, True, 3, "a finite step with growth_steps=3"),
    ]
    cases = [Case(args=(scale, steps, finite, growth),
                  expected=reference_loss_scale_update(scale, steps, finite, growth),
                  label=f"update_loss_scale({scale:g}, {steps}, {finite}, {growth}) ({what})")
             for scale, steps, finite, growth, what in calls]
    return check_function(
        func, cases, name="update_loss_scale", compare=_compare_update, verbose=verbose,
        hint="non-finite gradients: halve the scale, restart the count, skip the update; "
        "finite ones: apply, count one more good step, and when the count reaches "
        "growth_steps double the scale and restart the count from 0",
    )


# --- Exercise: the loss of one replica -------------------------------------------------


def _replica_gradients(func: Callable, strategy) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of a linear model's loss summed over ``strategy``'s replicas (as the
    all-reduce does) and on one device with the whole global batch."""
    from ..backend import keras, tf

    rng = np.random.default_rng(16)
    global_batch = 8 * strategy.num_replicas_in_sync
    x = rng.normal(size=(global_batch, 3)).astype("float32")
    y = rng.normal(size=(global_batch, 1)).astype("float32")
    initial = rng.normal(size=(3, 1)).astype("float32")
    with strategy.scope():
        kernel = tf.Variable(initial)

    def replica_step(inputs, targets):
        with tf.GradientTape() as tape:
            per_example = tf.reduce_mean(tf.square(inputs @ kernel - targets), axis=1)
            loss = func(per_example, global_batch)
        if not tf.is_tensor(loss):
            raise TypeError(f"replica_loss returned {type(loss).__name__}, not a tensor: use "
                            "TensorFlow operations (tf.reduce_sum...) so the tape can follow them")
        gradient = tape.gradient(loss, kernel)
        if gradient is None:
            raise ValueError("the loss is not connected to the weights: use TensorFlow "
                             "operations (tf.reduce_sum...), not NumPy, so the tape can follow them")
        return gradient

    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(global_batch)
    inputs, targets = next(iter(strategy.experimental_distribute_dataset(dataset)))
    per_replica = strategy.run(replica_step, args=(inputs, targets))
    summed = strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None).numpy()
    with tf.device("/CPU:0"):  # a GPU would multiply float32 in TF32, less precisely
        one_device = tf.Variable(initial)
        with tf.GradientTape() as tape:
            loss = keras.losses.MeanSquaredError()(y, x @ one_device)
        return summed, tape.gradient(loss, one_device).numpy()


def check_replica_loss(
    func: Callable[..., Any] | None, strategy=None, *, verbose: bool = True
) -> CheckResult:
    """``replica_loss(per_example_loss, global_batch_size)``: one replica's share of the
    mean loss over the global batch.

    With ``strategy`` (a ``tf.distribute`` strategy with several replicas), also checks
    the outcome: the gradient summed over the replicas equals the one-device gradient.
    """
    verbose = validate.flag("verbose", verbose)
    if strategy is not None:
        replicas = getattr(strategy, "num_replicas_in_sync", None)
        if isinstance(replicas, bool) or not isinstance(replicas, int) or not hasattr(strategy, "run"):
            raise TypeError(f"strategy must be a tf.distribute strategy (or None), got {validate.describe(strategy)}")
    from ..backend import tf

    def plain(f: Callable) -> Callable:
        def call(values, global_batch_size):
            out = f(tf.constant(values, dtype="float32"), global_batch_size)
            return None if out is None else float(out.numpy() if hasattr(out, "numpy") else out)
        call.__name__ = getattr(f, "__name__", "replica_loss")
        return call

    cases = [
        Case(args=([1.0, 2.0, 3.0, 4.0], 8), expected=1.25,
             label="replica_loss([1, 2, 3, 4], global_batch_size=8) (one of two replicas)"),
        Case(args=([0.5, 0.5], 2), expected=0.5,
             label="replica_loss([0.5, 0.5], global_batch_size=2) (a single replica)"),
        Case(args=([1.0, 3.0], 8), expected=0.5,
             label="replica_loss([1, 3], global_batch_size=8) (a replica with the short last batch)"),
    ]
    result = check_function(
        None if func is None or func is Ellipsis else plain(func) if callable(func) else func,
        cases, name="replica_loss", verbose=False,
        hint="every replica's loss is summed by the all-reduce, so each replica must "
        "divide its sum of per-example losses by the global batch size, not by its own",
    )
    if result.passed and strategy is not None and getattr(strategy, "num_replicas_in_sync", 1) > 1:
        try:
            summed, single = common.call_with_time_limit(_replica_gradients, func, strategy)
            reason = describe_mismatch(single, summed, rtol=1e-3, atol=1e-5)
        except common.TimeLimitExceeded:
            reason = common.too_slow("replica_loss")
        except Exception as error:  # noqa: BLE001 - a check never raises
            reason = f"{type(error).__name__}: {error}"
        replicas = strategy.num_replicas_in_sync
        if reason:
            result.outcomes = [Outcome(Status.WRONG, f"on {replicas} replicas the summed gradient "
                                       f"differs from one device's: {reason}")]
        else:
            result.outcomes = [Outcome(Status.CORRECT, f"replica_loss passes all {len(cases)} cases, "
                                       f"and the gradient summed over {replicas} replicas equals "
                                       "the one-device gradient")]
    return _report(result, verbose)


# --- Exercise: a learning rate for large batches ----------------------------------------

LARGE_BATCH = 512
MAX_EPOCHS = 5
TARGET_ACCURACY = 0.86


def train_large_batch(
    model_fn: Callable, learning_rate: float, num_epochs: int, *, seed: int = 0
) -> float:
    """Train ``model_fn()`` with SGD (momentum 0.9) on batches of 512 embedded MNIST
    digits (flattened) and return its test accuracy.

    Args:
        model_fn: builds a fresh Keras model from flattened ``(784,)`` digits to 10 logits.
        learning_rate: SGD's step size.
        num_epochs: passes over the training digits.
        seed: seeds the weights and the shuffling.
    """
    from .. import data
    from ..backend import keras

    model_fn = validate.callable_("model_fn", model_fn)
    learning_rate = validate.positive("learning_rate", learning_rate)
    num_epochs = validate.count("num_epochs", num_epochs)
    seed = validate.seed("seed", seed)

    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    x_train, x_test = x_train.reshape(len(x_train), -1), x_test.reshape(len(x_test), -1)
    keras.utils.set_random_seed(seed)
    model = model_fn()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate, momentum=0.9),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=LARGE_BATCH, epochs=num_epochs, verbose=0)
    return float(model.evaluate(x_test, y_test, batch_size=1000, verbose=0)[1])


def check_large_batch(
    learning_rate: Any, num_epochs: Any, model_fn: Callable | None = None, *, verbose: bool = True
) -> CheckResult:
    """Model exercise: with batches of 512, reach the target test accuracy within 5 epochs.

    Trains ``model_fn()`` (the notebook's MLP) with the student's learning rate and
    number of epochs and prints the measured accuracy after "≈".
    """
    name = "the large-batch recipe"
    verbose = validate.flag("verbose", verbose)
    if model_fn is not None:
        model_fn = validate.callable_("model_fn", model_fn)
    if any(v is None or v is Ellipsis for v in (learning_rate, num_epochs)):
        return check_value(..., None, name=name, verbose=verbose)
    result = CheckResult(name=name)

    def wrong(message: str) -> CheckResult:
        result.outcomes.append(Outcome(Status.WRONG, message))
        return _report(result, verbose)

    rate = common.as_number(learning_rate)
    if isinstance(rate, str):
        return wrong(f"learning_rate must be a number: {rate}")
    if not math.isfinite(rate) or not 0 < rate <= 10:
        return wrong(f"learning_rate must be a number between 0 and 10, got {_short(learning_rate)}")
    epochs = common.as_count(num_epochs)
    if isinstance(epochs, str):
        return wrong(f"num_epochs must be a whole number: {epochs}")
    if not 1 <= epochs <= MAX_EPOCHS:
        return wrong(f"num_epochs must be between 1 and {MAX_EPOCHS} (the budget), got {epochs}")
    if model_fn is None:
        return wrong("pass the notebook's model builder: check_large_batch(..., model_fn=mnist_mlp)")
    try:
        accuracy = common.call_with_time_limit(train_large_batch, model_fn, rate, epochs)
    except common.TimeLimitExceeded:
        return wrong(common.too_slow("training"))
    except Exception as error:  # noqa: BLE001 - a check never raises
        result.outcomes.append(Outcome(Status.CRASHED, f"training raised {type(error).__name__}: {error}"))
        return _report(result, verbose)
    measured = (f"test accuracy ≈ {accuracy:.2f} with learning rate {rate:g} and "
                f"{epochs} epochs of batch {LARGE_BATCH} (target ≥ {TARGET_ACCURACY})")
    if accuracy >= TARGET_ACCURACY:
        result.outcomes.append(Outcome(Status.CORRECT, measured))
    else:
        hint = ("a batch 16 times larger makes 16 times fewer updates per epoch: each update "
                "must go further" if rate < 0.08 else
                "too large a rate makes the first updates overshoot; try a smaller one or "
                "more epochs")
        result.outcomes.append(Outcome(Status.WRONG, f"{measured}. Hint: {hint}"))
    return _report(result, verbose)

"""Exercise checks for notebook 03, backpropagation.

1. *Predict*: the derivative of a graph in which ``x`` is used twice
   (:func:`check_two_paths`).
2. *Implement*: the backward pass of the XOR network, tanh hidden layer, sigmoid output,
   mean binary cross-entropy (:func:`check_xor_gradients`).
3. *Predict*: the loss a deep but linear network ends at on XOR
   (:func:`check_linear_xor_loss`).
4. *Model*: settings that let a from-scratch network learn a checkerboard
   (:func:`check_checkerboard`).

Every check prints one verdict and never raises, whatever the answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import data, validate
from ..checks import Case, CheckResult, Status, as_numpy, check_function, describe_mismatch
from ..outcomes import approx
from ..scratch import activations as act
from ..scratch.mlp import MLP
from .common import as_count, as_real, check_real, not_filled, result

Array = np.ndarray

# ------------------------------------------------------------------------ exercise 1

TWO_PATHS = {"x": 2.0, "y": 3.0, "z": 1.0}
"""The values of exercise 1: ``a = x * y``, ``b = a + z``, ``c = b * x``."""


def check_two_paths(answer: Any) -> CheckResult:
    """Exercise 1: ``dc/dx`` for ``c = (x * y + z) * x`` at ``x = 2, y = 3, z = 1`` is 13."""
    x, y, z = TWO_PATHS["x"], TWO_PATHS["y"], TWO_PATHS["z"]
    b = x * y + z
    return check_real(
        answer, b + x * y, "dc/dx", tolerance=1e-6,
        hint="x reaches c along two paths, directly (c = b * x) and through a = x * y; "
        "add the gradients of both paths",
        mistakes=(
            (b, "that is only the direct path, dc/dx with b held fixed (= b); x also "
            "reaches c through a = x * y, and that path adds its own gradient"),
            (x * y, "that is only the path through a (dc/da * da/dx = x * y); x also "
            "multiplies b directly, which adds dc/dx = b"),
            (b * x, "that is c itself, not its derivative"),
            (2 * x * y, "you differentiated x**2 * y but forgot the term z * x"),
        ),
    )


# ------------------------------------------------------------------------ exercise 2

_XOR_NAMES = ("dW1", "db1", "dW2", "db2")


def reference_xor_gradients(
    X: Array, t: Array, W1: Array, b1: Array, W2: Array, b2: Array
) -> tuple[Array, Array, Array, Array]:
    """Gradients of the mean binary cross-entropy of ``sigmoid(tanh(X W1 + b1) W2 + b2)``.

    Args:
        X: ``(n, d)`` inputs; t: ``(n, 1)`` targets in [0, 1]; W1: ``(d, h)``, b1:
            ``(h,)``, W2: ``(h, 1)``, b2: ``(1,)``.

    Returns:
        ``(dW1, db1, dW2, db2)`` with the shapes of ``W1, b1, W2, b2``.
    """
    X = validate.array("X", X, ndim=2, layout="(n, d)")
    n, d = X.shape
    t = validate.array("t", t, shape=(n, 1), layout=f"(n, 1) = ({n}, 1)")
    W1 = validate.array("W1", W1, shape=(d, None), layout=f"(d, h) = ({d}, h)")
    h = W1.shape[1]
    b1 = validate.array("b1", b1, shape=(h,), layout=f"(h,) = ({h},)")
    W2 = validate.array("W2", W2, shape=(h, 1), layout=f"(h, 1) = ({h}, 1)")
    b2 = validate.array("b2", b2, shape=(1,), layout="(1,)")
    net = MLP([d, h, 1], hidden_activation="tanh", output_activation="sigmoid",
              loss="binary_cross_entropy")
    net.set_weights([W1, b1, W2, b2])
    (dW1, db1), (dW2, db2) = net.loss_and_gradients(X, t)[1]
    return dW1, db1, dW2, db2


def _xor_variants(X: Array, t: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> dict[str, tuple]:
    """The gradients that a student's typical slip produces, with the hint it deserves."""
    n = len(X)
    a1 = X @ W1 + b1
    h1 = np.tanh(a1)
    y = act.sigmoid(h1 @ W2 + b2)

    def backward(delta: Array, hidden_slope: Array) -> tuple:
        d_a1 = (delta @ W2.T) * hidden_slope
        return X.T @ d_a1, d_a1.sum(axis=0), h1.T @ delta, delta.sum(axis=0)

    right_slope = 1 - h1**2
    return {
        "sum over the batch instead of the mean: the loss is the mean over the n examples, "
        "so the output error is (y - t) / n": backward(y - t, right_slope),
        "an extra sigmoid'(a2) at the output: with the cross-entropy it cancels, the "
        "output error is simply (y - t) / n": backward((y - t) * y * (1 - y) / n, right_slope),
        "tanh's derivative is 1 - h**2 with h = tanh(a), the hidden layer's output": backward(
            (y - t) / n, 1 - a1**2),
        "the hidden layer's derivative is missing: multiply by tanh'(a1) = 1 - h1**2 on "
        "the way back through it": backward((y - t) / n, np.ones_like(h1)),
        "the sigmoid's derivative was used for the hidden layer, but it uses tanh: "
        "tanh'(a) = 1 - tanh(a)**2": backward((y - t) / n, act.sigmoid(a1) * (1 - act.sigmoid(a1))),
        "the biases' gradients sum the error over the batch (axis 0), they are not its mean":
            tuple(g / n if i % 2 else g for i, g in enumerate(backward((y - t) / n, right_slope))),
        "the sign is reversed: the gradient points uphill, towards more loss": tuple(
            -g for g in backward((y - t) / n, right_slope)),
    }


def _xor_compare(variants: dict[str, tuple]) -> Callable[[tuple, Any], str | None]:
    def compare(expected: tuple, got: Any) -> str | None:
        got = as_numpy(got)
        if not isinstance(got, tuple | list) or len(got) != 4:
            return f"expected the tuple (dW1, db1, dW2, db2), got {_what(got)}"
        for name, want, have in zip(_XOR_NAMES, expected, got, strict=True):
            reason = describe_mismatch(want, have, rtol=1e-6, atol=1e-9)
            if reason:
                for mistake, wrong in variants.items():
                    if all(describe_mismatch(w, g, rtol=1e-6, atol=1e-9) is None
                           for w, g in zip(wrong, got, strict=True)):
                        return f"{name}: {reason}; it looks like {mistake}"
                return f"{name}: {reason}"
        return None

    return compare


def _what(value: Any) -> str:
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of {len(value)}"
    return type(value).__name__


def _xor_cases() -> list[tuple[tuple, str]]:
    rng = np.random.default_rng(3)
    X_xor = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    calls = []
    for X, t, hidden, label in (
        (X_xor, np.array([[0.0], [1.0], [1.0], [0.0]]), 2, "the four XOR corners, 2 hidden units"),
        (rng.normal(size=(5, 2)), rng.integers(0, 2, size=(5, 1)).astype(float), 3,
         "5 random points, 3 hidden units"),
        (rng.normal(size=(3, 2)), np.array([[1.0], [0.0], [1.0]]), 4, "3 random points, 4 hidden units"),
    ):
        weights = (rng.normal(scale=0.8, size=(2, hidden)), rng.normal(scale=0.3, size=hidden),
                   rng.normal(scale=0.8, size=(hidden, 1)), rng.normal(scale=0.3, size=1))
        calls.append(((X, t, *weights), label))
    return calls


def check_xor_gradients(func: Callable[..., tuple] | None) -> CheckResult:
    """Exercise 2: ``xor_gradients(X, t, W1, b1, W2, b2) -> (dW1, db1, dW2, db2)``."""
    calls = _xor_cases()
    variants = _xor_variants(*calls[0][0])
    cases = [Case(args=args, expected=reference_xor_gradients(*args), label=label)
             for args, label in calls]
    return check_function(
        func,
        cases,
        name="xor_gradients",
        compare=_xor_compare(variants),
        hint="forward: h1 = tanh(X @ W1 + b1), y = sigmoid(h1 @ W2 + b2); backward: the "
        "output error is (y - t) / n, dW2 = h1.T @ error, db2 sums it over axis 0; send it "
        "back with error @ W2.T, multiply by 1 - h1**2, then the same two lines for W1, b1",
    )


# ------------------------------------------------------------------------ exercise 3


def check_linear_xor_loss(answer: Any) -> CheckResult:
    """Exercise 3: a network with linear hidden layers ends at loss ln 2 on XOR."""
    return check_real(
        answer, math.log(2.0), "final loss", tolerance=0.01,
        hint="without a non-linearity the network computes sigmoid(w . x + b); ask which "
        "w and b give the smallest mean cross-entropy on the four corners",
        mistakes=(
            (0.0, "a loss of 0 means every corner classified with certainty: can any "
            "sigmoid(w . x + b) do that for XOR?"),
            (1.0, "close: the cross-entropy uses the natural logarithm, not log base 2"),
            (0.5, "0.5 is the output the network ends up giving; the loss of that output "
            "is -ln(0.5) for every corner"),
            (0.25, "that is a squared error; the network is trained on the cross-entropy"),
        ),
    )


# ------------------------------------------------------------------------ exercise 4

CHECKERBOARD_TRAIN = {"n_samples": 1000, "cells": 3, "seed": 0}
CHECKERBOARD_TEST = {"n_samples": 2000, "cells": 3, "seed": 1}
ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu", "elu", "arctan", "linear")


def checkerboard_accuracy(
    layer_sizes: Any, activation: str, learning_rate: float, batch_size: int | None, num_epochs: int
) -> tuple[float, int]:
    """Train ``scratch.MLP(layer_sizes)`` on the checkerboard; ``(held-out accuracy, parameters)``.

    The network has ``activation`` in its hidden layers and a sigmoid output, trained on
    the binary cross-entropy by minibatch gradient descent (seed 0) on the 1,000 training
    points; the accuracy is measured on 2,000 other points.
    """
    sizes = validate.counts("layer_sizes", layer_sizes, min_len=2)
    activation = validate.choice("activation", activation, ACTIVATIONS)
    learning_rate = validate.positive("learning_rate", learning_rate)
    num_epochs = validate.count("num_epochs", num_epochs)
    batch_size = None if batch_size is None else validate.count("batch_size", batch_size)
    X, t = data.checkerboard(**CHECKERBOARD_TRAIN)
    X_test, t_test = data.checkerboard(**CHECKERBOARD_TEST)
    net = MLP(sizes, hidden_activation=activation, output_activation="sigmoid",
              loss="binary_cross_entropy", seed=0)
    with np.errstate(all="ignore"):
        net.fit(X, t, num_epochs=num_epochs, learning_rate=learning_rate, batch_size=batch_size)
        predicted = net.predict(X_test)
    accuracy = float(np.mean((predicted > 0.5) == (t_test > 0.5))) if np.isfinite(predicted).all() else 0.0
    return accuracy, sum(w.size for w in net.get_weights())


def check_checkerboard(
    layer_sizes: Any,
    activation: Any,
    learning_rate: Any,
    batch_size: Any,
    num_epochs: Any,
    *,
    target: float = 0.96,
    max_parameters: int = 400,
    max_epochs: int = 100,
    min_batch_size: int = 8,
) -> CheckResult:
    """Exercise 4: train the student's settings and compare the held-out accuracy with ``target``."""
    target = validate.fraction("target", target, closed=True)
    max_parameters = validate.count("max_parameters", max_parameters)
    max_epochs = validate.count("max_epochs", max_epochs)
    min_batch_size = validate.count("min_batch_size", min_batch_size)
    name = "checkerboard network"
    answers = (layer_sizes, activation, learning_rate, batch_size, num_epochs)
    if any(not_filled(a) for a in answers[:3] + answers[4:]) or batch_size is Ellipsis:
        return result(name, Status.NOT_ATTEMPTED,
                      "some settings are still `...`: fill in all five and run the cell")
    problem = _checkerboard_settings(*answers, max_epochs, min_batch_size)
    if isinstance(problem, str):
        return result(name, Status.WRONG, problem,
                      "layer_sizes is a list such as [2, 8, 1]: 2 inputs, hidden widths, 1 output")
    sizes, activation, learning_rate, batch_size, num_epochs = problem
    parameters = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=False))
    if parameters > max_parameters:
        return result(name, Status.WRONG,
                      f"the network has {parameters:,} parameters, more than {max_parameters}",
                      "narrower layers: two or three hidden layers of about 10 units stay well "
                      "under the limit")
    try:
        accuracy, _ = checkerboard_accuracy(sizes, activation, learning_rate, batch_size, num_epochs)
    except Exception as error:  # noqa: BLE001 - any failure becomes feedback
        return result(name, Status.WRONG, f"training failed ({type(error).__name__}: {error})",
                      "check the settings' types: a list of ints, a name, a number, an int")
    if accuracy >= target:
        return result(name, Status.CORRECT,
                      f"held-out accuracy {approx(accuracy, '.3f')} reaches {target:.2f} with "
                      f"{parameters} parameters in {num_epochs} epochs")
    return result(name, Status.WRONG,
                  f"held-out accuracy {approx(accuracy, '.3f')}, below the target {target:.2f}",
                  _checkerboard_hint(sizes, activation, accuracy))


def _checkerboard_settings(
    layer_sizes: Any, activation: Any, learning_rate: Any, batch_size: Any, num_epochs: Any,
    max_epochs: int, min_batch_size: int,
) -> tuple[list[int], str, float, int | None, int] | str:
    """The five settings in usable form, or what is wrong with them."""
    sizes_value = as_numpy(layer_sizes)
    if isinstance(sizes_value, np.ndarray):
        sizes_value = sizes_value.tolist()
    if not isinstance(sizes_value, list | tuple) or len(sizes_value) < 2:
        return f"layer_sizes should be a list of layer widths, got {_what(sizes_value)}"
    sizes = []
    for width in sizes_value:
        count = as_count(width)
        if isinstance(count, str) or count < 1:
            return f"layer_sizes holds {width!r}: every width is a whole number of at least 1"
        sizes.append(count)
    if sizes[0] != 2 or sizes[-1] != 1:
        return (f"layer_sizes {sizes} should start with 2 (the two coordinates) and end with "
                f"1 (one output unit)")
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        return f"activation should be one of {', '.join(ACTIVATIONS)}; got {activation!r}"
    rate = as_real(learning_rate)
    if isinstance(rate, str) or rate <= 0:
        return f"learning_rate should be a positive number: {rate if isinstance(rate, str) else rate}"
    if batch_size is not None:
        batch = as_count(batch_size)
        if isinstance(batch, str) or batch < min_batch_size:
            return (f"batch_size should be None (all points at once) or a whole number of at "
                    f"least {min_batch_size}, got {batch_size!r}")
        batch_size = batch
    epochs = as_count(num_epochs)
    if isinstance(epochs, str) or not 1 <= epochs <= max_epochs:
        return f"num_epochs should be a whole number from 1 to {max_epochs}, got {num_epochs!r}"
    return sizes, activation, rate, batch_size, epochs


def _checkerboard_hint(sizes: list[int], activation: str, accuracy: float) -> str:
    if accuracy < 0.55:
        return ("the network learned nothing: a learning rate that is far too large (the "
                "loss overflows) or far too small, or a linear activation")
    if activation == "linear":
        return "linear hidden layers collapse into one linear map: no line separates a checkerboard"
    if activation == "sigmoid":
        return "sigmoid units learn slowly (their derivative is at most 1/4); try tanh or ReLU"
    if len(sizes) == 3:
        return ("with one hidden layer each unit draws one line, and nine squares need many; "
                "a second hidden layer combines the lines into squares")
    return "more epochs, a smaller batch (more steps) or a larger learning rate; or widen the layers"

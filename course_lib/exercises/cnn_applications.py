"""Exercise checks for notebook 08, CNN applications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import checks, validate
from ..checks import Case, CheckResult, Status, _crash, _short, check_function
from ..outcomes import approx
from . import common
from .common import as_count, not_filled, result


def check_fgsm(func: Callable[[np.ndarray, np.ndarray, float], np.ndarray] | None) -> CheckResult:
    """``fgsm_step(x, gradient, epsilon)``: ``clip(x + epsilon * sign(gradient), 0, 1)``."""
    rng = np.random.default_rng(8)
    cases = []
    for shape, epsilon in [((4,), 0.1), ((2, 5, 5, 1), 0.05), ((3, 3), 0.5)]:
        x = rng.uniform(0, 1, size=shape)
        gradient = rng.normal(size=shape)
        gradient.flat[0] = 0.0  # sign(0) = 0: that pixel must not move
        cases.append(Case(args=(x, gradient, epsilon),
                          expected=np.clip(x + epsilon * np.sign(gradient), 0, 1)))
    return check_function(
        func, cases, name="fgsm_step",
        hint="use np.sign(gradient) (not the gradient itself), scale by epsilon, "
        "and keep pixels in [0, 1] with np.clip",
    )


def check_contrastive_loss(func: Callable[..., np.ndarray] | None) -> CheckResult:
    """``contrastive_loss(distance, same, margin)``: per-pair loss of a siamese network."""
    rng = np.random.default_rng(9)

    def reference(distance, same, margin):
        return same * distance**2 + (1 - same) * np.maximum(margin - distance, 0.0) ** 2

    cases = []
    for n, margin in [(4, 1.0), (10, 2.0)]:
        distance = rng.uniform(0, 2.5, size=n)
        same = rng.integers(0, 2, size=n).astype(float)
        cases.append(Case(args=(distance, same, margin), expected=reference(distance, same, margin)))
    cases.append(Case(args=(np.array([0.5, 0.5]), np.array([1.0, 0.0]), 1.0),
                      expected=np.array([0.25, 0.25])))
    return check_function(
        func, cases, name="contrastive_loss",
        hint="same pairs pay distance**2; different pairs pay max(margin - distance, 0)**2",
    )


def check_dense_to_conv(func: Callable[[np.ndarray, tuple], np.ndarray] | None) -> CheckResult:
    """``dense_to_conv(kernel, map_shape)``: a Dense kernel read from flattened
    ``(h, w, c)`` maps, as the ``(h, w, c, units)`` kernel of the same convolution."""
    rng = np.random.default_rng(7)
    cases = []
    for map_shape, units in [((5, 5, 32), 64), ((3, 4, 2), 7), ((2, 3, 5), 1), ((1, 1, 6), 3)]:
        kernel = rng.normal(size=(int(np.prod(map_shape)), units))
        cases.append(Case(args=(kernel, map_shape), expected=kernel.reshape(map_shape + (units,)),
                          label=f"dense_to_conv(kernel of shape {kernel.shape}, {map_shape})"))
    return check_function(
        func, cases, name="dense_to_conv", check_dtype=False,
        hint="Flatten reads the maps row by row, then column by column, channels fastest: "
        "the kernel's rows are already in (height, width, channels) order, so one reshape "
        "to map_shape + (units,) does it, no transpose",
    )


def check_score_map_shape(answer: Any, sliding) -> CheckResult:
    """The output shape of the fully convolutional network on a (1, 56, 84, 1) image.

    Args:
        answer: the student's answer, a tuple of four whole numbers.
        sliding: the notebook's fully convolutional network (any callable that maps a
            ``(1, 56, 84, 1)`` batch to a 4-D score map).
    """
    name = "score_map_shape"
    validate.callable_("sliding", sliding)
    try:
        scores = sliding(np.zeros((1, 56, 84, 1), "float32"))
        expected = tuple(int(n) for n in scores.shape)
    except Exception as error:  # noqa: BLE001 - said in words below
        raise ValueError(f"sliding must map a (1, 56, 84, 1) batch to a score map, but it raised "
                         f"{type(error).__name__}: {error}") from None
    if len(expected) != 4:
        raise ValueError(f"sliding must return a 4-D score map (batch, rows, columns, classes), got shape {expected}")
    if not_filled(answer):
        return result(name, Status.NOT_ATTEMPTED,
                      "score_map_shape is not filled in yet: replace `...` with a tuple")
    answer = checks.as_numpy(answer)
    try:
        sizes = [as_count(n) for n in answer] if not isinstance(answer, str | bytes | dict) else []
    except Exception:  # noqa: BLE001 - not a sequence at all
        sizes = []
    counts = [n for n in sizes if isinstance(n, int)]
    if len(counts) != len(sizes) or len(counts) != 4:
        return result(name, Status.WRONG,
                      f"expected a tuple of 4 whole numbers, got {_short(answer)}",
                      "(batch, rows, columns, classes); every entry a whole number")
    if tuple(counts) == expected:
        return result(name, Status.CORRECT, f"score_map_shape is right: {expected}")
    hints: dict[tuple[int, ...], str] = {
        (1, 29, 57, 5): "the window does not move one pixel at a time: each 2x2 pooling "
                        "doubles the step, so neighbouring windows start 4 pixels apart",
        (1, 2, 3, 5): "the windows overlap: they start every 4 pixels, not every 28",
        (1, 14, 21, 5): "the window is 28 pixels wide: count where its left edge can be, "
                        "from 0 to 56 - 28 rows down and 84 - 28 columns across",
    }
    hint = hints.get(tuple(counts), "positions along an axis: (size - 28) // stride + 1, with the "
                     "network's stride 4; batch 1 first and the 5 class scores last")
    return result(name, Status.WRONG, f"score_map_shape: {tuple(counts)} is not the output shape", hint)


def check_target_classifier(
    train_target_classifier: Callable[[np.ndarray, np.ndarray], Any] | None,
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    *,
    target: float = 0.91,
) -> CheckResult:
    """Call ``train_target_classifier(x, y) -> model`` and check its test accuracy.

    Args:
        train_target_classifier: the student's function.
        train, test: the notebook's ``(images, labels)`` of the 5-class target task.
        target: the test accuracy to reach.
    """
    name = "train_target_classifier"
    train = common.pair_of_arrays("train", train, what="(images, labels)")
    test = common.pair_of_arrays("test", test, what="(images, labels)")
    target = validate.fraction("target", target, closed=True)
    if not_filled(train_target_classifier):
        return result(name, Status.NOT_ATTEMPTED, "train_target_classifier is not written yet")
    if not callable(train_target_classifier):
        return result(name, Status.WRONG,
                      f"train_target_classifier should be a function, got "
                      f"{type(train_target_classifier).__name__}",
                      "define it with `def train_target_classifier(x, y):`")
    from ..backend import keras

    keras.utils.set_random_seed(0)
    try:
        model = common.call_with_time_limit(train_target_classifier, *train)
    except NotImplementedError:
        return result(name, Status.NOT_ATTEMPTED,
                      "train_target_classifier is still the stub: write its body and run the cell")
    except common.TimeLimitExceeded:
        return result(name, Status.WRONG, common.too_slow("train_target_classifier"))
    except Exception as error:  # noqa: BLE001 - any student error becomes feedback
        return result(name, Status.CRASHED, _crash(error, "train_target_classifier(x, y)").message,
                      "build on models.feature_extractor(transfer.load_source_model()), add a "
                      "5-way softmax head, compile, fit, and `return model`")
    if not isinstance(model, keras.Model):
        return result(name, Status.WRONG, f"it returned {_short(model)}, not a Keras model",
                      "end the function with `return model`")
    try:
        probabilities = np.asarray(common.call_with_time_limit(lambda: model.predict(test[0], verbose=0)))
        accuracy = float(np.mean(probabilities.argmax(axis=-1) == test[1]))
    except common.TimeLimitExceeded:
        return result(name, Status.WRONG, common.too_slow("predicting the test digits with your model"))
    except Exception as error:  # noqa: BLE001
        return result(name, Status.CRASHED,
                      _crash(error, "predicting the test digits with your model").message,
                      "the model takes (28, 28, 1) images and outputs 5 class scores")
    if probabilities.ndim != 2 or probabilities.shape[1] != 5:
        return result(name, Status.WRONG,
                      f"the model outputs shape {probabilities.shape[1:]}, not 5 class scores",
                      "the target task has 5 classes (digits 5-9 relabelled 0-4)")
    if accuracy < target:
        return result(name, Status.WRONG,
                      f"test accuracy {approx(accuracy, '.3f')}, below the target {target:.2f}",
                      "keep the pretrained features frozen, put a small hidden layer and dropout "
                      "in the new head, shift the images at random, and make more passes")
    return result(name, Status.CORRECT,
                  f"test accuracy {approx(accuracy, '.3f')} reaches {target:.2f} "
                  f"from {len(train[0])} labelled images")

"""Notebook 07's exercise checks: right answers pass; a real student's wrong ones fail
with a hint; malformed answers never crash the check."""

import numpy as np
import pytest

from course_lib import data, runtime
from course_lib.checks import Status
from course_lib.exercises import convnets

runtime.import_tensorflow()
import keras  # noqa: E402

MALFORMED = [None, ..., "61706", [61706], float("nan"), 10**400, object(), lambda: 61706]


@pytest.mark.parametrize("answer", [61_706, np.int64(61_706), np.array(61_706)])
def test_lenet5_count_accepts_whole_numbers(answer, capsys):
    assert convnets.check_lenet5_count(answer).passed


@pytest.mark.parametrize(
    "answer",
    [
        61_706 - 6 - 16,                         # conv biases forgotten
        61_706 - 6 - 16 - 120 - 84 - 10,          # all biases forgotten
        (5 * 5 + 1) * 6 + (5 * 5 + 1) * 16 + 48_120 + 10_164 + 850,  # C3 kernels one map deep
        61_707,                                   # off by one
        61_706.4,                                 # not a whole number
        61_706.0,                                 # a float: the check asks for integer arithmetic
        True,
    ],
)
def test_lenet5_count_rejects_plausible_mistakes(answer, capsys):
    result = convnets.check_lenet5_count(answer)
    assert result.status is Status.WRONG and "Hint" in str(result)


@pytest.mark.parametrize("answer", MALFORMED)
def test_counts_never_crash_on_malformed_answers(answer, capsys):
    result = convnets.check_lenet5_count(answer)
    assert result.status in (Status.WRONG, Status.NOT_ATTEMPTED)
    result = convnets.check_larger_input(answer, answer)
    assert result.status in (Status.WRONG, Status.NOT_ATTEMPTED)


def test_larger_input(capsys):
    assert convnets.check_larger_input(14, (14 * 14 * 16 + 1) * 120).passed
    wrong_kernel = convnets.check_larger_input(16, 0)
    assert wrong_kernel.status is Status.WRONG and "kernel" in str(wrong_kernel)
    assert convnets.check_larger_input(14, 14 * 14 * 16 * 120).status is Status.WRONG  # no bias
    assert convnets.check_larger_input(14, (14 * 14 * 6 + 1) * 120).status is Status.WRONG
    assert convnets.check_larger_input(..., ...).status is Status.NOT_ATTEMPTED


def test_lenet5_parameters_follow_the_input_size():
    assert sum(convnets.lenet5_parameters(28).values()) == 61_706
    assert convnets.lenet5_parameters(64)["C5"] == (14 * 14 * 16 + 1) * 120


# ------------------------------------------------------------------ residual block


def right_block(x, filters):
    h = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    h = keras.layers.Conv2D(filters, 3, padding="same")(h)
    return keras.layers.ReLU()(keras.layers.Add()([h, x]))


def right_block_other_style(x, filters):
    h = keras.layers.Conv2D(filters, (3, 3), padding="same")(x)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Conv2D(filters, (3, 3), padding="same")(h)
    return keras.layers.Activation("relu")(x + h)


def no_shortcut(x, filters):
    h = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(h)


def relu_before_adding(x, filters):
    h = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    h = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(h)
    return keras.layers.Add()([h, x])


def no_inner_relu(x, filters):
    h = keras.layers.Conv2D(filters, 3, padding="same")(x)
    h = keras.layers.Conv2D(filters, 3, padding="same")(h)
    return keras.layers.ReLU()(keras.layers.Add()([h, x]))


def valid_padding(x, filters):
    h = keras.layers.Conv2D(filters, 3, activation="relu")(x)
    h = keras.layers.Conv2D(filters, 3)(h)
    return keras.layers.ReLU()(h)


def one_convolution(x, filters):
    h = keras.layers.Conv2D(filters, 3, padding="same")(x)
    return keras.layers.ReLU()(keras.layers.Add()([h, x]))


def with_batch_norm(x, filters):
    h = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    h = keras.layers.BatchNormalization()(keras.layers.Conv2D(filters, 3, padding="same")(h))
    return keras.layers.ReLU()(keras.layers.Add()([h, x]))


def returns_a_model(x, filters):
    return keras.Model(x, right_block(x, filters))(x)


@pytest.mark.parametrize("block", [right_block, right_block_other_style, returns_a_model])
def test_residual_block_accepts_right_answers(block, capsys):
    assert convnets.check_residual_block(block).passed


@pytest.mark.parametrize(
    "block", [no_shortcut, relu_before_adding, no_inner_relu, valid_padding, one_convolution,
              with_batch_norm],
)
def test_residual_block_rejects_mistakes_with_a_hint(block, capsys):
    result = convnets.check_residual_block(block)
    assert result.status in (Status.WRONG, Status.CRASHED) and "Hint" in str(result)


def stub(x, filters):
    raise NotImplementedError


@pytest.mark.parametrize("answer", [None, ..., 3, "block", stub, lambda x, f: None,
                                    lambda x, f: 1 / 0, lambda x: x])
def test_residual_block_survives_malformed_answers(answer, capsys):
    result = convnets.check_residual_block(answer)
    assert result.status in (Status.WRONG, Status.CRASHED, Status.NOT_ATTEMPTED)


# --------------------------------------------------------- training checks (small data)


@pytest.fixture(scope="module")
def digits():
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    return (x_train[:2000], y_train[:2000]), (x_test, y_test)


def logits_model():
    return keras.Sequential([
        keras.Input((28, 28, 1)), keras.layers.Conv2D(16, 3, activation="relu"),
        keras.layers.MaxPooling2D(2), keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(2), keras.layers.Flatten(), keras.layers.Dense(10),
    ])


@pytest.mark.parametrize(
    "loss, passes",
    [
        (keras.losses.SparseCategoricalCrossentropy(from_logits=True), True),
        (lambda y, z: keras.losses.sparse_categorical_crossentropy(y, z, from_logits=True), True),
        ("sparse_categorical_crossentropy", False),  # the bug itself
        (keras.losses.SparseCategoricalCrossentropy(), False),
        ("categorical_crossentropy", False),  # one-hot loss on integer labels
        ("mse", False),
        (None, False),
        ("not a loss", False),
    ],
)
def test_fixed_loss_is_judged_by_training(loss, passes, digits, capsys):
    result = convnets.check_fixed_loss(loss, logits_model, *digits)
    assert result.passed is passes
    if not passes and loss is not None:
        assert "Hint" in str(result)


def test_small_cnn_checks_its_constraints(digits, capsys):
    (x, y), test = digits

    def too_big(x, y):
        model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                  keras.layers.Dense(64), keras.layers.Dense(10, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        return model, model.fit(x[:64], y[:64], epochs=1, verbose=0)

    def too_long(x, y):
        model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                  keras.layers.Dense(10, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        return model, model.fit(x[:64], y[:64], epochs=11, verbose=0)

    def not_good_enough(x, y):
        model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                  keras.layers.Dense(10, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        return model, model.fit(x, y, epochs=2, verbose=0)

    def only_the_model(x, y):
        return not_good_enough(x, y)[0]

    assert "parameters" in str(convnets.check_small_cnn(too_big, (x, y), test))
    assert "epochs" in str(convnets.check_small_cnn(too_long, (x, y), test))
    result = convnets.check_small_cnn(not_good_enough, (x, y), test)
    assert result.status is Status.WRONG and "below the target" in str(result)
    assert convnets.check_small_cnn(only_the_model, (x, y), test).status is Status.WRONG
    assert convnets.check_small_cnn(stub, (x, y), test).status is Status.NOT_ATTEMPTED
    assert convnets.check_small_cnn(None, (x, y), test).status is Status.NOT_ATTEMPTED
    assert convnets.check_small_cnn(lambda x, y: 1 / 0, (x, y), test).status is Status.CRASHED
    # a model that does reach the target is accepted (low bar so the test stays fast)
    result = convnets.check_small_cnn(not_good_enough, (x, y), test, target=0.5)
    assert result.passed and "≈" in str(result)

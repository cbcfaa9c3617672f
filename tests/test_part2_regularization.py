"""Notebook 05's helpers, widget and exercise checks."""


import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import regularization
from course_lib.checks import Status
from course_lib.exercises import regularization as exercises
from course_lib.widgets import regularization as capacity_widget

# ------------------------------------------------------------------ helpers


def test_polynomial_fit_without_penalty_is_least_squares():
    (x, y), _ = regularization.toy_regression(seed=3)
    weights = regularization.fit_polynomial(x, y, 4)
    np.testing.assert_allclose(weights, np.polynomial.legendre.legfit(x, y, 4), atol=1e-8)
    np.testing.assert_allclose(
        regularization.predict_polynomial(weights, x), np.polynomial.legendre.legval(x, weights)
    )


def test_l2_penalty_spares_the_bias():
    (x, y), _ = regularization.toy_regression(seed=1)
    weights = regularization.fit_polynomial(x, y, 6, l2=1e6)
    assert np.abs(weights[1:]).max() < 1e-4
    assert weights[0] == pytest.approx(y.mean(), abs=1e-4)
    with pytest.raises(ValueError, match="l2"):
        regularization.fit_polynomial(x, y, 2, l2=-1.0)
    with pytest.raises(ValueError, match="degree"):
        regularization.polynomial_features(x, -1)


def test_capacity_errors_show_overfitting_and_the_penalty_helps():
    errors = regularization.capacity_errors(range(16))
    assert errors["train"][15] < errors["train"][3] and errors["test"][15] > errors["test"][3]
    penalised = regularization.capacity_errors([15], l2=1e-3)
    assert penalised["test"][0] < errors["test"][15]


def test_labels_fractions_and_gap():
    y = np.arange(100) % 10
    shuffled = regularization.shuffled_labels(y, seed=0)
    assert sorted(shuffled) == sorted(y) and not np.array_equal(shuffled, y)
    assert regularization.near_zero_fraction([np.array([0.0, 1.0]), np.array([[1e-4, -2.0]])]) == 0.5
    with pytest.raises(ValueError, match="empty"):
        regularization.near_zero_fraction([])
    assert regularization.generalization_gap({"accuracy": [0.5, 1.0], "val_accuracy": [0.4, 0.75]}) == 0.25
    with pytest.raises(ValueError, match="val_accuracy"):
        regularization.generalization_gap({"accuracy": [1.0]})


def test_augmentation_changes_images_in_training_only():
    pytest.importorskip("keras")
    images = np.random.default_rng(0).uniform(size=(4, 28, 28, 1)).astype("float32")
    layers = regularization.augmentation_layers()
    augmented = regularization.augment(images, layers)
    assert augmented.shape == images.shape and not np.allclose(augmented, images)
    unchanged = images
    for layer in layers:
        unchanged = layer(unchanged, training=False)
    np.testing.assert_allclose(np.asarray(unchanged), images)


# ------------------------------------------------------------------- widget


def test_render_capacity_reports_errors():
    fig, text = capacity_widget.render_capacity(15, 1e-3)
    fig.canvas.draw()
    plt.close("all")
    assert text.startswith("degree 15, L2 0.001: training MSE")


def test_capacity_explorer_reacts(set_value):
    explorer = capacity_widget.capacity_explorer()
    degree, l2 = explorer.children[0].children
    assert "degree 12, L2 0:" in set_value(degree, 12)
    assert "L2 0.01" in set_value(l2, 0.01)
    plt.close("all")


# ---------------------------------------------------------------- exercises


def stub(*args):
    raise NotImplementedError


def crashing(*args):
    return [][1]


def test_l2_reference_matches_keras_and_its_gradient():
    keras = pytest.importorskip("keras")
    import tensorflow as tf

    kernel = np.random.default_rng(0).normal(size=(4, 3))
    variable = tf.Variable(kernel)
    with tf.GradientTape() as tape:
        penalty = keras.regularizers.L2(0.05)(variable)
    assert float(penalty) == pytest.approx(0.05 * np.sum(kernel**2))
    np.testing.assert_allclose(tape.gradient(penalty, variable).numpy(), 0.1 * kernel, rtol=1e-6)


@pytest.mark.parametrize(
    "answer, status",
    [
        (lambda k, s: (s * np.sum(k**2), 2 * s * k), Status.CORRECT),
        (lambda k, s: (s * np.sum(k**2), s * k), Status.WRONG),  # forgot the 2
        (lambda k, s: (0.5 * s * np.sum(k**2), s * k), Status.WRONG),  # another convention
        (lambda k, s: 2 * s * k, Status.WRONG),  # not a pair
        (stub, Status.NOT_ATTEMPTED),
        (crashing, Status.CRASHED),
    ],
)
def test_check_l2_penalty(answer, status, capsys):
    assert exercises.check_l2_penalty(answer).status is status


def by_hand(y_true, y_pred, num_classes):
    matrix = np.zeros((num_classes, num_classes), dtype=int)
    for actual, predicted in zip(y_true, y_pred, strict=True):
        matrix[actual, predicted] += 1
    return matrix


@pytest.mark.parametrize(
    "answer, status",
    [
        (by_hand, Status.CORRECT),
        (lambda t, p, k: by_hand(t, p, k).T, Status.WRONG),  # rows and columns swapped
        (lambda t, p, k: by_hand(t, p, max(max(t), max(p)) + 1), Status.WRONG),  # drops classes
        (stub, Status.NOT_ATTEMPTED),
        (crashing, Status.CRASHED),
    ],
)
def test_check_confusion_matrix(answer, status, capsys):
    assert exercises.check_confusion_matrix(answer).status is status


def keras_early_stopping(val_losses, patience):
    """Drive keras.callbacks.EarlyStopping by hand on a list of validation losses."""
    keras = pytest.importorskip("keras")

    class Holder:
        stop_training = False

    callback = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience)
    callback.set_model(Holder())
    callback.on_train_begin()
    for epoch, loss in enumerate(val_losses):
        callback.on_epoch_end(epoch, logs={"val_loss": loss})
        if callback.model.stop_training:
            return callback.best_epoch + 1, epoch + 1
    return callback.best_epoch + 1, len(val_losses)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("patience", [1, 2, 4])
def test_early_stopping_reference_matches_keras(seed, patience):
    rng = np.random.default_rng(seed)
    losses = list(np.exp(-np.linspace(0, 2, 15)) + 0.3 * rng.uniform(size=15))
    assert exercises.reference_early_stopping(losses, patience) == keras_early_stopping(
        losses, patience
    )


def no_patience(val_losses, patience):
    best = int(np.argmin(val_losses)) + 1
    return best, len(val_losses)


@pytest.mark.parametrize(
    "answer, status",
    [
        (exercises.reference_early_stopping, Status.CORRECT),
        (no_patience, Status.WRONG),
        (lambda v, p: (int(np.argmin(v)), len(v) - 1), Status.WRONG),  # counts from 0
        (stub, Status.NOT_ATTEMPTED),
        (crashing, Status.CRASHED),
        (lambda v, p: "stop", Status.WRONG),
    ],
)
def test_check_early_stopping(answer, status, capsys):
    assert exercises.check_early_stopping(answer).status is status

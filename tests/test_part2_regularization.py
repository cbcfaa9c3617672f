"""Notebook 05's helpers, widget and exercise checks."""


import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import data, regularization
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
        (lambda t, p, k: by_hand(t, p, k).astype(float), Status.WRONG),  # counts as floats
        (lambda t, p, k: by_hand(t, p, k) / len(t), Status.WRONG),  # shares, not counts
        (lambda t, p, k: by_hand(t, p, k).tolist(), Status.CORRECT),
        (lambda t, p, k: by_hand(t, p, k).astype(np.int32), Status.CORRECT),
        (lambda t, p, k: by_hand(t, p, k)[:-1], Status.WRONG),  # one class short
        (lambda t, p, k: np.diag(np.diag(by_hand(t, p, k))), Status.WRONG),  # only the diagonal
        (stub, Status.NOT_ATTEMPTED),
        (crashing, Status.CRASHED),
    ],
)
def test_check_confusion_matrix(answer, status, capsys):
    assert exercises.check_confusion_matrix(answer).status is status


def test_confusion_matrix_hints_name_the_mistake(capsys):
    assert "integer" in str(exercises.check_confusion_matrix(lambda t, p, k: by_hand(t, p, k) * 1.0))
    assert "swapped" in str(exercises.check_confusion_matrix(lambda t, p, k: by_hand(t, p, k).T))


@pytest.mark.parametrize("answer", [None, ..., "matrix", 3, lambda t, p, k: "matrix",
                                    lambda t, p, k: None, lambda t, p, k: np.full((k, k), np.nan),
                                    lambda t, p, k: np.full((k, k), 10**30), lambda t, p, k: [[10**400]],
                                    lambda t, p, k: (i for i in range(k))])
def test_check_confusion_matrix_survives_malformed_answers(answer, capsys):
    result = exercises.check_confusion_matrix(answer)
    assert result.status in (Status.WRONG, Status.CRASHED, Status.NOT_ATTEMPTED)


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


def lower_or_equal(val_losses, patience):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss <= best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def stop_after_patience(val_losses, patience):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited > patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


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
        (lower_or_equal, Status.WRONG),  # a tie counted as a new best
        (stop_after_patience, Status.WRONG),  # waits one epoch too many
        (lambda v, p: tuple(float(e) for e in exercises.reference_early_stopping(v, p)), Status.WRONG),
        (lambda v, p: tuple(e + 0.4 for e in exercises.reference_early_stopping(v, p)), Status.WRONG),
        (lambda v, p: np.array(exercises.reference_early_stopping(v, p)), Status.CORRECT),
        (lambda v, p: list(exercises.reference_early_stopping(v, p)), Status.CORRECT),
        (lambda v, p: tuple(np.int64(e) for e in exercises.reference_early_stopping(v, p)), Status.CORRECT),
        (lambda v, p: exercises.reference_early_stopping(v, p)[::-1], Status.WRONG),  # swapped
    ],
)
def test_check_early_stopping(answer, status, capsys):
    assert exercises.check_early_stopping(answer).status is status


def test_early_stopping_hints(capsys):
    assert "equal" in str(exercises.check_early_stopping(lower_or_equal))
    assert "whole" in str(exercises.check_early_stopping(
        lambda v, p: tuple(float(e) for e in exercises.reference_early_stopping(v, p))))


@pytest.mark.parametrize("answer", [None, ..., "early", lambda v, p: None, lambda v, p: (1,),
                                    lambda v, p: (np.nan, 3), lambda v, p: (10**400, 3),
                                    lambda v, p: ("2", "4"), lambda v, p: (e for e in (2, 4)),
                                    lambda v, p: np.array([[2, 4]])])
def test_check_early_stopping_survives_malformed_answers(answer, capsys):
    result = exercises.check_early_stopping(answer)
    assert result.status in (Status.WRONG, Status.CRASHED, Status.NOT_ATTEMPTED)


# ------------------------------------------------- exercise 2: a split of sorted data


@pytest.fixture(scope="module")
def sorted_digits():
    (x, y), _ = data.load_mnist()
    order = np.argsort(y[:200], kind="stable")
    return x[:200][order], y[:200][order]


def test_sorted_split_accepts_a_joint_permutation(sorted_digits, capsys):
    x, y = sorted_digits
    order = np.random.default_rng(3).permutation(len(y))
    assert exercises.check_sorted_split(x[order], y[order], (x, y)).passed
    assert exercises.check_sorted_split(x[order].tolist(), list(y[order]), (x, y)).passed
    order = np.random.default_rng(5).permutation(len(y))
    assert exercises.check_sorted_split(np.asarray(x[order], np.float64), y[order].astype(np.int32), (x, y)).passed


def test_sorted_split_rejects_plausible_mistakes(sorted_digits, capsys):
    x, y = sorted_digits
    rng = np.random.default_rng(4)
    order = rng.permutation(len(y))
    mistakes = [
        (x, y),                                  # unchanged
        (x[::-1], y[::-1]),                      # reversed: the zeros are held back instead
        (x[order], y),                           # only the images shuffled
        (x, y[order]),                           # only the labels shuffled
        (x[order], y[rng.permutation(len(y))]),  # two different permutations
        (x[order][:160], y[order][:160]),        # the validation part dropped
        (np.concatenate([x[order][:100], x[order][:100]]), np.concatenate([y[order][:100], y[order][:100]])),
        (x[order], y[order].astype(float)),      # labels as floats
    ]
    for x_fixed, y_fixed in mistakes:
        result = exercises.check_sorted_split(x_fixed, y_fixed, (x, y))
        assert result.status is Status.WRONG and "Hint" in str(result)


@pytest.mark.parametrize("answer", [None, ..., "x", 3, np.nan, [1, 2], object(), (i for i in range(3))])
def test_sorted_split_survives_malformed_answers(answer, sorted_digits, capsys):
    x, y = sorted_digits
    result = exercises.check_sorted_split(answer, answer, (x, y))
    assert result.status in (Status.WRONG, Status.NOT_ATTEMPTED)
    result = exercises.check_sorted_split(x, answer, (x, y))
    assert result.status in (Status.WRONG, Status.NOT_ATTEMPTED)


# ------------------------------------------------- exercise 3: a regularised network


@pytest.fixture(scope="module")
def digits():
    (x, y), _ = data.load_mnist()
    return (x[:500], y[:500]), (x[500:1000], y[500:1000])


def _dense(x, y, epochs=3, conv=False):
    import keras

    layers = [keras.Input((28, 28, 1))]
    layers += [keras.layers.Conv2D(4, 3)] if conv else []
    layers += [keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")]
    model = keras.Sequential(layers)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model, model.fit(x, y, epochs=epochs, verbose=0)


def test_regularised_network_checks_its_constraints(digits, capsys):
    train, validation = digits
    check = exercises.check_regularised_network
    assert "Conv2D" in str(check(lambda x, y: _dense(x, y, 1, conv=True), train, validation))
    assert "epochs" in str(check(lambda x, y: _dense(x, y, 31), train, validation))
    result = check(lambda x, y: _dense(x, y, 3), train, validation)
    assert result.status is Status.WRONG and "below the target" in str(result) and "Hint" in str(result)
    assert check(lambda x, y: _dense(x, y)[0], train, validation).status is Status.WRONG
    assert check(lambda x, y: (_dense(x, y)[0], None), train, validation).status is Status.WRONG
    assert check(stub, train, validation).status is Status.NOT_ATTEMPTED
    assert check(None, train, validation).status is Status.NOT_ATTEMPTED
    assert check(..., train, validation).status is Status.NOT_ATTEMPTED
    assert check("model", train, validation).status is Status.WRONG
    assert check(crashing, train, validation).status is Status.CRASHED
    # a model that reaches the target is accepted, its accuracy printed after ≈ (low bar: fast)
    result = check(lambda x, y: _dense(x, y, 3), train, validation, target=0.5)
    assert result.passed and "≈" in str(result)

"""Notebook 04's exercise checks: right answers pass; a real student's wrong ones fail
with a hint; malformed answers never crash the check. Also: the lectures' Nesterov is
Keras's, and the tilted valley's border is where the theory puts it."""

import numpy as np
import pytest

from course_lib import data, runtime, scratch, surfaces
from course_lib.checks import Status
from course_lib.exercises import training_deep_networks as ex04

runtime.import_tensorflow()
import keras  # noqa: E402

MALFORMED = [None, ..., "0.08", [0.08], float("nan"), float("inf"), 10**400, object(), lambda: 0.08,
             (x for x in [0.08]), np.array([0.08, 0.08])]


def _wrong(result):
    return result.status in (Status.WRONG, Status.CRASHED) and "Hint" in str(result)


# ------------------------------------------------------------------ exercise 1: Adagrad


def right(w, accumulator, grad, learning_rate):
    new_accumulator = accumulator + grad**2
    return w - learning_rate * grad / np.sqrt(new_accumulator + 1e-7), new_accumulator


def right_as_lists(w, accumulator, grad, learning_rate):
    return [x.tolist() for x in right(w, accumulator, grad, learning_rate)]


def right_with_copies(w, accumulator, grad, learning_rate):
    w, accumulator = w.copy(), accumulator.copy()
    accumulator += grad * grad
    w -= learning_rate * grad / np.sqrt(accumulator + 1e-7)
    return w, accumulator


def in_place(w, accumulator, grad, learning_rate):
    accumulator += grad**2
    w -= learning_rate * grad / np.sqrt(accumulator + 1e-7)
    return w, accumulator


@pytest.mark.parametrize("answer", [right, right_as_lists, right_with_copies])
def test_adagrad_step_accepts_right_answers(answer, capsys):
    assert ex04.check_adagrad_step(answer).passed


@pytest.mark.parametrize("answer, words", [
    (lambda w, s, g, lr: (w - lr * g / np.sqrt(s + 1e-7), s + g**2), "old sum"),
    (lambda w, s, g, lr: (w - lr * g / np.sqrt(0.9 * s + 0.1 * g**2 + 1e-7), 0.9 * s + 0.1 * g**2), "RMSprop"),
    (lambda w, s, g, lr: (w - lr * g / (s + g**2 + 1e-7), s + g**2), "square root"),
    (lambda w, s, g, lr: (w + lr * g / np.sqrt(s + g**2 + 1e-7), s + g**2), "sign"),
    (lambda w, s, g, lr: (w - lr * g / (np.sqrt(s + g**2) + 1e-7), s + g**2), "inside the square root"),
    (in_place, "in place"),
])
def test_adagrad_step_names_each_mistake(answer, words, capsys):
    result = ex04.check_adagrad_step(answer)
    assert _wrong(result) and words in str(result), str(result)


def test_adagrad_step_rejects_other_wrong_answers(capsys):
    for student in (lambda w, s, g, lr: right(w, s, g, lr)[0],          # one value only
                    lambda w, s, g, lr: right(w, s, g, lr)[::-1],       # swapped
                    lambda w, s, g, lr: (w - lr * g, s + g**2),         # plain SGD
                    lambda w, s, g, lr: right(w, s, g, lr) + (0,)):     # three values
        assert _wrong(ex04.check_adagrad_step(student))


def test_adagrad_step_stub_crash_and_malformed(capsys):
    def stub(*args):
        raise NotImplementedError

    assert ex04.check_adagrad_step(stub).status is Status.NOT_ATTEMPTED
    assert ex04.check_adagrad_step(lambda *a: 1 / 0).status is Status.CRASHED
    for answer in (None, ..., "f", 3, np.ones(2)):
        assert ex04.check_adagrad_step(answer).status in (Status.WRONG, Status.NOT_ATTEMPTED)


def test_adagrad_reference_is_keras():
    w, accumulator, grad = np.array([1.0, -2.0]), np.array([0.1, 0.5]), np.array([0.3, -4.0])
    new_w, new_accumulator = ex04.reference_adagrad_step(w, accumulator, grad, 0.1)
    assert np.array_equal(w, [1.0, -2.0]) and np.array_equal(accumulator, [0.1, 0.5])
    np.testing.assert_allclose(new_accumulator, accumulator + grad**2)
    variable = keras.Variable(w)
    optimizer = keras.optimizers.Adagrad(0.1, initial_accumulator_value=0.1)
    optimizer.build([variable])
    optimizer.apply_gradients([(keras.ops.convert_to_tensor(grad), variable)])
    # Keras starts every accumulator at the same value; compare on the first coordinate
    np.testing.assert_allclose(np.asarray(variable)[0], new_w[0], rtol=1e-8)  # float32 hyper-parameters


# ------------------------------------------------------------------ exercise 2: tilted valley


@pytest.mark.parametrize("answer", [0.08, 2 / 25, np.float32(0.08), np.array(0.08), 0.0805])
def test_tilted_rate_accepts_2_over_25(answer, capsys):
    assert ex04.check_tilted_learning_rate(answer).passed


@pytest.mark.parametrize("answer, words", [
    (2 / 13, "diagonal"), (1 / 25, "twice"), (2.0, "smallest curvature"), (0.1, "other valley"),
    (0.05, "converges"), (0.2, "diverges"), (True, "boolean"),
])
def test_tilted_rate_rejects_plausible_mistakes(answer, words, capsys):
    result = ex04.check_tilted_learning_rate(answer)
    assert _wrong(result) and words in str(result), str(result)


@pytest.mark.parametrize("answer", MALFORMED + [-0.08, 0])
def test_tilted_rate_never_crashes(answer, capsys):
    assert ex04.check_tilted_learning_rate(answer).status in (Status.WRONG, Status.NOT_ATTEMPTED)


def test_the_tilted_border_is_where_the_theory_puts_it():
    assert not ex04.diverges(0.079) and ex04.diverges(0.081)
    valley = ex04.tilted_valley()
    np.testing.assert_allclose(valley.gradient(np.array([1.0, 0.0])), [13.0, 12.0])
    with pytest.raises(ValueError, match="symmetric"):
        surfaces.quadratic([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="positive definite"):
        surfaces.quadratic([[1.0, 0.0], [0.0, -1.0]])


# ------------------------------------------------------------------ exercises 3 and 4: training

DIGITS = data.load_digits8x8()


def classmate_network(initializer):
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten()])
    for _ in range(6):
        model.add(keras.layers.Dense(64, activation="relu", kernel_initializer=initializer))
    model.add(keras.layers.Dense(10, activation="softmax"))
    return model


def test_fixed_initializer_accepts_he(capsys):
    result = ex04.check_fixed_initializer("he_normal", classmate_network, *DIGITS)
    assert result.passed and "≈" in str(result)
    assert ex04.check_fixed_initializer(keras.initializers.HeUniform(seed=1), classmate_network, *DIGITS).passed


@pytest.mark.parametrize("answer", [
    keras.initializers.RandomNormal(stddev=0.01),   # the classmate's own
    "zeros",                                         # the symmetry never breaks
    keras.initializers.RandomNormal(stddev=1.0),     # the signal explodes
])
def test_fixed_initializer_rejects_bad_scales(answer, capsys):
    assert _wrong(ex04.check_fixed_initializer(answer, classmate_network, *DIGITS))


@pytest.mark.parametrize("answer", ["he", 3, [1, 2], object(), None, ...])
def test_fixed_initializer_never_crashes(answer, capsys):
    status = ex04.check_fixed_initializer(answer, classmate_network, *DIGITS).status
    assert status in (Status.WRONG, Status.NOT_ATTEMPTED)


def deep_network(num_layers=8, epochs=10, activation="relu", initializer="he_normal"):
    def train_deep_network(x, y):
        model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten()])
        for _ in range(num_layers):
            model.add(keras.layers.Dense(64, activation=activation, kernel_initializer=initializer))
        model.add(keras.layers.Dense(10, activation="softmax"))
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        return model, model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
    return train_deep_network


def test_deep_network_accepts_the_notebook_solution(capsys):
    result = ex04.check_deep_network(deep_network(), *DIGITS)
    assert result.passed and "≈" in str(result)


@pytest.mark.parametrize("student, words", [
    (deep_network(num_layers=7), "fewer than 8"),
    (deep_network(epochs=11), "more than 10"),
    (deep_network(activation="sigmoid", initializer=keras.initializers.RandomNormal(stddev=0.01)), "below the target"),
    (lambda x, y: deep_network()(x, y)[0], "returned"),
    (lambda x, y: (deep_network()(x, y)[0], None), "history"),
    (lambda x, y: ("model", "history"), "not a model"),
    (lambda x, y: 1 / 0, "ZeroDivisionError"),
])
def test_deep_network_rejects_wrong_answers(student, words, capsys):
    result = ex04.check_deep_network(student, *DIGITS)
    assert _wrong(result) and words in str(result), str(result)


def test_deep_network_stub_and_malformed(capsys):
    def stub(x, y):
        raise NotImplementedError

    assert ex04.check_deep_network(stub, *DIGITS).status is Status.NOT_ATTEMPTED
    assert ex04.check_deep_network(..., *DIGITS).status is Status.NOT_ATTEMPTED
    for answer in ("f", 3, [1]):
        assert ex04.check_deep_network(answer, *DIGITS).status is Status.WRONG


# ------------------------------------------------------------------ the lectures' Nesterov


def test_lectures_nesterov_is_keras_nesterov():
    from conftest import notebook_definitions

    lecture_nesterov = notebook_definitions("04_training_deep_networks", "lecture_nesterov")["lecture_nesterov"]
    valley = surfaces.get_surface("Rosenbrock")
    ours = lecture_nesterov(valley, 0.001, 0.8, 60)
    theirs = surfaces.trajectory(scratch.Nesterov(0.001, momentum=0.8), valley, num_steps=60)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
    plain = surfaces.trajectory(scratch.Momentum(0.001, momentum=0.8), valley, num_steps=60)
    assert np.abs(ours - plain).max() > 1e-4  # the comparison can fail

"""Exercise checks of notebooks 09-10: right answers pass; wrong, stub, malformed and crashing ones don't."""

import math

import numpy as np
import pytest

from course_lib import runtime
from course_lib.checks import Status
from course_lib.exercises import lstm_and_gru, recurrent_networks

tf = runtime.import_tensorflow()
import keras  # noqa: E402


def stub(*args):
    raise NotImplementedError


def crash(*args):
    return undefined_name  # noqa: F821


def statuses(check, answers):
    return [check(answer).status for answer in answers]


# --------------------------------------------------------------------------- notebook 09


def right_dh_du(x, u, w):
    h, s, out = 0.0, 0.0, []
    for x_t in x:
        h = np.tanh(u * x_t + w * h)
        s = (x_t + w * s) * (1 - h**2)
        out.append(s)
    return out  # a list is a fine answer


def test_dh_du_matches_finite_differences():
    x, u, w, eps = np.array([0.3, -1.2, 0.8, 2.0]), 0.7, -0.9, 1e-6

    def states(u_value):
        h, out = 0.0, []
        for x_t in x:
            h = math.tanh(u_value * x_t + w * h)
            out.append(h)
        return np.array(out)

    numeric = (states(u + eps) - states(u - eps)) / (2 * eps)
    np.testing.assert_allclose(recurrent_networks.reference_dh_du(x, u, w), numeric, rtol=1e-6)


def test_dh_du_check(capsys):
    check = recurrent_networks.check_dh_du
    assert check(right_dh_du).passed

    def truncated(x, u, w):  # forgets w * dh_{t-1}/du
        h, out = 0.0, []
        for x_t in x:
            h = np.tanh(u * x_t + w * h)
            out.append(x_t * (1 - h**2))
        return np.array(out)

    result = check(truncated)
    assert result.status is Status.WRONG and "also depends on u" in str(result)

    def previous_slope(x, u, w):  # f' taken at the previous step
        h, s, out = 0.0, 0.0, []
        for x_t in x:
            s = (x_t + w * s) * (1 - h**2)
            h = np.tanh(u * x_t + w * h)
            out.append(s)
        return np.array(out)

    def one_too_many(x, u, w):
        return np.append(right_dh_du(x, u, w), 0.0)

    assert statuses(check, [previous_slope, one_too_many]) == [Status.WRONG] * 2
    assert statuses(check, [stub, None, ..., lambda x, u, w: None]) == [Status.NOT_ATTEMPTED] * 4
    assert check(crash).status is Status.CRASHED
    assert check("dh_du").status is Status.WRONG
    assert check(lambda x, u, w: np.full(len(x), np.nan)).status is Status.WRONG
    capsys.readouterr()


def test_steps_to_vanish(capsys):
    check = recurrent_networks.check_steps_to_vanish
    assert recurrent_networks.steps_to_vanish() == 31 == math.ceil(math.log(1e-3) / math.log(0.8))
    assert all(check(answer).passed for answer in (31, np.int64(31), np.array(31), 31.0))
    off_by_one = check(30)
    assert off_by_one.status is Status.WRONG and "still above" in str(off_by_one)
    assert "too many" in str(check(32))
    fractional = check(math.log(1e-3) / math.log(0.8))
    assert fractional.status is Status.WRONG and "whole number" in str(fractional)
    assert statuses(check, ["31", float("nan"), 1e300, [31, 32]]) == [Status.WRONG] * 4
    assert statuses(check, [None, ...]) == [Status.NOT_ATTEMPTED] * 2
    capsys.readouterr()


class ConstantModel:
    """Stands in for a trained model: predicts a constant (or raises)."""

    def __init__(self, value=0.0, shape=None, parameters=10):
        self.value, self.shape, self.parameters = value, shape, parameters

    def predict(self, x, verbose=0):
        if self.value == "crash":
            raise RuntimeError("broken model")
        return np.full(self.shape or (len(x), 1), self.value)

    def count_params(self):
        return self.parameters


class OracleSine:
    """Predicts the noise-free sine 10 steps ahead: about the noise floor."""

    def predict(self, x, verbose=0):
        from course_lib import forecasting

        task = forecasting.sine_task()
        clean = forecasting.sine_task(noise=0.0)
        # the test windows of the clean series, standardised like the noisy task's
        return (clean.y_test * clean.std + clean.mean - task.mean) / task.std


def test_sine_forecaster_check(capsys):
    check = recurrent_networks.check_sine_forecaster
    good = check(lambda x, y: OracleSine())
    assert good.passed and "≈" in str(good) and "target ≤ 0.2" in str(good)
    assert check(lambda x, y: ConstantModel(0.0)).status is Status.WRONG  # the mean: RMSE ≈ 1
    wrong_shape = check(lambda x, y: ConstantModel(0.0, shape=(571, 20, 1)))
    assert wrong_shape.status is Status.WRONG and "Dense layer of 1" in str(wrong_shape)
    assert check(lambda x, y: ConstantModel(np.nan)).status is Status.WRONG
    assert check(lambda x, y: None).status is Status.WRONG
    assert check(lambda x, y: "model").status is Status.WRONG
    assert check(lambda x, y: ConstantModel("crash")).status is Status.CRASHED
    assert statuses(check, [stub, None, ...]) == [Status.NOT_ATTEMPTED] * 3
    assert check(crash).status is Status.CRASHED
    assert check(3).status is Status.WRONG
    capsys.readouterr()


def test_sine_forecaster_check_accepts_a_trained_keras_model(capsys):
    def train(x_train, y_train):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input(x_train.shape[1:]), keras.layers.SimpleRNN(16),
                                  keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
        model.fit(x_train, y_train, epochs=6, batch_size=32, verbose=0)
        return model

    assert recurrent_networks.check_sine_forecaster(train).passed
    capsys.readouterr()


# --------------------------------------------------------------------------- notebook 10


def right_gru_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    a_z, a_r, a_h = np.split(x_t @ kernel + bias[0], 3, axis=1)
    q_z, q_r, q_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=1)
    z, r = 1 / (1 + np.exp(-(a_z + q_z))), 1 / (1 + np.exp(-(a_r + q_r)))
    return z * h_prev + (1 - z) * np.tanh(a_h + r * q_h)


def test_gru_reference_matches_a_keras_gru_cell():
    rng = np.random.default_rng(0)
    cell = keras.layers.GRUCell(3, dtype="float64")
    x_t, h_prev = rng.normal(size=(2, 4)), rng.normal(size=(2, 3))
    cell.build((None, 4))
    weights = [rng.normal(size=w.shape) for w in cell.get_weights()]
    cell.set_weights(weights)
    keras_h, _ = cell(x_t, [h_prev])
    np.testing.assert_allclose(lstm_and_gru.reference_gru_step(x_t, h_prev, *weights), keras_h.numpy(),
                               rtol=1e-10)


@pytest.mark.parametrize(
    "options, words",
    [
        ({"swap_update": True}, "keeps the old state"),
        ({"reset_before": True}, "reset_after=True"),
        ({"drop_recurrent_bias": True}, "two rows"),
        ({"order": (1, 0, 2)}, "order z"),
    ],
)
def test_gru_step_check_names_each_slip(options, words, capsys):
    def slip(*args):
        return lstm_and_gru._gru_variant(*args, **options)

    result = lstm_and_gru.check_gru_step(slip)
    assert result.status is Status.WRONG and words in str(result)
    capsys.readouterr()


def test_gru_step_check(capsys):
    check = lstm_and_gru.check_gru_step
    assert check(right_gru_step).passed

    def mutates(x_t, h_prev, kernel, recurrent_kernel, bias):
        h_prev[...] = right_gru_step(x_t, h_prev, kernel, recurrent_kernel, bias)
        return h_prev  # right values, but the caller's state is overwritten

    def transposed(x_t, h_prev, kernel, recurrent_kernel, bias):
        return right_gru_step(x_t, h_prev, kernel, recurrent_kernel, bias).T

    mutated = check(mutates)
    assert mutated.status is Status.WRONG and "in place" in str(mutated)
    assert statuses(check, [transposed, "gru", lambda *a: h_like(*a) * 0]) == [Status.WRONG] * 3
    assert statuses(check, [stub, None, ..., lambda *a: None]) == [Status.NOT_ATTEMPTED] * 4
    assert check(crash).status is Status.CRASHED
    capsys.readouterr()


def h_like(x_t, h_prev, *weights):
    return np.zeros_like(h_prev)


def right_count(cell, m, n, k):
    blocks = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[cell]
    return blocks * n * (m + n + (2 if cell == "GRU" else 1)) + (n + 1) * k


@pytest.mark.parametrize("cell", lstm_and_gru.CELLS)
@pytest.mark.parametrize("m, n, k", [(10, 20, 5), (1, 1, 1), (3, 7, 2)])
def test_closed_form_equals_count_params(cell, m, n, k):
    assert right_count(cell, m, n, k) == lstm_and_gru.keras_parameter_count(cell, m, n, k)


def test_parameter_count_check(capsys):
    check = lstm_and_gru.check_parameter_count
    assert check(right_count).passed
    assert check(lambda *args: float(right_count(*args))).passed  # a whole float is a number

    def one_gru_bias(cell, m, n, k):
        blocks = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[cell]
        return blocks * n * (m + n + 1) + (n + 1) * k

    def no_output(cell, m, n, k):
        return right_count(cell, m, n, k) - (n + 1) * k

    def no_biases(cell, m, n, k):
        blocks = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[cell]
        return blocks * n * (m + n) + n * k

    def seed_formula(cell, m, n, k):  # the lecture's simple RNN for every cell
        return n * m + n * n + k * n

    for wrong, words in ((one_gru_bias, "two bias vectors"), (no_output, "Dense(k)"),
                         (no_biases, "bias vector")):
        result = check(wrong)
        assert result.status is Status.WRONG and words in str(result), wrong.__name__
    assert statuses(check, [seed_formula, lambda *a: right_count(*a) + 0.5,
                            lambda *a: str(right_count(*a)), lambda *a: True, 7]) == [Status.WRONG] * 5
    assert statuses(check, [stub, None, ...]) == [Status.NOT_ATTEMPTED] * 3
    assert check(crash).status is Status.CRASHED
    capsys.readouterr()


class SumReader:
    """A perfect adding-problem model with a chosen parameter count."""

    def __init__(self, parameters):
        self.parameters = parameters

    def predict(self, x, verbose=0):
        return (x[:, :, 0] * x[:, :, 1]).sum(axis=1, keepdims=True)

    def count_params(self):
        return self.parameters


def test_small_adding_model_check(capsys):
    check = lstm_and_gru.check_small_adding_model
    assert check(lambda x, y: SumReader(297)).passed
    assert check(lambda x, y: SumReader(300)).passed  # the budget is inclusive
    over = check(lambda x, y: SumReader(301))
    assert over.status is Status.WRONG and "budget of 300" in str(over)
    mean = check(lambda x, y: ConstantModel(1.0, parameters=10))
    assert mean.status is Status.WRONG and "≈" in str(mean)

    class Uncountable(SumReader):
        def count_params(self):
            raise ValueError("not built")

    assert check(lambda x, y: Uncountable(1)).status is Status.WRONG
    assert statuses(check, [stub, None, ...]) == [Status.NOT_ATTEMPTED] * 3
    assert check(crash).status is Status.CRASHED
    assert check(lambda x, y: None).status is Status.WRONG
    capsys.readouterr()


def test_small_adding_model_data():
    (x_train, y_train), (x_test, y_test) = lstm_and_gru.adding_split()
    assert x_train.shape == (2000, 30, 2) and x_test.shape == (1000, 30, 2)
    assert not np.array_equal(x_train[:5], x_test[:5])

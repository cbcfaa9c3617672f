"""Notebook 00's exercise checks: right answers pass; a real student's wrong ones fail
with a hint; malformed answers never crash the check."""

import numpy as np
import pytest

from course_lib import runtime
from course_lib.checks import Status
from course_lib.exercises import welcome

runtime.import_tensorflow()
import keras  # noqa: E402

MALFORMED = [None, ..., "57", [57], float("nan"), float("inf"), 10**400, object(), lambda: 57,
             (n for n in [57]), True]
NOT_PASSED = (Status.WRONG, Status.NOT_ATTEMPTED, Status.CRASHED)

# --------------------------------------------------------------------- to_unit_range


@pytest.mark.parametrize(
    "answer",
    [lambda x: x.astype("float32") / 255, lambda x: (x / 255.0).astype(np.float32),
     lambda x: np.divide(x, np.float32(255), dtype=np.float32)],
)
def test_to_unit_range_accepts_right_answers(answer, capsys):
    assert welcome.check_to_unit_range(answer).passed


@pytest.mark.parametrize(
    "answer",
    [
        lambda x: x / 255,                                   # float64
        lambda x: x.astype("float32") / 256,                 # off by one
        lambda x: (x / x.max()).astype("float32"),           # divides by the image's maximum
        lambda x: x.astype("float32").reshape(len(x), -1) / 255,  # flattened
        lambda x: x // 255,                                  # integer division
    ],
)
def test_to_unit_range_rejects_mistakes(answer, capsys):
    assert welcome.check_to_unit_range(answer).status is Status.WRONG


# --------------------------------------------------------------------------- one_hot


def one_hot_eye(labels, k):
    return np.eye(k)[labels]


def one_hot_loop(labels, k):
    out = np.zeros((len(labels), k), dtype=np.float32)
    for i, label in enumerate(labels):
        out[i, label] = 1
    return out


def one_hot_ints(labels, k):
    return (np.arange(k)[None, :] == np.asarray(labels)[:, None]).astype(int)


def one_hot_list(labels, k):
    return [[1.0 if j == label else 0.0 for j in range(k)] for label in labels]


@pytest.mark.parametrize("answer", [one_hot_eye, one_hot_loop, one_hot_ints, one_hot_list])
def test_one_hot_accepts_right_answers(answer, capsys):
    assert welcome.check_one_hot(answer).passed


def sorts_in_place(labels, k):
    labels.sort()
    return np.eye(k)[labels]


@pytest.mark.parametrize(
    "answer, words",
    [
        (lambda labels, k: np.eye(k)[:, labels], "swapped"),                      # transposed
        (lambda labels, k: np.eye(int(labels.max()) + 1)[labels], "num_classes"),  # width from the data
        (lambda labels, k: np.eye(k + 1)[labels], "num_classes"),                 # one column too many
        (lambda labels, k: np.eye(k)[labels - 1], ""),                            # off by one
        (lambda labels, k: np.eye(k)[labels] * 2, ""),
        (lambda labels, k: labels, ""),                                           # labels unchanged
        (sorts_in_place, "in place"),
        (lambda labels, k: str(np.eye(k)[labels]), "text"),
        (lambda labels, k: (row for row in np.eye(k)[labels]), "generator"),
        (lambda labels, k: np.full((len(labels), k), np.nan), "NaN"),
    ],
)
def test_one_hot_rejects_mistakes_with_a_hint(answer, words, capsys):
    result = welcome.check_one_hot(answer)
    assert result.status is Status.WRONG and "Hint" in str(result)
    assert words in str(result)


def stub(labels, k):
    raise NotImplementedError


@pytest.mark.parametrize("answer", [None, ..., 3, "one_hot", stub, lambda labels, k: None,
                                    lambda labels, k: 1 / 0, lambda labels: labels])
def test_one_hot_survives_malformed_answers(answer, capsys):
    result = welcome.check_one_hot(answer)
    assert result.status in NOT_PASSED


def test_one_hot_stub_is_not_attempted(capsys):
    assert welcome.check_one_hot(stub).status is Status.NOT_ATTEMPTED
    assert welcome.check_one_hot(...).status is Status.NOT_ATTEMPTED


# ------------------------------------------------------------------ updates per epoch

X = np.zeros((4000, 4), dtype=np.float32)
Y = np.arange(4000) % 3


@pytest.mark.parametrize("answer", [57, np.int64(57), np.array(57), np.int32(57)])
def test_updates_per_epoch_accepts_whole_numbers(answer, capsys):
    assert welcome.check_updates_per_epoch(answer, X, Y, batch_size=64, validation_split=0.1).passed


@pytest.mark.parametrize(
    "answer, words",
    [
        (63, "validation"),   # ceil(4000 / 64): the validation digits counted
        (62, "validation"),   # 4000 // 64
        (56, "smaller"),      # 3600 // 64: the last, smaller batch forgotten
        (3600, "per batch"),  # one update per example
        (58, "too large"),    # off by one
        (56.25, "whole"),     # 3600 / 64, not rounded
        (57.0, "whole"),      # a float
    ],
)
def test_updates_per_epoch_rejects_mistakes_with_a_hint(answer, words, capsys):
    result = welcome.check_updates_per_epoch(answer, X, Y, batch_size=64, validation_split=0.1)
    assert result.status is Status.WRONG and "Hint" in str(result)
    assert words in str(result)


def test_updates_per_epoch_follows_the_arguments(capsys):
    # 250 examples, a fifth kept aside: 200 trained on, in batches of 32: 6 full and 1 smaller
    assert welcome.check_updates_per_epoch(7, X[:250], Y[:250], batch_size=32,
                                           validation_split=0.2).passed
    assert welcome.check_updates_per_epoch(6, X[:250], Y[:250], batch_size=32,
                                           validation_split=0.2).status is Status.WRONG


@pytest.mark.parametrize("answer", MALFORMED)
def test_updates_per_epoch_survives_malformed_answers(answer, capsys):
    result = welcome.check_updates_per_epoch(answer, X[:100], Y[:100], batch_size=16)
    assert result.status in (Status.WRONG, Status.NOT_ATTEMPTED)


def test_updates_per_epoch_validates_the_notebook_arguments():
    with pytest.raises((TypeError, ValueError)):
        welcome.check_updates_per_epoch(57, X, Y[:10])
    with pytest.raises((TypeError, ValueError)):
        welcome.check_updates_per_epoch(57, X, Y, batch_size=0)
    with pytest.raises((TypeError, ValueError)):
        welcome.check_updates_per_epoch(57, X, Y, validation_split=1.5)


# ------------------------------------------------------------------ the first network

rng = np.random.default_rng(0)
EASY_X = rng.normal(size=(600, 4, 4, 1)).astype(np.float32)
EASY_Y = (EASY_X[:, 0, 0, 0] > 0).astype(np.int64)
NOISE_Y = rng.integers(0, 2, size=600)


def small_network(units=8, learning_rate=1e-3):
    model = keras.Sequential([
        keras.Input((4, 4, 1)), keras.layers.Flatten(),
        keras.layers.Dense(units, activation="relu"), keras.layers.Dense(2, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


GOOD = dict(units=32, learning_rate=1e-2, batch_size=16, num_epochs=5)


def first_network(settings, y=EASY_Y, target=0.9):
    return welcome.check_first_network(settings, small_network, (EASY_X[:500], y[:500]),
                                       (EASY_X[500:], y[500:]), target=target)


@pytest.mark.parametrize("settings", [GOOD, {**GOOD, "units": np.int64(32), "learning_rate": np.float32(1e-2)},
                                      {**GOOD, "learning_rate": 1, "num_epochs": np.array(5)}])
def test_first_network_accepts_settings_that_reach_the_target(settings, capsys):
    result = first_network(settings)
    assert result.passed and "≈" in str(result)


def test_first_network_rejects_settings_below_the_target_with_the_measured_value(capsys):
    result = first_network({**GOOD, "learning_rate": 1e-6, "num_epochs": 1})
    assert result.status is Status.WRONG and "≈" in str(result) and "Hint" in str(result)
    result = first_network(GOOD, y=NOISE_Y)  # labels that cannot be learned
    assert result.status is Status.WRONG and "below" in str(result)


@pytest.mark.parametrize(
    "settings, words",
    [
        ({**GOOD, "num_epochs": 6}, "num_epochs"),            # over the budget
        ({**GOOD, "units": 2048}, "units"),
        ({**GOOD, "batch_size": 8}, "batch_size"),
        ({**GOOD, "units": 0}, "units"),
        ({**GOOD, "units": 32.5}, "whole"),
        ({**GOOD, "learning_rate": 0}, "learning_rate"),
        ({**GOOD, "learning_rate": -1e-3}, "learning_rate"),
        ({**GOOD, "learning_rate": float("nan")}, "learning_rate"),
        ({**GOOD, "learning_rate": 10**400}, "learning_rate"),
        ({**GOOD, "learning_rate": "1e-3"}, "learning_rate"),
        ({**GOOD, "num_epochs": True}, "num_epochs"),
        ({k: v for k, v in GOOD.items() if k != "units"}, "missing units"),
        ({**GOOD, "epochs": 3}, "unknown epochs"),
        ((32, 1e-2, 16, 5), "dict"),
        ("units=32", "dict"),
        (lambda: GOOD, "dict"),
    ],
)
def test_first_network_rejects_malformed_settings_without_training(settings, words, capsys):
    result = first_network(settings)
    assert result.status is Status.WRONG and words in str(result)


def test_first_network_not_attempted(capsys):
    assert first_network(...).status is Status.NOT_ATTEMPTED
    assert first_network(None).status is Status.NOT_ATTEMPTED


def test_first_network_reports_a_builder_that_crashes(capsys):
    def broken(units, learning_rate):
        raise RuntimeError("no")

    result = welcome.check_first_network(GOOD, broken, (EASY_X, EASY_Y), (EASY_X, EASY_Y))
    assert result.status is Status.CRASHED

"""Notebook 08's new checks: right answers pass, a student's likely mistakes fail with a
hint, malformed answers never crash the check."""

import numpy as np
import pytest

from course_lib import models, runtime, transfer
from course_lib.checks import Status
from course_lib.exercises import cnn_applications

runtime.import_tensorflow()
import keras  # noqa: E402


@pytest.fixture(scope="module")
def sliding(source_model_and_test_digits):
    return models.fully_convolutional(source_model_and_test_digits[0])


@pytest.mark.parametrize("answer", [(1, 8, 15, 5), [1, 8, 15, 5], np.array([1, 8, 15, 5])])
def test_score_map_shape_accepts_any_sequence(answer, sliding, capsys):
    assert cnn_applications.check_score_map_shape(answer, sliding).passed


@pytest.mark.parametrize(
    "answer, words",
    [
        ((1, 29, 57, 5), "4 pixels apart"),   # stride 1
        ((1, 2, 3, 5), "overlap"),            # non-overlapping windows
        ((1, 14, 21, 5), "left edge"),        # size / stride
        ((8, 15, 5), "4 whole numbers"),      # no batch axis
        ((1, 8, 15), "4 whole numbers"),
        ((1, 15, 8, 5), "stride"),            # rows and columns swapped
        ((1.0, 8.0, 15.0, 5.0), "whole numbers"),
    ],
)
def test_score_map_shape_rejects_mistakes_with_a_hint(answer, words, sliding, capsys):
    result = cnn_applications.check_score_map_shape(answer, sliding)
    assert result.status is Status.WRONG and words in str(result)


@pytest.mark.parametrize("answer", [None, ..., "1, 8, 15, 5", 42, [None] * 4, float("nan")])
def test_score_map_shape_survives_malformed_answers(answer, sliding, capsys):
    result = cnn_applications.check_score_map_shape(answer, sliding)
    assert result.status in (Status.WRONG, Status.NOT_ATTEMPTED)


@pytest.fixture(scope="module")
def few_digits():
    return transfer.target_task(10)


def frozen_head(x, y, passes=3):
    features = models.feature_extractor(transfer.load_source_model())
    features.trainable = False
    inputs = keras.Input((28, 28, 1))
    model = keras.Model(inputs, keras.layers.Dense(5, activation="softmax")(features(inputs)))
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(np.concatenate([x] * passes), np.concatenate([y] * passes), verbose=0)
    return model


def test_target_classifier_is_judged_on_the_test_digits(few_digits, capsys):
    (x, y), test = few_digits
    weak = cnn_applications.check_target_classifier(frozen_head, (x, y), test)
    assert weak.status is Status.WRONG and "below the target" in str(weak)
    passed = cnn_applications.check_target_classifier(frozen_head, (x, y), test, target=0.3)
    assert passed.passed and "≈" in str(passed)


def ten_classes(x, y):
    inputs = keras.Input((28, 28, 1))
    return keras.Model(inputs, keras.layers.Dense(10)(keras.layers.Flatten()(inputs)))


def stub(x, y):
    raise NotImplementedError


@pytest.mark.parametrize(
    "answer, status",
    [
        (None, Status.NOT_ATTEMPTED),
        (stub, Status.NOT_ATTEMPTED),
        (42, Status.WRONG),
        (lambda x, y: None, Status.WRONG),
        (lambda x, y: "model", Status.WRONG),
        (ten_classes, Status.WRONG),
        (lambda x, y: 1 / 0, Status.CRASHED),
        (lambda x: x, Status.CRASHED),
    ],
)
def test_target_classifier_survives_bad_answers(answer, status, few_digits, capsys):
    assert cnn_applications.check_target_classifier(answer, *few_digits).status is status

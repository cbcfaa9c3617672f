"""Every exercise check accepts a right answer in any form a student may write it, and
stops a student's function that never returns.

Forms of a right answer: Python numbers, NumPy scalars (int64, int32, float64, float32),
0-d arrays, TensorFlow tensors, and lists (or tensors) where an array is expected; pairs
as tuples or lists of those.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
import tensorflow as tf
from sklearn.metrics import confusion_matrix

from course_lib import checks, history, scratch, sequences
from course_lib.checks import Status
from course_lib.exercises import backpropagation as ex03
from course_lib.exercises import cnn_applications as ex08
from course_lib.exercises import common
from course_lib.exercises import convnets as ex07
from course_lib.exercises import convolution as ex06
from course_lib.exercises import language_models as ex11
from course_lib.exercises import learning_from_data as ex01
from course_lib.exercises import lstm_and_gru as ex10
from course_lib.exercises import perceptron as ex02
from course_lib.exercises import recurrent_networks as ex09
from course_lib.exercises import regularization as ex05
from course_lib.exercises import scaling_up as ex16
from course_lib.exercises import training_deep_networks as ex04
from course_lib.exercises import welcome as ex00


def _number_forms(value):
    if isinstance(value, bool | np.bool_):
        return [bool(value), np.bool_(value), np.array(bool(value)), tf.constant(bool(value))]
    if isinstance(value, int | np.integer):
        if abs(int(value)) >= 2**63:
            return [int(value)] * 6  # only Python's own ints hold 10**784
        small = abs(int(value)) < 2**31
        return [
            int(value), np.int64(value), np.array(int(value)), tf.constant(int(value), tf.int64),
            np.int32(value) if small else np.int64(value),
            tf.constant(int(value), tf.int32 if small else tf.int64),
        ]
    return [
        float(value), np.float64(value), np.float32(value), np.array(float(value)),
        tf.constant(float(value), tf.float64), tf.constant(float(value), tf.float32),
    ]


def forms(value):
    """Ways of writing ``value`` a check must accept."""
    if isinstance(value, tuple):
        parts = [forms(item) for item in value]
        count = min(len(p) for p in parts)
        return [tuple(p[i] for p in parts) for i in range(count)] + [
            [p[i] for p in parts] for i in range(count)
        ]
    if isinstance(value, np.ndarray):
        return [value, value.tolist(), tf.constant(value)]
    if isinstance(value, int | float | np.number):
        return _number_forms(value)
    return [value]


def _contrastive(distance, same, margin):
    return same * distance**2 + (1 - same) * np.maximum(margin - distance, 0.0) ** 2


def _confusion(y_true, y_pred, n):
    return confusion_matrix(y_true, y_pred, labels=range(n))


FUNCTION_CHECKS = [
    (ex00.check_to_unit_range, lambda x: (x / 255.0).astype(np.float32), (np.array([0, 255], np.uint8),)),
    (ex00.check_one_hot, lambda labels, n: np.eye(n)[labels], (np.array([0, 1]), 2)),
    (ex01.check_nearest_neighbour, lambda X, y, Q: y[((Q[:, None] - X[None]) ** 2).sum(-1).argmin(1)],
     (np.array([[0.0, 0.0], [3.0, 3.0]]), np.array([4, 7]), np.array([[2.0, 2.0]]))),
    (ex02.check_softmax_backward, lambda g, p: p * (g - (g * p).sum(axis=1, keepdims=True)),
     (np.array([[0.5, -1.0, 2.0]]), np.array([[0.2, 0.3, 0.5]]))),
    (ex03.check_xor_gradients, ex03.reference_xor_gradients,
     (np.ones((3, 2)), np.ones((3, 1)), np.full((2, 2), 0.1), np.zeros(2), np.full((2, 1), 0.1), np.zeros(1))),
    (ex04.check_adagrad_step, ex04.reference_adagrad_step, (np.ones(2), np.full(2, 0.1), np.ones(2), 0.1)),
    (ex05.check_confusion_matrix, _confusion, (np.array([0, 1]), np.array([1, 1]), 2)),
    (ex05.check_early_stopping, ex05.reference_early_stopping, ([1.0, 0.5, 0.7], 1)),
    (ex06.check_apply_difference_mask, lambda image: image[:, 1:] - image[:, :-1], (np.ones((2, 3)),)),
    (ex06.check_input_gradient, ex06.reference_input_gradient, (np.ones((2, 2)), np.ones((2, 2)))),
    (ex08.check_fgsm, lambda x, gradient, epsilon: np.clip(x + epsilon * np.sign(gradient), 0, 1),
     (np.full(2, 0.5), np.array([1.0, -1.0]), 0.1)),
    (ex08.check_contrastive_loss, _contrastive, (np.array([0.5]), np.array([1.0]), 1.0)),
    (ex08.check_dense_to_conv, lambda kernel, map_shape: kernel.reshape(tuple(map_shape) + (kernel.shape[1],)),
     (np.arange(12.0).reshape(6, 2), (1, 2, 3))),
    (ex09.check_dh_du, ex09.reference_dh_du, (np.array([1.0, 0.5, -0.3]), 0.7, 0.9)),
    (ex10.check_gru_step, ex10.reference_gru_step,
     (np.ones((2, 3)), np.zeros((2, 4)), np.full((3, 12), 0.1), np.full((4, 12), -0.1), np.zeros((2, 12)))),
    (ex10.check_parameter_count, ex10.keras_parameter_count, ("GRU", 3, 4, 2)),
    (ex11.check_sentence_log_probability, ex11.reference_sentence_log_probability,
     (np.log(np.full((3, 4), 0.25)), np.array([1, 2, 3, 0]))),
    (ex11.check_teacher_forcing, sequences.teacher_forcing, (np.array([[5, 6, 7]]), 1, 2)),
    (ex16.check_loss_scale_update, ex16.reference_loss_scale_update, (2.0**15, 0, True, 2000)),
]


@pytest.mark.parametrize("check, reference, args", FUNCTION_CHECKS, ids=lambda v: getattr(v, "__name__", ""))
def test_function_checks_accept_every_form_of_a_right_answer(check, reference, args, capsys):
    answers = forms(reference(*args))
    assert len(answers) >= 3
    for k in range(len(answers)):
        if check is ex00.check_to_unit_range and isinstance(answers[k], list):
            continue  # this exercise asks for float32 explicitly, which a list cannot be
        student = lambda *a, k=k: forms(reference(*a))[k]  # noqa: E731
        result = check(student)
        assert result.passed, f"{check.__name__}: form {k} ({type(answers[k]).__name__}) rejected: {result}"
    capsys.readouterr()


def _max_pool_answer():
    x = np.array([[1.0, 3, 2, 0], [4, 2, 1, 5], [0, 1, 7, 2], [3, 2, 6, 1]])[None, :, :, None]
    _, cache = scratch.maxpool2d_forward(x, 2)
    upstream = np.array([[0.1, -0.2], [0.3, 0.4]])[None, :, :, None]
    return scratch.maxpool2d_backward(upstream, cache)[0, :, :, 0]


VALUE_CHECKS = [
    (ex02.check_first_epoch, ((0.0, 1.0, 0.0),)),
    (ex03.check_two_paths, (13,)),
    (ex03.check_linear_xor_loss, (0.69,)),
    (ex04.check_tilted_learning_rate, (0.08,)),
    (ex06.check_max_pool_gradient, (_max_pool_answer(),)),
    (ex07.check_lenet5_count, (61706,)),
    (ex07.check_larger_input, (14, (14 * 14 * 16 + 1) * 120)),
    (ex09.check_steps_to_vanish, (ex09.steps_to_vanish(),)),
    (lambda answer: common.check_count(answer, 12, "the count", "multiply"), (12,)),
    (lambda answer: ex08.check_score_map_shape(answer, lambda image: np.zeros((1, 8, 15, 5))), ((1, 8, 15, 5),)),
]


@pytest.mark.parametrize("check, answers", VALUE_CHECKS, ids=lambda v: getattr(v, "__name__", ""))
def test_value_checks_accept_every_form_of_a_right_answer(check, answers, capsys):
    written = [forms(answer) for answer in answers]
    for k in range(min(len(w) for w in written)):
        given = [w[k] for w in written]
        result = check(*given)
        assert result.passed, f"{check.__name__}{tuple(given)!r} rejected: {result}"
    capsys.readouterr()


def test_tensor_answers_are_accepted(capsys):
    assert ex01.check_separable_labellings(tf.constant(14)).passed
    assert ex07.check_lenet5_count(tf.constant(61706)).passed
    assert checks.check_value(np.float32(0.5), 0.5).passed
    assert history.EVENTS  # notebook 00's timeline reads it
    capsys.readouterr()


def test_an_endless_loop_is_stopped_with_a_clear_message(capsys):
    def forever(x):
        while True:
            pass

    # Without the time limit this test would never end: passing proves the loop was cut.
    result = checks.check_function(
        forever,
        [checks.Case(args=(1,), expected=2), checks.Case(args=(2,), expected=4)],
        name="double",
        time_limit=0.3,
    )
    out = capsys.readouterr().out
    assert result.status is Status.WRONG and not result.passed
    assert "took longer than 0.3 s" in out and "1 other case not run" in out


def test_the_time_limit_never_fires_inside_a_finaliser():
    """An exception raised in a finaliser (``__del__``, a weakref callback) is only
    printed as "Exception ignored": the time limit waits for its next tick there."""
    import sys

    seen = {}

    class Tracked:
        def __del__(self):
            seen["del"] = checks._in_finaliser(sys._getframe())

    def inner():
        return checks._in_finaliser(sys._getframe())

    Tracked()
    assert seen == {"del": True}
    assert inner() is False

    # A garbage-collector callback (hypothesis installs one) is a finaliser too.
    import gc

    def collector_callback(phase, info):
        seen.setdefault(phase, checks._in_finaliser(sys._getframe()))

    gc.callbacks.append(collector_callback)
    try:
        gc.collect()
    finally:
        gc.callbacks.remove(collector_callback)
    assert seen == {"del": True, "start": True, "stop": True}


def test_a_time_limit_converted_into_another_error_is_still_the_time_limit(capsys):
    """Compiled code (TensorFlow's C++) can turn the time limit's exception into another
    one on its way out; once the timer has fired, the check still reports the limit."""

    def converted(x):
        try:
            while True:
                pass
        except BaseException as error:  # what a C++ binding may do
            raise RuntimeError("error_already_set") from error

    result = checks.check_function(converted, [checks.Case(args=(1,), expected=2)],
                                   name="converted", time_limit=0.3)
    out = capsys.readouterr().out
    assert result.status is Status.WRONG
    assert "took longer than 0.3 s" in out and "RuntimeError" not in out


def test_the_time_limit_also_works_outside_the_main_thread(capsys):
    import threading

    outcome = {}

    def forever(x):
        while True:
            pass

    def run():
        outcome["result"] = checks.check_function(
            forever, [checks.Case(args=(1,), expected=2)], name="double", time_limit=0.3, verbose=False
        )

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(10)
    assert not worker.is_alive()
    assert "took longer than 0.3 s" in str(outcome["result"])


def test_a_slow_but_finishing_function_is_not_stopped(capsys):
    def slow_double(x):
        time.sleep(0.05)
        return 2 * x

    result = checks.check_function(slow_double, [checks.Case(args=(1,), expected=2)], time_limit=2.0)
    assert result.passed
    capsys.readouterr()


def test_a_student_catching_everything_is_still_stopped(capsys):
    def stubborn(x):
        while True:
            try:
                while True:
                    pass
            except Exception:  # noqa: BLE001 - the student's code swallows errors
                pass

    result = checks.check_function(stubborn, [checks.Case(args=(1,), expected=2)], time_limit=0.3)
    assert "took longer than" in str(result)
    capsys.readouterr()


def test_checks_never_raise_whatever_the_student_does(capsys):
    def exits(x):
        raise SystemExit(1)

    def returns_tensor_of_strings(x):
        return tf.constant(["a"])

    for answer in (exits, returns_tensor_of_strings, lambda x: 10**400, lambda x: (x, x)):
        result = ex01.check_xor_features(answer)
        assert not result.passed
    capsys.readouterr()


def test_notebook_11_16_answers_in_every_form(capsys):
    from course_lib.backend import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(6, 2),
                              keras.layers.Dense(6)])
    inputs = np.array([[1, 3, 4], [1, 5, 2]])
    targets = np.array([[3, 4, 2], [5, 2, 0]])
    measured = ex11._held_out_perplexity(model, inputs, targets)
    for answer in forms(measured):
        assert ex11.check_initial_perplexity(answer, model, inputs, targets).passed, type(answer)
    for dtypes in (("float32", "float16", "float32"), (tf.float32, tf.float16, tf.float32),
                   (np.float32, np.float16, np.float32), ("fp32", "half", "single"),
                   (np.dtype("float32"), np.dtype("float16"), np.dtype("float32"))):
        assert ex16.check_policy_dtypes(*dtypes, verbose=False).passed, dtypes
    for rate, epochs in zip(forms(0.1), forms(3), strict=False):  # numbers accepted: model_fn is missing
        result = ex16.check_large_batch(rate, epochs, None, verbose=False)
        assert "model builder" in str(result), (rate, epochs, str(result))
    for answer in (lambda losses, g: tf.reduce_sum(losses) / g, lambda losses, g: float(np.sum(losses) / g),
                   lambda losses, g: np.float32(np.sum(losses) / g)):
        assert ex16.check_replica_loss(answer, verbose=False).passed
    capsys.readouterr()

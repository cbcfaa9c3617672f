"""Part I exercise checks: the reference solutions pass; wrong, stub and crashing answers do not."""

import numpy as np

from course_lib import scratch
from course_lib.checks import Status
from course_lib.exercises import backpropagation as ex03
from course_lib.exercises import perceptron as ex02


def _crash(*args):
    return 1 / 0


def _stub(*args):
    raise NotImplementedError


# ---------------------------------------------------------------------- notebook 02


def test_sigmoid_derivative_check():
    assert ex02.check_sigmoid_derivative(scratch.sigmoid_derivative).passed
    assert ex02.check_sigmoid_derivative(scratch.sigmoid).status is Status.WRONG
    assert ex02.check_sigmoid_derivative(lambda a: scratch.sigmoid(a) * (1 + scratch.sigmoid(a))).status is Status.WRONG
    assert ex02.check_sigmoid_derivative(_stub).status is Status.NOT_ATTEMPTED
    assert ex02.check_sigmoid_derivative(_crash).status is Status.CRASHED


def test_perceptron_update_check():
    def reference(w, b, x, t, lr):
        return scratch.perceptron_update(w, b, x, t, lr)[:2]

    def always_update(w, b, x, t, lr):
        return w + lr * t * x, b + lr * t

    def strict_threshold(w, b, x, t, lr):  # predicts 1 only for a > 0
        y_hat = 1 if w @ x + b > 0 else 0
        return w + lr * (t - y_hat) * x, b + lr * (t - y_hat)

    assert ex02.check_perceptron_update(reference).passed
    assert ex02.check_perceptron_update(always_update).status is Status.WRONG
    assert ex02.check_perceptron_update(strict_threshold).status is Status.WRONG
    assert ex02.check_perceptron_update(lambda w, b, x, t, lr: w).status is Status.WRONG
    assert ex02.check_perceptron_update(_stub).status is Status.NOT_ATTEMPTED
    assert ex02.check_perceptron_update(_crash).status is Status.CRASHED


def test_gate_weights_check():
    assert ex02.check_gate_weights(1, 1, -0.5, gate="OR").passed
    assert ex02.check_gate_weights(1, 1, -1.5, gate="AND").passed
    assert ex02.check_gate_weights(1, 1, -1.5, gate="OR").status is Status.WRONG
    assert ex02.check_gate_weights(..., ..., ..., gate="OR").status is Status.NOT_ATTEMPTED
    assert ex02.check_gate_weights("a", [1, 2], None).status is Status.NOT_ATTEMPTED
    assert ex02.check_gate_weights("a", [1, 2], 0.5).status is Status.WRONG


def test_updates_per_epoch_check():
    assert ex02.check_updates_per_epoch(13).passed
    assert ex02.check_updates_per_epoch(12.5).status is Status.WRONG
    assert ex02.check_updates_per_epoch(...).status is Status.NOT_ATTEMPTED
    assert np.isclose(13, np.ceil(200 / 16))


# ---------------------------------------------------------------------- notebook 03


def test_neuron_gradient_check():
    def reference(x, t, w, b):
        a = w @ x + b
        delta = (scratch.sigmoid(a) - t) * scratch.sigmoid_derivative(a)
        return delta * x, delta

    def cross_entropy_instead(x, t, w, b):
        delta = scratch.sigmoid(w @ x + b) - t
        return delta * x, delta

    assert ex03.check_neuron_gradient(reference).passed
    assert ex03.check_neuron_gradient(cross_entropy_instead).status is Status.WRONG
    assert ex03.check_neuron_gradient(lambda x, t, w, b: reference(x, t, w, b)[0]).status is Status.WRONG
    assert ex03.check_neuron_gradient(_stub).status is Status.NOT_ATTEMPTED
    assert ex03.check_neuron_gradient(_crash).status is Status.CRASHED


def test_dense_parameter_count_check():
    assert ex03.check_dense_parameter_count(lambda n_in, n_out: (n_in + 1) * n_out).passed
    assert ex03.check_dense_parameter_count(lambda n_in, n_out: n_in * n_out).status is Status.WRONG
    assert ex03.check_dense_parameter_count(_stub).status is Status.NOT_ATTEMPTED


def test_dense_backward_check():
    def transposed_kernel_gradient(dout, cache):
        x, W = cache
        return dout @ W.T, dout.T @ x, dout.sum(axis=0)

    def mean_bias(dout, cache):
        x, W = cache
        return dout @ W.T, x.T @ dout, dout.mean(axis=0)

    assert ex03.check_dense_backward(scratch.dense_backward).passed
    assert ex03.check_dense_backward(transposed_kernel_gradient).status is Status.WRONG
    assert ex03.check_dense_backward(mean_bias).status is Status.WRONG
    assert ex03.check_dense_backward(_stub).status is Status.NOT_ATTEMPTED
    assert ex03.check_dense_backward(_crash).status is Status.CRASHED

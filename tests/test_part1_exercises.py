"""Part I exercise checks: the reference solutions pass; wrong, stub and crashing answers do not."""


from course_lib import scratch
from course_lib.checks import Status
from course_lib.exercises import backpropagation as ex03


def _crash(*args):
    return 1 / 0


def _stub(*args):
    raise NotImplementedError


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

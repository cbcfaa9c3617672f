"""Exercise checks of notebooks 06-08: reference answers pass; wrong, stub and crashing ones don't."""

import numpy as np
import pytest

from course_lib.checks import Status
from course_lib.exercises import cnn_applications, convnets, convolution


def stub(*args):
    raise NotImplementedError


def crash(*args):
    return undefined_name  # noqa: F821


FUNCTION_CHECKS = [
    (
        convolution.check_apply_difference_mask,
        lambda image: image[:, 1:] - image[:, :-1],
        lambda image: image[:, :-1] - image[:, 1:],  # the mask flipped
    ),
    (
        convolution.check_output_size,
        lambda n, k, s, p: (n + 2 * p - k) // s + 1,
        lambda n, k, s, p: (n - k) // s + 1,  # padding forgotten
    ),
    (
        convolution.check_conv_parameters,
        lambda k, a, b: (k * k * a + 1) * b,
        lambda k, a, b: k * k * a * b,  # biases forgotten
    ),
    (
        cnn_applications.check_fgsm,
        lambda x, g, e: np.clip(x + e * np.sign(g), 0, 1),
        lambda x, g, e: np.clip(x + e * g, 0, 1),  # the gradient instead of its sign
    ),
    (
        cnn_applications.check_contrastive_loss,
        lambda d, s, m: s * d**2 + (1 - s) * np.maximum(m - d, 0) ** 2,
        lambda d, s, m: s * d**2 + (1 - s) * (m - d) ** 2,  # no hinge
    ),
    (
        cnn_applications.check_dense_to_conv,
        lambda kernel, shape: kernel.reshape(tuple(shape) + (kernel.shape[1],)),
        # channels-first thinking: (channels, height, width) moved to the end afterwards
        lambda kernel, shape: np.moveaxis(
            kernel.reshape((shape[2], shape[0], shape[1], kernel.shape[1])), 0, 2),
    ),
]


@pytest.mark.parametrize("check,right,wrong", FUNCTION_CHECKS, ids=lambda f: getattr(f, "__name__", ""))
def test_function_checks(check, right, wrong, capsys):
    assert check(right).passed
    result = check(wrong)
    assert result.status is Status.WRONG and "Hint" in str(result)
    assert check(stub).status is Status.NOT_ATTEMPTED
    assert check(None).status is Status.NOT_ATTEMPTED
    assert check(crash).status is Status.CRASHED
    assert check(42).status is Status.WRONG
    capsys.readouterr()


def test_max_pool_gradient_value():
    right = np.array([[0, 0, 0, 0], [0.1, 0, 0, -0.2], [0, 0, 0.4, 0], [0.3, 0, 0, 0]])
    assert convolution.check_max_pool_gradient(right).passed
    spread = np.kron(np.array([[0.1, -0.2], [0.3, 0.4]]), np.ones((2, 2))) / 4  # average pooling's
    assert convolution.check_max_pool_gradient(spread).status is Status.WRONG
    assert convolution.check_max_pool_gradient(...).status is Status.NOT_ATTEMPTED
    assert convolution.check_max_pool_gradient("zeros").status is Status.WRONG




def test_lenet5_parameters_follow_the_input_size():
    assert sum(convnets.lenet5_parameters(28).values()) == 61_706
    assert convnets.lenet5_parameters(64)["C5"] == (14 * 14 * 16 + 1) * 120

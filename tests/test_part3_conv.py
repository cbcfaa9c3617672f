"""Scratch convolution and pooling against Keras layers and tf.GradientTape, in float64."""

import numpy as np
import pytest

from course_lib import runtime, scratch
from course_lib.scratch import conv

tf = runtime.import_tensorflow()
import keras  # noqa: E402

RTOL = 1e-6


def relative_error(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-12))


def keras_reference(layer, x, upstream):
    """Output and gradients (input, weights...) of ``sum(layer(x) * upstream)``."""
    x_var = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x_var)
        out = layer(x_var)
        loss = tf.reduce_sum(out * upstream)
    grads = tape.gradient(loss, [x_var] + [w.value for w in layer.trainable_weights])
    return out.numpy(), [g.numpy() for g in grads]


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("channels", [(1, 1), (3, 4), (2, 5)])
@pytest.mark.parametrize("kernel_size", [(3, 3), (2, 3)])
def test_conv2d_matches_keras(padding, stride, channels, kernel_size):
    rng = np.random.default_rng(hash((padding, stride, channels, kernel_size)) % 2**32)
    c_in, c_out = channels
    x = rng.normal(size=(2, 7, 8, c_in))
    layer = keras.layers.Conv2D(
        c_out, kernel_size, strides=stride, padding=padding, dtype="float64"
    )
    layer.build(x.shape)
    kernel = rng.normal(size=layer.kernel.shape)
    bias = rng.normal(size=(c_out,))
    layer.set_weights([kernel, bias])
    out, cache = scratch.conv2d_forward(x, kernel, bias, stride=stride, padding=padding)
    upstream = rng.normal(size=out.shape)
    keras_out, (dx, dkernel, dbias) = keras_reference(layer, x, upstream)
    assert out.shape == keras_out.shape
    assert relative_error(out, keras_out) < RTOL
    grads = scratch.conv2d_backward(upstream, cache)
    assert relative_error(grads["x"], dx) < RTOL
    assert relative_error(grads["kernel"], dkernel) < RTOL
    assert relative_error(grads["bias"], dbias) < RTOL


def test_conv2d_without_bias_and_seed_example():
    image = np.array(
        [[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]],
        dtype=float,
    )
    mask = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]], dtype=float)
    out, _ = scratch.conv2d_forward(image[None, :, :, None], mask[:, :, None, None])
    np.testing.assert_array_equal(out[0, :, :, 0], [[12, 12, 17], [10, 17, 19], [9, 6, 14]])


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("pool_size,strides", [(2, None), (3, 2), ((2, 3), (1, 2))])
def test_pooling_matches_keras(kind, pool_size, strides):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 7, 9, 3))
    layer_class = keras.layers.MaxPooling2D if kind == "max" else keras.layers.AveragePooling2D
    layer = layer_class(pool_size=pool_size, strides=strides, dtype="float64")
    forward = scratch.maxpool2d_forward if kind == "max" else scratch.avgpool2d_forward
    backward = scratch.maxpool2d_backward if kind == "max" else scratch.avgpool2d_backward
    out, cache = forward(x, pool_size, strides)
    upstream = rng.normal(size=out.shape)
    keras_out, (dx,) = keras_reference(layer, x, upstream)
    assert relative_error(out, keras_out) < RTOL
    assert relative_error(backward(upstream, cache), dx) < RTOL


def test_maxpool_routes_the_gradient_to_the_argmax():
    x = np.array([[1.0, 5.0], [2.0, 3.0]])[None, :, :, None]
    out, cache = scratch.maxpool2d_forward(x, 2)
    assert out.item() == 5.0
    dx = scratch.maxpool2d_backward(np.array([[[[7.0]]]]), cache)
    np.testing.assert_array_equal(dx[0, :, :, 0], [[0.0, 7.0], [0.0, 0.0]])


def test_output_size_rules():
    assert conv.output_size(28, 5) == 24
    assert conv.output_size(28, 5, padding="same") == 28
    assert conv.output_size(7, 3, stride=2) == 3
    assert conv.output_size(7, 3, stride=2, padding="same") == 4
    assert conv.same_padding(7, 3, 2) == (1, 1)
    assert conv.same_padding(8, 3, 2) == (0, 1)


def test_bad_arguments_raise_clear_errors():
    x = np.zeros((1, 5, 5, 2))
    with pytest.raises(ValueError, match="C_in=2"):
        scratch.conv2d_forward(x, np.zeros((3, 3, 1, 4)))
    with pytest.raises(ValueError, match="padding"):
        scratch.conv2d_forward(x, np.zeros((3, 3, 2, 4)), padding="full")
    with pytest.raises(ValueError, match="height, width"):
        scratch.conv2d_forward(x[0], np.zeros((3, 3, 2, 4)))
    with pytest.raises(ValueError, match="does not fit"):
        scratch.conv2d_forward(x, np.zeros((7, 7, 2, 1)))
    with pytest.raises(ValueError, match="stride"):
        scratch.conv2d_forward(x, np.zeros((3, 3, 2, 1)), stride=0)
    with pytest.raises(ValueError, match="bias"):
        scratch.conv2d_forward(x, np.zeros((3, 3, 2, 4)), np.zeros(3))
    _, cache = scratch.maxpool2d_forward(x)
    with pytest.raises(ValueError, match="dout"):
        scratch.maxpool2d_backward(np.zeros((1, 3, 3, 2)), cache)


def test_importing_scratch_does_not_import_tensorflow():
    import subprocess
    import sys

    code = "import sys, course_lib.scratch; print('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"

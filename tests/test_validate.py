"""The shared argument checks: right values pass (NumPy scalars too), wrong ones are named."""

import numpy as np
import pytest

from course_lib import validate


@pytest.mark.parametrize("value", [0.1, 3, np.float32(0.1), np.int64(2), np.array(0.5)])
def test_positive_accepts_python_and_numpy_numbers(value):
    assert validate.positive("learning_rate", value) == pytest.approx(float(value))


@pytest.mark.parametrize(
    "value, error, words",
    [
        (None, TypeError, "real number"),
        ("0.1", TypeError, "real number"),
        (True, TypeError, "real number"),
        (1 + 1j, TypeError, "real number"),
        (float("nan"), ValueError, "finite"),
        (float("inf"), ValueError, "finite"),
        (0.0, ValueError, "> 0"),
        (-1, ValueError, "> 0"),
    ],
)
def test_positive_rejects_and_names_the_argument(value, error, words):
    with pytest.raises(error, match="learning_rate") as raised:
        validate.positive("learning_rate", value)
    assert words in str(raised.value)


@pytest.mark.parametrize("value", [3, np.int64(3), np.uint8(3), np.array(3)])
def test_count_accepts_integers(value):
    assert validate.count("num_steps", value) == 3


@pytest.mark.parametrize(
    "value, error", [(0, ValueError), (-1, ValueError), (2.0, TypeError), (True, TypeError),
                     (None, TypeError), ("3", TypeError)]
)
def test_count_rejects_non_counts(value, error):
    with pytest.raises(error, match="batch_size"):
        validate.count("batch_size", value)


def test_index_refuses_negative_wraparound():
    assert validate.index("word", 2, 3) == 2
    with pytest.raises(ValueError, match=">= 0"):
        validate.index("word", -1, 3)
    with pytest.raises(ValueError, match="<= 2"):
        validate.index("word", 3, 3)


def test_choice_lists_the_options():
    assert validate.choice("padding", "same", ("valid", "same")) == "same"
    with pytest.raises(ValueError, match="'valid', 'same'"):
        validate.choice("padding", "full", ("valid", "same"))
    with pytest.raises(TypeError, match="padding"):
        validate.choice("padding", 1, ("valid", "same"))


def test_seed_range():
    assert validate.seed("seed", np.int32(7)) == 7
    for bad in (-1, 2**32):
        with pytest.raises(ValueError, match="seed"):
            validate.seed("seed", bad)


def test_array_checks_rank_shape_and_contents():
    x = validate.array("x", [[1, 2], [3, 4]], ndim=2)
    assert x.dtype == np.float64
    with pytest.raises(ValueError, match=r"\(batch, time, features\)"):
        validate.array("x", np.zeros((2, 3)), ndim=3, layout="(batch, time, features)")
    with pytest.raises(ValueError, match="axis 1"):
        validate.array("kernel", np.zeros((3, 4)), shape=(None, 5))
    with pytest.raises(ValueError, match="at least 1"):
        validate.array("x", [])
    with pytest.raises(ValueError, match="finite"):
        validate.array("x", [1.0, np.nan])
    for bad in (None, "abc", [1 + 2j], np.array([object()]), [[1, 2], [3]], [True, False]):
        with pytest.raises(TypeError, match="x must be an array"):
            validate.array("x", bad)


def test_int_arrays_accept_whole_floats_only():
    np.testing.assert_array_equal(validate.array("labels", [0.0, 2.0], kind="int"), [0, 2])
    with pytest.raises(TypeError, match="integers"):
        validate.array("labels", [0.5, 1.0], kind="int")


def test_tensors_are_arrays():
    import tensorflow as tf

    assert validate.array("x", tf.ones((2, 3)), ndim=2).shape == (2, 3)
    assert validate.positive("rate", tf.constant(0.5)) == 0.5

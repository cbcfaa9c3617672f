import numpy as np

from course_lib.checks import Status
from course_lib.exercises import welcome


def test_reference_solutions_pass():
    assert welcome.check_to_unit_range(lambda x: x.astype("float32") / 255).passed
    assert welcome.check_one_hot(lambda y, k: np.eye(k)[y]).passed
    assert welcome.check_winter_gap(11).passed


def test_common_mistakes_are_caught():
    assert welcome.check_to_unit_range(lambda x: x / 255).status is Status.WRONG  # float64
    assert welcome.check_to_unit_range(lambda x: x.astype("float32") / 256).status is Status.WRONG
    assert welcome.check_one_hot(lambda y, k: np.eye(k)[:, y]).status is Status.WRONG
    assert welcome.check_winter_gap(1969).status is Status.WRONG
    assert welcome.check_winter_gap(...).status is Status.NOT_ATTEMPTED

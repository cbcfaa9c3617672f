"""Measured figures print with "≈" and a verdict; the sanitize config hides only the digits."""

import re

import numpy as np
import pytest

from course_lib import maintenance, outcomes


def sanitized(text: str) -> str:
    for regex, replacement in maintenance.sanitize_patterns():
        text = re.sub(regex, replacement, text)
    return text


def test_expect_prints_value_claim_and_verdict(capsys):
    returned = outcomes.expect("test accuracy", np.float32(0.973), at_least=0.95)
    assert capsys.readouterr().out == "test accuracy ≈ 0.97 ✓ expected ≥ 0.95\n"
    assert returned is None  # a returned number would be displayed as the cell's result


def test_expect_raises_and_says_why_when_the_claim_fails(capsys):
    with pytest.raises(AssertionError, match="expected between 0.20 and 0.60"):
        outcomes.expect("gap", 0.75, at_least=0.2, at_most=0.6)
    assert "✗" in capsys.readouterr().out


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_a_non_finite_value_never_passes(value):
    with pytest.raises(AssertionError):
        outcomes.expect("loss", value, at_most=1.0, verbose=False)


def test_bounds_are_inclusive_and_formats_follow_fmt(capsys):
    outcomes.expect("epochs", 4, at_most=4, fmt="d")
    outcomes.expect("share", 0.48, at_least=0.25, fmt=".0%")
    assert capsys.readouterr().out.splitlines() == [
        "epochs ≈ 4 ✓ expected ≤ 4",
        "share ≈ 48% ✓ expected ≥ 25%",
    ]


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({}, ValueError),
        ({"at_least": 2.0, "at_most": 1.0}, ValueError),
        ({"at_least": float("nan")}, ValueError),
        ({"at_least": "high"}, TypeError),
    ],
)
def test_malformed_claims_are_rejected(kwargs, error):
    with pytest.raises(error):
        outcomes.expect("x", 1.0, verbose=False, **kwargs)


@pytest.mark.parametrize("value", [None, "0.9", [0.9, 0.8], True, 1 + 2j])
def test_values_that_are_not_real_numbers_are_rejected(value):
    with pytest.raises(TypeError, match="real number"):
        outcomes.expect("accuracy", value, at_least=0.5, verbose=False)


def test_zero_dimensional_arrays_and_tensors_are_accepted():
    import tensorflow as tf

    outcomes.expect("a", np.array(0.5), at_least=0.0, verbose=False)
    outcomes.expect("b", tf.constant(0.5), at_least=0.0, verbose=False)
    with pytest.raises(AssertionError):
        outcomes.expect("c", tf.constant(0.5), at_least=0.6, verbose=False)


def test_the_sanitize_config_masks_measured_digits_but_not_the_claim():
    here = "LeNet-5 test accuracy ≈ 0.97 ✓ expected ≥ 0.95"
    there = "LeNet-5 test accuracy ≈ 0.98 ✓ expected ≥ 0.95"
    assert sanitized(here) == sanitized(there)
    assert "expected ≥ 0.95" in sanitized(here)
    failed = "LeNet-5 test accuracy ≈ 0.93 ✗ expected ≥ 0.95"
    assert sanitized(failed) != sanitized(here)
    for text in ("≈ 1.2e-05", "≈ 48%", "≈ -3", "≈ 1,300", "≈ nan", outcomes.approx(12, "d")):
        assert sanitized(text) == "<measured>", text
    assert sanitized("exact: 61,706 parameters") == "exact: 61,706 parameters"


def test_a_bound_that_was_not_reached_is_masked_too():
    assert sanitized("without ≈ >12") == sanitized("without ≈ 11") == "without <measured>"

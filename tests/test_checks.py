import numpy as np
import pytest

from course_lib import checks
from course_lib.checks import Case, Status

CASES = [
    Case(args=(np.array([1.0, 2.0]),), expected=np.array([2.0, 4.0])),
    Case(args=(np.array([[0.5]]),), expected=np.array([[1.0]])),
]


def double(x):
    return 2 * x


def run(func, **kwargs):
    return checks.check_function(func, CASES, name="double", hint="multiply by two", **kwargs)


def test_correct(capsys):
    result = run(double)
    assert result.passed and result.status is Status.CORRECT
    assert capsys.readouterr().out.strip() == "✅ correct: double passes all 2 test cases"


def test_wrong_reports_expected_got_and_hint(capsys):
    result = run(lambda x: 3 * x)
    out = capsys.readouterr().out.strip()
    assert not result.passed and result.status is Status.WRONG
    assert out.count("\n") == 0, "one line per outcome"
    assert "expected 2.0, got 3.0" in out and "Hint: multiply by two" in out
    assert "1 more of the 2 cases" in out


def test_wrong_shape_is_named(capsys):
    run(lambda x: x.ravel() * 2)
    assert "expected shape (1, 1), got shape (1,)" in capsys.readouterr().out


@pytest.mark.parametrize("stub", [None, ..., "raise", "pass"])
def test_not_attempted(stub, capsys):
    if stub == "raise":

        def stub(x):
            raise NotImplementedError
    elif stub == "pass":

        def stub(x):
            pass

    result = run(stub)
    assert result.status is Status.NOT_ATTEMPTED and not result.passed
    assert capsys.readouterr().out.startswith("⏳ not attempted")


def test_crash_is_summarised_with_the_students_line(capsys):
    def broken(x):
        return x / undefined_name  # noqa: F821

    result = run(broken)
    out = capsys.readouterr().out
    assert result.status is Status.CRASHED
    assert "NameError" in out and "in broken, line" in out


@pytest.mark.parametrize(
    "answer",
    [
        lambda x: "two",  # a string instead of an array
        lambda x: [object()],  # an object array
        lambda x: np.full_like(x, np.nan),
        lambda x: {"a": 1},
        42,  # not a function at all
    ],
)
def test_malformed_answers_never_raise(answer, capsys):
    result = run(answer)
    assert not result.passed and result.status in (Status.WRONG, Status.CRASHED)
    assert capsys.readouterr().out.startswith(("❌", "💥"))


def test_student_cannot_spoil_the_cases_by_mutating_inputs():
    def mutating(x):
        x *= 2
        return x

    assert run(mutating).passed
    assert run(double).passed


def test_dtype_checked_only_when_asked():
    assert run(lambda x: (2 * x).astype(np.float32)).passed
    assert not run(lambda x: (2 * x).astype(np.float32), check_dtype=True).passed


def test_custom_compare_errors_are_contained(capsys):
    def bad_compare(expected, got):
        raise RuntimeError("boom")

    result = run(double, compare=bad_compare)
    assert not result.passed and "could not be compared" in capsys.readouterr().out


@pytest.mark.parametrize(
    "value, status",
    [
        (11, Status.CORRECT),
        (11.0, Status.CORRECT),
        (12, Status.WRONG),
        ("11", Status.WRONG),
        (None, Status.NOT_ATTEMPTED),
        (..., Status.NOT_ATTEMPTED),
        (np.array([11]), Status.CORRECT),
        ([1, 2], Status.WRONG),
    ],
)
def test_check_value(value, status, capsys):
    result = checks.check_value(value, 11, name="gap", hint="subtract")
    assert result.status is status
    line = capsys.readouterr().out.strip()
    assert "\n" not in line and line.startswith(status.value)


def test_result_is_silent_when_displayed_and_printable():
    result = checks.check_value(3, 3, verbose=False)
    assert result._ipython_display_() is None
    assert str(result) == "✅ correct: your answer is right"
    assert bool(result)


def test_describe_mismatch_reports_first_differing_index():
    reason = checks.describe_mismatch(np.zeros((2, 3)), np.array([[0, 0, 0], [0, 5, 0]]))
    assert "1 of 6 values differ" in reason and "(1, 1)" in reason

"""Property-based fuzz of course_lib's public API (Hypothesis).

For every public callable there is one valid call in ``api_specimens.py``. Hypothesis
swaps one of its arguments at a time and checks three properties:

* a bad value is refused quickly with a ``TypeError``/``ValueError`` raised by course_lib
  that names the argument (no hang, no NaN, no error from deep inside NumPy or Keras);
* the same call with a NumPy scalar, a 0-d array, or a list for an array is accepted and
  returns no NaN;
* an exercise check gives a verdict for any answer at all and never raises.

A public callable without a specimen (or a reasoned exclusion) fails
:func:`test_every_public_callable_has_a_specimen`: add one when you add a function.
``COURSE_FUZZ_PROFILE=explore`` draws many more random examples than the default,
deterministic profile; ``python scripts/api_fuzz_table.py`` tries every swap.
"""

from __future__ import annotations

import os

import api_fuzz as fz
import numpy as np
import pytest
from api_specimens import EXCLUDED, SPECIMENS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib import checks
from course_lib.exercises import common as exercise_common

BAD_CALL_SECONDS = 5.0  # refusing takes microseconds; the limit only catches hangs
VALID_CALL_SECONDS = 60.0
CHECK_CALL_SECONDS = 0.5  # the exercise checks' own limit on a student's function, here
# Some checks train a small model on the answer (compile, trace, fit): a second idle, several
# on a loaded machine. Their limit, like the others, only catches hangs.
ANSWER_CALL_SECONDS = 60.0

# The default profile is deterministic. Each bad-argument test draws as many examples as
# its specimen has bad values, so it tries every one (Hypothesis stops once it has
# seen them all); valid variants are drawn all for fast calls, one for slow ones.
settings.register_profile(
    "course",
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "explore", max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
PROFILE = settings.get_profile(os.environ.get("COURSE_FUZZ_PROFILE", "course"))
NAMES = sorted(SPECIMENS)


def test_every_public_callable_has_a_specimen():
    public = set(fz.public_callables())
    missing = sorted(public - set(SPECIMENS) - set(EXCLUDED))
    assert not missing, (
        f"public callables without a specimen: {missing}. Add a valid call to "
        "tests/api_specimens.py (see CONTRIBUTING.md), or an entry with a reason to EXCLUDED."
    )
    stale = sorted((set(SPECIMENS) | set(EXCLUDED)) - public)
    assert not stale, f"specimens or exclusions for callables that no longer exist: {stale}"
    assert not set(SPECIMENS) & set(EXCLUDED), "a callable is both fuzzed and excluded"


def _bad_choices(name: str) -> tuple[fz.Call, list[tuple[str, str, object]]]:
    specimen = SPECIMENS[name]
    made = specimen.make()
    choices = [
        (argument, label, bad)
        for argument, parameter in fz.arguments(specimen, made).items()
        if argument not in specimen.answers
        for label, bad in fz.bad_values(specimen, argument, parameter, fz.current_value(made, argument))
    ]
    return made, choices


@pytest.mark.parametrize("name", NAMES)
def test_bad_arguments_are_refused_clearly(name):
    made, choices = _bad_choices(name)
    if not choices:
        return  # only student answers: test_checks_give_a_verdict_for_any_answer covers them

    @settings(PROFILE, max_examples=max(PROFILE.max_examples, len(choices)))
    @given(st.sampled_from(choices))
    def refused(choice):
        argument, label, bad = choice
        result = fz.run(fz.with_argument(made, argument, bad), BAD_CALL_SECONDS)
        verdict = fz.judge_bad(result, argument)
        assert verdict == "clear", (
            f"{name} with {argument}={bad!r} ({label}): {verdict}; "
            f"{type(result.error).__name__ if result.error else 'returned'} {result.error or ''}"
        )

    refused()


@pytest.mark.parametrize("name", NAMES)
def test_numpy_scalars_and_lists_are_accepted(name):
    specimen = SPECIMENS[name]
    made = specimen.make()
    if not specimen.slow:  # a slow one (it trains) runs once, with a variant, below
        verdict = fz.judge_valid(fz.run(made, VALID_CALL_SECONDS), specimen)
        assert verdict == "accepted", f"the specimen call of {name} itself fails: {verdict}"
    variants = [
        (argument, label, value)
        for argument in fz.arguments(specimen, made)
        if argument not in specimen.answers
        for label, value in fz.numpy_variants(fz.current_value(made, argument))
    ]
    if not variants:
        if specimen.slow:
            verdict = fz.judge_valid(fz.run(made, VALID_CALL_SECONDS), specimen)
            assert verdict == "accepted", f"the specimen call of {name} itself fails: {verdict}"
        return

    @settings(PROFILE, max_examples=1 if specimen.slow else max(PROFILE.max_examples, len(variants)))
    @given(st.sampled_from(variants))
    def accepted(variant):
        argument, label, value = variant
        result = fz.run(fz.with_argument(made, argument, value), VALID_CALL_SECONDS)
        verdict = fz.judge_valid(result, specimen)
        assert verdict == "accepted", f"{name} with {argument} as {label} {value!r}: {verdict}"

    accepted()


def _forever(*args):
    while True:
        pass


def _raises(*args):
    raise RuntimeError("the student's bug")


ANSWERS = [
    None, ..., "text", b"bytes", 3, -1, 2.5, float("nan"), float("inf"), 10**400, 1 + 2j, True,
    [], [1, 2], (1, 2, 3), {"a": 1}, object(), np.array([np.nan]), np.zeros((2, 2)),
    np.array(["a"]), np.array([object()]), lambda *args: None, lambda *args: "text",
    lambda *args: float("nan"), lambda *args: np.full(3, np.nan), lambda *args: 10**400,
    lambda *args: [[1], [2, 3]], _raises, _forever, lambda: 0, print,
]
CHECKS = sorted(name for name, specimen in SPECIMENS.items() if specimen.answers)


@pytest.mark.parametrize("name", CHECKS)
def test_checks_give_a_verdict_for_any_answer(name, monkeypatch):
    monkeypatch.setattr(checks, "TIME_LIMIT_S", CHECK_CALL_SECONDS)
    monkeypatch.setattr(exercise_common, "TRAINING_TIME_LIMIT_S", CHECK_CALL_SECONDS)
    specimen = SPECIMENS[name]
    made = specimen.make()
    choices = [(argument, answer) for argument in specimen.answers for answer in ANSWERS]

    @settings(PROFILE, max_examples=max(PROFILE.max_examples, len(choices)))
    @given(st.sampled_from(choices))
    def verdict(choice):
        argument, answer = choice
        result = fz.run(fz.with_argument(made, argument, answer), ANSWER_CALL_SECONDS)
        assert fz.judge_answer(result) == "verdict", f"{name} with {argument}={answer!r}"

    verdict()

"""One-line verdicts for checks that measure something instead of calling a function.

Predict and Model exercises compare a student's choice with a measurement, or train
with the student's settings and compare the result with a target; they report through
:func:`verdict`, with the same statuses and printing as :mod:`course_lib.checks`.
"""

from __future__ import annotations

from typing import Any

from ..checks import CheckResult, Outcome, Status


def is_stub(value: Any) -> bool:
    """True for an answer still left as ``...`` or None."""
    return value is None or value is Ellipsis


def verdict(name: str, status: Status, message: str, *, verbose: bool = True) -> CheckResult:
    """A :class:`CheckResult` holding one outcome, printed unless ``verbose`` is False."""
    result = CheckResult(name=name, outcomes=[Outcome(status, message)])
    if verbose:
        print(result)
    return result


def choice(answer: Any, options: dict[str, str]) -> str | None:
    """A multiple-choice answer normalised to a key of ``options`` ('b', '(B)', ' b ' -> 'b').

    Returns None when the answer is not one of the options.
    """
    if not isinstance(answer, str):
        return None
    key = answer.strip().strip("()").strip().lower()
    return key if key in options else None

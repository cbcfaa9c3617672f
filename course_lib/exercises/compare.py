"""Comparisons shared by the exercise checks of several notebooks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .. import validate
from ..checks import as_numpy, describe_mismatch


def pair_of(
    names: Sequence[str] = ("first returned value", "second returned value"),
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
) -> Callable[[tuple, Any], str | None]:
    """A ``compare`` for :func:`course_lib.checks.check_function` whose answer is a pair.

    The feedback names the member of the pair that is wrong (``names``), so a student
    who returns ``(penalty, gradient)`` learns which of the two to fix.
    """
    names = validate.items("names", names, "two names")
    if len(names) != 2:
        raise ValueError(f"names must hold two names, got {len(names)}")
    names = [validate.text(f"names[{i}]", label) for i, label in enumerate(names)]
    rtol = validate.positive("rtol", rtol, allow_zero=True)
    atol = validate.positive("atol", atol, allow_zero=True)

    def compare(expected: tuple, got: Any) -> str | None:
        got = as_numpy(got)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return f"expected a pair ({names[0]}, {names[1]}), got {type(got).__name__}"
        for label, want, have in zip(names, expected, got, strict=True):
            reason = describe_mismatch(want, have, rtol=rtol, atol=atol)
            if reason:
                return f"the {label} is wrong: {reason}"
        return None

    return compare

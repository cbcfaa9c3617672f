"""Exercise feedback: run a student's answer on cases and say clearly how it did.

A check never raises. It prints one line per outcome:

* ``✅ correct`` when every case matches;
* ``❌ wrong`` with the case, what was expected, what came back, and a hint;
* ``⏳ not attempted`` when the answer is still a stub (``raise NotImplementedError``,
  ``None`` or ``...``);
* ``💥 crashed`` with the student's exception summarised and where it happened.

Example::

    result = checks.check_function(
        to_unit_range,
        [checks.Case(args=(np.array([0, 255], dtype=np.uint8),), expected=np.array([0.0, 1.0]))],
        name="to_unit_range",
        hint="divide by the largest possible pixel value",
    )
    result.passed  # True or False, for graders

The returned :class:`CheckResult` does not display again in a notebook (the lines are
already printed), but ``print(result)`` shows them.

Answers are accepted in any form a student may reasonably write them: Python numbers,
NumPy scalars, 0-d arrays, TensorFlow tensors (converted with ``.numpy()``), and lists
where an array is expected.

**Time limit.** Each call of the student's function may take :data:`TIME_LIMIT_S`
seconds (``time_limit=`` changes it). A call that takes longer is reported as "your
function took longer than N s" and the remaining cases are skipped. How it is stopped:
where the operating system allows it (Linux and macOS, when the check runs in the main
thread, as it does in a Jupyter kernel) an interval timer interrupts the call, so an
endless Python loop really stops. Elsewhere (Windows, or a check called from another
thread) the call runs in a helper thread; a Python thread cannot be killed, so after the
limit the check reports, asks the thread to stop at its next Python instruction
(``PyThreadState_SetAsyncExc``) and moves on without waiting; a call stuck inside one
long C routine finishes that routine in the background first.
"""

from __future__ import annotations

import copy
import ctypes
import enum
import gc
import numbers
import os
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import validate

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))

TIME_LIMIT_S = 10.0
"""Seconds each call of a student's function may take before the check stops it."""


class Status(enum.Enum):
    CORRECT = "✅ correct"
    WRONG = "❌ wrong"
    NOT_ATTEMPTED = "⏳ not attempted"
    CRASHED = "💥 crashed"


@dataclass(frozen=True)
class Outcome:
    status: Status
    message: str

    def __str__(self) -> str:
        return f"{self.status.value}: {self.message}"


@dataclass
class CheckResult:
    """The outcome of one check; ``passed`` is True only if every case was correct."""

    name: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.outcomes) and all(o.status is Status.CORRECT for o in self.outcomes)

    @property
    def status(self) -> Status:
        for status in (Status.NOT_ATTEMPTED, Status.CRASHED, Status.WRONG):
            if any(o.status is status for o in self.outcomes):
                return status
        return Status.CORRECT

    def __str__(self) -> str:
        return "\n".join(str(outcome) for outcome in self.outcomes)

    def __bool__(self) -> bool:
        return self.passed

    def _ipython_display_(self) -> None:
        # The lines were printed when the check ran; showing them twice would confuse.
        return None


@dataclass(frozen=True)
class Case:
    """One call of the student's function and the answer it should give.

    ``label`` describes the case in feedback; by default the call is written out.
    """

    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    expected: Any = None
    label: str | None = None


def _short(value: Any, limit: int = 80) -> str:
    if isinstance(value, np.ndarray):
        if value.size > 6:
            text = f"array of shape {value.shape}, dtype {value.dtype}"
        else:
            text = (
                f"array({np.array2string(value, precision=4, separator=', ')}, dtype={value.dtype})"
            )
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python number it holds, so feedback reads ``2.0``."""
    return value.item() if isinstance(value, np.generic) else value


def as_numpy(value: Any) -> Any:
    """A student's answer with tensors turned into NumPy arrays, inside tuples and lists too.

    Anything with a ``.numpy()`` method (TensorFlow eager tensors, Keras variables) becomes
    the array it holds; everything else is returned unchanged.
    """
    if isinstance(value, tuple | list):
        converted = [as_numpy(item) for item in value]
        return type(value)(converted) if isinstance(value, list) else tuple(converted)
    if not isinstance(value, np.ndarray | np.generic) and callable(getattr(value, "numpy", None)):
        try:
            return np.asarray(value.numpy())
        except Exception:  # noqa: BLE001 - not really a tensor: compare it as it is
            return value
    return value


def _is_stub(value: Any) -> bool:
    return value is None or value is Ellipsis


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number | np.number) and not isinstance(
        value, bool | np.bool_
    )


def describe_mismatch(
    expected: Any, got: Any, *, rtol: float = 1e-5, atol: float = 1e-8, check_dtype: bool = False
) -> str | None:
    """Return None if ``got`` matches ``expected``, else a short reason why not.

    Arrays are compared by shape, then (optionally) dtype, then values with
    ``np.allclose``-style tolerances; numbers with the same tolerances; anything
    else with ``==``. Tensors are compared as the arrays they hold. Never raises: an
    answer that cannot be compared is a mismatch.
    """
    rtol = validate.positive("rtol", rtol, allow_zero=True)
    atol = validate.positive("atol", atol, allow_zero=True)
    check_dtype = validate.flag("check_dtype", check_dtype)
    try:
        return _mismatch(expected, as_numpy(got), rtol=rtol, atol=atol, check_dtype=check_dtype)
    except Exception as error:  # noqa: BLE001 - a malformed answer is a mismatch, not a crash
        return f"the answer could not be compared ({type(error).__name__}: {error})"


def _mismatch(expected: Any, got: Any, *, rtol: float, atol: float, check_dtype: bool) -> str | None:
    if isinstance(expected, np.ndarray):
        try:
            got_array = np.asarray(got)
        except Exception:  # noqa: BLE001 - any conversion error means "not an array"
            return f"expected an array, got {type(got).__name__}"
        if got_array.dtype == object:
            return f"expected a numeric array, got {type(got).__name__} {_short(got)}"
        if got_array.shape != expected.shape:
            return f"expected shape {expected.shape}, got shape {got_array.shape}"
        if check_dtype and got_array.dtype != expected.dtype:
            return f"expected dtype {expected.dtype}, got dtype {got_array.dtype}"
        if expected.dtype.kind in "biuf" and got_array.dtype.kind in "biuf":
            if (
                np.isnan(got_array.astype(float)).any()
                and not np.isnan(expected.astype(float)).any()
            ):
                return "the result contains NaN"
            close = np.isclose(got_array, expected, rtol=rtol, atol=atol, equal_nan=True)
            if not close.all():
                where = tuple(int(i) for i in np.argwhere(~close)[0])
                return (
                    f"{int((~close).sum())} of {close.size} values differ; first at index "
                    f"{where}: expected {_plain(expected[where])!r}, got {_plain(got_array[where])!r}"
                )
            return None
        if not np.array_equal(got_array, expected):
            return f"expected {_short(expected)}, got {_short(got_array)}"
        return None
    if _is_number(expected):
        if not _is_number(got):
            if isinstance(got, np.ndarray) and got.size == 1 and got.dtype.kind in "iufc":
                got = got.item()
            else:
                return f"expected a number, got {type(got).__name__} {_short(got)}"
        if isinstance(got, numbers.Integral | np.integer) and isinstance(
            expected, numbers.Integral | np.integer
        ):
            if int(got) == int(expected):
                return None  # exact, even beyond floating point's range
        try:
            got_float, expected_float = complex(got), complex(expected)
        except OverflowError:
            return f"expected {_plain(expected)!r}, got a number too large to compare"
        if not np.isclose(got_float, expected_float, rtol=rtol, atol=atol):
            return f"expected {_plain(expected)!r}, got {_plain(got)!r}"
        return None
    try:
        equal = bool(got == expected)
    except Exception:  # noqa: BLE001 - ambiguous comparisons count as a mismatch
        equal = False
    if not equal:
        return f"expected {_short(expected)}, got {_short(got)}"
    return None


def _where(error: BaseException) -> str:
    """The innermost frame outside course_lib, i.e. the student's line."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not os.path.abspath(frame.filename).startswith(_PACKAGE_DIR)
    ]
    if not frames:
        return ""
    frame = frames[-1]
    return f" (in {frame.name}, line {frame.lineno})"


class _TimeLimitExceeded(BaseException):
    """Raised inside a student's call that ran past its time limit.

    A ``BaseException``, so a student's ``except Exception`` cannot swallow it.
    """


def _call_with_time_limit(func: Callable[..., Any], args: tuple, kwargs: dict, seconds: float) -> Any:
    """``func(*args, **kwargs)``, stopped with :class:`_TimeLimitExceeded` after ``seconds``."""
    use_timer = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if use_timer:
        return _call_with_timer(func, args, kwargs, seconds)
    return _call_in_thread(func, args, kwargs, seconds)


def _in_finaliser(frame: Any) -> bool:
    """True while Python runs a finaliser (``__del__``, a weakref callback, a garbage
    collector callback) or reports an exception raised in one: an exception raised there
    is only printed as "Exception ignored", so the time limit waits for the next tick of
    its timer."""
    collector_callbacks = {getattr(getattr(callback, "__func__", callback), "__code__", None)
                           for callback in gc.callbacks}
    while frame is not None:
        code = frame.f_code
        if code.co_name == "__del__" or code in collector_callbacks or code.co_filename.endswith(
            ("weakref.py", "unraisableexception.py")
        ):
            return True
        frame = frame.f_back
    return False


def _call_with_timer(func: Callable[..., Any], args: tuple, kwargs: dict, seconds: float) -> Any:
    active, fired = [True], [False]

    def interrupt(signum: int, frame: Any) -> None:
        if active[0] and not _in_finaliser(frame):
            fired[0] = True
            raise _TimeLimitExceeded

    previous_handler = signal.signal(signal.SIGALRM, interrupt)
    # Fire again every 0.2 s in case the student's code catches the first one.
    previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds, 0.2)
    try:
        return func(*args, **kwargs)
    except Exception as error:
        # Raised inside compiled code (TensorFlow's C++), the time limit can come back
        # converted into another exception: after the timer fired, any error is the limit.
        if fired[0]:
            raise _TimeLimitExceeded from error
        raise
    finally:
        active[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_timer[0] > 0:  # someone else's timer was running: let it continue
            signal.setitimer(signal.ITIMER_REAL, *previous_timer)


def _call_in_thread(func: Callable[..., Any], args: tuple, kwargs: dict, seconds: float) -> Any:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = func(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - handed back to the calling thread
            outcome["error"] = error

    worker = threading.Thread(target=run, name="course-check", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        # Ask the thread to stop at its next Python instruction, and move on.
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(worker.ident or 0), ctypes.py_object(_TimeLimitExceeded)
        )
        raise _TimeLimitExceeded
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _crash(error: BaseException, context: str) -> Outcome:
    summary = f"{type(error).__name__}: {error}".strip().rstrip(":")
    return Outcome(Status.CRASHED, f"{context} raised {summary}{_where(error)}")


def _with_hint(message: str, hint: str) -> str:
    return f"{message}. Hint: {hint}" if hint else message


def _report(result: CheckResult, verbose: bool) -> CheckResult:
    if verbose:
        print(result)
    return result


NOT_ATTEMPTED_FUNCTION = (
    "{name} is still the stub: replace `raise NotImplementedError` with your code "
    "and run that cell again"
)


def check_function(
    func: Callable[..., Any] | None,
    cases: Sequence[Case],
    *,
    name: str | None = None,
    hint: str = "",
    rtol: float = 1e-5,
    atol: float = 1e-8,
    check_dtype: bool = False,
    compare: Callable[[Any, Any], str | None] | None = None,
    verbose: bool = True,
    time_limit: float | None = None,
) -> CheckResult:
    """Call ``func`` on every case and compare with the expected answers.

    Args:
        func: the student's function (None or ``...`` count as not attempted).
        cases: the calls to make; arguments are deep-copied so a function that
            modifies its input cannot spoil later cases.
        name: how to call the function in feedback (defaults to its ``__name__``).
        hint: one sentence shown with a wrong or crashed outcome.
        rtol, atol, check_dtype: passed to :func:`describe_mismatch`.
        compare: a replacement for :func:`describe_mismatch`, ``(expected, got) ->
            None | reason``, for answers that need a custom comparison.
        verbose: print the outcome lines (default) or stay silent.
        time_limit: seconds each call may take (default :data:`TIME_LIMIT_S`).

    The arguments other than ``func`` come from the course and are checked (a mistake
    there raises ``TypeError``/``ValueError``); whatever ``func`` is or does, the check
    prints its verdict and never raises.
    """
    cases = _cases(cases)
    if name is not None:
        name = validate.text("name", name)
    hint = validate.text("hint", hint, allow_empty=True)
    rtol = validate.positive("rtol", rtol, allow_zero=True)
    atol = validate.positive("atol", atol, allow_zero=True)
    check_dtype = validate.flag("check_dtype", check_dtype)
    if compare is not None:
        compare = validate.callable_("compare", compare)
    verbose = validate.flag("verbose", verbose)
    limit = TIME_LIMIT_S if time_limit is None else validate.positive("time_limit", time_limit)
    label = name or _function_name(func)
    try:
        result = _run_cases(func, cases, label, hint, rtol, atol, check_dtype, compare, limit)
    except Exception as error:  # noqa: BLE001 - the check itself must never raise
        result = CheckResult(name=label)
        result.outcomes.append(
            Outcome(Status.CRASHED, f"{label} could not be checked ({type(error).__name__}: {error})")
        )
    return _report(result, verbose)


def _function_name(func: Any) -> str:
    name = getattr(func, "__name__", None)
    return name if isinstance(name, str) and name != "<lambda>" else "your function"


def _cases(cases: Any) -> list[Case]:
    items = validate.items("cases", cases, "checks.Case objects")
    if not items:
        raise ValueError("cases must hold at least one Case")
    for i, case in enumerate(items):
        validate.instance(f"cases[{i}]", case, Case, "a checks.Case")
    return items


def _run_cases(
    func: Any,
    cases: list[Case],
    label: str,
    hint: str,
    rtol: float,
    atol: float,
    check_dtype: bool,
    compare: Callable[[Any, Any], str | None] | None,
    limit: float,
) -> CheckResult:
    result = CheckResult(name=label)
    if _is_stub(func):
        result.outcomes.append(
            Outcome(Status.NOT_ATTEMPTED, NOT_ATTEMPTED_FUNCTION.format(name=label))
        )
        return result
    if not callable(func):
        result.outcomes.append(
            Outcome(
                Status.WRONG,
                _with_hint(
                    f"{label} should be a function, but it is {type(func).__name__} {_short(func)}",
                    "define it with `def`",
                ),
            )
        )
        return result

    failures: list[Outcome] = []
    returned_none = 0
    for case in cases:
        call = case.label or "{}({})".format(
            label,
            ", ".join(
                [_short(a, 40) for a in case.args]
                + [f"{k}={_short(v, 40)}" for k, v in case.kwargs.items()]
            ),
        )
        args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
        try:
            got = as_numpy(_call_with_time_limit(func, args, kwargs, limit))
        except NotImplementedError:
            result.outcomes = [
                Outcome(Status.NOT_ATTEMPTED, NOT_ATTEMPTED_FUNCTION.format(name=label))
            ]
            return result
        except _TimeLimitExceeded:
            skipped = len(cases) - len(failures) - 1
            failures.append(
                Outcome(
                    Status.WRONG,
                    f"your function took longer than {limit:g} s on {call} and was stopped: "
                    "look for a loop that never ends"
                    + (f" ({skipped} other case{'s' * (skipped != 1)} not run)" if skipped else ""),
                )
            )
            break
        except (Exception, SystemExit) as error:  # noqa: BLE001 - any student error becomes feedback
            failures.append(_crash(error, call))
            continue
        if got is None and case.expected is not None:
            returned_none += 1
            failures.append(Outcome(Status.WRONG, f"{call} returned None: is a `return` missing?"))
            continue
        try:
            reason = (
                compare
                or (
                    lambda e, g: describe_mismatch(
                        e, g, rtol=rtol, atol=atol, check_dtype=check_dtype
                    )
                )
            )(case.expected, got)
        except Exception as error:  # noqa: BLE001 - a malformed answer must not crash the check
            reason = f"the result could not be compared ({type(error).__name__}: {error})"
        if reason:
            failures.append(Outcome(Status.WRONG, f"{call}: {reason}"))

    if not failures:
        count = len(cases)
        result.outcomes.append(
            Outcome(Status.CORRECT, f"{label} passes all {count} test case{'s' * (count != 1)}")
        )
        return result
    if returned_none == len(cases):
        result.outcomes.append(
            Outcome(
                Status.NOT_ATTEMPTED,
                f"{label} returned None for every case: write its body and end it with `return`",
            )
        )
        return result
    # One line per outcome: the first failing case in full, and how many others failed.
    first = failures[0]
    message = first.message
    if len(failures) > 1:
        message += f" (and {len(failures) - 1} more of the {len(cases)} cases fail)"
    result.outcomes.append(Outcome(first.status, _with_hint(message, hint)))
    return result


def check_value(
    value: Any,
    expected: Any,
    *,
    name: str = "your answer",
    hint: str = "",
    rtol: float = 1e-5,
    atol: float = 1e-8,
    check_dtype: bool = False,
    verbose: bool = True,
) -> CheckResult:
    """Compare one value (a number, array, string...) with the expected answer.

    ``value`` is the student's answer: whatever it is, the check never raises.
    """
    name = validate.text("name", name)
    hint = validate.text("hint", hint, allow_empty=True)
    rtol = validate.positive("rtol", rtol, allow_zero=True)
    atol = validate.positive("atol", atol, allow_zero=True)
    check_dtype = validate.flag("check_dtype", check_dtype)
    verbose = validate.flag("verbose", verbose)
    result = CheckResult(name=name)
    if _is_stub(value):
        result.outcomes.append(
            Outcome(
                Status.NOT_ATTEMPTED,
                f"{name} is not filled in yet: replace `...` (or None) with your answer and run the cell",
            )
        )
        return _report(result, verbose)
    reason = describe_mismatch(expected, value, rtol=rtol, atol=atol, check_dtype=check_dtype)
    if reason:
        result.outcomes.append(Outcome(Status.WRONG, _with_hint(f"{name}: {reason}", hint)))
    else:
        result.outcomes.append(Outcome(Status.CORRECT, f"{name} is right"))
    return _report(result, verbose)

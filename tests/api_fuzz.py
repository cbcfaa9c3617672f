"""The machinery of the argument fuzz: find course_lib's public callables, swap one
argument of a valid call for a bad value, and judge what happens.

The valid calls ("specimens") live in ``api_specimens.py``; ``test_api_fuzz.py`` runs them
under Hypothesis and ``scripts/api_fuzz_table.py`` runs every swap and prints a table.

What a call with a bad argument must do: raise ``TypeError`` or ``ValueError`` from a
``raise`` statement in course_lib, naming the argument, within the time limit. What a call
with a valid NumPy scalar (or an array given as a list) must do: return, without NaN or an
empty array in the result. What an exercise check must do with any answer: return a
verdict, never raise.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import math
import numbers
import pkgutil
import signal
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np

import course_lib

PACKAGE_DIR = Path(course_lib.__file__).resolve().parent


# ------------------------------------------------------------------------------ calls


@dataclass(frozen=True)
class Call:
    """A callable and the arguments of one valid call."""

    func: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


def call(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Call:
    return Call(func, args, kwargs)


@dataclass(frozen=True)
class Specimen:
    """How to make a valid call of one public callable, and what its arguments accept.

    Attributes:
        make: builds the valid call (lazily: it may build a Keras model).
        bad: more invalid values per argument, beyond the generic ones its type implies
            (the edges of its domain: 0 for a count, a negative step size...).
        ok: per argument, labels of generic bad values that are in fact valid there
            (see :func:`generic_bad`), e.g. ``{"a": ("scalar",)}`` for any-shaped input.
        answers: arguments that take a student's answer: any value gives a verdict.
        fixed: arguments the fuzz leaves alone (with a reason in a comment).
        text: string arguments that are free text, not one of a few option names.
        nan_result: NaN in the result is by design (e.g. gaps in a mosaic).
        slow: a valid call takes seconds (it trains): fewer valid variants are run.
    """

    make: Callable[[], Call]
    bad: Mapping[str, tuple] = field(default_factory=dict)
    ok: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    answers: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    nan_result: bool = False
    slow: bool = False


# -------------------------------------------------------------------------- discovery


def public_callables() -> dict[str, Callable[..., Any]]:
    """Every public function, class and method defined in course_lib, by qualified name.

    A callable without arguments (``data.availability()``, a method taking only ``self``)
    has nothing to swap and is left out.
    """
    found: dict[str, Callable[..., Any]] = {}
    modules = [course_lib] + [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(course_lib.__path__, "course_lib.")
    ]
    for module in modules:
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                found[f"{module.__name__}.{name}"] = obj
            elif inspect.isclass(obj):
                found[f"{module.__name__}.{name}"] = obj
                for method_name, method in vars(obj).items():
                    if not method_name.startswith("_") and inspect.isfunction(method):
                        found[f"{module.__name__}.{name}.{method_name}"] = method
    return {name: obj for name, obj in found.items() if _has_arguments(obj)}


def _has_arguments(obj: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(p.name != "self" for p in parameters)


# ------------------------------------------------------------------------- arguments


def arguments(specimen: Specimen, made: Call) -> dict[str, inspect.Parameter]:
    """The arguments of a call that the fuzz swaps, by name, with their parameters."""
    signature = inspect.signature(made.func)
    bound = signature.bind(*made.args, **made.kwargs)
    bound.apply_defaults()
    chosen = {}
    for name, value in bound.arguments.items():
        parameter = signature.parameters[name]
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if name in specimen.fixed or (value is None and name not in specimen.answers):
            continue  # None: nothing says what a valid value looks like
        chosen[name] = parameter
    return chosen


def with_argument(made: Call, name: str, value: Any) -> Call:
    """The same call with argument ``name`` replaced by ``value``."""
    signature = inspect.signature(made.func)
    bound = signature.bind(*made.args, **made.kwargs)
    bound.apply_defaults()
    bound.arguments[name] = value
    return Call(made.func, tuple(bound.args), dict(bound.kwargs))


def current_value(made: Call, name: str) -> Any:
    bound = inspect.signature(made.func).bind(*made.args, **made.kwargs)
    bound.apply_defaults()
    return bound.arguments[name]


class _Opaque:
    """Some object of no use to any course function."""

    def __repr__(self) -> str:
        return "<an object>"


OPAQUE = _Opaque()
NAN, INF = float("nan"), float("inf")


def _is_keras_model(value: Any) -> bool:
    keras = __import__("sys").modules.get("keras")
    return keras is not None and isinstance(value, keras.Model)


def _is_keras_tensor(value: Any) -> bool:
    keras = __import__("sys").modules.get("keras")
    return keras is not None and isinstance(value, keras.KerasTensor)


def generic_bad(value: Any) -> list[tuple[str, Any]]:
    """Invalid values for an argument whose valid value is ``value``, with labels."""
    common = [("None", None), ("object", OPAQUE)]
    if isinstance(value, bool | np.bool_):
        return common + [("str", "yes"), ("float", 0.5)]
    if isinstance(value, numbers.Integral):
        return common + [
            ("str", "3"), ("float", 2.5), ("nan", NAN), ("inf", INF), ("complex", 1 + 2j),
            ("bool", True), ("list", [int(value)]),
        ]
    if isinstance(value, numbers.Real):
        return common + [
            ("str", "0.5"), ("nan", NAN), ("inf", INF), ("-inf", -INF), ("complex", 1 + 2j),
            ("bool", True), ("list", [float(value)]),
        ]
    if isinstance(value, str):
        return common + [("int", 3), ("bytes", b"abc"), ("unknown", "no such option")]
    if isinstance(value, np.ndarray):
        return common + _bad_arrays(value)
    if _is_keras_model(value):
        return common + [("str", "model"), ("array", np.zeros((2, 2)))]
    if _is_keras_tensor(value):
        return common + [("str", "x"), ("array", np.zeros((1, 8, 8, 3), np.float32))]
    if isinstance(value, Mapping):
        return common + [("str", "abc"), ("list", [1, 2])]
    if isinstance(value, list | tuple):
        return common + _bad_sequences(value)
    if callable(value) and not inspect.isclass(value):
        return common + [("str", "f"), ("int", 3)]
    return common + [("str", "x"), ("int", 3)]


def _bad_arrays(value: np.ndarray) -> list[tuple[str, Any]]:
    bad: list[tuple[str, Any]] = [
        ("str", "abc"),
        ("empty", np.empty((0, *value.shape[1:]), dtype=value.dtype)),
        ("complex", value.astype(complex) + 1j),
        ("object-array", np.array([OPAQUE] * max(value.size, 1), dtype=object)),
        ("bool-array", np.ones(value.shape, dtype=bool)),
        ("rank+2", value[..., None, None]),
    ]
    if value.ndim >= 1:
        bad.append(("scalar", np.array(value.ravel()[0])))
    if value.dtype.kind == "f":
        with_nan, with_inf = value.copy(), value.copy()
        with_nan.flat[0], with_inf.flat[0] = np.nan, np.inf
        bad += [("nan-array", with_nan), ("inf-array", with_inf)]
    elif value.dtype.kind in "iu":
        bad.append(("fractional-array", value + 0.5))
    return bad


def _bad_sequences(value: list | tuple) -> list[tuple[str, Any]]:
    kind = type(value)
    rest = list(value[1:])
    bad: list[tuple[str, Any]] = [("str", "abc"), ("empty", kind())]
    if value and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value):
        bad += [
            ("nan-item", kind([NAN, *rest])),
            ("str-item", kind(["a", *rest])),
            ("complex-item", kind([1 + 2j, *rest])),
            ("nested", kind([list(value)])),
        ]
    elif value and all(isinstance(v, str) for v in value):
        bad += [("int-item", kind([3, *rest])), ("unknown-item", kind(["no such option", *rest]))]
    elif value:
        bad += [("None-item", kind([None, *rest]))]
    return bad


def bad_values(specimen: Specimen, name: str, parameter: inspect.Parameter, value: Any) -> list[tuple[str, Any]]:
    """The invalid values to try for argument ``name``: generic ones, minus those the
    specimen says are valid there, plus its own."""
    allowed = set(specimen.ok.get(name, ()))
    if parameter.default is None or "None" in str(parameter.annotation):
        allowed.add("None")
    if name in specimen.text:
        allowed.update(("unknown", "unknown-item"))
    chosen = [(label, bad) for label, bad in generic_bad(value) if label not in allowed]
    return chosen + [("domain", bad) for bad in specimen.bad.get(name, ())]


def numpy_variants(value: Any) -> list[tuple[str, Any]]:
    """Valid ways to write ``value`` that a function must accept as well as ``value``."""
    if isinstance(value, bool | np.bool_):
        return [("np.bool_", np.bool_(value))]
    if isinstance(value, numbers.Integral):
        variants = [("np.int64", np.int64(value)), ("0-d array", np.array(int(value)))]
        if -(2**31) <= int(value) < 2**31:
            variants.append(("np.int32", np.int32(value)))
        return variants
    if isinstance(value, numbers.Real):
        return [
            ("np.float64", np.float64(value)),
            ("np.float32", np.float32(value)),
            ("0-d array", np.array(float(value))),
        ]
    if (
        isinstance(value, list | tuple)
        and value
        and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value)
    ):
        return [("ndarray", np.array(value))]
    if isinstance(value, np.ndarray) and value.ndim >= 1 and value.dtype.kind in "iuf":
        variants = [("list", value.tolist())]
        if value.dtype == np.float64:
            variants.append(("float32", value.astype(np.float32)))
        return variants
    return []


# --------------------------------------------------------------------------- running


class CallTimedOut(BaseException):
    """The call ran past its time limit (a BaseException, so no ``except Exception`` eats it)."""


@dataclass
class Result:
    """What one call did: returned a value, raised, or ran out of time."""

    value: Any = None
    error: BaseException | None = None
    timed_out: bool = False
    seconds: float = 0.0


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield  # no timer here: rely on the test run's own limits
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise CallTimedOut

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run(made: Call, seconds: float) -> Result:
    """Make the call quietly (no printing, figures closed) within ``seconds``."""
    import time

    result = Result()
    start = time.perf_counter()
    try:
        with (
            _time_limit(seconds),
            contextlib.redirect_stdout(io.StringIO()),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", np.exceptions.ComplexWarning)
            result.value = made.func(*made.args, **made.kwargs)
    except CallTimedOut:
        result.timed_out = True
    except Exception as error:  # noqa: BLE001 - judged by the caller
        result.error = error
    finally:
        result.seconds = time.perf_counter() - start
        _close_figures()
    return result


def _close_figures() -> None:
    pyplot = __import__("sys").modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def nan_or_empty(value: Any, depth: int = 0) -> str | None:
    """Why ``value`` looks like a silent failure (NaN, or an empty array), or None."""
    if depth > 3:
        return None
    if isinstance(value, np.ndarray | np.generic) and np.asarray(value).dtype.kind in "fc":
        array = np.asarray(value)
        if array.size == 0:
            return f"an empty array of shape {array.shape}"
        if np.isnan(array).any():
            return "NaN in the result"
        return None
    if isinstance(value, np.ndarray) and value.size == 0:
        return f"an empty array of shape {value.shape}"
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, list | tuple):
        for item in list(value)[:50]:
            reason = nan_or_empty(item, depth + 1)
            if reason:
                return reason
    if isinstance(value, Mapping):
        for item in list(value.values())[:50]:
            reason = nan_or_empty(item, depth + 1)
            if reason:
                return reason
    if is_dataclass(value) and not isinstance(value, type):
        for item in fields(value):
            reason = nan_or_empty(getattr(value, item.name), depth + 1)
            if reason:
                return reason
    return None


def _origin(error: BaseException) -> tuple[str, str]:
    """Where an exception was raised: (package, source line) of the innermost frame."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "python", ""
    last = frames[-1]
    path = Path(last.filename).resolve()
    if PACKAGE_DIR in path.parents:
        return "course_lib", (last.line or "").strip()
    parts = path.parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0], (last.line or "").strip()
    return "python", (last.line or "").strip()


def judge_bad(result: Result, argument: str) -> str:
    """The outcome of a call with a bad ``argument``; ``"clear"`` is the only good one.

    ``clear``: a TypeError/ValueError raised by a ``raise`` statement in course_lib that
    names the argument. ``unnamed``: the same without the argument's name. ``generic
    <where>``: a TypeError/ValueError from somewhere else (NumPy, Keras, a Python builtin
    on a course_lib line). ``foreign <type>``: another exception type. ``accepted`` or
    ``nan/empty``: no exception at all. ``hang``: past the time limit.
    """
    if result.timed_out:
        return "hang"
    error = result.error
    if error is None:
        return "nan/empty" if nan_or_empty(result.value) else "accepted"
    if isinstance(error, np.exceptions.ComplexWarning):
        return "complex dropped"
    if not isinstance(error, TypeError | ValueError):
        return f"foreign {type(error).__name__}"
    package, line = _origin(error)
    if package == "course_lib" and line.startswith("raise"):
        return "clear" if argument in str(error) else "unnamed"
    where = "Python builtin on a course_lib line" if package == "course_lib" else package
    return f"generic {where}"


def judge_valid(result: Result, specimen: Specimen) -> str:
    """``"accepted"`` when a valid call returned a sound result, else what went wrong."""
    if result.timed_out:
        return "hang"
    if result.error is not None:
        return f"rejected ({type(result.error).__name__}: {result.error})"
    if not specimen.nan_result and (reason := nan_or_empty(result.value)):
        return f"returned {reason}"
    return "accepted"


def judge_answer(result: Result) -> str:
    """An exercise check given any answer: ``"verdict"`` when it returned without raising."""
    if result.timed_out:
        return "hang"
    if result.error is not None:
        return f"raised {type(result.error).__name__}: {result.error}"
    return "verdict"

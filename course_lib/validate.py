"""Argument checks for course_lib's public functions.

Students call the course's functions with whatever they type. Every public function
checks its arguments at the boundary with these helpers, so a bad value raises a
``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong value) that names
the argument, says what was expected and shows what was given, instead of a NumPy,
Keras or TensorFlow error from deep inside, a hang, or a silent NaN.

Each helper returns the value converted to the type the function works with::

    num_steps = validate.count("num_steps", num_steps)            # int >= 1
    learning_rate = validate.positive("learning_rate", learning_rate)
    x = validate.array("x", x, shape=(None, None, None), layout="(batch, time, features)")

NumPy scalars (``np.float32(0.1)``, ``np.int64(3)``) and 0-d arrays are accepted wherever
a Python number is; booleans are not numbers here.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "array",
    "axes",
    "callable_",
    "choice",
    "choices",
    "count",
    "counts",
    "describe",
    "flag",
    "fraction",
    "index",
    "instance",
    "integer",
    "items",
    "keras_tensor",
    "layer_name",
    "logs",
    "mapping",
    "model",
    "pair",
    "positive",
    "real",
    "reals",
    "seed",
    "shape",
    "text",
]


def describe(value: Any, limit: int = 60) -> str:
    """A short description of ``value`` for error messages: its type and a clipped repr."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if shape is not None and dtype is not None and not isinstance(value, np.generic):
        return f"a {type(value).__name__} of shape {tuple(shape)} and dtype {dtype}"
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{type(value).__name__} {text}"


def _scalar(value: Any) -> Any:
    """Unwrap NumPy scalars, 0-d arrays and 0-d tensors into Python numbers."""
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "shape") and tuple(getattr(value, "shape", ())) == () and hasattr(
        value, "numpy"
    ):
        value = value.numpy()  # a 0-d tensor
    if isinstance(value, np.ndarray) and value.shape == ():
        return value.item()
    return value


def real(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    finite: bool = True,
) -> float:
    """A real number (not a bool, not complex, not NaN), optionally within bounds.

    ``low``/``high`` are inclusive unless ``low_open``/``high_open`` is set.
    """
    plain = _scalar(value)
    if isinstance(plain, bool) or not isinstance(plain, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {describe(value)}")
    number = float(plain)
    if math.isnan(number) or (finite and math.isinf(number)):
        raise ValueError(f"{name} must be a finite number, got {number}")
    if low is not None and (number < low or (low_open and number == low)):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {number}")
    if high is not None and (number > high or (high_open and number == high)):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high}, got {number}")
    return number


def positive(name: str, value: Any, *, allow_zero: bool = False) -> float:
    """A finite number > 0 (or >= 0 with ``allow_zero``)."""
    return real(name, value, low=0.0, low_open=not allow_zero)


def fraction(name: str, value: Any, *, closed: bool = False) -> float:
    """A number strictly between 0 and 1 (or in [0, 1] with ``closed``)."""
    return real(name, value, low=0.0, high=1.0, low_open=not closed, high_open=not closed)


def integer(
    name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """A whole number given as an int or NumPy integer (never a float or a bool)."""
    plain = _scalar(value)
    if isinstance(plain, bool) or not isinstance(plain, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {describe(value)}")
    number = int(plain)
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {number}")
    return number


def count(name: str, value: Any, *, minimum: int = 1, maximum: int | None = None) -> int:
    """A count: an int >= ``minimum`` (1 by default)."""
    return integer(name, value, minimum=minimum, maximum=maximum)


def seed(name: str, value: Any) -> int:
    """A random seed: a non-negative int below 2**32."""
    return integer(name, value, minimum=0, maximum=2**32 - 1)


def index(name: str, value: Any, size: int) -> int:
    """A position in ``range(size)``; negative indices are refused, not wrapped."""
    if size < 1:
        raise ValueError(f"{name} cannot index an empty collection")
    return integer(name, value, minimum=0, maximum=size - 1)


def choice(name: str, value: Any, options: Sequence[str]) -> str:
    """One of ``options`` (strings), compared exactly."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {tuple(options)}, got {describe(value)}")
    if value not in options:
        raise ValueError(f"{name} must be one of {tuple(options)}, got {value!r}")
    return value


def callable_(name: str, value: Any) -> Callable:
    """Something that can be called."""
    if not callable(value):
        raise TypeError(f"{name} must be callable (a function), got {describe(value)}")
    return value


def array(
    name: str,
    value: Any,
    *,
    ndim: int | Sequence[int] | None = None,
    shape: Sequence[int | None] | None = None,
    layout: str | None = None,
    kind: str = "real",
    dtype: Any = np.float64,
    finite: bool = True,
    min_size: int = 1,
) -> np.ndarray:
    """A NumPy array of real numbers (or integers) with the expected rank and shape.

    Args:
        name: the argument's name, for messages.
        value: anything array-like: arrays, lists, tensors.
        ndim: the allowed number of dimensions (an int or several).
        shape: the expected shape; ``None`` entries match any size. Implies ``ndim``.
        layout: how to describe the expected shape in a message, e.g.
            ``"(batch, height, width, channels)"``.
        kind: ``"real"`` (ints, floats; converted to ``dtype``) or ``"int"`` (integers
            only, returned as int64).
        dtype: the float dtype a real array is converted to; None keeps the array's own
            floating dtype (ints become float64).
        finite: refuse NaN and infinity.
        min_size: the smallest number of elements allowed (1: no empty arrays).

    Raises:
        TypeError: None, strings, objects, booleans or complex numbers.
        ValueError: a wrong rank or shape, too few elements, non-finite values.
    """
    expected = f" {layout}" if layout else ""
    if value is None or isinstance(value, str | bytes | dict | set):
        raise TypeError(f"{name} must be an array{expected}, got {describe(value)}")
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    try:
        result = np.asarray(value)
    except (ValueError, TypeError) as error:  # ragged nested lists and the like
        raise TypeError(f"{name} must be an array{expected}, got {describe(value)}") from error
    if result.dtype == object or result.dtype.kind in "USVMmb" or np.iscomplexobj(result):
        what = "integers" if kind == "int" else "real numbers"
        raise TypeError(f"{name} must be an array of {what}, got {describe(result)}")
    if kind == "int":
        if result.dtype.kind not in "iu":
            if result.dtype.kind == "f" and result.size and np.all(np.isfinite(result)) and np.all(
                result == np.round(result)
            ):
                pass  # whole numbers stored as floats are fine
            else:
                raise TypeError(f"{name} must be an array of integers, got {describe(result)}")
        result = result.astype(np.int64)
    elif kind == "real":
        if dtype is None:
            result = result.astype(np.float64) if result.dtype.kind in "iu" else result
        else:
            result = result.astype(dtype, copy=False)
    else:
        raise ValueError(f"kind must be 'real' or 'int', got {kind!r}")
    if shape is not None:
        ndim = len(shape)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if result.ndim not in allowed:
            wanted = layout or " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {wanted}, got shape {result.shape}")
    if shape is not None:
        for axis, (size, want) in enumerate(zip(result.shape, shape, strict=True)):
            if want is not None and size != want:
                wanted = layout or str(tuple(shape)).replace("None", "any")
                raise ValueError(
                    f"{name} must have shape {wanted} with size {want} on axis {axis}, "
                    f"got shape {result.shape}"
                )
    if result.size < min_size:
        raise ValueError(f"{name} must hold at least {min_size} value(s), got shape {result.shape}")
    if finite and result.size and result.dtype.kind == "f" and not np.isfinite(result).all():
        raise ValueError(f"{name} must hold finite numbers, but it contains NaN or infinity")
    return result


# ----------------------------------------------------------------------------- more kinds
# Flags, names, sequences, shapes and Keras objects. Like the helpers above, each one
# returns the value in the form the function works with.


def flag(name: str, value: Any) -> bool:
    """True or False (a NumPy bool too); numbers and strings are refused."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {describe(value)}")


def text(name: str, value: Any, *, allow_empty: bool = False) -> str:
    """A string (a label, a title); empty or blank only with ``allow_empty``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {describe(value)}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def items(name: str, value: Any, what: str = "values") -> list:
    """The elements of a list, tuple, 1-D array or other iterable (not a string or dict).

    ``what`` describes the expected elements in the message, e.g. ``"layer names"``.
    """
    if value is None or isinstance(value, str | bytes | dict | set):
        raise TypeError(f"{name} must be a list of {what}, got {describe(value)}")
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise ValueError(f"{name} must be a flat list of {what}, got shape {value.shape}")
        return list(value)
    try:
        return list(value)
    except TypeError:
        raise TypeError(f"{name} must be a list of {what}, got {describe(value)}") from None


def counts(
    name: str,
    value: Any,
    *,
    minimum: int = 1,
    maximum: int | None = None,
    min_len: int = 1,
    max_len: int | None = None,
) -> list[int]:
    """A sequence of ints (layer widths, channel indices), each >= ``minimum``."""
    elements = items(name, value, "ints")
    if len(elements) < min_len:
        raise ValueError(f"{name} must hold at least {min_len} int(s), got {len(elements)}")
    if max_len is not None and len(elements) > max_len:
        raise ValueError(f"{name} must hold at most {max_len} int(s), got {len(elements)}")
    return [
        integer(f"{name}[{i}]", item, minimum=minimum, maximum=maximum)
        for i, item in enumerate(elements)
    ]


def reals(
    name: str,
    value: Any,
    *,
    length: int | None = None,
    min_len: int = 1,
    low: float | None = None,
    high: float | None = None,
) -> list[float]:
    """A sequence of finite real numbers (of exactly ``length`` when given)."""
    elements = items(name, value, "numbers")
    if length is not None and len(elements) != length:
        raise ValueError(f"{name} must hold {length} numbers, got {len(elements)}")
    if len(elements) < min_len:
        raise ValueError(f"{name} must hold at least {min_len} number(s), got {len(elements)}")
    return [real(f"{name}[{i}]", item, low=low, high=high) for i, item in enumerate(elements)]


def choices(name: str, value: Any, options: Sequence[str], *, min_len: int = 0) -> list[str]:
    """A sequence of names, each one of ``options``."""
    elements = items(name, value, "names")
    if len(elements) < min_len:
        raise ValueError(f"{name} must name at least {min_len} of {tuple(options)}")
    return [choice(f"{name}[{i}]", item, options) for i, item in enumerate(elements)]


def pair(name: str, value: Any, *, minimum: int = 1) -> tuple[int, int]:
    """One int used for both axes, or a pair of ints (strides, pool sizes)."""
    if isinstance(_scalar(value), numbers.Integral) and not isinstance(_scalar(value), bool):
        number = integer(name, value, minimum=minimum)
        return number, number
    elements = items(name, value, "two ints")
    if len(elements) != 2:
        raise ValueError(f"{name} must be an int or a pair of ints, got {len(elements)} values")
    first, second = (integer(f"{name}[{i}]", v, minimum=minimum) for i, v in enumerate(elements))
    return first, second


def shape(name: str, value: Any, *, ndim: int | None = None, layout: str | None = None) -> tuple[int, ...]:
    """A shape: a tuple of ints >= 1, e.g. ``(28, 28, 1)``."""
    elements = items(name, value, "sizes")
    if (ndim is not None and len(elements) != ndim) or not elements:
        wanted = layout or (f"{ndim} sizes" if ndim else "at least one size")
        raise ValueError(f"{name} must be {wanted}, got {value!r}")
    return tuple(integer(f"{name}[{i}]", v, minimum=1) for i, v in enumerate(elements))


def mapping(name: str, value: Any, *, min_len: int = 0) -> dict:
    """A dict (or other mapping), with at least ``min_len`` entries."""
    from collections.abc import Mapping

    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict, got {describe(value)}")
    if len(value) < min_len:
        raise ValueError(f"{name} must hold at least {min_len} entr{'y' if min_len == 1 else 'ies'}")
    return dict(value)


def logs(name: str, value: Any) -> dict[str, list[float]]:
    """Training logs: a Keras ``History`` or its ``.history`` dict of per-epoch lists."""
    from collections.abc import Mapping

    history = getattr(value, "history", value)
    if not isinstance(history, Mapping) or not history:
        raise TypeError(
            f"{name} must be a Keras History or a non-empty dict of per-epoch lists, "
            f"got {describe(value)}"
        )
    result = {}
    for key, series in history.items():
        if not isinstance(key, str):
            raise TypeError(f"{name} keys must be metric names, got {describe(key)}")
        elements = items(f"{name}[{key!r}]", series, "numbers")
        if not elements:
            raise ValueError(f"{name}[{key!r}] is empty: it needs one value per epoch")
        values = []
        for i, item in enumerate(elements):
            plain = _scalar(item)
            if isinstance(plain, bool) or not isinstance(plain, numbers.Real):
                raise TypeError(f"{name}[{key!r}][{i}] must be a number, got {describe(item)}")
            values.append(float(plain))  # NaN stays: a diverged run logs it
        result[key] = values
    return result


def instance(name: str, value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    """An instance of ``kind``; ``what`` says in words what was expected."""
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be {what}, got {describe(value)}")
    return value


def model(name: str, value: Any) -> Any:
    """A Keras model (``keras.Model``, ``keras.Sequential``...)."""
    import sys

    if "keras" in sys.modules:
        keras = sys.modules["keras"]
        if isinstance(value, keras.Model):
            return value
    raise TypeError(f"{name} must be a Keras model, got {describe(value)}")


def keras_tensor(name: str, value: Any, *, ndim: int | None = None, layout: str | None = None) -> Any:
    """A symbolic Keras tensor (from ``keras.Input`` or a layer), optionally of rank ``ndim``."""
    import sys

    keras = sys.modules.get("keras")
    if keras is None or not isinstance(value, keras.KerasTensor):
        raise TypeError(
            f"{name} must be a Keras tensor{' ' + layout if layout else ''}, such as "
            f"keras.Input(...) or a layer's output, got {describe(value)}"
        )
    if ndim is not None and len(value.shape) != ndim:
        raise ValueError(f"{name} must be {layout or f'{ndim}-D'}, got shape {tuple(value.shape)}")
    return value


def layer_name(name: str, value: Any, model_: Any) -> str:
    """The name of one of ``model_``'s layers."""
    names = [layer.name for layer in model_.layers]
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a layer name (a string), got {describe(value)}")
    if value not in names:
        raise ValueError(f"{name}: no layer named {value!r}; the model has {names}")
    return value


def axes(name: str, value: Any) -> Any:
    """A matplotlib Axes to draw into (plot functions take ``ax=None`` for a new figure)."""
    from matplotlib.axes import Axes

    if not isinstance(value, Axes):
        raise TypeError(f"{name} must be a matplotlib Axes (or None), got {describe(value)}")
    return value

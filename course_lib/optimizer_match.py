"""Run a from-scratch optimizer and a ``keras.optimizers`` one side by side.

Both start from the same random parameters of a small non-quadratic problem and take
``num_steps`` steps, each computing the gradient at its own current parameters, in
float64. :func:`max_difference` says how far apart the two trajectories ever get.

Keras is imported inside :func:`keras_path`, so importing this module stays cheap.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np

from . import validate

KEYS = ("kernel", "bias")


def random_problem(seed: int = 0) -> tuple[dict[str, np.ndarray], Callable]:
    """Random starting parameters and the exact gradient of a smooth loss.

    The loss is ``0.5 * ||A sum_j(kernel[:, j]) - b||^2 - 0.5 * sum(cos(kernel))
    + ||bias||^2 + sum(log cosh(3 bias)) / 3`` with ``kernel (4, 3)`` and ``bias (3,)``.

    Returns:
        ``(params, gradient)`` where ``gradient(params) -> {"kernel": ..., "bias": ...}``.
    """
    rng = np.random.default_rng(validate.seed("seed", seed))
    A = rng.normal(size=(6, 4))
    b = rng.normal(size=6)
    params = {"kernel": rng.normal(size=(4, 3)), "bias": rng.normal(size=3)}

    def gradient(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        kernel, bias = values["kernel"], values["bias"]
        residual = A @ kernel.sum(axis=1) - b
        grad_kernel = np.repeat((A.T @ residual)[:, None], kernel.shape[1], axis=1)
        grad_kernel = grad_kernel + 0.5 * np.sin(kernel)
        return {"kernel": grad_kernel, "bias": 2.0 * bias + np.tanh(3.0 * bias)}

    return params, gradient


def _flat(values: dict[str, np.ndarray]) -> np.ndarray:
    return np.concatenate([np.ravel(values[key]) for key in KEYS])


def scratch_path(optimizer, num_steps: int = 50, seed: int = 0) -> np.ndarray:
    """Parameters after each step of a from-scratch optimizer: ``(num_steps, 15)``."""
    _check_scratch(optimizer)
    num_steps = validate.count("num_steps", num_steps)
    optimizer = copy.deepcopy(optimizer)  # a fresh state each time: the caller's is untouched
    params, gradient = random_problem(seed)
    path = []
    for _ in range(num_steps):
        optimizer.step(params, gradient(params))
        path.append(_flat(params))
    return np.array(path)


def keras_path(optimizer, num_steps: int = 50, seed: int = 0) -> np.ndarray:
    """The same for a ``keras.optimizers`` optimizer on float64 variables."""
    from .backend import keras

    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(
            f"optimizer must be a keras.optimizers optimizer, got {validate.describe(optimizer)}"
        )
    num_steps = validate.count("num_steps", num_steps)
    # A Keras optimizer is tied to the variables it first updates: work on a fresh copy.
    optimizer = optimizer.__class__.from_config(optimizer.get_config())
    params, gradient = random_problem(seed)
    variables = {key: keras.Variable(params[key], dtype="float64", name=key) for key in KEYS}
    path = []
    for _ in range(num_steps):
        current = {key: variable.numpy() for key, variable in variables.items()}
        grads = gradient(current)
        optimizer.apply([grads[key] for key in KEYS], [variables[key] for key in KEYS])
        path.append(_flat({key: variable.numpy() for key, variable in variables.items()}))
    return np.array(path)


def max_difference(scratch_optimizer, keras_optimizer, num_steps: int = 50, seed: int = 0) -> float:
    """Largest absolute difference between the two trajectories over ``num_steps``."""
    _check_scratch(scratch_optimizer, "scratch_optimizer")
    from .backend import keras

    if not isinstance(keras_optimizer, keras.optimizers.Optimizer):
        raise TypeError(
            "keras_optimizer must be a keras.optimizers optimizer, got "
            f"{validate.describe(keras_optimizer)}"
        )
    ours = scratch_path(scratch_optimizer, num_steps, seed)
    theirs = keras_path(keras_optimizer, num_steps, seed)
    return float(np.abs(ours - theirs).max())


def _check_scratch(optimizer, name: str = "optimizer") -> None:
    from .scratch.optimizers import Optimizer

    validate.instance(name, optimizer, Optimizer, "a course_lib.scratch optimizer such as scratch.Adam()")

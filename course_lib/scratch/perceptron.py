"""Rosenblatt's perceptron and the gradient-trained linear neuron (Adaline), in NumPy.

Both models score a point with an affine function ``a = w . x + b``.

- The **perceptron** (Rosenblatt, 1958) outputs ``step(a)`` in {0, 1} and learns one
  example at a time: when it gets ``x`` wrong it moves the weights by
  ``lr * (t - y_hat) * x``, towards ``x`` for a missed positive and away from it for a
  false positive. On linearly separable data it stops making mistakes after finitely
  many updates (Novikoff, 1962); otherwise it never settles.
- **Adaline** (Widrow and Hoff, 1960) minimises the squared error of the neuron's
  output ``sigma(a)`` against targets, by gradient descent. How the gradient is
  accumulated gives the three algorithms of the lectures: the full-batch *gradient
  epoch*, the *stochastic gradient* (one example per update) and the *minibatch*.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import validate
from . import activations as act

Array = np.ndarray


def step(a: Array) -> Array:
    """Heaviside step: 1 where ``a >= 0``, else 0 (as integers)."""
    return (validate.array("a", a) >= 0).astype(np.int64)


def perceptron_predict(X: Array, w: Array, b: float) -> Array:
    """``step(X @ w + b)``: ``X: (n, d)``, ``w: (d,)`` -> ``(n,)`` labels in {0, 1}."""
    X, w, b = _neuron_arguments(X, w, b)
    return step(X @ w + b)


def _neuron_arguments(X: Array, w: Array, b: float) -> tuple[Array, Array, float]:
    """``X: (n, d)``, ``w: (d,)`` and a number ``b``, checked to fit together."""
    X = validate.array("X", X, ndim=2, layout="(n, d)")
    w = validate.array("w", w, shape=(X.shape[1],), layout=f"(d,) = ({X.shape[1]},)")
    return X, w, validate.real("b", b)


def perceptron_update(
    w: Array, b: float, x: Array, t: int, learning_rate: float = 1.0
) -> tuple[Array, float, bool]:
    """Rosenblatt's rule for one example ``x: (d,)`` with label ``t`` in {0, 1}.

    Returns ``(new_w, new_b, changed)``; the weights change only on a mistake.
    """
    x = validate.array("x", x, ndim=1, layout="(d,)")
    X, w, b = _neuron_arguments(x[None, :], w, b)
    t = validate.integer("t", t, minimum=0, maximum=1)
    learning_rate = validate.positive("learning_rate", learning_rate)
    return _update(w, b, x, t, learning_rate)


def _update(w: Array, b: float, x: Array, t: int, learning_rate: float) -> tuple[Array, float, bool]:
    """Rosenblatt's rule on checked arguments."""
    y_hat = int((x[None, :] @ w + b)[0] >= 0)  # the same sum as perceptron_predict
    error = t - y_hat  # -1, 0 or +1
    if error == 0:
        return w.copy(), b, False
    step_size = learning_rate * error
    return w + step_size * x, b + step_size, True


@dataclass
class PerceptronRun:
    """What :func:`train_perceptron` did: final weights and mistakes per epoch."""

    w: Array
    b: float
    mistakes: list[int] = field(default_factory=list)
    trajectory: list[tuple[Array, float]] = field(default_factory=list)

    @property
    def converged(self) -> bool:
        """True when the last epoch made no mistake."""
        return bool(self.mistakes) and self.mistakes[-1] == 0


def train_perceptron(
    X: Array, t: Array, *, num_epochs: int = 100, learning_rate: float = 1.0, seed: int = 0
) -> PerceptronRun:
    """Cycle through the data (shuffled each epoch) applying :func:`perceptron_update`.

    Stops after the first epoch without mistakes, or after ``num_epochs``.

    Args:
        X: ``(n, d)`` points; t: ``(n,)`` labels in {0, 1}.
    Returns:
        A :class:`PerceptronRun` with the weights after every update in ``trajectory``.
    """
    X = validate.array("X", X, ndim=2, layout="(n, d)")
    t = validate.array("t", t, kind="int", shape=(len(X),), layout=f"(n,) = ({len(X)},)")
    if not np.isin(t, (0, 1)).all():
        raise ValueError("t: perceptron labels must be 0 or 1")
    num_epochs = validate.count("num_epochs", num_epochs)
    learning_rate = validate.positive("learning_rate", learning_rate)
    seed = validate.seed("seed", seed)
    rng = np.random.default_rng(seed)
    w, b = np.zeros(X.shape[1]), 0.0
    run = PerceptronRun(w, b, trajectory=[(w, b)])
    for _ in range(num_epochs):
        mistakes = 0
        for i in rng.permutation(len(X)):
            w, b, changed = _update(w, b, X[i], int(t[i]), learning_rate)
            if changed:
                mistakes += 1
                run.trajectory.append((w, b))
        run.mistakes.append(mistakes)
        if mistakes == 0:
            break
    run.w, run.b = w, b
    return run


# ------------------------------------------------------------------------- Adaline

ALGORITHMS = ("batch", "stochastic", "minibatch")


def neuron_squared_loss(X: Array, t: Array, w: Array, b: float, activation: str = "linear") -> float:
    """Mean over the data of ``(sigma(w . x + b) - t)^2 / 2``."""
    X, t, w, b = _adaline_arguments(X, t, w, b)
    return _squared_loss(X, t, w, b, activation)


def _squared_loss(X: Array, t: Array, w: Array, b: float, activation: str) -> float:
    y, _ = act.apply(activation, X @ w + b)
    return float(np.mean((y - t) ** 2) / 2)


def _adaline_arguments(X: Array, t: Array, w: Array, b: float) -> tuple[Array, Array, Array, float]:
    X, w, b = _neuron_arguments(X, w, b)
    t = validate.array("t", t, shape=(len(X),), layout=f"(n,) = ({len(X)},)")
    return X, t, w, b


def neuron_squared_gradient(
    X: Array, t: Array, w: Array, b: float, activation: str = "linear"
) -> tuple[Array, float]:
    """Gradient of :func:`neuron_squared_loss`: ``mean_i (y_i - t_i) sigma'(a_i) x_i`` and the bias term."""
    X, t, w, b = _adaline_arguments(X, t, w, b)
    return _squared_gradient(X, t, w, b, activation)


def _squared_gradient(X: Array, t: Array, w: Array, b: float, activation: str) -> tuple[Array, float]:
    y, derivative = act.apply(activation, X @ w + b)
    delta = (y - t) * derivative
    return X.T @ delta / len(X), float(delta.mean())


@dataclass
class NeuronRun:
    """Weights found by :func:`train_neuron` and the loss after each epoch and update."""

    w: Array
    b: float
    epoch_losses: list[float] = field(default_factory=list)
    update_losses: list[float] = field(default_factory=list)


def train_neuron(
    X: Array,
    t: Array,
    *,
    algorithm: str = "batch",
    learning_rate: float = 0.1,
    num_epochs: int = 20,
    batch_size: int = 16,
    activation: str = "linear",
    seed: int = 0,
) -> NeuronRun:
    """Fit one neuron to targets ``t`` by minimising the squared loss (Adaline).

    Args:
        X: ``(n, d)`` inputs; t: ``(n,)`` targets (for instance -1/+1 labels).
        algorithm: ``"batch"`` (one update per epoch from the full gradient),
            ``"stochastic"`` (one update per example) or ``"minibatch"`` (one update per
            ``batch_size`` examples).
        activation: the neuron's output function; ``"linear"`` is Adaline.
    Returns:
        A :class:`NeuronRun`; ``epoch_losses[0]`` is the loss before training.
    """
    algorithm = validate.choice("algorithm", algorithm, ALGORITHMS)
    X = validate.array("X", X, ndim=2, layout="(n, d)")
    t = validate.array("t", t, shape=(len(X),), layout=f"(n,) = ({len(X)},)")
    learning_rate = validate.positive("learning_rate", learning_rate)
    num_epochs = validate.count("num_epochs", num_epochs)
    batch_size = validate.count("batch_size", batch_size)
    act._lookup(activation, "activation")
    seed = validate.seed("seed", seed)
    size = {"batch": len(X), "stochastic": 1, "minibatch": batch_size}[algorithm]
    rng = np.random.default_rng(seed)
    w, b = np.zeros(X.shape[1]), 0.0
    run = NeuronRun(w, b, epoch_losses=[_squared_loss(X, t, w, b, activation)])
    for _ in range(num_epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), size):
            chosen = order[start : start + size]
            dw, db = _squared_gradient(X[chosen], t[chosen], w, b, activation)
            w, b = w - learning_rate * dw, b - learning_rate * db
            run.update_losses.append(_squared_loss(X, t, w, b, activation))
        run.epoch_losses.append(_squared_loss(X, t, w, b, activation))
    run.w, run.b = w, b
    return run


# ---------------------------------------------------------------------- Boolean gates

GATES = ("AND", "OR", "NAND", "XOR")


def boolean_gate(name: str) -> tuple[Array, Array]:
    """The truth table of a two-input gate: ``X: (4, 2)`` inputs in {0, 1}, ``t: (4,)``."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a gate name such as 'AND', got {validate.describe(name)}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    a, b = X[:, 0].astype(bool), X[:, 1].astype(bool)
    tables = {"AND": a & b, "OR": a | b, "NAND": ~(a & b), "XOR": a ^ b}
    if name not in tables:
        raise ValueError(f"name: unknown gate {name!r}: expected one of {GATES}")
    return X, tables[name].astype(np.int64)

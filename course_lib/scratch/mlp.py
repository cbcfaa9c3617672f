"""A multilayer perceptron built from the scratch dense layers, trained by backpropagation.

The network is a stack of ``dense -> activation`` blocks. The forward pass keeps each
block's cache; the backward pass walks the blocks in reverse, turning ``dL/d(output)``
into ``dL/d(pre-activation)`` (activation backward) and then into the weight gradients
and ``dL/d(input)`` (dense backward), which becomes the next block's upstream gradient.

Weights are stored as Keras stores them (``[W1, b1, W2, b2, ...]``, kernels ``(in, out)``),
so :meth:`MLP.get_weights` / :meth:`MLP.set_weights` exchange them with a Keras model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import validate
from . import activations as act
from .dense import _dense_backward, _dense_forward
from .losses import _FORMULAS as _LOSS_FORMULAS
from .losses import LOSSES, get_loss

Array = np.ndarray


class MLP:
    """A fully connected network trained by plain gradient descent.

    Args:
        sizes: units per layer, input first: ``[2, 2, 1]`` is a 2-2-1 network.
        hidden_activation: activation of every hidden layer (a name in
            ``activations.ACTIVATIONS``).
        output_activation: activation of the last layer (``"sigmoid"``, ``"softmax"``,
            ``"linear"``...).
        loss: a name in ``losses.LOSSES``.
        seed: seeds the initial weights, drawn from ``N(0, 1) / sqrt(fan_in)``; biases 0.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        *,
        hidden_activation: str = "tanh",
        output_activation: str = "sigmoid",
        loss: str = "binary_cross_entropy",
        seed: int = 0,
    ) -> None:
        try:
            sizes = validate.counts("sizes", sizes, min_len=2)
        except ValueError as error:
            raise ValueError(f"sizes needs an input and an output size, all >= 1: {error}") from None
        for argument, name in (
            ("hidden_activation", hidden_activation),
            ("output_activation", output_activation),
        ):
            if name != "softmax":
                act._lookup(name, argument)
        loss = validate.choice("loss", loss, tuple(LOSSES))
        seed = validate.seed("seed", seed)
        self.loss_name = loss
        self.loss, self.loss_gradient = get_loss(loss)
        self._loss_formulas = _LOSS_FORMULAS[loss]
        self.sizes = sizes
        self.activations = [hidden_activation] * (len(sizes) - 2) + [output_activation]
        rng = np.random.default_rng(seed)
        self.params: list[tuple[Array, Array]] = [
            (rng.normal(size=(n_in, n_out)) / np.sqrt(n_in), np.zeros(n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
        ]

    # -- weights ------------------------------------------------------------------
    def get_weights(self) -> list[Array]:
        """``[W1, b1, W2, b2, ...]``, the order of ``keras.Model.get_weights()``."""
        return [array.copy() for pair in self.params for array in pair]

    def set_weights(self, weights: Sequence[Array]) -> None:
        """Load ``[W1, b1, W2, b2, ...]`` (for instance from a Keras model)."""
        if weights is None or isinstance(weights, str | bytes | dict | np.ndarray) or not hasattr(
            weights, "__len__"
        ):
            raise TypeError(f"weights must be a list of arrays, got {validate.describe(weights)}")
        if len(weights) != 2 * len(self.params):
            raise ValueError(f"weights: expected {2 * len(self.params)} arrays, got {len(weights)}")
        new = []
        weights = list(weights)
        for i, ((W, b), W_new, b_new) in enumerate(
            zip(self.params, weights[::2], weights[1::2], strict=True)
        ):
            W_new = validate.array(f"weights[{2 * i}]", W_new)
            b_new = validate.array(f"weights[{2 * i + 1}]", b_new)
            if W_new.shape != W.shape or b_new.shape != b.shape:
                raise ValueError(
                    f"weights[{2 * i}:{2 * i + 2}]: expected shapes {W.shape} and {b.shape}, "
                    f"got {W_new.shape} and {b_new.shape}"
                )
            new.append((W_new.copy(), b_new.copy()))
        self.params = new

    # -- passes -------------------------------------------------------------------
    def forward(self, X: Array) -> tuple[Array, list]:
        """``X: (n, sizes[0])`` -> ``(y_hat: (n, sizes[-1]), caches)``."""
        return self._forward(self._inputs(X))

    def _forward(self, out: Array) -> tuple[Array, list]:
        caches = []
        for (W, b), name in zip(self.params, self.activations, strict=True):
            a, dense_cache = _dense_forward(out, W, b)
            out, activation_cache = act._activation_forward(a, name)
            caches.append((dense_cache, activation_cache))
        return out, caches

    def backward(self, dy_hat: Array, caches: list) -> list[tuple[Array, Array]]:
        """Backpropagate ``dL/dy_hat``; returns ``[(dW1, db1), (dW2, db2), ...]``."""
        if (
            not isinstance(caches, list)
            or len(caches) != len(self.params)
            or not all(isinstance(c, tuple) and len(c) == 2 for c in caches)
        ):
            raise TypeError(
                f"caches must be the list forward() returned ({len(self.params)} entries), "
                f"got {validate.describe(caches)}"
            )
        n = len(caches[-1][1][1])  # the batch size of the forward pass
        upstream = validate.array(
            "dy_hat", dy_hat, shape=(n, self.sizes[-1]), layout=f"(n, {self.sizes[-1]}) = ({n}, {self.sizes[-1]})"
        )
        return self._backward(upstream, caches)

    def _backward(self, upstream: Array, caches: list) -> list[tuple[Array, Array]]:
        grads = []
        for dense_cache, activation_cache in reversed(caches):
            da = act._activation_backward(upstream, activation_cache)
            upstream, dW, db = _dense_backward(da, dense_cache)
            grads.append((dW, db))
        return grads[::-1]

    def predict(self, X: Array) -> Array:
        """Network outputs ``(n, sizes[-1])``."""
        return self.forward(X)[0]

    def hidden(self, X: Array, layer: int = 1) -> Array:
        """Activations of hidden layer ``layer`` (1 = first), shape ``(n, sizes[layer])``."""
        if len(self.sizes) < 3:
            raise ValueError("this network has no hidden layer")
        try:
            layer = validate.integer("layer", layer, minimum=1, maximum=len(self.sizes) - 2)
        except ValueError:
            raise ValueError(f"layer must be between 1 and {len(self.sizes) - 2}, got {layer}") from None
        caches = self.forward(X)[1]
        return caches[layer][0][0]  # the input of the next dense layer

    def loss_and_gradients(self, X: Array, y: Array) -> tuple[float, list[tuple[Array, Array]]]:
        """Loss on ``(X, y)`` and its gradient for every ``(W, b)``."""
        return self._loss_and_gradients(self._inputs(X), self._targets(y, len(X)))

    def _loss_and_gradients(self, X: Array, y: Array) -> tuple[float, list[tuple[Array, Array]]]:
        """The same on checked arrays, ``y`` shaped ``(n, sizes[-1])``."""
        y_hat, caches = self._forward(X)
        loss, loss_gradient = self._loss_formulas
        return loss(y, y_hat), self._backward(loss_gradient(y, y_hat), caches)

    # -- training -----------------------------------------------------------------
    def step(self, X: Array, y: Array, learning_rate: float) -> float:
        """One gradient-descent update on ``(X, y)``; returns the loss before it."""
        learning_rate = validate.positive("learning_rate", learning_rate)
        X = self._inputs(X)
        return self._step(X, self._targets(y, len(X)), learning_rate)

    def _step(self, X: Array, y: Array, learning_rate: float) -> float:
        loss, grads = self._loss_and_gradients(X, y)
        self.params = [
            (W - learning_rate * dW, b - learning_rate * db) for (W, b), (dW, db) in zip(self.params, grads, strict=True)
        ]
        return loss

    def fit(
        self,
        X: Array,
        y: Array,
        *,
        num_epochs: int,
        learning_rate: float,
        batch_size: int | None = None,
        seed: int = 0,
    ) -> list[float]:
        """Train by (minibatch) gradient descent; returns the mean loss of each epoch.

        ``batch_size=None`` uses the whole set per step (batch gradient descent).
        """
        X = self._inputs(X)
        y = self._targets(y, len(X))
        num_epochs = validate.count("num_epochs", num_epochs)
        learning_rate = validate.positive("learning_rate", learning_rate)
        batch_size = len(X) if batch_size is None else validate.count("batch_size", batch_size)
        seed = validate.seed("seed", seed)
        rng = np.random.default_rng(seed)
        history = []
        for _ in range(num_epochs):
            order = rng.permutation(len(X)) if batch_size < len(X) else np.arange(len(X))
            losses = [
                self._step(X[order[i : i + batch_size]], y[order[i : i + batch_size]], learning_rate)
                for i in range(0, len(X), batch_size)
            ]
            history.append(float(np.mean(losses)))
        return history

    # -- argument checks ------------------------------------------------------------
    def _inputs(self, X: Array) -> Array:
        return validate.array("X", X, shape=(None, self.sizes[0]), layout=f"(n, {self.sizes[0]})")

    def _targets(self, y: Array, n: int) -> Array:
        """Targets ``(n,)`` or ``(n, sizes[-1])`` as ``(n, sizes[-1])``."""
        y = validate.array("y", y, ndim=(1, 2))
        if y.size != n * self.sizes[-1]:
            raise ValueError(
                f"y must hold {self.sizes[-1]} target(s) for each of the {n} examples, "
                f"got shape {y.shape}"
            )
        return y.reshape(n, self.sizes[-1])

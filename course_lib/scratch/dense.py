"""A dense (fully connected) layer, forward and backward, in NumPy.

Layout as in ``keras.layers.Dense``: the kernel ``W`` is ``(in, out)`` and the bias
``b`` is ``(out,)``, so weights copy between this module and Keras unchanged::

    W, b = keras_layer.get_weights()
    out, cache = dense_forward(x, W, b)

Forward: ``out = x @ W + b``. Backward, for an upstream gradient ``dout = dL/dout``:

- ``dL/dx = dout @ W.T``           (send the error back through the same weights);
- ``dL/dW = x.T @ dout``           (a sum of outer products, one per sample);
- ``dL/db = dout.sum(axis=0)``.
"""

from __future__ import annotations

import numpy as np

from .. import validate

Array = np.ndarray
DenseCache = tuple[Array, Array]


def dense_forward(x: Array, W: Array, b: Array) -> tuple[Array, DenseCache]:
    """``out = x @ W + b``.

    Args:
        x: ``(n, in)`` inputs.
        W: ``(in, out)`` kernel.
        b: ``(out,)`` bias.
    Returns:
        ``out: (n, out)`` and the cache ``(x, W)`` for :func:`dense_backward`.
    """
    x = validate.array("x", x, ndim=2, layout="(n, in)")
    W = validate.array("W", W, ndim=2, layout="(in, out)")
    b = validate.array("b", b, ndim=1, layout="(out,)")
    if x.shape[1] != W.shape[0] or W.shape[1] != b.shape[0]:
        raise ValueError(
            f"shapes do not fit together: x {x.shape}, W {W.shape}, b {b.shape} "
            "(need x.shape[1] == W.shape[0] and W.shape[1] == b.shape[0])"
        )
    return _dense_forward(x, W, b)


def _dense_forward(x: Array, W: Array, b: Array) -> tuple[Array, DenseCache]:
    return x @ W + b, (x, W)


def dense_backward(dout: Array, cache: DenseCache) -> tuple[Array, Array, Array]:
    """Gradients of the loss with respect to the layer's input, kernel and bias.

    Args:
        dout: ``(n, out)``, the gradient of the loss with respect to the layer output.
        cache: what :func:`dense_forward` returned.
    Returns:
        ``(dx, dW, db)`` with shapes ``(n, in)``, ``(in, out)``, ``(out,)``.
    """
    if not (
        isinstance(cache, tuple)
        and len(cache) == 2
        and all(isinstance(v, np.ndarray) and v.ndim == 2 for v in cache)
    ):
        raise TypeError(f"cache must be the (x, W) pair dense_forward returned, got {validate.describe(cache)}")
    x, W = cache
    dout = validate.array("dout", dout, ndim=2, layout=f"(n, out) = {(x.shape[0], W.shape[1])}")
    if dout.shape != (x.shape[0], W.shape[1]):
        raise ValueError(f"dout must have shape {(x.shape[0], W.shape[1])}, got {dout.shape}")
    return _dense_backward(dout, cache)


def _dense_backward(dout: Array, cache: DenseCache) -> tuple[Array, Array, Array]:
    x, W = cache
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


def dense_parameter_count(n_in: int, n_out: int) -> int:
    """Weights plus biases of a dense layer: ``n_in * n_out + n_out = (n_in + 1) * n_out``."""
    return (validate.count("n_in", n_in) + 1) * validate.count("n_out", n_out)

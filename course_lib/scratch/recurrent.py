"""Recurrent layers from scratch: simple RNN, LSTM and GRU, forward and backward in time.

The weights have exactly the layout ``layer.get_weights()`` returns for Keras's
``SimpleRNN``, ``LSTM`` and ``GRU`` with their default arguments, so they copy both ways:

============  ======================  =========================  ====================
layer         ``kernel``              ``recurrent_kernel``        ``bias``
============  ======================  =========================  ====================
SimpleRNN     ``(features, units)``   ``(units, units)``          ``(units,)``
LSTM          ``(features, 4*units)`` ``(units, 4*units)``        ``(4*units,)``
GRU           ``(features, 3*units)`` ``(units, 3*units)``        ``(2, 3*units)``
============  ======================  =========================  ====================

The LSTM's four blocks of columns are its gates in the order input ``i``, forget ``f``,
candidate ``c``, output ``o``. The GRU's three blocks are update ``z``, reset ``r`` and
candidate ``h``; as in Keras 3 (``reset_after=True``) the reset gate multiplies the
*projected* previous state, and the two rows of its bias belong to the input and the
recurrent projection. Inputs are ``x: (batch, time, features)``; every forward pass
returns all hidden states ``h_seq: (batch, time, units)`` (Keras's
``return_sequences=True``) and a cache for the backward pass, which backpropagates
through time: a Python loop over the time steps, vectorised over the batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import validate

Array = np.ndarray

GATES = {"lstm": ("input", "forget", "candidate", "output"), "gru": ("update", "reset", "candidate")}


def _sigmoid(z: Array) -> Array:
    # Written with tanh so that large |z| neither overflows nor loses precision.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


@dataclass
class RecurrentCache:
    """What a ``*_backward`` needs from its forward pass.

    ``gates`` maps a gate's name to its activations ``(batch, time, units)`` (LSTM: also
    ``"cell"``, the cell states; GRU: also ``"recurrent_candidate"``, the recurrent
    projection the reset gate multiplies). A simple RNN has no gates.
    """

    cell: str
    x: Array
    kernel: Array
    recurrent_kernel: Array
    bias: Array
    h0: Array
    h_seq: Array
    c0: Array | None = None
    gates: dict[str, Array] = field(default_factory=dict)


def _check_inputs(
    cell: str, x, kernel, recurrent_kernel, bias, h0, blocks: int
) -> tuple[Array, Array, Array, Array, Array]:
    """Validate shapes for a cell whose weights hold ``blocks`` column blocks."""
    layer = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}[cell]
    x = validate.array("x", x, ndim=3, layout="(batch, time, features)")
    batch, _, features = x.shape
    width = "units" if blocks == 1 else f"{blocks} * units"
    kernel = validate.array(
        "kernel", kernel, shape=(features, None),
        layout=f"(features={features}, {width}), the layout of keras.layers.{layer}'s kernel",
    )
    if kernel.shape[1] % blocks:
        raise ValueError(
            f"kernel must have shape (features, {width}) with {blocks} gate blocks of equal "
            f"width, got shape {kernel.shape}"
        )
    units = kernel.shape[1] // blocks
    recurrent_kernel = validate.array(
        "recurrent_kernel", recurrent_kernel, shape=(units, blocks * units),
        layout=f"(units={units}, {width}={blocks * units}), the layout of "
        f"keras.layers.{layer}'s recurrent_kernel",
    )
    bias_shape = (2, 3 * units) if cell == "gru" else (blocks * units,)
    bias_layout = (
        f"(2, 3 * units) = {bias_shape}, one row for the input and one for the recurrent "
        "projection (keras.layers.GRU with reset_after=True)"
        if cell == "gru"
        else f"({width},) = {bias_shape}"
    )
    bias = validate.array("bias", bias, shape=bias_shape, layout=bias_layout)
    h0 = _initial_state("h0", h0, batch, units)
    return x, kernel, recurrent_kernel, bias, h0


def _initial_state(name: str, state, batch: int, units: int) -> Array:
    if state is None:
        return np.zeros((batch, units))
    return validate.array(name, state, shape=(batch, units), layout=f"(batch={batch}, units={units})")


def _check_upstream(dh_seq, cache: RecurrentCache, cell: str) -> Array:
    if not isinstance(cache, RecurrentCache):
        raise TypeError(f"cache must be the RecurrentCache a forward pass returned, got {validate.describe(cache)}")
    if cache.cell != cell:
        raise ValueError(
            f"cache comes from {cache.cell}_forward, but this is {cell}_backward: pass the cache "
            f"of {cell}_forward"
        )
    return validate.array(
        "dh_seq", dh_seq, shape=cache.h_seq.shape,
        layout=f"(batch, time, units) = {cache.h_seq.shape}, the shape of the forward output",
    )


# --------------------------------------------------------------------------- simple RNN


def rnn_forward(
    x: Array, kernel: Array, recurrent_kernel: Array, bias: Array, h0: Array | None = None
) -> tuple[Array, RecurrentCache]:
    """A simple recurrent layer, ``h_t = tanh(x_t K + h_{t-1} R + b)``.

    Args:
        x: ``(batch, time, features)``.
        kernel: ``(features, units)``, the input weights (the lecture's ``U`` transposed).
        recurrent_kernel: ``(units, units)``, the recurrent weights (``W`` transposed).
        bias: ``(units,)``.
        h0: ``(batch, units)`` initial state; zeros if None.

    Returns:
        ``(h_seq, cache)`` with ``h_seq: (batch, time, units)``, all hidden states.
    """
    x, kernel, recurrent_kernel, bias, h0 = _check_inputs(
        "rnn", x, kernel, recurrent_kernel, bias, h0, blocks=1
    )
    batch, steps, _ = x.shape
    projected = x @ kernel + bias  # (batch, time, units): the input part of every step at once
    h_seq = np.empty((batch, steps, kernel.shape[1]))
    h = h0
    for t in range(steps):
        h = np.tanh(projected[:, t] + h @ recurrent_kernel)
        h_seq[:, t] = h
    return h_seq, RecurrentCache("rnn", x, kernel, recurrent_kernel, bias, h0, h_seq)


def rnn_backward(dh_seq: Array, cache: RecurrentCache) -> dict[str, Array]:
    """Backpropagation through time for :func:`rnn_forward`.

    Args:
        dh_seq: ``(batch, time, units)``, the loss's gradient with respect to every hidden
            state (zeros where a step does not enter the loss).
        cache: the forward pass's cache.

    Returns:
        Gradients ``{"x", "kernel", "recurrent_kernel", "bias", "h0"}`` shaped like the
        forward pass's arguments.
    """
    dh_seq = _check_upstream(dh_seq, cache, "rnn")
    x, h_seq = cache.x, cache.h_seq
    previous = np.concatenate([cache.h0[:, None], h_seq[:, :-1]], axis=1)  # h_{t-1}
    d_pre = np.empty_like(h_seq)
    dh_next = np.zeros_like(cache.h0)  # what h_t receives from step t + 1
    for t in reversed(range(x.shape[1])):
        d_pre[:, t] = (dh_seq[:, t] + dh_next) * (1.0 - h_seq[:, t] ** 2)
        dh_next = d_pre[:, t] @ cache.recurrent_kernel.T
    return {
        "x": d_pre @ cache.kernel.T,
        "kernel": np.einsum("btf,btu->fu", x, d_pre),
        "recurrent_kernel": np.einsum("btv,btu->vu", previous, d_pre),
        "bias": d_pre.sum(axis=(0, 1)),
        "h0": dh_next,
    }


# --------------------------------------------------------------------------- LSTM


def lstm_forward(
    x: Array,
    kernel: Array,
    recurrent_kernel: Array,
    bias: Array,
    h0: Array | None = None,
    c0: Array | None = None,
) -> tuple[Array, RecurrentCache]:
    """A long short-term memory layer (Keras's gate order i, f, c, o).

    With ``z = x_t K + h_{t-1} R + b`` cut into four blocks::

        i = sigmoid(z_i), f = sigmoid(z_f), c~ = tanh(z_c), o = sigmoid(z_o)
        c_t = f * c_{t-1} + i * c~,   h_t = o * tanh(c_t)

    Args:
        x: ``(batch, time, features)``.
        kernel: ``(features, 4 * units)``.
        recurrent_kernel: ``(units, 4 * units)``.
        bias: ``(4 * units,)``.
        h0, c0: ``(batch, units)`` initial hidden and cell states; zeros if None.

    Returns:
        ``(h_seq, cache)`` with ``h_seq: (batch, time, units)``; ``cache.gates`` holds the
        gate activations and the cell states, each ``(batch, time, units)``.
    """
    x, kernel, recurrent_kernel, bias, h0 = _check_inputs(
        "lstm", x, kernel, recurrent_kernel, bias, h0, blocks=4
    )
    batch, steps, _ = x.shape
    units = recurrent_kernel.shape[0]
    c0 = _initial_state("c0", c0, batch, units)
    projected = x @ kernel + bias
    gates = {name: np.empty((batch, steps, units)) for name in (*GATES["lstm"], "cell")}
    h_seq = np.empty((batch, steps, units))
    h, c = h0, c0
    for t in range(steps):
        z = projected[:, t] + h @ recurrent_kernel
        i = _sigmoid(z[:, :units])
        f = _sigmoid(z[:, units : 2 * units])
        candidate = np.tanh(z[:, 2 * units : 3 * units])
        o = _sigmoid(z[:, 3 * units :])
        c = f * c + i * candidate
        h = o * np.tanh(c)
        for name, value in zip((*GATES["lstm"], "cell"), (i, f, candidate, o, c), strict=True):
            gates[name][:, t] = value
        h_seq[:, t] = h
    cache = RecurrentCache("lstm", x, kernel, recurrent_kernel, bias, h0, h_seq, c0=c0, gates=gates)
    return h_seq, cache


def lstm_backward(dh_seq: Array, cache: RecurrentCache) -> dict[str, Array]:
    """Backpropagation through time for :func:`lstm_forward`.

    Returns:
        Gradients ``{"x", "kernel", "recurrent_kernel", "bias", "h0", "c0"}``.
    """
    dh_seq = _check_upstream(dh_seq, cache, "lstm")
    g = cache.gates
    i, f, candidate, o, c = (g[name] for name in (*GATES["lstm"], "cell"))
    previous_h = np.concatenate([cache.h0[:, None], cache.h_seq[:, :-1]], axis=1)
    c0 = cache.c0 if cache.c0 is not None else np.zeros_like(cache.h0)
    previous_c = np.concatenate([c0[:, None], c[:, :-1]], axis=1)
    d_pre = np.empty(cache.h_seq.shape[:2] + (4 * cache.h0.shape[1],))
    dh_next = np.zeros_like(cache.h0)
    dc_next = np.zeros_like(cache.h0)
    for t in reversed(range(cache.x.shape[1])):
        dh = dh_seq[:, t] + dh_next
        tanh_c = np.tanh(c[:, t])
        dc = dc_next + dh * o[:, t] * (1.0 - tanh_c**2)
        d_pre[:, t] = np.concatenate(
            [
                dc * candidate[:, t] * i[:, t] * (1.0 - i[:, t]),
                dc * previous_c[:, t] * f[:, t] * (1.0 - f[:, t]),
                dc * i[:, t] * (1.0 - candidate[:, t] ** 2),
                dh * tanh_c * o[:, t] * (1.0 - o[:, t]),
            ],
            axis=1,
        )
        dh_next = d_pre[:, t] @ cache.recurrent_kernel.T
        dc_next = dc * f[:, t]
    return {
        "x": d_pre @ cache.kernel.T,
        "kernel": np.einsum("btf,btg->fg", cache.x, d_pre),
        "recurrent_kernel": np.einsum("btu,btg->ug", previous_h, d_pre),
        "bias": d_pre.sum(axis=(0, 1)),
        "h0": dh_next,
        "c0": dc_next,
    }


# --------------------------------------------------------------------------- GRU


def gru_forward(
    x: Array, kernel: Array, recurrent_kernel: Array, bias: Array, h0: Array | None = None
) -> tuple[Array, RecurrentCache]:
    """A gated recurrent unit layer as Keras 3 computes it (``reset_after=True``).

    With the input projection ``a = x_t K + b[0]`` and the recurrent projection
    ``q = h_{t-1} R + b[1]``, each cut into blocks z, r, h::

        z = sigmoid(a_z + q_z),  r = sigmoid(a_r + q_r),  h~ = tanh(a_h + r * q_h)
        h_t = z * h_{t-1} + (1 - z) * h~

    (Keras's update gate ``z`` keeps the old state; some texts call ``1 - z`` the update.)

    Args:
        x: ``(batch, time, features)``.
        kernel: ``(features, 3 * units)``.
        recurrent_kernel: ``(units, 3 * units)``.
        bias: ``(2, 3 * units)``: input bias, recurrent bias.
        h0: ``(batch, units)`` initial state; zeros if None.

    Returns:
        ``(h_seq, cache)`` with ``h_seq: (batch, time, units)``; ``cache.gates`` holds
        ``"update"``, ``"reset"``, ``"candidate"`` and ``"recurrent_candidate"`` (``q_h``).
    """
    x, kernel, recurrent_kernel, bias, h0 = _check_inputs(
        "gru", x, kernel, recurrent_kernel, bias, h0, blocks=3
    )
    batch, steps, _ = x.shape
    units = recurrent_kernel.shape[0]
    projected = x @ kernel + bias[0]
    names = (*GATES["gru"], "recurrent_candidate")
    gates = {name: np.empty((batch, steps, units)) for name in names}
    h_seq = np.empty((batch, steps, units))
    h = h0
    for t in range(steps):
        a = projected[:, t]
        q = h @ recurrent_kernel + bias[1]
        z = _sigmoid(a[:, :units] + q[:, :units])
        r = _sigmoid(a[:, units : 2 * units] + q[:, units : 2 * units])
        candidate = np.tanh(a[:, 2 * units :] + r * q[:, 2 * units :])
        h = z * h + (1.0 - z) * candidate
        for name, value in zip(names, (z, r, candidate, q[:, 2 * units :]), strict=True):
            gates[name][:, t] = value
        h_seq[:, t] = h
    return h_seq, RecurrentCache("gru", x, kernel, recurrent_kernel, bias, h0, h_seq, gates=gates)


def gru_backward(dh_seq: Array, cache: RecurrentCache) -> dict[str, Array]:
    """Backpropagation through time for :func:`gru_forward`.

    Returns:
        Gradients ``{"x", "kernel", "recurrent_kernel", "bias", "h0"}``; ``"bias"`` is
        ``(2, 3 * units)`` like the bias itself.
    """
    dh_seq = _check_upstream(dh_seq, cache, "gru")
    g = cache.gates
    z, r, candidate, q_h = (g[name] for name in (*GATES["gru"], "recurrent_candidate"))
    previous = np.concatenate([cache.h0[:, None], cache.h_seq[:, :-1]], axis=1)
    shape = cache.h_seq.shape[:2] + (3 * cache.h0.shape[1],)
    d_input, d_recurrent = np.empty(shape), np.empty(shape)  # w.r.t. the projections a and q
    dh_next = np.zeros_like(cache.h0)
    for t in reversed(range(cache.x.shape[1])):
        dh = dh_seq[:, t] + dh_next
        d_candidate = dh * (1.0 - z[:, t]) * (1.0 - candidate[:, t] ** 2)
        d_z = dh * (previous[:, t] - candidate[:, t]) * z[:, t] * (1.0 - z[:, t])
        d_r = d_candidate * q_h[:, t] * r[:, t] * (1.0 - r[:, t])
        d_input[:, t] = np.concatenate([d_z, d_r, d_candidate], axis=1)
        d_recurrent[:, t] = np.concatenate([d_z, d_r, d_candidate * r[:, t]], axis=1)
        dh_next = dh * z[:, t] + d_recurrent[:, t] @ cache.recurrent_kernel.T
    return {
        "x": d_input @ cache.kernel.T,
        "kernel": np.einsum("btf,btg->fg", cache.x, d_input),
        "recurrent_kernel": np.einsum("btu,btg->ug", previous, d_recurrent),
        "bias": np.stack([d_input.sum(axis=(0, 1)), d_recurrent.sum(axis=(0, 1))]),
        "h0": dh_next,
    }

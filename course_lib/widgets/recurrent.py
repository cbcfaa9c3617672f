"""Widgets of notebooks 09-10: gradients through time, and the gates of LSTM and GRU cells."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import recurrence, validate
from ..scratch import recurrent
from .redraw import connect

Array = np.ndarray
W_RANGE = (-2.5, 2.5)
LOG_LIMIT = 30.0  # the plots show gradients between 1e-30 and 1e30


def _verdict(log10_value: float) -> str:
    if log10_value < -3:
        return "vanishes"
    if log10_value > 3:
        return "explodes"
    return "survives"


def render_gradient_flow(w_value: float, slope: float, input_scale: float, steps: int):
    """Two panels for ``h_t = tanh(slope (w h_{t-1} + input_scale x_t))``.

    Left: ``|dh_T/dh_{T-k}|`` against the number of steps back ``k``, with the bound
    ``(|w| slope)**k``. Right: ``|dh_T/dh_0|`` for every recurrent weight in
    ``W_RANGE``, the current one marked.

    Returns:
        ``(figure, text)``, the text saying what happens to the gradient after T steps.
    """
    flow = recurrence.gradient_flow(w_value, slope=slope, input_scale=input_scale, steps=steps)
    weights = np.linspace(*W_RANGE, 201)
    over_w = recurrence.final_gradient_over_w(weights, slope=slope, input_scale=input_scale,
                                              steps=steps)
    back = flow.steps_back()
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = np.where(back == 0, 0.0, back * np.log10(abs(w_value) * slope))
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    left.plot(back, np.clip(flow.log10_gradient[::-1], -LOG_LIMIT - 5, LOG_LIMIT + 5),
              color="C0", label="tanh neuron")
    left.plot(back, np.clip(bound, -LOG_LIMIT - 5, LOG_LIMIT + 5), color="C3", ls="--",
              label=r"$(|w|\,\mathrm{slope})^k$")
    left.set(xlabel="steps back k", ylabel=r"$\log_{10}|\partial h_T/\partial h_{T-k}|$",
             ylim=(-LOG_LIMIT, LOG_LIMIT), title=f"T = {steps}")
    left.legend(loc="upper left", fontsize="small")
    right.plot(weights, np.clip(over_w, -LOG_LIMIT - 5, LOG_LIMIT + 5), color="C0")
    right.axvspan(-1 / slope, 1 / slope, color="C2", alpha=0.12, label=r"$|w|\,\mathrm{slope} < 1$")
    right.axvline(w_value, color="C3")
    right.set(xlabel="recurrent weight w", ylabel=r"$\log_{10}|\partial h_T/\partial h_0|$",
              xlim=W_RANGE, ylim=(-LOG_LIMIT, LOG_LIMIT), title="every w at once")
    right.legend(loc="upper left", fontsize="small")
    for ax in (left, right):
        ax.axhline(0, color="gray", lw=0.6)
    final = float(flow.log10_gradient[0])
    shown = "0" if np.isneginf(final) else f"10^{final:.1f}"
    text = f"after {steps} steps |dh_T/dh_0| = {shown}: the gradient {_verdict(final)}"
    return fig, text


def gradient_flow_explorer(w_value: float = 0.9, slope: float = 1.0) -> w.Widget:
    """Sliders for the recurrent weight, the activation's slope, the input and T."""
    w_value = validate.real("w_value", w_value, low=W_RANGE[0], high=W_RANGE[1])
    slope = validate.real("slope", slope, low=0.25, high=2.0)
    controls = [
        w.FloatSlider(value=w_value, min=W_RANGE[0], max=W_RANGE[1], step=0.05, description="w"),
        w.FloatSlider(value=slope, min=0.25, max=2.0, step=0.05, description="slope"),
        w.FloatSlider(value=0.5, min=0.0, max=2.0, step=0.1, description="input scale"),
        w.IntSlider(value=50, min=5, max=200, step=5, description="T"),
    ]
    figure, text = connect(render_gradient_flow, controls)
    return w.VBox([w.HBox(controls[:2]), w.HBox(controls[2:]), figure, text])


# --------------------------------------------------------------------------- gates

FORWARD = {"LSTM": recurrent.lstm_forward, "GRU": recurrent.gru_forward}
SHOWN = {"LSTM": ("input", "forget", "output", "cell"), "GRU": ("update", "reset", "candidate")}


def gate_activations(cell: str, weights: Sequence[Array], sequence: Array) -> dict[str, Array]:
    """Run one sequence through a scratch LSTM or GRU and return its gates.

    Args:
        cell: ``"LSTM"`` or ``"GRU"``.
        weights: ``[kernel, recurrent_kernel, bias]`` as ``layer.get_weights()`` gives them.
        sequence: ``(time, features)``.

    Returns:
        ``{gate name: (time, units)}`` for the gates in ``SHOWN[cell]``.
    """
    cell = validate.choice("cell", cell, tuple(FORWARD))
    sequence = validate.array("sequence", sequence, ndim=2, layout="(time, features)")
    if len(weights) != 3:
        raise ValueError(f"weights must be [kernel, recurrent_kernel, bias], got {len(weights)} arrays")
    _, cache = FORWARD[cell](sequence[np.newaxis], *weights)
    return {name: cache.gates[name][0] for name in SHOWN[cell]}


def render_gates(sequence: Array, gates: Mapping[str, Array], gate: str, *, title: str = ""):
    """The input sequence (values, marked steps in red) above one gate's heatmap.

    Args:
        sequence: ``(time, 2)``: value and marker, the adding problem's layout.
        gates: ``{name: (time, units)}``.
        gate: which one to draw.
    """
    sequence = validate.array("sequence", sequence, shape=(None, 2), layout="(time, 2)")
    gate = validate.choice("gate", gate, tuple(gates))
    activations = validate.array(gate, gates[gate], shape=(len(sequence), None), layout="(time, units)")
    steps = np.arange(len(sequence))
    marked = sequence[:, 1] > 0.5
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 4.2), sharex=True, layout="constrained",
                                      height_ratios=(1, 2.4))
    top.bar(steps, sequence[:, 0], color=np.where(marked, "C3", "0.7"), width=0.8)
    top.set(ylabel="value", ylim=(0, 1), title=title or "input (marked steps in red)")
    if gate in ("cell", "candidate"):  # signed; a cell state may exceed 1 in size
        largest = max(1.0, float(np.abs(activations).max()))
        limits, cmap = (-largest, largest), "coolwarm"
    else:
        limits, cmap = (0.0, 1.0), "viridis"
    image = bottom.imshow(activations.T, aspect="auto", cmap=cmap, vmin=limits[0], vmax=limits[1],
                          interpolation="nearest", extent=(-0.5, len(sequence) - 0.5,
                                                           activations.shape[1] - 0.5, -0.5))
    for step in steps[marked]:
        bottom.axvline(step, color="C3", lw=0.8, ls=":")
    bottom.set(xlabel="time step", ylabel="unit", title=f"{gate} {'state' if gate == 'cell' else 'gate'}")
    bottom.grid(False)
    fig.colorbar(image, ax=bottom, fraction=0.03)
    return fig


def gate_explorer(weights: Mapping[str, Sequence[Array]], sequences: Array) -> w.Widget:
    """Pick a cell (``weights`` has ``"LSTM"`` and/or ``"GRU"``), a sequence and a gate.

    Args:
        weights: ``{cell: [kernel, recurrent_kernel, bias]}`` of trained layers.
        sequences: ``(n, time, 2)`` adding-problem inputs.
    """
    if not weights or any(cell not in FORWARD for cell in weights):
        raise ValueError(f"weights must map some of {tuple(FORWARD)} to layer weights, got {list(weights)}")
    sequences = validate.array("sequences", sequences, shape=(None, None, 2), layout="(n, time, 2)")
    first = next(iter(weights))
    cell = w.Dropdown(options=list(weights), value=first, description="cell")
    gate = w.Dropdown(options=list(SHOWN[first]), value=SHOWN[first][0], description="gate")
    sample = w.IntSlider(value=0, min=0, max=len(sequences) - 1, description="sequence")

    def on_cell(change) -> None:
        gate.options = list(SHOWN[change["new"]])  # resets gate.value and redraws

    cell.observe(on_cell, names="value")

    def render(cell_name: str, gate_name: str, index: int):
        if gate_name not in SHOWN[cell_name]:  # mid-way through switching cells
            gate_name = SHOWN[cell_name][0]
        gates = gate_activations(cell_name, weights[cell_name], sequences[index])
        return render_gates(sequences[index], gates, gate_name, title=f"{cell_name}, sequence {index}")

    figure, _ = connect(render, [cell, gate, sample])
    return w.VBox([w.HBox([cell, gate, sample]), figure])

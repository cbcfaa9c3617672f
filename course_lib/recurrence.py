"""A recurrent neuron unfolded in time: the diagram, and how a gradient travels back.

For the scalar neuron ``h_t = tanh(slope * (w h_{t-1} + u x_t))`` the chain rule gives

    dh_T/dh_t = prod_{s=t+1}^{T} w * slope * (1 - h_s**2),

one factor per step. Each factor is at most ``|w| * slope`` in size, so the gradient that
reaches ``k`` steps back shrinks like ``(|w| slope)**k`` when ``|w| slope < 1`` (it
vanishes) and can grow like it when ``|w| slope > 1`` (it explodes), until the tanh
saturates and ``1 - h**2`` pulls it down again. Everything here is NumPy and fast enough
to redraw a widget.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import validate

Array = np.ndarray


@dataclass(frozen=True)
class GradientFlow:
    """One run of the scalar neuron and the gradient of ``h_T`` with respect to each state.

    ``states: (T + 1,)`` holds ``h_0 .. h_T``; ``log10_gradient: (T + 1,)`` holds
    ``log10 |dh_T/dh_t|`` for ``t = 0 .. T`` (so its last entry is 0), in logarithms
    because the values span hundreds of orders of magnitude.
    """

    states: Array
    log10_gradient: Array

    @property
    def steps(self) -> int:
        return len(self.states) - 1

    def steps_back(self) -> Array:
        """``k = T - t`` for each entry of ``log10_gradient`` read backwards."""
        return np.arange(self.steps + 1)

    def gradient_back(self, k: int) -> float:
        """``|dh_T/dh_{T-k}|``, the gradient ``k`` steps back (0 or inf beyond floats)."""
        k = validate.index("k", k, self.steps + 1)
        with np.errstate(over="ignore"):
            return float(10.0 ** self.log10_gradient[self.steps - k])


def _inputs(steps: int, seed: int) -> Array:
    return np.random.default_rng(seed).normal(size=steps)


def _simulate(w: Array, slope: float, input_scale: float, steps: int, seed: int):
    """States ``(T + 1, n)`` and log10 of each step's local derivative ``(T, n)``."""
    x = _inputs(steps, seed)
    states = np.zeros((steps + 1, w.size))
    for t in range(steps):
        states[t + 1] = np.tanh(slope * (w * states[t] + input_scale * x[t]))
    with np.errstate(divide="ignore"):
        local = np.log10(np.abs(w * slope * (1.0 - states[1:] ** 2)))
    return states, local


def _check(w, slope, input_scale, steps, seed):
    return (
        validate.real("w", w),
        validate.positive("slope", slope),
        validate.positive("input_scale", input_scale, allow_zero=True),
        validate.count("steps", steps, maximum=10_000),
        validate.seed("seed", seed),
    )


def gradient_flow(
    w: float, *, slope: float = 1.0, input_scale: float = 0.0, steps: int = 50, seed: int = 0
) -> GradientFlow:
    """Run ``h_t = tanh(slope * (w h_{t-1} + input_scale * x_t))`` from ``h_0 = 0``.

    Args:
        w: the recurrent weight.
        slope: the activation's slope at 0 (1 for tanh; 1/4 matches a sigmoid's).
        input_scale: the input weight ``u``; inputs ``x_t`` are standard normal draws
            (fixed by ``seed``). With no input the state stays at 0, where tanh is
            steepest, and the gradient is exactly ``(w * slope)**k``.
        steps: ``T``.
    """
    w, slope, input_scale, steps, seed = _check(w, slope, input_scale, steps, seed)
    states, local = _simulate(np.array([w]), slope, input_scale, steps, seed)
    # log|dh_T/dh_t| = sum of the local factors after t: a reversed cumulative sum.
    backwards = np.concatenate([[0.0], np.cumsum(local[::-1, 0])])
    return GradientFlow(states=states[:, 0], log10_gradient=backwards[::-1].copy())


def final_gradient_over_w(
    weights: Array, *, slope: float = 1.0, input_scale: float = 0.0, steps: int = 50, seed: int = 0
) -> Array:
    """``log10 |dh_T/dh_0|`` for each recurrent weight in ``weights`` (``(n,)`` -> ``(n,)``)."""
    weights = validate.array("weights", weights, ndim=1, layout="(n,)")
    _, slope, input_scale, steps, seed = _check(0.0, slope, input_scale, steps, seed)
    _, local = _simulate(weights, slope, input_scale, steps, seed)
    return local.sum(axis=0)


def draw_unfolded_rnn(steps: int = 3, ax=None):
    """The recurrent neuron folded (left) and unfolded over ``steps`` time steps (right).

    Inputs ``x_t`` enter through ``U``, the state ``h_t`` feeds itself through ``W`` and
    the output ``y_t = f_2(V h_t)``; the unfolded copies share the same three matrices.
    """
    import matplotlib.pyplot as plt

    steps = validate.count("steps", steps, maximum=6)
    if ax is not None:
        validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(2.2 + 1.9 * steps, 3.2))
    levels = {"x": 0.0, "h": 1.0, "y": 2.0}
    colors = {"x": "#d6e6f5", "h": "#fde0c5", "y": "#d9f0d3"}

    def node(x: float, kind: str, label: str) -> None:
        ax.text(x, levels[kind], label, ha="center", va="center", fontsize=12, zorder=3,
                bbox={"boxstyle": "round,pad=0.45", "fc": colors[kind], "ec": "0.3"})

    def arrow(start, end, label: str, offset=(0.12, 0.0), **style) -> None:
        ax.annotate("", xy=end, xytext=start, zorder=2,
                    arrowprops={"arrowstyle": "-|>", "color": "0.25", "shrinkA": 16, "shrinkB": 16,
                                **style})
        middle = ((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1])
        ax.text(*middle, label, fontsize=11, color="0.15", ha="left", va="center")

    # folded
    for kind, text in (("x", "$x$"), ("h", "$h$"), ("y", "$y$")):
        node(0.0, kind, text)
    arrow((0, 0), (0, 1), "U")
    arrow((0, 1), (0, 2), "V")
    ax.annotate("", xy=(0.2, 0.88), xytext=(0.2, 1.12), zorder=2,
                arrowprops={"arrowstyle": "-|>", "color": "0.25",
                            "connectionstyle": "arc3,rad=-2.4"})
    ax.text(0.55, 1.0, "W", fontsize=11, color="0.15", va="center")
    ax.text(1.2, 1.0, "=", fontsize=20, ha="center", va="center")
    # unfolded
    names = ["t-1", "t", "t+1"] if steps == 3 else [str(k) for k in range(1, steps + 1)]
    xs = 2.3 + 1.6 * np.arange(steps)
    for x, name in zip(xs, names, strict=True):
        node(x, "x", f"$x_{{{name}}}$")
        node(x, "h", f"$h_{{{name}}}$")
        node(x, "y", f"$y_{{{name}}}$")
        arrow((x, 0), (x, 1), "U")
        arrow((x, 1), (x, 2), "V")
    for left, right in zip(xs[:-1], xs[1:], strict=True):
        arrow((left, 1), (right, 1), "W", offset=(-0.1, 0.14))
    arrow((xs[0] - 0.8, 1), (xs[0], 1), "", linestyle="dashed")
    arrow((xs[-1], 1), (xs[-1] + 1.1, 1), "", linestyle="dashed")
    ax.set(xlim=(-0.6, xs[-1] + 1.2), ylim=(-0.5, 2.5))
    ax.set_axis_off()
    ax.set_title("one recurrent neuron, folded and unfolded in time", fontsize="medium")
    return ax

"""Two-dimensional loss surfaces for watching optimizers move.

Each :class:`Surface` is a function of a point ``w = (w1, w2)`` with its exact
gradient, a sensible plotting window and a starting point. :func:`trajectory` runs any
optimizer from :mod:`course_lib.scratch.optimizers` on it, and :func:`draw` shows the
contour plot with trajectories on top.

NumPy only (matplotlib is imported when drawing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import validate
from .scratch.optimizers import Optimizer


@dataclass(frozen=True)
class Surface:
    """A loss ``f(w)`` over the plane with its gradient.

    Attributes:
        name: a short label.
        value: ``(..., 2) -> (...)`` the loss at each point (vectorised over the
            leading axes, so a whole grid evaluates at once).
        gradient: ``(2,) -> (2,)`` the gradient at one point.
        window: ``(w1_min, w1_max, w2_min, w2_max)`` for plots.
        start: the default starting point.
        minimum: the global minimiser, or None when the loss is unbounded below.
        log_levels: draw contour levels on a log scale (for losses spanning decades).
    """

    name: str
    value: Callable[[np.ndarray], np.ndarray]
    gradient: Callable[[np.ndarray], np.ndarray]
    window: tuple[float, float, float, float]
    start: tuple[float, float]
    minimum: tuple[float, float] | None
    log_levels: bool = False

    def __call__(self, w: np.ndarray) -> np.ndarray:
        w = validate.array("w", w, finite=False)
        if w.ndim == 0 or w.shape[-1] != 2:
            raise ValueError(f"w must hold points (..., 2), got shape {w.shape}")
        return self.value(w)


def _elongated_value(w: np.ndarray) -> np.ndarray:
    return 0.5 * (w[..., 0] ** 2 + 20.0 * w[..., 1] ** 2)


def _elongated_gradient(w: np.ndarray) -> np.ndarray:
    return np.array([w[0], 20.0 * w[1]])


def _rosenbrock_value(w: np.ndarray) -> np.ndarray:
    return (1.0 - w[..., 0]) ** 2 + 100.0 * (w[..., 1] - w[..., 0] ** 2) ** 2


def _rosenbrock_gradient(w: np.ndarray) -> np.ndarray:
    x, y = w
    return np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x**2), 200.0 * (y - x**2)])


def _saddle_value(w: np.ndarray) -> np.ndarray:
    # A saddle at the origin, held in along w2 by a quartic wall: minima at w2 = +-1.
    return 0.5 * w[..., 0] ** 2 - 0.5 * w[..., 1] ** 2 + 0.25 * w[..., 1] ** 4


def _saddle_gradient(w: np.ndarray) -> np.ndarray:
    return np.array([w[0], -w[1] + w[1] ** 3])


def _bowl_value(w: np.ndarray) -> np.ndarray:
    return 0.5 * (w[..., 0] ** 2 + w[..., 1] ** 2)


def _bowl_gradient(w: np.ndarray) -> np.ndarray:
    return np.array([w[0], w[1]])


SURFACES: dict[str, Surface] = {
    "round bowl": Surface(
        "round bowl", _bowl_value, _bowl_gradient, (-3, 3, -3, 3), (-2.5, 2.0), (0.0, 0.0)
    ),
    "elongated quadratic": Surface(
        "elongated quadratic",
        _elongated_value,
        _elongated_gradient,
        (-5, 5, -2, 2),
        (-4.5, 1.2),
        (0.0, 0.0),
    ),
    "Rosenbrock": Surface(
        "Rosenbrock",
        _rosenbrock_value,
        _rosenbrock_gradient,
        (-2, 2, -1, 3),
        (-1.2, 1.0),
        (1.0, 1.0),
        log_levels=True,
    ),
    "saddle": Surface(
        "saddle", _saddle_value, _saddle_gradient, (-2, 2, -2, 2), (1.8, 1e-3), (0.0, 1.0)
    ),
}
"""The course's surfaces by name. The saddle has two minima, at ``(0, 1)`` and ``(0, -1)``."""


def get_surface(surface: str | Surface) -> Surface:
    """Look a surface up by name (or pass a :class:`Surface` through)."""
    if isinstance(surface, Surface):
        return surface
    if not isinstance(surface, str):
        raise TypeError(
            f"surface must be a surface name or a Surface, got {validate.describe(surface)}"
        )
    if surface not in SURFACES:
        raise ValueError(f"surface: unknown surface {surface!r}: expected one of {list(SURFACES)}")
    return SURFACES[surface]


def trajectory(
    optimizer,
    surface: str | Surface,
    *,
    start: Sequence[float] | None = None,
    num_steps: int = 100,
    blow_up: float = 1e6,
) -> np.ndarray:
    """Run ``optimizer`` (anything with ``step(params, grads)``) on ``surface``.

    Args:
        optimizer: a fresh optimizer from :mod:`course_lib.scratch.optimizers`.
        start: the starting point; the surface's default when None.
        num_steps: how many updates to make.
        blow_up: stop early once a coordinate exceeds this size (divergence).

    Returns:
        ``(k + 1, 2)`` points visited, the start included (``k = num_steps`` unless
        the run diverged and stopped early).
    """
    surface = get_surface(surface)
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(
            "optimizer must have a step(params, grads) method, such as scratch.SGD(), got "
            f"{validate.describe(optimizer)}"
        )
    num_steps = validate.count("num_steps", num_steps, minimum=0)
    blow_up = validate.positive("blow_up", blow_up)
    if start is None:
        w = np.array(surface.start, dtype=float)
    else:
        try:
            w = np.array(validate.reals("start", start, length=2))
        except ValueError as error:
            raise ValueError(f"start must be a point (w1, w2): {error}") from None
    points = [w.copy()]
    for _ in range(num_steps):
        with np.errstate(over="ignore", invalid="ignore"):
            gradient = surface.gradient(w)
        if not np.isfinite(gradient).all():
            break  # diverged: the gradient overflowed
        if isinstance(optimizer, Optimizer):
            optimizer._apply([(0, w, gradient)])  # both already checked: skip the checks
        else:
            optimizer.step(w, gradient)
        points.append(w.copy())
        if not np.all(np.isfinite(w)) or np.abs(w).max() > blow_up:
            break
    return np.array(points)


def final_loss(path: np.ndarray, surface: str | Surface) -> float:
    """The loss at the last point of a trajectory (inf if it diverged)."""
    surface = get_surface(surface)
    path = validate.array("path", path, shape=(None, 2), layout="(k, 2) points", finite=False)
    with np.errstate(over="ignore", invalid="ignore"):
        value = float(surface(path[-1]))
    return value if np.isfinite(value) else float("inf")


def grid(surface: str | Surface, resolution: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(W1, W2, loss)`` arrays of shape ``(resolution, resolution)`` over the window."""
    surface = get_surface(surface)
    resolution = validate.count("resolution", resolution, minimum=2)
    w1_min, w1_max, w2_min, w2_max = surface.window
    W1, W2 = np.meshgrid(
        np.linspace(w1_min, w1_max, resolution), np.linspace(w2_min, w2_max, resolution)
    )
    return W1, W2, surface(np.stack([W1, W2], axis=-1))


def draw(
    surface: str | Surface,
    paths: Mapping[str, np.ndarray] | None = None,
    *,
    ax=None,
    resolution: int = 120,
):
    """Contour plot of ``surface`` with each named trajectory drawn over it.

    Args:
        paths: ``{label: (k, 2) points}``, e.g. from :func:`trajectory`.

    Returns:
        The Axes.
    """
    import matplotlib.pyplot as plt

    surface = get_surface(surface)
    resolution = validate.count("resolution", resolution, minimum=2)
    paths = {} if paths is None else validate.mapping("paths", paths)
    checked = {
        str(label): validate.array(
            f"paths[{label!r}]", path, shape=(None, 2), layout="(k, 2) points", finite=False
        )
        for label, path in paths.items()
    }
    if ax is None:
        _, ax = plt.subplots(figsize=(6.0, 4.2))
    else:
        ax = validate.axes("ax", ax)
    W1, W2, Z = grid(surface, resolution)
    if surface.log_levels:
        levels = np.logspace(np.log10(max(Z.min(), 1e-3)), np.log10(Z.max()), 18)
    else:
        levels = np.linspace(Z.min(), Z.max(), 25)
    ax.contour(W1, W2, Z, levels=levels, colors="0.65", linewidths=0.6)
    if surface.minimum is not None:
        ax.plot(*surface.minimum, marker="*", color="black", markersize=12, linestyle="none")
    for label, path in checked.items():
        ax.plot(path[:, 0], path[:, 1], marker=".", markersize=3, linewidth=1.2, label=label)
    w1_min, w1_max, w2_min, w2_max = surface.window
    ax.set(xlim=(w1_min, w1_max), ylim=(w2_min, w2_max), xlabel="$w_1$", ylabel="$w_2$",
           title=surface.name)
    if paths:
        ax.legend(fontsize=8, loc="upper right")
    return ax

"""A perceptron stepper: one Rosenblatt update per click, the separating line moving (notebook 02)."""

from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import plots, validate
from ..scratch import perceptron as pc
from .redraw import coalesce, figure_area, redraw, say

Array = np.ndarray
DATASETS = ("two clusters", "AND", "OR", "XOR")


def stepper_data(name: str, *, seed: int = 0) -> tuple[Array, Array]:
    """Points and 0/1 labels for the stepper: a Boolean gate or two separable clusters."""
    if not isinstance(name, str):
        raise TypeError(f"name must be one of {DATASETS}, got {validate.describe(name)}")
    seed = validate.seed("seed", seed)
    if name == "two clusters":
        rng = np.random.default_rng(seed)
        t = np.arange(20) % 2
        X = rng.normal(scale=0.5, size=(20, 2)) + np.where(t[:, None] == 1, 1.2, -1.2)
        return X, t
    if name not in DATASETS:
        raise ValueError(f"name: unknown dataset {name!r}: expected one of {DATASETS}")
    return pc.boolean_gate(name)


class PerceptronStepper:
    """Rosenblatt's perceptron, advanced one example at a time.

    Examples are visited in a fixed shuffled order that is reshuffled every epoch;
    :meth:`step` applies :func:`scratch.perceptron.perceptron_update` to the next one.
    """

    def __init__(self, X: Array, t: Array, *, learning_rate: float = 1.0, seed: int = 0) -> None:
        self.X = validate.array("X", X, shape=(None, 2), layout="(n, 2)")
        self.t = validate.array("t", t, kind="int", shape=(len(self.X),),
                                layout=f"(n,) = ({len(self.X)},) labels")
        if not np.isin(self.t, (0, 1)).all():
            raise ValueError("t: perceptron labels must be 0 or 1")
        self.learning_rate = validate.positive("learning_rate", learning_rate)
        self.seed = validate.seed("seed", seed)
        self.reset()

    def reset(self) -> None:
        """Weights back to zero, first epoch, first example."""
        self.rng = np.random.default_rng(self.seed)
        self.w, self.b = np.zeros(2), 0.0
        self.epoch, self.position, self.updates = 1, 0, 0
        self.order = self.rng.permutation(len(self.X))
        self.last_index: int | None = None
        self.last_changed = False

    def step(self) -> bool:
        """Show the next example to the perceptron; returns True if the weights changed."""
        if self.position == len(self.X):
            self.epoch += 1
            self.position = 0
            self.order = self.rng.permutation(len(self.X))
        index = int(self.order[self.position])
        self.w, self.b, changed = pc.perceptron_update(
            self.w, self.b, self.X[index], self.t[index], self.learning_rate
        )
        self.position += 1
        self.updates += int(changed)
        self.last_index, self.last_changed = index, changed
        return changed

    def run_epoch(self) -> int:
        """Finish the current epoch (or run a whole new one); returns how many updates it made."""
        if self.position == len(self.X):
            self.step()
            made = int(self.last_changed)
        else:
            made = 0
        while self.position < len(self.X):
            made += self.step()
        return made

    @property
    def mistakes(self) -> int:
        """Training points the current weights classify wrongly."""
        return int((pc.perceptron_predict(self.X, self.w, self.b) != self.t).sum())

    def describe(self) -> str:
        where = f"epoch {self.epoch}, example {self.position}/{len(self.X)}"
        weights = f"w = ({self.w[0]:+.2f}, {self.w[1]:+.2f}), b = {self.b:+.2f}"
        return f"{where} · {weights} · {self.updates} updates · {self.mistakes} points wrong"


def render_perceptron(stepper: PerceptronStepper):
    """The data, the two half-planes, the weight vector and the last example shown."""
    stepper = validate.instance("stepper", stepper, PerceptronStepper, "a PerceptronStepper")
    fig, ax = plt.subplots(figsize=(4.8, 4.2), layout="constrained")
    plots.decision_boundary(
        lambda points: pc.perceptron_predict(points, stepper.w, stepper.b).astype(float),
        stepper.X,
        stepper.t,
        ax=ax,
        resolution=80,
    )
    ax.scatter(stepper.X[:, 0], stepper.X[:, 1], c=stepper.t, cmap="coolwarm", s=60,
               edgecolors="black", zorder=3)
    if stepper.last_index is not None:
        x = stepper.X[stepper.last_index]
        ax.scatter(
            x[0],
            x[1],
            s=220,
            facecolors="none",
            edgecolors="gold" if stepper.last_changed else "gray",
            linewidths=2.5,
            zorder=4,
        )
    norm = np.linalg.norm(stepper.w)
    if norm > 0:
        centre = stepper.X.mean(axis=0)
        ax.annotate("", xy=centre + stepper.w / norm, xytext=centre,
                    arrowprops={"arrowstyle": "->", "color": "black"})
    ax.set_title(f"epoch {stepper.epoch}, {stepper.mistakes} wrong", fontsize=9)
    return fig


def perceptron_stepper(dataset: str = "two clusters") -> w.Widget:
    """Dataset menu and Step / Epoch / Reset buttons over the perceptron's plot."""
    dataset = validate.choice("dataset", dataset, DATASETS)
    choice = w.Dropdown(options=DATASETS, value=dataset, description="data")
    buttons = [w.Button(description=label) for label in ("Step", "Epoch", "Reset")]
    figure, status = figure_area(), w.Output()
    state = {"stepper": PerceptronStepper(*stepper_data(dataset))}

    def draw() -> None:
        stepper = state["stepper"]
        redraw(figure, render_perceptron(stepper))
        say(status, stepper.describe())

    # Every click acts on the perceptron at once; quick clicks share one redraw.
    show = coalesce(draw, status)

    def on_dataset(change=None) -> None:
        state["stepper"] = PerceptronStepper(*stepper_data(choice.value))
        show()

    actions = (
        lambda: state["stepper"].step(),
        lambda: state["stepper"].run_epoch(),
        lambda: state["stepper"].reset(),
    )
    def on_click(action):
        def clicked(_button) -> None:
            action()
            show()

        return clicked

    for button, action in zip(buttons, actions, strict=True):
        button.on_click(on_click(action))
    choice.observe(on_dataset, names="value")
    draw()
    return w.VBox([w.HBox([choice, *buttons]), figure, status])

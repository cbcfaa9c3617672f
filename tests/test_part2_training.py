"""Notebook 04's helpers: surfaces, widgets, deep-network measurements and exercise checks."""


import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import scratch, surfaces
from course_lib.widgets import optimizers as optimizer_widgets

# ------------------------------------------------------------------ surfaces


@pytest.mark.parametrize("name", list(surfaces.SURFACES))
def test_surface_gradients_match_finite_differences(name):
    surface = surfaces.get_surface(name)
    rng = np.random.default_rng(0)
    for point in rng.uniform(-1.5, 1.5, size=(5, 2)):
        numeric = np.array(
            [
                (surface(point + step) - surface(point - step)) / 2e-6
                for step in np.eye(2) * 1e-6
            ]
        )
        np.testing.assert_allclose(surface.gradient(point), numeric, rtol=1e-5, atol=1e-5)
    if surface.minimum is not None:
        np.testing.assert_allclose(surface.gradient(np.array(surface.minimum)), 0.0, atol=1e-12)


def test_trajectory_shapes_and_divergence():
    path = surfaces.trajectory(scratch.SGD(learning_rate=0.05), "elongated quadratic", num_steps=20)
    assert path.shape == (21, 2)
    np.testing.assert_allclose(path[0], surfaces.SURFACES["elongated quadratic"].start)
    diverged = surfaces.trajectory(scratch.SGD(learning_rate=0.5), "elongated quadratic", num_steps=500)
    assert len(diverged) < 501 and surfaces.final_loss(diverged, "elongated quadratic") > 1e6
    with pytest.raises(ValueError, match="unknown surface"):
        surfaces.trajectory(scratch.SGD(), "volcano")
    with pytest.raises(ValueError, match="start"):
        surfaces.trajectory(scratch.SGD(), "saddle", start=(1.0, 2.0, 3.0))


def test_draw_returns_axes():
    ax = surfaces.draw("Rosenbrock", {"SGD": np.zeros((3, 2))})
    assert ax.get_title() == "Rosenbrock" and len(ax.get_lines()) == 2
    plt.close("all")


# ------------------------------------------------------------------- widgets


def test_learning_rate_classification_follows_the_theory():
    # On 0.5 (w1^2 + 20 w2^2) gradient descent is stable for lr < 2 / 20.
    verdicts = [
        optimizer_widgets.classify_learning_rate(
            surfaces.trajectory(scratch.SGD(learning_rate=lr), "elongated quadratic", num_steps=50)
        )
        for lr in (0.005, 0.09, 0.095, 0.101, 0.15)
    ]
    assert verdicts == ["too slow", "converges", "converges", "diverges", "diverges"]
    sweep = optimizer_widgets.learning_rate_sweep(np.array([0.01, 0.09, 0.12]))
    assert sweep[1] < sweep[0] < sweep[2]


def test_race_and_its_summary():
    paths = optimizer_widgets.race("elongated quadratic", ["SGD", "Adam"], 0.05, num_steps=30)
    assert list(paths) == ["SGD", "Adam"] and paths["SGD"].shape == (31, 2)
    text = optimizer_widgets.describe_race(paths, "elongated quadratic")
    assert text.splitlines()[0].split()[0] in ("SGD", "Adam") and "final loss" in text
    assert "diverged" in optimizer_widgets.describe_race(
        optimizer_widgets.race("elongated quadratic", ["SGD"], 0.5), "elongated quadratic"
    )
    assert optimizer_widgets.describe_race({}, "saddle") == "Pick at least one optimizer."
    with pytest.raises(ValueError, match="unknown optimizers"):
        optimizer_widgets.race("saddle", ["Adagrad"], 0.1)


@pytest.mark.parametrize(
    "render, args",
    [
        (optimizer_widgets.render_race, ("Rosenbrock", list(scratch.OPTIMIZERS), 0.002, 400)),
        (optimizer_widgets.render_learning_rate, (0.05, 200)),
        (optimizer_widgets.render_learning_rate, (0.15, 50)),
    ],
)
def test_redraws_at_their_most_demanding_settings(render, args):
    fig, text = render(*args)
    fig.canvas.draw()
    plt.close("all")
    assert text and fig.axes


def test_widgets_react_to_their_controls(set_value):
    race = optimizer_widgets.optimizer_race()
    surface, names, learning_rate, num_steps = race.children[0].children[:4]
    assert "Nesterov" in set_value(names, ("Nesterov",))
    assert "diverged" in set_value(learning_rate, 0.5)
    explorer = optimizer_widgets.learning_rate_explorer()
    slider, steps = explorer.children[0].children
    set_value(slider, slider.value)  # drop what building the explorer printed
    assert "diverges" in set_value(slider, 0.15)
    assert "too slow" in set_value(slider, 0.002)
    plt.close("all")


def test_learning_rate_figure_is_updated_in_place():
    figure = optimizer_widgets.LearningRateFigure()
    first, text = optimizer_widgets.render_learning_rate(0.15, 50, figure=figure)
    assert "diverges" in text
    second, text = optimizer_widgets.render_learning_rate(0.02, 80, figure=figure)
    assert second is first and "too slow" in text
    path = surfaces.trajectory(scratch.SGD(learning_rate=0.02), "elongated quadratic", num_steps=80)
    np.testing.assert_allclose(np.column_stack(figure.path_line.get_data()), path)
    assert figure.legend.get_texts()[0].get_text() == "lr = 0.02"
    assert figure.ax_loss.get_title() == "loss: too slow"
    assert figure.ax_sweep.get_ylabel() == "loss after 80 steps"
    np.testing.assert_allclose(figure.sweep_line.get_ydata(),
                               np.minimum(optimizer_widgets._cached_sweep("elongated quadratic", 80), 1e6))
    assert list(figure.marker.get_xdata()) == [0.02, 0.02]
    with pytest.raises(ValueError, match="surface"):
        optimizer_widgets.render_learning_rate(0.02, 10, "saddle", figure=figure)
    with pytest.raises(TypeError, match="LearningRateFigure"):
        optimizer_widgets.render_learning_rate(0.02, 10, figure="a figure")
    plt.close("all")

"""Notebook 04's helpers: surfaces, widgets, deep-network measurements and exercise checks."""


import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import scratch, surfaces
from course_lib.checks import Status
from course_lib.exercises import training_deep_networks as exercises
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


# ----------------------------------------------------------------- exercises


def right_momentum_step(w, velocity, grad, lr, momentum):
    velocity = momentum * velocity - lr * grad
    return w + velocity, velocity


def slides_momentum_step(w, velocity, grad, lr, momentum):
    velocity = momentum * velocity + grad  # the slides' d, not Keras's velocity
    return w - lr * velocity, velocity


def in_place_momentum_step(w, velocity, grad, lr, momentum):
    velocity *= momentum
    velocity -= lr * grad
    w += velocity
    return w, velocity


def stub(*args):
    raise NotImplementedError


def crashing(*args):
    return undefined_name  # noqa: F821


@pytest.mark.parametrize(
    "answer, status",
    [
        (right_momentum_step, Status.CORRECT),
        (in_place_momentum_step, Status.CORRECT),  # inputs are copied per case
        (slides_momentum_step, Status.WRONG),
        (lambda *args: args[0], Status.WRONG),
        (stub, Status.NOT_ATTEMPTED),
        (crashing, Status.CRASHED),
        (None, Status.NOT_ATTEMPTED),
    ],
)
def test_check_momentum_step(answer, status, capsys):
    assert exercises.check_momentum_step(answer).status is status
    assert capsys.readouterr().out.strip()


@pytest.mark.parametrize(
    "answer, status",
    [
        (lambda m, v, t, b1, b2: (m / (1 - b1**t), v / (1 - b2**t)), Status.CORRECT),
        (lambda m, v, t, b1, b2: (m / (1 - b1), v / (1 - b2)), Status.WRONG),  # forgot t
        (lambda m, v, t, b1, b2: (m / (1 - b1 ** (t + 1)), v / (1 - b2 ** (t + 1))), Status.WRONG),
        (lambda m, v, t, b1, b2: m / (1 - b1**t), Status.WRONG),  # one value only
        (stub, Status.NOT_ATTEMPTED),
        (crashing, Status.CRASHED),
    ],
)
def test_check_bias_correction(answer, status, capsys):
    assert exercises.check_bias_correction(answer).status is status


def test_bias_correction_reference_matches_the_optimizer():
    """After one step from zero, Adam's corrected step is exactly the learning rate."""
    point = np.array([0.0, 0.0])
    scratch.Adam(learning_rate=0.1, epsilon=1e-12).step(point, np.array([5.0, -0.01]))
    np.testing.assert_allclose(point, [-0.1, 0.1], rtol=1e-6)


@pytest.mark.parametrize(
    "answer, status",
    [
        (lambda n: np.sqrt(2.0 / n), Status.CORRECT),
        (lambda n: np.sqrt(1.0 / n), Status.WRONG),
        (lambda n: 2.0 / n, Status.WRONG),
        (stub, Status.NOT_ATTEMPTED),
        ("sqrt(2/n)", Status.WRONG),
    ],
)
def test_check_he_std(answer, status, capsys):
    assert exercises.check_he_std(answer).status is status


def test_he_std_reference_matches_keras():
    keras = pytest.importorskip("keras")
    sample = keras.initializers.HeNormal(seed=1)(shape=(400, 400)).numpy()
    assert sample.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)


@pytest.mark.parametrize(
    "answer, status",
    [(0.1, Status.CORRECT), (2 / 20, Status.CORRECT), (0.05, Status.WRONG), (2.0, Status.WRONG),
     (..., Status.NOT_ATTEMPTED), ("0.1", Status.WRONG)],
)
def test_check_largest_stable_learning_rate(answer, status, capsys):
    assert exercises.check_largest_stable_learning_rate(answer).status is status

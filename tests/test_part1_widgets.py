"""Part I widgets: their logic, their speed and their controls, without a browser."""

import time

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib.scratch import activations as act
from course_lib.widgets import activations as activation_widget
from course_lib.widgets import perceptron as perceptron_widget

CALLBACK_BUDGET_S = 0.15


def timed_render(render, *args, **kwargs):
    """Seconds to build and draw a figure, as the notebook front-end would."""
    plt.close(render(*args, **kwargs))  # warm-up: fonts and caches
    start = time.perf_counter()
    fig = render(*args, **kwargs)
    fig.canvas.draw()
    elapsed = time.perf_counter() - start
    plt.close(fig)
    return elapsed


# ------------------------------------------------------------------ activation explorer


def test_activation_curves_apply_the_chain_rule_for_the_slope():
    x, y, dy = activation_widget.activation_curves("sigmoid", slope=3.0)
    np.testing.assert_allclose(y, act.sigmoid(3 * x))
    np.testing.assert_allclose(dy, 3 * act.sigmoid_derivative(3 * x))
    _, y, dy = activation_widget.activation_curves("leaky_relu", alpha=0.3, x=np.array([-2.0, 2.0]))
    np.testing.assert_allclose(y, [-0.6, 2.0])
    np.testing.assert_allclose(dy, [0.3, 1.0])


def test_activation_render_is_fast():
    assert timed_render(activation_widget.render_activation, "elu", 2.0, 0.5) < CALLBACK_BUDGET_S


def test_activation_explorer_reacts_to_its_controls(capsys):
    widget = activation_widget.activation_explorer()
    choice, slope, alpha = widget.children[0].children
    assert alpha.disabled  # sigmoid has no alpha
    capsys.readouterr()
    choice.value = "elu"
    assert not alpha.disabled
    slope.value = 2.0
    alpha.value = 0.5
    # outside a notebook the Output area falls back to printing: one redraw per change
    assert capsys.readouterr().out.count("Figure(") == 3
    assert not plt.get_fignums(), "the widget closes its figures in pyplot"


# ------------------------------------------------------------------ perceptron stepper


def test_stepper_visits_examples_and_updates_only_on_mistakes():
    X, t = perceptron_widget.stepper_data("AND")
    stepper = perceptron_widget.PerceptronStepper(X, t)
    changed = stepper.step()
    assert stepper.position == 1 and stepper.last_index is not None
    # with zero weights every point is predicted 1, so only label-0 points cause an update
    assert changed == (t[stepper.last_index] == 0)
    for _ in range(40):
        stepper.run_epoch()
    assert stepper.mistakes == 0
    assert "0 points wrong" in stepper.describe()
    stepper.reset()
    assert stepper.epoch == 1 and stepper.updates == 0 and np.all(stepper.w == 0)


def test_stepper_never_settles_on_xor():
    stepper = perceptron_widget.PerceptronStepper(*perceptron_widget.stepper_data("XOR"))
    for _ in range(30):
        stepper.run_epoch()
    assert stepper.mistakes > 0 and stepper.epoch == 30


def test_stepper_data_and_errors():
    X, t = perceptron_widget.stepper_data("two clusters")
    assert X.shape == (20, 2) and set(t) == {0, 1}
    with pytest.raises(ValueError, match="unknown dataset"):
        perceptron_widget.stepper_data("moons")
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        perceptron_widget.PerceptronStepper(np.zeros((4, 3)), np.zeros(4))


def test_perceptron_render_is_fast():
    stepper = perceptron_widget.PerceptronStepper(*perceptron_widget.stepper_data("two clusters"))
    stepper.step()
    assert timed_render(perceptron_widget.render_perceptron, stepper) < CALLBACK_BUDGET_S


def test_stepper_buttons_drive_the_state(capsys):
    widget = perceptron_widget.perceptron_stepper("OR")
    choice, step, epoch, reset = widget.children[0].children
    capsys.readouterr()
    step.click()
    assert "example 1/4" in capsys.readouterr().out
    epoch.click()
    assert "example 4/4" in capsys.readouterr().out
    reset.click()
    assert "0 updates" in capsys.readouterr().out
    choice.value = "XOR"
    assert "epoch 1, example 0/4" in capsys.readouterr().out
    plt.close("all")

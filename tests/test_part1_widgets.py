"""Part I widgets: their logic and their controls, without a browser (``make bench`` times them)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import runtime
from course_lib.scratch import activations as act
from course_lib.widgets import activations as activation_widget
from course_lib.widgets import approximation, dimensions, playground
from course_lib.widgets import perceptron as perceptron_widget

runtime.import_tensorflow()  # quietly, before the playground imports Keras


# ------------------------------------------------------------------ activation explorer


def test_activation_curves_apply_the_chain_rule_for_the_slope():
    x, y, dy = activation_widget.activation_curves("sigmoid", slope=3.0)
    np.testing.assert_allclose(y, act.sigmoid(3 * x))
    np.testing.assert_allclose(dy, 3 * act.sigmoid_derivative(3 * x))
    _, y, dy = activation_widget.activation_curves("leaky_relu", alpha=0.3, x=np.array([-2.0, 2.0]))
    np.testing.assert_allclose(y, [-0.6, 2.0])
    np.testing.assert_allclose(dy, [0.3, 1.0])


def test_activation_explorer_reacts_to_its_controls(drawings):
    widget = activation_widget.activation_explorer()
    choice, slope, alpha = widget.children[0].children
    picture = widget.children[1]
    assert alpha.disabled  # sigmoid has no alpha
    first = picture.value
    choice.value = "elu"
    assert not alpha.disabled
    slope.value = 2.0
    alpha.value = 0.5
    # outside an event loop every change redraws at once, into the picture
    assert len(drawings) == 1 + 3 and picture.value != first
    assert bytes(picture.value).startswith(b"\x89PNG")
    assert not plt.get_fignums(), "the widget leaves no figure open in pyplot"


@pytest.mark.parametrize("name", activation_widget.VECTOR_ACTIVATIONS)
def test_explorer_shows_the_vector_activations(name, drawings):
    widget = activation_widget.activation_explorer()
    choice, _, alpha = widget.children[0].children
    choice.value = name
    assert alpha.disabled and len(drawings) == 1 + 1
    assert name in drawings[-1].axes[0].get_title()


def test_softmax_curves_sum_to_one_and_match_the_jacobian():
    x, p, dp = activation_widget.vector_activation_curves("softmax", slope=2.0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(dp.sum(axis=1), 0.0, atol=1e-12)
    # d p_0 / dx = slope p_0 (1 - p_0); d p_1 / dx = -slope p_1 p_0
    np.testing.assert_allclose(dp[:, 0], 2.0 * p[:, 0] * (1 - p[:, 0]))
    np.testing.assert_allclose(dp[:, 1], -2.0 * p[:, 1] * p[:, 0])
    np.testing.assert_allclose(p[:, 0], act.sigmoid(2.0 * x - np.log(1 + np.e)))


def test_maxout_is_the_upper_envelope_with_the_winning_slope():
    x, y, dy = activation_widget.vector_activation_curves("maxout", slope=1.0,
                                                          x=np.array([-3.0, 0.5, 3.0]))
    np.testing.assert_allclose(y[:, -1], y[:, :-1].max(axis=1))
    winners = y[:, :-1].argmax(axis=1)
    np.testing.assert_allclose(dy[:, -1], dy[np.arange(3), winners])
    with pytest.raises(ValueError, match="name"):
        activation_widget.vector_activation_curves("relu")


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


# ------------------------------------------------------------ universal approximation


def test_more_hidden_units_fit_a_continuous_target_better():
    errors = []
    for units in (2, 6, 20, 50):
        _, y, y_fit = approximation.fit_one_hidden_layer("sine", units, "relu")
        errors.append(np.abs(y - y_fit).max())
    assert errors == sorted(errors, reverse=True) and errors[-1] < 0.01
    _, y, y_fit = approximation.fit_one_hidden_layer("abs", 40, "sigmoid")
    assert np.abs(y - y_fit).max() < 0.1


def test_hidden_features_shapes_and_errors():
    features = approximation.hidden_features(np.linspace(-3, 3, 7), 5, "tanh")
    assert features.shape == (7, 5)
    with pytest.raises(ValueError, match="num_hidden"):
        approximation.hidden_features(np.zeros(3), 0)
    with pytest.raises(ValueError, match="activation"):
        approximation.hidden_features(np.zeros(3), 3, "softplus")
    with pytest.raises(ValueError, match="target"):
        approximation.fit_one_hidden_layer("cosine", 3)


def test_approximation_explorer_slider_redraws(drawings):
    widget = approximation.approximation_explorer()
    target, activation, units = widget.children[0].children
    units.value = 12
    target.value = "step"
    activation.value = "tanh"
    assert len(drawings) == 1 + 3


# ------------------------------------------------------------------------ playground


def test_playground_trains_a_network_that_beats_a_line():
    run = playground.train_playground("xor", hidden_layers=1, units=4, num_steps=200)
    assert run.accuracy > 0.9
    assert len(run.losses) == 20 and run.losses[-1] < run.losses[0]
    line = playground.train_playground("xor", hidden_layers=0, num_steps=50)
    assert line.accuracy < 0.8
    fig = playground.render_playground(run)
    assert len(fig.axes) == 2
    plt.close(fig)


def test_playground_rejects_bad_settings():
    with pytest.raises(ValueError, match="dataset"):
        playground.train_playground("iris")
    with pytest.raises(ValueError, match="multiple of 10"):
        playground.train_playground("xor", num_steps=15)
    with pytest.raises(ValueError, match="activation"):
        playground.build_playground_model(1, 4, "softsign")
    with pytest.raises(ValueError, match="hidden layers"):
        playground.build_playground_model(9, 4, "relu")


def test_playground_controls_do_not_train_but_the_button_does(capsys, monkeypatch):
    calls = []
    real_train = playground.train_playground

    def fake_train(*args, **kwargs):
        calls.append(args)
        return real_train("xor", 1, 2, num_steps=10)

    monkeypatch.setattr(playground, "train_playground", fake_train)
    widget = playground.network_playground()
    dataset, layers, units = widget.children[0].children
    activation, lr, train = widget.children[1].children
    capsys.readouterr()
    layers.value = 2
    lr.value = 0.1
    assert not calls and "press Train" in capsys.readouterr().out
    train.click()
    assert calls == [("circles", 2, 4, "tanh", pytest.approx(0.1))]
    assert "parameters, final loss" in capsys.readouterr().out
    plt.close("all")


# ------------------------------------------------------------------ dimension explorer


def test_distance_summary_concentrates_with_dimension():
    spreads = [dimensions.distance_summary(d, 100)["spread"] for d in (2, 20, 200)]
    contrasts = [dimensions.distance_summary(d, 100)["contrast"] for d in (2, 20, 200)]
    assert spreads == sorted(spreads, reverse=True)
    assert contrasts == sorted(contrasts, reverse=True)


def test_dimension_explorer_redraws(drawings):
    widget = dimensions.dimension_explorer()
    dim, points = widget.children[0].children
    dim.value = 100
    points.value = 60
    assert len(drawings) == 1 + 2


@pytest.mark.parametrize(
    "render, args",
    [
        (activation_widget.render_activation, ("elu", 2.0, 0.5)),
        (approximation.render_approximation, ("wiggle", 60, "sigmoid")),
        (dimensions.render_distances, (1000, 200)),
    ],
)
def test_renders_draw_at_their_most_demanding_settings(render, args):
    figure = render(*args)
    figure = figure[0] if isinstance(figure, tuple) else figure
    figure.canvas.draw()
    assert figure.axes and all(ax.has_data() for ax in figure.axes)
    plt.close("all")


def test_perceptron_render_marks_the_last_example():
    stepper = perceptron_widget.PerceptronStepper(*perceptron_widget.stepper_data("two clusters"))
    stepper.step()
    figure = perceptron_widget.render_perceptron(stepper)
    assert figure.axes[0].get_title().startswith("epoch")
    plt.close("all")

"""Forecasting helpers, the gradient-through-time analysis and the widgets of notebooks 09-10."""

import time

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import data, forecasting, recurrence, scratch
from course_lib.widgets import recurrent as recurrent_widgets
from course_lib.widgets import redraw as redraw_module

# --------------------------------------------------------------------------- forecasting


def test_make_task_splits_in_time_and_standardises_with_the_training_part():
    series = np.arange(100.0)
    task = forecasting.make_task(series, 5, horizon=3, train_fraction=0.6)
    assert task.x_train.shape == (60 - 5 - 3 + 1, 5, 1) and task.y_train.shape == (53, 1)
    assert task.x_test.shape == (40 - 5 - 3 + 1, 5, 1)
    np.testing.assert_allclose(task.mean, [29.5])
    np.testing.assert_allclose(task.std, [np.arange(60.0).std()])
    # the target lies `horizon` steps after the window's last value
    raw = task.x_train * task.std + task.mean
    np.testing.assert_allclose(task.y_train[:, 0] * task.std[0] + task.mean[0], raw[:, -1, 0] + 3, atol=1e-4)
    assert task.x_test[0, 0, 0] * task.std[0] + task.mean[0] == pytest.approx(60.0, abs=1e-4)


def test_make_task_refuses_bad_arguments():
    with pytest.raises(ValueError, match="too short"):
        forecasting.make_task(np.arange(20.0), 8, horizon=5)
    with pytest.raises(ValueError, match="zero spread"):
        forecasting.make_task(np.ones(100), 5)
    with pytest.raises(ValueError, match="train_fraction"):
        forecasting.make_task(np.arange(100.0), 5, train_fraction=1.5)
    with pytest.raises(TypeError, match="window"):
        forecasting.make_task(np.arange(100.0), 2.5)
    with pytest.raises(ValueError, match=r"\(n_steps,\) or \(n_steps, features\)"):
        forecasting.make_task(np.ones((10, 2, 2)), 2)


def test_baselines_on_known_series():
    line = forecasting.make_task(np.arange(200.0), 4, horizon=2)
    persistence = forecasting.persistence(line.x_test)
    np.testing.assert_allclose(persistence, line.x_test[:, -1])
    linear = forecasting.fit_linear_ar(line.x_train, line.y_train)
    assert forecasting.rmse(linear(line.x_test), line.y_test) < 1e-4  # a line is linear
    assert forecasting.rmse(persistence, line.y_test) == pytest.approx(2 / line.std[0], rel=1e-4)
    with pytest.raises(ValueError, match=r"\(n, 4, 1\)"):
        linear(np.ones((3, 5, 1)))


def test_rmse():
    assert forecasting.rmse([[1.0], [3.0]], [[0.0], [0.0]]) == pytest.approx(np.sqrt(5))
    with pytest.raises(ValueError, match="target's shape"):
        forecasting.rmse(np.ones(3), np.ones(4))


def test_lorenz_and_sine_tasks():
    lorenz = forecasting.lorenz_task(n_steps=600, spin_up=100)
    assert lorenz.x_train.shape[1:] == (10, 3) and lorenz.y_test.shape[1] == 3
    np.testing.assert_allclose(lorenz.mean, data.lorenz63(700)[100:520].mean(axis=0), rtol=1e-5)
    sine = forecasting.sine_task(window=20, horizon=10)
    assert sine.x_train.shape == (1371, 20, 1) and sine.x_test.shape == (571, 20, 1)


def test_linear_ar_beats_persistence_far_ahead_on_the_sine():
    sine = forecasting.sine_task()
    linear = forecasting.fit_linear_ar(sine.x_train, sine.y_train)
    linear_error = forecasting.rmse(linear(sine.x_test), sine.y_test)
    assert linear_error < 0.2 < 1.0 < forecasting.rmse(forecasting.persistence(sine.x_test), sine.y_test)


def test_plot_forecasts():
    target = np.zeros((50, 2))
    ax = forecasting.plot_forecasts(target, {"a": target + 1, "b": target - 1}, feature=1, num_points=20)
    assert len(ax.lines) == 3 and len(ax.lines[0].get_xdata()) == 20
    with pytest.raises(ValueError, match="feature"):
        forecasting.plot_forecasts(target, {}, feature=2)
    with pytest.raises(ValueError, match="a"):
        forecasting.plot_forecasts(target, {"a": np.zeros((49, 2))})
    plt.close("all")


# --------------------------------------------------------------------------- recurrence


def test_gradient_flow_at_rest_is_a_power_of_w():
    flow = recurrence.gradient_flow(0.8, steps=40)
    for k in (0, 1, 10, 40):
        assert flow.gradient_back(k) == pytest.approx(0.8**k, rel=1e-10)
    assert flow.steps == 40 and np.all(flow.states == 0)
    steep = recurrence.gradient_flow(0.8, slope=1.5, steps=5)
    assert steep.gradient_back(5) == pytest.approx(1.2**5, rel=1e-10)


def test_gradient_flow_matches_the_chain_rule_with_inputs():
    w, slope, scale, steps = 1.3, 0.9, 0.7, 12
    flow = recurrence.gradient_flow(w, slope=slope, input_scale=scale, steps=steps, seed=3)
    x = np.random.default_rng(3).normal(size=steps)

    def final_state(h_start, start):  # run from h_start at time `start` to the end
        h = h_start
        for t in range(start, steps):
            h = np.tanh(slope * (w * h + scale * x[t]))
        return h

    t, eps = 4, 1e-6
    numeric = (final_state(flow.states[t] + eps, t) - final_state(flow.states[t] - eps, t)) / (2 * eps)
    assert flow.gradient_back(steps - t) == pytest.approx(abs(numeric), rel=1e-6)


def test_saturation_caps_explosion_and_matches_the_widget_curve():
    weights = np.array([0.5, 1.5, 2.5])
    at_rest = recurrence.final_gradient_over_w(weights, steps=30)
    np.testing.assert_allclose(at_rest, 30 * np.log10(weights), rtol=1e-10)
    driven = recurrence.final_gradient_over_w(weights, input_scale=1.0, steps=30)
    assert np.all(driven < at_rest)
    single = recurrence.gradient_flow(1.5, input_scale=1.0, steps=30)
    assert driven[1] == pytest.approx(single.log10_gradient[0])


def test_recurrence_refuses_bad_arguments():
    with pytest.raises(ValueError, match="slope"):
        recurrence.gradient_flow(0.5, slope=0)
    with pytest.raises(ValueError, match="w"):
        recurrence.gradient_flow(float("nan"))
    with pytest.raises(TypeError, match="steps"):
        recurrence.gradient_flow(0.5, steps=2.0)
    with pytest.raises(ValueError, match="k"):
        recurrence.gradient_flow(0.5, steps=3).gradient_back(4)


def test_unfolded_diagram():
    ax = recurrence.draw_unfolded_rnn(steps=3)
    texts = [text.get_text() for text in ax.texts]
    assert "$h_{t}$" in texts and texts.count("W") == 3 and texts.count("U") == 4
    plt.close("all")
    with pytest.raises(ValueError):
        recurrence.draw_unfolded_rnn(steps=0)


# --------------------------------------------------------------------------- widgets


def fast(render, *args):
    """Warm ``render`` up, then time it, drawing included: the best of three calls."""
    render(*args)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        result = render(*args)
        figure = result[0] if isinstance(result, tuple) else result
        figure.canvas.draw()
        timings.append(time.perf_counter() - started)
        plt.close("all")
    return result, min(timings)


@pytest.mark.parametrize(
    "settings, verdict",
    [((0.5, 1.0, 0.0, 50), "vanishes"), ((1.5, 1.0, 0.0, 200), "explodes"),
     ((1.0, 1.0, 0.0, 50), "survives"), ((0.0, 1.0, 0.0, 5), "vanishes")],
)
def test_gradient_flow_render(settings, verdict):
    (figure, text), elapsed = fast(recurrent_widgets.render_gradient_flow, *settings)
    assert verdict in text and len(figure.axes) == 2
    assert elapsed < 0.5  # generous: the budget (150 ms) is measured by `make bench`


def test_gradient_flow_explorer_redraws(monkeypatch):
    shown = []
    monkeypatch.setattr(redraw_module, "redraw", lambda output, figure: shown.append(figure))
    widget = recurrent_widgets.gradient_flow_explorer()
    w_slider = widget.children[0].children[0]
    w_slider.value = 1.5
    assert len(shown) == 2
    assert any(list(line.get_xdata()) == [1.5, 1.5] for line in shown[-1].axes[1].lines)
    plt.close("all")
    with pytest.raises(ValueError, match="w_value"):
        recurrent_widgets.gradient_flow_explorer(w_value=5.0)


@pytest.fixture(scope="module")
def trained_like_weights():
    rng = np.random.default_rng(0)
    return {
        "LSTM": [rng.normal(size=(2, 16)), rng.normal(scale=0.3, size=(4, 16)), np.zeros(16)],
        "GRU": [rng.normal(size=(2, 12)), rng.normal(scale=0.3, size=(4, 12)), np.zeros((2, 12))],
    }


def test_gate_activations_replay_the_scratch_cells(trained_like_weights):
    x, _ = data.adding_problem(2, 15)
    gates = recurrent_widgets.gate_activations("LSTM", trained_like_weights["LSTM"], x[1])
    _, cache = scratch.lstm_forward(x[1:2], *trained_like_weights["LSTM"])
    assert set(gates) == {"input", "forget", "output", "cell"}
    np.testing.assert_array_equal(gates["cell"], cache.gates["cell"][0])
    with pytest.raises(ValueError, match="cell"):
        recurrent_widgets.gate_activations("RNN", trained_like_weights["LSTM"], x[1])
    with pytest.raises(ValueError, match=r"\(time, features\)"):
        recurrent_widgets.gate_activations("GRU", trained_like_weights["GRU"], x)


def test_render_gates_is_fast_and_marks_the_steps(trained_like_weights):
    x, _ = data.adding_problem(2, 50)
    gates = recurrent_widgets.gate_activations("GRU", trained_like_weights["GRU"], x[0])
    figure, elapsed = fast(recurrent_widgets.render_gates, x[0], gates, "update")
    assert len(figure.axes[1].lines) == 2  # one dotted line per marked step
    assert elapsed < 0.5
    with pytest.raises(ValueError, match="gate"):
        recurrent_widgets.render_gates(x[0], gates, "forget")


def test_gate_explorer_switches_cells(trained_like_weights, monkeypatch):
    shown = []
    monkeypatch.setattr(redraw_module, "redraw", lambda output, figure: shown.append(figure))
    x, _ = data.adding_problem(3, 20)
    widget = recurrent_widgets.gate_explorer(trained_like_weights, x)
    cell, gate, sample = widget.children[0].children
    cell.value = "GRU"
    assert gate.options == ("update", "reset", "candidate")
    assert "GRU" in shown[-1].axes[0].get_title()
    sample.value = 2
    assert "sequence 2" in shown[-1].axes[0].get_title()
    plt.close("all")
    with pytest.raises(ValueError, match="weights"):
        recurrent_widgets.gate_explorer({"RNN": []}, x)

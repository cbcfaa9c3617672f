import time

import numpy as np
import pytest

from course_lib import runtime

runtime.setup(seed=0, verbose=False)
import keras  # noqa: E402

from course_lib import training  # noqa: E402


def small_problem():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2048, 20)).astype("float32")
    y = (X[:, :2].sum(axis=1) > 0).astype("int64")
    model = keras.Sequential(
        [
            keras.Input((20,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    return model, X, y


def test_records_every_epoch_headless_without_drawing():
    model, X, y = small_problem()
    live = training.LivePlot()
    model.fit(X, y, epochs=3, validation_split=0.2, verbose=0, callbacks=[live])
    assert live.steps == [1, 2, 3]
    assert set(live.logs) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert live.draw_count == 0 and live.figure is None


def test_batch_level_recording_keeps_validation_at_epoch_ends():
    model, X, y = small_problem()
    live = training.LivePlot(every=8)
    model.fit(X, y, epochs=2, batch_size=64, validation_split=0.25, verbose=0, callbacks=[live])
    assert len(live.steps) == 2 * 24 // 8
    assert np.isfinite(live.logs["val_loss"]).sum() == 2


class FakeClock:
    """A stand-in for ``time``: training and drawing cost exactly what the test says."""

    def __init__(self):
        self.now = 0.0

    def perf_counter(self):
        return self.now


def test_throttle_keeps_drawing_within_its_budget(monkeypatch):
    """With 10 ms batches and 100 ms redraws, a 5 % budget allows one redraw per 2 s of
    training: the throttle must predict that from the last redraw's cost."""
    clock = FakeClock()
    monkeypatch.setattr(training, "time", clock)
    live = training.LivePlot(every=1, min_interval=0.0, budget=0.05, render=True)
    drawn_at = []

    def render():
        drawn_at.append(clock.now)
        clock.now += 0.1

    monkeypatch.setattr(live, "_render", render)
    live.params = {"steps": 1000}
    live.on_train_begin()
    for batch in range(1000):
        clock.now += 0.01
        live.on_train_batch_end(batch, {"loss": 1.0 / (batch + 1)})
    training_time = clock.now - live.draw_seconds
    assert live.draw_count >= 3
    assert live.draw_seconds <= 0.05 * training_time + 1e-9
    assert np.diff(drawn_at).min() >= 0.1 / 0.05  # at least 2 s of training between redraws
    live.on_train_end()
    assert live.draw_count == len(drawn_at)  # the final curves are always drawn


def test_min_interval_spaces_redraws(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(training, "time", clock)
    live = training.LivePlot(every=1, min_interval=1.0, budget=0.9, render=True)
    drawn_at = []
    monkeypatch.setattr(live, "_render", lambda: drawn_at.append(clock.now))
    live.params = {"steps": 100}
    live.on_train_begin()
    for batch in range(100):
        clock.now += 0.05
        live.on_train_batch_end(batch, {"loss": 1.0})
    assert len(drawn_at) >= 4 and np.diff(drawn_at).min() >= 1.0 - 1e-9


def test_a_real_redraw_produces_the_curves():
    model, X, y = small_problem()
    live = training.LivePlot(every=1, min_interval=0.0, budget=0.05, render=True)
    model.fit(X, y, epochs=4, batch_size=32, validation_split=0.2, verbose=0, callbacks=[live])
    assert live.draw_count >= 1 and live.figure is not None
    titles = [ax.get_title() for ax in live.figure.axes]
    assert titles == ["loss", "accuracy"]
    assert len(live.figure.axes[0].lines) == 2  # training and validation


def test_wall_time_overhead_is_small():
    """Compared within one run, so a busy machine slows both sides alike; the margin is
    generous because only a grossly slow plot should fail. ``make bench`` measures it."""

    def fit_seconds(callbacks):
        model, X, y = small_problem()
        model.fit(X[:256], y[:256], epochs=1, verbose=0)  # warm up tracing
        start = time.perf_counter()
        model.fit(X, y, epochs=6, batch_size=32, verbose=0, callbacks=callbacks)
        return time.perf_counter() - start

    plain = min(fit_seconds([]) for _ in range(2))
    with_plot = min(
        fit_seconds([training.LivePlot(every=1, min_interval=0.0, render=True)]) for _ in range(2)
    )
    assert with_plot < 2 * plain + 1.0


@pytest.mark.parametrize("kwargs", [{"every": 0}, {"every": "batch"}, {"budget": 1.5}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        training.LivePlot(**kwargs)


def test_compile_classifier_sets_the_course_defaults():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    assert training.compile_classifier(model, 0.01) is model
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.01)
    history = model.fit(np.zeros((8, 4)), np.arange(8) % 3, epochs=1, verbose=0)
    assert set(history.history) == {"loss", "accuracy"}

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


def test_drawing_stays_within_its_budget():
    model, X, y = small_problem()
    live = training.LivePlot(every=1, min_interval=0.0, budget=0.05, render=True)
    model.fit(X, y, epochs=4, batch_size=32, validation_split=0.2, verbose=0, callbacks=[live])
    assert live.draw_count >= 1 and live.figure is not None
    # Redraws during training keep within 5 % of the training time; the final redraw,
    # which shows the finished curves, comes on top.
    during_training = live.draw_seconds - live.last_draw_seconds
    assert during_training <= 0.05 * live.train_seconds


def test_wall_time_overhead_is_small():
    def fit_seconds(callbacks):
        model, X, y = small_problem()
        model.fit(X[:256], y[:256], epochs=1, verbose=0)  # warm up tracing
        start = time.perf_counter()
        model.fit(X, y, epochs=6, batch_size=32, verbose=0, callbacks=callbacks)
        return time.perf_counter() - start

    plain = min(fit_seconds([]) for _ in range(2))
    live = training.LivePlot(every=1, min_interval=0.0, render=True)
    with_plot = fit_seconds([live])
    # 5 % drawing budget, the final redraw, and some slack for a busy CI machine.
    assert with_plot < plain * 1.25 + 0.5


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

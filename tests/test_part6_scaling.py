"""Notebook 16: logical CPUs, checkpoints and resuming, SavedModel export, TensorBoard logs,
mixed-precision and distribution exercises, pipeline timelines, FLOP counts."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course_lib import pipelines, runs, runtime
from course_lib.exercises import scaling_up as exercises

ROOT = Path(__file__).resolve().parent.parent


def _run_python(code: str, timeout: int = 240) -> str:
    """Run ``code`` in a fresh interpreter (TensorFlow's devices not yet initialised)."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, cwd=ROOT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def keras_and_tf():
    from course_lib.backend import keras, tf

    return keras, tf


def _mlp(keras, seed=0):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(3)])
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def _batches(count=6, size=16):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(count * size, 6)).astype("float32")
    y = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 1).astype("int64")
    return [(x[i:i + size], y[i:i + size]) for i in range(0, count * size, size)]


def _close(a, b):
    return all(np.allclose(u, v, rtol=1e-6, atol=1e-7) for u, v in zip(a, b, strict=True))


# --- logical CPUs and MirroredStrategy (fresh processes) --------------------------------


def test_two_logical_cpus_make_a_two_replica_strategy_that_trains():
    out = _run_python(
        "import json\n"
        "from course_lib import runtime\n"
        "report = runtime.setup(seed=0, logical_cpus=2, verbose=False)\n"
        "runtime.setup(seed=0, logical_cpus=2, verbose=False)  # a rerun is harmless\n"
        "import keras, numpy as np, tensorflow as tf\n"
        "names = [d.name for d in tf.config.list_logical_devices('CPU')]\n"
        "strategy = tf.distribute.MirroredStrategy(names)\n"
        "x = np.random.default_rng(0).normal(size=(256, 4)).astype('float32')\n"
        "y = (x.sum(axis=1) > 0).astype('int64')\n"
        "with strategy.scope():\n"
        "    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n"
        "    model.compile(keras.optimizers.SGD(0.5), keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=['accuracy'])\n"
        "before = model.evaluate(x, y, verbose=0)[0]\n"
        "history = model.fit(x, y, batch_size=32, epochs=5, verbose=0)\n"
        "print(json.dumps({'names': names, 'replicas': strategy.num_replicas_in_sync,\n"
        "  'report': report.logical_cpus, 'text': str(report), 'before': before,\n"
        "  'after': history.history['loss'][-1], 'accuracy': history.history['accuracy'][-1],\n"
        "  'mirrored': type(model.layers[0].kernel.value).__name__}))\n"
    )
    result = json.loads(out)
    assert result["names"] == ["/device:CPU:0", "/device:CPU:1"]
    assert result["replicas"] == 2 and result["report"] == 2
    assert "logical CPUs    : 2" in result["text"]
    assert result["mirrored"] == "MirroredVariable"
    assert result["after"] < 0.5 * result["before"] and result["accuracy"] > 0.9


def test_logical_cpus_after_initialisation_asks_for_a_restart():
    out = _run_python(
        "from course_lib import runtime\n"
        "runtime.setup(seed=0, verbose=False)\n"
        "import keras\n"
        "keras.layers.Dense(2)(keras.ops.ones((1, 3)))  # TensorFlow now owns its devices\n"
        "try:\n"
        "    runtime.setup(seed=0, logical_cpus=3, verbose=False)\n"
        "    print('no error')\n"
        "except RuntimeError as error:\n"
        "    print(str(error))\n"
    )
    assert "restart the kernel" in out and "logical_cpus=3" in out


def test_replica_loss_check_uses_the_replicas():
    out = _run_python(
        "from course_lib import runtime\n"
        "runtime.setup(seed=0, logical_cpus=2, verbose=False)\n"
        "import tensorflow as tf\n"
        "from course_lib.exercises import scaling_up as ex\n"
        "strategy = tf.distribute.MirroredStrategy(['/cpu:0', '/cpu:1'])\n"
        "right = ex.check_replica_loss(lambda l, g: tf.nn.compute_average_loss(l, global_batch_size=g), strategy, verbose=False)\n"
        "# right on the number cases, wrong on replicas: divides by twice the replicas' batch\n"
        "sneaky = ex.check_replica_loss(lambda l, g: tf.reduce_sum(l) / g if g != 16 else tf.reduce_mean(l), strategy, verbose=False)\n"
        "print(right.passed, sneaky.passed, 'replicas' in str(sneaky))\n"
    )
    assert out == "True False True"


@pytest.mark.parametrize("bad, error", [(0, ValueError), (1.5, TypeError), (True, TypeError),
                                        ("2", TypeError)])
def test_logical_cpus_are_validated_before_tensorflow_is_touched(bad, error):
    with pytest.raises(error, match="logical_cpus"):
        runtime.setup(seed=0, logical_cpus=bad, verbose=False)


def test_setup_without_logical_cpus_is_unchanged():
    report = runtime.setup(seed=0, verbose=False)
    assert type(report) is runtime.RuntimeReport
    assert "logical CPUs" not in str(report)


# --- saving and resuming ------------------------------------------------------------------


def test_resuming_from_a_keras_file_continues_with_the_optimizer_state(keras_and_tf, tmp_path):
    keras, _ = keras_and_tf
    batches = _batches()
    uninterrupted = _mlp(keras)
    for x, y in batches:
        uninterrupted.train_on_batch(x, y)

    first_half = _mlp(keras)
    for x, y in batches[:3]:
        first_half.train_on_batch(x, y)
    first_half.save(tmp_path / "half.keras")
    resumed = keras.models.load_model(tmp_path / "half.keras")
    assert int(resumed.optimizer.iterations) == 3
    assert _close([v.numpy() for v in resumed.optimizer.variables],
                  [v.numpy() for v in first_half.optimizer.variables])
    x, y = batches[3]
    resumed.train_on_batch(x, y)
    first_half.train_on_batch(x, y)
    assert _close(resumed.get_weights(), first_half.get_weights())  # the very next step
    for x, y in batches[4:]:
        resumed.train_on_batch(x, y)
    assert _close(resumed.get_weights(), uninterrupted.get_weights())

    weights_only = _mlp(keras)  # the mistake: a fresh Adam
    weights_only.set_weights(keras.models.load_model(tmp_path / "half.keras").get_weights())
    for x, y in batches[3:]:
        weights_only.train_on_batch(x, y)
    assert not _close(weights_only.get_weights(), uninterrupted.get_weights())


def test_backup_and_restore_survives_an_interruption(keras_and_tf, tmp_path):
    keras, _ = keras_and_tf
    x = np.concatenate([b[0] for b in _batches()])
    y = np.concatenate([b[1] for b in _batches()])

    class Crash(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 2:
                raise RuntimeError("crash")

    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    with pytest.raises(RuntimeError, match="crash"):
        _mlp(keras, seed=3).fit(x, y, batch_size=16, epochs=4, callbacks=[backup, Crash()], verbose=0)
    restarted = _mlp(keras, seed=3)
    history = restarted.fit(x, y, batch_size=16, epochs=4, callbacks=[backup], verbose=0)
    assert history.epoch == [2, 3]
    reference = _mlp(keras, seed=3)
    reference.fit(x, y, batch_size=16, epochs=4, verbose=0)
    assert _close(restarted.get_weights(), reference.get_weights())


def test_exported_savedmodel_predicts_like_the_keras_model(keras_and_tf, tmp_path):
    keras, tf = keras_and_tf
    model = _mlp(keras)
    for x, y in _batches():
        model.train_on_batch(x, y)
    model.export(str(tmp_path / "served"), verbose=False)
    served = tf.saved_model.load(str(tmp_path / "served"))
    x = np.concatenate([b[0] for b in _batches()])
    np.testing.assert_allclose(served.serve(x).numpy(), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    assert "serve" in served.signatures


# --- TensorBoard logs --------------------------------------------------------------------


def test_tensorboard_logs_go_under_the_project_with_the_scalar_tags(keras_and_tf, monkeypatch):
    keras, _ = keras_and_tf
    monkeypatch.delenv(runs.RUNS_ENV_VAR, raising=False)
    monkeypatch.chdir(ROOT / "notebooks")  # where notebooks run
    log_dir = runs.run_dir("tests", "tensorboard")
    try:
        assert log_dir.is_relative_to(ROOT) and log_dir.parts[len(ROOT.parts)] == "runs"
        x = np.concatenate([b[0] for b in _batches()])
        y = np.concatenate([b[1] for b in _batches()])
        _mlp(keras).fit(x, y, validation_data=(x, y), batch_size=16, epochs=3, verbose=0,
                        callbacks=[keras.callbacks.TensorBoard(str(log_dir))])
        scalars = runs.read_scalars(log_dir)
        assert set(scalars) == {"train", "validation"}
        assert {"epoch_loss", "epoch_accuracy"} <= set(scalars["train"])
        assert {"epoch_loss", "epoch_accuracy"} <= set(scalars["validation"])
        assert "keras" not in scalars["train"]  # the model's configuration is text, not a scalar
        steps, losses = zip(*scalars["train"]["epoch_loss"], strict=True)
        assert steps == (0, 1, 2) and all(math.isfinite(v) for v in losses)
        assert losses[-1] < losses[0]
    finally:
        import shutil

        shutil.rmtree(log_dir.parent)


def test_read_scalars_says_what_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="no log folder"):
        runs.read_scalars(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="no TensorBoard event file"):
        runs.read_scalars(tmp_path)


def test_run_dir_is_fresh_and_stays_inside_runs(monkeypatch, tmp_path):
    monkeypatch.setenv(runs.RUNS_ENV_VAR, str(tmp_path))
    folder = runs.run_dir("demo", "checkpoints")
    (folder / "old.txt").write_text("stale")
    assert runs.run_dir("demo", "checkpoints", fresh=False).joinpath("old.txt").exists()
    assert not any(runs.run_dir("demo", "checkpoints").iterdir())
    for bad in ("..", "a/b", "", "/etc"):
        with pytest.raises(ValueError, match="plain names"):
            runs.run_dir(bad)
    with pytest.raises(ValueError):
        runs.run_dir()
    with pytest.raises(TypeError):
        runs.run_dir(3)


def test_project_root_is_found_from_the_notebooks_folder():
    assert runs.project_root(ROOT / "notebooks") == ROOT
    assert runs.project_root(ROOT) == ROOT


def test_tensorboard_starts_only_inside_a_jupyter_server(monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert runs.tensorboard_here() is False
    monkeypatch.setenv("JPY_SESSION_NAME", "notebooks/16_scaling_up.ipynb")
    assert runs.tensorboard_here() is True


# --- FLOPs, timing, hardware ------------------------------------------------------------


def test_flop_counts_follow_the_layer_formulas(keras_and_tf):
    from course_lib import scaling

    keras, _ = keras_and_tf
    model = keras.Sequential([keras.Input((10, 12, 3)), keras.layers.Conv2D(4, 3),          # 8x10x4
                              keras.layers.Conv2D(5, 3, strides=2, padding="same"),       # 4x5x5
                              keras.layers.MaxPooling2D(), keras.layers.Flatten(),         # 2x2x5
                              keras.layers.Dense(7)])
    conv1 = 2 * 3 * 3 * 3 * 4 * 8 * 10
    conv2 = 2 * 3 * 3 * 4 * 5 * 4 * 5
    dense = 2 * 20 * 7
    assert scaling.forward_flops(model) == conv1 + conv2 + dense
    assert scaling.training_flops(model) == 3 * (conv1 + conv2 + dense)
    with pytest.raises(TypeError, match="keras.Model"):
        scaling.forward_flops("model")


def test_the_imagenet_table_and_durations():
    from course_lib import scaling

    first, last = scaling.IMAGENET_RUNS[0], scaling.IMAGENET_RUNS[-1]
    assert first.device_hours == 8 * 29 and round(last.device_hours) == 135
    assert scaling.IMAGENET_RUNS[2].device_hours is None
    assert [scaling.format_duration(r.seconds) for r in scaling.IMAGENET_RUNS] == [
        "29 h", "1 h", "30 min", "15 min", "6.6 min", "224 s"]
    assert scaling.peak_gflops(2, 3.0, 32) == 192.0
    assert scaling.time_to_train(10, 100, 2, 1000) == 2.0
    with pytest.raises(ValueError):
        scaling.time_to_train(10, 100, 2, 0)


def test_cpu_facts_read_proc_cpuinfo():
    from course_lib import scaling

    text = "processor\t: 0\ncpu MHz\t\t: 2600.000\nflags\t\t: fpu sse avx2 fma avx512f\n"
    facts = scaling.cpu_facts(text)
    assert facts.ghz == 2.6 and facts.vector_isa == "AVX-512" and facts.flops_per_cycle == 64
    assert scaling.cpu_facts("flags : sse avx2 fma").vector_isa == "AVX2"
    assert scaling.cpu_facts("").ghz is None


def test_matmul_throughput_and_call_timing_are_positive(keras_and_tf):
    from course_lib import scaling

    _, tf = keras_and_tf
    assert 0 < scaling.matmul_gflops(64, repeats=2) < 1e6
    times = scaling.time_calls(tf.function(lambda x: x * 2), tf.ones(3), calls=3)
    assert times.first_seconds > 0 and times.seconds_per_call > 0
    np.testing.assert_array_equal(times.first_result.numpy(), [2, 2, 2])
    with pytest.raises(ValueError):
        scaling.matmul_gflops(64, dtype="int8")


def test_epoch_timer_reports_first_and_steady_epochs():
    from course_lib import scaling

    timer = scaling.EpochTimer()
    with pytest.raises(ValueError, match="no epoch"):
        _ = timer.steady
    timer.seconds = [3.0, 1.0, 2.0, 1.5]
    assert timer.first == 3.0 and timer.steady == 1.5
    timer.seconds = [3.0]
    assert timer.steady == 3.0


def test_bfloat16_is_skipped_where_oneDNN_is_capped(monkeypatch):
    from course_lib import scaling

    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    if not scaling.gpu_names():
        assert "AVX2" in scaling.bfloat16_problem()
        monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")
        assert scaling.bfloat16_problem() is None
        monkeypatch.delenv("ONEDNN_MAX_CPU_ISA")
        monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS")
        assert scaling.bfloat16_problem() is None


# --- pipeline timelines ------------------------------------------------------------------


def test_serial_pipeline_adds_input_and_compute():
    line = pipelines.simulate_pipeline(6.0, 4.0, steps=5)
    np.testing.assert_allclose(np.diff(line.done), 0.010)
    assert line.total == pytest.approx(0.050) and line.waiting == pytest.approx(0.030)
    parallel = pipelines.simulate_pipeline(6.0, 4.0, workers=3, steps=5)
    assert parallel.total == pytest.approx(5 * 0.006)


@pytest.mark.parametrize("input_ms, compute_ms, workers", [(6, 4, 1), (3, 8, 1), (12, 4, 2), (0, 5, 1)])
def test_prefetching_takes_the_slower_of_input_and_compute(input_ms, compute_ms, workers):
    line = pipelines.simulate_pipeline(input_ms, compute_ms, workers=workers, prefetch=2, steps=30)
    period = max(compute_ms, input_ms / workers) / 1000
    np.testing.assert_allclose(np.diff(line.done)[5:], period, atol=1e-12)
    assert np.all(line.ready >= line.produced[:, 1] - 1e-12)  # a batch is used only once made
    assert np.all(line.produced[1:, 0] >= line.produced[:-1, 1] - 1e-12)  # one producer


def test_prefetch_buffer_bounds_how_far_the_producer_runs_ahead():
    line = pipelines.simulate_pipeline(1.0, 10.0, prefetch=1, steps=6)
    # batch k may start only once batch k-1 was taken by the step
    assert np.all(line.produced[1:, 0] >= line.ready[:-1] - 1e-12)


def test_measure_timeline_times_waits_and_steps():
    import time

    def slow_batches():
        for i in range(4):
            time.sleep(0.01)
            yield (np.full(2, i), i)

    calls = []

    def step(x, y):
        calls.append(y)
        time.sleep(0.005)
        return x

    line = pipelines.measure_timeline(slow_batches(), step)
    assert calls == [0, 1, 2, 3]
    assert line.waiting >= 0.035 and line.computing >= 0.018
    assert 0 < line.waiting_share < 1 and line.steps_per_second() > 0
    assert len(pipelines.measure_timeline(slow_batches(), step, max_steps=2).done) == 2
    with pytest.raises(ValueError, match="nothing"):
        pipelines.measure_timeline([], step)
    with pytest.raises(TypeError):
        pipelines.measure_timeline([1], "step")


@pytest.mark.parametrize("kwargs", [dict(input_ms=-1, compute_ms=1), dict(input_ms=1, compute_ms=0),
                                    dict(input_ms=1, compute_ms=1, workers=0),
                                    dict(input_ms=1, compute_ms=1, prefetch=-1),
                                    dict(input_ms=float("nan"), compute_ms=1)])
def test_simulation_refuses_bad_arguments(kwargs):
    with pytest.raises((TypeError, ValueError)):
        pipelines.simulate_pipeline(**kwargs)


def test_timeline_plot_and_widget_render():
    import matplotlib.pyplot as plt

    from course_lib.widgets import pipelines as widget

    ax = pipelines.plot_timeline({"a": pipelines.simulate_pipeline(5, 5, prefetch=1, steps=3)})
    assert len(ax.get_yticks()) == 2  # the consumer row and the producer row
    plt.close("all")
    fig, text = widget.render_pipeline(12.0, 8.0, workers=2, prefetch=1)
    assert "steps/s" in text and "one step every 8.0 ms" in text
    assert len(fig.axes) == 1
    with pytest.raises(ValueError):
        pipelines.plot_timeline({})
    with pytest.raises(ValueError):
        widget.pipeline_explorer(input_ms=-3)


# --- exercise checks --------------------------------------------------------------------


def test_policy_dtypes_check(capsys):
    import tensorflow as tf

    assert exercises.mixed_float16_dtypes() == ("float32", "float16", "float32")
    assert exercises.check_policy_dtypes("float32", "float16", "float32").passed
    assert exercises.check_policy_dtypes(tf.float32, np.float16, "FP32").passed
    for wrong in [("float16", "float16", "float16"), ("float32", "float32", "float32"),
                  ("float32", "float16", "float16"), ("float16", "float32", "float32"),
                  ("float32", "bfloat16", "float32"), (32, "float16", "float32"),
                  ("float32", ["float16"], "float32")]:
        result = exercises.check_policy_dtypes(*wrong)
        assert not result.passed and "wrong" in str(result)
    assert "not attempted" in str(exercises.check_policy_dtypes(..., "float16", None))
    assert "kernel float32" not in capsys.readouterr().out.split("❌")[-1]  # no answer in a hint


def test_reference_loss_scaling_matches_keras(keras_and_tf):
    keras, tf = keras_and_tf
    variable = keras.Variable(np.zeros(2, dtype="float32"))
    optimizer = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1), initial_scale=8.0,
                                                    dynamic_growth_steps=3)
    optimizer.build([variable])
    scale, good = 8.0, 0
    pattern = [True, True, True, True, False, True, True, True, False, False, True]
    for finite in pattern:
        gradient = tf.constant([1.0, 2.0] if finite else [np.inf, 1.0])
        optimizer.apply([gradient], [variable])
        scale, good, _ = exercises.reference_loss_scale_update(scale, good, finite, 3)
        assert float(optimizer.dynamic_scale) == scale
        assert int(optimizer.step_counter) == good


def _off_by_one(scale, good, finite, growth=2000):
    if not finite:
        return scale / 2, 0, False
    if good == growth:
        return scale * 2, 0, True
    return scale, good + 1, True


def _never_skips(scale, good, finite, growth=2000):
    return exercises.reference_loss_scale_update(scale, good, finite, growth)[:2] + (True,)


def _no_reset(scale, good, finite, growth=2000):
    new_scale, _, apply = exercises.reference_loss_scale_update(scale, good, finite, growth)
    return new_scale, good + 1, apply


def _doubles_on_overflow(scale, good, finite, growth=2000):
    if not finite:
        return scale * 2, 0, False
    return exercises.reference_loss_scale_update(scale, good, finite, growth)


def _crashes(*args):
    raise ZeroDivisionError("oops")


def _stub(*args):
    raise NotImplementedError


@pytest.mark.parametrize("func, status", [
    (exercises.reference_loss_scale_update, "correct"),
    (lambda s, g, f, n=2000: list(exercises.reference_loss_scale_update(s, g, f, n)), "correct"),
    (_off_by_one, "wrong"), (_never_skips, "wrong"), (_no_reset, "wrong"),
    (_doubles_on_overflow, "wrong"), (lambda *a: None, "not attempted"), (lambda *a: 3, "wrong"),
    (lambda s, g, f, n=2000: (s, float(g), f), "wrong"), (lambda s, g, f, n=2000: (s, g, "yes"), "wrong"),
    (_crashes, "crashed"), (_stub, "not attempted"), (None, "not attempted"), (..., "not attempted"),
    ("update", "wrong"),
])
def test_loss_scale_check_accepts_right_and_rejects_wrong(func, status):
    result = exercises.check_loss_scale_update(func)
    assert status in str(result)


@pytest.mark.parametrize("func, status", [
    (lambda losses, g: __import__("tensorflow").reduce_sum(losses) / g, "correct"),
    (lambda losses, g: __import__("tensorflow").nn.compute_average_loss(losses, global_batch_size=g), "correct"),
    (lambda losses, g: __import__("tensorflow").reduce_mean(losses), "wrong"),
    (lambda losses, g: __import__("tensorflow").reduce_sum(losses), "wrong"),
    (lambda losses, g: __import__("tensorflow").reduce_sum(losses) / (2 * g), "wrong"),
    (lambda losses, g: None, "not attempted"), (_crashes, "crashed"), (_stub, "not attempted"),
    (None, "not attempted"), (..., "not attempted"), (42, "wrong"),
    (lambda losses, g: "loss", "crashed"),
])
def test_replica_loss_check_cases(func, status):
    result = exercises.check_replica_loss(func, verbose=False)
    assert status in str(result)


@pytest.mark.parametrize("learning_rate, num_epochs, message", [
    (None, 5, "not attempted"), (0.1, ..., "not attempted"), ("fast", 5, "must be a number"),
    (float("nan"), 5, "between 0 and 10"), (-0.1, 5, "between 0 and 10"), (1e9, 5, "between 0 and 10"),
    (True, 5, "between 0 and 10"), (0.1, 6, "between 1 and 5"), (0.1, 0, "between 1 and 5"),
    (0.1, 2.5, "whole number"), (0.1, "5", "whole number"),
])
def test_large_batch_check_refuses_malformed_settings(learning_rate, num_epochs, message):
    result = exercises.check_large_batch(learning_rate, num_epochs, model_fn=lambda: None, verbose=False)
    assert message in str(result) and not result.passed


def test_large_batch_check_trains_and_compares_with_the_target(keras_and_tf):
    keras, _ = keras_and_tf

    def mnist_mlp():
        return keras.Sequential([keras.Input((784,)), keras.layers.Dense(64, activation="relu"),
                                 keras.layers.Dense(10)])

    scaled = exercises.check_large_batch(0.16, 5, model_fn=mnist_mlp, verbose=False)
    assert scaled.passed and "≈" in str(scaled)
    unscaled = exercises.check_large_batch(0.01, 2, model_fn=mnist_mlp, verbose=False)
    assert not unscaled.passed and "fewer updates" in str(unscaled)
    assert "model builder" in str(exercises.check_large_batch(0.1, 2, verbose=False))
    crashed = exercises.check_large_batch(0.1, 1, model_fn=lambda: "not a model", verbose=False)
    assert "crashed" in str(crashed)


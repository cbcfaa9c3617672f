import os
import subprocess
import sys

import numpy as np
import pytest

from course_lib import runtime


def test_profile_defaults_to_quick(monkeypatch):
    monkeypatch.delenv(runtime.PROFILE_ENV_VAR, raising=False)
    profile = runtime.current_profile()
    assert profile.name == "quick"
    assert profile.pick(quick=3, full=30) == 3


def test_profile_full_from_environment(monkeypatch):
    monkeypatch.setenv(runtime.PROFILE_ENV_VAR, "FULL")
    profile = runtime.current_profile()
    assert profile.is_full and profile.pick(quick=3, full=30) == 30


def test_unknown_profile_names_the_choices(monkeypatch):
    monkeypatch.setenv(runtime.PROFILE_ENV_VAR, "turbo")
    with pytest.raises(ValueError, match="quick.*full"):
        runtime.current_profile()


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_setup_rejects_bad_seeds(seed):
    with pytest.raises(TypeError, match="seed"):
        runtime.setup(seed=seed, verbose=False)


def test_setup_seeds_numpy_and_tensorflow():
    import tensorflow as tf

    runtime.setup(seed=3, verbose=False)
    first = (np.random.rand(3), tf.random.uniform((3,)).numpy())
    runtime.setup(seed=3, verbose=False)
    second = (np.random.rand(3), tf.random.uniform((3,)).numpy())
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_setup_report_describes_the_machine(capsys):
    report = runtime.setup(seed=0)
    printed = capsys.readouterr().out
    assert "tensorflow" in printed and "profile" in printed
    assert report.tensorflow.startswith("2.")
    assert report.keras.startswith("3.")
    assert ("GPU" in report.device) == bool(report.gpus)
    assert report.cpu_cores >= 1
    assert not report.mixed_precision or report.gpus


def test_setup_sets_the_plot_style():
    import matplotlib as mpl

    runtime.setup(seed=0, verbose=False)
    assert mpl.rcParams["axes.grid"] is True


def test_environment_checks_pass_here():
    failing = [str(check) for check in runtime.environment_checks() if not check.ok]
    assert not failing


def _run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return result.stdout.strip()


def test_import_does_not_load_tensorflow():
    out = _run_python(
        "import sys, time\n"
        "start = time.perf_counter()\n"
        "import course_lib, course_lib.data, course_lib.runtime, course_lib.checks\n"
        "elapsed = time.perf_counter() - start\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('tensorflow', 'keras', 'matplotlib', 'ipywidgets'))\n"
        "print(elapsed, len(heavy))"
    )
    _, heavy = out.split()  # the time is measured by ``make bench``, not asserted here
    assert int(heavy) == 0


def test_setup_keeps_stderr_free_of_tensorflow_start_up_lines():
    code = (
        "import sys, os\n"
        "os.environ.pop('TF_CPP_MIN_LOG_LEVEL', None)\n"
        "from course_lib import runtime\n"
        "runtime.setup(verbose=False)\n"
        "import keras, numpy as np\n"
        "m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n"
        "m.compile('sgd', 'mse')\n"
        "m.fit(np.zeros((8, 3)), np.zeros(8), verbose=0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stderr == ""


@pytest.mark.parametrize("module", ["training", "models", "interpret", "adversarial", "recipes"])
def test_keras_backed_modules_load_tensorflow_quietly(module):
    """Imported first, before any set-up, a Keras-backed module still prints nothing."""
    result = subprocess.run(
        [sys.executable, "-c", f"import course_lib.{module}"],
        capture_output=True, text=True, check=True,
        env={k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"},
    )
    assert result.stderr == ""

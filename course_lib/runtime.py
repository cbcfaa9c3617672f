"""Notebook set-up: seeding, quiet TensorFlow, one plotting style, device report, profile.

Every notebook starts with::

    from course_lib import runtime
    report = runtime.setup(seed=0)

Importing this module does not import TensorFlow; :func:`setup` does.
"""

from __future__ import annotations

import contextlib
import os
import platform
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Literal, TypeVar, cast

import numpy as np

from . import validate

ProfileName = Literal["quick", "full"]
PROFILE_ENV_VAR = "COURSE_PROFILE"
PROFILES: tuple[ProfileName, ...] = ("quick", "full")

T = TypeVar("T")


@dataclass(frozen=True)
class Profile:
    """How much data and how many epochs the notebooks use.

    ``quick`` (the default) keeps every notebook within its time budget on a 2-core
    laptop; ``full`` scales data and training up for GPUs and patient learners.
    Select it with the environment variable ``COURSE_PROFILE=full``.
    """

    name: ProfileName

    def pick(self, quick: T, full: T) -> T:
        """Return ``quick`` under the quick profile and ``full`` under the full one."""
        return quick if self.name == "quick" else full

    @property
    def is_full(self) -> bool:
        return self.name == "full"


def current_profile(name: str | None = None) -> Profile:
    """Return the profile named by ``name`` or, if None, by ``$COURSE_PROFILE``.

    Raises ValueError for a name other than ``"quick"`` or ``"full"``.
    """
    given = name is not None
    if name is None:
        name = os.environ.get(PROFILE_ENV_VAR, "quick").strip().lower() or "quick"
    elif not isinstance(name, str):
        raise TypeError(f"name must be 'quick', 'full' or None, got {validate.describe(name)}")
    if name not in PROFILES:
        raise ValueError(
            f"{'name: ' if given else ''}unknown profile {name!r}: expected one of {PROFILES} "
            f"(set {PROFILE_ENV_VAR}=quick or {PROFILE_ENV_VAR}=full)"
        )
    return Profile(name)  # type: ignore[arg-type]


def silence_tensorflow() -> None:
    """Hide TensorFlow's C++ log lines; must run before TensorFlow is imported.

    Level 3 keeps only fatal messages: the INFO and ERROR lines TensorFlow prints on a
    machine without CUDA are noise for students, and carry time stamps that would make
    every notebook's stored output differ from a new run.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")


@contextlib.contextmanager
def _stderr_to_devnull() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null for the duration of the block.

    TensorFlow's native libraries log a few lines while they load, before their log
    level is read, straight to file descriptor 2; only an OS-level redirect hides them.
    Python exceptions still propagate normally.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def import_tensorflow():
    """Import TensorFlow (and Keras) quietly and return the ``tensorflow`` module."""
    silence_tensorflow()
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    with _stderr_to_devnull():
        import keras  # noqa: F401 - imported here so its start-up lines are hidden too
        import tensorflow as tf

        tf.config.list_physical_devices("GPU")  # the first device query logs about CUDA
    return tf


def package_version(name: str) -> str:
    """Installed version of distribution ``name``, or ``"not installed"``."""
    name = validate.text("name", name)
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


@dataclass
class RuntimeReport:
    """What :func:`setup` configured: versions, device and profile."""

    seed: int
    profile: Profile
    python: str
    numpy: str
    tensorflow: str
    keras: str
    cpu_cores: int
    gpus: list[str] = field(default_factory=list)
    mixed_precision: bool = False
    deterministic_ops: bool = False
    logical_cpus: int | None = None  # set when setup(logical_cpus=N) split the CPU

    @property
    def device(self) -> str:
        if self.gpus:
            return f"GPU: {', '.join(self.gpus)}"
        return f"CPU only ({self.cpu_cores} cores)"

    def __str__(self) -> str:
        rows = [
            ("python", self.python),
            ("numpy", self.numpy),
            ("tensorflow", self.tensorflow),
            ("keras", self.keras),
            ("device", self.device),
            ("mixed precision", "on" if self.mixed_precision else "off"),
            (
                "profile",
                f"{self.profile.name} (set {PROFILE_ENV_VAR}=full for more)"
                if not self.profile.is_full
                else "full",
            ),
            ("seed", str(self.seed)),
        ]
        if self.logical_cpus is not None:
            rows.append(("logical CPUs", str(self.logical_cpus)))
        width = max(len(key) for key, _ in rows)
        return "\n".join(f"{key:<{width}} : {value}" for key, value in rows)


PLOT_STYLE: dict[str, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 80,
    "savefig.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": "medium",
    "font.size": 10,
    "image.cmap": "viridis",
    "legend.frameon": False,
}


def set_plot_style() -> None:
    """Apply the course's single matplotlib style."""
    import matplotlib as mpl

    mpl.rcParams.update(cast(Any, PLOT_STYLE))  # keys are checked by matplotlib itself


def _gpu_names(tf) -> list[str]:
    names = []
    for gpu in tf.config.list_physical_devices("GPU"):
        details = tf.config.experimental.get_device_details(gpu)
        names.append(details.get("device_name", gpu.name))
    return names


def setup(
    seed: int = 0,
    *,
    profile: str | None = None,
    mixed_precision: bool = False,
    deterministic_ops: bool | None = None,
    verbose: bool = True,
    logical_cpus: int | None = None,
) -> RuntimeReport:
    """Prepare a notebook: seeds, quiet logs, plot style, GPU memory growth, profile.

    Args:
        seed: seeds Python's ``random``, NumPy and TensorFlow through
            ``keras.utils.set_random_seed``.
        profile: ``"quick"`` or ``"full"``; None reads ``$COURSE_PROFILE``.
        mixed_precision: use the ``mixed_float16`` policy. Only applied when a GPU is
            present, because float16 arithmetic is slow on CPUs.
        deterministic_ops: make TensorFlow ops deterministic. None means "on when
            running on the CPU": on a GPU, deterministic kernels are slower and some
            ops have none, so they would raise.
        verbose: print the report.
        logical_cpus: split the CPU into this many logical devices (for
            ``tf.distribute.MirroredStrategy`` on a machine without several GPUs).
            None (the default) leaves TensorFlow's devices as they are. Only possible
            before TensorFlow initialises its devices (its first op or layer), so call
            ``setup`` first; asking again for the split already in place is harmless.

    Returns:
        A :class:`RuntimeReport` describing what was set up; with ``logical_cpus``, its
        ``logical_cpus`` gives the number of logical CPU devices.

    Raises:
        RuntimeError: ``logical_cpus`` asked for after TensorFlow initialised its devices
            with another split; the message says to restart the kernel.
    """
    try:
        seed = validate.seed("seed", seed)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{error} (seed must be a non-negative int below 2**32)") from None
    if profile is not None and not isinstance(profile, str):
        raise TypeError(f"profile must be 'quick', 'full' or None, got {validate.describe(profile)}")
    chosen = current_profile(profile)
    mixed_precision = validate.flag("mixed_precision", mixed_precision)
    if deterministic_ops is not None:
        deterministic_ops = validate.flag("deterministic_ops", deterministic_ops)
    verbose = validate.flag("verbose", verbose)
    if logical_cpus is not None:
        logical_cpus = validate.count("logical_cpus", logical_cpus)

    tf = import_tensorflow()
    if logical_cpus is not None:
        _split_the_cpu(tf, logical_cpus)
    import keras

    tf.get_logger().setLevel("ERROR")
    try:
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
    except ImportError:  # pragma: no cover - absl ships with TensorFlow
        pass

    gpus = tf.config.list_physical_devices("GPU")
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:
            # Memory growth can only be set before the GPU is first used; a second
            # setup() call in the same kernel lands here and keeps the first setting.
            pass

    use_mixed = bool(mixed_precision and gpus)
    keras.mixed_precision.set_global_policy("mixed_float16" if use_mixed else "float32")

    if deterministic_ops is None:
        deterministic_ops = not gpus
    if deterministic_ops:
        tf.config.experimental.enable_op_determinism()

    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    set_plot_style()

    report = RuntimeReport(
        seed=seed,
        profile=chosen,
        python=platform.python_version(),
        numpy=np.__version__,
        tensorflow=tf.__version__,
        keras=keras.__version__,
        cpu_cores=os.cpu_count() or 1,
        gpus=_gpu_names(tf) if gpus else [],
        mixed_precision=use_mixed,
        deterministic_ops=deterministic_ops,
        logical_cpus=None if logical_cpus is None else len(tf.config.list_logical_devices("CPU")),
    )
    if verbose:
        print(report)
    return report


def _split_the_cpu(tf: Any, count: int) -> None:
    """Split the first physical CPU into ``count`` logical TensorFlow devices.

    ``tf.distribute.MirroredStrategy`` needs several devices; a CPU-only machine offers them
    by splitting its CPU, but TensorFlow fixes its devices the first time it runs an op or
    builds a layer, so the split must happen in the set-up cell.
    """
    cpu = tf.config.list_physical_devices("CPU")[0]
    current = tf.config.get_logical_device_configuration(cpu)
    if current is not None and len(current) == count:
        return
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(count)]
        )
    except RuntimeError as error:
        raise RuntimeError(
            f"TensorFlow already initialised its devices, so the CPU can no longer be split "
            f"into {count} logical devices: restart the kernel and run the set-up cell "
            f"(runtime.setup(..., logical_cpus={count})) before anything else"
        ) from error


@dataclass(frozen=True)
class EnvironmentCheck:
    item: str
    ok: bool
    detail: str

    def __str__(self) -> str:
        return f"{'✅' if self.ok else '❌'} {self.item:<22} {self.detail}"


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def environment_checks() -> list[EnvironmentCheck]:
    """Check what the course needs: versions, the widget front-end, TensorFlow's device.

    Every check is reported rather than raised, so a student sees all problems at once.
    Calling this imports TensorFlow.
    """
    checks = [
        EnvironmentCheck("Python >= 3.11", sys.version_info >= (3, 11), platform.python_version()),
    ]
    wanted = {
        "tensorflow": ((2, 21), (2, 22)),
        "keras": ((3, 0), (4, 0)),
        "ipywidgets": ((8, 0), (9, 0)),
        "jupyterlab_widgets": ((3, 0), (4, 0)),
        "jupyterlab": ((4, 0), (5, 0)),
        "jupytext": ((1, 16), (2, 0)),
    }
    for name, (low, high) in wanted.items():
        version = package_version(name)
        ok = version != "not installed" and low <= _version_tuple(version) < high
        label = {"jupyterlab_widgets": "widget extension"}.get(name, name)
        wanted_text = f"wanted >={'.'.join(map(str, low))},<{'.'.join(map(str, high))}"
        checks.append(EnvironmentCheck(label, ok, version if ok else f"{version} ({wanted_text})"))

    tf = import_tensorflow()
    gpus = tf.config.list_physical_devices("GPU")
    checks.append(
        EnvironmentCheck(
            "compute device",
            True,
            f"{len(gpus)} GPU(s): {', '.join(_gpu_names(tf))}"
            if gpus
            else f"CPU, {os.cpu_count()} cores (every notebook is sized for this)",
        )
    )
    checks.append(
        EnvironmentCheck(
            "profile", True, f"{current_profile().name} (from ${PROFILE_ENV_VAR}, default quick)"
        )
    )
    return checks

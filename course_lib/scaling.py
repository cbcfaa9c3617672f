"""Notebook 16's plumbing: hardware figures, FLOP counts, epoch timing, the ImageNet table.

The lesson's own code (policies, ``train_step``, strategies, checkpoints) stays in the
notebook; this module holds what the notebook and ``scripts/benchmark_scaling.py``
share. Loads TensorFlow quietly through :mod:`course_lib.backend`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from . import validate
from .backend import keras, tf

# --- The lecture's table: ImageNet / ResNet-50 training time (Mikami et al., 2018) ---


@dataclass(frozen=True)
class ImageNetRun:
    """One row of the lecture's table: who trained ResNet-50 on ImageNet, and how fast."""

    team: str
    batch_size: str
    processor: str
    devices: int | None  # None: the table gives no count ("full TPU Pod")
    library: str
    seconds: float
    top1: float  # top-1 validation accuracy, in %

    @property
    def device_hours(self) -> float | None:
        """Devices times wall-clock hours: the total work, if the count is known."""
        return None if self.devices is None else self.devices * self.seconds / 3600


IMAGENET_RUNS: tuple[ImageNetRun, ...] = (
    ImageNetRun("He et al.", "256", "Tesla P100 x8", 8, "Caffe", 29 * 3600, 75.3),
    ImageNetRun("Goyal et al.", "8K", "Tesla P100 x256", 256, "Caffe2", 3600, 76.3),
    ImageNetRun("Smith et al.", "8K→16K", "full TPU Pod", None, "TensorFlow", 30 * 60, 76.1),
    ImageNetRun("Akiba et al.", "32K", "Tesla P100 x1024", 1024, "Chainer", 15 * 60, 74.9),
    ImageNetRun("Jia et al.", "64K", "Tesla P40 x2048", 2048, "TensorFlow", 6.6 * 60, 75.8),
    ImageNetRun("Mikami et al.", "34K→68K", "Tesla V100 x2176", 2176, "NNL", 224, 75.03),
)


def format_duration(seconds: float) -> str:
    """``104400`` -> ``"29 h"``, ``396`` -> ``"6.6 min"``, ``224`` -> ``"224 s"``."""
    seconds = validate.positive("seconds", seconds)
    if seconds >= 3600:
        return f"{seconds / 3600:g} h"
    if seconds >= 300:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


# --- Arithmetic throughput ----------------------------------------------------------


def matmul_gflops(
    n: int = 1024, *, dtype: str = "float32", device: str = "/CPU:0", repeats: int = 5
) -> float:
    """Measured throughput of an ``n x n`` matrix product on ``device``, in GFLOP/s.

    One product costs ``2 n**3`` floating-point operations (a multiply and an add per
    term). The best of ``repeats`` timed products is kept, after one untimed warm-up, so
    the figure is what the device reaches, not what a busy machine left over.
    """
    n = validate.count("n", n, minimum=2, maximum=32_768)
    dtype = validate.choice("dtype", dtype, ("float32", "float16", "bfloat16"))
    device = _device("device", device)
    repeats = validate.count("repeats", repeats)
    with tf.device(device):
        a = tf.cast(tf.random.stateless_uniform((n, n), seed=(0, 1)), dtype)
        b = tf.cast(tf.random.stateless_uniform((n, n), seed=(0, 2)), dtype)
        float(tf.linalg.matmul(a, b)[0, 0])  # warm-up: kernel selection, memory
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            float(tf.linalg.matmul(a, b)[0, 0])  # reading one value waits for the product
            best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def _device(name: str, value: object) -> str:
    """One of TensorFlow's devices here, written ``"/CPU:0"``, ``"/GPU:0"`` or ``"/device:GPU:0"``."""
    def short(device: str) -> str:
        return device.strip().removeprefix("/").removeprefix("device:").upper()

    value = validate.text(name, value)
    available = [short(device.name) for device in tf.config.list_logical_devices()]
    if short(value) not in available:
        raise ValueError(
            f"{name} must be one of this machine's devices {['/' + d for d in available]}, got {value!r}"
        )
    return value


def peak_gflops(cores: int, ghz: float, flops_per_cycle: int) -> float:
    """A processor's theoretical float32 peak: ``cores * ghz * flops_per_cycle``.

    ``flops_per_cycle`` per core is 2 (multiply and add, fused) x vector lanes x FMA
    units: 32 for AVX2 with two FMA units (8 float32 lanes), 64 for AVX-512 with two.
    """
    cores = validate.count("cores", cores)
    ghz = validate.positive("ghz", ghz)
    flops_per_cycle = validate.count("flops_per_cycle", flops_per_cycle)
    return cores * ghz * flops_per_cycle


@dataclass(frozen=True)
class CpuFacts:
    """What Linux reports about the CPU: cores, clock and the widest vector unit."""

    cores: int
    ghz: float | None
    vector_isa: str  # "AVX-512", "AVX2" or "SSE"

    @property
    def flops_per_cycle(self) -> int:
        """float32 FLOP per cycle per core, assuming two FMA units of that width."""
        return {"AVX-512": 64, "AVX2": 32}.get(self.vector_isa, 8)


def cpu_facts(cpuinfo: str | None = None) -> CpuFacts:
    """Cores (``os.cpu_count``), clock and vector width read from ``/proc/cpuinfo``.

    Args:
        cpuinfo: the text of ``/proc/cpuinfo`` (read from the file when None). Where it
            does not exist (macOS, Windows), the clock is None and the ISA "SSE".
    """
    if cpuinfo is not None:
        cpuinfo = validate.text("cpuinfo", cpuinfo, allow_empty=True)
    if cpuinfo is None:
        try:
            with open("/proc/cpuinfo", encoding="utf-8") as file:
                cpuinfo = file.read()
        except OSError:
            cpuinfo = ""
    flags: set[str] = set()
    mhz = None
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "flags" and not flags:
            flags = set(value.split())
        elif key.strip() == "cpu MHz" and mhz is None:
            try:
                mhz = float(value)
            except ValueError:
                mhz = None
    isa = "AVX-512" if "avx512f" in flags else "AVX2" if {"avx2", "fma"} <= flags else "SSE"
    return CpuFacts(os.cpu_count() or 1, None if not mhz else mhz / 1000, isa)


def gpu_names() -> list[str]:
    """The GPUs TensorFlow sees, by name (an empty list on a CPU-only machine)."""
    names = []
    for gpu in tf.config.list_physical_devices("GPU"):
        details = tf.config.experimental.get_device_details(gpu)
        names.append(details.get("device_name", gpu.name))
    return names


_ISAS_WITHOUT_BFLOAT16 = ("SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX2_VNNI_2",
                          "AVX512_CORE", "AVX512_CORE_VNNI")


def bfloat16_problem() -> str | None:
    """Why bfloat16 layers cannot run here, or None when they can.

    Two known cases: a GPU older than compute capability 8.0 (Ampere), whose libraries
    lack bfloat16 convolutions; and oneDNN capped (``ONEDNN_MAX_CPU_ISA``) below the
    instructions of a CPU that has bfloat16 support: TensorFlow 2.21 then picks oneDNN's
    bfloat16 kernels, which the cap removes, and the process aborts.
    """
    for gpu in tf.config.list_physical_devices("GPU"):
        capability = tf.config.experimental.get_device_details(gpu).get("compute_capability")
        if capability is not None and tuple(capability) < (8, 0):
            return f"this GPU (compute capability {capability[0]}.{capability[1]}) predates bfloat16"
    onednn_on = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1").strip() != "0"
    cap = os.environ.get("ONEDNN_MAX_CPU_ISA", "").strip().upper()
    if onednn_on and cap in _ISAS_WITHOUT_BFLOAT16:
        return (f"oneDNN is capped at {cap} (ONEDNN_MAX_CPU_ISA), which has no bfloat16 "
                "kernels, and TensorFlow would crash")
    return None


# --- FLOPs of a model -------------------------------------------------------------------


def _leaf_layers(model: keras.Model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer


def forward_flops(model: keras.Model) -> int:
    """Floating-point operations of one example's forward pass through ``model``.

    Counts the multiply-adds of ``Dense`` and ``Conv2D`` layers (2 FLOPs each), which
    dominate; activations, pooling and normalisation are left out.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {validate.describe(model)}")
    if not model.built:
        raise ValueError("model is not built yet: start it with keras.Input(shape) or call it on a batch")
    total = 0
    for layer in _leaf_layers(model):
        if isinstance(layer, keras.layers.Dense):
            fan_in = int(layer.kernel.shape[0])
            positions = 1
            for size in layer.output.shape[1:-1]:
                positions *= int(size)
            total += 2 * fan_in * layer.units * positions
        elif isinstance(layer, keras.layers.Conv2D):
            kernel_h, kernel_w, channels_in, channels_out = (int(s) for s in layer.kernel.shape)
            out_h, out_w = (int(s) for s in layer.output.shape[1:3])
            total += 2 * kernel_h * kernel_w * channels_in * channels_out * out_h * out_w
    return total


def training_flops(model: keras.Model) -> int:
    """FLOPs to train on one example: about three forward passes.

    The backward pass computes two products per layer (the gradient with respect to the
    input and the one with respect to the weights), each as costly as the forward one.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {validate.describe(model)}")
    return 3 * forward_flops(model)


# --- Timing ----------------------------------------------------------------------------


class EpochTimer(keras.callbacks.Callback):
    """Records the wall-clock seconds of every epoch of ``fit`` in ``self.seconds``.

    The first epoch includes tracing the training step into a graph (and compiling it
    with XLA when asked), so :attr:`steady` is the median of the later ones.
    """

    def __init__(self) -> None:
        super().__init__()
        self.seconds: list[float] = []
        self._start = 0.0

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None) -> None:
        self.seconds.append(time.perf_counter() - self._start)

    @property
    def first(self) -> float:
        """Seconds of the first epoch (tracing included)."""
        if not self.seconds:
            raise ValueError("no epoch was timed yet: pass the timer to fit(callbacks=[...])")
        return self.seconds[0]

    @property
    def steady(self) -> float:
        """Median seconds of the epochs after the first (the first one if it is alone)."""
        if not self.seconds:
            raise ValueError("no epoch was timed yet: pass the timer to fit(callbacks=[...])")
        later = sorted(self.seconds[1:] or self.seconds)
        middle = len(later) // 2
        return later[middle] if len(later) % 2 else (later[middle - 1] + later[middle]) / 2


def _wait_for(result) -> None:
    """Block until ``result`` (tensors, or nested lists of them) is computed."""
    for item in tf.nest.flatten(result):
        if hasattr(item, "numpy"):
            item.numpy()


@dataclass(frozen=True)
class CallTimes:
    """What :func:`time_calls` measured."""

    first_result: object  # the value the first call returned
    first_seconds: float  # the first call: tracing (and XLA compilation) included
    seconds_per_call: float  # the later calls: the best of several blocks


def time_calls(function, *args, calls: int = 100, blocks: int = 5) -> CallTimes:
    """Time the first call of ``function(*args)``, then ``calls`` more in ``blocks`` blocks.

    The first call of a ``tf.function`` traces it (and compiles it with XLA if asked);
    the later ones only run it. The per-call time is that of the fastest block, as
    ``timeit`` does: other programs on the machine can only make a block slower. Results
    are read back at the end of each block, so asynchronous devices are timed too.
    """
    validate.callable_("function", function)
    calls = validate.count("calls", calls)
    blocks = min(validate.count("blocks", blocks), calls)
    start = time.perf_counter()
    first_result = function(*args)
    _wait_for(first_result)
    first = time.perf_counter() - start
    per_block = calls // blocks
    best = float("inf")
    for _ in range(blocks):
        start = time.perf_counter()
        for _ in range(per_block):
            result = function(*args)
        _wait_for(result)
        best = min(best, (time.perf_counter() - start) / per_block)
    return CallTimes(first_result, first, best)


def time_to_train(
    flops_per_example: float, examples: int, epochs: float, flops_per_second: float
) -> float:
    """Seconds to train: ``flops_per_example * examples * epochs / flops_per_second``."""
    flops_per_example = validate.positive("flops_per_example", flops_per_example)
    examples = validate.count("examples", examples)
    epochs = validate.positive("epochs", epochs)
    flops_per_second = validate.positive("flops_per_second", flops_per_second)
    return flops_per_example * examples * epochs / flops_per_second

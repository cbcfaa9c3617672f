"""Where the time of a training loop goes: waiting for input, or computing.

:func:`measure_timeline` runs a real loop and records, for every step, how long it
waited for its batch and how long the step took. :func:`simulate_pipeline` computes the
same timeline for an idealised input pipeline (a producer with ``workers`` parallel
workers and a ``prefetch`` buffer, feeding a consumer), so the widget can redraw it in
milliseconds. :func:`plot_timeline` draws either kind.

Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from . import validate


@dataclass(frozen=True)
class Timeline:
    """One training loop, step by step, in seconds from its start.

    Attributes:
        requested: ``(steps,)`` when the loop asked for each batch.
        ready: ``(steps,)`` when each batch was there (the wait is ``ready - requested``).
        done: ``(steps,)`` when each training step finished.
        produced: ``(steps, 2)`` start and end of preparing each batch, when known
            (simulated pipelines); None for measured loops.
    """

    requested: np.ndarray
    ready: np.ndarray
    done: np.ndarray
    produced: np.ndarray | None = None

    @property
    def waiting(self) -> float:
        """Total seconds spent waiting for input."""
        return float(np.sum(self.ready - self.requested))

    @property
    def computing(self) -> float:
        """Total seconds spent in training steps."""
        return float(np.sum(self.done - self.ready))

    @property
    def total(self) -> float:
        """Seconds from the first request to the end of the last step."""
        return float(self.done[-1] - self.requested[0]) if len(self.done) else 0.0

    @property
    def waiting_share(self) -> float:
        """Fraction of the loop's time spent waiting for input."""
        return self.waiting / self.total if self.total > 0 else 0.0

    def steps_per_second(self) -> float:
        return len(self.done) / self.total if self.total > 0 else 0.0


def measure_timeline(
    batches: Iterable, step: Callable, *, max_steps: int | None = None
) -> Timeline:
    """Run ``step(*batch)`` on every batch and time the wait and the step separately.

    Args:
        batches: anything iterable that yields batches (a ``tf.data.Dataset``, a
            generator of NumPy arrays...); a tuple batch is unpacked into ``step``.
        step: the training step. Its result is converted with ``float()`` (or
            ``.numpy()``) so that the time of asynchronous devices is counted.
        max_steps: stop after this many steps (None: the whole iterable).
    """
    if batches is None or isinstance(batches, str | bytes | Mapping):
        raise TypeError(f"batches must be an iterable of batches, got {validate.describe(batches)}")
    try:
        iterator = iter(batches)
    except TypeError:
        raise TypeError(f"batches must be an iterable of batches, got {validate.describe(batches)}") from None
    validate.callable_("step", step)
    if max_steps is not None:
        max_steps = validate.count("max_steps", max_steps)
    requested: list[float] = []
    ready: list[float] = []
    done: list[float] = []
    origin = time.perf_counter()
    while max_steps is None or len(done) < max_steps:
        asked = time.perf_counter()
        try:
            batch = next(iterator)
        except StopIteration:
            break
        arrived = time.perf_counter()
        result = step(*batch) if isinstance(batch, tuple) else step(batch)
        if hasattr(result, "numpy"):
            result.numpy()
        finished = time.perf_counter()
        requested.append(asked - origin)
        ready.append(arrived - origin)
        done.append(finished - origin)
    if not done:
        raise ValueError("batches yielded nothing: there is no step to time")
    return Timeline(np.array(requested), np.array(ready), np.array(done))


def simulate_pipeline(
    input_ms: float, compute_ms: float, *, workers: int = 1, prefetch: int = 0, steps: int = 12
) -> Timeline:
    """The timeline of an ideal producer-consumer input pipeline, in seconds.

    Preparing one batch takes ``input_ms / workers`` (a parallel ``map`` splits a batch
    over its workers); a training step takes ``compute_ms``. Without prefetching
    (``prefetch=0``) a batch is prepared only when the step asks for it. With a buffer of
    ``prefetch`` batches, the producer works ahead while the consumer computes, but never
    more than ``prefetch`` batches ahead. Input and compute are assumed not to compete
    for the same cores (on a 2-core laptop they do, so real gains are smaller).

    Returns:
        A :class:`Timeline` with ``produced`` filled in.
    """
    input_s = validate.positive("input_ms", input_ms, allow_zero=True) / 1000
    compute_s = validate.positive("compute_ms", compute_ms) / 1000
    workers = validate.count("workers", workers)
    prefetch = validate.integer("prefetch", prefetch, minimum=0)
    steps = validate.count("steps", steps, maximum=100_000)
    per_batch = input_s / workers
    requested, ready, done = np.zeros(steps), np.zeros(steps), np.zeros(steps)
    produced = np.zeros((steps, 2))
    for k in range(steps):
        requested[k] = done[k - 1] if k else 0.0
        if prefetch == 0:
            start = requested[k]
        else:
            previous_end = produced[k - 1, 1] if k else 0.0
            # the buffer has room for batch k once batch k - prefetch has been taken
            room = ready[k - prefetch] if k >= prefetch else 0.0
            start = max(previous_end, room)
        produced[k] = (start, start + per_batch)
        ready[k] = max(requested[k], produced[k, 1])
        done[k] = ready[k] + compute_s
    return Timeline(requested, ready, done, produced)


WAIT_COLOR, COMPUTE_COLOR, INPUT_COLOR = "tab:red", "tab:blue", "tab:orange"


def plot_timeline(timelines: Mapping[str, Timeline], *, ax=None, max_seconds: float | None = None):
    """Draw each loop as a row of bars: red while waiting for input, blue while computing.

    Simulated timelines get a second, orange row: when each batch was being prepared.

    Args:
        timelines: ``{label: Timeline}``, drawn top to bottom.
        max_seconds: the right end of the time axis (default: the longest loop).

    Returns:
        The Axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    timelines = validate.mapping("timelines", timelines)
    if not timelines:
        raise ValueError("timelines is empty: give at least one {label: Timeline}")
    for label, line in timelines.items():
        validate.text("timelines' labels", label)
        validate.instance(f"timelines[{label!r}]", line, Timeline, "a Timeline")
    if max_seconds is not None:
        max_seconds = validate.positive("max_seconds", max_seconds)
    if ax is not None:
        validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.6 + 0.7 * len(timelines)))
    rows, labels, y = [], [], 0.0
    for label, line in reversed(list(timelines.items())):
        if line.produced is not None:
            spans = [(a * 1e3, (b - a) * 1e3) for a, b in line.produced]
            ax.broken_barh(spans, (y, 0.6), color=INPUT_COLOR, edgecolor="white", linewidth=0.5)
            rows.append(y + 0.3)
            labels.append("its input")
            y += 0.8
        waits = [(a * 1e3, (b - a) * 1e3) for a, b in zip(line.requested, line.ready, strict=True)]
        steps = [(a * 1e3, (b - a) * 1e3) for a, b in zip(line.ready, line.done, strict=True)]
        ax.broken_barh(waits, (y, 0.6), color=WAIT_COLOR)
        ax.broken_barh(steps, (y, 0.6), color=COMPUTE_COLOR, edgecolor="white", linewidth=0.5)
        rows.append(y + 0.3)
        labels.append(label)
        y += 1.2
    longest = max(line.total for line in timelines.values()) * 1e3
    ax.set_xlim(0, max_seconds * 1e3 if max_seconds else longest * 1.02)
    ax.set_ylim(-0.2, y - 0.4)
    ax.set_yticks(rows, labels)
    ax.set_xlabel("time (ms)")
    ax.grid(axis="y", visible=False)
    legend = [Patch(color=WAIT_COLOR, label="waiting for input"),
              Patch(color=COMPUTE_COLOR, label="training step")]
    if any(line.produced is not None for line in timelines.values()):
        legend.append(Patch(color=INPUT_COLOR, label="preparing a batch"))
    ax.legend(handles=legend, loc="upper center", bbox_to_anchor=(0.5, -0.25 if len(timelines) > 1 else -0.5),
              ncol=len(legend), fontsize=8)
    return ax

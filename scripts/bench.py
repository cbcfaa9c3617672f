"""The course's time budgets, measured on this machine (``make bench``).

    python scripts/bench.py [--only widgets,import,liveplot,notebooks,recipes,conv]
                            [--notebooks 05 07] [--slowest 5] [--repeats 3]

Budgets (COURSE.md): a widget redraws within 150 ms (median of its controls' moves, the
PNG that the notebook front-end receives included); ``import course_lib`` takes at most
0.5 s; every notebook runs top to bottom within 60 s on a 2-core CPU *without AVX-512*,
which is measured by running it with TensorFlow limited to AVX2 (and NumPy's and
OpenBLAS's AVX2 kernels, see ``course_lib.maintenance.numeric_environment("avx2")``); all
notebooks together within 15 minutes. Since limiting the vector width does not slow this
machine's cores to a laptop's, the AVX2-limited run is profiled with ``perf`` and the
budget applies to the laptop time that ``scripts/laptop_model.py`` predicts from it (without
perf, to the AVX2-limited time itself); the live plot's drawing within 5 % of the training
time. It also runs the recipe benchmark (the course's MNIST recipe against the keras-io
convnet: at least 97.5 % test accuracy in at most half the training time) and the scratch
convolution benchmark, which have no budget of their own.

Prints one table per part and a summary of the budgets; exits with 1 if one is missed.
Run it on an otherwise idle machine: it measures time, so other work slows it down.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "scripts"))

import laptop_model  # noqa: E402

from course_lib import maintenance  # noqa: E402

WIDGET_BUDGET_S = 0.15
IMPORT_BUDGET_S = 0.5
NOTEBOOK_BUDGET_S = 60.0
NOTEBOOK_TARGET_S = 40.0
SUITE_BUDGET_S = 15 * 60.0
LIVE_PLOT_BUDGET = 0.05
RECIPE_ACCURACY = 0.975
RECIPE_TIME_RATIO = 0.5
PARTS = ("widgets", "import", "liveplot", "notebooks", "recipes", "conv")


class Budgets:
    """Collects (what, measured, budget, ok) rows for the final summary."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, bool]] = []

    def add(self, what: str, measured: str, budget: str, ok: bool) -> None:
        self.rows.append((what, measured, budget, ok))

    def report(self) -> bool:
        print("\n## Budgets\n")
        print("| what | measured | budget | |\n|---|---|---|---|")
        for what, measured, budget, ok in self.rows:
            print(f"| {what} | {measured} | {budget} | {'✓' if ok else '✗ missed'} |")
        return all(ok for *_, ok in self.rows)


# ---------------------------------------------------------------------------- widgets


def _values_to_visit(control) -> list:
    """A few valid values for a control: its extremes and options, then its start value."""
    import ipywidgets as w

    from course_lib.widgets import catalog

    start = control.value
    if isinstance(control, w.Checkbox | w.ToggleButton):
        return [not start, start, not start, start]
    if isinstance(control, w.SelectMultiple):
        labels = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [tuple(labels), tuple(labels[:1]), tuple(start)]
    options = getattr(control, "options", None)
    if options is not None and not isinstance(control, w.SelectionRangeSlider):
        labels = [o[1] if isinstance(o, tuple) else o for o in options]
        return [label for label in labels if label != start] + [start]
    if isinstance(control, w.IntSlider | w.FloatSlider | w.FloatLogSlider | w.Play):
        if isinstance(control, w.FloatLogSlider):
            extremes = [control.base**control.max, control.base**control.min]
        else:
            extremes = [control.max, control.min]
        return [*extremes, catalog.another_value(control), start]
    other = catalog.another_value(control)
    return [] if other is None else [other, start]


def bench_widgets(budgets: Budgets, repeats: int) -> None:
    """Time every catalogued widget's redraws, PNG rendering included."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from course_lib import runtime

    runtime.setup(seed=0, verbose=False)
    from course_lib.widgets import catalog
    from course_lib.widgets import redraw as redraw_module

    def display_as_png(figure, *args, **kwargs):
        # What the notebook's inline backend does with a displayed figure.
        figure.savefig(io.BytesIO(), format="png", bbox_inches="tight")

    redraw_module.display = display_as_png
    print("\n## Widget redraws (ms, from moving a control to the PNG)\n")
    print("| notebook | widget | moves | median | worst | worst control |\n|---|---|---|---|---|---|")
    for entry in catalog.CATALOG:
        with contextlib.redirect_stdout(io.StringIO()):  # text the widgets print headless
            samples, actions = _time_widget(entry, repeats)
        times = [s for s, _ in samples]
        median = statistics.median(times)
        worst, worst_control = max(samples)
        print(
            f"| {entry.notebook} | {entry.name} | {len(samples)} | {1000 * median:.0f} | "
            f"{1000 * worst:.0f} | {worst_control} |",
            flush=True,
        )
        for elapsed, name in actions:
            print(f"|  |  ↳ action '{name}' (no budget) | 1 | {1000 * elapsed:.0f} |  |  |")
        budgets.add(
            f"widget {entry.notebook} {entry.name} (median redraw)",
            f"{1000 * median:.0f} ms (worst {1000 * worst:.0f} ms)",
            f"≤ {1000 * WIDGET_BUDGET_S:.0f} ms",
            median <= WIDGET_BUDGET_S,
        )
        plt.close("all")


def _time_widget(entry, repeats: int):
    """Seconds per control move (and per action button press) of one catalogued widget."""
    import matplotlib.pyplot as plt

    from course_lib.widgets import catalog

    widget = entry.build()
    samples: list[tuple[float, str]] = []
    actions: list[tuple[float, str]] = []
    for control in catalog.controls(widget):
        name = catalog.label(control)
        if hasattr(control, "click"):
            for _ in range(repeats):
                started = time.perf_counter()
                control.click()
                elapsed = time.perf_counter() - started
                (actions if name in entry.actions else samples).append((elapsed, name))
            continue
        for _ in range(repeats):
            for value in _values_to_visit(control):
                started = time.perf_counter()
                control.value = value
                samples.append((time.perf_counter() - started, name))
        plt.close("all")
    return samples, actions


# ----------------------------------------------------------------------------- import


def bench_import(budgets: Budgets, repeats: int) -> None:
    code = (
        "import time; started = time.perf_counter()\n"
        "import course_lib, course_lib.data, course_lib.scratch, course_lib.checks\n"
        "print(time.perf_counter() - started)"
    )
    times = []
    for _ in range(max(repeats, 5)):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, cwd=ROOT)
        times.append(float(out.stdout.strip()))
    median = statistics.median(times)
    print(f"\n## import course_lib\n\nmedian of {len(times)} fresh interpreters: {median:.3f} s")
    budgets.add("import course_lib (median)", f"{median:.2f} s", f"≤ {IMPORT_BUDGET_S} s",
                median <= IMPORT_BUDGET_S)


# --------------------------------------------------------------------------- live plot


def bench_live_plot(budgets: Budgets) -> None:
    import numpy as np

    from course_lib import runtime

    runtime.setup(seed=0, verbose=False)
    import keras

    from course_lib import training

    rng = np.random.default_rng(0)
    x = rng.normal(size=(4096, 20)).astype("float32")
    y = (x[:, :2].sum(axis=1) > 0).astype("int64")

    def fit(callbacks):
        model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(64, activation="relu"),
                                  keras.layers.Dense(2, activation="softmax")])
        training.compile_classifier(model)
        model.fit(x[:256], y[:256], epochs=1, verbose=0)
        started = time.perf_counter()
        model.fit(x, y, epochs=8, batch_size=32, validation_split=0.2, verbose=0,
                  callbacks=callbacks)
        return time.perf_counter() - started

    plain = min(fit([]) for _ in range(2))
    live = training.LivePlot(every=8, min_interval=0.5, render=True)
    with_plot = fit([live])
    during = (live.draw_seconds - live.last_draw_seconds) / max(live.train_seconds, 1e-9)
    print("\n## Live plot\n")
    print(f"fit without the plot {plain:.2f} s, with it {with_plot:.2f} s "
          f"({live.draw_count} redraws; drawing during training {during:.1%} of the time, "
          f"final redraw {1000 * live.last_draw_seconds:.0f} ms)")
    budgets.add("live plot: drawing during training", f"{during:.1%}",
                f"≤ {LIVE_PLOT_BUDGET:.0%}", during <= LIVE_PLOT_BUDGET)


# --------------------------------------------------------------------------- notebooks

RUN_NOTEBOOK = """
import json, sys, time
import nbformat
from nbclient import NotebookClient
path = sys.argv[1]
notebook = nbformat.read(path, as_version=4)
started = time.perf_counter()
NotebookClient(notebook, timeout=600, kernel_name="python3", record_timing=True,
               allow_errors=sys.argv[3:] == ["--allow-errors"],
               resources={"metadata": {"path": sys.argv[2]}}).execute()
total = time.perf_counter() - started
from datetime import datetime
cells = []
for index, cell in enumerate(notebook.cells):
    timing = cell.get("metadata", {}).get("execution", {})
    if cell.cell_type == "code" and "shell.execute_reply" in timing:
        began = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        ended = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
        first = next((line for line in cell.source.splitlines()
                      if line.strip() and not line.startswith("#")), "")
        cells.append([index, (ended - began).total_seconds(), first[:60]])
print(json.dumps({"total": total, "cells": cells}))
"""


def notebook_command(path: Path, *, allow_errors: bool = False) -> list[str]:
    """The command that runs one notebook top to bottom and prints its timings as JSON;
    with ``allow_errors`` it goes on past a failing cell, as nbval does."""
    return [sys.executable, "-c", RUN_NOTEBOOK, str(path), str(path.parent),
            *(["--allow-errors"] if allow_errors else [])]


def notebook_environment(variables: dict[str, str]) -> dict[str, str]:
    environment = {**os.environ, **variables}
    environment.pop("MPLBACKEND", None)
    return environment


def time_notebook(path: Path, variables: dict[str, str]) -> dict:
    out = subprocess.run(notebook_command(path), env=notebook_environment(variables),
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise RuntimeError(f"{path.name} failed under {variables}:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _laptop_model() -> dict | None:
    """The fitted laptop model, or None (with the reason printed) where it cannot be used."""
    if shutil.which("perf") is None:
        print("perf is not installed (apt-get install linux-perf): no laptop prediction; "
              "the budget applies to the AVX2-limited time\n")
        return None
    model = laptop_model.load()
    fitted_cpu, here = model["fitted_on"]["cpu"], laptop_model.cpu_model()
    if fitted_cpu != here:
        print(f"warning: the laptop model was fitted on {fitted_cpu!r}, this is {here!r}; "
              "run scripts/calibrate_laptop.py here for predictions you can trust\n")
    errors = [abs(row["leave_one_out_error"]) for row in model["notebooks"].values()]
    print("Laptop: predicted time on a 2-core laptop CPU without AVX-512 (scripts/laptop_model.py): "
          "the AVX2-limited run's CPU samples, by kind of work, times its factor ("
          + ", ".join(f"{kind} x{factor:.2f}" for kind, factor in model["factors"].items())
          + f"; fitted {model['fitted_on']['date']} on real laptop-class times, leave-one-out "
          f"errors up to {max(errors):.0%})\n")
    return model


def bench_notebooks(budgets: Budgets, chosen: list[str], slowest: int) -> None:
    avx2 = maintenance.numeric_environment("avx2")
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if chosen:
        paths = [p for p in paths if p.name[:2] in chosen]
    print("\n## Notebooks, top to bottom (s; kernel start included)\n")
    print(f"AVX2-limited: {' '.join(f'{k}={v}' for k, v in avx2.items())}\n")
    model = _laptop_model()
    print("| notebook | default | AVX2-limited | laptop (predicted) | vector / TF runtime / rest |")
    print("|---|---|---|---|---|")
    totals = {"default": 0.0, "avx2": 0.0, "laptop": 0.0}
    details = {}
    for path in paths:
        default = time_notebook(path, {})
        if model is None:
            limited, shares = time_notebook(path, avx2), "-"
            laptop = limited["total"]
        else:
            profile, out = laptop_model.profiled_run(notebook_command(path), notebook_environment(avx2),
                                                     ROOT)
            limited = json.loads(out.strip().splitlines()[-1])
            laptop = laptop_model.predict(profile, model["factors"])
            shares = " / ".join(f"{profile.shares[kind]:.0%}" for kind in laptop_model.KINDS)
        totals["default"] += default["total"]
        totals["avx2"] += limited["total"]
        totals["laptop"] += laptop
        details[path.stem] = (default, limited)
        print(f"| {path.stem} | {default['total']:.1f} | {limited['total']:.1f} | {laptop:.1f} | "
              f"{shares} |", flush=True)
        where = "AVX2-limited" if model is None else "laptop, predicted"
        budgets.add(f"notebook {path.stem[:2]} ({where})", f"{laptop:.1f} s",
                    f"≤ {NOTEBOOK_BUDGET_S:.0f} s (target {NOTEBOOK_TARGET_S:.0f} s)",
                    laptop <= NOTEBOOK_BUDGET_S)
    print(f"| all | {totals['default']:.0f} | {totals['avx2']:.0f} | {totals['laptop']:.0f} | |")
    if not chosen:
        budgets.add("all notebooks (laptop, predicted)" if model else "all notebooks (AVX2-limited)",
                    f"{totals['laptop'] / 60:.1f} min", f"≤ {SUITE_BUDGET_S / 60:.0f} min",
                    totals["laptop"] <= SUITE_BUDGET_S)
    if slowest:
        print(f"\n### Slowest {slowest} cells of each notebook (s, default / AVX2-limited)\n")
        for stem, (default, limited) in details.items():
            by_index = {index: seconds for index, seconds, _ in limited["cells"]}
            ranked = sorted(default["cells"], key=lambda cell: -cell[1])[:slowest]
            cells = "; ".join(f"cell {i} `{text}` {s:.1f} / {by_index.get(i, float('nan')):.1f}"
                              for i, s, text in ranked)
            print(f"- {stem}: {cells}")


# ------------------------------------------------------------------- recipes, conv


def run_script(name: str, arguments: list[str], variables: dict[str, str]) -> str:
    environment = {**os.environ, **variables}
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / name), *arguments],
                         env=environment, capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise RuntimeError(f"{name} failed:\n{out.stderr[-2000:]}")
    return out.stdout


def bench_recipes(budgets: Budgets, repeats: int) -> None:
    print("\n## MNIST recipes (mean of seeds, one process per environment)\n")
    print("| environment | recipe | test accuracy | training time (s) | parameters |")
    print("|---|---|---|---|---|")
    for label, variables in (("default", {}), ("AVX2-limited", maintenance.numeric_environment("avx2"))):
        out = run_script("benchmark_mnist_recipes.py",
                         ["--repeats", str(repeats), "--recipes", "keras_io", "best", "--json"],
                         variables)
        results = {row["recipe"]: row for row in json.loads(out.strip().splitlines()[-1])}
        for row in results.values():
            print(f"| {label} | {row['recipe']} | {row['accuracy']:.2%} | {row['seconds']:.1f} | "
                  f"{row['parameters']:,} |")
        best, baseline = results["best"], results["keras_io"]
        ratio = best["seconds"] / baseline["seconds"]
        budgets.add(f"course recipe accuracy ({label})", f"{best['accuracy']:.2%}",
                    f"≥ {RECIPE_ACCURACY:.1%}", best["accuracy"] >= RECIPE_ACCURACY)
        budgets.add(f"course recipe time / keras-io's ({label})", f"{ratio:.2f}",
                    f"≤ {RECIPE_TIME_RATIO}", ratio <= RECIPE_TIME_RATIO)


def bench_conv() -> None:
    print("\n## Scratch convolution against Keras\n")
    for label, variables in (("default", {}), ("AVX2-limited", maintenance.numeric_environment("avx2"))):
        print(f"{label}:\n{run_script('benchmark_scratch_conv.py', [], variables)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts among {', '.join(PARTS)}")
    parser.add_argument("--notebooks", nargs="*", default=[], help="numbers, e.g. 05 07")
    parser.add_argument("--slowest", type=int, default=3, help="slowest cells listed per notebook")
    parser.add_argument("--repeats", type=int, default=3, help="repeats of widget moves and recipe seeds")
    args = parser.parse_args()
    parts = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        parser.error(f"unknown parts {unknown}; choose among {PARTS}")

    budgets = Budgets()
    print(f"# Course benchmark\n\n{os.cpu_count()} CPU cores; {time.strftime('%Y-%m-%d %H:%M')}")
    if "import" in parts:
        bench_import(budgets, args.repeats)
    if "widgets" in parts:
        bench_widgets(budgets, args.repeats)
    if "liveplot" in parts:
        bench_live_plot(budgets)
    if "notebooks" in parts:
        bench_notebooks(budgets, args.notebooks, args.slowest)
    if "recipes" in parts:
        bench_recipes(budgets, args.repeats)
    if "conv" in parts:
        bench_conv()
    return 0 if budgets.report() else 1


if __name__ == "__main__":
    sys.exit(main())

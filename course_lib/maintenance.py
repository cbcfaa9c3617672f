"""Maintainer tools: re-execute notebook pairs, make student versions.

    python -m course_lib.maintenance execute notebooks            # every pair
    python -m course_lib.maintenance execute notebooks/00_welcome_and_setup.py
    python -m course_lib.maintenance student notebooks student    # solutions removed
    python -m course_lib.maintenance coverage notebooks           # what nbval compares
    python -m course_lib.maintenance portable notebooks           # nbval as on other CPUs
    python -m course_lib.maintenance annotate notebooks           # slides, nbgrader, widget hints

A notebook's ``.py`` (py:percent) file is the one to edit; ``execute`` rebuilds the
``.ipynb`` from it, runs it top to bottom in the current environment, and writes both
files of the pair back so they stay in sync. It also derives, from each cell's content,
the metadata that instructors' tools read (:func:`annotate`): live and reveal.js slide
types, and nbgrader's cell types for solution and check cells; and it replaces each
stored widget view by a hint to run the notebook (a widget needs a live kernel).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_ASSIGNMENT = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)")


def notebook_pairs(target: Path) -> list[Path]:
    """The ``.py`` files of the notebook pairs at ``target`` (a folder or one file)."""
    if target.is_dir():
        return sorted(p for p in target.glob("[0-9][0-9]_*.py"))
    if target.suffix in (".py", ".ipynb") and target.with_suffix(".py").exists():
        return [target.with_suffix(".py")]
    raise SystemExit(f"{target}: expected a notebooks folder or a notebook's .py/.ipynb file")


def execute(script: Path, timeout: int = 600) -> float:
    """Rebuild ``script``'s notebook, execute it in place and rewrite both pair files."""
    import jupytext
    from nbclient import NotebookClient

    notebook = jupytext.read(script)
    stored = script.with_suffix(".ipynb")
    if stored.exists():
        _keep_cell_ids(jupytext.read(stored), notebook)
    started = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(script.parent)}},
    ).execute()
    seconds = time.perf_counter() - started
    strip_volatile_metadata(notebook)
    annotate(notebook, script.stem)
    jupytext.write(notebook, stored)
    jupytext.write(_without_derived_metadata(notebook), script, fmt="py:percent")
    return seconds


VOLATILE_CELL_METADATA = ("execution", "trusted")


def strip_volatile_metadata(notebook) -> int:
    """Drop per-cell metadata that changes on every run or every machine, in place.

    JupyterLab records execution timestamps (``execution``) and the trust flag
    (``trusted``) in each cell; committed, they make every re-run a diff and break
    jupytext's strict round trip. Returns the number of entries removed.
    """
    removed = 0
    for cell in notebook.cells:
        for key in VOLATILE_CELL_METADATA:
            if key in cell.metadata:
                del cell.metadata[key]
                removed += 1
    return removed


def _keep_cell_ids(previous, notebook) -> None:
    """Reuse the ids of unchanged cells, so a re-execution diffs only where it should."""
    known: dict[tuple[str, str], str | None] = {}
    for cell in previous.cells:
        known.setdefault((cell.cell_type, cell.source), cell.get("id"))
    used = set()
    for cell in notebook.cells:
        old_id = known.get((cell.cell_type, cell.source))
        if old_id and old_id not in used:
            cell["id"] = old_id
            used.add(old_id)


def strip_solutions(source: str) -> str:
    """Replace each ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` block with a stub.

    A block made only of assignments keeps its names with ``...`` as the value, so the
    check that follows reports "not attempted" instead of a NameError; any other block
    becomes ``raise NotImplementedError`` at the block's indentation.
    """
    lines = source.split("\n")
    output: list[str] = []
    block: list[str] | None = None
    indent = ""
    for line in lines:
        stripped = line.strip()
        if stripped == BEGIN:
            if block is not None:
                raise ValueError("nested '### BEGIN SOLUTION'")
            block, indent = [], line[: len(line) - len(line.lstrip())]
        elif stripped == END:
            if block is None:
                raise ValueError("'### END SOLUTION' without a BEGIN")
            code = [entry for entry in block if entry.strip() and not entry.strip().startswith("#")]
            matches = [_ASSIGNMENT.match(entry) for entry in code]
            if code and all(match and match.group(1) == indent for match in matches):
                output.extend(
                    f"{indent}{m.group(2)} = ...  # your answer here" for m in matches if m
                )
            else:
                output.append(f'{indent}raise NotImplementedError("write your solution here")')
            block = None
        elif block is not None:
            block.append(line)
        else:
            output.append(line)
    if block is not None:
        raise ValueError("'### BEGIN SOLUTION' without an END")
    return "\n".join(output)


def solution_cell(source: str) -> bool:
    """True when a code cell holds a ``### BEGIN SOLUTION`` line (a whole line)."""
    return any(line.strip() == BEGIN for line in source.splitlines())


# ------------------------------------------------------------ derived cell metadata
#
# Instructors' tools read cell metadata: JupyterLab's slideshow (jupyterlab-slideshow) and
# nbconvert's reveal.js export read ``slideshow.slide_type``, nbgrader reads ``nbgrader``.
# Both are derived from the cells' content by the rules below, never written by hand, so
# `execute` (and the `annotate` command, for notebooks already executed) keeps them right
# as the notebooks change. A cell that continues its slide gets no slide type at all:
# nbconvert reads a missing type as "continue", and the JupyterLab slideshow then reveals
# the slide's cells one after another, while it would hide a cell typed "-".

SLIDE_MAX_CELLS = 4
"""A slide continues for at most this many cells before a sub-slide starts."""
SLIDE_MAX_LINES = 24
"""...or until its cells hold this many source lines."""
WIDGET_CALL = re.compile(r"\bwidgets\.\w+\(")
_HEADING = re.compile(r"^(#{1,6})\s")
_EXERCISE = re.compile(r"^###\s+Exercise\s+(\d+)", re.MULTILINE)


def _heading_level(cell) -> int:
    """1-6 for a markdown cell that starts with a heading, else 0."""
    if cell.cell_type != "markdown":
        return 0
    match = _HEADING.match(cell.source.lstrip())
    return len(match.group(1)) if match else 0


def shows_widget(cell) -> bool:
    """True for a code cell that builds a course widget (``widgets.name(...)``) or whose
    stored output is a widget view."""
    if cell.cell_type != "code":
        return False
    if WIDGET_CALL.search(cell.source):
        return True
    return any(
        WIDGET_VIEW_MIME in output.get("data", {}) or WIDGET_HINT_MIME in output.get("data", {})
        for output in cell.get("outputs", [])
    )


def slide_types(cells) -> list[str]:
    """The slide type of each cell, by these rules:

    * the first cell (the title) and every ``#`` or ``##`` heading start a slide;
    * an exercise heading (``### Exercise N``) starts a slide: each exercise is its own;
    * other ``###`` headings start a sub-slide;
    * a cell that shows a widget is a sub-slide of its own (it stays live in a slideshow), and
      the cell after it starts a new sub-slide;
    * otherwise a cell continues the current slide, unless that slide already holds
      :data:`SLIDE_MAX_CELLS` cells or :data:`SLIDE_MAX_LINES` lines of source: then
      it starts a sub-slide (one idea per slide, and each fits on the screen).
    """
    types: list[str] = []
    count = lines = 0
    after_widget = False
    for position, cell in enumerate(cells):
        level = _heading_level(cell)
        size = len(cell.source.splitlines()) or 1
        if position == 0 or level in (1, 2) or (level == 3 and _EXERCISE.match(cell.source.lstrip())):
            kind = "slide"
        elif level >= 3 or shows_widget(cell) or after_widget:
            kind = "subslide"
        elif count >= SLIDE_MAX_CELLS or lines + size > SLIDE_MAX_LINES:
            kind = "subslide"
        else:
            kind = "-"
        if kind != "-":
            count = lines = 0
        count, lines = count + 1, lines + size
        after_widget = shows_widget(cell)
        types.append(kind)
    return types


def grading_metadata(cells) -> list[dict | None]:
    """nbgrader's metadata for each cell (None for cells nbgrader need not know).

    * A code cell with a solution block is an *autograded answer*: ``solution`` true,
      its id ``exercise-N`` after the ``### Exercise N`` heading above it.
    * The code cell right after it, which calls the exercise's check, is *read-only*
      (``locked``): nbgrader keeps it as written and restores it if a student changes
      it. It is not a *grade* cell: the course's checks print feedback and never raise,
      so nbgrader would count every run as passed.
    """
    result: list[dict | None] = [None] * len(cells)
    exercise = 0
    used: set[str] = set()
    awaiting_check: str | None = None
    for position, cell in enumerate(cells):
        found = _EXERCISE.findall(cell.source) if cell.cell_type == "markdown" else []
        if found:
            exercise = int(found[-1])
        if cell.cell_type != "code":
            continue
        if solution_cell(cell.source):
            grade_id = f"exercise-{exercise}" if exercise else "exercise"
            suffix = 1
            while grade_id in used:
                suffix += 1
                grade_id = f"exercise-{exercise}-{suffix}"
            used.add(grade_id)
            result[position] = _nbgrader(grade_id, solution=True, locked=False)
            awaiting_check = grade_id
        elif awaiting_check is not None:
            result[position] = _nbgrader(f"{awaiting_check}-check", solution=False, locked=True)
            used.add(f"{awaiting_check}-check")
            awaiting_check = None
    return result


def _nbgrader(grade_id: str, *, solution: bool, locked: bool) -> dict:
    return {"grade": False, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}


# ------------------------------------------------------------------ widget outputs
#
# A stored widget view can only show a frozen copy (or, untrusted, one line of repr)
# until the notebook runs. The stored notebook therefore shows a hint instead, and keeps
# the view under a name JupyterLab does not render; the HTML export puts it back, so an
# exported page shows each widget in its last state (the state stays in the metadata).

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_HINT_MIME = "application/vnd.course.widget-view+json"
WIDGET_HINT_TEXT = "This widget comes alive when the notebook runs"
WIDGET_HINT_PLAIN = (
    f"▶ {WIDGET_HINT_TEXT}: choose Run ▸ Run All Cells (or run the cells above this one), "
    "then move its controls."
)
WIDGET_HINT_HTML = (
    '<div style="border-left: 4px solid #1976d2; padding: 0.4em 0.8em; background: #e3f2fd;">'
    f"<b>▶ {WIDGET_HINT_TEXT}</b>: choose <b>Run ▸ Run All Cells</b> (or run the cells "
    "above this one), then move its controls.</div>"
)


def hint_widget_outputs(notebook) -> int:
    """Replace each stored widget view by the hint (the view is kept aside); returns how
    many outputs changed."""
    changed = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else ():
            data = output.get("data", {})
            if WIDGET_VIEW_MIME in data:
                output["data"] = {WIDGET_HINT_MIME: data[WIDGET_VIEW_MIME],
                                  "text/plain": WIDGET_HINT_PLAIN, "text/html": WIDGET_HINT_HTML}
                changed += 1
    return changed


def live_widget_outputs(notebook) -> int:
    """Undo :func:`hint_widget_outputs` (for an export that renders the saved widget
    state); returns how many outputs changed."""
    changed = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else ():
            data = output.get("data", {})
            if WIDGET_HINT_MIME in data:
                output["data"] = {WIDGET_VIEW_MIME: data[WIDGET_HINT_MIME],
                                  "text/plain": "(an interactive widget, shown as last drawn)"}
                changed += 1
    return changed


DERIVED_METADATA = ("slideshow", "nbgrader")


def annotate(notebook, name: str = "") -> None:
    """Derive the slide and nbgrader metadata of every cell, and hint widget outputs.

    ``name`` (the notebook's file stem) is not used by the rules; it is accepted so
    callers can say which notebook they annotate in errors.
    """
    del name
    for cell, kind, grading in zip(notebook.cells, slide_types(notebook.cells),
                                   grading_metadata(notebook.cells), strict=True):
        for key in DERIVED_METADATA:
            cell.metadata.pop(key, None)
        if kind != "-":  # a cell that continues its slide carries no slide type
            cell.metadata["slideshow"] = {"slide_type": kind}
        if grading is not None:
            cell.metadata["nbgrader"] = grading
    hint_widget_outputs(notebook)


def _without_derived_metadata(notebook):
    """A copy of ``notebook`` without the derived metadata (the .py file stays clean)."""
    import copy

    clean = copy.deepcopy(notebook)
    for cell in clean.cells:
        for key in DERIVED_METADATA:
            cell.metadata.pop(key, None)
    return clean


def annotate_stored(target: Path) -> list[Path]:
    """Apply :func:`annotate` to the stored ``.ipynb`` of every pair at ``target``;
    returns the files that changed."""
    import nbformat

    changed = []
    for script in notebook_pairs(target):
        path = script.with_suffix(".ipynb")
        before = path.read_text(encoding="utf-8")
        notebook = nbformat.reads(before, as_version=4)
        annotate(notebook, script.stem)
        after = nbformat.writes(notebook) + "\n"
        if after != before:
            path.write_text(after, encoding="utf-8")
            changed.append(path)
    return changed


def student_version(source_dir: Path, target_dir: Path) -> list[Path]:
    """Write solution-free, output-free copies of every notebook into ``target_dir``."""
    import nbformat

    target_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(source_dir.glob("[0-9][0-9]_*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.source = strip_solutions(cell.source)
                cell.outputs, cell.execution_count = [], None
        notebook.metadata.pop("jupytext", None)  # a handout is not paired
        notebook.metadata.pop("widgets", None)  # nor does it keep the instructor's widgets
        out = target_dir / path.name
        nbformat.write(notebook, out)
        written.append(out)
    return written


IGNORE_MARKERS = ("NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP")
SANITIZE_CONFIG = Path(__file__).resolve().parent.parent / "tests" / "nbval_sanitize.cfg"
_MASK = re.compile(r"<[A-Za-z]+>")


def sanitize_patterns(config: Path = SANITIZE_CONFIG) -> list[tuple[str, str]]:
    """The ``(regex, replacement)`` pairs of an nbval sanitize file, in order."""
    text = config.read_text(encoding="utf-8")
    return re.findall(r"^regex: (.*)$\n^replace: (.*)$", text, flags=re.MULTILINE)


def ignored_by_nbval(source: str) -> bool:
    """True when a cell carries a marker that makes nbval skip it or ignore its output.

    nbval recognises a marker only as a whole comment line (``# NBVAL_IGNORE_OUTPUT``).
    """
    comments = (line.strip() for line in source.splitlines())
    return any(
        line.startswith("#") and line.lstrip("#").strip() in IGNORE_MARKERS for line in comments
    )


def _compared_text(cell) -> str:
    """What nbval compares of a code cell's outputs (text only: images are skipped)."""
    pieces = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            pieces.append(output.get("text", ""))
        elif "data" in output:
            data = output["data"]
            if WIDGET_VIEW_MIME in data or WIDGET_HINT_MIME in data:
                continue  # widget models have random ids; nbval skips them
            pieces.extend(str(value) for key, value in data.items() if key.startswith("text/"))
        elif output.get("output_type") == "error":
            pieces.append(output.get("ename", ""))
    return "".join(pieces)


def output_coverage(path: Path, patterns: list[tuple[str, str]] | None = None) -> dict[str, int]:
    """Count how much of a stored notebook's output nbval really compares.

    Returns counts of code cells: ``code`` (all), ``ignored`` (NBVAL_IGNORE_OUTPUT or
    NBVAL_SKIP), ``silent`` (compared, but print nothing), ``masked`` (every character of
    their text output is replaced by the sanitize config, e.g. a figure's repr or a
    measured value with no claim), ``compared`` (some text survives the masks) and
    ``exact`` (compared cells whose surviving text holds at least one digit, i.e. exact
    numbers compared digit for digit).
    """
    import nbformat

    patterns = sanitize_patterns() if patterns is None else patterns
    notebook = nbformat.read(path, as_version=4)
    counts = dict.fromkeys(("code", "ignored", "silent", "masked", "compared", "exact"), 0)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        counts["code"] += 1
        if ignored_by_nbval(cell.source):
            counts["ignored"] += 1
            continue
        text = _compared_text(cell)
        if not text.strip():
            counts["silent"] += 1
            continue
        for regex, replacement in patterns:
            text = re.sub(regex, replacement, text)
        remaining = _MASK.sub("", text)
        if not remaining.strip(" \t\n.,;:()[]{}'\"="):
            counts["masked"] += 1
            continue
        counts["compared"] += 1
        counts["exact"] += bool(re.search(r"\d", remaining))
    return counts


def compared_share(counts: dict[str, int]) -> float:
    """The share of code cells whose output nbval compares: printed and compared text, or
    nothing printed (nbval then checks that nothing is printed)."""
    return (counts["compared"] + counts["silent"]) / counts["code"] if counts["code"] else 0.0


# Numeric environments that imitate other machines on this one. Each changes the kernels
# that do the arithmetic, and with them the last bits of results:
# - "avx2": a laptop CPU without AVX-512: TensorFlow's oneDNN limited to AVX2, OpenBLAS's
#   Haswell kernels, and NumPy's own SIMD loops (exp, log, arctan...) without AVX-512;
# - "no-onednn": TensorFlow's plain Eigen kernels instead of oneDNN (as on ARM machines and
#   older builds), OpenBLAS's Sandybridge kernels and NumPy without AVX2 or AVX-512 loops.
NUMERIC_ENVIRONMENTS: dict[str, dict[str, str]] = {
    "avx2": {"ONEDNN_MAX_CPU_ISA": "AVX2", "OPENBLAS_CORETYPE": "Haswell"},
    "no-onednn": {"TF_ENABLE_ONEDNN_OPTS": "0", "OPENBLAS_CORETYPE": "Sandybridge"},
}
_NUMPY_FEATURES_OFF = {
    "avx2": ("X86_V4", "AVX512"),
    "no-onednn": ("X86_V3", "X86_V4", "AVX512"),
}


def numeric_environment(name: str) -> dict[str, str]:
    """The environment variables of one imitated machine, for this machine's NumPy.

    NumPy refuses to switch off SIMD features the machine lacks, so only the dispatched
    features it really found here are listed in ``NPY_DISABLE_CPU_FEATURES``.
    """
    if name not in NUMERIC_ENVIRONMENTS:
        raise ValueError(f"name must be one of {tuple(NUMERIC_ENVIRONMENTS)}, got {name!r}")
    try:  # NumPy's own record of the SIMD targets it dispatches to on this machine
        from numpy._core import _multiarray_umath as umath  # type: ignore[attr-defined]

        found = [f for f in umath.__cpu_dispatch__ if umath.__cpu_features__.get(f)]
    except (ImportError, AttributeError):  # pragma: no cover - other NumPy layouts
        found = []
    disabled = [f for f in found if f.startswith(_NUMPY_FEATURES_OFF[name])]
    variables = dict(NUMERIC_ENVIRONMENTS[name])
    if disabled:
        variables["NPY_DISABLE_CPU_FEATURES"] = ",".join(disabled)
    return variables


FINGERPRINT_CODE = """
import hashlib, os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
def digest(array):
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()[:10]
rng = np.random.default_rng(0)
a = rng.standard_normal((256, 256))
print("numpy matmul", digest(a @ a))
print("numpy exp   ", digest(np.exp(a)))
from course_lib import runtime
runtime.import_tensorflow()
import keras
import tensorflow as tf
keras.utils.set_random_seed(0)
images = rng.standard_normal((64, 28, 28, 1)).astype("float32")
print("tf conv     ", digest(keras.layers.Conv2D(8, 5)(images)))
print("tf matmul   ", digest(tf.matmul(a.astype("float32"), a.astype("float32"))))
model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
                          keras.layers.Flatten(), keras.layers.Dense(10)])
model.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(images, np.arange(64) % 10, epochs=3, batch_size=16, verbose=0)
print("trained     ", digest(model.get_weights()[-2]))
"""


def fingerprint(variables: dict[str, str] | None = None) -> dict[str, str]:
    """Hashes of a few NumPy and TensorFlow results computed under ``variables``.

    Two environments whose hashes differ really compute with different kernels.
    """
    import os
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", FINGERPRINT_CODE],
        env={**os.environ, **(variables or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    pairs = (line.rsplit(" ", 1) for line in result.stdout.splitlines() if line.strip())
    return {name.strip(): value for name, value in pairs}


NBVAL_ARGUMENTS = [
    "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
    "--nbval-sanitize-with", str(SANITIZE_CONFIG), "--nbval-cell-timeout", "300",
]


def parallel_arguments(targets: list[str]) -> list[str]:
    """pytest-xdist options for running the notebooks in ``targets`` two at a time.

    ``$COURSE_TEST_WORKERS`` sets the number of processes (``make test``'s
    ``TEST_WORKERS``, 2 by default; 0 or 1: one process). Each notebook's cells stay in
    one process, in order (``--dist loadfile``). Empty without pytest-xdist or when there
    is a single notebook.
    """
    import importlib.util
    import os

    try:
        workers = int(os.environ.get("COURSE_TEST_WORKERS", "2"))
    except ValueError:
        raise ValueError("COURSE_TEST_WORKERS must be a whole number of test processes, "
                         f"got {os.environ['COURSE_TEST_WORKERS']!r}") from None
    count = sum(len(list(Path(t).glob("*.ipynb"))) if Path(t).is_dir() else 1 for t in targets)
    workers = min(workers, count)
    if workers < 2 or importlib.util.find_spec("xdist") is None:
        return []
    return ["-n", str(workers), "--dist", "loadfile"]


def run_portable(targets: list[str], environments: list[str] | None = None) -> int:
    """Run nbval on ``targets`` in each imitated environment; 0 when every run passes.

    Prints, for each environment, which results differ from this machine's own kernels.
    """
    import os
    import subprocess

    names = environments or list(NUMERIC_ENVIRONMENTS)
    native = fingerprint()
    failed = []
    for name in names:
        variables = numeric_environment(name)
        prints = fingerprint(variables)
        changed = [key for key in native if prints.get(key) != native[key]]
        settings = " ".join(f"{key}={value}" for key, value in variables.items())
        print(f"== {name}: {settings}", flush=True)
        print(f"   differs from this machine's defaults in: {', '.join(changed) or 'nothing'}",
              flush=True)
        environment = {**os.environ, **variables}
        environment.pop("MPLBACKEND", None)
        code = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", *NBVAL_ARGUMENTS, *parallel_arguments(targets),
             *targets], env=environment
        ).returncode
        if code:
            failed.append(name)
    if failed:
        print(f"notebook outputs differ under: {', '.join(failed)}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_lib.maintenance")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("execute", help="re-execute notebook pairs")
    run.add_argument("target", type=Path)
    student = commands.add_parser("student", help="write student versions")
    student.add_argument("source", type=Path)
    student.add_argument("target", type=Path)
    cover = commands.add_parser("coverage", help="how much of each notebook nbval compares")
    cover.add_argument("target", type=Path)
    portable = commands.add_parser("portable", help="nbval in environments imitating other CPUs")
    portable.add_argument("targets", nargs="+")
    portable.add_argument("--env", action="append", choices=list(NUMERIC_ENVIRONMENTS))
    notes = commands.add_parser("annotate", help="derive slide and nbgrader metadata, hint widgets")
    notes.add_argument("target", type=Path)
    args = parser.parse_args(argv)
    if args.command == "execute":
        for script in notebook_pairs(args.target):
            print(f"{script.name}: executed in {execute(script):.1f} s", flush=True)
    elif args.command == "portable":
        return run_portable(args.targets, args.env)
    elif args.command == "annotate":
        changed = annotate_stored(args.target)
        print(f"annotated {len(changed)} notebook(s)" + "".join(f"\n  {p}" for p in changed))
    elif args.command == "coverage":
        print(f"{'notebook':<44} {'code':>5} {'ignored':>8} {'masked':>7} {'silent':>7} "
              f"{'compared':>9} {'exact':>6} {'share':>6}")
        for script in notebook_pairs(args.target):
            counts = output_coverage(script.with_suffix(".ipynb"))
            print(f"{script.stem:<44} {counts['code']:>5} {counts['ignored']:>8} "
                  f"{counts['masked']:>7} {counts['silent']:>7} {counts['compared']:>9} "
                  f"{counts['exact']:>6} {compared_share(counts):>6.0%}")
    else:
        for path in student_version(args.source, args.target):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

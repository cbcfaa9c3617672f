"""Maintainer tools: re-execute notebook pairs, make student versions.

    python -m course_lib.maintenance execute notebooks            # every pair
    python -m course_lib.maintenance execute notebooks/00_welcome_and_setup.py
    python -m course_lib.maintenance student notebooks student    # solutions removed
    python -m course_lib.maintenance coverage notebooks           # what nbval compares
    python -m course_lib.maintenance portable notebooks           # nbval as on other CPUs

A notebook's ``.py`` (py:percent) file is the one to edit; ``execute`` rebuilds the
``.ipynb`` from it, runs it top to bottom in the current environment, and writes both
files of the pair back so they stay in sync.
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
    jupytext.write(notebook, stored)
    jupytext.write(notebook, script, fmt="py:percent")
    return seconds


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
            if "application/vnd.jupyter.widget-view+json" in data:
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
            [sys.executable, "-m", "pytest", "-q", *NBVAL_ARGUMENTS, *targets], env=environment
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
    args = parser.parse_args(argv)
    if args.command == "execute":
        for script in notebook_pairs(args.target):
            print(f"{script.name}: executed in {execute(script):.1f} s", flush=True)
    elif args.command == "portable":
        return run_portable(args.targets, args.env)
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

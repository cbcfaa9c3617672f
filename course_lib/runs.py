"""Where training runs write their files, and reading TensorBoard logs back.

Checkpoints, exported models and TensorBoard logs go to ``runs/`` at the top of the
project (git ignores it), never to the home folder. Importing this module does not
import TensorFlow; :func:`read_scalars` does (through TensorBoard's event reader).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from . import validate

RUNS_FOLDER = "runs"
RUNS_ENV_VAR = "COURSE_RUNS_DIR"


def project_root(start: str | Path | None = None) -> Path:
    """The course's top folder: the nearest parent of ``start`` (default: the current
    folder) that holds ``pyproject.toml`` and ``course_lib/``.

    Notebooks run in ``notebooks/`` and scripts at the top, so both find the same
    folder. Outside the project, the folder above this package is used.
    """
    here = _path("start", start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "course_lib").is_dir():
            return folder
    return Path(__file__).resolve().parent.parent


def _path(name: str, value: object) -> Path:
    """A folder given as a string or a path (a ``pathlib.Path``, ``os.PathLike``)."""
    if isinstance(value, str):
        if not value.strip():
            raise ValueError(f"{name} must name a folder, got an empty string")
        return Path(value)
    if isinstance(value, os.PathLike):
        return Path(value)
    raise TypeError(f"{name} must be a folder (a string or a pathlib.Path), got {validate.describe(value)}")


def runs_dir() -> Path:
    """``runs/`` under the project root, or ``$COURSE_RUNS_DIR`` when set."""
    override = os.environ.get(RUNS_ENV_VAR, "").strip()
    return Path(override).resolve() if override else project_root() / RUNS_FOLDER


def run_dir(*parts: str, fresh: bool = True) -> Path:
    """A folder ``runs/<parts...>`` for one experiment, created if needed.

    Args:
        parts: one or more folder names (letters, digits, ``-``, ``_``, ``.``), e.g.
            ``run_dir("16_scaling_up", "checkpoints")``.
        fresh: delete what an earlier run left there first, so that a rerun of the
            notebook starts from the same state (a stale backup would otherwise be
            restored, and old logs would be read back with the new ones).

    Raises:
        ValueError: no part, or a part that is empty, absolute or climbs out (``..``).
    """
    fresh = validate.flag("fresh", fresh)
    if not parts:
        raise ValueError("give at least one folder name, e.g. run_dir('16_scaling_up')")
    for part in parts:
        if not isinstance(part, str):
            raise TypeError(f"folder names must be strings, got {type(part).__name__}")
        if not part or part in (".", "..") or "/" in part or "\\" in part or Path(part).is_absolute():
            raise ValueError(f"folder names must be plain names inside runs/, got {part!r}")
    folder = runs_dir().joinpath(*parts)
    if fresh and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def read_scalars(log_dir: str | Path) -> dict[str, dict[str, list[tuple[int, float]]]]:
    """The scalars a ``keras.callbacks.TensorBoard`` callback wrote under ``log_dir``.

    Returns:
        ``{run: {tag: [(step, value), ...]}}`` where ``run`` is a subfolder holding
        event files (``"train"``, ``"validation"``) and ``tag`` a scalar's name such as
        ``"epoch_loss"``; steps are epochs for the per-epoch tags. Non-scalar summaries
        (the model's configuration, histograms) are left out.

    Raises:
        FileNotFoundError: ``log_dir`` does not exist or holds no event file.
    """
    root = _path("log_dir", log_dir)
    from tensorboard.backend.event_processing import (  # type: ignore[import-untyped]
        event_accumulator,
    )
    from tensorboard.util import tensor_util  # type: ignore[import-untyped]

    if not root.is_dir():
        raise FileNotFoundError(f"no log folder at {root}")
    runs = sorted({path.parent for path in root.rglob("events.out.tfevents.*")})
    if not runs:
        raise FileNotFoundError(f"no TensorBoard event file under {root}")
    scalars: dict[str, dict[str, list[tuple[int, float]]]] = {}
    for run in runs:
        reader = event_accumulator.EventAccumulator(
            str(run), size_guidance={event_accumulator.TENSORS: 0, event_accumulator.SCALARS: 0}
        )
        reader.Reload()
        tags: dict[str, list[tuple[int, float]]] = {}
        for tag in reader.Tags()["tensors"]:
            if reader.SummaryMetadata(tag).plugin_data.plugin_name != "scalars":
                continue
            tags[tag] = [(int(event.step), float(tensor_util.make_ndarray(event.tensor_proto)))
                         for event in reader.Tensors(tag)]
        for tag in reader.Tags()["scalars"]:  # summaries written by the older API
            tags[tag] = [(int(event.step), float(event.value)) for event in reader.Scalars(tag)]
        scalars[run.relative_to(root).as_posix()] = tags
    return scalars


def tensorboard_here() -> bool:
    """True when the notebook runs inside a Jupyter server (JupyterLab, Notebook 7).

    There, ``%tensorboard`` can show the dashboard below the cell. Automated runs
    (``nbval``, ``make notebooks``) have no browser, so starting a server would only
    cost time. Also points ``$TENSORBOARD_BINARY`` at this environment's ``tensorboard``
    program, which ``%tensorboard`` runs and which is not on the PATH unless the
    environment is activated.
    """
    program = Path(sys.executable).with_name("tensorboard")
    if program.is_file():
        os.environ.setdefault("TENSORBOARD_BINARY", str(program))
    return bool(os.environ.get("JPY_SESSION_NAME"))

"""nbgrader's own ``generate_assignment`` makes the same handouts as ``make student-version``.

It runs as an instructor would run it (CONTRIBUTING.md, "nbgrader"), from the project's
folder so that ``nbgrader_config.py`` applies, on every notebook at once; each handout
must then equal the course's own student version cell by cell: no solution left, the
same stubs, so its checks run and say "not attempted" (``test_student_versions.py`` runs the
course's student versions top to bottom).
"""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_lib import maintenance

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    """``{notebook name: (nbgrader's handout, the course's student version)}``."""
    folder = tmp_path_factory.mktemp("nbgrader")
    command = [
        sys.executable, "-m", "nbgrader", "generate_assignment", "notebooks", "--force",
        f"--CourseDirectory.root={folder}", f"--CourseDirectory.source_directory={ROOT}",
        f"--CourseDirectory.db_url=sqlite:///{folder / 'gradebook.db'}",
    ]
    # nbgrader runs its `alembic` command from PATH, as in an activated environment.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "PATH": path})
    assert finished.returncode == 0, finished.stdout + finished.stderr
    course = maintenance.student_version(ROOT / "notebooks", folder / "student")
    return {path.name: (folder / "release" / "notebooks" / path.name, path) for path in course}


def test_only_notebooks_are_released(handouts):
    released = next(iter(handouts.values()))[0].parent
    assert sorted(p.name for p in released.iterdir()) == sorted(handouts), (
        "the release holds files other than the notebooks (a .py pair would hold solutions)")


@pytest.mark.parametrize("name", [path.name for path in NOTEBOOKS],
                         ids=[path.stem for path in NOTEBOOKS])
def test_nbgrader_handout_matches_the_student_version(name, handouts):
    nbgrader_path, course_path = handouts[name]
    handout = nbformat.read(nbgrader_path, as_version=4)
    course = nbformat.read(course_path, as_version=4)
    assert [(c.cell_type, c.source) for c in handout.cells] == [
        (c.cell_type, c.source) for c in course.cells]
    code = [c for c in handout.cells if c.cell_type == "code"]
    assert not any("BEGIN SOLUTION" in c.source or "END SOLUTION" in c.source for c in code)
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert "widgets" not in handout.metadata and "widgets" not in course.metadata
    solutions = [c for c in handout.cells if c.metadata.get("nbgrader", {}).get("solution")]
    stubs = [c for c in code if "# your answer here" in c.source
             or 'NotImplementedError("write your solution here")' in c.source]
    assert len(solutions) >= 3 and len(solutions) == len(stubs)
    locked = [c for c in handout.cells if c.metadata.get("nbgrader", {}).get("locked")]
    assert len(locked) == len(solutions), "each exercise's check cell is read-only"
    assert all("check" in c.source for c in locked), "the read-only cells are the checks"

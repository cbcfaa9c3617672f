"""nbgrader, configured for the course (imported by ``nbgrader_config.py``; needs nbgrader).

nbgrader's own ``ClearSolutions`` replaces every solution block by one stub,
``raise NotImplementedError()``. The course's exercises have two kinds of block: a
function body (where that stub is right) and top-level answer assignments, whose names
the next cell's check reads; there the stub would stop a handout at the first exercise.
It also treats any line that mentions the markers as one, in markdown too. So the
course swaps that one step of ``nbgrader generate_assignment`` for :class:`CourseSolutions`,
which writes exactly the stubs of ``make student-version``; every other step (locking,
checksums, the gradebook, hidden tests) is nbgrader's own. :class:`ClearWidgetState`
also drops the instructor's saved widget state from the handout.

nbgrader finds its solution and read-only cells by their ``nbgrader`` cell metadata.
The course derives it from the cells' content (``course_lib.maintenance.grading_metadata``)
instead of storing it by hand: :class:`CourseCellMetadata`, the first step of
``generate_assignment``, writes it into nbgrader's working copy of each notebook.
"""

from __future__ import annotations

from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import ClearSolutions, NbGraderPreprocessor

from . import maintenance


class CourseCellMetadata(NbGraderPreprocessor):
    """Mark each solution cell and the check cell after it, as
    ``course_lib.maintenance.grading_metadata`` derives them (stored metadata is replaced)."""

    def preprocess(self, nb, resources):
        for cell, grading in zip(nb.cells, maintenance.grading_metadata(nb.cells), strict=True):
            cell.metadata.pop("nbgrader", None)
            if grading is not None:
                cell.metadata["nbgrader"] = grading
        return nb, resources


class CourseSolutions(ClearSolutions):
    """``ClearSolutions`` with the course's stubs (``course_lib.maintenance.strip_solutions``).

    Only code cells with whole-line ``### BEGIN SOLUTION`` markers are changed; nbgrader's
    check that each of them is marked as a solution cell still applies.
    """

    def _replace_solution_region(self, cell, language: str) -> bool:
        if cell.cell_type != "code" or not maintenance.solution_cell(cell.source):
            return False
        cell.source = maintenance.strip_solutions(cell.source)
        return True


class ClearWidgetState(NbGraderPreprocessor):
    """Remove the widget state saved with the instructor's run (it can weigh 300 KB)."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        return nb, resources


def assignment_preprocessors() -> list[type]:
    """nbgrader's ``generate_assignment`` steps, with the course's solution step."""
    steps = [CourseSolutions if step is ClearSolutions else step
             for step in GenerateAssignment.class_traits()["preprocessors"].default()]
    return [CourseCellMetadata, *steps, ClearWidgetState]


def configure(config) -> None:
    """Apply the course's settings to an nbgrader ``config`` (from ``get_config()``)."""
    config.GenerateAssignment.preprocessors = assignment_preprocessors()
    # A handout holds the notebooks alone: each .py pair (with its solutions), the
    # notebooks' settings and caches stay with the instructor.
    config.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
                                     "*.py", "*.toml"]

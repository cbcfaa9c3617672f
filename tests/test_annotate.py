"""The metadata the maintenance tool derives for instructors' tools, and the widget hint.

`execute` (and `python -m course_lib.maintenance annotate`) gives every cell that starts a
slide or sub-slide its slide type (for JupyterLab's slideshow and reveal.js), marks solution and check cells for nbgrader, and replaces each
stored widget view by a hint to run the notebook; the HTML export puts the view back.
"""

import copy
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_lib import maintenance

VIEW = {"model_id": "abc", "version_major": 2, "version_minor": 0}


def lesson():
    return new_notebook(cells=[
        new_markdown_cell("# 01 · Title\n\n**Purpose:** ..."),
        new_code_cell("# NBVAL_IGNORE_OUTPUT\nfrom course_lib import runtime"),
        new_markdown_cell("## First idea"),
        new_code_cell("x = 1"),
        new_code_cell("widgets.explorer(x)", outputs=[new_output(
            "display_data", data={maintenance.WIDGET_VIEW_MIME: VIEW, "text/plain": "VBox()"})]),
        new_code_cell("y = 2"),
        new_markdown_cell("### Exercise 1 · Implement: something"),
        new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION"),
        new_code_cell("exercises.check_f(f)"),
        new_markdown_cell("### A detail"),
        *[new_code_cell(f"z{i} = {i}") for i in range(6)],
    ])


def test_slide_types_follow_the_rules():
    kinds = maintenance.slide_types(lesson().cells)
    assert kinds[0] == "slide" and kinds[2] == "slide"  # title and a ## heading
    assert kinds[4] == "subslide" and kinds[5] == "subslide"  # the widget, the cell after
    assert kinds[6] == "slide"  # an exercise is its own slide
    assert kinds[9] == "subslide"  # another ### heading
    assert kinds[3] == "-" and "subslide" in kinds[10:]  # a long run of cells is split


def test_grading_metadata_marks_solutions_and_their_checks():
    marks = maintenance.grading_metadata(lesson().cells)
    solution, check = marks[7], marks[8]
    assert solution["solution"] and solution["grade_id"] == "exercise-1" and not solution["locked"]
    assert check["locked"] and not check["solution"] and not check["grade"]
    assert sum(mark is not None for mark in marks) == 2


def test_hint_replaces_the_view_and_the_export_puts_it_back():
    notebook = lesson()
    before = copy.deepcopy(notebook)
    assert maintenance.hint_widget_outputs(notebook) == 1
    data = notebook.cells[4].outputs[0]["data"]
    assert maintenance.WIDGET_VIEW_MIME not in data
    assert maintenance.WIDGET_HINT_TEXT in data["text/plain"]
    assert maintenance.WIDGET_HINT_TEXT in data["text/html"]
    assert maintenance.hint_widget_outputs(notebook) == 0  # idempotent
    assert maintenance.live_widget_outputs(notebook) == 1
    assert notebook.cells[4].outputs[0]["data"][maintenance.WIDGET_VIEW_MIME] == VIEW
    assert before.cells[4].outputs[0]["data"][maintenance.WIDGET_VIEW_MIME] == VIEW


def test_annotate_is_idempotent_and_valid():
    notebook = lesson()
    maintenance.annotate(notebook)
    once = nbformat.writes(notebook)
    maintenance.annotate(notebook)
    assert nbformat.writes(notebook) == once
    nbformat.validate(notebook)
    kinds = maintenance.slide_types(notebook.cells)
    # A cell that continues its slide carries no slide type (a slideshow would hide "-").
    assert [cell.metadata.get("slideshow", {}).get("slide_type", "-")
            for cell in notebook.cells] == kinds
    assert all(("slideshow" in cell.metadata) == (kind != "-")
               for cell, kind in zip(notebook.cells, kinds, strict=True))
    clean = maintenance._without_derived_metadata(notebook)
    assert not any("slideshow" in c.metadata or "nbgrader" in c.metadata for c in clean.cells)


NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_stored_notebook_carries_its_derived_metadata(path):
    stored = nbformat.read(path, as_version=4)
    derived = copy.deepcopy(stored)
    maintenance.annotate(derived)
    for number, (mine, right) in enumerate(zip(stored.cells, derived.cells, strict=True)):
        for key in maintenance.DERIVED_METADATA:
            assert mine.metadata.get(key) == right.metadata.get(key), (
                f"{path.name}, cell {number}: {key} metadata is stale; run "
                "`python -m course_lib.maintenance annotate notebooks`")
    assert nbformat.writes(derived) == nbformat.writes(stored), (
        f"{path.name}: a widget view is stored without the hint")

import nbformat
import pytest

from course_lib import maintenance


def test_function_body_becomes_a_stub():
    source = (
        "def f(x):\n    ### BEGIN SOLUTION\n    y = x + 1\n    return y\n    ### END SOLUTION\n"
    )
    assert maintenance.strip_solutions(source) == (
        'def f(x):\n    raise NotImplementedError("write your solution here")\n'
    )


def test_assignments_keep_their_names():
    source = "### BEGIN SOLUTION\n# the gap\nanswer = 1969 - 1958\nother = 2\n### END SOLUTION"
    assert maintenance.strip_solutions(source) == (
        "answer = ...  # your answer here\nother = ...  # your answer here"
    )


def test_comparison_is_not_an_assignment():
    source = "### BEGIN SOLUTION\nx == 3\n### END SOLUTION"
    assert "NotImplementedError" in maintenance.strip_solutions(source)


@pytest.mark.parametrize(
    "source",
    [
        "### BEGIN SOLUTION\nx = 1",
        "x = 1\n### END SOLUTION",
        "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION",
    ],
)
def test_unbalanced_markers_raise(source):
    with pytest.raises(ValueError):
        maintenance.strip_solutions(source)


def test_student_version_of_the_course(tmp_path):
    written = maintenance.student_version(maintenance.Path("notebooks"), tmp_path)
    assert written
    for path in written:
        notebook = nbformat.read(path, as_version=4)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        assert not any("BEGIN SOLUTION" in c.source for c in code)
        assert all(not c.outputs and c.execution_count is None for c in code)


def test_strip_volatile_metadata_removes_timestamps_and_trust_only():
    import nbformat

    from course_lib.maintenance import strip_volatile_metadata

    cell = nbformat.v4.new_code_cell("x = 1")
    cell.metadata.update(execution={"iopub.execute_input": "2026-01-01T00:00:00Z"},
                         trusted=True, tags=["keep"])
    notebook = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_markdown_cell("# t")])
    assert strip_volatile_metadata(notebook) == 2
    assert dict(notebook.cells[0].metadata) == {"tags": ["keep"]}
    assert strip_volatile_metadata(notebook) == 0


def test_parallel_arguments_keep_each_notebook_in_one_process(monkeypatch, tmp_path):
    for name in ("a.ipynb", "b.ipynb", "c.ipynb"):
        (tmp_path / name).write_text("{}")
    monkeypatch.setenv("COURSE_TEST_WORKERS", "2")
    assert maintenance.parallel_arguments([str(tmp_path)]) == ["-n", "2", "--dist", "loadfile"]
    # one notebook, or one process asked for: no worker processes at all
    assert maintenance.parallel_arguments([str(tmp_path / "a.ipynb")]) == []
    monkeypatch.setenv("COURSE_TEST_WORKERS", "0")
    assert maintenance.parallel_arguments([str(tmp_path)]) == []
    monkeypatch.setenv("COURSE_TEST_WORKERS", "two")
    with pytest.raises(ValueError, match="COURSE_TEST_WORKERS"):
        maintenance.parallel_arguments([str(tmp_path)])

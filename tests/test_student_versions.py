"""Each notebook's student version (every solution removed) runs top to bottom, and its
checks say "not attempted".

One test class per notebook: with pytest-xdist's ``--dist loadscope`` (``make test``) a
class is one unit of work, so the handouts spread over both test processes.
"""

from pathlib import Path

import nbformat

from course_lib import maintenance

NOTEBOOKS = sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb"))


def run_student_version(notebook: Path, folder: Path, monkeypatch) -> None:
    from nbclient import NotebookClient

    # What the notebook saves goes to this test's folder, not to the project's runs/
    # (where the same notebook may be running under nbval in the other test process).
    monkeypatch.setenv("COURSE_RUNS_DIR", str(folder / "runs"))
    maintenance.student_version(notebook.parent, folder)
    handout = nbformat.read(folder / notebook.name, as_version=4)
    NotebookClient(handout, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(notebook.parent)}}).execute()
    printed = "".join(
        output.get("text", "") for cell in handout.cells for output in cell.get("outputs", [])
    )
    assert "⏳ not attempted" in printed


def _student_test_class(notebook: Path) -> type:
    def test_runs_top_to_bottom(self, tmp_path, monkeypatch):
        run_student_version(notebook, tmp_path, monkeypatch)

    test_runs_top_to_bottom.__doc__ = f"The student version of {notebook.name} runs."
    return type(f"TestStudentVersion_{notebook.stem}", (), {
        "test_runs_top_to_bottom": test_runs_top_to_bottom})


for _notebook in NOTEBOOKS:
    _class = _student_test_class(_notebook)
    globals()[_class.__name__] = _class


def test_every_notebook_has_a_student_version_test():
    assert len(NOTEBOOKS) >= 16
    assert all(f"TestStudentVersion_{path.stem}" in globals() for path in NOTEBOOKS)

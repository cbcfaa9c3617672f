"""Shared pytest configuration for the course's unit tests."""

import os

import matplotlib
import pytest

# Fixture notebooks are run on purpose by test_harness.py, never collected directly.
collect_ignore = ["fixtures"]

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
matplotlib.use("Agg")


@pytest.fixture
def drawings(monkeypatch):
    """The figures the widgets draw from now on, each rendered to PNG as it is shown."""
    from course_lib.widgets import redraw

    shown = []
    real = redraw.figure_png

    def figure_png(figure) -> bytes:
        shown.append(figure)
        return real(figure)

    monkeypatch.setattr(redraw, "figure_png", figure_png)
    return shown


@pytest.fixture
def set_value(capsys):
    """Move a widget control and return what the widget printed in response.

    Outside a notebook an ipywidgets Output area prints what it is given, so a widget's
    text reaches stdout (its figures go to an Image widget; see ``drawings``).
    """
    capsys.readouterr()  # forget what was printed while the widget was built

    def move(control, value) -> str:
        control.value = value
        return capsys.readouterr().out

    return move


@pytest.fixture(scope="session")
def source_model_and_test_digits():
    """The pretrained digits-0-4 CNN shipped in data/ and its test split."""
    from course_lib import runtime, transfer

    runtime.import_tensorflow()
    model = transfer.load_source_model()
    _, (x_test, y_test) = transfer.source_task()
    return model, x_test, y_test


def notebook_definitions(stem: str, *names: str) -> dict:
    """Execute the cells of ``notebooks/<stem>.py`` that define ``names``; return them.

    Lets a test compare the code a notebook shows with the library's copy of it. The
    cells run with the notebook's usual imports available.
    """
    from pathlib import Path

    import jupytext

    path = Path(__file__).resolve().parent.parent / "notebooks" / f"{stem}.py"
    notebook = jupytext.read(path)
    namespace: dict = {}
    exec(  # noqa: S102 - the project's own notebook code
        "import keras\nimport numpy as np\nfrom course_lib import data, models, training",
        namespace,
    )
    for name in names:
        cells = [c.source for c in notebook.cells
                 if c.cell_type == "code" and f"def {name}(" in c.source]
        if not cells:
            raise LookupError(f"{path.name} defines no function {name!r}")
        exec(cells[0], namespace)  # noqa: S102
    return {name: namespace[name] for name in names}


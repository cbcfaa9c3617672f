"""Shared pytest configuration for the course's unit tests."""

import os

import matplotlib
import pytest

# Fixture notebooks are run on purpose by test_harness.py, never collected directly.
collect_ignore = ["fixtures"]

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
matplotlib.use("Agg")


@pytest.fixture
def set_value(capsys):
    """Move a widget control and return what the widget printed in response.

    Outside a notebook an ipywidgets Output area prints what it is given, so a widget's
    text (and ``Figure(...)`` for each redrawn figure) reaches stdout.
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

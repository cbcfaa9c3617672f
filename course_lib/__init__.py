"""Shared helpers for the deep-learning course workbook.

Importing this package is cheap and changes no global state: it does not import
TensorFlow, matplotlib or ipywidgets. Import the submodule you need::

    from course_lib import runtime, data, plots, checks

and call :func:`course_lib.runtime.setup` once at the top of a notebook.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]

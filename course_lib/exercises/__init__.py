"""Checks for the exercises, one module per notebook.

Each check takes the student's function or value, compares it with a reference on
several cases through :mod:`course_lib.checks`, prints its feedback and returns a
:class:`course_lib.checks.CheckResult`. A check never raises.
"""

"""Shared pytest configuration for the course's unit tests."""

import os

import matplotlib

# Fixture notebooks are run on purpose by test_harness.py, never collected directly.
collect_ignore = ["fixtures"]

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
matplotlib.use("Agg")

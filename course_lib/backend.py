"""Keras and TensorFlow, loaded quietly, for the course_lib modules built on them.

``from .backend import keras, tf`` instead of ``import keras`` means the first module to
need TensorFlow loads it through :func:`course_lib.runtime.import_tensorflow`, so no
start-up log lines appear whatever the import order.
"""

from .runtime import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402 - after the quiet load, so importing it prints nothing

__all__ = ["keras", "tf"]

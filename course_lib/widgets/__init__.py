"""Live-exploration widgets.

Each builder returns an ipywidgets container ready to display; the work it does on a
change is a plain function in the same module (or in the module the lesson is about), so
it can be tested without a browser. Callbacks only redraw: they never train a model.
"""

from .timeline import timeline_explorer

__all__ = ["timeline_explorer"]

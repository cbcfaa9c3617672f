"""Started through the Makefile, the course writes nothing into the user's home folder
except the documented data cache.

The Makefile exports where Keras, IPython, matplotlib, Jupyter and npm keep their files
(under ``.venv``). This test runs a Jupyter kernel, as ``make test`` and ``make lab`` do,
with a fresh, empty home folder and those variables pointed at a scratch folder, and
checks that the home folder is still empty afterwards.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPORT = re.compile(r"^export\s+(\w+)\s*:=\s*\$\(CURDIR\)/\$\(VENV\)/(\S+)\s*$")


def makefile_locations() -> dict[str, str]:
    """``{variable: folder under .venv}`` for each location the Makefile exports."""
    found = {}
    for line in (ROOT / "Makefile").read_text().splitlines():
        match = EXPORT.match(line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def test_the_makefile_keeps_the_tools_files_in_the_project():
    wanted = {"KERAS_HOME", "IPYTHONDIR", "MPLCONFIGDIR", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR",
              "JUPYTER_RUNTIME_DIR", "npm_config_cache"}
    assert wanted <= set(makefile_locations())


KERNEL_SESSION = textwrap.dedent(
    """
    import nbformat
    from nbclient import NotebookClient

    cells = [
        "import matplotlib.pyplot as plt\\nplt.plot([1, 2, 3])\\nplt.gcf().canvas.draw()",
        "from course_lib import data, runtime\\nreport = runtime.setup(seed=0, verbose=False)",
        "import keras\\nkeras.config.floatx()",
        "data.sine_wave(10).shape",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    print("ran", len(notebook.cells), "cells")
    """
)


def test_a_kernel_session_leaves_the_home_folder_empty(tmp_path):
    home, project = tmp_path / "home", tmp_path / "venv"
    home.mkdir()
    project.mkdir()  # .venv exists when the Makefile runs anything
    env = {key: value for key, value in os.environ.items() if not key.startswith(("XDG_", "JUPYTER", "IPYTHON", "MPL", "KERAS"))}
    env.update({name: str(project / folder) for name, folder in makefile_locations().items()})
    env.update(HOME=str(home), PYTHONDONTWRITEBYTECODE="1")
    env.pop("MPLBACKEND", None)
    result = subprocess.run(
        [sys.executable, "-c", KERNEL_SESSION],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ran 4 cells" in result.stdout
    left = sorted(str(path.relative_to(home)) for path in home.rglob("*"))
    allowed = (".cache", os.path.join(".cache", "deep-learning-course"))
    unexpected = [path for path in left if not path.startswith(allowed)]
    assert not unexpected, f"files written into the home folder: {unexpected}"
    assert (project / "ipython").exists() and (project / "keras").exists()

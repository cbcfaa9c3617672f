"""The install files agree with each other."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def names(requirements):
    return {re.split(r"[<>=\[ ;]", req.strip(), maxsplit=1)[0].lower() for req in requirements}


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = names(project["dependencies"]) | names(project["optional-dependencies"]["dev"])
    pip_lines = [
        line.strip()[2:] for line in (ROOT / "environment.yml").read_text().splitlines()
        if line.strip().startswith("- ") and not line.strip().startswith(("- -", "- python", "- pip", "- make", "- conda"))
    ]
    assert names(pip_lines) == wanted


def test_every_dependency_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = names(
        line for line in (ROOT / "constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    wanted = names(project["dependencies"]) | names(project["optional-dependencies"]["dev"])
    assert wanted <= pinned, f"missing from constraints.txt: {sorted(wanted - pinned)}"

"""The offline editions (course_lib.export): no remote address, widgets as snapshots.

A small notebook made here (maths, a figure, a widget with a picture and two controls,
a widget whose state was not saved) is exported as a page and as a deck; notebook 02 is
exported as it is committed. The browser test (tests/browser/test_offline_export.py)
opens the results with the network off.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import nbformat
import pytest
from PIL import Image

from course_lib import export, maintenance

ROOT = Path(__file__).resolve().parents[1]

# An attribute or CSS reference that a browser would fetch: src=, href= (not an anchor),
# url(...) and @import, with their addresses.
_FETCHED = re.compile(
    r"""(?:\bsrc|\bhref)\s*=\s*["']([^"'#][^"']*)["']|url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""",
    re.IGNORECASE,
)


def _fetched(page: str) -> list[str]:
    """Addresses the page loads by itself (a link the reader clicks, <a href>, is not one)."""
    page = re.sub(r"<a\s[^>]*>", "<a>", page, flags=re.IGNORECASE)
    return [next(g for g in match.groups() if g) for match in _FETCHED.finditer(page)]


def _remote(page: str) -> list[str]:
    return [url for url in _fetched(page)
            if re.match(r"(?:https?:)?//", url.strip(), re.IGNORECASE)]


def _png(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(buffer, format="PNG")
    return buffer.getvalue()


PICTURE = _png("red")


def _model(name: str, state: dict, buffers: list | None = None) -> dict:
    model = {"model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
             "model_name": name, "state": {"_model_name": name, **state}}
    if buffers:
        model["buffers"] = buffers
    return model


def _notebook() -> nbformat.NotebookNode:
    state = {
        "box": _model("VBoxModel", {"children": ["IPY_MODEL_row", "IPY_MODEL_picture"]}),
        "row": _model("HBoxModel", {"children": ["IPY_MODEL_rate", "IPY_MODEL_kind"]}),
        "rate": _model("FloatSliderModel", {"description": "learning rate", "value": 0.25}),
        "kind": _model("DropdownModel", {"description": "activation",
                                         "_options_labels": ["relu", "tanh"], "index": 1}),
        "picture": _model("ImageModel", {"format": "png"}, [
            {"path": ["value"], "encoding": "base64",
             "data": base64.b64encode(PICTURE).decode()}]),
    }
    figure = base64.b64encode(_png("blue")).decode()
    cells = [
        nbformat.v4.new_markdown_cell("# 99 · A tiny lesson\n\nThe loss $L(w) = (w - 1)^2$."),
        nbformat.v4.new_code_cell("plot()", outputs=[nbformat.v4.new_output(
            "display_data", data={"image/png": figure, "text/plain": "<Figure>"})]),
        nbformat.v4.new_markdown_cell("## Explore"),
        nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT\nwidgets.explorer()", outputs=[nbformat.v4.new_output(
            "execute_result", execution_count=2, data={
                maintenance.WIDGET_VIEW_MIME: {"model_id": "box", "version_major": 2,
                                               "version_minor": 0},
                "text/plain": "VBox(...)"})]),
        nbformat.v4.new_code_cell("widgets.lost()", outputs=[nbformat.v4.new_output(
            "execute_result", execution_count=3, data={
                maintenance.WIDGET_VIEW_MIME: {"model_id": "gone", "version_major": 2,
                                               "version_minor": 0},
                "text/plain": "VBox(...)"})]),
        nbformat.v4.new_markdown_cell("## Summary\n\nDone. [More](https://example.org/more)"),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["widgets"] = {export.WIDGET_STATE_MIME: {"state": state,
                                                               "version_major": 2,
                                                               "version_minor": 0}}
    return notebook


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks")
    nbformat.write(_notebook(), folder / "99_tiny.ipynb")
    return folder


@pytest.fixture(scope="module")
def page(tiny, tmp_path_factory) -> tuple[Path, dict]:
    target = tmp_path_factory.mktemp("html")
    return target, export.build("html", tiny, target)


def test_the_page_fetches_nothing_remote_and_everything_it_fetches_is_there(page):
    target, summary = page
    assert summary["pages"] == ["99_tiny.html"]
    text = (target / "99_tiny.html").read_text()
    assert _remote(text) == []
    assert "unpkg.com" not in text and "cdnjs" not in text and "cdn.jsdelivr" not in text
    assert "require.js" not in text and "jquery" not in text.lower()
    local = [url.split("?")[0] for url in _fetched(text) if not url.startswith("data:")]
    assert "mathjax/MathJax.js" in local
    for url in local:
        assert (target / url).is_file(), url
    # MathJax's own files name no remote address a page would load either.
    config = (target / "mathjax" / "config" / "TeX-AMS-MML_HTMLorMML-full.js").read_text()
    assert "cdn.mathjax.org" not in config


def test_the_widget_shows_as_a_static_snapshot_of_its_last_state(page):
    target, summary = page
    text = (target / "99_tiny.html").read_text()
    assert summary["snapshots"] == 1 and summary["placeholders"] == 1
    assert base64.b64encode(PICTURE).decode() in text  # the Image widget's last picture
    assert "learning rate: <b>0.25</b>" in text
    assert "activation: <b>tanh</b>" in text
    assert "live in JupyterLab" in text
    assert "its last state was not saved" in text  # the widget without state
    assert export.WIDGET_STATE_MIME not in text  # no widget JavaScript, no state blob
    assert "@jupyter-widgets/html-manager" not in text
    assert base64.b64encode(_png("blue")).decode() in text  # figures inline
    assert "NBVAL" not in text and "explorer" in text  # test markers are not shown


def test_the_index_lists_titles_from_the_first_heading(page):
    target, _ = page
    index = (target / "index.html").read_text()
    assert '<a href="99_tiny.html">99 · A tiny lesson</a>' in index
    assert _remote(index) == []


def test_the_notebook_file_is_not_written(tiny, tmp_path):
    before = (tiny / "99_tiny.ipynb").read_bytes()
    export.build("slides", tiny, tmp_path)
    assert (tiny / "99_tiny.ipynb").read_bytes() == before


def test_slides_use_local_revealjs_and_the_derived_slide_metadata(tiny, tmp_path):
    summary = export.build("slides", tiny, tmp_path)
    text = (tmp_path / "99_tiny.slides.html").read_text()
    assert summary["pages"] == ["99_tiny.slides.html"]
    assert _remote(text) == []
    local = [url.split("?")[0] for url in _fetched(text) if not url.startswith("data:")]
    assert {"reveal.js/dist/reveal.js", "reveal.js/dist/reveal.css",
            "reveal.js/dist/theme/white.css", "reveal.js/plugin/notes/notes.js"} <= set(local)
    for url in local:
        assert (tmp_path / url).is_file(), url
    theme = (tmp_path / "reveal.js" / "dist" / "theme" / "white.css").read_text()
    assert _remote(theme) == []
    # annotate() made a slide of each ## heading: title, Explore and Summary at least.
    assert text.count('<section') >= 3
    assert base64.b64encode(PICTURE).decode() in text


def test_bad_arguments_are_refused(tiny, tmp_path):
    with pytest.raises(ValueError, match="kind"):
        export.build("pdf", tiny, tmp_path)
    with pytest.raises(ValueError, match="source"):
        export.build("html", tmp_path, tmp_path / "out")
    with pytest.raises(ValueError, match="only"):
        export.build("html", tiny, tmp_path / "out", only=["42"])
    with pytest.raises(TypeError, match="only"):
        export.build("html", tiny, tmp_path / "out", only="99")


def test_only_takes_prefixes_or_paths(tiny, tmp_path):
    for only in (["99"], ["99_tiny"], ["notebooks/99_tiny.py"], [str(tiny / "99_tiny.ipynb")]):
        assert export.build("html", tiny, tmp_path, only=only)["pages"] == ["99_tiny.html"]
    (tmp_path / "98_removed.html").write_text("an earlier export")
    export.build("html", tiny, tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.html")) == ["99_tiny.html", "index.html"]


def test_a_committed_notebook_exports_with_its_widgets_as_snapshots(tmp_path):
    summary = export.build("html", ROOT / "notebooks", tmp_path, only=["02"])
    text = (tmp_path / "02_perceptron.html").read_text()
    assert summary["snapshots"] >= 1 and summary["placeholders"] == 0
    assert maintenance.WIDGET_HINT_TEXT not in text  # the hint became the snapshot
    assert text.count('class="course-widget-snapshot"') == summary["snapshots"]
    assert _remote(text) == []

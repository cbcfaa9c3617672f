"""Offline editions of the course for instructors: static HTML pages and reveal.js decks.

::

    python -m course_lib.export html notebooks build/html      # make html
    python -m course_lib.export slides notebooks build/slides  # make slides

Each edition is one folder that opens without network access: every script, style sheet
and font a page loads is copied into it (MathJax 2.7 from ``jupyter-server-mathjax``,
reveal.js from ``sphinx-revealjs``), figures are inlined, and the folder can be zipped and
opened anywhere. ``index.html`` lists the notebooks by the title in their first heading.

Widgets need a kernel, so a page shows each one as a *static snapshot* of its last state,
built from the widget state stored in the notebook (``metadata.widgets``): its pictures
(``Image`` values, an ``Output``'s images and text) and its controls' labels and values,
marked "live in JupyterLab". No widget JavaScript is loaded. A widget whose state was not
saved shows a placeholder that says so.

The stored notebooks are read, never written: slide metadata missing from a notebook is
derived in memory with :func:`course_lib.maintenance.annotate`.
"""

from __future__ import annotations

import argparse
import base64
import copy
import html
import importlib.util
import re
import shutil
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import maintenance, validate

MATHJAX_DIR = "mathjax"
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
REVEAL_DIR = "reveal.js"
REVEAL_THEME = "white"
SNAPSHOT_NOTE = "Static snapshot of an interactive widget, as last drawn: live in JupyterLab"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
_VIEW_MIMES = (maintenance.WIDGET_VIEW_MIME, maintenance.WIDGET_HINT_MIME)

# ------------------------------------------------------------------ local assets


def _package_folder(package: str, what: str) -> Path:
    """The folder of an installed package that ships ``what`` (found without importing
    it), or a clear exit when it is missing."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            f"The offline export needs {what} from the package {package.replace('_', '-')}: "
            "run `make env` (or `pip install -e .[dev]`)."
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _mathjax_source() -> Path:
    return _package_folder("jupyter_server_mathjax", "MathJax 2.7") / "static"


def _reveal_source() -> Path:
    return _package_folder("sphinx_revealjs", "reveal.js") / "_static" / "revealjs"


def _copy_tree(source: Path, target: Path, ignore=None) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=ignore)


def _copy_mathjax(target: Path) -> None:
    """MathJax 2.7 as the package ships it (HTML-CSS and SVG output with the STIX-Web
    fonts), less its translations: the pages are in English."""
    _copy_tree(_mathjax_source(), target / MATHJAX_DIR,
               ignore=shutil.ignore_patterns("localization"))


def _copy_reveal(target: Path) -> None:
    """reveal.js's script, styles, notes plugin and the white theme with its local fonts
    (the other themes import web fonts from the internet)."""
    source = _reveal_source()
    destination = target / REVEAL_DIR
    if destination.exists():
        shutil.rmtree(destination)
    (destination / "dist" / "theme").mkdir(parents=True)
    for name in ("reveal.js", "reveal.css", "reset.css"):
        shutil.copy2(source / "dist" / name, destination / "dist" / name)
    shutil.copy2(source / "dist" / "theme" / f"{REVEAL_THEME}.css",
                 destination / "dist" / "theme" / f"{REVEAL_THEME}.css")
    shutil.copytree(source / "dist" / "theme" / "fonts" / "source-sans-pro",
                    destination / "dist" / "theme" / "fonts" / "source-sans-pro")
    (destination / "plugin" / "notes").mkdir(parents=True)
    shutil.copy2(source / "plugin" / "notes" / "notes.js",
                 destination / "plugin" / "notes" / "notes.js")


# ------------------------------------------------------------------ widget snapshots


def _widget_state(notebook) -> dict[str, dict]:
    widgets = notebook.metadata.get("widgets", {})
    return dict(widgets.get(WIDGET_STATE_MIME, {}).get("state", {}))


def _model_id(reference: Any) -> str:
    return str(reference).removeprefix("IPY_MODEL_")


def _buffer(model: dict, field: str) -> bytes | None:
    for item in model.get("buffers", []):
        if item.get("path") == [field] and item.get("encoding") == "base64":
            return base64.b64decode(item.get("data", ""))
    value = model.get("state", {}).get(field)
    if isinstance(value, str) and value:
        return value.encode("latin-1", "replace")
    return None


def _img(data: str, mime: str, alt: str) -> str:
    return (f'<img src="data:{mime};base64,{data}" alt="{html.escape(alt)}" '
            'style="max-width: 100%; height: auto;">')


def _output_html(output: dict) -> str:
    data = output.get("data", {})
    if output.get("output_type") == "stream":
        return f"<pre>{html.escape(''.join(output.get('text', '')))}</pre>"
    if output.get("output_type") == "error":
        return f"<pre>{html.escape(str(output.get('ename', 'error')))}</pre>"
    for mime in ("image/png", "image/jpeg"):
        if mime in data:
            payload = data[mime]
            return _img("".join(payload) if isinstance(payload, list) else str(payload).strip(),
                        mime, "figure")
    if "image/svg+xml" in data:
        return "".join(data["image/svg+xml"])
    if "text/html" in data:
        return "".join(data["text/html"])
    if "text/plain" in data:
        return f"<pre>{html.escape(''.join(data['text/plain']))}</pre>"
    return ""


def _control_value(state: dict) -> str | None:
    """The value a control shows, as text, or None for a model that is not a control."""
    if "_options_labels" in state:
        labels = state["_options_labels"]
        chosen = state.get("index")
        if isinstance(chosen, list):
            return ", ".join(str(labels[i]) for i in chosen if 0 <= i < len(labels))
        if isinstance(chosen, int) and 0 <= chosen < len(labels):
            return str(labels[chosen])
        return "—"
    if "value" in state:
        value = state["value"]
        if isinstance(value, bool):
            return "on" if value else "off"
        if isinstance(value, list):
            return " – ".join(str(v) for v in value)
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)
    return None


def _render(model_id: str, models: dict[str, dict], depth: int = 0) -> str:
    model = models.get(model_id)
    if model is None or depth > 20:
        return ""
    name = str(model.get("model_name", ""))
    state = model.get("state", {})
    if name == "ImageModel":
        data = _buffer(model, "value")
        if not data:
            return ""
        fmt = str(state.get("format", "png"))
        mime = "image/svg+xml" if fmt == "svg" else f"image/{fmt}"
        return _img(base64.b64encode(data).decode("ascii"), mime, "widget picture")
    if name == "OutputModel":
        return "".join(_output_html(o) for o in state.get("outputs", []))
    if "children" in state:
        direction = "row" if name in {"HBoxModel", "GridBoxModel"} else "column"
        parts = [_render(_model_id(c), models, depth + 1) for c in state.get("children", [])]
        inner = "".join(f"<div>{p}</div>" for p in parts if p)
        return (f'<div style="display: flex; flex-direction: {direction}; flex-wrap: wrap; '
                f'gap: 0.3em 1.2em; align-items: flex-start;">{inner}</div>')
    if name in {"HTMLModel", "HTMLMathModel"}:
        return str(state.get("value", ""))
    if name == "LabelModel":
        return f"<span>{html.escape(str(state.get('value', '')))}</span>"
    if name == "ButtonModel":
        label = html.escape(str(state.get("description", "")))
        return f'<span class="course-snapshot-button">{label}</span>'
    if name.endswith("Model") and not name.endswith(("LayoutModel", "StyleModel")):
        value = _control_value(state)
        if value is None:
            return ""
        label = html.escape(str(state.get("description", "")))
        shown = html.escape(value)
        return (f'<span class="course-snapshot-control">{label + ": " if label else ""}'
                f"<b>{shown}</b></span>")
    return ""


def _placeholder() -> str:
    return ('<div class="course-widget-snapshot"><p class="course-snapshot-note">'
            "An interactive widget: its last state was not saved with the notebook. "
            "Run the notebook in JupyterLab to use it.</p></div>")


def widget_snapshot_html(model_id: str, models: dict[str, dict]) -> str:
    """Static HTML for the widget view ``model_id`` built from the stored state ``models``
    (model id -> ``{"model_name", "state", "buffers"}``, as in ``metadata.widgets``).

    The pictures are inlined as data URLs; controls show their label and value. Returns a
    placeholder when the state of ``model_id`` is missing or shows nothing.
    """
    body = _render(_model_id(model_id), models)
    if not body:
        return _placeholder()
    return (f'<div class="course-widget-snapshot">{body}'
            f'<p class="course-snapshot-note">{html.escape(SNAPSHOT_NOTE)}</p></div>')


def snapshot_widgets(notebook) -> tuple[int, int]:
    """Replace every widget-view output of ``notebook`` (in place) by its static snapshot
    and drop the widget state, so the exported page loads no widget JavaScript.

    Returns ``(snapshots, placeholders)``.
    """
    models = _widget_state(notebook)
    shown = missing = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            view = next((data[m] for m in _VIEW_MIMES if m in data), None)
            if view is None:
                continue
            model_id = _model_id(view.get("model_id", "")) if isinstance(view, dict) else ""
            snippet = widget_snapshot_html(model_id, models)
            if "course-snapshot-note\">An interactive widget" in snippet:
                missing += 1
            else:
                shown += 1
            output["data"] = {"text/html": snippet, "text/plain": SNAPSHOT_NOTE}
            output.setdefault("metadata", {})
    notebook.metadata.pop("widgets", None)
    return shown, missing


# ------------------------------------------------------------------ templates

_SNAPSHOT_CSS = """
<style type="text/css">
.course-widget-snapshot { border-left: 4px solid #1976d2; padding: 0.4em 0.8em;
  background: #f5f9fd; margin: 0.3em 0; }
.course-snapshot-note { font-size: 85%; color: #44546a; margin: 0.3em 0 0 0; }
.course-snapshot-control, .course-snapshot-button { display: inline-block; padding: 0.1em 0.5em;
  border: 1px solid #c5d3e3; border-radius: 3px; background: #fff; font-size: 90%; }
</style>
"""

# The package ships the STIX-Web fonts only (no TeX fonts, which the native MathML output
# would ask for): MathJax is told so before it starts.
_MATHJAX_FONTS = """
<script type="text/x-mathjax-config">
MathJax.Hub.Config({
  MMLorHTML: {prefer: "HTML"},
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null},
  SVG: {font: "STIX-Web"}
});
</script>
<style type="text/css">
/* The hidden MathML read by screen readers keeps the page's fonts: MathJax's MathML styles
   name TeX fonts that are not shipped. */
.MJX_Assistive_MathML, .MJX_Assistive_MathML * { font-family: inherit !important; }
</style>
"""
_MATHJAX_BLOCK = ("{%- block html_head_js_mathjax -%}" + _MATHJAX_FONTS
                  + "{{ mathjax(resources.mathjax_url) }}{%- endblock html_head_js_mathjax -%}\n")

_PAGE_TEMPLATE = (
    "{%- extends 'index.html.j2' -%}\n"
    "{% from 'mathjax.html.j2' import mathjax %}\n" + _MATHJAX_BLOCK +
    "{%- block html_head_js -%}{%- endblock html_head_js -%}\n"
    "{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}\n"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    "{%- block html_head_css -%}" + _SNAPSHOT_CSS + "{%- endblock html_head_css -%}\n"
    "{%- block body_header -%}{{ super() }}"
    '<nav style="padding: 0.5em 1em;"><a href="index.html">&larr; All notebooks</a></nav>'
    "{%- endblock body_header -%}\n"
)

_SLIDES_TEMPLATE = (
    "{%- extends 'index.html.j2' -%}\n"
    "{% from 'mathjax.html.j2' import mathjax %}\n" + _MATHJAX_BLOCK +
    "{%- block html_head_js -%}{%- endblock html_head_js -%}\n"
    "{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}\n"
    "{%- block html_head_css -%}" + _SNAPSHOT_CSS + """
<style type="text/css">
.reveal .slides > section, .reveal .slides > section > section {
  max-height: 100%; overflow-y: auto; }
</style>
{%- endblock html_head_css -%}
{% block footer_js %}
<script src="{{ resources.reveal.url_prefix }}/dist/reveal.js"></script>
<script src="{{ resources.reveal.url_prefix }}/plugin/notes/notes.js"></script>
<script>
Reveal.initialize({
  controls: true, progress: true, history: true, slideNumber: "c/t",
  transition: "{{ resources.reveal.transition | default('slide', true) }}",
  width: 1100, height: 750, plugins: [RevealNotes]
});
Reveal.on("slidechanged", function (event) {
  if (window.MathJax && MathJax.Hub) { MathJax.Hub.Rerender(event.currentSlide); }
});
</script>
{% endblock footer_js %}
"""
)


def _exporter(kind: str):
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter, SlidesExporter

    mathjax_url = f"{MATHJAX_DIR}/MathJax.js?config={MATHJAX_CONFIG}"
    if kind == "html":
        exporter = HTMLExporter(template_name="lab", extra_loaders=[
            DictLoader({"course_page.html.j2": _PAGE_TEMPLATE})])
        exporter.template_file = "course_page.html.j2"
    else:
        exporter = SlidesExporter(template_name="reveal", extra_loaders=[
            DictLoader({"course_slides.html.j2": _SLIDES_TEMPLATE})])
        exporter.template_file = "course_slides.html.j2"
        exporter.reveal_url_prefix = REVEAL_DIR
        exporter.reveal_theme = REVEAL_THEME
    exporter.mathjax_url = mathjax_url
    exporter.embed_images = True
    exporter.exclude_input_prompt = kind == "slides"
    exporter.exclude_output_prompt = True
    return exporter


# ------------------------------------------------------------------ pages


_MARKER = re.compile(r"^[ \t]*# NBVAL_[A-Z_]+[ \t]*\n?", re.MULTILINE)


def _drop_test_markers(notebook) -> None:
    """Remove the regression tests' cell markers (``# NBVAL_IGNORE_OUTPUT``): a reader of
    the page or the deck has no use for them."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.source = _MARKER.sub("", cell.source)


def _title(notebook, fallback: str) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                match = re.match(r"#\s+(.+)", line.strip())
                if match:
                    return match.group(1).strip()
    return fallback


def _index_page(title: str, entries: list[tuple[str, str]], note: str) -> str:
    items = "\n".join(f'    <li><a href="{html.escape(href)}">{html.escape(text)}</a></li>'
                      for href, text in entries)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
  line-height: 1.5; color: #1b1f24; }}
li {{ margin: 0.3em 0; }}
.note {{ color: #44546a; font-size: 90%; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p class="note">{html.escape(note)}</p>
<ol class="toc">
{items}
</ol>
</body>
</html>
"""


COURSE_TITLE = "Deep learning, from the perceptron to diffusion models"


def _notebooks(source: Path, only: list[str] | None) -> list[Path]:
    if source.is_file():
        return [source]
    paths = sorted(source.glob("[0-9][0-9]_*.ipynb"))
    if only:
        # "06", "06_convolution" or a path such as notebooks/06_convolution.py all work.
        prefixes = tuple(Path(p).name.removesuffix(".py").removesuffix(".ipynb") for p in only)
        paths = [p for p in paths if p.name.startswith(prefixes)]
    if not paths:
        raise ValueError(f"source: no notebooks NN_*.ipynb found in {source}"
                         + (f" matching only={only}" if only else ""))
    return paths


def build(kind: str, source: Path | str, target: Path | str,
          only: Iterable[str] | None = None) -> dict[str, Any]:
    """Write the ``kind`` edition ("html" or "slides") of the notebooks in ``source`` (a
    folder of ``NN_topic.ipynb`` files, or one notebook) into ``target``.

    ``only`` limits it to notebooks whose names start with one of these prefixes ("00",
    "06_convolution", or a notebook's path). Returns a summary: ``pages`` (file names),
    ``snapshots`` and ``placeholders`` (widget counts) and ``seconds``.
    """
    import nbformat

    validate.choice("kind", kind, ("html", "slides"))
    if not isinstance(source, str | Path) or not isinstance(target, str | Path):
        raise TypeError("source and target must be paths (str or pathlib.Path)")
    wanted = [validate.text("only", p) for p in validate.items("only", only, "prefixes")] \
        if only is not None else None
    started = time.perf_counter()
    source, target = Path(source), Path(target)
    paths = _notebooks(source, wanted)
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob("[0-9][0-9]_*.html"):  # pages of an earlier, larger export
        stale.unlink()
    _copy_mathjax(target)
    if kind == "slides":
        _copy_reveal(target)
    exporter = _exporter(kind)
    entries: list[tuple[str, str]] = []
    snapshots = placeholders = 0
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        notebook = copy.deepcopy(notebook)
        if kind == "slides" and not all("slideshow" in c.metadata for c in notebook.cells):
            maintenance.annotate(notebook, path.stem)
        _drop_test_markers(notebook)
        shown, missing = snapshot_widgets(notebook)
        snapshots += shown
        placeholders += missing
        title = _title(notebook, path.stem)
        notebook.metadata["title"] = title
        body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
        name = f"{path.stem}.slides.html" if kind == "slides" else f"{path.stem}.html"
        (target / name).write_text(body, encoding="utf-8")
        entries.append((name, title))
    note = ("Static edition: every page opens offline; widgets are shown in their last "
            "state and are live in JupyterLab." if kind == "html" else
            "Slide decks (reveal.js, offline): arrow keys or space to advance, Esc for the "
            "overview, S for speaker notes; widgets are shown in their last state.")
    heading = COURSE_TITLE if kind == "html" else f"{COURSE_TITLE}: slides"
    (target / "index.html").write_text(_index_page(heading, entries, note), encoding="utf-8")
    return {"pages": [name for name, _ in entries], "snapshots": snapshots,
            "placeholders": placeholders, "seconds": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m course_lib.export {html,slides} [source] [target]``."""
    parser = argparse.ArgumentParser(prog="python -m course_lib.export", description=__doc__.split("\n")[0])
    parser.add_argument("kind", choices=("html", "slides"))
    parser.add_argument("source", nargs="?", default="notebooks", type=Path)
    parser.add_argument("target", nargs="?", type=Path)
    parser.add_argument("--only", default="", help="comma-separated prefixes, e.g. 00,06")
    args = parser.parse_args(argv)
    target = args.target or Path("build") / args.kind
    only = [p.strip() for p in args.only.split(",") if p.strip()] or None
    summary = build(args.kind, args.source, target, only)
    print(f"{args.kind}: {len(summary['pages'])} notebook(s), {summary['snapshots']} widget "
          f"snapshot(s), {summary['placeholders']} placeholder(s) in {summary['seconds']:.1f} s "
          f"-> {target / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

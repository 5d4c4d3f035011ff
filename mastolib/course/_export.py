"""Static HTML editions of the course: ``make site`` and ``make handouts``.

Each notebook is executed top to bottom in a fresh kernel with ``MASTOLIB_STATIC=1`` (see
:mod:`mastolib.apps._static`: widgets render as snapshots, plotly figures embed their HTML), the
live-widget outputs are replaced by those snapshots, and the result is written as HTML with a
banner linking back to Binder. ``site`` adds an index page built from the course map.

Run: ``python -m mastolib.course._export site OUTDIR`` or ``python -m mastolib.course._export handouts OUTDIR``.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from ..tables._data import load_records
from ._links import binder_url

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _drop_live_widgets(nb) -> int:
    """Keep the static snapshot of every widget output; return how many had none (empty)."""
    empty = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME in data:
                data.pop(WIDGET_MIME)
                if "text/html" not in data:
                    empty += 1
                    data["text/html"] = ("<p><i>(interactive widget: run the notebook to use "
                                         "it)</i></p>")
    nb.metadata.pop("widgets", None)
    return empty


def export_notebook(path: Path, outdir: Path, banner_url: str | None = None) -> dict:
    """Execute one notebook in static mode and write ``outdir/<stem>.html``; return stats."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ, MASTOLIB_STATIC="1")
    env.setdefault("MASTOLIB_PROGRESS", str(Path(tempfile.mkdtemp()) / "progress.json"))
    start = time.perf_counter()
    client = NotebookClient(nb, kernel_name="python3", timeout=300,
                            resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel(env=env, cwd=str(path.parent)):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
    seconds = time.perf_counter() - start
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    empty = _drop_live_widgets(nb)
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    if banner_url:
        banner = (f"<div style='background:#FFF4EC;border-left:6px solid #D55E00;padding:8px 12px;"
                  f"font-family:sans-serif'>Static edition - for education only, not for clinical "
                  f"decisions. <a href='{html.escape(banner_url)}'>Launch this notebook on Binder</a>"
                  f" to use the interactive apps. <a href='index.html'>Course map</a></div>")
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, body, count=1)
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{path.stem}.html"
    target.write_text(body, encoding="utf-8")
    return {"notebook": path.stem, "seconds": round(seconds, 2), "errors": len(errors),
            "empty_widgets": empty, "bytes": target.stat().st_size}


def write_index(outdir: Path, stats: list[dict]) -> Path:

    rows = []
    built = {s["notebook"] for s in stats}
    for row in load_records("course_map"):
        if row["notebook"] in built:
            link = f"<a href='{row['notebook']}.html'>{html.escape(row['title'])}</a>"
            launch = binder_url(f"lab/tree/notebooks/{row['notebook']}.ipynb")
            rows.append(f"<tr><td>{row['notebook'][:2]}</td><td>{link}</td><td>"
                        f"{html.escape(row['summary'])}</td><td>{row['minutes']} min</td>"
                        f"<td><a href='{html.escape(launch)}'>Binder</a></td></tr>")
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Mastocytosis, "
        "interactively - static edition</title></head><body style='font-family:sans-serif;"
        "max-width:60em;margin:auto'><h1>Mastocytosis, interactively</h1><p><b>For education "
        "only - not for clinical decisions.</b> This is the static edition: figures are "
        "snapshots; open a notebook on Binder to use the apps.</p><table border='1' "
        "cellpadding='6' style='border-collapse:collapse'><tr><th>#</th><th>Notebook</th>"
        "<th>What you will do</th><th>Time</th><th>Interactive</th></tr>"
        + "".join(rows) + "</table></body></html>")
    target = outdir / "index.html"
    target.write_text(page, encoding="utf-8")
    return target


def build(kind: str, outdir: Path, notebooks: list[Path]) -> list[dict]:

    stats = []
    for path in notebooks:
        url = binder_url(f"lab/tree/notebooks/{path.name}")
        stats.append(export_notebook(path, outdir, banner_url=url))
        print(f"{kind}: {stats[-1]}")
    if kind == "site":
        write_index(outdir, stats)
    return stats


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["site", "handouts"])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--notebooks", type=Path, default=Path("notebooks"))
    parser.add_argument("--only", nargs="*", help="notebook stems to build (default: all)")
    args = parser.parse_args(argv)
    paths = sorted(args.notebooks.glob("*.ipynb"))
    if args.only:
        paths = [p for p in paths if p.stem in args.only]
    stats = build(args.kind, args.outdir, paths)
    bad = [s for s in stats if s["errors"] or s["empty_widgets"]]
    if bad:
        print(f"problems: {bad}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

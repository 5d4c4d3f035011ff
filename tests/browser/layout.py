"""The layout check: what a learner sees after Run All, measured from DOM geometry.

:func:`measure` counts, under a root element (``.jp-Notebook`` in JupyterLab, ``body`` in
Voila), the problems of one rendered notebook at the current viewport width:

``collisions``
    two text boxes of one plotly figure overlap (legend items, chart / axis / colour-bar
    titles, annotations, tick labels, sankey node labels, slice and bar text);
``clipped``
    a figure's text reaches outside the figure;
``small_text``
    SVG text rendered under :data:`MIN_FONT_PX` px (font size times the text's screen scale:
    sunburst and pie shrink their slice text with a transform);
``truncated``
    a widget label / button / readout whose text is cut (``scrollWidth > clientWidth`` while
    the element hides its overflow or draws an ellipsis);
``too_wide``
    an output wider than its output area (it scrolls or spills sideways), or a page that
    scrolls sideways;
``empty_box``
    an output box taller than :data:`EMPTY_BOX_PX` px with (almost) nothing in it;
``snake_case``
    a code identifier (``bst_ng_ml``) in a table header, a widget label, a button or a
    figure's legend / axis title / chart title;
``solution_visible``
    the output of a cell tagged ``solution`` shown, or the body of a ``.mastolib-solution``
    block visible without the learner asking for it.

:func:`run_layout_check` measures at both :data:`WIDTHS`, saves a screenshot per width to
``test-artifacts/screenshots/layout-<front end>-<stem>-<width>.png`` and records the counts in
:data:`RESULTS` (written to ``test-artifacts/layout-counts.json`` at the end of the session).
:func:`assert_layout_ok` fails with every finding not listed in :data:`EXCEPTIONS`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

CATEGORIES = ("collisions", "clipped", "small_text", "truncated", "too_wide", "empty_box",
              "snake_case", "solution_visible")
WIDTHS = (1366, 1024)
HEIGHT = 900
MIN_FONT_PX = 9.0
EMPTY_BOX_PX = 60

# Findings tolerated on purpose: (front end or "*", notebook stem or "*", category, regex on
# the finding's text, why). Keep it short; every entry needs a reason a reviewer accepts.
EXCEPTIONS: list[tuple[str, str, str, str, str]] = []

# (front end, stem, width) -> {category: [finding, ...]}; conftest writes it out.
RESULTS: dict[str, dict[str, list[str]]] = {}

_MEASURE_JS = r"""
([rootSel, solutionCells, minFont, emptyPx]) => {
  const scope = document.querySelector(rootSel) || document.body;
  const out = {collisions: [], clipped: [], small_text: [], truncated: [], too_wide: [],
               empty_box: [], snake_case: [], solution_visible: []};
  const shown = el => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const txt = el => (el.textContent || '').replace(/\s+/g, ' ').trim();
  const short = s => s.length > 60 ? s.slice(0, 57) + '...' : s;
  const snake = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/;

  // ---- plotly figures -------------------------------------------------------------------
  const TEXT_SEL = [
    '.legend .legendtext', '.legend .legendtitletext',
    'text.gtitle', 'text[class$="title"]', '.cbtitle text',
    '.annotation-text',
    '[class*="axislayer"] text', '.cbaxis text',
    '.node-label', '.slicetext text', 'text.slicetext', '.textpoint text', 'text.textpoint',
    '.bartext',
  ].join(',');
  const HUMAN_SEL = '.legend .legendtext, .legend .legendtitletext, text.gtitle, ' +
                    'text[class$="title"], .cbtitle text';
  [...scope.querySelectorAll('.js-plotly-plot')].forEach((plot, p) => {
    if (!shown(plot)) return;
    const svg = plot.querySelector('.main-svg');
    if (!svg) return;
    const box = svg.getBoundingClientRect();
    const title = txt(plot.querySelector('text.gtitle') || plot).slice(0, 40);
    const where = `figure ${p + 1} "${title}"`;
    const items = [];
    const seen = new Set();
    plot.querySelectorAll(TEXT_SEL).forEach(el => {
      if (seen.has(el)) return;
      seen.add(el);
      const s = txt(el);
      if (!s || !shown(el)) return;
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) return;
      items.push({el, s, r});
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 ||
          r.bottom > box.bottom + 1)
        out.clipped.push(`${where}: "${short(s)}" reaches outside the figure`);
      const ctm = el.getScreenCTM();
      const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
      const px = parseFloat(getComputedStyle(el).fontSize) * scale;
      if (px < minFont - 0.05)
        out.small_text.push(`${where}: "${short(s)}" is ${px.toFixed(1)} px`);
      if (el.matches(HUMAN_SEL) && snake.test(s))
        out.snake_case.push(`${where}: "${short(s)}"`);
    });
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i].r, b = items[j].r;
        const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (dx > 1.5 && dy > 1.5 && !items[i].el.contains(items[j].el) &&
            !items[j].el.contains(items[i].el))
          out.collisions.push(`${where}: "${short(items[i].s)}" overlaps "${short(items[j].s)}"`);
      }
    }
  });

  // ---- widgets --------------------------------------------------------------------------
  const CONTROL_SEL = '.widget-label, .widget-label-basic, .widget-readout, button, ' +
                      '.jupyter-button, .widget-toggle-button, label, .widget-checkbox span, ' +
                      '.widget-inline-hbox > span';
  scope.querySelectorAll('.jupyter-widgets').forEach(w => {
    w.querySelectorAll(CONTROL_SEL).forEach(el => {
      if (el.dataset.layoutSeen) return;
      el.dataset.layoutSeen = '1';
      const s = txt(el);
      if (!s || !shown(el)) return;
      const cs = getComputedStyle(el);
      const hides = cs.textOverflow === 'ellipsis' || ['hidden', 'clip'].includes(cs.overflowX);
      if (hides && el.scrollWidth > el.clientWidth + 1)
        out.truncated.push(`"${short(s)}" (${el.clientWidth} of ${el.scrollWidth} px shown)`);
      if (snake.test(s)) out.snake_case.push(`control "${short(s)}"`);
    });
  });
  scope.querySelectorAll('[data-layout-seen]').forEach(el => delete el.dataset.layoutSeen);
  scope.querySelectorAll('th').forEach(th => {
    const s = txt(th);
    if (s && shown(th) && snake.test(s)) out.snake_case.push(`table header "${short(s)}"`);
  });

  // ---- output boxes ---------------------------------------------------------------------
  const CONTENT_SEL = 'img, svg, canvas, input, button, select, textarea, video, iframe';
  const PLOTLY_MARKS = '.js-plotly-plot .plot path, .js-plotly-plot .plot image, ' +
      '.js-plotly-plot .trace path, .js-plotly-plot .trace rect, .js-plotly-plot text';
  scope.querySelectorAll('.jp-OutputArea-output').forEach((o, k) => {
    if (!shown(o)) return;
    const r = o.getBoundingClientRect();
    if (r.height < 2) return;  // an output folded to nothing is not seen
    const label = short(txt(o)) || o.className;
    if (o.scrollWidth > o.clientWidth + 2)
      out.too_wide.push(`output ${k + 1} "${label}": ${o.scrollWidth} px in ${o.clientWidth} px`);
    if (r.height > emptyPx) {
      let top = Infinity, bottom = -Infinity;
      const grow = q => { if (q.width > 4 && q.height > 4) {
        top = Math.min(top, q.top); bottom = Math.max(bottom, q.bottom); } };
      // A plotly figure counts by what it draws (its SVG canvas is 700 x 450 px even when
      // every trace is invisible).
      o.querySelectorAll(CONTENT_SEL).forEach(el => {
        if (shown(el) && !el.closest('.js-plotly-plot')) grow(el.getBoundingClientRect()); });
      o.querySelectorAll(PLOTLY_MARKS).forEach(el => {
        if (shown(el)) grow(el.getBoundingClientRect()); });
      const walker = document.createTreeWalker(o, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent.trim() || !n.parentElement || !shown(n.parentElement)) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        [...range.getClientRects()].forEach(grow);
      }
      const filled = bottom > top ? bottom - top : 0;
      if (r.height - filled > emptyPx && filled < 10)
        out.empty_box.push(`output ${k + 1} (${o.className}): ${Math.round(r.height)} px tall, ` +
                           `${Math.round(filled)} px of content`);
    }
  });
  const doc = document.scrollingElement;
  if (doc && doc.scrollWidth > doc.clientWidth + 2)
    out.too_wide.push(`page scrolls sideways: ${doc.scrollWidth} px in ${doc.clientWidth} px`);

  // ---- solutions ------------------------------------------------------------------------
  const cells = [...scope.querySelectorAll('.jp-Cell')];
  solutionCells.forEach(i => {
    const cell = cells[i];
    if (!cell) return;
    cell.querySelectorAll('.jp-OutputArea-output').forEach(o => {
      // A closed "Show solution" block (its body is checked below) or Voila's pointer to the
      // notebook version is what a solution cell may show.
      if (o.querySelector('.mastolib-solution, .mastolib-solution-note')) return;
      if (shown(o) && o.getBoundingClientRect().height > 4 &&
          (txt(o) || o.querySelector('svg, img, canvas')))
        out.solution_visible.push(`cell ${i + 1} (tagged solution): "${short(txt(o))}"`);
    });
  });
  scope.querySelectorAll('.mastolib-solution-body').forEach(el => {
    if (shown(el) && el.getBoundingClientRect().height > 4)
      out.solution_visible.push(`solution shown without asking: "${short(txt(el))}"`);
  });
  return {counts: out, cells: cells.length};
}
"""


def solution_cells(notebook: Path) -> list[int]:
    """Indices (all cells) of the cells tagged ``solution``."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return [i for i, cell in enumerate(nb.get("cells", []))
            if "solution" in (cell.get("metadata", {}).get("tags") or [])]


def cell_count(notebook: Path) -> int:
    return len(json.loads(notebook.read_text(encoding="utf-8")).get("cells", []))


def measure(page, root: str, notebook: Path) -> dict[str, list[str]]:
    """Findings per category (see the module docstring) at the current viewport."""
    result = page.evaluate(_MEASURE_JS, [root, solution_cells(notebook), MIN_FONT_PX,
                                         EMPTY_BOX_PX])
    return result["counts"]


_SCROLL_ALL_JS = """async ([rootSel]) => {
    const scope = document.querySelector(rootSel) || document.body;
    const els = [...scope.querySelectorAll('.jp-Cell')];
    for (const el of els) {
        el.scrollIntoView({block: 'center'});
        await new Promise(r => requestAnimationFrame(() => setTimeout(r, 15)));
    }
    window.dispatchEvent(new Event('resize'));
    return els.length;
}"""

# Every figure has drawn its traces and every plotly text has a size (plotly draws lazily).
_SETTLED_JS = """([rootSel]) => {
    const scope = document.querySelector(rootSel) || document.body;
    return [...scope.querySelectorAll('.js-plotly-plot')].every(el =>
        Array.isArray(el.data) && el.data.length > 0 && el.querySelector('.main-svg'));
}"""


def scroll_everything(page, root: str) -> None:
    """Bring every cell through the viewport once (JupyterLab and plotly render lazily), then
    wait for the figures to settle after the resize event."""
    page.evaluate(_SCROLL_ALL_JS, [root])
    try:
        page.wait_for_function(_SETTLED_JS, arg=[root], timeout=10_000, polling=200)
    except Exception:  # playwright TimeoutError: a blank figure is reported by the UI checks
        pass
    page.wait_for_timeout(600)


def run_layout_check(page, root: str, notebook: Path, front_end: str, scroller: str | None,
                     screenshots: Path, reload=None) -> dict[int, dict[str, list[str]]]:
    """Measure at every width in :data:`WIDTHS` (screenshot each), restore the viewport.

    ``reload`` (Voila): called after resizing to every width but the one the page was loaded
    at - Voila's plotly figures keep the width they were first drawn at, so a learner's
    page is measured as loaded at that width, not as a resized one. JupyterLab relayouts its
    outputs on resize, so no reload there."""
    from . import harness as h

    original = page.viewport_size or h.VIEWPORT
    found = {}
    try:
        for width in WIDTHS:
            loaded_at = (page.viewport_size or {}).get("width")
            page.set_viewport_size({"width": width, "height": HEIGHT})
            if reload is not None and width != loaded_at:
                reload()
            page.wait_for_timeout(400)
            scroll_everything(page, root)
            found[width] = measure(page, root, notebook)
            RESULTS[f"{front_end} {notebook.stem} {width}"] = found[width]
            h.screenshot_full(page, screenshots / f"layout-{front_end}-{notebook.stem}-{width}.png",
                              scroller)
    finally:
        page.set_viewport_size(original)
    return found


def unexcused(found: dict[int, dict[str, list[str]]], front_end: str, stem: str,
              exceptions=None) -> list[str]:
    """Every finding not covered by an entry of ``exceptions`` (default :data:`EXCEPTIONS`)."""
    rules = EXCEPTIONS if exceptions is None else exceptions
    problems = []
    for width, categories in found.items():
        for category, items in categories.items():
            for item in items:
                if any(fe in (front_end, "*") and st in (stem, "*") and cat == category
                       and re.search(rx, item) for fe, st, cat, rx, _why in rules):
                    continue
                problems.append(f"{width} px, {category}: {item}")
    return problems


def assert_layout_ok(found, front_end: str, stem: str) -> None:
    problems = unexcused(found, front_end, stem)
    assert not problems, (f"layout check, {front_end}, {stem}.ipynb: {len(problems)} problems "
                          "(screenshots test-artifacts/screenshots/layout-*):\n"
                          + "\n".join(problems[:80]))


def write_results(path: Path) -> None:
    if not RESULTS:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    old.update(RESULTS)
    path.write_text(json.dumps(old, indent=1, sort_keys=True), encoding="utf-8")

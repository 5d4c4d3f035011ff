"""Widget app(s): criteria checker: set findings, see WHO 2022 and ICC 2022 decide side by side.

Model: :mod:`mastolib.models._checker`.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..engine._cases import load_cases
from ..engine._diagnose import compare_schemes
from ..models._checker import (
    BLANK_CASE,
    GROUP_TABS,
    NOT_ASSESSED,
    SCHEME_TITLES,
    _mark,
    _specs,
    case_findings,
    case_row,
    control_kind,
    control_label,
    control_options,
    control_values,
    findings_from_controls,
    format_value,
    render_differences,
    render_panel,
    render_verdict,
)
from ._base import App

_ROLE_SECTIONS = ((("major", "minor", "exclusion"), "SM criteria: major, minor, exclusion"),
                  (("B",), "B-findings (burden of disease)"),
                  (("C",), "C-findings (organ damage)"))


def _short_label(label: str) -> str:
    """'High mast cell burden: marrow ...' -> 'High mast cell burden' (the full label is a
    tooltip)."""
    return label.split(":")[0]


def _scheme_cell(r, scheme: str, show_rule: bool) -> str:
    if r is None:
        return (f"<td data-scheme='{scheme}' data-status='absent'><small>not part of "
                f"{SCHEME_TITLES[scheme]}</small></td>")
    parts = [_mark(r.status)]
    if r.value_used is not None:
        parts.append(f"<small>value used: {html.escape(format_value(r.value_used))}</small>")
    if show_rule:
        parts.append(f"<small style='color:#555'>rule: {html.escape(str(r.threshold))}</small>")
    if r.note:
        parts.append(f"<small><i>{html.escape(r.note)}</i></small>")
    return (f"<td data-scheme='{scheme}' data-id='{html.escape(r.id)}' data-status='{r.status}'>"
            + "<br>".join(parts) + "</td>")


def _count_cell(dx, role: str) -> str:
    results = [r for r in dx.criteria if r.role == role]
    met = sum(r.met is True for r in results)
    unknown = sum(r.met is None for r in results)
    extra = f", {unknown} not assessed" if unknown else ""
    return (f"<td data-scheme='{dx.scheme}' data-count='{role}'><b>{met} of {len(results)} "
            f"{role}-findings met</b>{extra}</td>")


def render_criteria(comparison, stale: bool = False) -> str:
    """One table, WHO 2022 and ICC 2022 side by side: every SM criterion, B- and C-finding
    with its status (symbol + word), the value used and - where the schemes' rules differ -
    each scheme's rule; a row marked ≠ where the verdicts differ."""
    who = {r.id: r for r in comparison.who.criteria}
    icc = {r.id: r for r in comparison.icc.criteria}
    rows = []
    for roles, title in _ROLE_SECTIONS:
        ids = [r.id for r in comparison.who.criteria if r.role in roles]
        ids += [r.id for r in comparison.icc.criteria if r.role in roles and r.id not in ids]
        if not ids:
            continue
        rows.append(f"<tr class='mastolib-section'><th colspan='3' scope='colgroup'>{title}"
                    "</th></tr>")
        for cid in ids:
            w, i = who.get(cid), icc.get(cid)
            first = w or i
            same_rule = w is not None and i is not None and w.threshold == i.threshold
            differs = (w is None) != (i is None) or (w is not None and w.met != i.met)
            rule = (f"<br><small style='color:#555'>rule: {html.escape(str(first.threshold))}"
                    "</small>" if same_rule else "")
            mark = " <b title='WHO and ICC differ here'>≠</b>" if differs else ""
            style = " style='background:#FFF4CC'" if differs else ""
            rows.append(
                f"<tr class='mastolib-criterion' data-id='{html.escape(cid)}' "
                f"data-differs='{str(differs).lower()}'{style}>"
                f"<td title='{html.escape(first.label)}'><b>{html.escape(cid)}</b>{mark} "
                f"{html.escape(_short_label(first.label))}{rule}</td>"
                + _scheme_cell(w, "who2022", not same_rule)
                + _scheme_cell(i, "icc2022", not same_rule) + "</tr>")
        if roles[0] in ("B", "C"):
            rows.append(f"<tr class='mastolib-count'><td>Count</td>"
                        f"{_count_cell(comparison.who, roles[0])}"
                        f"{_count_cell(comparison.icc, roles[0])}</tr>")
    table = ("<table class='mastolib-criteria' style='border-collapse:collapse;width:100%'>"
             "<thead><tr><th scope='col' style='width:34%'>Criterion</th>"
             "<th scope='col'>WHO 2022</th><th scope='col'>ICC 2022</th></tr></thead><tbody>"
             + "".join(rows) + "</tbody></table>")
    opacity = "opacity:0.45;" if stale else ""
    return (f"<div class='mastolib-criteria-box' data-stale='{str(stale).lower()}' "
            f"style='{opacity}'>{table}</div>")


def _case_html(row: dict | None, edited: bool) -> str:
    if row is None:
        return ("<p class='mastolib-case-info'><small>Choose a virtual patient above, or set "
                "findings yourself. Empty boxes and 'not assessed' mean the test was not "
                "done.</small></p>")
    who = " / ".join(x for x in (row["expected_who_category"], row["expected_who_subtype"]) if x)
    icc = " / ".join(x for x in (row["expected_icc_category"], row["expected_icc_subtype"]) if x)
    state = " <i>(edited since loading)</i>" if edited else ""
    return (f"<div class='mastolib-case-info'><p><b>{html.escape(row['case_id'])}: "
            f"{html.escape(row['title'])}</b>{state}</p><p>{html.escape(row['vignette'])}</p>"
            "<details><summary>Hand-labelled answer and teaching point</summary>"
            f"<p>WHO 2022: {html.escape(who)}; ICC 2022: {html.escape(icc)}.<br>"
            f"{html.escape(row['teaching_point'])} <small>[{html.escape(row['source_id'])}]"
            "</small></p></details></div>")


# ---------------------------------------------------------------------------------- app

# Tab titles wrap onto a second row instead of being cut off; a bad box gets an outline.
_CSS = (
    ".mastolib-criteria td,.mastolib-criteria th{border-bottom:1px solid #ddd;padding:2px 4px;"
    "text-align:left;vertical-align:top}"
    ".mastolib-checker-tabs>.lm-TabBar,.mastolib-checker-tabs .lm-TabBar-content"
    "{flex-wrap:wrap;height:auto;min-height:0;overflow:visible}"
    ".mastolib-checker-tabs .lm-TabBar-tab{flex:0 0 auto!important;min-width:0!important;"
    "max-width:none!important}"
)


class CriteriaCheckerApp(App):
    """WHO 2022 vs ICC 2022 criteria checker.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The view.
    controls : dict
        Field name -> control (``Dropdown`` or ``Text``; values are strings), plus
        ``"case"`` (the *Load a case* drop-down).
    result : SchemeComparison or None
        The latest *valid* comparison (kept while the input is invalid).
    findings : Findings or None
        The findings behind :attr:`result`.
    message : str
        ``""`` or the problem with the current input (shown in the app).
    stale : bool
        True while :attr:`result` does not match the controls (invalid input).
    figure : None
        The app draws HTML only (no plotly figure).
    n_updates : int
        How many times the model has been recomputed (loading a case counts once).
    """

    css_class = "mastolib-checker"

    def __init__(self, case_id: str | None = None):
        self.findings = None
        self.stale = False
        self.n_updates = 0
        self._case = None
        self._edited = False
        self._specs = {spec.name: spec for spec in _specs()}
        super().__init__()
        self.controls["case"].observe(self._on_case, names="value")
        if case_id:
            self.load_case(case_id)

    # -- view construction ---------------------------------------------------------------
    def _make_controls(self):
        controls = {spec.name: self._make_control(spec) for spec in self._specs.values()}
        rows = load_cases()
        controls["case"] = w.Dropdown(
            options=[("(blank: nothing assessed)", BLANK_CASE)] + [
                (c.label, c.case_id) for c in rows],
            value=BLANK_CASE, description="Load a case:", style={"description_width": "initial"},
            layout=w.Layout(width="min(100%, 640px)"))
        controls["case"].add_class("mastolib-case-select")
        return controls

    @staticmethod
    def _make_control(spec):
        common = dict(description=f"{control_label(spec)}:",
                      style={"description_width": "19em"},
                      layout=w.Layout(width="min(100%, 36em)"),
                      tooltip=spec.help or spec.label)
        if control_kind(spec) == "choice":
            control = w.Dropdown(options=control_options(spec), value=NOT_ASSESSED, **common)
        else:
            placeholder = "empty = not recorded" if spec.kind == "text" else \
                "empty = not assessed"
            control = w.Text(value="", placeholder=placeholder, continuous_update=False,
                             **common)
        control.add_class(f"mastolib-field-{spec.name}")
        return control

    def _control_box(self):
        self._tab_groups = [g for g, _ in GROUP_TABS
                            if any(s.group == g for s in self._specs.values())]
        self._tabs = w.Tab(children=[
            w.VBox([self.controls[s.name] for s in self._specs.values() if s.group == g],
                   layout=w.Layout(padding="6px"))
            for g in self._tab_groups])
        self._tabs.add_class("mastolib-checker-tabs")
        self._case_info = w.HTML()
        return [w.HTML(f"<style>{_CSS}</style>"), self.controls["case"], self._case_info,
                self._tabs]

    def _view(self):
        self._verdict = w.HTML()
        self._criteria = w.HTML()
        self._criteria.add_class("mastolib-checker-criteria")
        self._panels = {s: w.HTML(layout=w.Layout(width="50%", padding="0 6px"))
                        for s in SCHEME_TITLES}
        for scheme, panel in self._panels.items():
            panel.add_class(f"mastolib-panel-{scheme}")
        self._differences = w.HTML()
        return [self._verdict, self._criteria, w.HBox(list(self._panels.values())),
                self._differences]

    def _observed(self):
        return [c for name, c in self.controls.items() if name != "case"]

    # -- model -----------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        """Current control values (field -> string; the case picker is not a finding)."""
        return {name: self.controls[name].value for name in self._specs}

    def _check_missing(self, values):
        """Every field may be empty (None = not assessed)."""

    def compute(self, values):
        findings = findings_from_controls(values)
        return compare_schemes(findings)

    # -- callbacks -------------------------------------------------------------------------
    def _on_change(self, change=None):
        if not self._busy and self._case is not None:
            self._edited = True
        super()._on_change(change)

    def _on_case(self, change):
        if not self._busy:
            self.load_case(change["new"])

    def load_case(self, case_id: str) -> None:
        """Set every control from a virtual patient (``""`` clears all), recomputing once."""
        if case_id == BLANK_CASE:
            values = {name: (NOT_ASSESSED if control_kind(spec) == "choice" else "")
                      for name, spec in self._specs.items()}
            row = None
        else:
            row = case_row(case_id)
            values = control_values(case_findings(case_id))
        self._busy = True
        try:
            with self.widget.hold_sync():
                for name, value in values.items():
                    self.controls[name].value = value
                self.controls["case"].value = case_id
        finally:
            self._busy = False
        self._case, self._edited = row, False
        self.update()

    def update(self):
        self.n_updates += 1
        result = self._try_compute()
        if result is not None:
            self.findings, self.result, self.stale = findings_from_controls(self.values()), result, False
        self.render(self.result)

    def _invalid(self, exc):
        self.stale = self.result is not None

    def render(self, result):
        self._case_info.value = _case_html(self._case, self._edited)
        for index, group in enumerate(self._tab_groups):
            names = [n for n, s in self._specs.items() if s.group == group]
            assessed = sum(self.controls[n].value not in ("", NOT_ASSESSED) for n in names)
            self._tabs.set_title(index, f"{dict(GROUP_TABS)[group]} ({assessed}/{len(names)})")
        if result is None:
            self._verdict.value = self._criteria.value = ""
            for panel in self._panels.values():
                panel.value = ""
            self._differences.value = ""
            return
        self._verdict.value = render_verdict(result, self.stale)
        self._criteria.value = render_criteria(result, self.stale)
        self._panels["who2022"].value = render_panel(result.who, self.stale)
        self._panels["icc2022"].value = render_panel(result.icc, self.stale)
        self._differences.value = render_differences(result)


def criteria_checker_app(case_id: str | None = None) -> CriteriaCheckerApp:
    """Build the WHO 2022 vs ICC 2022 criteria checker (``app.widget`` is the view).

    Parameters
    ----------
    case_id : str, optional
        A virtual patient from ``data/cases.csv`` to load first (e.g. ``"c13"``).

    Examples
    --------
    >>> import mastolib as ml
    >>> app = ml.criteria_checker_app("c13")
    >>> app.result.who.subtype
    'SSM'
    >>> app.controls["bst_ng_ml"].value = "abc"
    >>> "not a number" in app.message, app.stale
    (True, True)
    """
    return CriteriaCheckerApp(case_id)


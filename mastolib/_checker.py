"""Criteria checker: set findings, see WHO 2022 and ICC 2022 decide side by side.

Pure model + a view built once + one callback that updates it in place:

* **model** - :func:`findings_from_controls` turns the control values (plain strings) into a
  :class:`mastolib.Findings` (or a ``ValueError`` naming every bad box), and
  :func:`mastolib.compare_schemes` classifies them under both schemes;
* **view** - :class:`CriteriaCheckerApp` builds its controls from ``Findings.field_specs()``
  (one tab per group), and renders results as HTML (:func:`render_verdict`,
  :func:`render_criteria` - both schemes side by side in one table -, :func:`render_panel`
  and :func:`render_differences`: pure functions of the comparison);
* **one callback** - :meth:`CriteriaCheckerApp._update`. Loading a case sets every control
  while updates are held, then recomputes once.

Every control value is a string, so each control has a *not assessed* state: yes/no fields are
drop-downs ``"not assessed" / "yes" / "no"``, categories add ``"not assessed"`` to their
choices, and numbers are text boxes where an empty box means not assessed.

Status is never shown by colour alone: met ``●``, not met ``✕``, not assessed ``○``, each with
its word (palette from :mod:`mastolib._theme`).

Abbreviations: SM = systemic mastocytosis, WHO = World Health Organization classification,
5th edition (2022), ICC = International Consensus Classification (2022), MCL = mast cell
leukaemia, HαT = hereditary alpha-tryptasemia.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

from ._data import load_records
from ._theme import STATUS_COLOURS

NOT_ASSESSED = "not assessed"
YES, NO = "yes", "no"
BLANK_CASE = ""
STATUS_MARKS = {"met": "●", "not met": "✕", "not assessed": "○"}
SCHEME_TITLES = {"who2022": "WHO 2022", "icc2022": "ICC 2022"}
# Tab order follows the brief's teaching order; every engine group appears exactly once.
GROUP_TABS = (
    ("skin", "Skin"), ("marrow", "Marrow"), ("molecular", "Molecular"),
    ("immunophenotype", "Immunophenotype"), ("tryptase", "Tryptase"), ("organs", "Organs"),
    ("blood", "Blood"), ("patient", "Patient"), ("clinical", "Clinical"),
)
_ROLE_SECTIONS = ((("major", "minor", "exclusion"), "SM criteria: major, minor, exclusion"),
                  (("B",), "B-findings (burden of disease)"),
                  (("C",), "C-findings (organ damage)"))


# ------------------------------------------------------------------------------- model


def _specs():
    from ._findings import Findings

    return Findings.field_specs()


def control_kind(spec) -> str:
    """``"choice"`` (a drop-down) for yes/no and category fields, ``"text"`` otherwise."""
    return "choice" if spec.kind in ("bool", "choice") else "text"


def control_label(spec) -> str:
    """Visible label of a control: the field label plus its unit when the label lacks it."""
    if spec.unit and spec.unit.lower() not in spec.label.lower():
        return f"{spec.label} ({spec.unit})"
    return spec.label


def control_options(spec) -> list[str]:
    """Options of a drop-down control; the first is always ``"not assessed"``."""
    if spec.kind == "bool":
        return [NOT_ASSESSED, YES, NO]
    return [NOT_ASSESSED, *spec.choices]


def parse_control(spec, raw: str):
    """One control value (a string) -> the field value (``None`` = not assessed).

    Raises
    ------
    ValueError
        with a message for people naming the box, what was typed and what is expected.
    """
    text = "" if raw is None else str(raw).strip()
    if spec.kind == "bool":
        if text in ("", NOT_ASSESSED):
            return None
        if text in (YES, NO):
            return text == YES
        raise ValueError(f"{spec.label}: {text!r} is not one of {control_options(spec)}.")
    if spec.kind == "choice":
        if text in ("", NOT_ASSESSED):
            return None
        if text in spec.choices:
            return text
        raise ValueError(f"{spec.label}: {text!r} is not one of {control_options(spec)}.")
    if text == "":
        return None
    if spec.kind == "text":
        return text
    unit = f" {spec.unit}" if spec.unit else ""
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        example = "2" if spec.kind == "int" else "32.5"
        raise ValueError(f"{spec.label}: {text!r} is not a number. Type digits such as "
                         f"{example}{unit}, or clear the box for 'not assessed'.") from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"{spec.label}: {text!r} is not a finite number.")
    if spec.kind == "int":
        if number != int(number):
            raise ValueError(f"{spec.label}: {text!r} must be a whole number.")
        return int(number)
    return number


def _friendly(message: str) -> str:
    """Engine messages speak of ``None``; in the app that is an empty box / 'not assessed'."""
    return (message.replace("(None = not assessed)", "(empty = not assessed)")
            .replace("(None = not recorded)", "(empty = not recorded)"))


def findings_from_controls(values: Mapping[str, str]):
    """Control values (field -> string) -> a validated :class:`mastolib.Findings`.

    Unknown keys (such as ``"case"``) are ignored. Every unreadable box is reported at once.

    Raises
    ------
    ValueError
        listing each box that cannot be read, or the engine's message for an out-of-range
        value or contradictory findings.

    Examples
    --------
    >>> import mastolib as ml
    >>> ml.findings_from_controls({"bst_ng_ml": "32", "cd25": "yes", "cd2": "not assessed"})
    Findings(cd25=True, bst_ng_ml=32.0)
    """
    from ._findings import Findings

    fields, errors = {}, []
    for spec in _specs():
        if spec.name not in values:
            continue
        try:
            value = parse_control(spec, values[spec.name])
        except ValueError as exc:
            errors.append(str(exc))
            continue
        if value is not None:
            fields[spec.name] = value
    if errors:
        raise ValueError(" ".join(errors))
    try:
        return Findings(**fields)
    except ValueError as exc:
        raise ValueError(_friendly(str(exc))) from None


def _number_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def control_values(findings) -> dict[str, str]:
    """The control value (string) of every field for a :class:`mastolib.Findings`.

    The inverse of :func:`findings_from_controls`:
    ``findings_from_controls(control_values(f)) == f``.
    """
    out = {}
    for spec in _specs():
        value = getattr(findings, spec.name)
        if value is None:
            out[spec.name] = NOT_ASSESSED if control_kind(spec) == "choice" else ""
        elif spec.kind == "bool":
            out[spec.name] = YES if value else NO
        elif spec.kind in ("float", "int"):
            out[spec.name] = _number_text(value)
        else:
            out[spec.name] = str(value)
    return out


def _case_rows() -> list[dict]:
    return load_records("cases")


def case_ids() -> list[str]:
    """Ids of the virtual patients in ``data/cases.csv`` (``c01`` ...)."""
    return [row["case_id"] for row in _case_rows()]


def case_row(case_id: str) -> dict:
    """One row of ``data/cases.csv``; an unknown id raises ValueError listing valid ids."""
    for row in _case_rows():
        if row["case_id"] == case_id:
            return row
    raise ValueError(f"unknown case {case_id!r}; valid ids: {case_ids()}")


def case_findings(case_id: str):
    """The :class:`mastolib.Findings` of one virtual patient (empty cell = not assessed).

    Examples
    --------
    >>> import mastolib as ml
    >>> ml.case_findings("c24").plt_1e9_l is not None
    True
    """
    from ._findings import Findings

    row = case_row(case_id)
    names = set(Findings.field_names())
    return Findings.from_mapping(row, ignore=[k for k in row if k not in names])


# ------------------------------------------------------------------------------ render


def _mark(status: str) -> str:
    colour = STATUS_COLOURS[status]
    return (f"<span class='mastolib-status' data-status='{status}' style='color:{colour};"
            f"font-weight:bold;white-space:nowrap'>{STATUS_MARKS[status]} {status}</span>")


def _field_labels() -> dict:
    return {spec.name: spec.label for spec in _specs()}


def format_value(value) -> str:
    """A criterion's ``value_used`` for people: labels instead of ids, yes/no, '—'."""
    from ._logic import fmt_number

    if value is None:
        return "—"
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, (int, float)):
        return fmt_number(value)
    text = str(value)
    labels = _field_labels()
    parts = []
    for part in text.split("; "):
        name, sep, val = part.partition("=")
        if not sep:
            parts.append(part)
            continue
        base = name.replace(" (HαT-adjusted)", "")
        label = labels.get(base, name) + (" (HαT-adjusted)" if base != name else "")
        val = {"True": YES, "False": NO}.get(val, val)
        parts.append(f"{label} = {val}")
    return "; ".join(parts)


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
                f"<td title='{html.escape(first.label)}'>"
                f"<b>{html.escape(_short_label(first.label))}</b>{mark}{rule}</td>"
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


def _verdict_text(dx) -> str:
    return dx.category if dx.subtype is None else f"{dx.category} / {dx.subtype}"


def _full_verdict(dx) -> str:
    text = _verdict_text(dx)
    if dx.qualifiers:
        text += f" ({', '.join(dx.qualifiers)})"
    return text


def _sm_line(dx) -> str:
    status = {True: "met", False: "not met", None: "not assessed"}[dx.sm_criteria_met]
    # The mark already says met / not met; only "undecided" needs words after it.
    extra = ("" if dx.sm_criteria_met is not None
             else " <small>(undecided: missing findings could change it)</small>")
    return (f"<p style='margin:2px 0'>SM criteria: {_mark(status)}{extra}"
            f"<br>B-findings met: <b>{dx.n_b}</b>; "
            f"C-findings met: <b>{dx.n_c}</b></p>")


def _path_rows(dx) -> str:
    """The subtype decision path: rules checked in order, the chosen one highlighted."""
    trace = [r for r in dx.criteria if r.role == "subtype"]
    if not trace:
        return "<p><small>No subtype rule applies to this category.</small></p>"
    items = []
    for index, r in enumerate(trace):
        chosen = index == len(trace) - 1 and r.met is True
        style = ("background:#FFF4CC;border-left:4px solid #000;padding-left:4px;"
                 "font-weight:bold" if chosen else "padding-left:8px")
        arrow = " <span aria-label='chosen'>◀ chosen</span>" if chosen else ""
        items.append(
            f"<li class='mastolib-path-step' data-id='{html.escape(r.id)}' "
            f"data-chosen='{str(chosen).lower()}' style='{style}'>{_mark(r.status)} "
            f"{html.escape(r.label)}{arrow}</li>")
    return ("<ol class='mastolib-path' style='margin:0;padding-left:1.6em'>" + "".join(items)
            + "</ol>")


def render_panel(dx, stale: bool = False) -> str:
    """HTML of one scheme's decision: verdict, SM criteria, subtype path, explanation."""
    scheme = SCHEME_TITLES.get(dx.scheme, dx.scheme)
    parts = [
        f"<h4 style='margin:4px 0'>{scheme}</h4>",
        f"<p class='mastolib-panel-verdict' style='font-size:1.15em;margin:2px 0'><b>"
        f"{html.escape(_full_verdict(dx))}</b></p>",
        _sm_line(dx),
        "<h5 style='margin:6px 0 2px'>Subtype decision path (checked in order)</h5>",
        _path_rows(dx),
        "<h5 style='margin:6px 0 2px'>Explanation</h5><ul class='mastolib-explanation' "
        "style='margin:0;padding-left:1.2em'>"
        + "".join(f"<li>{html.escape(s)}</li>" for s in dx.explanation) + "</ul>",
    ]
    body = "".join(parts)
    if stale:
        body = f"<div class='mastolib-stale' style='opacity:0.45'>{body}</div>"
    return (f"<div class='mastolib-panel' data-scheme='{dx.scheme}' "
            f"data-stale='{str(stale).lower()}'>{body}</div>")


def render_verdict(comparison, stale: bool = False) -> str:
    """One line with both verdicts (what a learner reads first)."""
    agree = "agree" if comparison.agree else "disagree"
    text = (f"WHO 2022: {_full_verdict(comparison.who)} | ICC 2022: "
            f"{_full_verdict(comparison.icc)} - the schemes {agree}")
    prefix = ("⚠ <b>Stale:</b> showing the last valid result until the input is fixed. "
              if stale else "")
    style = "opacity:0.5;" if stale else ""
    return (f"<div class='mastolib-checker-verdict' role='status' data-stale='{str(stale).lower()}'"
            f" style='{style}font-size:1.1em;padding:6px;border:2px solid #0072B2'>{prefix}"
            f"<b>{html.escape(text)}</b></div>")


def render_differences(comparison) -> str:
    """Where WHO and ICC disagree, and why (from ``compare_schemes().differences``)."""
    if not comparison.differences:
        return ("<div class='mastolib-differences'><h5 style='margin:6px 0 2px'>WHO vs ICC</h5>"
                "<p>No item differs between the two schemes for these findings.</p></div>")
    items = "".join(
        f"<li data-id='{html.escape(d.item_id)}'><b>{html.escape(d.label)}</b>: "
        f"{html.escape(d.reason)}</li>" for d in comparison.differences)
    return ("<div class='mastolib-differences'><h5 style='margin:6px 0 2px'>Where WHO and ICC "
            f"disagree, and why</h5><ul>{items}</ul></div>")


def render_message(message: str) -> str:
    if not message:
        return "<div class='mastolib-checker-message' data-empty='true'></div>"
    return ("<div class='mastolib-checker-message' role='alert' style='border-left:6px solid "
            f"#D55E00;background:#FFF4EC;padding:6px 10px'>⚠ {html.escape(message)}</div>")


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
    ".mastolib-invalid input{outline:3px solid #D55E00}"
    ".mastolib-criteria td,.mastolib-criteria th{border-bottom:1px solid #ddd;padding:2px 4px;"
    "text-align:left;vertical-align:top}"
    ".mastolib-checker-tabs>.lm-TabBar,.mastolib-checker-tabs .lm-TabBar-content"
    "{flex-wrap:wrap;height:auto;min-height:0;overflow:visible}"
    ".mastolib-checker-tabs .lm-TabBar-tab{flex:0 0 auto!important;min-width:0!important;"
    "max-width:none!important}"
)


class CriteriaCheckerApp:
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
        The app draws HTML only (no plotly figure), so there is no 5 MB widget to ship.
    n_updates : int
        How many times the model has been recomputed (loading a case counts once).
    """

    figure = None

    def __init__(self, case_id: str | None = None):
        import ipywidgets as w

        self.result = None
        self.findings = None
        self.message = ""
        self.stale = False
        self.n_updates = 0
        self._holding = False
        self._case = None
        self._edited = False
        self._specs = {spec.name: spec for spec in _specs()}
        self.controls: dict = {}
        for spec in self._specs.values():
            self.controls[spec.name] = self._make_control(w, spec)
        rows = _case_rows()
        self.controls["case"] = w.Dropdown(
            options=[("(blank: nothing assessed)", BLANK_CASE)] + [
                (f"{r['case_id']} · {r['title']} ({r['difficulty']})", r["case_id"])
                for r in rows],
            value=BLANK_CASE, description="Load a case:", style={"description_width": "initial"},
            layout=w.Layout(width="min(100%, 640px)"))
        self.controls["case"].add_class("mastolib-case-select")

        self._tab_groups = [g for g, _ in GROUP_TABS
                            if any(s.group == g for s in self._specs.values())]
        self._tabs = w.Tab(children=[
            w.VBox([self.controls[s.name] for s in self._specs.values() if s.group == g],
                   layout=w.Layout(padding="6px"))
            for g in self._tab_groups])
        self._tabs.add_class("mastolib-checker-tabs")
        self._case_info = w.HTML()
        self._message = w.HTML()
        self._message.add_class("mastolib-checker-message-box")
        self._verdict = w.HTML()
        self._criteria = w.HTML()
        self._criteria.add_class("mastolib-checker-criteria")
        self._panels = {s: w.HTML(layout=w.Layout(width="50%", padding="0 6px"))
                        for s in SCHEME_TITLES}
        for scheme, panel in self._panels.items():
            panel.add_class(f"mastolib-panel-{scheme}")
        self._differences = w.HTML()
        style = w.HTML(f"<style>{_CSS}</style>")
        self.widget = w.VBox([
            style, self.controls["case"], self._case_info, self._tabs, self._message,
            self._verdict, self._criteria, w.HBox(list(self._panels.values())),
            self._differences])
        self.widget.add_class("mastolib-checker")

        for name, control in self.controls.items():
            control.observe(self._on_case if name == "case" else self._on_change, names="value")
        if case_id:
            self.load_case(case_id)
        else:
            self._update()

    # -- view construction ---------------------------------------------------------------
    @staticmethod
    def _make_control(w, spec):
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

    # -- callbacks -----------------------------------------------------------------------
    def _on_change(self, _change=None):
        if self._holding:
            return
        if self._case is not None:
            self._edited = True
        self._update()

    def _on_case(self, change):
        if self._holding:
            return
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
        self._holding = True
        try:
            with self.widget.hold_sync():
                for name, value in values.items():
                    self.controls[name].value = value
                self.controls["case"].value = case_id
        finally:
            self._holding = False
        self._case, self._edited = row, False
        self._update()

    def values(self) -> dict[str, str]:
        """Current control values (field -> string)."""
        return {name: self.controls[name].value for name in self._specs}

    def _update(self, _change=None):
        self.n_updates += 1
        try:
            findings = findings_from_controls(self.values())
            from ._diagnose import compare_schemes

            comparison = compare_schemes(findings)
        except ValueError as exc:
            self.message, self.stale = str(exc), self.result is not None
            self._mark_invalid()
        else:
            self.findings, self.result = findings, comparison
            self.message, self.stale = "", False
            self._mark_invalid()
        self._render()

    def _mark_invalid(self):
        for name, spec in self._specs.items():
            control = self.controls[name]
            bad = bool(self.message) and (f"{spec.label}:" in self.message
                                          or f"{spec.name}=" in self.message)
            if bad:
                control.add_class("mastolib-invalid")
            elif "mastolib-invalid" in control._dom_classes:
                control.remove_class("mastolib-invalid")

    def _render(self):
        self._case_info.value = _case_html(self._case, self._edited)
        self._message.value = render_message(self.message)
        for index, group in enumerate(self._tab_groups):
            names = [n for n, s in self._specs.items() if s.group == group]
            assessed = sum(self.controls[n].value not in ("", NOT_ASSESSED) for n in names)
            self._tabs.set_title(index, f"{dict(GROUP_TABS)[group]} ({assessed}/{len(names)})")
        if self.result is None:
            self._verdict.value = self._criteria.value = ""
            for panel in self._panels.values():
                panel.value = ""
            self._differences.value = ""
            return
        self._verdict.value = render_verdict(self.result, self.stale)
        self._criteria.value = render_criteria(self.result, self.stale)
        self._panels["who2022"].value = render_panel(self.result.who, self.stale)
        self._panels["icc2022"].value = render_panel(self.result.icc, self.stale)
        self._differences.value = render_differences(self.result)

    def _repr_mimebundle_(self, **kwargs):
        from ._static import app_mimebundle

        return app_mimebundle(self.widget, **kwargs)


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

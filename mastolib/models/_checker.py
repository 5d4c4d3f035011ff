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
its word (palette from :mod:`mastolib.figures._theme`).

Abbreviations: SM = systemic mastocytosis, WHO = World Health Organization classification,
5th edition (2022), ICC = International Consensus Classification (2022), MCL = mast cell
leukaemia, HαT = hereditary alpha-tryptasemia.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from ..engine._cases import get_case
from ..engine._findings import Findings
from ..engine._logic import fmt_number
from ..tables._fields import number_from_text
from ..tables._registry import get
from ._palette import STATUS_COLOURS

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


# ------------------------------------------------------------------------------- model


def _specs():

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
        number = number_from_text(text.replace(",", "."))
    except ValueError as reason:
        example = "2" if spec.kind == "int" else "32.5"
        raise ValueError(f"{spec.label}: {text!r} is {reason}. Type digits such as "
                         f"{example}{unit}, or clear the box for 'not assessed'.") from None
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

    fields, errors = {}, []
    for spec in _specs():
        if spec.name not in values:
            continue
        try:
            value = parse_control(spec, values[spec.name])
        except ValueError as exc:
            errors.append((spec.name, str(exc)))
            continue
        if value is not None:
            fields[spec.name] = value
    if errors:
        exc = ValueError(" ".join(text for _, text in errors))
        exc.fields = tuple(name for name, _ in errors)
        exc.field = exc.fields[0]
        raise exc
    try:
        return Findings(**fields)
    except ValueError as exc:
        friendly = ValueError(_friendly(str(exc)))
        friendly.field = getattr(exc, "field", None)
        raise friendly from None


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


def case_row(case_id: str) -> dict:
    """One row of ``data/cases.csv``; an unknown id raises ``UnknownIdError`` listing valid ids."""
    return get("case", case_id)


def case_findings(case_id: str):
    """The :class:`mastolib.Findings` of one virtual patient (empty cell = not assessed).

    Examples
    --------
    >>> import mastolib as ml
    >>> ml.case_findings("c24").plt_1e9_l is not None
    True
    """
    return get_case(case_id).findings


# ------------------------------------------------------------------------------ render


def _mark(status: str) -> str:
    colour = STATUS_COLOURS[status]
    return (f"<span class='mastolib-status' data-status='{status}' style='color:{colour};"
            f"font-weight:bold;white-space:nowrap'>{STATUS_MARKS[status]} {status}</span>")


def _field_labels() -> dict:
    return {spec.name: spec.label for spec in _specs()}


def format_value(value) -> str:
    """A criterion's ``value_used`` for people: labels instead of ids, yes/no, '—'."""

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


def _verdict_text(dx) -> str:
    return dx.category if dx.subtype is None else f"{dx.category} / {dx.subtype}"


def _full_verdict(dx) -> str:
    text = _verdict_text(dx)
    if "undecided" in (dx.category, dx.subtype) and dx.candidates:  # issue 17
        text += f" ({' or '.join(dx.candidates)})"
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
        (f"<p class='mastolib-undecided' style='margin:2px 0'><b>"
         f"{html.escape(dx.undecided_text)}</b></p>" if dx.undecided else ""),
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



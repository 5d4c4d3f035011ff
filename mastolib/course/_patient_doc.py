"""The document every take-home tool of the patient track returns, and its small builders.

:class:`PatientDocument` (printable ``.html``, text ``.summary``, rich preview), the value checks
that name a field by its label (``_text``, ``_phone``, ``_choice``) and the HTML pieces the
tools share. Used by :mod:`mastolib.course._patient` and :mod:`mastolib.course._diary`.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field

from ..tables._data import load_records
from ._printables import printable_html

TOOLS = ("triggers", "emergency", "anaesthesia", "bracelet", "diary", "questions")
TOOL_TITLES = {
    "triggers": "My triggers: personal avoidance plan",
    "emergency": "My emergency plan",
    "anaesthesia": "Anaesthesia and procedures card",
    "bracelet": "Medical alert bracelet wording",
    "diary": "Symptom and episode diary: summary for my next appointment",
    "questions": "Questions for my next appointment",
}
SEVERITIES = ("mild", "moderate", "severe")
MAX_NAME = 60
MAX_TEXT = 200
MAX_PHONE = 25
# Engraving layout, not a clinical number: a typical tag fits about this many characters a line.
BRACELET_LINE_CHARS = 20
MAX_DURATION_MIN = 7 * 24 * 60
_PHONE = re.compile(r"^[0-9+()\-\s]*$")


@dataclass(frozen=True)
class PatientDocument:
    """A computed take-home document.

    Attributes
    ----------
    tool : str
        Tool id (one of ``TOOLS`` or ``"handout"``).
    title : str
    sections : tuple of (heading, html body)
    summary : str
        Plain-text version (screen readers, static pages, tests).
    html : str
        The standalone printable page (A4).
    filename : str
        Suggested file name for the download.
    """

    tool: str
    title: str
    sections: tuple
    summary: str
    html: str
    filename: str
    data: dict = field(default_factory=dict)

    def download_link(self, label: str = "Download the printable page") -> str:
        """An ``<a download>`` link holding the page as a data URI (works offline)."""
        payload = base64.b64encode(self.html.encode("utf-8")).decode("ascii")
        return (f"<a class='mastolib-printable-download' download='{self.filename}' "
                f"href='data:text/html;base64,{payload}'>{html.escape(label)}</a> "
                "<small>(open the file and use your browser's Print)</small>")

    def preview_html(self) -> str:
        """The document's sections as an inline preview (no page-wide styles)."""
        parts = [f"<h3 style='margin:4px 0'>{html.escape(self.title)}</h3>"]
        for heading, body in self.sections:
            head = f"<b>{html.escape(heading)}</b>" if heading else ""
            parts.append("<div style='margin:6px 0;padding:4px 8px;border-left:4px solid "
                         f"#0072B2'>{head}{body}</div>")
        return "<div class='mastolib-printable-preview'>" + "".join(parts) + "</div>"

    def _repr_html_(self) -> str:
        return self.preview_html() + f"<p>{self.download_link()}</p>"


# ------------------------------------------------------------------------------------------
# Input checks: every message names the field by its label
# ------------------------------------------------------------------------------------------


def field_error(message: str, field: str | None) -> ValueError:
    """A ValueError whose ``field`` attribute names the argument (the widget's control id)."""
    exc = ValueError(message)
    exc.field = field
    return exc


def _text(value, label: str, max_len: int = MAX_TEXT, field: str | None = None) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise field_error(f"{label}: expected text, got {value!r}", field)
    value = " ".join(value.split())
    if len(value) > max_len:
        raise field_error(f"{label}: at most {max_len} characters, got {len(value)}", field)
    return value


def _phone(value, label: str, field: str | None = None) -> str:
    value = _text(value, label, MAX_PHONE, field)
    if not _PHONE.match(value):
        raise field_error(f"{label}: {value!r} is not a phone number (use digits, spaces, "
                          "+, - and brackets only)", field)
    return value


def _choice(value, label: str, allowed, field: str | None = None) -> str:
    if value not in allowed:
        raise field_error(f"{label}: {value!r} is not one of {list(allowed)}", field)
    return value


def _esc(text: str) -> str:
    return html.escape(text)


def _blank(value: str, width_mm: int = 60) -> str:
    if value:
        return f"<b>{_esc(value)}</b>"
    return f"<span class='line' style='display:inline-block;width:{width_mm}mm'></span>"


def _cites(rows) -> str:
    ids = []
    for row in rows:
        for sid in (row.get("source_id") or "").split(";"):
            if sid and sid not in ids:
                ids.append(sid)
    return "Sources: " + ", ".join(ids) + "."


def _advice(tool: str) -> list[dict]:
    rows = [r for r in load_records("patient_advice") if r["tool"] == tool]
    return sorted(rows, key=lambda r: r["order"])


def _ul(items, ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{tag}>"


def _summary(title: str, sections) -> str:
    lines = [title]
    for heading, body in sections:
        text = re.sub(r"<li>", "\n- ", body)
        text = re.sub(r"<[^>]+>", " ", text)
        text = html.unescape(re.sub(r"[ \t]+", " ", text)).strip()
        lines.append(f"{heading}: {text}" if heading else text)
    return "\n".join(lines)


def _document(tool: str, sections: list, *, subtitle: str = "", footer: str = "",
              title: str | None = None, data: dict | None = None) -> PatientDocument:
    title = title or TOOL_TITLES[tool]
    page = printable_html(title, sections, subtitle=subtitle, footer=footer)
    return PatientDocument(tool=tool, title=title, sections=tuple(sections),
                           summary=_summary(title, sections), html=page,
                           filename=f"mastocytosis-{tool}.html", data=data or {})


# ------------------------------------------------------------------------------------------
# The tools
# ------------------------------------------------------------------------------------------


def trigger_choices() -> list[tuple[str, str]]:
    """``(label, trigger_id)`` of the triggers the sources describe, in table order."""
    rows = [r for r in load_records("triggers_care")
            if r["kind"] == "trigger" and r["status"] == "described"]
    return [(r["label"], r["item_id"]) for r in sorted(rows, key=lambda r: r["order"])]

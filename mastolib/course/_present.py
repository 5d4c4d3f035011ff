"""How the course shows things to a learner: tables, teaching text, solutions, app-mode wording.

One place decides the look of what the notebooks display, so a notebook never prints raw
output:

* :func:`text_table` - the one table renderer: human headers (field labels from
  :mod:`mastolib._fields`, otherwise the id spelled out), left-aligned wrapping prose, no
  index, nothing cut to "…";
* :func:`show_text` - teaching text as Markdown (never ``print``);
* :func:`solution` - an exercise's answer behind a collapsed "Show solution" control in
  JupyterLab and never shown in Voila (app mode);
* :func:`in_app_mode` / :func:`wording` - wording that depends on whether the page is a
  Voila app (no "press Shift+Enter" there).
"""

from __future__ import annotations

import html
import os
import re

# Ids whose spelled-out form is not simply "words with spaces".
_TOKENS = {
    "who2022": "WHO 2022", "icc2022": "ICC 2022", "who2016": "WHO 2016", "id": "ID",
    "ng": "ng", "ml": "mL", "kit": "KIT", "bst": "basal serum tryptase", "hat": "HαT",
    "icc": "ICC", "who": "WHO", "ipsm": "IPSM", "mars": "MARS", "rema": "REMA", "sm": "SM",
    "cm": "CM", "os": "overall survival", "alp": "alkaline phosphatase", "hb": "haemoglobin",
    "plt": "platelets", "u": "U", "l": "L", "g": "g", "dl": "dL", "1e9": "10⁹",
}
_UNIT_PAIRS = {("ng", "ml"): "(ng/mL)", ("g", "dl"): "(g/dL)", ("u", "l"): "(U/L)",
               ("1e9", "l"): "(10⁹/L)"}
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$|^[a-z]+[0-9]+[a-z0-9]*$")


def human_label(column: str) -> str:
    """The header a learner reads for a column id (``"typical_age"`` -> ``"Typical age"``).

    Field ids take their label from the field table; other ids are spelled out word by
    word (``"who2022_rule"`` -> ``"WHO 2022 rule"``). Text that is not an id is returned as
    it is.
    """
    from ..tables._fields import FIELDS

    name = str(column)
    for spec in FIELDS:
        if spec.name == name:
            unit = getattr(spec, "unit", None)
            return f"{spec.label} ({unit})" if unit else spec.label
    if not _SNAKE.match(name) and name not in _TOKENS:
        return name[:1].upper() + name[1:] if name.islower() else name
    parts = name.split("_")
    words = []
    i = 0
    while i < len(parts):
        pair = tuple(parts[i:i + 2])
        if pair in _UNIT_PAIRS:
            words.append(_UNIT_PAIRS[pair])
            i += 2
            continue
        words.append(_TOKENS.get(parts[i], parts[i]))
        i += 1
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def text_table(frame, index: bool = False):
    """Show a table in full: human headers, left-aligned wrapping text, '—' for empty cells.

    pandas cuts text cells at 50 characters by default, which hides the rules and sources
    this course is about; the returned Styler shows every cell whole, headers spelled out
    for people (see :func:`human_label`) and no 0-based row index.

    Parameters
    ----------
    frame : pandas.DataFrame, pandas.Series, dict or Findings
        A dict or a findings record becomes a two-column table (finding, value).
    index : bool
        Show the row labels (default: hidden); their name becomes a column header.

    Returns
    -------
    pandas.io.formats.style.Styler
    """
    import pandas as pd

    if hasattr(frame, "to_dict") and not isinstance(frame, (pd.DataFrame, pd.Series)):
        frame = frame.to_dict(assessed_only=True)  # a Findings record
    if isinstance(frame, dict):
        frame = pd.DataFrame({"Finding": [human_label(k) for k in frame],
                              "Value": [_value_text(v) for v in frame.values()]})
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    frame = frame.copy()
    if index:
        frame = frame.reset_index()
    frame.columns = [human_label(c) for c in frame.columns]
    shown = frame.astype(object).where(frame.notna(), "—")
    styler = shown.style.hide(axis="index")
    styler = styler.set_properties(**{"text-align": "left", "vertical-align": "top",
                                      "white-space": "normal", "overflow-wrap": "break-word",
                                      "hyphens": "auto"})
    styler = styler.set_table_styles([
        # Text wraps first; a table still wider than its output (many columns in a 592 px
        # Lab output at 1024 px) scrolls sideways inside its own box, never the page.
        {"selector": "", "props": [("table-layout", "auto"), ("max-width", "100%"),
                                   ("display", "block"), ("overflow-x", "auto")]},
        {"selector": "th", "props": [("text-align", "left"), ("white-space", "normal")]},
    ])
    # a table wider than its output scrolls in its own box: keyboard users reach it (tabindex;
    # axe scrollable-region-focusable)
    styler = styler.set_table_attributes('tabindex="0"')
    return styler.format(precision=2, thousands=",")


def _value_text(value) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value)
    return str(value)


def show_text(markdown: str) -> None:
    """Display teaching text as Markdown (notebooks never ``print`` prose: printed text wraps
    mid-word in a narrow window and cannot show emphasis or lists)."""
    from IPython.display import Markdown, display

    display(Markdown(str(markdown)))


def in_app_mode() -> bool:
    """True when the notebook runs as a Voila app (code hidden, no way to run cells)."""
    software = os.environ.get("SERVER_SOFTWARE", "")
    return software.startswith("voila") or any(k.startswith("VOILA_") for k in os.environ)


def wording(notebook: str, app: str) -> str:
    """Pick the sentence for the front end: ``app`` in Voila, ``notebook`` elsewhere."""
    return app if in_app_mode() else notebook


_SOLUTION_CSS = ("border:1px solid #BBBBBB;border-radius:4px;padding:4px 10px;"
                 "margin:4px 0;background:#FAFAFA")


def solution(*items, note: str = ""):
    """Return an exercise's answer, collapsed behind a "Show solution" control.

    In JupyterLab the answer sits in a closed ``<details>`` block: nothing of it shows until
    the learner clicks "Show solution". In a Voila app the answer is never sent to the page;
    a short line says where the worked answer is.

    Parameters
    ----------
    *items
        What the answer shows: text (Markdown-light: shown as paragraphs), pandas objects
        (rendered with :func:`text_table`) or anything with an HTML repr.
    note : str
        One or two sentences explaining the answer.
    """
    from IPython.display import HTML

    if in_app_mode():
        return HTML("<p class='mastolib-solution-note'><i>The worked solution is in the "
                    "notebook version of this page (open it in JupyterLab).</i></p>")
    parts = []
    for item in (*items, note) if note else items:
        parts.append(_item_html(item))
    body = "".join(parts)
    return HTML(f"<details class='mastolib-solution' style='{_SOLUTION_CSS}'>"
                "<summary style='cursor:pointer;font-weight:bold'>Show solution</summary>"
                f"<div class='mastolib-solution-body'>{body}</div></details>")


def _item_html(item) -> str:
    import pandas as pd

    if isinstance(item, str):
        paragraphs = [p.strip() for p in item.split("\n\n") if p.strip()]
        return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    if isinstance(item, (pd.DataFrame, pd.Series)):
        return text_table(item, index=isinstance(item, pd.Series)).to_html()
    if hasattr(item, "_repr_html_"):
        return item._repr_html_() or ""
    return f"<p>{html.escape(str(item))}</p>"

"""Small helpers every notebook uses: the education notice and the reference list."""

from __future__ import annotations


def notice():
    """Return the 'education only' notice as a displayable HTML object."""
    from IPython.display import HTML

    from . import EDUCATION_NOTICE

    return HTML(
        "<div role='note' style='border-left:6px solid #D55E00;background:#FFF4EC;"
        f"padding:8px 12px'><b>⚠ {EDUCATION_NOTICE}</b></div>"
    )


def show_references(source_ids):
    """Return a numbered reference list (Markdown) for the given ``source_id`` values."""
    from IPython.display import Markdown

    from ._data import references

    return Markdown("**References**\n\n" + references(source_ids))


def course_map():
    """Return the learning path (``data/course_map.csv``) as a Markdown table."""
    from IPython.display import Markdown

    from ._data import load_records

    rows = load_records("course_map")
    lines = ["| # | Notebook | Level | Time | What you will do | Status |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        number = row["notebook"][:2]
        title = row["title"]
        if row["status"] == "available":
            title = f"[{title}]({row['notebook']}.ipynb)"
        status = "ready" if row["status"] == "available" else "coming soon"
        lines.append(f"| {number} | {title} | {row['level']} | {row['minutes']} min | "
                     f"{row['summary']} | {status} |")
    total = sum(r["minutes"] for r in rows)
    lines.append(f"\nWhole course: about {total / 60:.1f} hours.")
    return Markdown("\n".join(lines))

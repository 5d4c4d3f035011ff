"""Colour scales shared by the heatmaps of the course (pure helpers, no plotly import)."""

from __future__ import annotations


def stepped_scale(levels: dict) -> list:
    """A stepped plotly colour scale for ordered levels ``{name: {"z": int, "colour": str}}``.

    Level ``z`` owns the band ``[z/n, (z+1)/n]`` of a ``zmin=-0.5, zmax=n-0.5`` heatmap, so each
    level shows one flat colour (never a blend).
    """
    ordered = sorted(levels.values(), key=lambda spec: spec["z"])
    n = len(ordered)
    return [[(spec["z"] + edge) / n, spec["colour"]] for spec in ordered for edge in (0, 1)]


def level_heatmap_style(levels: dict, title: str) -> dict:
    """``go.Heatmap`` keyword arguments for a grid of ordered levels: the stepped colour scale,
    its z range, gaps between cells and a colour bar naming each level with its mark."""
    ordered = sorted(levels.items(), key=lambda kv: kv[1]["z"])
    return dict(
        colorscale=stepped_scale(levels), zmin=-0.5, zmax=len(ordered) - 0.5, xgap=3, ygap=3,
        colorbar=dict(title=title, thickness=14, tickvals=[s["z"] for _, s in ordered],
                      ticktext=[f"{s['mark']} {name}" for name, s in ordered]))

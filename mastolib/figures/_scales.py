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

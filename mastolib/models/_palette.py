"""The course palette: Okabe-Ito colour-blind-safe colours and the semantic colours built on it.

Plain constants (no plotly), so HTML views of the models and the plotly theme
(:mod:`mastolib.figures._theme`) share one palette.

References: Okabe M, Ito K. Color Universal Design (CUD): how to make figures and presentations
that are friendly to colorblind people (2008).
"""

from __future__ import annotations

# Okabe-Ito palette (name -> hex), in the conventional order.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# Semantic colours used across the course (met / not met / not assessed get shapes too).
STATUS_COLOURS = {
    "met": OKABE_ITO["bluish_green"],
    "not met": OKABE_ITO["vermillion"],
    "not assessed": "#999999",
}
STATUS_SYMBOLS = {"met": "circle", "not met": "x", "not assessed": "circle-open"}
SCHEME_COLOURS = {"who2022": OKABE_ITO["blue"], "icc2022": OKABE_ITO["orange"]}

"""Mast cell biology as data and small pure models: life cycle, body map, degranulation, kinetics.

Everything factual comes from cited tables in ``data/`` (``life_cycle``, ``tissues``,
``mc_roles``, ``mediators``, ``mediator_effects``, ``triggers``, ``kinetics``); each row carries a
``source_id`` and a ``confidence`` (see ``data/README.md``). The functions here return plain
values (frozen dataclasses, numbers); the plotly figures are built from them in
:mod:`mastolib.figures._bio` and the widgets in :mod:`mastolib.apps._bio`.

Kinetics teaching model
-----------------------
The course fact sheet (section 1.1, source ``mediator_kinetics``) describes the time course of two
mediators after a mast cell event in words and ranges. :class:`KineticsModel` turns those
statements into a curve with the fewest possible assumptions. With ``t`` the time since the
onset of the event, ``t_peak`` the time to peak and ``t_half`` the half-life, the model gives the
*rise above baseline* as a fraction ``f(t)`` of the peak rise::

    f(t) = 0                               for t <= 0
    f(t) = t / t_peak                      for 0 < t <= t_peak   (straight rise: the shape of
                                                                  the rise is not documented)
    f(t) = 2 ** (-(t - t_peak) / t_half)   for t > t_peak        (first-order decay)

    level(t) = baseline + peak_rise * f(t)

``baseline`` and ``peak_rise`` are illustrative amplitudes, not clinical facts: the notebook plots
``f`` in % of the peak rise, which needs neither. "Back near baseline" is defined as ``f`` falling
below :data:`NEAR_BASELINE_FRACTION` (10 % of the peak rise, an illustrative definition), reached
at ``t_back = t_peak + t_half * log2(1 / 0.10)``.

Parameters, from the ``kinetics`` table (a range is turned into one value by its geometric
middle, sqrt(low * high), so that 30-120 min gives 60 min):

* tryptase: ``t_peak`` = sqrt(30 * 120) = 60 min (fact sheet: peak 30-120 min after onset);
  ``t_half`` = 2 h (fact sheet: half-life about 2 h). Then ``t_back`` = 1 h + 2 h * 3.32 = 7.6 h,
  inside the fact sheet's "back near baseline within about 6-8 h"; at the 24-h baseline sample
  the rise left is 2 ** -11.5, i.e. 0.03 % of the peak rise.
* histamine: ``t_peak`` = sqrt(5 * 10) = 7.1 min (fact sheet: rises within about 5-10 min); no
  half-life is documented, so ``t_half`` is *derived* from the return time: ``t_back`` =
  sqrt(15 * 30) = 21.2 min (fact sheet: back within about 15-30 min) gives
  ``t_half`` = (21.2 - 7.1) / 3.32 = 4.3 min. The alternative reading ("some sources 30-60 min")
  is available as ``reading="slow"``: ``t_back`` = 42.4 min, ``t_half`` = 10.6 min.

:func:`kinetics_checks` recomputes each documented statement from the model and reports whether
the model reproduces it; ``tests/test_biology.py`` asserts that every check passes.

References: ``mediator_kinetics``, ``mediator_table`` (data/sources.csv).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..tables._data import load_records
from ..tables._registry import check_id

#: "Back near baseline" = less than this fraction of the peak rise left (illustrative definition).
NEAR_BASELINE_FRACTION = 0.10

#: Organ systems of the degranulation explorer (ids for code, labels for people), in plot order.
ORGAN_SYSTEMS = {
    "skin": "Skin",
    "airways": "Airways",
    "heart_vessels": "Heart and vessels",
    "gut": "Gut",
    "nerves": "Nerves (pain)",
    "blood": "Blood (clotting)",
    "tissue": "Connective tissue",
    "immune": "Immune cells",
}

#: Which mediators the degranulation explorer shows.
MEDIATOR_VIEWS = {
    "all": "All mediators",
    "preformed": "Preformed (stored in granules, out in minutes)",
    "newly_made": "Newly made (synthesised after activation)",
}

TIMING_LABELS = {
    "preformed": "preformed (granule)",
    "newly_made": "newly made",
    "both": "partly preformed, mostly newly made",
}

#: Sampling times offered by the kinetics app, in minutes after the onset of the event.
SAMPLE_TIMES_MIN = (2, 5, 10, 15, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1440, 2880)

NO_SYMPTOM = "no typical symptom of its own"


def _by_order(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: r["order"])


def _check_choice(value, valid, what: str):
    check_id(what, value, list(valid))


def format_range(low_min: float, high_min: float) -> str:
    """Human label for a range of times: ``"1-2 h"``, ``"5-10 min"``, ``"30 min-2 h"``."""
    if (low_min < 60) == (high_min < 60):
        unit = "min" if high_min < 60 else "h"
        scale = 1.0 if unit == "min" else 60.0
        return f"{low_min / scale:g}-{high_min / scale:g} {unit}"
    return f"{format_minutes(low_min)}-{format_minutes(high_min)}"


def format_minutes(minutes: float) -> str:
    """Human label for a time after onset: ``"30 min"``, ``"1.5 h"``, ``"24 h"``.

    Examples
    --------
    >>> format_minutes(45), format_minutes(90), format_minutes(1440)
    ('45 min', '1.5 h', '24 h')
    """
    if minutes < 60:
        return f"{minutes:g} min"
    return f"{minutes / 60:g} h"


# --------------------------------------------------------------------------------------------
# Life cycle
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """One stage of a mast cell's life (a row of ``data/life_cycle.csv``)."""

    stage_id: str
    order: int
    label: str
    where: str
    what_happens: str
    in_mastocytosis: str
    confidence: str
    note: str
    source_id: str


def life_cycle_stages() -> tuple[Stage, ...]:
    """The stages of the life cycle, marrow progenitor first."""
    fields = Stage.__dataclass_fields__
    return tuple(Stage(**{k: r[k] if k == "order" else (r[k] or "") for k in fields})
                 for r in _by_order(load_records("life_cycle")))


@dataclass(frozen=True)
class LifeCycleStep:
    """Result of the life-cycle diagram: the stage shown and whether disease notes are on."""

    stages: tuple
    index: int
    show_disease: bool

    @property
    def stage(self) -> Stage:
        return self.stages[self.index]

    @property
    def text(self) -> str:
        """What happens at this stage (and, if asked, what changes in mastocytosis)."""
        stage = self.stage
        text = stage.what_happens
        if self.show_disease:
            text += " In mastocytosis: " + stage.in_mastocytosis
        return text


def life_cycle_step(stage_id: str, show_disease: bool = False) -> LifeCycleStep:
    """Select one stage of the life cycle (pure).

    Raises
    ------
    ValueError
        if ``stage_id`` is not a stage (the message lists the valid ids).
    """
    stages = life_cycle_stages()
    ids = [s.stage_id for s in stages]
    _check_choice(stage_id, ids, "stage_id")
    return LifeCycleStep(stages, ids.index(stage_id), bool(show_disease))


# --------------------------------------------------------------------------------------------
# Body map and roles
# --------------------------------------------------------------------------------------------

SITE_KINDS = {
    "interface": "Border with the outside world",
    "systemic": "Organ involved in systemic mastocytosis",
    "both": "Both: border tissue and involved in disease",
}


def body_map_sites(kind: str = "all") -> list[dict]:
    """Rows of ``data/tissues.csv`` for the body map; ``kind`` filters by site kind.

    ``kind="interface"`` keeps border tissues (including those that are ``"both"``),
    ``"systemic"`` keeps organs involved in systemic disease (including ``"both"``).
    """
    _check_choice(kind, ("all", *SITE_KINDS), "kind")
    rows = load_records("tissues")
    if kind == "all":
        return rows
    return [r for r in rows if r["site_kind"] in (kind, "both")]


def mast_cell_roles() -> list[dict]:
    """Roles of mast cells beyond allergy (rows of ``data/mc_roles.csv``)."""
    return load_records("mc_roles")


def _markdown_table(header: list[str], rows: list[list[str]]):
    """A Markdown table for display (no pandas needed in the notebook kernel)."""
    from IPython.display import Markdown

    def cell(value) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return Markdown("\n".join(lines))


def roles_table():
    """Roles of mast cells beyond allergy as a Markdown table, with confidence and sources."""
    return _markdown_table(
        ["Role", "What mast cells do", "Confidence", "Why flagged", "Source"],
        [[r["label"], r["what_mast_cells_do"], r["confidence"], r["note"] or "",
          f"`{r['source_id']}`"] for r in mast_cell_roles()])


# --------------------------------------------------------------------------------------------
# Degranulation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    """One mediator acting on one organ system, and whether the chosen trigger reaches it."""

    mediator_id: str
    mediator: str
    timing: str
    organ_id: str
    organ: str
    effect: str
    symptom: str
    reached: bool
    confidence: str
    source_id: str


@dataclass(frozen=True)
class DegranulationResult:
    """What a trigger sets off: effects in view (reached or not) and symptoms organ by organ."""

    trigger: dict
    view: str
    mediators: tuple
    effects: tuple

    @property
    def reached(self) -> tuple:
        return tuple(e for e in self.effects if e.reached)

    @property
    def symptoms_by_organ(self) -> dict:
        """``{organ label: [symptom, ...]}`` for reached organs, in organ order, no repeats."""
        out: dict = {}
        for organ_id, organ in ORGAN_SYSTEMS.items():
            found: list = []
            for e in self.reached:
                if e.organ_id != organ_id or e.symptom == NO_SYMPTOM:
                    continue
                for part in (p.strip() for p in e.symptom.split(";")):
                    if part and part not in found:
                        found.append(part)
            if found:
                out[organ] = found
        return out

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([e.__dict__ for e in self.effects])


def degranulation_triggers() -> list[dict]:
    """The triggers of ``data/triggers.csv`` in teaching order."""
    return _by_order(load_records("triggers"))


def degranulation(trigger_id: str, view: str = "all") -> DegranulationResult:
    """Mediators released after ``trigger_id``, their targets and symptoms (pure).

    Parameters
    ----------
    trigger_id : str
        A ``trigger_id`` of ``data/triggers.csv`` (e.g. ``"insect_sting"``, ``"friction"``).
    view : str
        ``"all"``, ``"preformed"`` or ``"newly_made"`` (mediators that are partly both are
        shown in either view).

    Returns
    -------
    DegranulationResult
        ``effects`` holds every effect of the mediators in view; ``reached`` is False for organ
        systems the trigger does not reach (a local trigger reaches only the skin).

    Raises
    ------
    ValueError
        for an unknown trigger or view (the message lists the valid ids).

    Examples
    --------
    >>> r = degranulation("friction")
    >>> sorted({e.organ_id for e in r.reached})
    ['skin']
    """
    by_id = {t["trigger_id"]: t for t in degranulation_triggers()}
    _check_choice(trigger_id, by_id, "trigger_id")
    _check_choice(view, MEDIATOR_VIEWS, "view")
    trigger = by_id[trigger_id]
    organs = {o.strip() for o in trigger["organs"].split(";") if o.strip()}
    mediators = tuple(m for m in _by_order(load_records("mediators"))
                      if view == "all" or m["timing"] in (view, "both"))
    by_mediator = {m["mediator_id"]: m for m in mediators}
    effects = []
    for row in load_records("mediator_effects"):
        mediator = by_mediator.get(row["mediator_id"])
        if mediator is None:
            continue
        effects.append(Effect(
            mediator_id=row["mediator_id"], mediator=mediator["short_label"],
            timing=mediator["timing"],
            organ_id=row["organ_id"], organ=ORGAN_SYSTEMS[row["organ_id"]], effect=row["effect"],
            symptom=row["symptom"], reached=row["organ_id"] in organs,
            confidence=row["confidence"], source_id=row["source_id"]))
    order = {m["mediator_id"]: m["order"] for m in mediators}
    organ_order = list(ORGAN_SYSTEMS)
    effects.sort(key=lambda e: (order[e.mediator_id], organ_order.index(e.organ_id)))
    return DegranulationResult(dict(trigger), view, mediators, tuple(effects))


# --------------------------------------------------------------------------------------------
# Kinetics (see the module docstring for the model and how it matches the fact sheet)
# --------------------------------------------------------------------------------------------


def _geometric_middle(low: float, high: float) -> float:
    return math.sqrt(low * high)


def _minutes(value: float, unit: str) -> float:
    return value * 60.0 if unit == "h" else value


def kinetics_statements(mediator_id: str | None = None) -> dict:
    """Rows of ``data/kinetics.csv`` keyed by ``kinetic_id`` (optionally for one mediator)."""
    rows = load_records("kinetics")
    return {r["kinetic_id"]: r for r in rows
            if mediator_id is None or r["mediator_id"] == mediator_id}


def _range_min(row: dict) -> tuple[float, float]:
    high = row["high"] if row["high"] is not None else row["low"]
    return _minutes(row["low"], row["unit"]), _minutes(high, row["unit"])


@dataclass(frozen=True)
class KineticsModel:
    """Rise-and-decay teaching model of one mediator (see the module docstring).

    Parameters
    ----------
    mediator_id, label : str
    peak_min : float
        Time from onset to peak, minutes (> 0).
    half_life_min : float
        First-order half-life of the decay after the peak, minutes (> 0).
    derivation : str
        How the two numbers were obtained from the fact sheet (shown to learners).
    source_id : str
    """

    mediator_id: str
    label: str
    peak_min: float
    half_life_min: float
    derivation: str = ""
    source_id: str = "mediator_kinetics"

    def __post_init__(self):
        for name in ("peak_min", "half_life_min"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a finite number > 0, got {value!r}")

    def fraction(self, t_min: float) -> float:
        """Rise above baseline at ``t_min`` minutes after onset, as a fraction of the peak rise.

        Examples
        --------
        >>> m = KineticsModel("tryptase", "Tryptase", peak_min=60, half_life_min=120)
        >>> m.fraction(60), m.fraction(180), m.fraction(30)
        (1.0, 0.5, 0.5)
        """
        if not math.isfinite(t_min):
            raise ValueError(f"time must be a finite number of minutes, got {t_min!r}")
        if t_min <= 0:
            return 0.0
        if t_min <= self.peak_min:
            return t_min / self.peak_min
        return 2.0 ** (-(t_min - self.peak_min) / self.half_life_min)

    def level(self, t_min: float, baseline: float, peak_rise: float) -> float:
        """Level at ``t_min`` for an *illustrative* baseline and peak rise (same unit)."""
        return baseline + peak_rise * self.fraction(t_min)

    def curve(self, times_min) -> list[float]:
        """``fraction`` at each time (minutes)."""
        return [self.fraction(t) for t in times_min]

    def time_back_near_baseline(self, fraction: float = NEAR_BASELINE_FRACTION) -> float:
        """Minutes after onset when the rise falls below ``fraction`` of the peak rise."""
        if not 0 < fraction < 1:
            raise ValueError(f"fraction must be between 0 and 1, got {fraction!r}")
        return self.peak_min + self.half_life_min * math.log2(1.0 / fraction)


READINGS = {"main": "histamine_back", "slow": "histamine_back_alt"}
READING_LABELS = {
    "main": "Histamine back within 15-30 min (most sources)",
    "slow": "Histamine back within 30-60 min (some sources)",
}


def kinetics_model(mediator_id: str, reading: str = "main") -> KineticsModel:
    """Build the teaching model of ``"tryptase"`` or ``"histamine"`` from ``data/kinetics.csv``.

    ``reading`` chooses the documented histamine return time: ``"main"`` (15-30 min) or
    ``"slow"`` (30-60 min, "some sources"); it does not change tryptase.
    """
    _check_choice(mediator_id, ("histamine", "tryptase"), "mediator_id")
    _check_choice(reading, READINGS, "reading")
    rows = kinetics_statements(mediator_id)
    low, high = _range_min(rows[f"{mediator_id}_peak"])
    peak = _geometric_middle(low, high)
    if mediator_id == "tryptase":
        half_life = _range_min(rows["tryptase_half_life"])[0]
        derivation = (f"peak at {format_minutes(round(peak))} (middle of the documented "
                      f"{low:g}-{high:g} min); half-life {format_minutes(half_life)} (documented)")
        return KineticsModel("tryptase", "Serum tryptase", peak, half_life, derivation)
    back_low, back_high = _range_min(rows[READINGS[reading]])
    back = _geometric_middle(back_low, back_high)
    half_life = (back - peak) / math.log2(1.0 / NEAR_BASELINE_FRACTION)
    derivation = (f"peak at {peak:.1f} min (middle of the documented {low:g}-{high:g} min); "
                  f"half-life {half_life:.1f} min, derived so that the rise is below "
                  f"{NEAR_BASELINE_FRACTION:.0%} of the peak at {back:.0f} min (middle of the "
                  f"documented {back_low:g}-{back_high:g} min)")
    return KineticsModel("histamine", "Plasma histamine", peak, half_life, derivation)


@dataclass(frozen=True)
class Check:
    """A documented statement recomputed from the model."""

    statement: str
    model_value: float
    low: float
    high: float | None
    unit: str
    ok: bool
    source_id: str


def kinetics_checks(reading: str = "main") -> list[Check]:
    """Does the model reproduce the fact sheet? One :class:`Check` per documented statement."""
    hist = kinetics_model("histamine", reading)
    tryp = kinetics_model("tryptase")
    rows = kinetics_statements()

    def within(row, value_min, unit):
        low, high = _range_min(row)
        scale = 60.0 if unit == "h" else 1.0
        ok = low - 1e-9 <= value_min <= high + 1e-9
        return Check(row["statement"], value_min / scale, low / scale, high / scale, unit, ok,
                     row["source_id"])

    checks = [
        within(rows["histamine_peak"], hist.peak_min, "min"),
        within(rows[READINGS[reading]], hist.time_back_near_baseline(), "min"),
        within(rows["tryptase_peak"], tryp.peak_min, "min"),
        within(rows["tryptase_back"], tryp.time_back_near_baseline(), "h"),
        within(rows["tryptase_acute_window"], tryp.peak_min, "h"),
    ]
    baseline_row = rows["tryptase_baseline"]
    after = _range_min(baseline_row)[0]
    left = tryp.fraction(after)
    checks.append(Check(baseline_row["statement"] + " (rise left at that time, % of peak)",
                        100 * left, 0.0, 100 * NEAR_BASELINE_FRACTION, "%",
                        left < NEAR_BASELINE_FRACTION, baseline_row["source_id"]))
    return checks


def kinetics_checks_table(reading: str = "main"):
    """:func:`kinetics_checks` as a Markdown table for display."""
    return _markdown_table(
        ["Documented statement", "Model", "Documented range", "Reproduced", "Source"],
        [[c.statement, f"{c.model_value:.3g} {c.unit}",
          f"{c.low:g}-{c.high:g} {c.unit}" if c.high is not None else f">= {c.low:g} {c.unit}",
          "yes" if c.ok else "**NO**", f"`{c.source_id}`"] for c in kinetics_checks(reading)])


@dataclass(frozen=True)
class SampleResult:
    """What a blood sample drawn at ``t_min`` would show (in % of each mediator's peak rise)."""

    t_min: float
    histamine_pct: float
    tryptase_pct: float
    window_id: str
    advice: str
    reading: str = "main"

    @property
    def label(self) -> str:
        return format_minutes(self.t_min)


WINDOWS = ("too_early", "best_acute", "acceptable_acute", "too_late", "baseline")


def sampling_rules() -> dict:
    """The documented tryptase sampling times in minutes after onset.

    ``{"best": (low, high), "latest": minutes, "baseline": minutes}`` from ``data/kinetics.csv``.
    """
    rows = kinetics_statements("tryptase")
    return {"best": _range_min(rows["tryptase_acute_window"]),
            "latest": _range_min(rows["tryptase_acute_latest"])[0],
            "baseline": _range_min(rows["tryptase_baseline"])[0]}


def sampling_window(t_min: float) -> tuple[str, str]:
    """Classify a sampling time by the documented tryptase sampling rules (not by the model)."""
    rules = sampling_rules()
    (best_low, best_high), latest, baseline = rules["best"], rules["latest"], rules["baseline"]
    if t_min < best_low:
        return "too_early", (f"Too early for the acute tryptase: it is still rising (the best "
                             f"acute sample is {format_range(best_low, best_high)} after onset).")
    if t_min <= best_high:
        return "best_acute", (f"Best time for the acute tryptase "
                              f"({format_range(best_low, best_high)} after onset): close to "
                              "its peak.")
    if t_min <= latest:
        return "acceptable_acute", (f"Still usable as an acute sample (no later than "
                                    f"{format_minutes(latest)}), but tryptase is already "
                                    "falling, so a rise may be missed.")
    if t_min < baseline:
        return "too_late", (f"Too late for an acute sample and too early for a baseline "
                            f"(baseline: at least {format_minutes(baseline)} after full "
                            "recovery).")
    return "baseline", (f"A good time for the baseline sample (at least "
                        f"{format_minutes(baseline)} after full recovery): the rise has gone.")


def sample_at(t_min: float, reading: str = "main") -> SampleResult:
    """Read both model curves at ``t_min`` and say what the sample is good for (pure).

    Raises
    ------
    ValueError
        for a negative or non-finite time, or an unknown ``reading``.
    """
    if not (isinstance(t_min, (int, float)) and math.isfinite(t_min) and t_min >= 0):
        raise ValueError(f"sampling time must be a number of minutes >= 0, got {t_min!r}")
    hist = kinetics_model("histamine", reading)
    tryp = kinetics_model("tryptase")
    window_id, advice = sampling_window(t_min)
    hist_pct = 100 * hist.fraction(t_min)
    if t_min > 0 and hist_pct < 100 * NEAR_BASELINE_FRACTION:
        advice += " Plasma histamine is already back near baseline."
    return SampleResult(float(t_min), hist_pct, 100 * tryp.fraction(t_min), window_id, advice,
                        reading)

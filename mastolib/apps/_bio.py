"""Widget apps of the biology and KIT notebooks (01, 02).

Each app = a pure model (:mod:`mastolib.models._biology`, :mod:`mastolib.models._kit`) + a view built once
(controls, one plotly figure view (:class:`mastolib.apps._figview.FigureView`), a live text summary, a message line) + ONE callback
(:meth:`_BioApp._update`) that reads the controls, calls the model, rebuilds the figure with the
pure builder of :mod:`mastolib.figures._bio` and copies its data into the figure view inside
``batch_update()``. A model error (``ValueError``) is shown as a message in the app, never as a
traceback.

Every app object has ``.widget`` (the view), ``.controls`` (dict by id), ``.figure`` (the
``FigureView``) and ``.result`` (the latest model result), so tests can set
``app.controls["trigger"].value = "friction"`` and assert on ``app.result`` and ``app.figure``.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..figures import _biology as figs
from ..figures import _kit as kit_figs
from ..models import _biology as bio
from ..models import _kit as kit
from ..tables._data import load_records
from ._base import App

_STYLE = {"description_width": "initial"}
class _BioApp(App):
    """Biology/KIT app: the figure, then a live text summary (``_describe``)."""

    css_class = "mastolib-bio-app"

    def _view(self):
        self._summary = w.HTML("")
        self._summary.add_class("mastolib-summary")
        return [*super()._view(), self._summary]

    def render(self, result):
        super().render(result)
        self._summary.value = self._describe(result)

    def _describe(self, result) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _invalid(self, exc):
        """A model error keeps the last result and figure (the message says what is wrong)."""


def _summary_html(text: str) -> str:
    return (f"<div role='status' aria-live='polite' style='padding:4px 8px;"
            f"border-left:4px solid #0072B2'>{html.escape(text)}</div>")


# --------------------------------------------------------------------------------------------
# 01 - life cycle
# --------------------------------------------------------------------------------------------


class LifeCycleApp(_BioApp):
    """Step through a mast cell's life; optionally see what changes in mastocytosis.

    Controls: ``"stage"`` (SelectionSlider of stage ids), ``"disease"`` (Checkbox).
    ``result`` is a :class:`mastolib.models._biology.LifeCycleStep`.
    """

    css_class = "mastolib-life-cycle"

    def _make_controls(self):
        stages = bio.life_cycle_stages()
        return {
            "stage": w.SelectionSlider(
                options=[(f"{s.order}. {s.label}", s.stage_id) for s in stages],
                value=stages[0].stage_id, description="Stage:", style=_STYLE,
                layout=w.Layout(width="520px")),
            "disease": w.Checkbox(value=False, description="Show what changes in mastocytosis",
                                  indent=False, style=_STYLE),
        }

    def compute(self, values):
        return bio.life_cycle_step(values["stage"], values["disease"])

    def figure_for(self, result):
        return figs.life_cycle_figure(result)

    def _describe(self, result):
        stage = result.stage
        flag = ("" if stage.confidence == "confirmed"
                else f" [{stage.confidence}: {stage.note}]")
        text = figs.life_cycle_summary(result) + flag + f" Source: {stage.source_id}."
        return _summary_html(text)


def life_cycle_app() -> LifeCycleApp:
    """Interactive life-cycle diagram (``app.widget`` is the view)."""
    return LifeCycleApp()


# --------------------------------------------------------------------------------------------
# 01 - degranulation explorer
# --------------------------------------------------------------------------------------------


class DegranulationApp(_BioApp):
    """Choose a trigger and a mediator view; see targets and symptoms organ by organ.

    Controls: ``"trigger"`` (Dropdown of trigger ids), ``"view"`` (ToggleButtons: all /
    preformed / newly made). ``result`` is a :class:`mastolib.models._biology.DegranulationResult`.
    """

    css_class = "mastolib-degranulation"

    def _make_controls(self):
        self._rows = [m["short_label"] for m in load_records("mediators")]
        return {
            "trigger": w.Dropdown(options=[(t["label"], t["trigger_id"]) for t in bio.degranulation_triggers()],
                                  value="ige_allergen", description="Trigger:", style=_STYLE,
                                  layout=w.Layout(width="460px")),
            "view": w.ToggleButtons(options=[(label.split(" (")[0], key) for key, label
                                             in bio.MEDIATOR_VIEWS.items()],
                                    value="all", description="Show:", style=_STYLE,
                                    tooltips=list(bio.MEDIATOR_VIEWS.values())),
        }

    def _control_box(self):
        return w.VBox(list(self.controls.values()))

    def compute(self, values):
        return bio.degranulation(values["trigger"], values["view"])

    def figure_for(self, result):
        return figs.degranulation_figure(result, self._rows)

    def _describe(self, result):
        trigger = result.trigger
        flag = ("" if trigger["confidence"] == "confirmed"
                else f"<br><i>Flagged ({trigger['confidence']}):</i> {html.escape(trigger['note'])}")
        items = "".join(f"<li><b>{html.escape(organ)}</b>: {html.escape(', '.join(symptoms))}</li>"
                        for organ, symptoms in result.symptoms_by_organ.items())
        body = f"<ul style='margin:2px 0'>{items}</ul>" if items else "<p>No symptom in view.</p>"
        return (f"<div role='status' aria-live='polite' style='padding:4px 8px;border-left:4px "
                f"solid #0072B2'><b>{html.escape(trigger['label'])}</b> "
                f"({html.escape(trigger['mechanism'])}, {trigger['reach']} reaction): "
                f"{html.escape(trigger['explanation'])}{flag}<br><i>Symptoms organ by organ "
                f"(mediators in view):</i>{body}<small>Source: {trigger['source_id']}; "
                "mediators: mediator_kinetics, mediator_table.</small></div>")


def degranulation_app() -> DegranulationApp:
    """Degranulation explorer (``app.widget`` is the view)."""
    return DegranulationApp()


# --------------------------------------------------------------------------------------------
# 01 - mediator kinetics
# --------------------------------------------------------------------------------------------


class KineticsApp(_BioApp):
    """Pick the time a blood sample is drawn; read histamine and tryptase from the model.

    Controls: ``"sample_min"`` (SelectionSlider of minutes after onset), ``"reading"``
    (Dropdown: which documented histamine return time). ``result`` is a
    :class:`mastolib.models._biology.SampleResult`.
    """

    css_class = "mastolib-kinetics"

    def _make_controls(self):
        return {
            "sample_min": w.SelectionSlider(
                options=[(bio.format_minutes(t), t) for t in bio.SAMPLE_TIMES_MIN], value=30,
                description="Sample drawn at (after onset):", style=_STYLE,
                layout=w.Layout(width="560px")),
            "reading": w.Dropdown(options=[(label, key) for key, label
                                           in bio.READING_LABELS.items()],
                                  value="main", description="Histamine reading:", style=_STYLE,
                                  layout=w.Layout(width="460px")),
        }

    def _control_box(self):
        return w.VBox(list(self.controls.values()))

    def compute(self, values):
        reading = values["reading"]
        self._models = (bio.kinetics_model("histamine", reading), bio.kinetics_model("tryptase"))
        return bio.sample_at(values["sample_min"], reading)

    def figure_for(self, result):
        return figs.kinetics_figure(*self._models, result, bio.sampling_rules())

    def _describe(self, result):
        return _summary_html(figs.kinetics_summary(result))


def kinetics_app() -> KineticsApp:
    """Mediator kinetics explorer (``app.widget`` is the view)."""
    return KineticsApp()


# --------------------------------------------------------------------------------------------
# 02 - KIT domain map
# --------------------------------------------------------------------------------------------


class KitMapApp(_BioApp):
    """KIT lollipop map filtered by the age group in which variants are reported.

    Controls: ``"population"`` (Dropdown: all / adults / children). ``result`` is a
    :class:`mastolib.models._kit.KitMap`.
    """

    css_class = "mastolib-kit-map"

    def _make_controls(self):
        return {"population": w.Dropdown(options=[(label, key) for key, label
                                                  in kit.POPULATIONS.items()],
                                         value="all", description="Show variants:",
                                         style=_STYLE)}

    def compute(self, values):
        return kit.kit_map(values["population"])

    def figure_for(self, result):
        return kit_figs.kit_map_figure(result)

    def _describe(self, result):
        rows = "".join(
            f"<tr><td><b>{html.escape(v['label'])}</b></td><td>{v['exon'] or '?'}</td>"
            f"<td>{html.escape(v['context'])}"
            f"{'' if v['confidence'] == 'confirmed' else ' <i>(' + v['confidence'] + ': ' + html.escape(v['note'] or '') + ')</i>'}"
            f"</td><td><small>{v['source_id']}</small></td></tr>" for v in result.variants)
        return (f"<div role='status' aria-live='polite'>{html.escape(kit_figs.kit_map_summary(result))}"
                "<table style='font-size:90%'><tr><th>Variant</th><th>Exon</th><th>What it "
                f"means</th><th>Source</th></tr>{rows}</table></div>")


def kit_map_app() -> KitMapApp:
    """KIT domain map explorer (``app.widget`` is the view)."""
    return KitMapApp()


# --------------------------------------------------------------------------------------------
# 02 - the KIT switch
# --------------------------------------------------------------------------------------------


class SignallingApp(_BioApp):
    """Add or remove SCF, choose normal KIT or D816V, add imatinib; watch the kinase.

    Controls: ``"variant"`` (Dropdown), ``"scf"`` (Checkbox), ``"imatinib"`` (Checkbox).
    ``result`` is a :class:`mastolib.models._kit.SignallingState`.
    """

    css_class = "mastolib-kit-signalling"

    def _make_controls(self):
        return {
            "variant": w.Dropdown(options=[(label, key) for key, label
                                           in kit.KIT_VARIANTS.items()],
                                  value="normal", description="KIT:", style=_STYLE,
                                  layout=w.Layout(width="380px")),
            "scf": w.Checkbox(value=False, description="SCF present", indent=False,
                              style=_STYLE),
            "imatinib": w.Checkbox(value=False, description="Imatinib present", indent=False,
                                   style=_STYLE),
        }

    def compute(self, values):
        c = values
        return kit.kit_signalling(c["variant"], c["scf"], c["imatinib"])

    def figure_for(self, result):
        return kit_figs.signalling_figure(result)

    def _describe(self, result):
        return _summary_html(kit_figs.signalling_summary(result)
                             + " Sources: kit_structure, khoury2022, imatinib_label.")


def signalling_app() -> SignallingApp:
    """KIT switch explorer (``app.widget`` is the view)."""
    return SignallingApp()


# --------------------------------------------------------------------------------------------
# 02 - clonal expansion teaching model
# --------------------------------------------------------------------------------------------


class ClonalApp(_BioApp):
    """Toy model of a KIT-mutant clone: growth advantage, ceiling and time (illustrative).

    Controls: ``"advantage"`` (growth advantage per year), ``"ceiling"`` (x healthy mast cell
    mass), ``"year"`` (years since the mutation). ``result`` is a
    :class:`mastolib.models._kit.ClonalTrajectory`.
    """

    css_class = "mastolib-clonal"
    YEARS_MAX = 40

    def _make_controls(self):
        return {
            "advantage": w.FloatSlider(value=0.5, min=0.0, max=1.5, step=0.05,
                                       description="Growth advantage of the clone (per year):",
                                       style=_STYLE, continuous_update=False,
                                       layout=w.Layout(width="560px")),
            "ceiling": w.IntSlider(value=20, min=1, max=100, step=1,
                                   description="Ceiling of the clone (x healthy mass):",
                                   style=_STYLE, continuous_update=False,
                                   layout=w.Layout(width="560px")),
            "year": w.IntSlider(value=20, min=0, max=self.YEARS_MAX, step=1,
                                description="Years since the mutation:", style=_STYLE,
                                continuous_update=False, layout=w.Layout(width="560px")),
        }

    def _control_box(self):
        return w.VBox(list(self.controls.values()))

    def compute(self, values):
        c = values
        params = kit.ClonalParams(advantage_per_year=c["advantage"],
                                  ceiling_x_normal=float(c["ceiling"]))
        self._anchors = kit.tryptase_anchors()
        return kit.clonal_trajectory(params, year=c["year"], years_max=self.YEARS_MAX)

    def figure_for(self, result):
        return kit_figs.clonal_figure(result, self._anchors)

    def _describe(self, result):
        text = kit_figs.clonal_summary(result, self._anchors)
        if result.params.advantage_per_year == 0:
            text += " With no growth advantage the clone stays as small as it started."
        return _summary_html(text + " Illustrative parameters - not clinical facts.")


def clonal_app() -> ClonalApp:
    """Clonal expansion teaching model (``app.widget`` is the view)."""
    return ClonalApp()

"""Labels and reference lines are built from threshold rows, so a what-if rule set shows its numbers."""

import mastolib as ml
from mastolib.engine._logic import SYMBOLS


def _trace_names(fig):
    return [t.name for t in fig.data]


def test_hat_explorer_shows_the_thresholds_of_its_rule_set():
    default = ml.hat_explorer_app(32, 1)
    assert "WHO minor: > 20" in _trace_names(default.figure)
    assert "WHO B1 arm: ≥ 200" in _trace_names(default.figure)
    rs = ml.get_ruleset("who2022").with_thresholds(minor_tryptase=25,
                                                   b1_tryptase_who=(">", 150))
    app = ml.hat_explorer_app(32, 1, ruleset=rs)
    names = _trace_names(app.figure)
    assert "WHO minor: > 25" in names and "WHO B1 arm: > 150" in names
    assert "WHO minor: > 20" not in names
    line = next(t for t in app.figure.data if t.name == "WHO minor: > 25")
    assert list(line.y) == [25, 25]
    assert "BST &gt; 25 ng/mL" in app._table.value and "BST &gt; 150 ng/mL" in app._table.value
    assert "(> 25 ng/mL, adjusted)" in app.result.explanation
    # the needed-measured line follows the new cut-off too: 25 × (1 + n)
    needed = next(t for t in app.figure.data if t.name.startswith("Measured BST needed"))
    assert list(needed.y)[:2] == [25, 50]
    # changing a control keeps the rule set
    app.controls["bst"].value = "60"
    assert app.result.check("minor_tryptase").value == 25


def test_cut_off_labels_come_from_the_threshold_rows():
    rows = {r["threshold_id"]: r for r in ml.load_records("thresholds")}
    fig = ml.tryptase_ruler_figure()
    for tid, name in (("minor_tryptase", "WHO minor"), ("b1_tryptase_who", "WHO B1 arm")):
        label = f"{name}: {SYMBOLS[rows[tid]['operator']]} {rows[tid]['value']:g}"
        assert label in _trace_names(fig)


def test_hat_reference_frame_header_is_built_from_the_minor_threshold():
    row = {r["threshold_id"]: r for r in ml.load_records("thresholds")}["minor_tryptase"]
    frame = ml.hat_reference_frame()
    header = f"measured BST needed for {SYMBOLS[row['operator']]} {row['value']:g} adjusted"
    assert header in frame.columns

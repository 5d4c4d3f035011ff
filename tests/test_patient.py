"""Take-home tools of the patient track (mastolib/course/_patient.py, _patient_apps.py,
_printables.py) and the plain-language notebooks 10-11 (glossary links, no code-like output)."""

import json
import re
from pathlib import Path

import pytest

import mastolib as ml
from mastolib.course import _patient as P
from mastolib.course._printables import printable_html
from mastolib.tables._data import load_records

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATIENT_TRACK = ("10_living_with_mastocytosis", "11_children_and_parents")


# --- printable_html -------------------------------------------------------------------------


def test_printable_is_a_standalone_a4_document_with_the_notice():
    page = printable_html("My plan", [("Steps", "<ol><li>one</li></ol>")], subtitle="sub",
                          footer="Keep it")
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>")
    assert "@page { size: A4" in page and "@media print" in page
    assert "not for clinical decisions" in page and "Keep it" in page
    assert "<h2>Steps</h2><ol><li>one</li></ol>" in page


def test_printable_escapes_titles():
    page = printable_html("<b>x</b>", [("<i>h</i>", "")])
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "&lt;i&gt;h&lt;/i&gt;" in page


@pytest.mark.parametrize("title, sections, field", [
    ("", [], "title"),
    ("T", [("only heading",)], "sections"),
    ("T", [("h", 3)], "sections"),
])
def test_printable_bad_input_names_the_field(title, sections, field):
    with pytest.raises(ValueError, match=field):
        printable_html(title, sections)


# --- the tools --------------------------------------------------------------------------------


def test_avoidance_plan_reads_triggers_and_their_plans_from_the_table():
    doc = ml.take_home("triggers", triggers=["insect_sting", "alcohol"], other="hot baths")
    care = {r["item_id"]: r for r in load_records("triggers_care")}
    assert care["insect_sting"]["what_to_do"] in doc.summary
    assert "hot baths" in doc.summary
    expected_plans = [p for p in care["insect_sting"]["plan_ids"].split(";")]
    assert doc.data["plans"][:len(expected_plans)] == expected_plans
    assert "clevelandclinic_mastocytosis_page" in doc.html  # sources listed


def test_only_described_triggers_are_offered():
    ids = [tid for _label, tid in P.trigger_choices()]
    described = {r["item_id"] for r in load_records("triggers_care") if r["status"] == "described"}
    assert ids and set(ids) <= described
    # infections became a described trigger (castells2011_peds_cm, Table 3; issue 17)
    assert "insect_sting" in ids and "infections" in ids


@pytest.mark.parametrize("tool, values, label", [
    ("triggers", {"triggers": ["chocolate"]}, "My triggers"),
    ("triggers", {}, "My triggers"),
    ("triggers", {"triggers": ["alcohol"], "name": "x" * 61}, "Your name"),
    ("emergency", {"emergency_number": "call mum"}, "Emergency phone number"),
    ("emergency", {"contact_phone": "12ab"}, "Contact's phone"),
    ("anaesthesia", {"care_team_phone": "phone"}, "Care team phone"),
    ("bracelet", {"medicines_to_avoid": "supercalifragilisticexpialidocious"},
     "Medicines to avoid"),
    ("bracelet", {"line_chars": 5}, "Characters per line"),
    ("bracelet", {"medicines_to_avoid": "aaa bbb ccc ddd eee fff ggg hhh iii jjj kkk lll mmm "
                                        "nnn ooo ppp qqq"}, "Medicines to avoid"),
    ("questions", {"question_ids": ["how_tall"]}, "Questions"),
    ("questions", {}, "Questions"),
    ("poster", {}, "Tool"),
])
def test_bad_input_is_a_value_error_naming_the_field(tool, values, label):
    with pytest.raises(ValueError, match=re.escape(label)):
        ml.take_home(tool, **values)


def test_emergency_plan_has_when_how_and_what_to_tell_the_crew():
    doc = ml.take_home("emergency", name="Ana", emergency_number="112")
    headings = [h for h, _ in doc.sections]
    assert any(h.startswith("When") for h in headings)
    assert "What to do" in headings and "What to tell the ambulance crew" in headings
    for row in load_records("patient_advice"):
        if row["tool"] in ("emergency_signs", "emergency_steps", "tell_crew"):
            assert row["text"].replace('"', "&quot;")[:30] in doc.html or row["text"][:30] in \
                doc.summary
    assert "112" in doc.summary and "Ana" in doc.summary


def test_empty_fields_print_as_lines_to_fill_in():
    doc = ml.take_home("anaesthesia")
    assert doc.html.count("class='line'") >= 4


def test_bracelet_lines_fit_the_chosen_width():
    doc = ml.take_home("bracelet", medicines_to_avoid="some anaesthetics",
                       contact_phone="+44 20 7946 0000", line_chars=20)
    assert doc.data["lines"][0] == "MASTOCYTOSIS"
    assert all(len(line) <= 20 for line in doc.data["lines"])
    assert any(line.startswith("Avoid:") for line in doc.data["lines"])


def test_questions_for_a_child_add_the_children_topic():
    doc = ml.take_home("questions", question_ids=["type"], for_child=True)
    children = [r["question_id"] for r in load_records("doctor_questions")
                if r["topic"] == "children"]
    assert set(children) <= set(doc.data["questions"])
    assert "family member or friend" in doc.summary


# --- the diary ------------------------------------------------------------------------------


def _entry(**kw):
    values = {"date": "2026-03-14", "time_of_day": "9:05", "symptoms": ["flushing", "itch"],
              "severity": "moderate", "duration_min": "20", "trigger": "alcohol"}
    values.update(kw)
    return P.diary_entry(**values)


def test_diary_entry_normalises_values():
    entry = _entry()
    assert entry["time"] == "09:05" and entry["duration_min"] == 20.0


@pytest.mark.parametrize("field, value, label", [
    ("date", "14/03/2026", "Date"),
    ("date", "2026-02-30", "Date"),
    ("time_of_day", "25:00", "Time"),
    ("symptoms", [], "Symptoms"),
    ("symptoms", ["sneezing"], "Symptoms"),
    ("severity", "awful", "How bad"),
    ("duration_min", "ten", "How long (minutes)"),
    ("duration_min", "-5", "How long (minutes)"),
    ("trigger", "moon", "Possible trigger"),
])
def test_diary_bad_input_names_the_field(field, value, label):
    with pytest.raises(ValueError, match=re.escape(label)):
        _entry(**{field: value})


def test_diary_entries_survive_a_restart_and_a_second_store(tmp_path):
    path = tmp_path / "diary.json"
    first, second = P.DiaryStore(path), P.DiaryStore(path)
    assert first.add(_entry()) and second.add(_entry(date="2026-03-15"))
    assert first.add(_entry(date="2026-03-16"))
    reopened = P.DiaryStore(path)
    assert [e["date"] for e in reopened.entries] == ["2026-03-14", "2026-03-15", "2026-03-16"]


def test_unreadable_diary_is_moved_aside_not_deleted(tmp_path):
    path = tmp_path / "diary.json"
    path.write_text("{not json", encoding="utf-8")
    store = P.DiaryStore(path)
    assert store.entries == [] and "moved to" in store.message
    assert list(tmp_path.glob("diary.json.corrupt-*"))


def test_diary_summary_counts_episodes():
    entries = [_entry(), _entry(date="2026-03-20", severity="severe", adrenaline_used=True,
                                symptoms=["breath"])]
    doc = ml.take_home("diary", entries=entries, name="Ana")
    assert doc.data == {"episodes": 2, "severe": 1, "adrenaline": 1}
    assert "2026-03-14 to 2026-03-20" in doc.summary


def test_diary_summary_lists_at_most_max_rows():
    entries = [_entry(date=f"2026-01-{d:02d}") for d in range(1, 31)]
    doc = P.diary_summary(entries)
    assert doc.html.count("<tr><td>2026-01-") == 15 and "15 earlier episodes" in doc.html


# --- the apps (no browser) ------------------------------------------------------------------


def test_app_shows_bad_input_as_a_message_not_a_traceback():
    app = ml.take_home_app("emergency")
    assert app.result is not None and app.message == ""
    app.controls["contact_phone"].value = "call me"
    assert "Contact's phone" in app.message and "role='alert'" in app._message.value
    app.controls["contact_phone"].value = "0123 456"
    assert app.message == "" and "0123 456" in app.result.summary


def test_triggers_app_recomputes_on_change():
    app = ml.take_home_app("triggers", triggers=["alcohol"])
    app.controls["triggers"].value = ("insect_sting",)
    assert app.result.data["triggers"] == ["insect_sting"]


def test_diary_app_adds_entries_to_the_file(tmp_path):
    store = P.DiaryStore(tmp_path / "d.json")
    from mastolib.apps._patient import TakeHomeApp

    app = TakeHomeApp("diary", store=store)
    app.controls["date"].value = "2026-04-01"
    app.controls["symptoms"].value = ("itch",)
    app._add.click()
    assert "Saved" in app.message and app.result.data["episodes"] == 1
    app.controls["duration_min"].value = "lots"
    app._add.click()
    assert "How long (minutes)" in app.message
    assert len(P.DiaryStore(tmp_path / "d.json").entries) == 1


# --- the handout ----------------------------------------------------------------------------


def test_handout_is_built_from_the_tables():
    doc = ml.patient_handout()
    facts = {r["fact_id"]: r["fact"] for r in load_records("seed_facts")}
    for ids in P.HANDOUT_FACTS.values():
        for fid in ids:
            assert facts[fid].replace("'", "&#x27;") in doc.html
    assert "not for clinical decisions" in doc.html


# --- notebooks 10 and 11: glossary links and no code-like output ----------------------------


def _cells(stem):
    return json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]


def _src(cell):
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


@pytest.mark.parametrize("stem", PATIENT_TRACK)
def test_every_glossary_term_is_linked_at_its_first_use(stem):
    cells = [c for c in _cells(stem) if c["cell_type"] == "markdown"
             and "glossary" not in c["metadata"].get("tags", [])]
    prose = "\n".join(line for c in cells for line in _src(c).splitlines()
                      if not line.lstrip().startswith("#"))
    anchors = {P.glossary_anchor(t): t for t in P.glossary_terms()}
    links = [(m.start(), m.end(), anchors.get(m.group(2))) for m in
             re.finditer(r"\[([^\]]+)\]\(#([^)\s]+)\)", prose)]
    unknown = [prose[s:e] for s, e, t in links if t is None]
    assert not unknown, f"{stem}: links to no glossary heading: {unknown}"
    problems = []
    for tid, names in P.glossary_terms().items():
        hits = sorted(m.start() for name in names for m in P.term_pattern(name).finditer(prose))
        # a word inside another term's link (e.g. "mast cell" in a link to mast cell
        # leukaemia) is not its own first use
        hits = [h for h in hits if not any(s <= h < e and t != tid for s, e, t in links)]
        if not hits:
            continue
        first = hits[0]
        if not any(s <= first < e and t == tid for s, e, t in links):
            problems.append(f"{tid}: first use at …{prose[max(0, first - 30):first + 30]!r}…")
    assert not problems, f"{stem}: glossary words not linked at first use:\n" + "\n".join(problems)


@pytest.mark.parametrize("stem", PATIENT_TRACK)
def test_glossary_section_is_generated_from_the_glossary_table(stem):
    cells = _cells(stem)
    text = "\n".join(_src(c) for c in cells if c["cell_type"] == "markdown")
    anchors = {P.glossary_anchor(t): t for t in P.glossary_terms()}
    used = list(dict.fromkeys(anchors[a] for a in re.findall(r"\]\(#([^)\s]+)\)", text)
                              if a in anchors))
    glossary = [c for c in cells if "glossary" in c["metadata"].get("tags", [])]
    assert len(glossary) == 1
    assert _src(glossary[0]) == P.glossary_markdown(used).rstrip("\n"), (
        "the glossary cell drifted from data/glossary.csv: regenerate it with "
        "mastolib.course._patient.glossary_markdown")
    headings = re.findall(r"^#### (.+)$", _src(glossary[0]), re.M)
    assert [h.replace(" ", "-") for h in headings] == [P.glossary_anchor(t) for t in used]


@pytest.mark.parametrize("stem", PATIENT_TRACK)
def test_no_code_like_output_in_app_mode(stem):
    """Voila hides inputs; outputs must be HTML, widgets or Markdown, never printed text."""
    for cell in _cells(stem):
        if cell["cell_type"] != "code":
            continue
        source = _src(cell)
        assert "print(" not in source, source
        last = [ln for ln in source.splitlines() if ln.strip()][-1]
        assert re.match(r"ml\.(notice|quiz|take_home_app|show_references)\(|\s", last) or \
            last.startswith((" ", "import")), f"{stem}: last line may print a text repr: {last}"


def test_course_map_lists_the_patient_track():
    rows = {r["notebook"]: r for r in load_records("course_map")}
    for stem in PATIENT_TRACK:
        assert rows[stem]["status"] == "available"


def test_make_handouts_writes_the_patient_handout(tmp_path):
    from mastolib.course._export import write_patient_handout

    target = write_patient_handout(tmp_path / "handouts")
    assert target.name == "patient-handout.html"
    assert target.read_text(encoding="utf-8") == ml.patient_handout().html

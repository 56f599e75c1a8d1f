"""The local refiner as a proposal writer uses it (issue 13, reports): tone ("more formal" also on
plain text, "friendlier", "more confident"), audience ("for the CFO", "for engineers", "for the
board"), emphasis ("emphasise the ROI", "focus on risks") and length ("shorten to 120 words",
"expand"), each saying what it changed; an instruction it cannot apply is refused in plain words."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.engines import llm
from analysis.engines import text as text_engine
from reports import selectors, services
from reports.ai import REFINE_TASK, SectionContext, SectionRefinement, final_text
from reports.ai.markdown import parse_blocks
from tests.reports.conftest import b64, generate_body, key_headers, unb64, wait_for_job
from tests.reports.test_prose import figures, record_values, template_tells, write


@pytest.fixture
def demo(db: Any) -> SectionContext:
    opportunity = services.demo_records_seed()
    return selectors.section_context(
        customer_id=opportunity.customer.external_id, opportunity_id=opportunity.external_id
    )


def refine(
    original: str, prompt: str, ctx: SectionContext, title: str = "Executive Summary"
) -> SectionRefinement:
    result = llm.run(
        REFINE_TASK,
        {
            "report_type": "Feasibility_report",
            "section_title": title,
            "context": ctx.model_dump(mode="json"),
            "original_text": original,
            "prompt": prompt,
        },
        config=llm.LLMConfig(),
    )
    assert isinstance(result, SectionRefinement)
    return result


def lead(markdown: str) -> str:
    """The first block a reader meets under the title, past any gap notes."""
    blocks = [b for b in parse_blocks(markdown) if b.kind != "heading" and "**Gap:**" not in b.text]
    return blocks[0].text


def body_words(markdown: str) -> int:
    return text_engine.word_count(markdown.split("\n", 1)[1])


PLAIN = """## Executive Summary

Acme wants to replace manual route planning with an automated platform. We need to check the SAP \
interface and fix the data gaps before go-live, so the team will ask for two weeks of access. The \
new platform is a big step and should pay back in about 16 months.
"""

FORMAL = """## Note

We will commence the migration prior to the audit. Therefore, the customer is required to ensure \
that test access is available. It is not possible to utilise the legacy data.
"""

HEDGED = """## Note

We think the platform could potentially cut planning time. Perhaps it will pay back in 16 months.
"""


# --- tone ----------------------------------------------------------------------------------------


def test_more_formal_rewrites_a_plain_paragraph_that_has_no_contractions(demo):
    # the issue: "more formal" was declined on a plain text
    result = refine(PLAIN, "make it more formal", demo)
    assert result.not_applied == []
    assert result.applied[0].startswith("made the wording more formal")
    assert "Acme intends to replace manual route planning" in result.markdown
    assert "We must verify the SAP interface and resolve the data gaps before go-live" in result.markdown
    assert "; therefore, the team will request two weeks of access" in result.markdown
    assert "a substantial step and should pay back in approximately 16 months" in result.markdown


def test_more_formal_applies_to_the_generated_executive_summary(demo):
    summary = write("Feasibility_report", "Executive Summary", demo)
    result = refine(summary, "more formal", demo)
    assert result.not_applied == []
    assert "Acme intends to replace manual route planning" in result.markdown
    assert "approximately 16 months" in result.markdown


def test_friendlier_uses_plain_words_and_contractions(demo):
    result = refine(FORMAL, "make it friendlier", demo)
    assert result.not_applied == []
    assert "We'll start the migration before the audit." in result.markdown
    assert "So the customer needs to make sure that test access is available." in result.markdown
    assert "It's not possible to use the legacy data." in result.markdown


def test_more_confident_states_points_without_hedging(demo):
    result = refine(HEDGED, "sound more confident", demo)
    assert "The platform can cut planning time. It will pay back in 16 months." in result.markdown
    assert "removed three hedges" in result.applied[0]


# --- audience and emphasis -----------------------------------------------------------------------


def test_emphasise_the_roi_for_the_cfo_is_understood(demo):
    # the issue: 'a free-form instruction ("Emphasise the ROI for the CFO") is "not an instruction
    # the local engine understands"'
    summary = write("Feasibility_report", "Executive Summary", demo)
    result = refine(summary, "Emphasise the ROI for the CFO", demo)
    assert result.not_applied == []
    assert any("for the CFO" in item for item in result.applied)
    assert any("return on investment" in item for item in result.applied)
    # then the reader meets the return first, with the record's figures and how they combine
    first = lead(result.markdown)
    assert "119%" in first and "$570,000" in first and "net benefit ÷ cost" in first
    # and the cost a CFO looks for next comes before the goals and the solution
    order = [
        result.markdown.index(marker)
        for marker in (
            "**Return on investment.**",
            "**Cost and timeline.**",
            "**Goals.**",
            "**The proposal.**",
        )
    ]
    assert order == sorted(order)
    # and no figure is there that the record does not hold or the text does not derive
    allowed = record_values(demo) | {v for _, v in figures(summary)} | {1050000.0, 570000.0, 119.0, 3.0}
    assert [w for w, v in figures(result.markdown.split("---")[0]) if v not in allowed] == []


def test_for_engineers_the_solution_and_its_integrations_come_first(demo):
    summary = write("Feasibility_report", "Executive Summary", demo)
    result = refine(summary, "rewrite it for engineers", demo)
    assert result.not_applied == []
    first = lead(result.markdown)
    assert "Django" in first and "SAP ERP" in first and "REST API" in first
    assert result.applied[0].startswith("tailored for engineers")


def test_for_the_board_the_verdict_and_the_goals_come_first(demo):
    summary = write("Feasibility_report", "Executive Summary", demo)
    result = refine(summary, "make this suitable for the board", demo)
    assert result.not_applied == []
    assert lead(result.markdown).startswith("**Verdict: feasible with conditions.**")
    assert result.markdown.index("**Verdict") < result.markdown.index("**Goals.**")


def test_focus_on_risks_leads_with_the_risks(demo):
    summary = write("Feasibility_report", "Executive Summary", demo)
    result = refine(summary, "focus on risks", demo)
    assert result.not_applied == []
    assert "SAP team availability may delay the integration" in lead(result.markdown)
    assert "risks" in result.applied[0]


def test_emphasis_on_something_the_section_lacks_adds_it_from_the_record(demo):
    # the stakeholder table says nothing on the timeline; the record does
    stakeholders = write("Feasibility_report", "Stakeholder Analysis", demo)
    result = refine(stakeholders, "emphasise the timeline", demo, title="Stakeholder Analysis")
    assert result.not_applied == []
    assert "31 August 2026" in lead(result.markdown)
    assert "added" in result.applied[0]


def test_play_down_moves_the_subject_to_the_end(demo):
    summary = write("Feasibility_report", "Executive Summary", demo)
    result = refine(summary, "play down the risks", demo)
    assert result.applied == ["played down the risks: moved the passages about the risks to the end"]
    assert result.markdown.rstrip().split("\n\n")[-1].startswith("**Main risks.**")


def test_a_reader_neither_the_section_nor_the_record_serves_is_refused_plainly():
    # given a section for a customer nobody recorded: no money, no return, no risks
    unknown = SectionContext.model_validate(
        {"customer": {"customer_id": "CUST-NOBODY"}, "opportunity": {"opportunity_id": "OPP-NONE"}}
    )
    summary = write("Feasibility_report", "Executive Summary", unknown)
    result = refine(summary, "Emphasise the ROI for the CFO", unknown)
    # then nothing is reordered or invented, and both halves say why
    assert result.applied == []
    assert result.not_applied == [
        '"Emphasise the ROI for the CFO": not applied: neither the section nor the record has a passage on '
        "what the CFO needs first (the return on investment, the cost and budget, the payback, the benefits "
        "and the risks)",
        '"Emphasise the ROI": the section does not cover the return on investment and the record holds '
        "nothing on it",
    ]
    assert result.markdown == summary


# --- length -------------------------------------------------------------------------------------


def test_shorten_to_a_word_count_meets_it_and_says_by_how_much(demo):
    summary = write("Feasibility_report", "Executive Summary", demo)
    result = refine(summary, "shorten to 120 words", demo)
    assert body_words(result.markdown) <= 120 < body_words(summary)
    assert result.applied[0].startswith(f"shortened from {body_words(summary)} to ")
    assert template_tells(result.markdown) == []


def test_expand_adds_the_records_facts_as_sentences(demo):
    section = write("Feasibility_report", "Project Overview", demo)
    result = refine(section, "expand", demo, title="Project Overview")
    added = result.markdown[len(section.rstrip()) :]
    # the record's facts, framed as sentences of a paragraph, not a tagged list
    assert "### Further detail" not in added and "_(from the" not in added and "\n- " not in added
    assert "Acme Logistics runs 40 depots across the Midwest and moves freight for retailers." in added
    assert "Sam Lee is the dispatch manager." in added
    assert result.applied[0].startswith("expanded with five facts from the record")
    assert template_tells(result.markdown) == []


# --- what it changed, and what it could not do ----------------------------------------------------


def test_the_refined_text_states_what_changed(demo):
    text = final_text(refine(PLAIN, "more formal, then shorten it slightly", demo))
    note = text.split("---")[-1]
    assert "> **Refinement note:** changed:" in note
    assert "made the wording more formal" in note and "shortened from" in note
    assert "could not apply" not in note


def test_refining_a_refined_section_leaves_the_old_note_out(demo):
    once = final_text(refine(PLAIN, "more formal", demo))
    twice = final_text(refine(once, "make it friendlier", demo))
    # the earlier note is not carried along as text, and the new note lists only the new change
    assert twice.count("**Refinement note:**") == 1
    assert "made the wording friendlier" in twice and "more formal" not in twice


def test_an_instruction_it_cannot_apply_is_refused_plainly(demo):
    result = refine(PLAIN, "make it rhyme", demo)
    assert len(result.not_applied) == 1
    refusal = result.not_applied[0]
    assert "not an instruction the local engine understands" not in refusal
    assert refusal.startswith('"make it rhyme": not applied')
    assert "tone, audience, emphasis, length" in refusal
    unknown_reader = refine(PLAIN, "rewrite it for the marketing team", demo)
    assert unknown_reader.not_applied == [
        '"rewrite it for the marketing team": not applied: the local engine knows what the CFO, '
        "the board, engineers, the customer, procurement and non-technical readers need first, "
        "but not the marketing team"
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker")
def test_the_refine_route_applies_emphasis_for_an_audience_and_says_what_changed(api, api_key):
    # given the demo records and a generated executive summary
    services.demo_records_seed()
    start = api.post(
        "/generate", generate_body(section_title="Executive Summary"), format="json", **key_headers(api_key)
    )
    original = unb64(
        wait_for_job(api, start.json()["data"]["job_id"], api_key)["data"]["result"]["generated_section_b64"]
    )
    # when the frontend asks for the CFO's version
    body = {
        **generate_body(section_title="Executive Summary"),
        "original_text": b64(original),
        "prompt": "Emphasise the ROI for the CFO",
    }
    accepted = api.post("/refine", body, format="json", **key_headers(api_key))
    done = wait_for_job(api, accepted.json()["data"]["job_id"], api_key)
    refined = unb64(done["data"]["result"]["refined_section_b64"])
    # then the return leads, and the note says what changed and refuses nothing
    assert "119%" in lead(refined)
    assert "> **Refinement note:** changed:" in refined
    assert "could not apply" not in refined

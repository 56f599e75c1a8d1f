"""The section tasks themselves: the local writer for every allowed title, the local refiner's
instruction set, and the openai provider against a loopback OpenAI-compatible server."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from analysis.engines import llm
from reports.ai import REFINE_TASK, WRITE_TASK, SectionContext, SectionRefinement, final_text
from reports.ai.refiner import split_instructions
from reports.catalog import SECTION_TITLES
from tests.engines.llm_server import FakeLLMServer, Reply
from tests.reports.conftest import ACME_OPPORTUNITY

ALL_TITLES = [(t.value, title) for t, titles in SECTION_TITLES.items() for title in titles]


def lines(value: str) -> list[str]:
    return [line.strip().lstrip("- ") for line in value.splitlines() if line.strip()]


def acme_context(**opportunity_overrides: Any) -> SectionContext:
    o = {k: v for k, v in ACME_OPPORTUNITY.items() if k not in {"external_id", "stage"}}
    for key, value in list(o.items()):
        if (
            isinstance(value, str)
            and "\n" in value
            or key
            in {
                "objectives",
                "requirements",
                "technologies",
                "integrations",
                "compliance",
                "stakeholders",
                "resources",
                "deliverables",
                "exclusions",
                "risks",
                "assumptions",
                "dependencies",
                "alternatives",
                "benefits",
            }
        ):
            o[key] = lines(value)
        elif hasattr(value, "as_tuple"):
            o[key] = float(value)
    o.update(opportunity_overrides)
    return SectionContext.model_validate(
        {
            "customer": {
                "customer_id": "CUST-ACME",
                "found": True,
                "name": "Acme Logistics",
                "industry": "Logistics",
                "region": "US Midwest",
                "employee_count": 1200,
                "annual_revenue": 250_000_000,
                "description": "Acme Logistics runs 40 depots across the Midwest and moves freight for retailers.",
                "current_state": "Dispatchers plan routes in spreadsheets, which is slow and error-prone. "
                "The legacy TMS has outages every month.",
            },
            "opportunity": {"opportunity_id": "OPP-7", "found": True, "stage": "proposal", **o},
        }
    )


EMPTY = SectionContext.model_validate(
    {"customer": {"customer_id": "C-404"}, "opportunity": {"opportunity_id": "O-404"}}
)
LOCAL = llm.LLMConfig()


def write(report_type: str, title: str, ctx: SectionContext) -> Any:
    return llm.run(
        WRITE_TASK,
        {"report_type": report_type, "section_title": title, "context": ctx.model_dump(mode="json")},
        config=LOCAL,
    )


def refine(
    original: str, prompt: str, ctx: SectionContext | None = None, title: str = "Executive Summary"
) -> SectionRefinement:
    inputs = {
        "report_type": "Feasibility_report",
        "section_title": title,
        "context": (ctx or acme_context()).model_dump(mode="json"),
        "original_text": original,
        "prompt": prompt,
    }
    result = llm.run(REFINE_TASK, inputs, config=LOCAL)
    assert isinstance(result, SectionRefinement)
    return result


# --- writing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("report_type", "title"), ALL_TITLES)
def test_every_allowed_title_gets_a_real_deterministic_section_from_the_record(report_type, title):
    first = write(report_type, title, acme_context())
    second = write(report_type, title, acme_context())
    assert first == second
    assert first.engine == "local"
    assert first.markdown.startswith(f"## {title}\n")
    # the body is more than a heading and speaks of this record
    body = first.markdown.split("\n", 1)[1]
    assert len(body.split()) >= 12
    assert "{" not in body  # no unfilled template


@pytest.mark.parametrize(("report_type", "title"), ALL_TITLES)
def test_every_title_marks_what_an_unknown_pair_does_not_say(report_type, title):
    draft = write(report_type, title, EMPTY)
    assert "> **Gap:** No customer record for `C-404`" in draft.markdown
    assert draft.gaps and all(gap in draft.markdown for gap in draft.gaps)


def test_sections_differ_with_the_record():
    # the same title for two different deals says different things
    base = write("Feasibility_report", "Cost-Benefit Analysis", acme_context()).markdown
    cheaper = write(
        "Feasibility_report", "Cost-Benefit Analysis", acme_context(estimated_cost=300000.0)
    ).markdown
    assert base != cheaper
    assert "$30,000 over" in base and "$150,000 to spare" in cheaper


def test_risk_assessment_is_a_rated_table_of_recorded_and_implied_risks():
    markdown = write("Feasibility_report", "Risk Assessment", acme_context()).markdown
    assert "| # | Risk | Likelihood | Impact | Rating | Mitigation |" in markdown
    # the record's own risk keeps its stated mitigation
    assert (
        "| 1 | SAP team availability may delay the integration | High | High | High | Book SAP team time at kickoff |"
        in markdown
    )
    # risks the numbers imply: over budget, tight slack, compliance
    assert "Estimated cost exceeds the budget by 7%" in markdown
    assert "Only two weeks of slack remain before the target date" in markdown
    assert "The solution must meet GDPR and SOC 2 obligations" in markdown
    # and the figures of derived risks say how they were worked out
    assert "$30,000 over a $450,000 budget" in markdown
    # a risk without a mitigation gets one by pattern
    assert "Dispatchers may resist the new tool | Medium | Medium | Medium | Involve pilot users" in markdown


def test_implementation_timeline_is_a_dated_phased_plan():
    markdown = write("Technical_scope", "Implementation Timeline", acme_context()).markdown
    assert "| Discovery & design | 4 | 2025-03-03 to 2025-03-30 |" in markdown
    assert "| Build | 10 | 2025-03-31 to 2025-06-08 |" in markdown
    assert "Integrate and test SAP ERP" in markdown
    assert "Training for 30 dispatchers" in markdown.split("| Deployment & hypercare")[1]
    assert "Those dates are 26 weeks apart, which leaves two weeks of slack (26 − 24)." in markdown


def test_a_plan_that_does_not_fit_the_window_says_so():
    markdown = write("Feasibility_report", "Timeline Feasibility", acme_context(duration_weeks=30)).markdown
    assert (
        "**Verdict: not feasible** as planned: the estimate is four weeks longer than the window." in markdown
    )


def test_cost_benefit_analysis_computes_return_and_payback():
    markdown = write("Feasibility_report", "Cost-Benefit Analysis", acme_context()).markdown
    assert "The estimated cost is $480,000." in markdown
    assert "| Net benefit | $570,000 | $1,050,000 − $480,000 |" in markdown
    assert "| Return on investment | 119% | net benefit ÷ cost |" in markdown
    assert "| Payback | 16 months | $480,000 ÷ ($350,000 ÷ 12 months) |" in markdown
    assert (
        "- Save $300k per year in dispatcher overtime."
        in markdown.split("Benefits the record quantifies:")[1]
    )
    assert "Fewer customer complaints" in markdown.split("Benefits it does not quantify:")[1]


def test_stakeholder_analysis_reads_influence_from_roles():
    markdown = write("Feasibility_report", "Stakeholder Analysis", acme_context()).markdown
    assert "| Dana Ruiz | COO and executive sponsor | High | High | Manage closely |" in markdown
    assert "| Tom | driver representative | Low | Medium | Monitor |" in markdown


def test_requirements_get_priorities_and_coverage():
    markdown = write("Technical_scope", "Requirements Overview", acme_context()).markdown
    assert (
        "| R-01 | Dispatchers must plan routes automatically from orders | Must | Functional | Addressed |"
        in markdown
    )
    assert "| R-05 | Could offer a driver mobile app | Could | Functional | Not addressed |" in markdown
    assert (
        "| R-06 | Personal data must be encrypted at rest | Must | Non-functional | Addressed |" in markdown
    )


def test_payment_terms_that_do_not_add_up_are_flagged_and_missing_ones_proposed():
    flagged = write(
        "Commercial_proposal",
        "Payment Terms",
        acme_context(payment_terms="30% on signature and 40% at go-live."),
    ).markdown
    assert "> **Gap:** The instalments stated add up to 70%, not 100%." in flagged
    proposed = write("Commercial_proposal", "Payment Terms", acme_context(payment_terms="")).markdown
    assert "> **Gap:** No payment terms are recorded." in proposed
    assert "| Delivery of the dispatch platform | to be agreed |" in proposed
    stated = write("Commercial_proposal", "Payment Terms", acme_context()).markdown
    assert (
        "| On signature | 30% | $144,000 |" in stated
        and "_Each amount is its share of the $480,000 price._" in stated
    )


def test_missing_money_and_dates_are_marked_not_invented():
    ctx = acme_context(
        estimated_cost=None, budget_amount=None, start_on=None, target_on=None, duration_weeks=None
    )
    pricing = write("Commercial_proposal", "Pricing", ctx).markdown
    assert "> **Gap:** No price or cost estimate is recorded." in pricing
    assert "$" not in pricing
    timeline = write("Technical_scope", "Implementation Timeline", ctx).markdown
    assert "> **Gap:** No start date: phases cannot be dated." in timeline
    summary = write("Feasibility_report", "Executive Summary", ctx).markdown
    assert "**Verdict: cannot be confirmed from the record.**" in summary


def test_the_writer_accepts_dates_as_the_context_serialises_them():
    ctx = acme_context(start_on=date(2026, 1, 5))
    assert "2026-01-05" in write("Commercial_proposal", "Timeline", ctx).markdown


# --- refining -----------------------------------------------------------------------------------

SECTION = """## Executive Summary

We think the project is really a big opportunity for Acme Logistics! It's gonna cut planning time by 50% and we'll save $300k a year.

The budget is $450,000 and the estimate is $480,000. Perhaps the SAP integration is the hardest part. Training covers 30 dispatchers.

- Risks include SAP availability
- Pricing is fixed
- Go-live is planned for September

| Item | Value |
|---|---|
| Budget | $450,000 |
| Pricing | fixed |
"""


def test_prompts_split_into_instructions():
    assert split_instructions(
        "Shorten it and make it more formal; add a risk table, then remove pricing."
    ) == [
        "Shorten it",
        "make it more formal",
        "add a risk table",
        "remove pricing",
    ]


def test_shorten_keeps_the_key_sentences_and_tables():
    result = refine(SECTION, "shorten it by half")
    assert len(result.markdown.split()) < len(SECTION.split())
    assert "| Budget | $450,000 |" in result.markdown
    assert result.applied and not result.not_applied


def test_a_word_limit_is_met_or_explained():
    met = refine(SECTION, "limit it to 60 words")
    assert "shortened from" in met.applied[0] and "target 60 words" in met.applied[0]
    tight = refine(SECTION, "keep it under 5 words")
    assert any("not 5" in item for item in tight.not_applied)


def test_more_formal_expands_contractions_and_drops_informal_words():
    result = refine(SECTION, "make it more formal")
    text = result.markdown
    assert "It is going to cut" in text and "we will save" in text
    assert "!" not in text and "really" not in text and "gonna" not in text
    assert "We consider that the project is a substantial opportunity" in text


def test_less_formal_and_plain_english_use_plain_words():
    casual = refine(
        "## Note\n\nWe will utilise the portal in order to commence training. We do not expect delays.\n",
        "make it less formal",
    )
    assert "We'll use the portal to start training. We don't expect delays." in casual.markdown
    plain = refine(
        "## Note\n\nWe will utilise the portal in order to commence training.\n", "use plain English"
    )
    assert "We will use the portal to start training." in plain.markdown


def test_more_confident_removes_hedges():
    result = refine(SECTION, "sound more confident")
    assert "Perhaps" not in result.markdown and "We think" not in result.markdown
    assert "The SAP integration is the hardest part" in result.markdown


def test_bullets_numbered_and_paragraphs_change_the_layout():
    bulleted = refine(SECTION, "use bullet points")
    assert "- The budget is $450,000 and the estimate is $480,000." in bulleted.markdown
    numbered = refine(SECTION, "make it a numbered list")
    assert "1. Risks include SAP availability" in numbered.markdown
    prose = refine(SECTION, "turn the bullets into paragraphs")
    assert (
        "Risks include SAP availability. Pricing is fixed. Go-live is planned for September."
        in prose.markdown
    )


def test_add_a_known_topic_builds_it_from_the_record():
    result = refine(SECTION, "add a risk table")
    assert "### Risk" in result.markdown
    assert "| 1 | SAP team availability may delay the integration |" in result.markdown


def test_add_an_unknown_topic_says_the_record_has_nothing_on_it():
    result = refine(SECTION, "add a paragraph about blockchain")
    assert result.not_applied == [
        '"add a paragraph about blockchain": the customer and opportunity record says nothing about blockchain'
    ]
    assert "blockchain" not in result.markdown.lower()


def test_add_a_topic_the_record_mentions_quotes_the_record():
    result = refine(SECTION, "mention the telematics provider")
    assert "Telematics provider: receive GPS positions in real time via webhooks" in result.markdown


def test_remove_a_topic_drops_every_passage_about_it():
    result = refine(SECTION, "remove pricing")
    assert "Pricing is fixed" not in result.markdown
    assert "| Pricing | fixed |" not in result.markdown
    assert "| Budget | $450,000 |" in result.markdown
    missing = refine(SECTION, "remove the unicorns")
    assert missing.not_applied == ['"remove the unicorns": found no mention of unicorns in the section']


def test_replace_swaps_whole_words():
    result = refine(SECTION, 'replace "Acme Logistics" with "ACME Corp"')
    assert "ACME Corp" in result.markdown and "Acme Logistics" not in result.markdown


def test_expand_adds_facts_the_section_does_not_state_yet():
    result = refine(SECTION, "expand on this with more detail")
    assert result.applied[0].startswith("expanded with") and not result.not_applied
    plain = refine(SECTION, "expand")
    added = plain.markdown[len(SECTION.rstrip()) :]
    assert "The project is also expected to save $300k per year in dispatcher overtime." not in SECTION
    assert added.strip() and "### Further detail" not in added


def test_expand_without_a_record_says_there_is_nothing_to_add():
    result = refine(SECTION, "expand", ctx=EMPTY)
    assert result.not_applied == [
        '"expand": the customer and opportunity record holds nothing further relevant to this section'
    ]


def test_summary_and_proofread():
    summary = refine(SECTION, "add a TL;DR")
    assert summary.markdown.split("\n\n")[1].startswith("**Summary:** ")
    proofread = refine("## Note\n\nthe the plan is  ready . we start in May.\n", "proofread it")
    assert "The plan is ready. We start in May." in proofread.markdown
    assert any("spelling and grammar are not checked" in item for item in proofread.not_applied)


def test_instructions_it_cannot_follow_are_stated_in_the_output():
    result = refine(SECTION, "Translate it into German and make it more persuasive; then sing it")
    text = final_text(result)
    assert text.startswith(SECTION.rstrip().split("\n")[0])
    assert "**Refinement note:** could not apply:" in text
    assert "translation is not supported" in text
    # "more persuasive" is applied: no hedging, and the benefits first
    assert "**Refinement note:** changed:" in text and "emphasised the benefits" in text
    assert '"sing it": not applied: the local engine can change a section\'s tone, audience' in text


def test_refinement_is_deterministic():
    assert refine(SECTION, "shorten it and make it more formal") == refine(
        SECTION, "shorten it and make it more formal"
    )


# --- the openai provider ------------------------------------------------------------------------


def openai_config(server: FakeLLMServer) -> llm.LLMConfig:
    return llm.LLMConfig(
        provider="openai",
        api_key="sk-test",
        base_url=server.base_url,
        model="test-model",
        max_retries=0,
        timeout_seconds=5,
    )


def test_the_openai_provider_writes_with_the_title_guidance_and_redacts_pii():
    ctx = acme_context(stakeholders=["Dana Ruiz: COO, dana.ruiz@acme.example, +1 415 555 0123"])
    with FakeLLMServer() as server:
        server.script(
            Reply.json(
                {"markdown": "## Risk Assessment\n\n| Risk |\n|---|\n| SAP |\n", "gaps": ["budget owner"]}
            )
        )
        draft = llm.run(
            WRITE_TASK,
            {
                "report_type": "Feasibility_report",
                "section_title": "Risk Assessment",
                "context": ctx.model_dump(mode="json"),
            },
            config=openai_config(server),
        )
        sent = server.requests[0].body
    assert draft.engine == "openai:test-model"
    assert draft.gaps == ["budget owner"]
    prompt = sent["messages"][1]["content"]
    assert "Section title: Risk Assessment" in prompt and "a risk table with likelihood" in prompt
    assert "dana.ruiz@acme.example" not in prompt and "555 0123" not in prompt
    schema = sent["response_format"]["json_schema"]
    assert schema["strict"] is True and set(schema["schema"]["required"]) == {"markdown", "gaps"}


def test_the_openai_provider_takes_any_prompt_and_its_refusals_are_stated():
    with FakeLLMServer() as server:
        server.script(
            Reply.json(
                {
                    "markdown": "## Résumé\n\nTexte.\n",
                    "applied": ["translated"],
                    "not_applied": ['"add the 2026 forecast": not in the context'],
                }
            )
        )
        result = llm.run(
            REFINE_TASK,
            {
                "report_type": "Feasibility_report",
                "section_title": "Executive Summary",
                "context": EMPTY.model_dump(mode="json"),
                "original_text": SECTION,
                "prompt": "Translate to French and add the 2026 forecast",
            },
            config=openai_config(server),
        )
        prompt = server.requests[0].body["messages"][1]["content"]
    assert "Translate to French and add the 2026 forecast" in prompt and "## Executive Summary" in prompt
    text = final_text(result)
    assert text.startswith("## Résumé") and '"add the 2026 forecast": not in the context' in text


def test_a_failing_provider_raises_ai_unavailable():
    with FakeLLMServer() as server:
        server.script(Reply.error(503))
        with pytest.raises(llm.AIUnavailable, match="HTTP 503"):
            llm.run(
                WRITE_TASK,
                {
                    "report_type": "Feasibility_report",
                    "section_title": "Appendix",
                    "context": EMPTY.model_dump(mode="json"),
                },
                config=openai_config(server),
            )

"""The OKR dashboard from the local engine (real analysis of the answers) and from the openai
provider (against an OpenAI-compatible server on loopback): one schema, traceable content."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from analysis.engines import llm, text
from review import ai as okr
from review.ai.schema import NOT_STATED, UNKNOWN, Dashboard
from tests.engines.llm_server import FakeLLMServer, Reply
from tests.review.okr_flow import ANSWER_SETS, answer_set

LOCAL = llm.LLMConfig(provider="local")
# Relative dates ("this year", "next year") are read against the day the analysis was asked for.
ASKED_ON = "2026-05-10"


def dashboard(answers: list[dict[str, Any]]) -> Dashboard:
    result = llm.run(okr.TASK_NAME, {"answers": answers, "reference_date": ASKED_ON}, config=LOCAL)
    assert isinstance(result, Dashboard)
    return result


@pytest.fixture(scope="module")
def specific() -> Dashboard:
    return dashboard(answer_set("saas_specific"))


@pytest.fixture(scope="module")
def vague() -> Dashboard:
    return dashboard(answer_set("bakery_vague"))


@pytest.fixture(scope="module")
def mixed() -> Dashboard:
    return dashboard(answer_set("marketplace_mixed"))


def answer_text(name: str, order: int) -> str:
    return next(a["answer"] for a in answer_set(name) if a["order"] == order)


# --- shape ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_every_example_set_gives_a_dashboard_in_the_design_shape(name: str) -> None:
    result = dashboard(answer_set(name)).model_dump()
    assert result["engine"] == "local"
    assert set(result) >= {
        "summary",
        "goal",
        "okr_draft",
        "blockers",
        "strengths",
        "recommendations",
        "scores",
    }
    assert set(result["scores"]) == {
        "clarity",
        "measurability",
        "alignment",
        "execution_readiness",
        "overall",
    }
    assert all(isinstance(v, int) and 0 <= v <= 100 for v in result["scores"].values())
    assert 1 <= len(result["okr_draft"]) <= 3
    for objective in result["okr_draft"]:
        assert 2 <= len(objective["key_results"]) <= 3
        assert not re.search(r"\d", objective["objective"]), "objectives carry no numbers"
        for kr in objective["key_results"]:
            assert set(kr) >= {"statement", "metric", "baseline", "target", "due", "quality"}
            assert set(kr["quality"]) == {"measurable", "time_bound", "outcome_oriented", "score"}
    for blocker in result["blockers"]:
        assert blocker["category"] in {"people", "process", "technology", "market", "finance", "other"}
        assert blocker["severity"] in {"low", "medium", "high"}
    assert all(r["priority"] in {"high", "medium", "low"} for r in result["recommendations"])


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_the_local_engine_is_deterministic(name: str) -> None:
    assert dashboard(answer_set(name)) == dashboard(answer_set(name))


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_blockers_strengths_and_activities_quote_the_answer_they_come_from(name: str) -> None:
    result = dashboard(answer_set(name))
    quoted = [*result.blockers, *result.strengths, *result.flagged_activities]
    assert quoted
    for item in quoted:
        assert item.evidence.quote in answer_text(name, item.evidence.order)


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_scores_are_the_sum_of_their_traceable_reasons(name: str) -> None:
    result = dashboard(answer_set(name))
    for dimension in ("clarity", "measurability", "alignment", "execution_readiness"):
        points = sum(r.points for r in result.score_reasons if r.dimension == dimension)
        assert getattr(result.scores, dimension) == max(0, min(100, points))
    weighted = 0.3 * result.scores.clarity + 0.3 * result.scores.measurability
    weighted += 0.2 * result.scores.alignment + 0.2 * result.scores.execution_readiness
    assert result.scores.overall == round(weighted)
    assert result.goal.clarity == result.scores.clarity


# --- a specific plan --------------------------------------------------------------------------


def test_the_goal_is_extracted_in_the_founders_terms(specific: Dashboard) -> None:
    assert specific.goal.statement.startswith(
        "Grow monthly recurring revenue from $42k to $80k by the end of Q2 2026"
    )


def test_key_results_keep_the_founders_numbers(specific: Dashboard) -> None:
    key_results = {kr.metric: kr for o in specific.okr_draft for kr in o.key_results}
    assert (key_results["MRR"].baseline, key_results["MRR"].target) == ("$42k", "$80k")
    assert key_results["MRR"].due == "end of Q2 2026"
    assert (key_results["churn"].baseline, key_results["churn"].target) == (
        "4% per month",
        "below 2% per month",
    )
    assert (key_results["time to onboard"].baseline, key_results["time to onboard"].target) == (
        "3 weeks",
        "5 days",
    )
    contracts = key_results["customers on annual contracts"]
    assert (contracts.baseline, contracts.target) == ("4", "15")
    stated = {n.text for a in answer_set("saas_specific") for n in text.numbers(a["answer"])}
    for kr in key_results.values():
        for value in (kr.baseline, kr.target):
            assert value == UNKNOWN or any(number in value for number in stated), value


def test_key_results_are_outcomes_with_metric_baseline_target_and_date(specific: Dashboard) -> None:
    for objective in specific.okr_draft:
        for kr in objective.key_results:
            assert kr.quality.measurable and kr.quality.time_bound and kr.quality.outcome_oriented
            assert kr.evidence is not None and kr.evidence.quote in answer_text(
                "saas_specific", kr.evidence.order
            )


def test_quantified_problems_become_their_own_objective(specific: Dashboard) -> None:
    assert len(specific.okr_draft) == 2
    assert {kr.metric for kr in specific.okr_draft[1].key_results} == {"churn", "time to onboard"}


def test_blockers_are_categorized_and_the_worst_ranked_first(specific: Dashboard) -> None:
    assert specific.blockers[0].severity == "high"
    categories = {b.evidence.quote: b.category for b in specific.blockers}
    engineer = next(q for q in categories if "one backend engineer" in q)
    assert categories[engineer] == "people"


# --- a vague plan -----------------------------------------------------------------------------


def test_a_vague_plan_scores_far_below_a_specific_one(specific: Dashboard, vague: Dashboard) -> None:
    assert specific.scores.overall >= 80
    assert vague.scores.overall <= 30
    for dimension in ("clarity", "measurability", "alignment", "execution_readiness"):
        assert getattr(specific.scores, dimension) > getattr(vague.scores, dimension) + 25, dimension
    reasons = " ".join(r.reason for r in vague.score_reasons)
    assert "no number" in reasons and "Vague or hedging words" in reasons


def test_baselines_and_targets_are_never_invented(vague: Dashboard) -> None:
    for kr in [kr for o in vague.okr_draft for kr in o.key_results]:
        assert kr.baseline == UNKNOWN
        assert kr.target == NOT_STATED
        assert not kr.quality.measurable
    titles = [r.title for r in vague.recommendations]
    assert titles[0] == "Rewrite the goal as one sentence with a number and a date"
    assert any(t.startswith("Put a target on") for t in titles)


def test_a_tentative_date_is_kept_as_tentative(vague: Dashboard) -> None:
    # "Hopefully sometime next year", asked on 10 May 2026: the words, the day they mean, the hedge
    assert all(
        kr.due == "next year (31 December 2027, tentative)" for o in vague.okr_draft for kr in o.key_results
    )


def test_an_answer_set_without_any_metric_gets_marked_gaps_not_invented_metrics() -> None:
    answers = copy.deepcopy(answer_set("bakery_vague"))
    answers[3]["answer"] = "We'll know it when we see it."
    result = dashboard(answers)
    key_results = result.okr_draft[0].key_results
    assert len(key_results) == 2
    assert all(kr.metric == "not defined" and not kr.quality.outcome_oriented for kr in key_results)
    assert "Name the number that proves the goal is met" in [r.title for r in result.recommendations]


# --- activities -------------------------------------------------------------------------------


def test_activities_are_flagged_not_proposed_as_key_results(mixed: Dashboard) -> None:
    flagged = [a.text for a in mixed.flagged_activities]
    assert flagged == ["post on Instagram 5 times a week", "run two seller workshops every month"]
    statements = " ".join(kr.statement for o in mixed.okr_draft for kr in o.key_results).lower()
    assert "instagram" not in statements and "workshop" not in statements
    assert any(r.dimension == "measurability" and r.points < 0 for r in mixed.score_reasons)


def test_a_relative_target_keeps_the_unknown_baseline(mixed: Dashboard) -> None:
    sellers = mixed.okr_draft[0].key_results[0]
    assert sellers.statement == "Double active sellers this year"
    assert (sellers.baseline, sellers.target) == (UNKNOWN, "2× today's level")
    assert not sellers.quality.measurable  # doubling an unknown number cannot be checked yet


def test_the_goal_keeps_the_ambition_as_the_objective(mixed: Dashboard) -> None:
    assert mixed.okr_draft[0].objective == "Become the go-to place for artisans in Iran"


def test_questions_are_recognised_by_their_wording_not_only_their_position() -> None:
    # given the same answers under terse prompts, shuffled
    answers = answer_set("saas_specific")
    prompts = {
        1: "Your goal?",
        2: "What is blocking you?",
        3: "What works well?",
        4: "How do you measure success?",
        5: "Resources and timeline?",
    }
    reordered = [{**a, "order": 6 - a["order"], "prompt": prompts[a["order"]]} for a in answers]
    result = dashboard(reordered)
    assert result.goal.statement.startswith("Grow monthly recurring revenue")
    assert result.okr_draft[0].key_results[0].evidence.order == 5  # the goal answer, now fifth


# --- openai provider --------------------------------------------------------------------------


def test_the_openai_provider_returns_the_same_schema(specific: Dashboard) -> None:
    payload = specific.model_dump(exclude={"engine"})
    answers = copy.deepcopy(answer_set("saas_specific"))
    answers[4]["answer"] += " Reach me at founder@example.com or +98 912 123 4567."
    with FakeLLMServer() as server:
        server.script(Reply.json(payload))
        config = llm.LLMConfig(
            provider="openai", base_url=server.base_url, api_key="test", model="gpt-test", max_retries=0
        )
        result = llm.run(okr.TASK_NAME, {"answers": answers}, config=config)
        request = server.requests[0].body
    assert isinstance(result, Dashboard)
    assert result.engine == "openai:gpt-test"
    assert result.model_dump(exclude={"engine"}) == payload
    assert request["response_format"]["json_schema"]["name"] == "okr_dashboard"
    assert request["response_format"]["json_schema"]["strict"] is True
    user = request["messages"][1]["content"]
    assert "Answer 1. Question:" in user and "$42k" in user
    assert "founder@example.com" not in user and "912 123 4567" not in user  # redacted before leaving


@pytest.mark.parametrize(
    "reply", [Reply.error(500), Reply.text("not json"), Reply.json({"summary": "only this"})]
)
def test_a_failing_or_malformed_provider_raises_ai_unavailable(reply: Reply) -> None:
    with FakeLLMServer() as server:
        server.script(reply)
        config = llm.LLMConfig(provider="openai", base_url=server.base_url, api_key="test", max_retries=0)
        with pytest.raises(llm.AIUnavailable):
            llm.run(okr.TASK_NAME, {"answers": answer_set("bakery_vague")}, config=config)


def test_progress_steps_are_reported_in_order() -> None:
    steps: list[str] = []
    llm.run(okr.TASK_NAME, {"answers": answer_set("bakery_vague"), "on_step": steps.append}, config=LOCAL)
    assert steps == [
        "extracting_goal",
        "drafting_okrs",
        "finding_blockers_and_strengths",
        "scoring",
        "writing_recommendations",
    ]

"""The OKR coach reads numbers, money, dates, activities and blockers right (issue 13): each wrong
dashboard the issue quotes, from the founder answers it describes, and the readers behind them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from analysis.engines import llm
from review import ai as okr
from review.ai.dates import cadences, date_phrases
from review.ai.numbers import quantities
from review.ai.schema import Dashboard
from tests.review.test_okr_labelled import LABELLED, OKR_FIXTURES

LOCAL = llm.LLMConfig(provider="local")
ASKED_ON = dt.date(2026, 5, 10)
PROMPTS = [a["prompt"] for a in json.loads((OKR_FIXTURES / "saas_specific.json").read_text())["answers"]]


def founder(file: str, founder_id: str) -> list[dict[str, Any]]:
    """A founder of the labelled set, with the default questionnaire's prompts."""
    data = json.loads((LABELLED / f"{file}.json").read_text())
    item = next(f for f in data["founders"] if f["id"] == founder_id)
    return [{"order": i + 1, "prompt": PROMPTS[i], "answer": text} for i, text in enumerate(item["answers"])]


def dashboard(answers: list[dict[str, Any]]) -> Dashboard:
    result = llm.run(
        okr.TASK_NAME, {"answers": answers, "reference_date": ASKED_ON.isoformat()}, config=LOCAL
    )
    assert isinstance(result, Dashboard)
    return result


def key_results(result: Dashboard) -> list[Any]:
    return [kr for objective in result.okr_draft for kr in objective.key_results]


def everything_written(result: Dashboard) -> str:
    parts = [result.summary, result.goal.statement]
    parts += [o.objective for o in result.okr_draft] + [kr.statement for kr in key_results(result)]
    parts += [r.title for r in result.recommendations] + [r.detail for r in result.recommendations]
    parts += [r.reason for r in result.score_reasons] + [a.reason for a in result.flagged_activities]
    return "\n".join(parts)


# --- the README example -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def readme_example() -> Dashboard:
    return dashboard(founder("marketplace", "marketplace-readme-example"))


def test_the_readme_example_keeps_its_baseline_and_target(readme_example: Dashboard) -> None:
    # given "Double active sellers by December 2026, from 400 to 800."
    sellers = readme_example.okr_draft[0].key_results[0]
    # then the key result carries the stated numbers, not "unknown" and "2x today's level"
    assert (sellers.metric, sellers.baseline, sellers.target) == ("active sellers", "400", "800")
    assert sellers.due == "December 2026"
    assert sellers.quality.measurable and sellers.quality.time_bound
    assert sellers.statement == "Double active sellers from 400 to 800 by December 2026"


def test_the_readme_example_is_not_told_to_measure_what_it_stated(readme_example: Dashboard) -> None:
    # (repeat orders, named without numbers in the success answer, still get that advice)
    titles = [r.title for r in readme_example.recommendations]
    assert not any(t.startswith("Measure today's") and "active sellers" in t for t in titles), titles
    assert not any(t.startswith("Put a target on") and "active sellers" in t for t in titles), titles


def test_the_readme_examples_objective_keeps_no_trailing_comma(readme_example: Dashboard) -> None:
    assert readme_example.okr_draft[0].objective == "Double active sellers"


# --- the SaaS founder at about $42k MRR ------------------------------------------------------------


@pytest.fixture(scope="module")
def team_plan() -> Dashboard:
    return dashboard(founder("saas", "saas-team-plan"))


def test_the_goal_is_the_target_not_a_noun_phrase_beside_it(team_plan: Dashboard) -> None:
    # given "Our focus is the Team plan. We're at about $42k today and we want to get to $70k MRR by the end of Q2."
    assert not team_plan.goal.statement.startswith("The Team plan")
    assert team_plan.goal.statement == "Get to $70k MRR by the end of Q2."
    assert team_plan.okr_draft[0].objective == "Grow MRR"


def test_the_mrr_baseline_is_the_value_stated_today(team_plan: Dashboard) -> None:
    mrr = team_plan.okr_draft[0].key_results[0]
    assert (mrr.metric, mrr.baseline, mrr.target) == ("MRR", "$42k", "$70k")
    assert mrr.due == "end of Q2 (30 June 2026)"


def test_a_duration_is_never_a_count_of_customers(team_plan: Dashboard) -> None:
    # given "Customers who stay past six months almost never leave."
    for kr in key_results(team_plan):
        assert "six months" not in kr.baseline and "six months" not in kr.statement


def test_looking_at_mrr_every_monday_is_tracking(team_plan: Dashboard) -> None:
    reasons = [r.reason for r in team_plan.score_reasons if r.dimension == "measurability"]
    assert "Nothing says how or how often progress is tracked" not in reasons
    assert "Progress is tracked: “We look at MRR in Stripe every Monday.”" in reasons


def test_webinars_are_flagged_as_an_activity(team_plan: Dashboard) -> None:
    assert [a.text for a in team_plan.flagged_activities] == ["Do more webinars"]
    assert "webinar" not in " ".join(kr.statement for kr in key_results(team_plan)).lower()


def test_no_sentence_is_glued_from_fragments(team_plan: Dashboard) -> None:
    written = everything_written(team_plan)
    assert "stay as" not in written and " ," not in written and ",." not in written


def test_health_metrics_agree_with_how_many_they_are() -> None:
    # given a success answer with more metrics than three key results hold
    answers = founder("saas", "saas-team-plan")
    answers[3]["answer"] = (
        "MRR every Monday. We want churn under 3%, NPS of 50, 200 paying customers and 40 sign-ups a week."
    )
    result = dashboard(answers)
    detail = next(r.detail for r in result.recommendations if r.title.startswith("Keep the draft"))
    # then the sentence is whole, its verb agreeing with the list it names
    assert detail.startswith("You track more numbers than fit in the draft: keep ")
    assert detail.endswith("rather than as key results.")


# --- blockers are negative statements ------------------------------------------------------------------


def test_a_growth_figure_is_a_strength_not_a_blocker() -> None:
    # given "Sales grew by 10%. But our best salesperson just quit and the pipeline is thin."
    result = dashboard(founder("saas", "saas-growth-is-not-a-blocker"))
    quotes = [b.evidence.quote for b in result.blockers]
    assert not any("grew" in q for q in quotes)
    assert sorted(quotes) == ["our best salesperson just quit", "the pipeline is thin."]
    assert "Sales grew by 10%." in [s.evidence.quote for s in result.strengths]


def test_the_founders_background_is_not_a_blocker() -> None:
    # given a transcribed "in my last role i led a team of four engineers so building the product
    # isn't the problem the problem is we don't know how to reach clinics"
    result = dashboard(founder("saas", "saas-led-a-team"))
    quotes = [b.evidence.quote for b in result.blockers]
    assert quotes == ["the problem is we don't know how to reach clinics"]


def test_a_vague_plan_gets_no_alignment_credit_for_the_word_hard() -> None:
    # given "We want to work hard ..." and "If we work hard, people will notice."
    result = dashboard(founder("nonprofit", "nonprofit-work-hard"))
    alignment = [r for r in result.score_reasons if r.dimension == "alignment"]
    assert not any("hard" in r.reason and r.points > 0 for r in alignment)
    assert result.scores.alignment <= 20


# --- an audio answer read as its transcript -------------------------------------------------------


def test_a_transcript_without_punctuation_is_cut_into_clauses_not_fragments() -> None:
    result = dashboard(founder("food", "food-cafes-transcribed"))
    customers = result.okr_draft[0].key_results[0]
    assert (customers.metric, customers.baseline, customers.target) == ("customers", "600", "900")
    assert customers.due == "end of summer (31 August 2026)"
    assert [b.evidence.quote for b in result.blockers] == [
        "staff turnover is killing us",
        "the espresso machine breaks all the time",
    ]


# --- the readers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "values"),
    [
        ("We're at about $42k today", [(42000, "USD", "$42k")]),
        ("grow ARR from $1.2M to $2M", [(1_200_000, "USD", "$1.2M"), (2_000_000, "USD", "$2M")]),
        ("it's around six percent a month", [(6, "%", "six percent a month")]),
        ("we serve about twelve hundred meals", [(1200, None, "twelve hundred")]),
        ("get to a hundred thousand", [(100_000, None, "a hundred thousand")]),
        ("we raised five hundred k", [(500_000, None, "five hundred k")]),
        ("about forty thousand dollars", [(40_000, "USD", "forty thousand dollars")]),
        ("Grow GMV to €3M", [(3_000_000, "EUR", "€3M")]),
        ("two million pounds", [(2_000_000, "GBP", "two million pounds")]),
        ("Buyers rate us 4.7 out of 5.", [(4.7, None, "4.7 out of 5")]),
        ("Grow ARR 3× by 2027", [(3, "x", "3×")]),
        ("one of them left in 2025", []),
        ("support 24/7 from 9am", []),
    ],
)
def test_quantities_are_read_with_their_units_and_words(sentence: str, values: list[tuple[Any, ...]]) -> None:
    assert [(q.value, q.unit, q.text) for q in quantities(sentence)] == values


@pytest.mark.parametrize(
    ("sentence", "words", "day"),
    [
        ("Double active sellers by December 2026, from 400 to 800.", "December 2026", "2026-12-31"),
        ("get to $70k MRR by the end of Q2.", "end of Q2", "2026-06-30"),
        ("This year I want to double sellers.", "this year", "2026-12-31"),
        ("Triple sign-ups in six months.", "in six months", "2026-11-10"),
        ("by the end of next year", "end of next year", "2027-12-31"),
        ("Reach 1,000 paying customers by December.", "December", "2026-12-31"),
        ("within a year", "within a year", "2027-05-10"),
        ("open a fourth one by next spring", "next spring", "2027-05-31"),
        ("by the end of summer", "end of summer", "2026-08-31"),
        ("within 90 days", "within 90 days", "2026-08-08"),
        ("in the next two quarters", "in the next two quarters", "2026-11-10"),
        ("by the end of the quarter", "end of the quarter", "2026-06-30"),
        ("by Q1 2027", "Q1 2027", "2027-03-31"),
        ("before Nowruz", "Nowruz", "2027-03-21"),
        ("Launch is planned for October 15.", "October 15", "2026-10-15"),
    ],
)
def test_dates_are_resolved_against_the_day_the_analysis_was_asked_for(
    sentence: str, words: str, day: str
) -> None:
    found = date_phrases(sentence, ASKED_ON)
    assert [(d.text, d.resolved) for d in found] == [(words, dt.date.fromisoformat(day))]


def test_a_relative_date_shows_the_day_it_means_and_an_explicit_one_only_its_words() -> None:
    relative, explicit = date_phrases("this year", ASKED_ON)[0], date_phrases("by June 2027", ASKED_ON)[0]
    assert relative.label == "this year (31 December 2026)"
    assert explicit.label == "June 2027"


def test_a_date_in_the_past_is_not_a_deadline() -> None:
    found = date_phrases("we lost our biggest supplier in March, from 1,200 so far this year", ASKED_ON)
    assert all(d.past for d in found) and len(found) == 2


@pytest.mark.parametrize(
    ("sentence", "rhythm"),
    [
        ("We look at MRR in Stripe every Monday.", "every Monday"),
        ("tracked weekly", "weekly"),
        ("each term", "each term"),
    ],
)
def test_cadences_are_read(sentence: str, rhythm: str) -> None:
    assert [c.text for c in cadences(sentence)] == [rhythm]


def test_a_key_results_verb_follows_its_values_not_a_word_nearby() -> None:
    # given "Success means MRR of $80k, churn below 2% per month, and cutting time-to-onboard
    # from 3 weeks to 5 days" (a decrease word in the list, beside MRR)
    answers = json.loads((OKR_FIXTURES / "saas_specific.json").read_text())["answers"]
    statements = [kr.statement for kr in key_results(dashboard(answers))]
    # then MRR grows and time to onboard (3 weeks to 5 days) shrinks
    assert "Increase MRR from $42k to $80k by end of Q2 2026" in statements
    assert "Reduce time to onboard from 3 weeks to 5 days by end of Q2 2026" in statements

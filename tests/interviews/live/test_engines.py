"""The live interviewer's local engines on their own: the seniority rule, the follow-up rule, the
recommendation thresholds, the roadmap's ties to observed gaps, and feedback that quotes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from interviews.ai import live_followup, live_profile, live_questions, live_report
from interviews.ai import scoring as answer_scoring
from interviews.services.live.scorecard import scorecard

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("resume", "level"),
    [
        # dated roles alone: under two years is junior, two to five mid, five to eight senior
        ("Software Engineer, Acme (Jan 2025 - Present)\nBuilt APIs in Python.", "junior"),
        ("Software Engineer, Acme (Jan 2022 - Present)\nBuilt APIs in Python.", "mid"),
        ("Software Engineer, Acme (2018 - Present)\nBuilt APIs in Python.", "senior"),
        # a senior title lifts three years one step
        ("Senior Software Engineer, Acme (2023 - Present)\nBuilt APIs in Python.", "senior"),
        # a junior title held now keeps four years junior
        ("Junior Developer, Acme (2022 - Present)\nBuilt pages in React.", "junior"),
        # education and internships are not experience
        ("BSc Computer Science, University of Leeds (2015 - 2019)\nIntern, Acme (2019 - 2020)\n"
         "Software Engineer, Acme (Jan 2026 - Present)", "junior"),
        # twelve years without lead evidence is senior; with a team of eight managed, lead
        ("Software Engineer, Acme (2014 - Present)\nWrote Go services.", "senior"),
        ("Software Engineer, Acme (2014 - Present)\nManaged 8 engineers across two teams.", "lead"),
        # a lead-level title needs five years behind it
        ("Engineering Manager, Acme (2023 - Present)", "senior"),
        ("Principal Engineer, Acme (2017 - Present)", "lead"),
        # stated years count when there are no dates; no evidence at all reads as mid
        ("Backend developer with 6 years of experience in Java.", "senior"),
        ("I like computers and solving problems for people.", "mid"),
    ],
)  # fmt: skip
def test_seniority_follows_the_documented_rule(resume: str, level: str) -> None:
    detected = live_profile.seniority(resume, TODAY)
    assert detected.level == level
    for signal in detected.signals:
        assert signal.evidence.quote.rstrip("…") in resume


def test_the_job_descriptions_emphasis_orders_the_gaps() -> None:
    asked = live_profile.jd_skills(
        "Requirements:\n- Python, Django, Flask or FastAPI\n- Running services on Kubernetes\n"
        "Nice to have:\n- Terraform\n- Kubernetes operators",
        "Backend Engineer",
    )
    names = [a.skill.name for a in asked]
    # a requirement on a line of its own weighs most; nice-to-haves come last
    assert names[0] == "Kubernetes" and names[-1] == "Terraform"
    assert {a.skill.name for a in asked if not a.required} == {"Terraform"}
    flask = next(a for a in asked if a.skill.name == "Flask")
    assert flask.alternatives == {"FastAPI"}


def _score(covered: int, total: int) -> dict[str, Any]:
    return {
        "key_points": [{"point": f"point {i}", "covered": i < covered, "evidence": ""} for i in range(total)]
    }


@pytest.mark.parametrize(
    ("covered", "total", "asked"),
    [(0, 4, True), (2, 4, True), (3, 5, False), (3, 4, False), (4, 4, False), (0, 0, False)],
)
def test_a_follow_up_is_asked_under_sixty_percent_of_key_points(
    covered: int, total: int, asked: bool
) -> None:
    assert live_followup.needs_follow_up(_score(covered, total)) is asked


def test_the_follow_up_names_what_was_missed_and_quotes_where_the_answer_came_close() -> None:
    followup = live_followup.followup_local(
        {
            "question": {"type": "technical", "content": "How do you cache?"},
            "answer": "We used a lot of tools. Invalidation is hard and we kept stale data for too long.",
            "missed": ["Cache invalidation (ttl, evict)", "Measuring hit rate (hit rate, metric)"],
        }
    )
    assert '"cache invalidation" or "measuring hit rate"' in followup.question
    assert 'You said "Invalidation is hard and we kept stale data for too long"' in followup.question
    assert (
        followup.reason
        == "Answer was short (17 words) and did not cover cache invalidation and measuring hit rate"
    )


@pytest.mark.parametrize(
    ("scores", "answered", "expected"),
    [
        ({"technical": 9.0, "design": 8.0, "communication": 8.5, "overall": 8.5}, 8, "Strong Hire"),
        ({"technical": 9.5, "design": 6.0, "communication": 9.0, "overall": 8.2}, 8, "Hire"),
        ({"technical": 7.0, "design": 6.0, "communication": 6.5, "overall": 6.5}, 8, "Hire"),
        ({"technical": 6.0, "design": 5.0, "communication": 5.0, "overall": 5.0}, 8, "Lean Hire"),
        ({"technical": 5.0, "design": 4.0, "communication": 5.0, "overall": 4.9}, 8, "No Hire"),
        ({"technical": 9.0, "design": 9.0, "communication": 9.0, "overall": 9.0}, 2, "Lean Hire"),
    ],
)
def test_the_recommendation_follows_the_documented_thresholds(
    scores: dict[str, float], answered: int, expected: str
) -> None:
    recommendation, why = live_report.recommend(scores, answered)
    assert recommendation == expected and str(scores["overall"]) in why


def _turn(
    number: int, overall: float, missed: list[str], topic: str = "Databases", focus: str = ""
) -> dict[str, Any]:
    return {
        "number": number,
        "question": f"question {number}",
        "topic": topic,
        "type": "technical",
        "difficulty": "medium",
        "focus_area": focus,
        "scores": {"technical": overall, "design": overall, "communication": 8.0, "overall": overall},
        "covered": [],
        "missed": missed,
        "followup": bool(missed),
        "followup_gain": None,
    }


def test_the_roadmap_holds_only_gaps_the_interview_observed() -> None:
    turns = [
        _turn(1, 9.0, [], topic="Python"),
        _turn(2, 3.8, ["Delivery guarantees (idempotent)"], topic="Messaging", focus="Kafka"),
        _turn(3, 7.5, ["Backups (backup)"]),
    ]
    scores = live_report.final_scores(turns)
    items = live_report.roadmap(turns, scores, gaps={"Kafka", "Terraform"})
    by_skill = {item.skill: item for item in items}
    # Kafka: a resume gap the interview confirmed, high priority on a score under 4.5
    assert by_skill["Kafka"].priority == "high" and [
        e.question_number for e in by_skill["Kafka"].evidence
    ] == [2]
    assert any("delivery guarantees" in action for action in by_skill["Kafka"].actions)
    assert "Build a small project with Kafka" in by_skill["Kafka"].actions[-1]
    # a good answer that still missed a key point is a low-priority item
    assert by_skill["Databases"].priority == "low"
    # nothing for Python (strong, nothing missed) nor Terraform (never asked about)
    assert "Python" not in by_skill and "Terraform" not in by_skill
    assert items[0].skill == "Kafka"


def test_the_local_report_tells_the_candidate_what_the_scores_say() -> None:
    turns = [
        _turn(1, 9.0, [], topic="Python"),
        _turn(2, 4.0, ["Delivery guarantees (idempotent)"], topic="Messaging"),
    ]
    scores = live_report.final_scores(turns)
    recommendation, why = live_report.recommend(scores, 2)
    report = live_report.report_local(
        {
            "role": "Backend Engineer",
            "seniority": "senior",
            "turns": turns,
            "final_scores": scores,
            "recommendation": recommendation,
            "recommendation_reason": why,
            "duration_minutes": 12.5,
            "end_reason": "time",
            "profile": {"gaps": [{"name": "Terraform"}]},
        }
    )
    assert "6.5/10 across 2 answered questions in 12.5 minutes" in report.final_report
    assert "best answer was on Python (9.0/10" in report.final_report
    assert "did not cover delivery guarantees" in report.final_report
    assert (
        f"Recommendation: {recommendation}" in report.final_report and "time ran out" in report.final_report
    )
    assert "Python (9.0/10 on question 1)" in report.strengths
    assert any(g.startswith("Terraform") and "not assessed" in g for g in report.gaps)


def test_feedback_quotes_the_answer_where_it_came_close_to_a_missed_point() -> None:
    question = {
        "content": "How would you deploy it?",
        "type": "technical",
        "key_points": ["Keeping it reliable (rollback, health check)", "Observing it (monitor, alert)"],
    }
    text = (
        "We kept it simple. Reliable releases depend on many people, good planning, clear ownership, "
        "careful reviews and steady communication."
    )
    score = answer_scoring.answer_score_local({"question": question, "answer": text}).model_dump()
    card = scorecard(score, text)
    assert card["feedback"] == f"Weak answer ({score['overall']}/10): 0 of 2 key points covered."
    assert card["improvements"][0].startswith(
        'Missed "keeping it reliable": the closest you came was "Reliable releases'
    )
    assert card["improvements"][1] == 'Missed "observing it": nothing in the answer touched on it.'


def test_the_picker_walks_the_focus_areas_and_adapts_difficulty() -> None:
    areas = [{"name": "Kafka", "topic": "Messaging"}, {"name": "PostgreSQL", "topic": "Databases"}]

    def candidate(content: str, topic: str, difficulty: str, focus: str = "") -> dict[str, Any]:
        return {"content": content, "topic": topic, "difficulty": difficulty, "type": "technical",
                "source": "generated" if focus else "bank", "focus_area": focus, "tags": [],
                "interviewer_types": ["Tech"]}  # fmt: skip

    candidates = [
        candidate("kafka question", "Messaging", "medium", "Kafka"),
        candidate("postgres question", "Databases", "medium", "PostgreSQL"),
        candidate("hard databases question", "Databases", "hard"),
        candidate("easy databases question", "Databases", "easy"),
    ]

    def best(history: list[dict[str, Any]]) -> str:
        ranked = live_questions.rank(
            candidates=[c for c in candidates if c["content"] not in {h["content"] for h in history}],
            history=history, focus_areas=areas, seniority="mid", is_technical=True, role_text="",
        )  # fmt: skip
        return str(ranked[0].candidate["content"])

    # the first focus area first
    assert best([]) == "kafka question"
    # then the second one: its topic's level follows the running score
    asked = {"content": "kafka question", "topic": "Messaging", "type": "technical", "focus_area": "Kafka"}
    assert best([{**asked, "overall": 5.5}]) == "postgres question"
    assert live_questions.target_level("mid", [{"overall": 9.0}]) == 3
    assert live_questions.target_level("mid", [{"overall": 2.0}]) == 1
    assert live_questions.target_level("lead", []) == 3

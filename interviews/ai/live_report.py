"""The live interview's final report (`live_report`): narrative, strengths, gaps and a skill
roadmap, from the scored turns. Scores and the recommendation are not the model's to choose:
`final_scores` and `recommend` compute them from the turns, and both providers are given them.

Recommendation, on the final overall score (the mean of the turns' overall scores, 0-10):
- Strong Hire: overall >= 8.0 and no dimension under 6.5;
- Hire: overall >= 6.5;
- Lean Hire: overall >= 5.0;
- No Hire: below 5.0.
With fewer than MIN_ANSWERS_FOR_HIRE scored answers the evidence is thin: Lean Hire at most.

Skill roadmap (local engine), one item per observed gap, never for something the interview did
not see: a focus area or topic whose answers scored under ROADMAP_BELOW or missed key points
(evidence: the questions, their scores, what was missed), and a dimension whose final score is
under ROADMAP_BELOW (evidence: its two weakest answers). Priority is high when a score under 4.5
is involved, medium under 6.5, low otherwise; actions come from the missed key points and the kind
of skill.
"""

from __future__ import annotations

from statistics import mean
from typing import Any, Literal

from pydantic import BaseModel, Field

from analysis.engines.llm import Task, TaskOutput, register
from interviews.ai import live_skills, norms
from interviews.ai.language import KeyPoint

TASK = "live_report"
DIMENSIONS = ("technical", "design", "communication")
DIMENSION_NAMES = {
    "technical": "technical depth",
    "design": "structure and design",
    "communication": "communication",
}

STRONG_HIRE_OVERALL = 8.0
STRONG_HIRE_FLOOR = 6.5
HIRE_OVERALL = 6.5
LEAN_HIRE_OVERALL = 5.0
MIN_ANSWERS_FOR_HIRE = 3
ROADMAP_BELOW = 6.5
HIGH_PRIORITY_BELOW = 4.5
MAX_ROADMAP_ITEMS = 6


class RoadmapEvidence(BaseModel):
    question_number: int
    detail: str = Field(description="what the answer to that question showed")


class RoadmapItem(BaseModel):
    skill: str
    priority: Literal["high", "medium", "low"]
    reason: str
    actions: list[str]
    evidence: list[RoadmapEvidence]


class LiveReport(TaskOutput):
    final_report: str = Field(description="a few sentences addressed to the candidate")
    strengths: list[str]
    gaps: list[str]
    skill_roadmap: list[RoadmapItem]


def final_scores(turns: list[dict[str, Any]]) -> dict[str, float]:
    """Mean of each dimension and of overall over the scored turns (0.0 with none)."""
    scored = [t["scores"] for t in turns if t.get("scores")]
    if not scored:
        return {name: 0.0 for name in (*DIMENSIONS, "overall")}
    return {name: round(mean(float(s[name]) for s in scored), 1) for name in (*DIMENSIONS, "overall")}


def recommend(scores: dict[str, float], answered: int) -> tuple[str, str]:
    """(recommendation, why) by the thresholds in the module doc."""
    overall = scores["overall"]
    floor = min(scores[d] for d in DIMENSIONS)
    if overall >= STRONG_HIRE_OVERALL and floor >= STRONG_HIRE_FLOOR:
        choice, why = (
            "Strong Hire",
            f"overall {overall} >= {STRONG_HIRE_OVERALL:g} with every dimension >= {STRONG_HIRE_FLOOR:g}",
        )
    elif overall >= HIRE_OVERALL:
        choice, why = "Hire", f"overall {overall} >= {HIRE_OVERALL:g}"
        if overall >= STRONG_HIRE_OVERALL:
            why += f", but a dimension is under {STRONG_HIRE_FLOOR:g}"
    elif overall >= LEAN_HIRE_OVERALL:
        choice, why = "Lean Hire", f"overall {overall} >= {LEAN_HIRE_OVERALL:g}"
    else:
        choice, why = "No Hire", f"overall {overall} < {LEAN_HIRE_OVERALL:g}"
    if answered < MIN_ANSWERS_FOR_HIRE and choice in ("Strong Hire", "Hire"):
        choice = "Lean Hire"
        why += f"; capped at Lean Hire: only {answered} scored answer{'s' if answered != 1 else ''}"
    return choice, why


def _lower_first(value: str) -> str:
    return value[:1].lower() + value[1:] if value[:2] != value[:2].upper() else value


def _priority(score: float) -> Literal["high", "medium", "low"]:
    if score < HIGH_PRIORITY_BELOW:
        return "high"
    return "medium" if score < ROADMAP_BELOW else "low"


def _skill_action(skill: str, gaps: set[str], kinds: set[str]) -> str:
    known = live_skills.skill_named(skill)
    if skill in gaps:
        return f"Build a small project with {skill} and note one trade-off you ran into, to talk about it first-hand."
    if kinds & {"behavioral", "situational", "culture_fit"} and not kinds & {"technical", "system_design"}:
        return f"Write two STAR stories about {_lower_first(skill)}, each ending with a measured result."
    if known is not None and known.category == "leadership":
        return f"Write two STAR stories about {skill.lower()}, each ending with a measured result."
    return f"Explain one {skill} design decision out loud in under two minutes: the options, the choice, the trade-off."


_DIMENSION_ACTIONS = {
    "technical": "Before answering, list the points a complete answer covers, then cover each one.",
    "design": "Structure answers as situation, task, action and result, and end with a number.",
    "communication": (
        f"Keep answers within {norms.DEFAULT_ANSWER_WORDS[0]}-{norms.DEFAULT_ANSWER_WORDS[1]} words, lead with "
        f"the answer, and keep filler words under {norms.FILLER_UNNOTICED:.0%}."
    ),
}


def roadmap(turns: list[dict[str, Any]], scores: dict[str, float], gaps: set[str]) -> list[RoadmapItem]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for turn in turns:
        if not turn.get("scores"):
            continue
        weak = float(turn["scores"]["overall"]) < ROADMAP_BELOW
        if weak or turn.get("missed"):
            grouped.setdefault(str(turn.get("focus_area") or turn.get("topic")), []).append(turn)
    items: list[tuple[float, RoadmapItem]] = []
    for skill, group in grouped.items():
        worst = min(float(t["scores"]["overall"]) for t in group)
        missed = list(dict.fromkeys(KeyPoint.parse(m).name for t in group for m in t.get("missed") or []))
        evidence = [
            RoadmapEvidence(
                question_number=int(t["number"]),
                detail=f"scored {t['scores']['overall']}/10"
                + (
                    f"; missed: {'; '.join(KeyPoint.parse(m).name for m in t['missed'][:3])}"
                    if t.get("missed")
                    else ""
                ),
            )
            for t in group
        ]
        actions = [f"Prepare an answer that covers {_lower_first(point)}." for point in missed[:2]]
        actions.append(_skill_action(skill, gaps, {str(t.get("type")) for t in group}))
        why = (
            "a gap on the resume that the interview confirmed"
            if skill in gaps
            else "answers on it fell short"
        )
        items.append(
            (
                worst,
                RoadmapItem(
                    skill=skill,
                    priority=_priority(worst),
                    reason=f"{why}: lowest score {worst}/10"
                    + (f", {len(missed)} key points missed" if missed else ""),
                    actions=actions,
                    evidence=evidence,
                ),
            )
        )
    scored = [t for t in turns if t.get("scores")]
    for dimension in DIMENSIONS:
        if not scored or scores[dimension] >= ROADMAP_BELOW:
            continue
        weakest = sorted(scored, key=lambda t: float(t["scores"][dimension]))[:2]
        items.append(
            (
                scores[dimension],
                RoadmapItem(
                    skill=DIMENSION_NAMES[dimension].capitalize(),
                    priority=_priority(scores[dimension]),
                    reason=f"{DIMENSION_NAMES[dimension]} averaged {scores[dimension]}/10",
                    actions=[_DIMENSION_ACTIONS[dimension]],
                    evidence=[
                        RoadmapEvidence(
                            question_number=int(t["number"]),
                            detail=f"{dimension} {t['scores'][dimension]}/10 on {t.get('topic')}",
                        )
                        for t in weakest
                    ],
                ),
            )
        )
    order = {"high": 0, "medium": 1, "low": 2}
    items.sort(key=lambda pair: (order[pair[1].priority], pair[0], pair[1].skill))
    return [item for _score, item in items[:MAX_ROADMAP_ITEMS]]


def report_local(inputs: dict[str, Any]) -> LiveReport:
    turns: list[dict[str, Any]] = list(inputs.get("turns") or [])
    scores: dict[str, float] = dict(inputs["final_scores"])
    profile: dict[str, Any] = dict(inputs.get("profile") or {})
    profile_gaps = [str(g.get("name")) for g in profile.get("gaps") or []]
    scored = [t for t in turns if t.get("scores")]
    role = str(inputs.get("role") or "this")
    minutes = float(inputs.get("duration_minutes") or 0)

    sentences = [
        f"Overall you scored {scores['overall']}/10 across {len(scored)} answered question"
        f"{'s' if len(scored) != 1 else ''} in {minutes:g} minutes for the {role} role "
        f"({inputs.get('seniority') or 'unknown'} profile)."
    ]
    strengths: list[str] = []
    gaps: list[str] = []
    if scored:
        best_dimension = max(DIMENSIONS, key=lambda d: scores[d])
        worst_dimension = min(DIMENSIONS, key=lambda d: scores[d])
        best = max(scored, key=lambda t: float(t["scores"]["overall"]))
        worst = min(scored, key=lambda t: float(t["scores"]["overall"]))
        covered = best.get("covered") or []
        sentences.append(
            f"Your strongest dimension was {DIMENSION_NAMES[best_dimension]} ({scores[best_dimension]}/10), and your "
            f"best answer was on {best.get('topic')} ({best['scores']['overall']}/10"
            + (f", covering {_lower_first(KeyPoint.parse(covered[0]).name)})." if covered else ").")
        )
        if worst is not best:
            missed = worst.get("missed") or []
            sentences.append(
                f"The weakest was {DIMENSION_NAMES[worst_dimension]} ({scores[worst_dimension]}/10); the answer on "
                f"{worst.get('topic')} scored {worst['scores']['overall']}/10"
                + (f" and did not cover {_lower_first(KeyPoint.parse(missed[0]).name)}." if missed else ".")
            )
        followed = [t for t in scored if t.get("followup")]
        if followed:
            improved = [t for t in followed if (t.get("followup_gain") or 0) > 0]
            sentences.append(
                f"{len(followed)} answer{'s' if len(followed) != 1 else ''} got a follow-up question; "
                f"{len(improved)} improved after it."
            )
        for dimension in DIMENSIONS:
            if scores[dimension] >= norms.SCORE_STRONG:
                strengths.append(f"Strong {DIMENSION_NAMES[dimension]} ({scores[dimension]}/10)")
            elif scores[dimension] < LEAN_HIRE_OVERALL:
                gaps.append(f"Weak {DIMENSION_NAMES[dimension]} ({scores[dimension]}/10)")
        for turn in scored:
            label = str(turn.get("focus_area") or turn.get("topic"))
            overall = float(turn["scores"]["overall"])
            if overall >= norms.SCORE_STRONG:
                strengths.append(f"{label} ({overall}/10 on question {turn['number']})")
            elif overall < LEAN_HIRE_OVERALL:
                gaps.append(f"{label} ({overall}/10 on question {turn['number']})")
    else:
        sentences.append("No answer was scored, so there is nothing to judge the interview on.")
    asked_areas = {str(t.get("focus_area")) for t in turns} | {str(t.get("topic")).lower() for t in turns}
    for gap in profile_gaps:
        skill = live_skills.skill_named(gap)
        if gap not in asked_areas and (skill is None or skill.topic.lower() not in asked_areas):
            gaps.append(
                f"{gap} (the job description asks for it, the resume does not show it; not assessed here)"
            )
    ending = {"time": "the time ran out", "questions": "every planned question had been asked"}.get(
        str(inputs.get("end_reason")), "it ended"
    )
    sentences.append(f"The interview ended when {ending}.")
    sentences.append(
        f"Recommendation: {inputs['recommendation']} ({inputs.get('recommendation_reason', '')})."
    )
    return LiveReport(
        final_report=" ".join(sentences),
        strengths=strengths,
        gaps=gaps,
        skill_roadmap=roadmap(turns, scores, set(profile_gaps)),
    )


SYSTEM_PROMPT = f"""\
You write the final report of a mock job interview for the candidate. Return JSON matching the schema.
The scores (0-10) and the recommendation are given; use them as they are and do not change them.
- final_report: four to six sentences: the overall score, the strongest and weakest areas with the
  questions that showed them, how follow-up questions went, and the recommendation with its reason.
- strengths and gaps: short phrases naming an area and the score that shows it.
- skill_roadmap: at most {MAX_ROADMAP_ITEMS} items, only for gaps the interview observed (answers scoring
  under {ROADMAP_BELOW:g}, or key points missed); priority high when a score under {HIGH_PRIORITY_BELOW:g}
  is involved, medium under {ROADMAP_BELOW:g}, low otherwise; two or three concrete actions each, and the
  question numbers that showed the gap as evidence.
Judge only from the data given; never invent answers or scores."""


def _prompt(inputs: dict[str, Any]) -> str:
    lines = []
    for turn in inputs.get("turns") or []:
        scores = turn.get("scores") or {}
        lines.append(
            f"Q{turn['number']} [{turn.get('type')}, {turn.get('difficulty')}, {turn.get('topic')}] "
            f"{turn.get('question')}\n  scores: {scores or 'not answered'}; follow-up asked: "
            f"{bool(turn.get('followup'))}\n  covered: {turn.get('covered') or []}\n  missed: {turn.get('missed') or []}"
        )
    profile = dict(inputs.get("profile") or {})
    return (
        f"Role: {inputs.get('role')}\nSeniority: {inputs.get('seniority')}\n"
        f"Duration: {inputs.get('duration_minutes')} minutes; ended because: {inputs.get('end_reason')}\n"
        f"Final scores: {inputs.get('final_scores')}\n"
        f"Recommendation: {inputs.get('recommendation')} ({inputs.get('recommendation_reason')})\n"
        f"Resume gaps against the job description: {[g.get('name') for g in profile.get('gaps') or []]}\n\n"
        + "\n".join(lines)
    )


REPORT = register(
    Task(name=TASK, output=LiveReport, local=report_local, system_prompt=SYSTEM_PROMPT, user_prompt=_prompt)
)

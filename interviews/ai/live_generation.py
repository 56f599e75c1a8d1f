"""Questions written for the role (`live_questions`): the bank covers common ground, these cover
what this job description and this resume make specific.

The local engine writes one question per focus area that names a skill (see `live_profile`),
phrased by why it is a focus and what kind of skill it is, plus one question on the role itself
built from the job description's key phrases (YAKE):

- a gap (the job description asks, the resume is silent): how the candidate would work with the
  skill, by category (a database: when to choose it and its trade-offs; a platform: deploying and
  operating on it; a language or framework: getting productive, from what they already know...);
- a strength (both say it): the hardest problem solved with it, quoting the resume line;
- the role: the first 90 days, on the job description's own key phrases.

Each question lists key points with cue terms (see `interviews.ai.language`), so answers to it
are scored and followed up exactly like bank questions. Difficulty follows the level: a strength
is asked at easy (junior), medium (mid) or hard (senior, lead), a gap one step easier.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from analysis.engines import text
from analysis.engines.llm import Task, TaskOutput, register
from interviews.ai import live_skills
from interviews.ai.language import quote

TASK = "live_questions"
MAX_QUESTIONS = 6

# The level a strength question is asked at; a gap is asked one step easier.
_LEVEL = {"junior": 1, "mid": 2, "senior": 3, "lead": 3}
_NAMES = {1: "easy", 2: "medium", 3: "hard"}


class GeneratedQuestion(BaseModel):
    content: str
    type: Literal["behavioral", "technical", "system_design", "situational", "culture_fit"]
    topic: str
    difficulty: Literal["easy", "medium", "hard"]
    explanation: str = Field(description="what the question tests, one sentence")
    key_points: list[str] = Field(
        description='what a good answer covers; cue terms in parentheses, e.g. "Trade-offs (trade-off, cost)"'
    )
    focus_area: str = Field(description="the focus area it probes, as named in the profile; empty for none")


class GeneratedQuestions(TaskOutput):
    questions: list[GeneratedQuestion]


def _cues(skill: live_skills.Skill) -> str:
    return ", ".join(dict.fromkeys([skill.name.lower(), *skill.spellings[1:4]]))


def _known_in_category(skill: live_skills.Skill, strengths: list[str]) -> str | None:
    for name in strengths:
        other = live_skills.skill_named(name)
        if (
            other is not None
            and other.name != skill.name
            and (other.category, other.topic)
            == (
                skill.category,
                skill.topic,
            )
        ):
            return other.name
    return None


def _gap_question(
    skill: live_skills.Skill, role: str, strengths: list[str], level: int
) -> tuple[str, str, list[str]]:
    """(question type, content, key points) for a skill the role needs and the resume lacks."""
    cues = _cues(skill)
    where = f"The {role} role" if role else "This role"
    known = _known_in_category(skill, strengths)
    if skill.category == "data":
        return (
            "technical",
            f"{where} relies on {skill.name}. When would you choose {skill.name}, and what trade-offs "
            f"would you watch for once it runs in production"
            + (f", compared with {known}, which you have used?" if known else "?"),
            [
                f"What {skill.name} is good for ({cues}, use case, when, designed for)",
                "Trade-offs and limits (trade-off, downside, instead, versus, cost, limitation, consistency)",
                "Running it in production (monitor, backup, scale, replica, partition, failure, retention)",
                "A concrete example (for example, for instance, in my last, project, #number)",
            ],
        )
    if skill.category == "messaging":
        return (
            "system_design",
            f"{where} moves events through {skill.name}. How would you design a flow of events on "
            f"{skill.name} so that nothing is lost or processed twice, and how would you operate it?",
            [
                f"How producers and consumers are set up ({cues}, topic, queue, partition, consumer group)",
                "Delivery guarantees (at least once, exactly once, idempotent, duplicate, ordering, offset)",
                "Failures and retries (retry, dead letter, backoff, replay, failure, poison)",
                "Operating it (monitor, lag, alert, throughput, scale, retention)",
            ],
        )
    if skill.category == "cloud":
        return (
            "technical",
            f"{where} runs on {skill.name}. How would you deploy and operate a service with {skill.name}, "
            "and what would you watch once it is live?",
            [
                f"How the service gets deployed ({cues}, deploy, pipeline, image, manifest, config)",
                "Keeping it reliable (rollback, health check, replica, autoscal, failure, restart)",
                "Observing it (monitor, metrics, alert, logs, dashboard, tracing)",
                "Security and cost (secret, permission, access, iam, cost, budget)",
            ],
        )
    if skill.category == "ml":
        return (
            "technical",
            f"{where} involves {skill.name}. How would you take a {skill.name} model from prototype to "
            "production, and how would you know it works?",
            [
                "The data (data, dataset, label, feature, clean, split)",
                "Evaluation against a baseline (metric, accuracy, precision, recall, baseline, validation)",
                f"Serving it ({cues}, deploy, serve, latency, batch, api)",
                "Watching it after launch (monitor, drift, retrain, feedback, alert)",
            ],
        )
    if skill.category in ("frontend", "mobile"):
        return (
            "technical",
            f"{where} uses {skill.name}. How would you build and ship a feature with {skill.name} so that "
            "it stays fast and accessible?",
            [
                f"How you structure it ({cues}, component, state, screen, module)",
                "Performance (render, bundle, lazy, cache, load time, #number)",
                "Accessibility and testing (accessib, screen reader, keyboard, test, aria)",
                "Shipping safely (release, feature flag, review, rollout, monitor)",
            ],
        )
    if skill.category == "leadership":
        return (
            "behavioral",
            f"{where} expects {skill.name.lower()}. Tell me about a time you showed it: the situation, "
            "what you did yourself and what changed because of it.",
            [
                "The situation and what was at stake (team, project, goal, problem, when)",
                "What you did yourself (I led, I decided, I organised, I set up, I talked, I asked)",
                "The result (#metric, improved, reduced, shipped, delivered, on time)",
                "What you learned (learned, lesson, next time, differently)",
            ],
        )
    if skill.category == "practice":
        return (
            "technical",
            f"{where} puts weight on {skill.name.lower()}. How do you practise it day to day? Give a concrete "
            "example and what it changed.",
            [
                f"What good {skill.name.lower()} means ({cues}, means, goal, principle)",
                "A concrete example (for example, for instance, in my last, project, when i)",
                "The result (#metric, improved, reduced, faster, fewer)",
                "Trade-offs or limits (trade-off, cost, limit, downside, instead, balance)",
            ],
        )
    level_word = "quickly" if level <= 1 else "on a production codebase"
    return (
        "technical",
        f"{where} uses {skill.name}, which your resume does not mention. How would you become productive "
        f"in {skill.name} {level_word}" + (f", building on what you know from {known}?" if known else "?"),
        [
            f"How {skill.name} works or what it is for ({cues}, works, used for, designed)",
            "What carries over from what you know (similar, compared, like in, same, different, unlike)",
            "A concrete learning plan (learn, docs, tutorial, course, prototype, side project, pair)",
            "How you would check your work (code review, test, feedback, mentor, review)",
        ],
    )


def _strength_question(skill_name: str, evidence: str) -> tuple[str, list[str]]:
    skill = live_skills.skill_named(skill_name)
    cues = _cues(skill) if skill is not None else skill_name.lower()
    lead = f'Your resume says: "{quote(evidence, 120)}". ' if evidence else ""
    return (
        f"{lead}Walk me through the hardest problem you solved with {skill_name}: what made it hard, "
        "what you did, and what you would do differently today.",
        [
            "Why it was hard (hard, challenge, constraint, problem, difficult, tricky)",
            f"What you did with it ({cues}, i built, i designed, i implemented, i chose, i changed)",
            "The outcome (#metric, reduced, improved, faster, saved, fewer)",
            "What you would change (differently, next time, lesson, learned, in hindsight)",
        ],
    )


def _role_question(role: str, job_description: str, level: int) -> GeneratedQuestion | None:
    role_words = {text.stem(w) for w in text.tokenize_words(role.lower())}
    phrases = [
        p
        for p in text.keywords(job_description, top=8)
        if len(p.split()) >= 2 and not {text.stem(w) for w in p.split()} <= role_words
    ][:2]
    if not role and not phrases:
        return None
    about = f" The job description talks about {' and '.join(phrases)}." if phrases else ""
    return GeneratedQuestion(
        content=f"Imagine your first 90 days as {role or 'the new hire in this role'}.{about} "
        "What would you focus on first, and how would you know it is working?",
        type="situational",
        topic="Prioritization",
        difficulty=_NAMES[max(1, level - 1)],  # type: ignore[arg-type]
        explanation="Tests how you prioritise in a new role and measure your own progress.",
        key_points=[
            "Learning the context first (learn, listen, understand, meet, shadow, onboard)",
            "Clear first priorities (priority, first, focus, goal, plan)",
            "Working with the people around you (team, stakeholder, manager, user, customer)",
            "How you would measure progress (#number, measure, metric, feedback, milestone)",
        ],
        focus_area="",
    )


def questions_local(inputs: dict[str, Any]) -> GeneratedQuestions:
    role = str(inputs.get("role") or "")
    job_description = str(inputs.get("job_description") or "")
    profile: dict[str, Any] = dict(inputs.get("profile") or {})
    level = _LEVEL.get(str(profile.get("detected_seniority") or "mid"), 2)
    strengths = [str(s.get("name")) for s in profile.get("strengths") or []]
    gaps = {str(g.get("name")) for g in profile.get("gaps") or []}
    generated: list[GeneratedQuestion] = []
    for area in profile.get("focus_areas") or []:
        name = str(area.get("name") or "")
        skill = live_skills.skill_named(name)
        if skill is None or area.get("kind") == "level":
            continue  # the bank covers what a level implies (system design, leadership, learning)
        if name in gaps:
            kind, content, points = _gap_question(skill, role, strengths, level)
            difficulty = _NAMES[max(1, level - 1)]
            explanation = f"Tests {name}, which the job description asks for and the resume does not show."
        else:
            evidence = next(
                (e.get("quote", "") for e in area.get("evidence") or [] if e.get("source") == "resume"), ""
            )
            content, points = _strength_question(name, str(evidence))
            kind = "behavioral"
            difficulty = _NAMES[level]
            explanation = (
                f"Tests the depth behind {name}, which both the resume and the job description name."
            )
        generated.append(
            GeneratedQuestion(
                content=content,
                type=kind,  # type: ignore[arg-type]
                topic=skill.topic,
                difficulty=difficulty,  # type: ignore[arg-type]
                explanation=explanation,
                key_points=points,
                focus_area=name,
            )
        )
    role_question = _role_question(role, job_description, level)
    if role_question is not None:
        generated.append(role_question)
    return GeneratedQuestions(questions=generated[:MAX_QUESTIONS])


SYSTEM_PROMPT = f"""\
You write interview questions for one candidate and one role. Return JSON matching the schema.
Write one question per focus area of the profile that names a skill, and one about the role's first
90 days built on the job description; at most {MAX_QUESTIONS} questions.
- For a gap (the job description asks for the skill, the resume does not show it): a practical
  question on how the candidate would work with it. For a strength: the hardest problem they solved
  with it, quoting the resume line.
- type: behavioral, technical, system_design, situational or culture_fit. difficulty: easy, medium
  or hard by the detected seniority: a strength at easy (junior), medium (mid) or hard (senior,
  lead); a gap one step easier.
- key_points: three to five things a complete answer covers, each with cue terms in parentheses
  that an answer covering it would say, e.g. "Trade-offs (trade-off, downside, instead, cost)".
- focus_area: the focus area's name exactly as given, or empty for the role question.
- topic: a short topic such as Databases, Cloud and DevOps, Messaging, Python, Leadership."""


def _prompt(inputs: dict[str, Any]) -> str:
    profile = dict(inputs.get("profile") or {})
    areas = (
        "\n".join(f"- {a.get('name')} ({a.get('reason')})" for a in profile.get("focus_areas") or [])
        or "- (none)"
    )
    strengths = ", ".join(str(s.get("name")) for s in profile.get("strengths") or []) or "(none)"
    gaps = ", ".join(str(g.get("name")) for g in profile.get("gaps") or []) or "(none)"
    return (
        f"Role: {inputs.get('role') or '(not given)'}\n"
        f"Detected seniority: {profile.get('detected_seniority') or 'mid'}\n"
        f"Strengths: {strengths}\nGaps: {gaps}\nFocus areas:\n{areas}\n\n"
        f'Job description:\n"""\n{inputs.get("job_description") or "(not given)"}\n"""'
    )


QUESTIONS = register(
    Task(
        name=TASK,
        output=GeneratedQuestions,
        local=questions_local,
        system_prompt=SYSTEM_PROMPT,
        user_prompt=_prompt,
    )
)

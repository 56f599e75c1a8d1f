"""Resume profiling for the live mock interview (`live_profile`): seniority, strengths, gaps
against the job description, and the focus areas the interview will probe.

Every item carries evidence: the resume or job-description line it was read from, quoted.

The local engine:

- seniority, from three kinds of evidence. Years: the largest "N years of experience" stated, or
  the dated roles (e.g. "2016 - 2020", "Mar 2019 – Present") merged so that overlaps count once,
  education and internships left out. Titles: the level of a job title, a short segment of a line
  naming a role (0 intern, junior, graduate; 1 engineer, developer, analyst...; 2 senior; 3 staff,
  principal, lead, head, manager, director, architect): the highest one held, and the one held
  now (its line says "Present"; else the first listed). Scope: people led or managed ("led a team
  of 6", "4 direct reports"), mentoring, hiring, owning architecture or roadmap.
  Rule: years give the base level (under 2 junior, 2-5 mid, 5-8 senior, 8+ counts as senior
  unless there is lead evidence); a senior or lead-level title above it lifts it one step (an
  ordinary title says nothing); without stated years the highest title decides (mid when there
  is none). A junior title held now means junior under 5 years, mid at most after. Mid becomes
  senior with two or more scope signals and at least 4 years. Lead needs a lead-level title with
  at least 5 years, or a team of five or more led or managed with at least 8 years; otherwise
  senior is the ceiling.
- skills: the lexicon in `live_skills`. A job-description line under a "nice to have"/"bonus"/
  "preferred" heading, or saying so itself, asks for the skill optionally; any other asks for it.
- strengths: skills the job description asks for that the resume shows (required first, then by
  how often the job description says them); without a job description, the resume's most-cited
  skills. Two or more quantified achievement lines add "Quantified impact".
- gaps: skills the job description asks for that the resume never names (required first, then
  by emphasis, see `jd_skills`); one of "Django or FastAPI" on the resume covers both.
- focus areas (at most five): up to two required gaps (verify them), up to two strengths the role
  leans on (probe depth), then what the level implies (system design from senior up on a
  technical role, leadership for a lead, learning for a junior); without a job description, the
  resume's top skills.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from analysis.engines import text
from analysis.engines.llm import Task, TaskOutput, register
from interviews.ai import live_skills
from interviews.ai.language import quote

TASK = "live_profile"

Level = Literal["junior", "mid", "senior", "lead"]
LEVELS: tuple[Level, ...] = ("junior", "mid", "senior", "lead")
MAX_FOCUS_AREAS = 5
MAX_ITEMS = 8
# People leadership that reads as a lead: a team of at least this many.
LEAD_TEAM_SIZE = 5


class Evidence(BaseModel):
    source: Literal["resume", "job_description"]
    quote: str = Field(description="the line this was read from, copied verbatim")


class SenioritySignal(BaseModel):
    kind: Literal["years", "title", "scope"]
    detail: str = Field(description='what the signal says, e.g. "8 years of experience"')
    evidence: Evidence


class ProfileItem(BaseModel):
    name: str
    note: str = Field(description='e.g. "required by the job description", "nice to have"')
    evidence: list[Evidence]


class FocusArea(BaseModel):
    name: str
    kind: Literal["gap", "strength", "level", "resume"] = Field(
        description="gap: asked for, not shown; strength: asked for and shown; level: implied by the "
        "seniority; resume: cited by the resume (no job description)"
    )
    topic: str = Field(description="the question-bank topic it draws questions from")
    reason: str
    evidence: list[Evidence]


class ResumeProfile(TaskOutput):
    detected_seniority: Level
    years_experience: float | None
    seniority_signals: list[SenioritySignal]
    strengths: list[ProfileItem]
    gaps: list[ProfileItem]
    focus_areas: list[FocusArea]
    is_technical_role: bool
    summary: str


# --------------------------------------------------------------------------------------------
# Seniority

_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"


def _point(suffix: str) -> str:
    """A month-year ("Mar 2019", "03/2019") or a bare year, with named groups ending in `suffix`."""
    return rf"(?:(?P<m{suffix}>{_MONTH})\s+)?(?:(?P<n{suffix}>\d{{1,2}})/)?(?P<y{suffix}>(?:19|20)\d{{2}})"


_RANGE_RE = re.compile(
    _point("1")
    + r"\s*(?:-|–|—|to|until)\s*(?:"
    + _point("2")
    + r"|(?P<now>present|current|now|today|ongoing|date))",
    re.IGNORECASE,
)
_WORD_YEARS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip
_YEARS_RE = re.compile(
    r"(?P<n>\d{1,2}(?:\.\d)?|" + "|".join(_WORD_YEARS) + r")\s*\+?\s*(?:years?|yrs?)'?"
    r"(?:\s+of)?(?:\s+[\w-]+){0,3}?\s+(?:experience|exp\b)",
    re.IGNORECASE,
)
_EDUCATION_RE = re.compile(
    r"\b(?:university|college|school|bachelor|master|b\.?sc|m\.?sc|b\.?a\.?|phd|ph\.d|degree|"
    r"diploma|bootcamp|coursework|gpa)\b",
    re.IGNORECASE,
)
_INTERNSHIP_RE = re.compile(r"\b(?:intern|internship|trainee|apprentice|placement)\b", re.IGNORECASE)
_ROLE_NOUN_RE = re.compile(
    r"\b(?:engineer|developer|programmer|analyst|scientist|designer|consultant|architect|manager|"
    r"director|lead|head|cto|vp|intern|administrator|specialist|sre|devops)\b",
    re.IGNORECASE,
)
_TITLE_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (
        3,
        re.compile(
            r"\b(?:staff|principal|lead|head of|manager|director|vp|vice president|cto|chief|"
            r"architect)\b",
            re.IGNORECASE,
        ),
    ),  # fmt: skip
    (2, re.compile(r"\b(?:senior|sr\.?)\s", re.IGNORECASE)),
    (
        0,
        re.compile(
            r"\b(?:intern|internship|junior|jr\.?|graduate|entry[- ]level|trainee|apprentice)\b",
            re.IGNORECASE,
        ),
    ),  # fmt: skip
)
_NUMBER = r"(\d{1,3}|" + "|".join(_WORD_YEARS) + r")"
_PEOPLE_RE = re.compile(
    r"\b(?:led|lead|leading|managed|managing|manage|built and led|grew|supervised|headed)\s+"
    r"(?:a\s+|an?\s+)?(?:\w+\s+){0,2}?(?:team|group|squad|org(?:anisation|anization)?)\s+of\s+" + _NUMBER
    + r"|\b" + _NUMBER + r"\s+direct reports\b"
    + r"|\b(?:managed|managing|manage|supervised)\s+" + _NUMBER + r"\s+(?:\w+\s+)?"
    r"(?:engineers|developers|people|analysts|designers|reports)\b",
    re.IGNORECASE,
)  # fmt: skip
_SCOPE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mentoring", re.compile(r"\b(?:mentored|mentoring|coached|coaching)\b", re.IGNORECASE)),
    ("hiring", re.compile(r"\b(?:hired|hiring|interviewed|recruited)\b", re.IGNORECASE)),
    (
        "ownership of architecture or roadmap",
        re.compile(
            r"\b(?:architected|owned the (?:architecture|roadmap|platform)|technical direction|"
            r"set the (?:technical )?(?:strategy|direction|roadmap)|design authority|"
            r"across (?:\w+ )?teams|cross-team|org-wide|company-wide)\b",
            re.IGNORECASE,
        ),
    ),
)


@dataclass(frozen=True)
class _Seniority:
    level: Level
    years: float | None
    signals: list[SenioritySignal]


def _lines(value: str) -> list[str]:
    """Non-empty lines, whitespace collapsed and list bullets dropped (quotes read cleaner)."""
    lines = (live_skills.clean_line(line) for line in value.splitlines())
    return [line for line in lines if line]


def _month_index(year: str, month: str | None, number: str | None) -> int:
    month_no = 1
    if month:
        month_no = _MONTHS.get(month[:3].lower(), 1)
    elif number and 1 <= int(number) <= 12:
        month_no = int(number)
    return int(year) * 12 + month_no - 1


def _dated_years(lines: list[str], today: date) -> tuple[float | None, list[SenioritySignal]]:
    spans: list[tuple[int, int]] = []
    quotes: list[str] = []
    now = today.year * 12 + today.month - 1
    for line in lines:
        if _EDUCATION_RE.search(line) or _INTERNSHIP_RE.search(line):
            continue
        for match in _RANGE_RE.finditer(line):
            start = _month_index(match["y1"], match["m1"], match["n1"])
            end = now if match["now"] else _month_index(match["y2"], match["m2"], match["n2"])
            if match["now"] is None and not match["m2"] and not match["n2"]:
                end += 11  # "2016 - 2019" runs to the end of 2019
            if start <= end <= now + 1:
                spans.append((start, min(end, now)))
                if line not in quotes:
                    quotes.append(line)
    if not spans:
        return None, []
    spans.sort()
    merged: list[tuple[int, int]] = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end + 1:
            merged[-1] = (last_start, max(last_end, end))
        else:
            merged.append((start, end))
    months = sum(end - start + 1 for start, end in merged)
    years = round(months / 12, 1)
    signal = SenioritySignal(
        kind="years",
        detail=f"{years:g} years across {len(quotes)} dated role{'s' if len(quotes) != 1 else ''}",
        evidence=Evidence(source="resume", quote=quote(quotes[0])),
    )
    return years, [signal]


def _stated_years(lines: list[str]) -> tuple[float | None, list[SenioritySignal]]:
    best: tuple[float, str] | None = None
    for line in lines:
        for match in _YEARS_RE.finditer(line):
            raw = match["n"].lower()
            value = float(_WORD_YEARS.get(raw, 0) or raw)
            if best is None or value > best[0]:
                best = (value, line)
    if best is None:
        return None, []
    signal = SenioritySignal(
        kind="years",
        detail=f"{best[0]:g} years of experience stated",
        evidence=Evidence(source="resume", quote=quote(best[1])),
    )
    return best[0], [signal]


_SEGMENT_RE = re.compile(r"\s*(?:[,|(){}\[\]—–]|\s-\s|\bat\b|@)\s*")
_TITLE_NAMES = {0: "an entry-level title", 1: "an individual-contributor title", 2: "a senior title",
                3: "a lead-level title"}  # fmt: skip
_CURRENT_RE = re.compile(r"\b(?:present|current|now|today|ongoing)\b", re.IGNORECASE)


def _title_of(line: str) -> int | None:
    """The level of the job title on `line`, if a short segment of it is one ("Senior Software
    Engineer, Northwind (2019 - Present)"); a sentence that merely says "engineer" is not."""
    for segment in _SEGMENT_RE.split(line):
        words = segment.split()
        if not 1 <= len(words) <= 6 or not _ROLE_NOUN_RE.search(segment):
            continue
        for level, pattern in _TITLE_LEVELS:
            if pattern.search(segment + " "):
                return level
        return 1
    return None


@dataclass(frozen=True)
class _Titles:
    highest: int | None
    current: int | None  # the role held now (its line says "Present"), else the first one listed
    signals: list[SenioritySignal]


def _titles(lines: list[str]) -> _Titles:
    found = [(level, line) for line in lines if (level := _title_of(line)) is not None]
    if not found:
        return _Titles(None, None, [])
    highest = max(found, key=lambda item: item[0])
    current = next((item for item in found if _CURRENT_RE.search(item[1])), found[0])
    signals = [
        SenioritySignal(
            kind="title",
            detail=_TITLE_NAMES[highest[0]],
            evidence=Evidence(source="resume", quote=quote(highest[1])),
        )
    ]
    if current[0] != highest[0]:
        signals.append(
            SenioritySignal(
                kind="title",
                detail=f"{_TITLE_NAMES[current[0]]}, held now",
                evidence=Evidence(source="resume", quote=quote(current[1])),
            )
        )
    return _Titles(highest[0], current[0], signals)


def _number(raw: str) -> int:
    return _WORD_YEARS.get(raw.lower(), 0) or int(raw)


def _scope(lines: list[str]) -> tuple[int, bool, list[SenioritySignal]]:
    """(scope signals, whether a team of five or more was led or managed, their evidence)."""
    signals: list[SenioritySignal] = []
    leads_people = False
    for line in lines:
        people = _PEOPLE_RE.search(line)
        if people is not None:
            size = _number(next(g for g in people.groups() if g))
            if size >= 2:
                leads_people = size >= LEAD_TEAM_SIZE
                signals.append(
                    SenioritySignal(
                        kind="scope",
                        detail=f"led or managed {size} people",
                        evidence=Evidence(source="resume", quote=quote(line)),
                    )
                )
                break
    for name, pattern in _SCOPE_CUES:
        found = next((candidate for candidate in lines if pattern.search(candidate)), None)
        if found is not None:
            signals.append(
                SenioritySignal(
                    kind="scope", detail=name, evidence=Evidence(source="resume", quote=quote(found))
                )
            )
    return len(signals), leads_people, signals


def _years_level(years: float) -> int:
    if years < 2:
        return 0
    if years < 5:
        return 1
    return 2 if years < 8 else 3


def seniority(resume: str, today: date) -> _Seniority:
    """The level the resume supports, with the signals that decided it (rule in the module doc)."""
    lines = _lines(resume)
    dated, dated_signals = _dated_years(lines, today)
    stated, stated_signals = _stated_years(lines)
    years: float | None = max(v for v in (dated, stated) if v is not None) if (dated or stated) else None
    year_signals = (
        stated_signals if stated is not None and (dated is None or stated >= dated) else dated_signals
    )
    titles = _titles(lines)
    scope_count, leads_people, scope_signals = _scope(lines)

    if years is not None:
        level = _years_level(years)
        # An ordinary title ("Software Engineer") says nothing about level; senior and up do.
        if titles.highest is not None and titles.highest >= 2 and titles.highest > level:
            level = min(titles.highest, level + 1)
    else:
        level = titles.highest if titles.highest is not None else 1
    if titles.current == 0:
        level = 0 if (years or 0) < 5 else min(level, 1)
    if level == 1 and scope_count >= 2 and (years or 0) >= 4:
        level = 2
    lead_title = titles.highest == 3 and (years or 0) >= 5
    if level >= 3 and not (lead_title or (leads_people and (years or 0) >= 8)):
        level = 2
    level = max(0, min(3, level))
    return _Seniority(LEVELS[level], years, [*year_signals, *titles.signals, *scope_signals])


# --------------------------------------------------------------------------------------------
# Skills

_OPTIONAL_RE = re.compile(
    r"\b(?:nice[- ]to[- ]have|bonus|a plus|is a plus|preferred|desirable|optional|ideally|"
    r"would be great|good to have)\b",
    re.IGNORECASE,
)
_REQUIRED_HEADING_RE = re.compile(
    r"\b(?:requirements?|required|must[- ]haves?|qualifications|responsibilities|what you(?:'ll| will) "
    r"(?:do|bring|need)|you have|about you|skills)\b",
    re.IGNORECASE,
)
_METRIC_LINE_MIN = 2


@dataclass
class _Asked:
    skill: live_skills.Skill
    required: bool
    weight: float
    quote: str
    first_line: int
    alternatives: set[str]


def _is_heading(line: str) -> bool:
    return len(line.split()) <= 6 and (line.endswith(":") or line.isupper() or line.istitle())


_ALTERNATIVE_RE = re.compile(r"^\s*(?:/|,?\s+or\s+|,?\s+and/or\s+)\s*$", re.IGNORECASE)


def _alternatives(line: str, found: list[live_skills.Mention]) -> dict[str, set[str]]:
    """Skills offered as alternatives on one line ("Django or FastAPI", "AWS/GCP")."""
    placed = sorted(
        (line.lower().find(m.spelling.lower()), m.spelling, m.skill.name) for m in found if m.spelling
    )
    groups: dict[str, set[str]] = {}
    for (start, spelling, name), (next_start, _next_spelling, next_name) in zip(
        placed, placed[1:], strict=False
    ):
        between = line[start + len(spelling) : next_start] if start >= 0 and next_start > start else ""
        if between and _ALTERNATIVE_RE.match(between):
            group = groups.get(name, {name}) | groups.get(next_name, {next_name})
            for member in group:
                groups[member] = group
    return groups


def jd_skills(job_description: str, role: str) -> list[_Asked]:
    """Skills the job description (and role) asks for, most emphasised first: required before
    nice to have, then by weight (each mention weighs 2 when required, 1 when optional, shared
    among the skills of its line, so a requirement on a line of its own counts most), then by
    where the job description first says it."""
    asked: dict[str, _Asked] = {}
    optional_section = False
    for number, line in enumerate([role, *_lines(job_description)]):
        if not line:
            continue
        if _is_heading(line):
            if _OPTIONAL_RE.search(line):
                optional_section = True
            elif _REQUIRED_HEADING_RE.search(line):
                optional_section = False
        optional = optional_section or bool(_OPTIONAL_RE.search(line))
        found = live_skills.mentions(line)
        groups = _alternatives(line, found)
        for mention in found:
            name = mention.skill.name
            weight = (1.0 if optional else 2.0) / len(found)
            entry = asked.get(name)
            if entry is None:
                asked[name] = _Asked(mention.skill, not optional, weight, quote(line), number, set())
                entry = asked[name]
            else:
                entry.weight += weight
                if not optional and not entry.required:
                    entry.required, entry.quote = True, quote(line)
            entry.alternatives |= groups.get(name, set()) - {name}
    return sorted(asked.values(), key=lambda a: (not a.required, -round(a.weight, 3), a.first_line))


def _resume_skills(resume: str) -> dict[str, list[live_skills.Mention]]:
    found: dict[str, list[live_skills.Mention]] = {}
    for mention in live_skills.mentions(resume):
        found.setdefault(mention.skill.name, []).append(mention)
    return found


def _metric_lines(resume: str) -> list[str]:
    return [
        line
        for line in _lines(resume)
        if any(q.unit not in ("calendar_year", None) or q.value >= 10 for q in text.numbers(line))
        and text.star_structure(line).has_metrics
    ]


def is_technical(role: str, job_description: str, asked: list[_Asked]) -> bool:
    technical = {a.skill.name for a in asked if a.skill.category in live_skills.TECHNICAL_CATEGORIES}
    role_words = re.search(
        r"\b(?:engineer|developer|programmer|sre|devops|data|architect|scientist|technical|software|"
        r"backend|frontend|full[- ]stack|ml|qa)\b",
        f"{role} {job_description[:400]}",
        re.IGNORECASE,
    )
    return len(technical) >= 2 or bool(role_words)


def profile_local(inputs: dict[str, Any]) -> ResumeProfile:
    resume = str(inputs.get("resume") or "")
    job_description = str(inputs.get("job_description") or "")
    role = str(inputs.get("role") or "")
    today = date.fromisoformat(str(inputs.get("today") or date.today().isoformat()))

    level = seniority(resume, today)
    asked = jd_skills(job_description, role) if (job_description or role) else []
    has_jd = bool(job_description.strip())
    shown = _resume_skills(resume)
    technical = is_technical(role, job_description, asked) if has_jd or role else True

    strengths: list[ProfileItem] = []
    gaps: list[ProfileItem] = []
    for entry in asked:
        mentions = shown.get(entry.skill.name)
        if not mentions and entry.alternatives & set(shown):
            continue  # "Django or FastAPI" asks for one of them, and the resume has one
        jd_evidence = Evidence(source="job_description", quote=entry.quote)
        note = "required by the job description" if entry.required else "nice to have in the job description"
        if mentions:
            strengths.append(
                ProfileItem(
                    name=entry.skill.name,
                    note=f"{note}; on the resume",
                    evidence=[Evidence(source="resume", quote=quote(mentions[0].line)), jd_evidence],
                )
            )
        else:
            gaps.append(
                ProfileItem(name=entry.skill.name, note=f"{note}; not on the resume", evidence=[jd_evidence])
            )
    if not has_jd:
        ranked = sorted(shown.items(), key=lambda item: (-len(item[1]), item[1][0].line_number))
        for name, mentions in ranked[:MAX_ITEMS]:
            strengths.append(
                ProfileItem(
                    name=name,
                    note=f"named on {len(mentions)} line{'s' if len(mentions) != 1 else ''} of the resume",
                    evidence=[Evidence(source="resume", quote=quote(mentions[0].line))],
                )
            )
    metric_lines = _metric_lines(resume)
    if len(metric_lines) >= _METRIC_LINE_MIN:
        strengths.append(
            ProfileItem(
                name="Quantified impact",
                note=f"{len(metric_lines)} achievements on the resume state a measured result",
                evidence=[Evidence(source="resume", quote=quote(line)) for line in metric_lines[:2]],
            )
        )
    strengths, gaps = strengths[:MAX_ITEMS], gaps[:MAX_ITEMS]

    focus = _focus_areas(level.level, technical, asked, strengths, gaps, shown, has_jd, level.signals)
    summary = _summary(level, strengths, gaps, focus, role)
    return ResumeProfile(
        detected_seniority=level.level,
        years_experience=level.years,
        seniority_signals=level.signals,
        strengths=strengths,
        gaps=gaps,
        focus_areas=focus,
        is_technical_role=technical,
        summary=summary,
    )


_LEVEL_FOCUS: dict[str, tuple[tuple[str, str, str], ...]] = {
    # (name, bank topic, reason); technical-only entries are filtered below
    "junior": (("Learning", "Learning", "a junior profile: how you pick up new things matters most"),),
    "mid": (("Debugging", "Debugging", "a mid-level profile: owning problems end to end"),),
    "senior": (("System design", "System design", "a senior profile: designing systems, not only features"),),
    "lead": (
        ("System design", "System design", "a lead profile: technical direction across systems"),
        ("Leadership", "Leadership", "a lead profile: leading people and delivery"),
    ),
}


def _focus_areas(
    level: str,
    technical: bool,
    asked: list[_Asked],
    strengths: list[ProfileItem],
    gaps: list[ProfileItem],
    shown: dict[str, list[live_skills.Mention]],
    has_jd: bool,
    signals: list[SenioritySignal],
) -> list[FocusArea]:
    required = {a.skill.name for a in asked if a.required}
    areas: list[FocusArea] = []

    def add(name: str, kind: str, topic: str, reason: str, evidence: list[Evidence]) -> None:
        if len(areas) < MAX_FOCUS_AREAS and all(a.name.lower() != name.lower() for a in areas):
            areas.append(FocusArea(name=name, kind=kind, topic=topic, reason=reason, evidence=evidence))  # type: ignore[arg-type]

    def topic_of(name: str) -> str:
        skill = live_skills.skill_named(name)
        return skill.topic if skill is not None else name

    for gap in [g for g in gaps if g.name in required][:2]:
        add(gap.name, "gap", topic_of(gap.name),
            "gap: the job description asks for it and the resume does not show it", gap.evidence)  # fmt: skip
    for strength in [s for s in strengths if s.name in required or not has_jd][:2]:
        if strength.name == "Quantified impact":
            continue
        add(strength.name, "strength" if has_jd else "resume", topic_of(strength.name),
            "depth: the role leans on it and the resume claims it", strength.evidence)  # fmt: skip
    for name, topic, reason in _LEVEL_FOCUS[level]:
        if name == "System design" and not technical:
            continue
        evidence = [s.evidence for s in signals[:1]]
        add(name, "level", topic, reason, evidence)
    for gap in gaps:
        add(gap.name, "gap", topic_of(gap.name),
            "gap: the job description mentions it and the resume does not", gap.evidence)  # fmt: skip
    if not has_jd:
        for name, mentions in sorted(shown.items(), key=lambda item: -len(item[1])):
            add(name, "resume", topic_of(name), "the resume cites it most",
                [Evidence(source="resume", quote=quote(mentions[0].line))])  # fmt: skip
    return areas


def _summary(
    level: _Seniority,
    strengths: list[ProfileItem],
    gaps: list[ProfileItem],
    focus: list[FocusArea],
    role: str,
) -> str:
    years = f"{level.years:g} years of experience" if level.years is not None else "no stated years"
    parts = [f"{level.level.capitalize()} profile ({years})"]
    if role:
        parts[0] += f" for the {role} role"
    if strengths:
        parts.append("strengths: " + ", ".join(s.name for s in strengths[:4]))
    if gaps:
        parts.append("gaps against the job description: " + ", ".join(g.name for g in gaps[:4]))
    if focus:
        parts.append("the interview will focus on " + ", ".join(f.name for f in focus))
    return "; ".join(parts) + "."


SYSTEM_PROMPT = """\
You profile a candidate for a mock job interview from their resume and the job description.
Return JSON matching the schema.
- detected_seniority: junior, mid, senior or lead, from evidence in the resume: years of experience
  (stated, or from the dated roles; education does not count), job titles (intern/junior, engineer,
  senior, staff/principal/lead/manager), and scope (people led or managed, mentoring, hiring,
  owning architecture or a roadmap). Lead needs a lead-level title and 5+ years, or a team of
  five or more led or managed and 8+ years. years_experience: the years you counted, or null when the resume gives no dates.
- seniority_signals: each signal you used, with the resume line it comes from.
- strengths: skills the job description asks for that the resume shows (without a job
  description: the resume's most-cited skills). gaps: skills the job description asks for that the
  resume never mentions. note says whether the job description requires it or calls it a nice to have.
- focus_areas: at most five areas the interview should probe: required gaps first, then strengths
  the role leans on, then what the level implies (system design for senior technical roles,
  leadership for leads). topic: a short topic name such as Databases, System design, Leadership.
- Every evidence quote must be a line copied verbatim from the resume (source "resume") or the job
  description (source "job_description"). Never invent skills or quotes.
- summary: one sentence."""


def _prompt(inputs: dict[str, Any]) -> str:
    return (
        f"Role: {inputs.get('role') or '(not given)'}\nToday: {inputs.get('today')}\n\n"
        f'Job description:\n"""\n{inputs.get("job_description") or "(not given)"}\n"""\n\n'
        f'Resume:\n"""\n{inputs.get("resume") or ""}\n"""'
    )


PROFILE = register(
    Task(
        name=TASK, output=ResumeProfile, local=profile_local, system_prompt=SYSTEM_PROMPT, user_prompt=_prompt
    )
)

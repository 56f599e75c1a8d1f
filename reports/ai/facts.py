"""Reading the context the way an analyst would: requirement priorities, how well a solution
covers each requirement, stakeholder influence, risk ratings, delivery phases, money.

Pattern rules and term overlap on the record's own words; nothing here invents a fact. Where the
record is silent, callers say so in the section.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from analysis.engines import text
from reports.ai.context import SectionContext

# --------------------------------------------------------------------------------------------
# Terms and overlap
# --------------------------------------------------------------------------------------------

_STOP = frozenset(
    """a an the and or but if of to in on at by for with from into onto over under as is are was were be
    been being it its this that these those there their our we you your they them he she his her i me my
    must shall should could would will can may might need needs needed able have has had do does did not
    no so than then also all any each every some such via per within across about up out more most less
    new using use used""".split()
)


def terms(value: str) -> set[str]:
    """Content words of `value`, lower-cased and crudely stemmed."""
    return {text.stem(w) for w in text.tokenize_words(value) if w.lower() not in _STOP and len(w) > 1}


def containment(needle: str, haystack: str | set[str]) -> float:
    """Share (0..1) of the needle's content words that the haystack contains."""
    wanted = terms(needle)
    if not wanted:
        return 0.0
    have = haystack if isinstance(haystack, set) else terms(haystack)
    return len(wanted & have) / len(wanted)


def best_match(needle: str, candidates: list[str]) -> tuple[str | None, float]:
    best, score = None, 0.0
    for candidate in candidates:
        value = containment(needle, candidate)
        if value > score:
            best, score = candidate, value
    return best, score


def mentions(value: str, topic: str) -> bool:
    """Whether `value` mentions every content word of `topic` (stemmed)."""
    wanted = terms(topic)
    return bool(wanted) and wanted <= terms(value)


# --------------------------------------------------------------------------------------------
# Requirements
# --------------------------------------------------------------------------------------------

_MUST_RE = re.compile(r"\b(must|shall|required|mandatory|critical|essential|need(?:s)? to)\b", re.I)
_SHOULD_RE = re.compile(r"\b(should|important|expected|preferably)\b", re.I)
_COULD_RE = re.compile(r"\b(could|nice to have|optional|ideally|would like)\b", re.I)
_WONT_RE = re.compile(r"\b(won't|will not|not required|out of scope|later phase)\b", re.I)
_NON_FUNCTIONAL_RE = re.compile(
    r"\b(performance|latency|response time|seconds?|uptime|availability|available|scalab\w*|concurrent|"
    r"throughput|secur\w*|encrypt\w*|audit\w*|complian\w*|backup|recovery|disaster|accessib\w*|usability|"
    r"wcag|gdpr|hipaa|sso|single sign-on|load|reliab\w*|maintainab\w*|retention)\b",
    re.I,
)


def priority_of(requirement: str) -> str:
    """MoSCoW priority from the requirement's own wording; '-' when it does not say."""
    if _WONT_RE.search(requirement):
        return "Won't (this phase)"
    if _MUST_RE.search(requirement):
        return "Must"
    if _SHOULD_RE.search(requirement):
        return "Should"
    if _COULD_RE.search(requirement):
        return "Could"
    return "-"


def category_of(requirement: str) -> str:
    return "Non-functional" if _NON_FUNCTIONAL_RE.search(requirement) else "Functional"


def coverage_label(score: float) -> str:
    if score >= 0.6:
        return "Addressed"
    if score >= 0.3:
        return "Partly addressed"
    return "Not addressed"


@dataclass(frozen=True)
class Coverage:
    requirement: str
    score: float
    evidence: str | None

    @property
    def label(self) -> str:
        return coverage_label(self.score)


def solution_coverage(ctx: SectionContext) -> list[Coverage]:
    """For each requirement, how much of it the proposed solution and technology list speak to."""
    o = ctx.opportunity
    pieces = text.sentences(o.proposed_solution) + o.technologies + o.integrations + o.deliverables
    everything = terms(" ".join(pieces))
    out = []
    for requirement in o.requirements:
        evidence, _ = best_match(requirement, pieces)
        out.append(Coverage(requirement, containment(requirement, everything), evidence))
    return out


# --------------------------------------------------------------------------------------------
# "Label: detail" lines
# --------------------------------------------------------------------------------------------

_SPLIT_RE = re.compile(r"\s*(?::|\s[-–—]\s|\|)\s*")


def split_label(line: str) -> tuple[str, str]:
    """'Salesforce: sync tickets' → ('Salesforce', 'sync tickets'); 'Jane Doe (CFO)' → ('Jane Doe', 'CFO')."""
    paren = re.match(r"^(.*?)\s*\(([^)]+)\)\s*$", line)
    if paren and ":" not in line:
        return paren.group(1).strip(), paren.group(2).strip()
    parts = _SPLIT_RE.split(line.strip(), maxsplit=1)
    if len(parts) == 2 and parts[0]:
        return parts[0].strip(), parts[1].strip()
    return line.strip(), ""


# --------------------------------------------------------------------------------------------
# Stakeholders
# --------------------------------------------------------------------------------------------

_HIGH_INFLUENCE_RE = re.compile(
    r"\b(chief|ceo|cfo|cto|cio|coo|ciso|vp|vice president|director|head|owner|sponsor|board|founder|"
    r"president|partner|executive)\b",
    re.I,
)
_MEDIUM_INFLUENCE_RE = re.compile(r"\b(manager|lead|architect|principal|supervisor|procurement)\b", re.I)
_HIGH_INTEREST_RE = re.compile(
    r"\b(sponsor|owner|user|users|operator|manager|lead|agent|technician|analyst|team|dispatcher|staff|"
    r"champion)\b",
    re.I,
)


@dataclass(frozen=True)
class Stakeholder:
    name: str
    role: str
    influence: str
    interest: str

    @property
    def engagement(self) -> str:
        high_influence = self.influence == "High"
        high_interest = self.interest == "High"
        if high_influence and high_interest:
            return "Manage closely"
        if high_influence:
            return "Keep satisfied"
        if high_interest:
            return "Keep informed"
        return "Monitor"


def stakeholders(ctx: SectionContext) -> list[Stakeholder]:
    out = []
    for line in ctx.opportunity.stakeholders:
        name, role = split_label(line)
        subject = role or name
        if _HIGH_INFLUENCE_RE.search(subject):
            influence = "High"
        elif _MEDIUM_INFLUENCE_RE.search(subject):
            influence = "Medium"
        else:
            influence = "Low"
        interest = "High" if _HIGH_INTEREST_RE.search(subject) else "Medium"
        out.append(Stakeholder(name, role or "role not stated", influence, interest))
    return out


# --------------------------------------------------------------------------------------------
# Risks
# --------------------------------------------------------------------------------------------

LEVELS = {"Low": 1, "Medium": 2, "High": 3}
_LEVEL_WORDS = [
    (
        re.compile(r"\b(high|likely|probable|frequent|certain|critical|severe|major|significant)\b", re.I),
        "High",
    ),
    (re.compile(r"\b(medium|moderate|possible|occasional|may|might|could)\b", re.I), "Medium"),
    (re.compile(r"\b(low|unlikely|rare|minor|small)\b", re.I), "Low"),
]
_SEVERE_IMPACT_RE = re.compile(
    r"\b(outage|breach|fine|penalt\w*|data loss|lost data|downtime|miss(?:es|ed)? the|go-live|regulat\w*|"
    r"safety|revenue|churn|legal)\b",
    re.I,
)
_MITIGATIONS = [
    (re.compile(r"\b(migrat\w*|data quality|legacy data|cut-?over)\b", re.I),
     "Run a trial migration with reconciliation reports before cut-over"),
    (re.compile(r"\b(integrat\w*|api|interface|sync\w*)\b", re.I),
     "Agree interface contracts early and test against a sandbox of each system"),
    (re.compile(r"\b(staff\w*|resourc\w*|key person|availability|hiring|capacity)\b", re.I),
     "Name a backup for each key role and confirm availability in writing"),
    (re.compile(r"\b(budget|cost\w*|overrun|price)\b", re.I),
     "Phase the scope so the first release fits the budget; review spend at each milestone"),
    (re.compile(r"\b(adoption|training|resist\w*|change management|users?)\b", re.I),
     "Involve pilot users from the start and plan training before go-live"),
    (re.compile(r"\b(vendor|supplier|third[- ]party|licen[cs]\w*)\b", re.I),
     "Secure service levels and escalation contacts in the supplier contract"),
    (re.compile(r"\b(secur\w*|breach|privacy|complian\w*|gdpr|hipaa|audit)\b", re.I),
     "Security and privacy review with a penetration test before go-live"),
    (re.compile(r"\b(schedule|deadline|delay\w*|late|timeline)\b", re.I),
     "Track milestones weekly against a contingency buffer; agree what moves if a date slips"),
    (re.compile(r"\b(scope|requirement\w*|unclear|ambigu\w*)\b", re.I),
     "Freeze the scope at the end of discovery and run changes through change control"),
    (re.compile(r"\b(performance|scal\w*|load|latency)\b", re.I),
     "Load-test against the stated volumes before go-live"),
]  # fmt: skip


@dataclass(frozen=True)
class Risk:
    description: str
    likelihood: str
    impact: str
    mitigation: str
    source: str  # "record" or "derived"

    @property
    def score(self) -> int:
        return LEVELS[self.likelihood] * LEVELS[self.impact]

    @property
    def rating(self) -> str:
        return "High" if self.score >= 6 else "Medium" if self.score >= 3 else "Low"


def _level(value: str, default: str) -> str:
    for pattern, level in _LEVEL_WORDS:
        if pattern.search(value):
            return level
    return default


def suggested_mitigation(description: str) -> str | None:
    for pattern, mitigation in _MITIGATIONS:
        if pattern.search(description):
            return mitigation
    return None


def _record_risk(line: str) -> Risk:
    parts = [p.strip() for p in line.split("|")]
    description = parts[0]
    if len(parts) >= 3:
        likelihood, impact = _level(parts[1], "Medium"), _level(parts[2], "Medium")
    else:
        likelihood = _level(description, "Medium")
        impact = "High" if _SEVERE_IMPACT_RE.search(description) else "Medium"
    mitigation = parts[3] if len(parts) >= 4 and parts[3] else None
    return Risk(
        description,
        likelihood,
        impact,
        mitigation or suggested_mitigation(description) or "Owner to define (not in the record)",
        "record",
    )


def risks(ctx: SectionContext) -> list[Risk]:
    """The record's own risks, plus those its numbers imply, highest rating first."""
    o = ctx.opportunity
    out = [_record_risk(line) for line in o.risks]
    money = money_facts(ctx)
    if money.budget_gap is not None and money.budget_gap > 0:
        share = money.budget_gap / (o.budget_amount or 1) * 100
        out.append(
            Risk(
                f"Estimated cost exceeds the budget by {share:.0f}%",
                "High",
                "High",
                "Agree a reduced first phase or a larger budget before commitment",
                "derived",
            )
        )
    window = schedule(ctx)
    if window.slack_weeks is not None and window.slack_weeks < 0:
        out.append(
            Risk(
                f"Delivery needs {window.needed_weeks} weeks but the window to the target date is "
                f"{window.available_weeks} weeks",
                "High",
                "High",
                "Move the target date or cut scope to what fits the window",
                "derived",
            )
        )
    elif (
        window.slack_weeks is not None
        and window.needed_weeks
        and window.slack_weeks < 0.15 * window.needed_weeks
    ):
        out.append(
            Risk(
                f"Only {window.slack_weeks} weeks of slack before the target date",
                "Medium",
                "High",
                "Track milestones weekly against a contingency buffer; agree what moves if a date slips",
                "derived",
            )
        )
    if len(o.integrations) >= 3:
        out.append(
            Risk(
                f"{len(o.integrations)} integration points to build and test",
                "Medium",
                "Medium",
                "Agree interface contracts early and test against a sandbox of each system",
                "derived",
            )
        )
    if o.compliance:
        out.append(
            Risk(
                f"Regulatory obligations ({', '.join(split_label(c)[0] for c in o.compliance)})",
                "Medium",
                "High",
                "Security and privacy review with a penetration test before go-live",
                "derived",
            )
        )
    for dependency in o.dependencies:
        out.append(
            Risk(
                f"Depends on: {dependency}",
                "Medium",
                "Medium",
                suggested_mitigation(dependency) or "Name an owner and a date for the dependency",
                "derived",
            )
        )
    uncovered = [
        c
        for c in solution_coverage(ctx)
        if c.label == "Not addressed" and priority_of(c.requirement) == "Must"
    ]
    if uncovered:
        out.append(
            Risk(
                f"{len(uncovered)} must-have requirement(s) not addressed by the proposed solution",
                "High",
                "High",
                "Extend the solution design before pricing is final",
                "derived",
            )
        )
    return sorted(out, key=lambda r: (-r.score, r.source != "record"))


# --------------------------------------------------------------------------------------------
# Money
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyFacts:
    budget: float | None
    cost: float | None
    annual_benefit: float | None
    years: int = 3

    @property
    def budget_gap(self) -> float | None:
        """Cost minus budget: positive means over budget."""
        if self.budget is None or self.cost is None:
            return None
        return self.cost - self.budget

    @property
    def payback_months(self) -> float | None:
        if self.cost is None or not self.annual_benefit or self.annual_benefit <= 0:
            return None
        return self.cost / (self.annual_benefit / 12)

    @property
    def net_benefit(self) -> float | None:
        if self.cost is None or self.annual_benefit is None:
            return None
        return self.annual_benefit * self.years - self.cost

    @property
    def roi_percent(self) -> float | None:
        if self.net_benefit is None or not self.cost:
            return None
        return self.net_benefit / self.cost * 100


def money_facts(ctx: SectionContext) -> MoneyFacts:
    o = ctx.opportunity
    return MoneyFacts(o.budget_amount, o.estimated_cost, o.expected_annual_benefit)


def stated_amounts(line: str) -> list[text.Quantity]:
    return [q for q in text.numbers(line) if q.unit in {"USD", "EUR", "GBP", "INR", "JPY", "%"}]


# --------------------------------------------------------------------------------------------
# Schedule and phases
# --------------------------------------------------------------------------------------------

PHASES: tuple[tuple[str, float], ...] = (
    ("Discovery & design", 0.15),
    ("Build", 0.45),
    ("Integration & testing", 0.25),
    ("Deployment & hypercare", 0.15),
)
_PHASE_RULES = [
    (re.compile(r"\b(design|spec\w*|blueprint|architecture|plan|assessment|workshop|discovery|audit)\b", re.I), 0),
    (re.compile(r"\b(test\w*|integrat\w*|interface|uat|migrat\w*|connector)\b", re.I), 2),
    (re.compile(r"\b(train\w*|documentation|handover|go-live|rollout|deploy\w*|support|hypercare|launch)\b", re.I), 3),
]  # fmt: skip


def phase_of(item: str) -> int:
    for pattern, index in _PHASE_RULES:
        if pattern.search(item):
            return index
    return 1


@dataclass(frozen=True)
class Schedule:
    start: date | None
    target: date | None
    needed_weeks: int | None  # the delivery estimate, or the window when no estimate is recorded
    available_weeks: int | None  # start to target

    @property
    def slack_weeks(self) -> int | None:
        if self.needed_weeks is None or self.available_weeks is None:
            return None
        return self.available_weeks - self.needed_weeks


def schedule(ctx: SectionContext) -> Schedule:
    o = ctx.opportunity
    available = None
    if o.start_on and o.target_on and o.target_on > o.start_on:
        available = (o.target_on - o.start_on).days // 7
    needed = o.duration_weeks or None
    return Schedule(o.start_on, o.target_on, needed, available)


@dataclass(frozen=True)
class Phase:
    name: str
    weeks: int | None
    start: date | None
    end: date | None
    activities: list[str]


def phases(ctx: SectionContext) -> list[Phase]:
    """The four delivery phases sized from the estimate (or the window), dated from the start,
    each with the record's deliverables, requirements and integrations that belong to it."""
    o = ctx.opportunity
    window = schedule(ctx)
    total = window.needed_weeks or window.available_weeks
    weeks: list[int | None]
    if total:
        raw = [max(1, math.floor(total * share + 0.5)) for _, share in PHASES]
        raw[1] += total - sum(raw)  # rounding lands in Build, the phase with most room
        if raw[1] < 1:
            raw = [max(1, w) for w in raw]
        weeks = list(raw)
    else:
        weeks = [None] * len(PHASES)
    activities: list[list[str]] = [[] for _ in PHASES]
    musts = [r for r in o.requirements if priority_of(r) == "Must"]
    activities[0].append(
        f"Confirm {len(o.requirements)} requirement(s)"
        + (f", {len(musts)} of them must-haves" if musts else "")
        if o.requirements
        else "Capture and agree the requirements (none recorded yet)"
    )
    for deliverable in o.deliverables:
        activities[phase_of(deliverable)].append(deliverable)
    if not any(phase_of(d) == 1 for d in o.deliverables):
        features = [r for r in o.requirements if category_of(r) == "Functional"][:3]
        activities[1].append(
            "Build " + "; ".join(f.rstrip(".") for f in features) if features else "Build the agreed scope"
        )
    for integration in o.integrations:
        activities[2].append(f"Integrate and test {split_label(integration)[0]}")
    activities[2].append("User acceptance testing against the requirements")
    activities[3].append("Go-live" + (f" (target {o.target_on.isoformat()})" if o.target_on else ""))
    out = []
    cursor = o.start_on
    for index, (name, _) in enumerate(PHASES):
        span = weeks[index]
        start = cursor if cursor and span else None
        end = start + timedelta(weeks=span) - timedelta(days=1) if start and span else None
        cursor = start + timedelta(weeks=span) if start and span else None
        out.append(Phase(name, span, start, end, activities[index]))
    return out


# --------------------------------------------------------------------------------------------
# Resources
# --------------------------------------------------------------------------------------------

_COUNT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:x\s+|×\s*)?(.*)$", re.I)
_WORD_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1}  # fmt: skip


@dataclass(frozen=True)
class Resource:
    count: float | None
    role: str


def resources(ctx: SectionContext) -> list[Resource]:
    out = []
    for line in ctx.opportunity.resources:
        match = _COUNT_RE.match(line)
        if match:
            out.append(Resource(float(match.group(1)), match.group(2).strip() or line))
            continue
        first, _, rest = line.strip().partition(" ")
        if first.lower() in _WORD_COUNTS and rest:
            out.append(Resource(float(_WORD_COUNTS[first.lower()]), rest.strip()))
        else:
            out.append(Resource(None, line.strip()))
    return out


_ROLE_NEEDS = [
    ("project or delivery manager", re.compile(r"\b(project|delivery|program+e?)\s*(manager|lead)|\bpm\b|scrum", re.I), lambda ctx: True),
    ("QA / test engineer", re.compile(r"\b(qa|test\w*|quality)\b", re.I), lambda ctx: bool(ctx.opportunity.requirements)),
    ("integration or backend engineer", re.compile(r"\b(integration|backend|back-end|api|full[- ]?stack)\b", re.I), lambda ctx: bool(ctx.opportunity.integrations)),
    ("security / compliance specialist", re.compile(r"\b(secur\w*|complian\w*|privacy)\b", re.I), lambda ctx: bool(ctx.opportunity.compliance)),
    ("data / migration specialist", re.compile(r"\b(data|migration|dba|database)\b", re.I), lambda ctx: any("migrat" in t.lower() for _, t in ctx.all_text())),
]  # fmt: skip


def missing_roles(ctx: SectionContext) -> list[str]:
    """Roles the scope calls for that the resource list does not name."""
    listed = " ".join(ctx.opportunity.resources)
    return [role for role, pattern, needed in _ROLE_NEEDS if needed(ctx) and not pattern.search(listed)]


# --------------------------------------------------------------------------------------------
# Technology and integrations
# --------------------------------------------------------------------------------------------

_LAYERS = [
    ("Frontend", re.compile(r"\b(react|vue|angular|svelte|next\.?js|typescript|javascript|html|css|tailwind|ios|android|flutter|swift|kotlin)\b", re.I)),
    ("Backend", re.compile(r"\b(django|flask|fastapi|python|java|spring|node(?:\.js)?|express|\.net|c#|go|golang|ruby|rails|php|laravel|rust)\b", re.I)),
    ("Data", re.compile(r"\b(postgres\w*|mysql|mariadb|oracle|sql server|mongodb|redis|elasticsearch|snowflake|bigquery|redshift|databricks|kafka|s3|dynamodb)\b", re.I)),
    ("Infrastructure", re.compile(r"\b(aws|azure|gcp|google cloud|kubernetes|k8s|docker|terraform|linux|nginx|openshift|heroku|on-prem\w*)\b", re.I)),
    ("Identity & security", re.compile(r"\b(azure ad|entra|okta|auth0|keycloak|sso|saml|oauth|oidc|vault)\b", re.I)),
    ("Integration", re.compile(r"\b(rest|graphql|soap|webhook\w*|mulesoft|zapier|sftp|edi|rabbitmq|celery)\b", re.I)),
    ("Analytics & AI", re.compile(r"\b(power bi|tableau|looker|openai|llm|machine learning|ml|pytorch|tensorflow)\b", re.I)),
]  # fmt: skip


def layer_of(technology: str) -> str:
    # Identity first: "Azure AD" is identity, not infrastructure.
    ordered = [_LAYERS[4], *_LAYERS[:4], *_LAYERS[5:]]
    for layer, pattern in ordered:
        if pattern.search(technology):
            return layer
    return "Other"


_METHOD_RE = re.compile(
    r"\b(rest(?:ful)?|api|graphql|soap|webhooks?|sftp|ftp|csv|file|events?|kafka|queue|odbc|jdbc|edi|database|"
    r"batch|nightly|real[- ]time)\b",
    re.I,
)
_INBOUND_RE = re.compile(r"\b(import\w*|from|read\w*|pull\w*|receiv\w*|ingest\w*|load\w*)\b", re.I)
_OUTBOUND_RE = re.compile(r"\b(export\w*|to|push\w*|send\w*|writ\w*|publish\w*|post\w*|notif\w*)\b", re.I)
_TWO_WAY_RE = re.compile(r"\b(two-way|bi-?directional|sync\w*|both ways)\b", re.I)


@dataclass(frozen=True)
class Integration:
    system: str
    purpose: str
    method: str
    direction: str


def integrations(ctx: SectionContext) -> list[Integration]:
    out = []
    for line in ctx.opportunity.integrations:
        system, purpose = split_label(line)
        methods = sorted({m.lower() for m in _METHOD_RE.findall(line)})
        if _TWO_WAY_RE.search(purpose):
            direction = "Two-way"
        elif _INBOUND_RE.search(purpose) and not _OUTBOUND_RE.search(purpose):
            direction = "Inbound"
        elif _OUTBOUND_RE.search(purpose) and not _INBOUND_RE.search(purpose):
            direction = "Outbound"
        else:
            direction = "Not stated"
        out.append(
            Integration(
                system, purpose or "purpose not stated", ", ".join(methods) or "not stated", direction
            )
        )
    return out


COMPLIANCE_OBLIGATIONS = {
    "gdpr": "lawful basis and records of processing, data-subject rights (access, erasure), breach notice within 72 hours, EU data transfer safeguards",
    "ccpa": "notice at collection, consumer rights to know and delete, opt-out of sale or sharing",
    "hipaa": "safeguards for protected health information, business associate agreements, access logging",
    "soc 2": "controls evidenced for security, availability and confidentiality over the audit period",
    "iso 27001": "an information security management system with risk treatment and annual audits",
    "pci dss": "cardholder data kept out of scope where possible (tokenisation), network segmentation, quarterly scans",
    "sox": "change control and access reviews for systems that feed financial reporting",
    "wcag": "accessible interfaces (WCAG 2.1 AA): keyboard use, contrast, screen-reader labels",
    "fedramp": "an authorised cloud environment and continuous monitoring",
}
_SENSITIVE_RE = re.compile(
    r"\b(personal data|customer data|pii|names?|e-?mail addresses|phone numbers|addresses|health|patient|"
    r"medical|payment|card|bank|salary|payroll|passport|social security)\b",
    re.I,
)


def obligations_for(item: str) -> str | None:
    folded = re.sub(r"[\s_-]+", " ", item.lower())
    for name, obligation in COMPLIANCE_OBLIGATIONS.items():
        if name in folded:
            return obligation
    return None


def sensitive_data(ctx: SectionContext) -> list[str]:
    found: list[str] = []
    for label, value in ctx.all_text():
        if label == "exclusion":
            continue  # data the project will not touch
        for match in _SENSITIVE_RE.findall(value):
            word = match.lower()
            if word not in found:
                found.append(word)
    return found


_PAIN_RE = re.compile(
    r"\b(manual\w*|slow\w*|error\w*|spreadsheets?|legacy|outages?|duplicat\w*|delay\w*|complain\w*|"
    r"lost|missing|re-?key\w*|paper|backlog|inconsisten\w*|silo\w*|workaround\w*|frustrat\w*|cost\w* too|"
    r"fail\w*|churn)\b",
    re.I,
)


def pain_points(value: str) -> list[str]:
    """Sentences that describe a problem: negative in tone or naming a known pain."""
    return [s for s in text.sentences(value) if _PAIN_RE.search(s) or text.sentiment(s).compound <= -0.3]

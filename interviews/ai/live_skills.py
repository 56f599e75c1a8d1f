"""The skills the live interviewer recognises in resumes and job descriptions.

A lexicon, not a model: each skill has a canonical name, the question-bank topic it belongs to
(so a focus area can pull bank questions), a category (which sets how a generated question about
it is phrased) and the spellings people write. A match is a whole-word, case-insensitive hit of
any spelling; spellings marked case-sensitive ("Go", "R") only match as written, because the
lower-case words are ordinary English. Every hit keeps the line it was found on, so a strength
or a gap can always be traced to the text that says it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Skill:
    name: str
    topic: str
    category: str  # language, framework, data, messaging, cloud, practice, ml, frontend, mobile, leadership
    spellings: tuple[str, ...]
    case_sensitive: tuple[str, ...] = ()


def _s(name: str, topic: str, category: str, *spellings: str, exact: tuple[str, ...] = ()) -> Skill:
    return Skill(name, topic, category, (name.lower(), *(s.lower() for s in spellings)), exact)


SKILLS: tuple[Skill, ...] = (
    # Languages
    _s("Python", "Python", "language", "python3"),
    _s("Java", "Engineering practice", "language", "jvm"),
    _s("JavaScript", "Frontend", "language", "ecmascript", "es6"),
    _s("TypeScript", "Frontend", "language"),
    _s("Go", "Concurrency", "language", "golang", exact=("Go",)),
    _s("Rust", "Engineering practice", "language"),
    _s("C++", "Performance", "language", "cpp"),
    _s("C#", "Engineering practice", "language", "csharp"),
    _s("Ruby", "Engineering practice", "language"),
    _s("Kotlin", "Engineering practice", "language"),
    _s("Swift", "Frontend", "language"),
    _s("Scala", "Data engineering", "language"),
    _s("PHP", "Engineering practice", "language"),
    _s("SQL", "Databases", "language", "t-sql", "pl/sql"),
    _s("Bash", "Cloud and DevOps", "language", "shell scripting", "shell scripts"),
    # Frameworks and interfaces
    _s("Django", "Python", "framework", "django rest framework", "drf"),
    _s("Flask", "Python", "framework"),
    _s("FastAPI", "Python", "framework"),
    _s("Spring", "Engineering practice", "framework", "spring boot"),
    _s("Node.js", "Engineering practice", "framework", "nodejs", "express.js", "expressjs"),
    _s("React", "Frontend", "frontend", "react.js", "reactjs"),
    _s("Angular", "Frontend", "frontend", "angularjs"),
    _s("Vue", "Frontend", "frontend", "vue.js", "vuejs"),
    _s("Next.js", "Frontend", "frontend", "nextjs"),
    _s("Ruby on Rails", "Engineering practice", "framework", "rails"),
    _s(".NET", "Engineering practice", "framework", "asp.net", "dotnet"),
    _s("REST APIs", "APIs", "practice", "rest api", "restful", "api design", "apis", "web apis"),
    _s("GraphQL", "APIs", "practice"),
    _s("gRPC", "APIs", "practice", "protobuf", "protocol buffers"),
    _s("WebSockets", "Real-time systems", "practice", "websocket", "real-time", "realtime"),
    # Data
    _s("PostgreSQL", "Databases", "data", "postgres", "psql"),
    _s("MySQL", "Databases", "data", "mariadb"),
    _s("MongoDB", "Databases", "data", "mongo"),
    _s("Redis", "Caching", "data"),
    _s("Elasticsearch", "Databases", "data", "opensearch", "elastic search"),
    _s("Cassandra", "Databases", "data"),
    _s("DynamoDB", "Databases", "data"),
    _s("Kafka", "Messaging", "messaging", "apache kafka"),
    _s("RabbitMQ", "Messaging", "messaging", "amqp"),
    _s("Message queues", "Messaging", "messaging", "message queue", "message queues", "pub/sub", "sqs"),
    _s("Spark", "Data engineering", "data", "pyspark", "apache spark"),
    _s("Airflow", "Data engineering", "data", "apache airflow"),
    _s("Snowflake", "Data engineering", "data"),
    _s("BigQuery", "Data engineering", "data"),
    _s("dbt", "Data engineering", "data"),
    _s("ETL", "Data engineering", "data", "elt", "data pipelines", "data pipeline"),
    _s("Pandas", "Data engineering", "data"),
    _s("Data modeling", "Databases", "data", "data modelling", "schema design", "database design"),
    _s("Caching", "Caching", "practice", "cache", "cdn", "memcached"),
    # Cloud and operations
    _s("AWS", "Cloud and DevOps", "cloud", "amazon web services", "ec2", "s3", "aws lambda"),
    _s("GCP", "Cloud and DevOps", "cloud", "google cloud"),
    _s("Azure", "Cloud and DevOps", "cloud"),
    _s("Kubernetes", "Cloud and DevOps", "cloud", "k8s", "helm", "eks", "gke", "aks"),
    _s("Docker", "Cloud and DevOps", "cloud", "containers", "containerization", "containerisation"),
    _s("Terraform", "Cloud and DevOps", "cloud", "infrastructure as code", "pulumi", "cloudformation"),
    _s("Ansible", "Cloud and DevOps", "cloud"),
    _s(
        "CI/CD",
        "Cloud and DevOps",
        "cloud",
        "continuous integration",
        "continuous delivery",
        "continuous deployment",
        "jenkins",
        "github actions",
        "gitlab ci",
        "circleci",
    ),  # fmt: skip
    _s("Linux", "Cloud and DevOps", "cloud", "unix"),
    _s(
        "Observability",
        "Incident response",
        "practice",
        "monitoring",
        "prometheus",
        "grafana",
        "datadog",
        "opentelemetry",
        "tracing",
        "logging",
    ),  # fmt: skip
    _s(
        "On-call",
        "Incident response",
        "practice",
        "on call",
        "incident response",
        "incidents",
        "postmortem",
        "post-mortem",
        "sre",
    ),  # fmt: skip
    _s("Serverless", "Cloud and DevOps", "cloud"),
    # Engineering practice
    _s("Microservices", "System design", "practice", "microservice", "service-oriented", "soa"),
    _s("Distributed systems", "System design", "practice", "distributed system", "distributed computing"),
    _s(
        "System design",
        "System design",
        "practice",
        "systems design",
        "architecture",
        "scalability",
        "scalable",
        "high availability",
        "high-availability",
    ),  # fmt: skip
    _s(
        "Testing",
        "Testing",
        "practice",
        "unit tests",
        "unit testing",
        "integration tests",
        "tdd",
        "test-driven",
        "pytest",
        "junit",
        "jest",
        "automated tests",
        "test automation",
    ),  # fmt: skip
    _s("Code review", "Engineering practice", "practice", "code reviews", "pull requests"),
    _s("Agile", "Delivery", "practice", "scrum", "kanban", "sprints", "sprint"),
    _s(
        "Security",
        "Security",
        "practice",
        "oauth",
        "authentication",
        "authorization",
        "encryption",
        "owasp",
        "secure coding",
        "threat modeling",
    ),  # fmt: skip
    _s(
        "Performance optimisation",
        "Performance",
        "practice",
        "performance optimization",
        "performance tuning",
        "profiling",
        "latency",
        "optimisation",
        "optimization",
    ),  # fmt: skip
    _s(
        "Concurrency",
        "Concurrency",
        "practice",
        "multithreading",
        "multi-threading",
        "async",
        "asyncio",
        "parallelism",
        "threads",
    ),  # fmt: skip
    _s("Algorithms", "Algorithms", "practice", "data structures", "algorithm"),
    _s("Debugging", "Debugging", "practice", "troubleshooting", "root cause"),
    _s("Git", "Engineering practice", "practice", "version control"),
    # Machine learning
    _s("Machine learning", "Data engineering", "ml", "ml", "machine-learning"),
    _s("Deep learning", "Data engineering", "ml", "neural networks"),
    _s("PyTorch", "Data engineering", "ml"),
    _s("TensorFlow", "Data engineering", "ml", "keras"),
    _s("scikit-learn", "Data engineering", "ml", "sklearn"),
    _s("NLP", "Data engineering", "ml", "natural language processing"),
    _s("LLMs", "Data engineering", "ml", "llm", "large language models", "generative ai", "genai"),
    _s("Computer vision", "Media pipelines", "ml", "opencv", "image processing"),
    _s("Video processing", "Media pipelines", "data", "ffmpeg", "transcoding", "streaming media"),
    # Frontend and mobile
    _s("HTML/CSS", "Frontend", "frontend", "html", "css", "html5", "css3", "sass", "tailwind"),
    _s("Accessibility", "Frontend", "frontend", "a11y", "wcag"),
    _s("iOS", "Frontend", "mobile", "swiftui", "uikit"),
    _s("Android", "Frontend", "mobile", "jetpack compose"),
    _s("React Native", "Frontend", "mobile"),
    _s("Flutter", "Frontend", "mobile", "dart"),
    # Leadership and collaboration
    _s("Leadership", "Leadership", "leadership", "led", "leading", "tech lead", "team lead"),
    _s("Mentoring", "Mentoring", "leadership", "mentored", "mentor", "coaching", "coached"),
    _s(
        "People management",
        "People management",
        "leadership",
        "managed a team",
        "direct reports",
        "line management",
        "performance reviews",
        "managing engineers",
    ),  # fmt: skip
    _s("Hiring", "Hiring", "leadership", "recruiting", "interviewing", "hired"),
    _s("Stakeholder management", "Influence", "leadership", "stakeholders", "stakeholder"),
    _s(
        "Cross-functional collaboration",
        "Collaboration",
        "leadership",
        "cross-functional",
        "cross functional",
        "collaborated",
        "collaboration",
    ),  # fmt: skip
    _s("Project management", "Delivery", "leadership", "roadmap", "roadmaps", "project planning", "delivery"),
    _s(
        "Product sense",
        "Prioritization",
        "leadership",
        "product management",
        "prioritisation",
        "prioritization",
        "user research",
    ),  # fmt: skip
    _s(
        "Communication",
        "Collaboration",
        "leadership",
        "presentations",
        "written communication",
        "documentation",
    ),  # fmt: skip
)

TECHNICAL_CATEGORIES = frozenset(
    {"language", "framework", "data", "messaging", "cloud", "practice", "ml", "frontend", "mobile"}
)
# Whole words only: "Java" is not in "JavaScript", "C" is not in "C++", ".NET" not in "ASP.NET".
_BEFORE = r"(?<![\w+#.-])"
_AFTER = r"(?![\w+#]|\.\w)"


# List bullets in front of a line: quotes read cleaner without them.
BULLET_RE = re.compile(r"^[\s\-–—•*·▪●◦‣>]+")


def clean_line(raw: str) -> str:
    return " ".join(BULLET_RE.sub("", raw).split())


@dataclass(frozen=True)
class Mention:
    skill: Skill
    spelling: str
    line: str  # the text line it was found on, whitespace collapsed
    line_number: int


def _alternation(words: set[str], flags: int) -> re.Pattern[str] | None:
    if not words:
        return None
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(_BEFORE + "(?:" + "|".join(re.escape(w) for w in ordered) + ")" + _AFTER, flags)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]:
    """(case-insensitive, case-sensitive) patterns per skill. A case-sensitive spelling ("Go")
    is left out of the loose one, or "go to market" would be a programming language."""
    out = {}
    for skill in SKILLS:
        sensitive = {w.lower() for w in skill.case_sensitive}
        loose = {w for w in skill.spellings if w not in sensitive}
        out[skill.name] = (_alternation(loose, re.IGNORECASE), _alternation(set(skill.case_sensitive), 0))
    return out


def _search(skill: Skill, line: str) -> re.Match[str] | None:
    loose, exact = _patterns()[skill.name]
    match = loose.search(line) if loose is not None else None
    if match is None and exact is not None:
        match = exact.search(line)
    return match


def mentions(text: str) -> list[Mention]:
    """Every skill the text names, once per (skill, line), in reading order."""
    found: list[Mention] = []
    for number, raw in enumerate(text.splitlines()):
        line = clean_line(raw)
        if not line:
            continue
        for skill in SKILLS:
            match = _search(skill, line)
            if match is not None:
                found.append(Mention(skill, match.group(0), line, number))
    return found


def skill_named(name: str) -> Skill | None:
    wanted = name.strip().lower()
    return next((s for s in SKILLS if s.name.lower() == wanted), None)


def says_skill(text: str, skill: Skill) -> bool:
    return any(_search(skill, line) is not None for line in text.splitlines() or [text])

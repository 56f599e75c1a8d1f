"""The technical landscape: which layer each named technology belongs to, and each integration's
system, purpose, method and direction."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reports.ai.context import SectionContext
from reports.ai.facts.wording import split_label

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

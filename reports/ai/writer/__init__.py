"""The local section writer: one composer per allowed title, each building its Markdown from the
customer and opportunity record (tables, plans and figures computed from the record's own facts)
and marking, as a `> **Gap:**` line, each fact the section needs and the record does not give.

Sentences are built from typed slots (`reports.ai.prose`: counts agree with their nouns and verbs,
record phrases are fitted into a sentence), and every figure a section works out is registered
on the Draft with the phrase that tells the reader how (`Draft.derive`).

`draft` holds the section being written and the sentences the composers share; `paragraphs` the
one-subject paragraphs the Executive Summary is made of (and the refiner adds for a reader);
`shared`, `feasibility`, `technical_scope` and `commercial` hold the composers by report type;
`compose` maps each allowed title to its composer."""

from __future__ import annotations

from reports.ai.writer.compose import COMPOSERS, compose_section, write_section
from reports.ai.writer.draft import Composer, Derivation, Draft

__all__ = ["COMPOSERS", "Composer", "Derivation", "Draft", "compose_section", "write_section"]

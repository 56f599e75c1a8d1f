"""The local section writer: one composer per allowed title, each building its Markdown from the
customer and opportunity record (tables, plans and figures computed from the record's own facts)
and marking, as a `> **Gap:**` line, each fact the section needs and the record does not give.

`draft` holds the section being written and the prose the composers share; `shared`, `feasibility`,
`technical_scope` and `commercial` hold the composers by report type; `compose` maps each allowed
title to its composer."""

from __future__ import annotations

from reports.ai.writer.compose import COMPOSERS, write_section
from reports.ai.writer.draft import Composer, Draft

__all__ = ["COMPOSERS", "Composer", "Draft", "write_section"]

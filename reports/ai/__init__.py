"""The report-section AI tasks, registered with `analysis.engines.llm` on import.

- `report_section_write`: inputs {"report_type", "section_title", "context"} → SectionDraft.
  The local engine composes each allowed title from the record (reports/ai/writer/).
- `report_section_refine`: inputs {"report_type", "section_title", "context", "original_text",
  "prompt"} → SectionRefinement. The local engine applies tone, audience, emphasis, length, layout
  and topic instructions (documented in reports/ai/refiner/__init__.py); the openai provider takes
  any prompt.

Both providers return the same models; `final_text()` turns a refinement into the text the client
receives, with a note on what the local engine changed and on every instruction that could not be
applied.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field

from analysis.engines.llm import Task, TaskOutput, register
from reports.ai.context import CustomerFacts, OpportunityFacts, SectionContext
from reports.ai.refiner import refine_section
from reports.ai.writer import write_section

__all__ = [
    "REFINE_TASK",
    "WRITE_TASK",
    "CustomerFacts",
    "OpportunityFacts",
    "SectionContext",
    "SectionDraft",
    "SectionRefinement",
    "final_text",
]

WRITE_TASK = "report_section_write"
REFINE_TASK = "report_section_refine"


class SectionDraft(TaskOutput):
    markdown: str = Field(description="the section in Markdown, starting with '## <section title>'")
    gaps: list[str] = Field(description="facts the section needed that the context does not give")


class SectionRefinement(TaskOutput):
    markdown: str = Field(description="the refined section in Markdown")
    applied: list[str] = Field(description="what was changed, one entry per instruction applied")
    not_applied: list[str] = Field(
        description="each instruction that could not be applied, quoted, with the reason"
    )


def final_text(refinement: SectionRefinement) -> str:
    """The refined section as the client gets it: the Markdown, then a note on what was changed
    (local engine) and what could not be applied, so the reader is never left to guess.

    Only the local engine's changes are listed: they are measured edits ("shortened from 182 to
    118 words"); a remote model's `applied` entries are its own unchecked claims, so of its report
    only what it says it could not do is passed on."""
    body = refinement.markdown.rstrip() + "\n"
    notes = []
    if refinement.engine == "local" and refinement.applied:
        changed = "\n".join(f"> - {item}" for item in refinement.applied)
        notes.append(f"> **Refinement note:** changed:\n>\n{changed}")
    if refinement.not_applied:
        refused = "\n".join(f"> - {item}" for item in refinement.not_applied)
        notes.append(f"> **Refinement note:** could not apply:\n>\n{refused}")
    if not notes:
        return body
    return f"{body}\n---\n\n" + "\n>\n".join(notes) + "\n"


# --------------------------------------------------------------------------------------------
# Local implementations
# --------------------------------------------------------------------------------------------


def _context(inputs: dict[str, Any]) -> SectionContext:
    return SectionContext.model_validate(inputs["context"])


def write_local(inputs: dict[str, Any]) -> SectionDraft:
    markdown, gaps = write_section(inputs["report_type"], inputs["section_title"], _context(inputs))
    return SectionDraft(markdown=markdown, gaps=gaps)


def refine_local(inputs: dict[str, Any]) -> SectionRefinement:
    markdown, applied, not_applied = refine_section(
        original=inputs["original_text"],
        prompt=inputs["prompt"],
        ctx=_context(inputs),
        report_type=inputs["report_type"],
        title=inputs["section_title"],
    )
    return SectionRefinement(markdown=markdown, applied=applied, not_applied=not_applied)


# --------------------------------------------------------------------------------------------
# Prompts for the openai provider
# --------------------------------------------------------------------------------------------

TITLE_GUIDANCE = {
    "Executive Summary": "the customer and need, the opportunity's objectives and its benefits (quantified ones as the record states them), the proposal, cost against budget with the payback, timeline and top risks, in a few short paragraphs",
    "Project Overview": "background, objectives as a list, scope at a glance, timeline",
    "Business Requirements": "a requirements table (ID, requirement, MoSCoW priority, functional/non-functional) and traceability to objectives",
    "Technical Assessment": "current state, proposed solution, requirement coverage table, complexity rating with its drivers",
    "Resource Assessment": "a roles table, total effort in person-weeks, roles the scope needs but the team lacks",
    "Cost-Benefit Analysis": "the cost estimate (broken down only as far as the record breaks it down), quantified and qualitative benefits, a return table (net benefit, ROI, payback) over 3 years with how each figure is worked out",
    "Risk Assessment": "a risk table with likelihood, impact, rating and mitigation, highest rating first",
    "Alternative Solutions": "a comparison table of the proposal, each alternative and doing nothing, against the requirements",
    "Timeline Feasibility": "start, target, window, estimate and slack in a table, a verdict, and the phases",
    "Stakeholder Analysis": "a stakeholder table with influence, interest and engagement approach",
    "Recommendations": "an overall verdict and a prioritised, numbered list of actions",
    "Appendix": "sources, assumptions, dependencies, technologies and information the record does not hold",
    "Company Background": "a company facts table and a short description with key themes",
    "Current State Analysis": "today's systems and processes, pain points, figures stated",
    "Requirements Overview": "a requirements table with priority, type and coverage by the solution",
    "Proposed Solution": "the solution and a table of how it meets each requirement",
    "Technology Stack": "a table of technologies grouped by layer (frontend, backend, data, infrastructure, ...)",
    "Integration Points": "a table of systems with purpose, method and direction",
    "Security & Compliance": "a table of standards with their obligations, security requirements, data handled",
    "Implementation Timeline": "a phased plan table (phase, weeks, dates, activities) and the slack before the target",
    "Resource Requirements": "a roles table, total effort, missing roles",
    "Risks & Mitigations": "a risk table with likelihood, impact, rating and mitigation",
    "Assumptions & Dependencies": "an assumptions list and a dependency table",
    "Scope of Work": "in-scope and out-of-scope lists",
    "Deliverables": "a deliverables table with phase and acceptance criterion",
    "Pricing": "the price and the pricing model, a breakdown only where the record gives one, the budget comparison",
    "Payment Terms": "the agreed payment terms with each instalment's amount, or milestones tied to the deliverables with the shares left to agree",
    "Timeline": "a phase table with weeks and dates",
    "Assumptions": "the assumptions the offer rests on, as a list",
    "Terms & Conditions": "numbered contractual clauses grounded in the record, and what legal must still settle",
}

WRITE_SYSTEM_PROMPT = """\
You write one section of a business report in Markdown for a sales and delivery team.
Use only the facts in the customer and opportunity context you are given; never invent names,
figures or dates, and never split a figure into parts the context does not give. When you work a
figure out from others (a payback, a difference, a share), say how in the text. Start with
'## <section title>'. Where the section needs a fact the context does
not give, write a line '> **Gap:** <what is missing>' in its place and list it in `gaps`.
Prefer tables for comparable items and write prose a proposal writer would keep: whole sentences,
counts in words ("four risks", never "4 risk(s)"), short and specific."""

REFINE_SYSTEM_PROMPT = """\
You revise one Markdown section of a business report following the user's instruction: a tone,
a reader ("for the CFO": what that reader needs first comes first), an emphasis, a length or a
layout. Keep the Markdown structure unless the instruction changes it, keep every fact and figure that
the instruction does not remove, and use only facts from the original text or the context given.
Return the revised section in `markdown`, a short entry per change in `applied`, and in
`not_applied` every part of the instruction you could not follow, quoted, with the reason."""


def _context_json(inputs: dict[str, Any]) -> str:
    return json.dumps(inputs["context"], indent=1, default=str, ensure_ascii=False)


def _write_prompt(inputs: dict[str, Any]) -> str:
    title = inputs["section_title"]
    guidance = TITLE_GUIDANCE.get(title, "the content a reader expects under this title")
    return (
        f"Report type: {inputs['report_type']}\nSection title: {title}\n"
        f"What this section should contain: {guidance}.\n\nContext (JSON):\n{_context_json(inputs)}"
    )


def _refine_prompt(inputs: dict[str, Any]) -> str:
    return (
        f"Report type: {inputs['report_type']}\nSection title: {inputs['section_title']}\n\n"
        f'Instruction:\n"""\n{inputs["prompt"]}\n"""\n\n'
        f'Original section:\n"""\n{inputs["original_text"]}\n"""\n\nContext (JSON):\n{_context_json(inputs)}'
    )


register(
    Task(
        name=WRITE_TASK,
        output=SectionDraft,
        local=write_local,
        system_prompt=WRITE_SYSTEM_PROMPT,
        user_prompt=_write_prompt,
    )
)
register(
    Task(
        name=REFINE_TASK,
        output=SectionRefinement,
        local=refine_local,
        system_prompt=REFINE_SYSTEM_PROMPT,
        user_prompt=_refine_prompt,
    )
)

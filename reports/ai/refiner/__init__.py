"""The local refinement engine: applies a plain-English instruction to a Markdown section.

It understands this set of instructions (several may be combined: "shorten it and make it more
formal; emphasise the ROI for the CFO"), and says what it changed for each:

| instruction (examples)                                   | effect |
| --- | --- |
| more formal, professional                                 | formal register: contractions expanded, colloquial words and phrasal verbs replaced ("wants to" → "intends to", "check" → "verify", "about 16" → "approximately 16"), "So"/"But"/"And" openings turned into connectives, intensifiers and exclamation marks dropped |
| friendlier, less formal, casual, warmer                   | everyday words, contractions, "we" for the writer ("Delivery is estimated at" → "We estimate delivery at") |
| plain English, simpler, clearer                           | plain words for officialese ("utilise" → "use", "in order to" → "to") |
| more confident, more direct, assertive                    | hedges removed ("we think", "perhaps", "could potentially" → "can") |
| more persuasive, compelling, positive                     | hedges removed and the benefits put first |
| for the CFO / the board / engineers / the customer / procurement / non-technical readers, more technical | what that reader needs first goes first (CFO: return, cost, payback, benefits, risks; board: verdict, goals, benefits, cost, risks; engineers: stack and integrations, solution, requirements, compliance, timeline, risks; ...), with a paragraph from the record when the section lacks one |
| emphasise / highlight / focus on / lead with / put X first | the passages on X move to the top; when the section has none, a paragraph on X from the record (figures derived in the open) |
| play down, de-emphasise X                                 | the passages on X move to the end |
| shorten, make it shorter, condense, more concise, by half | keeps the highest-ranked sentences and list items (about 60%, 50% "by half", 80% "slightly"); tables and gap notes stay whole |
| shorten to 120 words, limit to 150 words, under 100 words | the same, to a word budget |
| expand, elaborate, more detail                            | a paragraph of the record's facts the section does not state yet, each framed as a sentence |
| add / include / mention / cover <topic>                   | adds a subsection on the topic from the record (risk table, timeline, costs, stakeholders, requirements, integrations, technologies, compliance, or any matching facts) |
| remove / drop / delete / omit / without <topic>           | removes sentences, list items, table rows and subsections that mention the topic ("remove the gaps" removes gap notes) |
| replace <X> with <Y>, rename <X> to <Y>                   | whole-word replacement |
| bullet points, as a list                                  | paragraphs become bullet lists, one sentence per bullet |
| numbered list                                             | lists (or paragraphs) become numbered lists |
| paragraphs, prose                                         | bullet lists become paragraphs |
| add a summary, add a TL;DR                                | an extractive one- or two-sentence summary under the heading |
| proofread, fix typos                                      | mechanical fixes only: doubled words, spacing, capitals at sentence start |

Anything else (translation, a tone such as "funny", a reader it has no profile for, facts the
record does not hold) is not applied, and the result says so plainly, with the reason.

`instructions` splits the prompt and dispatches each clause; `wording`, `emphasis`, `length`,
`topics` and `layout` hold the instructions themselves; `refinement` holds the section being
refined.
"""

from __future__ import annotations

from reports.ai.refiner.instructions import SUPPORTED, apply, refine_section, split_instructions
from reports.ai.refiner.refinement import Refinement

__all__ = ["SUPPORTED", "Refinement", "apply", "refine_section", "split_instructions"]

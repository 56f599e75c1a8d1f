"""The local refinement engine: applies a plain-English instruction to a Markdown section.

It understands this set of instructions (several may be combined: "shorten it and make it more
formal; remove the pricing"):

| instruction (examples)                                   | effect |
| --- | --- |
| shorten, make it shorter, condense, more concise, by half | keeps the highest-ranked sentences and list items (about 60%, 50% "by half", 80% "slightly"); tables and gap notes stay whole |
| limit to 150 words, under 100 words                       | the same, to a word budget |
| expand, elaborate, more detail                            | adds facts from the customer/opportunity record that the section does not state yet |
| add / include / mention / cover <topic>                   | adds a subsection on the topic from the record (risk table, timeline, costs, stakeholders, requirements, integrations, technologies, compliance, or any matching facts) |
| remove / drop / delete / omit / without <topic>           | removes sentences, list items, table rows and subsections that mention the topic ("remove the gaps" removes gap notes) |
| replace <X> with <Y>, rename <X> to <Y>                   | whole-word replacement |
| more formal, professional                                 | expands contractions, replaces informal words, drops exclamation marks and intensifiers |
| less formal, casual, friendlier                           | plain words and contractions |
| plain English, simpler, simplify                          | plain words for officialese ("utilise" → "use", "in order to" → "to") |
| more confident, more direct, assertive                    | removes hedging words (perhaps, possibly, we think that) |
| bullet points, as a list                                  | paragraphs become bullet lists, one sentence per bullet |
| numbered list                                             | lists (or paragraphs) become numbered lists |
| paragraphs, prose                                         | bullet lists become paragraphs |
| add a summary, add a TL;DR                                | an extractive one- or two-sentence summary under the heading |
| proofread, fix typos                                      | mechanical fixes only: doubled words, spacing, capitals at sentence start |

Anything else (translation, tone other than formal/plain/confident, facts the record does not
hold) is not applied, and the result says so with the reason.

`instructions` splits the prompt and dispatches each clause; `length`, `topics`, `wording` and
`layout` hold the instructions themselves; `refinement` holds the section being refined.
"""

from __future__ import annotations

from reports.ai.refiner.instructions import SUPPORTED, apply, refine_section, split_instructions
from reports.ai.refiner.refinement import Refinement

__all__ = ["SUPPORTED", "Refinement", "apply", "refine_section", "split_instructions"]

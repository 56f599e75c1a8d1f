"""How well the local engine finds upsell opportunities on labelled calls: precision, recall and F1.

A labelled call (tests/fixtures/conversations/labelled/*.json) lists its expected opportunities,
each with its type and the customer segments that voice it. A detected opportunity is a true
positive when an expected one of the same type, not yet matched, lists its trigger segment; every
other detection is a false positive, every unmatched expectation a false negative. So a right type
quoted from the wrong moment counts twice against the engine, as it should: the quote is the
evidence a supervisor reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conversations.ai.calibration import Features
from conversations.ai.call import Call, parse_call
from conversations.ai.catalog import CompiledEntry
from conversations.ai.upsells import Detection, detect

__all__ = ["CallOutcome", "LabelledCall", "Score", "load_labelled", "score_upsells"]


@dataclass(frozen=True)
class LabelledCall:
    call_id: str
    split: str
    inputs: dict[str, Any]  # {"segments": [...], "context": {...}}
    expected: list[dict[str, Any]]  # [{"type", "segments": [ids]}]
    document: dict[str, Any]

    def call(self) -> Call:
        return parse_call(self.inputs)


def load_labelled(directory: Path | str) -> list[LabelledCall]:
    out = []
    for path in sorted(Path(directory).glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        out.append(
            LabelledCall(
                call_id=document["call_id"],
                split=document.get("split", "dev"),
                inputs={"segments": document["segments"], "context": document.get("context") or {}},
                expected=list(document["expected"]["upsells"]),
                document=document,
            )
        )
    return out


@dataclass
class CallOutcome:
    call_id: str
    true_positives: list[tuple[str, int]] = field(default_factory=list)
    false_positives: list[tuple[str, int]] = field(default_factory=list)
    false_negatives: list[tuple[str, list[int]]] = field(default_factory=list)
    scored: list[tuple[Detection, bool]] = field(default_factory=list)


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int
    outcomes: tuple[CallOutcome, ...]

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        return (
            f"precision {self.precision:.3f} recall {self.recall:.3f} F1 {self.f1:.3f} "
            f"(TP {self.true_positives}, FP {self.false_positives}, FN {self.false_negatives})"
        )


def match_call(labelled: LabelledCall, detections: Sequence[Detection]) -> CallOutcome:
    outcome = CallOutcome(labelled.call_id)
    open_labels = [dict(label) for label in labelled.expected]
    for detection in detections:
        segment = detection.trigger.sentence.turn.segment_id
        label = next(
            (lab for lab in open_labels if lab["type"] == detection.key and segment in lab["segments"]), None
        )
        if label is not None:
            open_labels.remove(label)
            outcome.true_positives.append((detection.key, segment))
            outcome.scored.append((detection, True))
        else:
            outcome.false_positives.append((detection.key, segment))
            outcome.scored.append((detection, False))
    outcome.false_negatives = [(lab["type"], list(lab["segments"])) for lab in open_labels]
    return outcome


def score_upsells(
    calls: Iterable[LabelledCall], entries: Sequence[CompiledEntry], *, splits: Iterable[str] | None = None
) -> Score:
    wanted = set(splits) if splits is not None else None
    outcomes = []
    for labelled in calls:
        if wanted is not None and labelled.split not in wanted:
            continue
        outcomes.append(match_call(labelled, detect(labelled.call(), entries)))
    return Score(
        true_positives=sum(len(o.true_positives) for o in outcomes),
        false_positives=sum(len(o.false_positives) for o in outcomes),
        false_negatives=sum(len(o.false_negatives) for o in outcomes),
        outcomes=tuple(outcomes),
    )


def samples(score: Score) -> list[tuple[Features, bool]]:
    """(features, correct) of every detection, for calibration."""
    return [(d.features, ok) for o in score.outcomes for d, ok in o.scored]


def as_mapping(score: Score) -> Mapping[str, float]:
    return {"precision": score.precision, "recall": score.recall, "f1": score.f1}


def _main(argv: Sequence[str]) -> int:
    """Per-split scores and the calibration check, for `python -m conversations.ai.evaluation [dir]`."""
    from pathlib import Path

    from conversations.ai.calibration import COEFFICIENTS, brier_score, confidence, describe, fit
    from conversations.ai.catalog import compile_catalog, load_catalog

    root = Path(__file__).resolve().parents[2]
    directory = Path(argv[0]) if argv else root / "tests" / "fixtures" / "conversations" / "labelled"
    calls = load_labelled(directory)
    entries = compile_catalog(load_catalog())
    for split in sorted({c.split for c in calls}):
        print(f"{split:8} {score_upsells(calls, entries, splits=[split]).line()}")
    score = score_upsells(calls, entries)
    data = samples(score)
    refit = fit(data)
    for name, coefficients in (("shipped", COEFFICIENTS), ("refit", refit)):
        predicted = [(confidence(f, coefficients), ok) for f, ok in data]
        mean = sum(p for p, _ in predicted) / len(predicted) if predicted else 0.0
        print(f"{name:8} {describe(coefficients)}  mean {mean:.3f}  Brier {brier_score(predicted):.4f}")
    print(f"{len(data)} detections, {sum(ok for _, ok in data)} correct; {score.line()}")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(_main(sys.argv[1:]))

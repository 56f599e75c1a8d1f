"""Call metrics from the timed transcript alone (no audio needed).

- talk time: the sum of each speaker's segment durations; `talk_to_listen_ratio` is the
  technician's talk time over the customer's.
- longest monologue: consecutive turns of one speaker with no more than 1.5 s between them
  (a technician working in silence for minutes between two remarks is not talking at length).
- questions asked: sentences that ask something (analysis.engines.text.questions, which also reads
  unpunctuated transcripts), per speaker.
- interruptions: a turn that begins before the other speaker's turn has ended (by more than 0.1 s
  of overlap), or less than 0.15 s after a turn that was cut off (it ends in a dash or with no
  closing punctuation). Counted for the speaker who cut in.
- patience: the pause between the end of a customer's turn and the start of the technician's reply,
  over replies that start within 10 s (a longer gap is work, not a reply); overlaps count as 0 s.
"""

from __future__ import annotations

import statistics

from analysis.engines import text
from conversations.ai.call import Call, Turn
from conversations.ai.schema import CallMetrics, Monologue, Patience, SpeakerCounts

__all__ = ["call_metrics", "interruptions", "is_cut_off"]

MONOLOGUE_GAP_SECONDS = 1.5
OVERLAP_SECONDS = 0.1
LATCH_SECONDS = 0.15
REPLY_WINDOW_SECONDS = 10.0
QUICK_REPLY_SECONDS = 0.3


def is_cut_off(turn: Turn) -> bool:
    words = turn.text.rstrip()
    return bool(words) and (
        words.endswith(("-", "\u2014", "\u2013", "...", "\u2026")) or words[-1] not in ".?!\"'"
    )


def interruptions(call: Call) -> list[tuple[Turn, Turn]]:
    """(interrupted turn, interrupting turn) pairs in call order."""
    found = []
    for previous, turn in zip(call.turns, call.turns[1:], strict=False):
        if turn.speaker == previous.speaker:
            continue
        overlap = previous.end - turn.start
        if overlap > OVERLAP_SECONDS or (-LATCH_SECONDS < overlap and is_cut_off(previous)):
            found.append((previous, turn))
    return found


def _monologues(turns: tuple[Turn, ...]) -> list[list[Turn]]:
    runs: list[list[Turn]] = []
    for turn in turns:
        if (
            runs
            and runs[-1][-1].speaker == turn.speaker
            and turn.start - runs[-1][-1].end <= MONOLOGUE_GAP_SECONDS
        ):
            runs[-1].append(turn)
        else:
            runs.append([turn])
    return runs


def call_metrics(call: Call) -> CallMetrics:
    talk = {"technician": 0.0, "customer": 0.0}
    for turn in call.turns:
        talk[turn.speaker] += turn.duration
    total = talk["technician"] + talk["customer"]
    runs = _monologues(call.turns)
    longest = max(runs, key=lambda run: (run[-1].end - run[0].start, -run[0].start), default=None)
    questions = {"technician": 0, "customer": 0}
    for turn in call.turns:
        questions[turn.speaker] += len(text.questions(turn.text))
    cut_ins = {"technician": 0, "customer": 0}
    for _, interrupting in interruptions(call):
        cut_ins[interrupting.speaker] += 1
    pauses = [
        max(0.0, turn.start - previous.end)
        for previous, turn in zip(call.turns, call.turns[1:], strict=False)
        if previous.speaker == "customer"
        and turn.speaker == "technician"
        and turn.start - previous.end <= REPLY_WINDOW_SECONDS
    ]
    return CallMetrics(
        duration_seconds=round(call.duration, 2),
        technician_talk_seconds=round(talk["technician"], 2),
        customer_talk_seconds=round(talk["customer"], 2),
        talk_to_listen_ratio=round(talk["technician"] / talk["customer"], 2) if talk["customer"] else None,
        technician_talk_share=round(talk["technician"] / total, 3) if total else 0.0,
        longest_monologue=(
            Monologue(
                speaker_type=longest[0].speaker,
                seconds=round(longest[-1].end - longest[0].start, 2),
                start_time=longest[0].start,
                segment_ids=[t.segment_id for t in longest],
            )
            if longest
            else None
        ),
        questions_asked=SpeakerCounts(**questions),
        interruptions=SpeakerCounts(**cut_ins),
        patience=Patience(
            answers_measured=len(pauses),
            mean_pause_seconds=round(statistics.fmean(pauses), 2) if pauses else None,
            median_pause_seconds=round(statistics.median(pauses), 2) if pauses else None,
            quick_answers=sum(1 for p in pauses if p < QUICK_REPLY_SECONDS),
        ),
    )

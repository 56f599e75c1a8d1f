"""The text engine on real sentences: fillers in context, questions, STAR cues, numbers, PII."""

from __future__ import annotations

import math

import pytest

from analysis.engines import text


def filler_words(sentence: str) -> list[str]:
    return [filler.word for filler in text.find_fillers(sentence)]


# --- fillers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("So um I uh built the erm thing, hmm.", ["um", "uh", "erm", "hmm"]),
        ("Umm, uhh, ahh and uhm.", ["umm", "uhh", "ahh", "uhm"]),
        ("Uh-huh, mm-hmm, that's right.", []),
        ("You know, it was hard.", ["you know"]),
        ("It was you know really tough.", ["you know"]),
        ("Do you know the answer?", []),
        ("I'll let you know tomorrow.", []),
        ("I mean, it's fine.", ["i mean"]),
        ("What I mean is this.", []),
        ("I mean it.", []),
        ("I mean that we should ship.", []),
        ("It was kind of hard and sort of slow.", ["kind of", "sort of"]),
        ("What kind of database is a sort of graph?", []),
        ("Basically we rewrote it.", ["basically"]),
        ("Actually, I disagree.", ["actually"]),
        ("What actually happened was bad and I actually fixed it.", []),
    ],
)
def test_find_fillers_decides_phrases_by_context(sentence: str, expected: list[str]) -> None:
    assert filler_words(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "is_filler"),
    [
        ("It was, like, really hard.", True),
        ("I was like, no way.", True),
        ("And then he's like so annoyed.", True),
        ("There were like 20 people.", True),
        ("It took like two weeks.", True),
        ("Like, whatever.", True),
        ("I like Python.", False),
        ("It looks like rain.", False),
        ("Use something like a queue.", False),
        ("It works like a queue.", False),
        ("I would like to join.", False),
        ("I'd like that.", False),
        ("It was like a dream.", False),
        ("Like I said, it's fine.", False),
        ("I really like it.", False),
        ("It works like one of those queues.", False),
        ("It's like when you deploy on a Friday.", False),
    ],
)
def test_like_is_a_filler_only_as_a_discourse_marker(sentence: str, is_filler: bool) -> None:
    assert ("like" in filler_words(sentence)) is is_filler


def test_filler_offsets_point_into_the_original_text() -> None:
    # given a sentence with curly apostrophes, as transcribers write them
    sentence = "I’m like, um, you know, sure"
    # when
    fillers = text.find_fillers(sentence)
    # then each span cuts the filler out of the original string
    assert [sentence[f.start_char : f.end_char].lower() for f in fillers] == ["like", "um", "you know"]


def test_filler_ratio_counts_a_two_word_filler_once() -> None:
    assert text.word_count("it works, you know") == 4
    assert text.filler_ratio("it works, you know") == pytest.approx(1 / 4)
    assert text.filler_ratio("") == 0.0


def test_remove_fillers_takes_the_commas_that_set_them_off() -> None:
    assert text.remove_fillers("It was, like, really hard.") == "It was really hard."
    assert text.remove_fillers("Um, I think so, you know.") == "I think so."
    assert text.remove_fillers("I like Python.") == "I like Python."
    # a comma that closes a clause stays
    assert text.remove_fillers("When I was at Acme, um, we shipped.") == "When I was at Acme, we shipped."


@pytest.mark.parametrize(
    "word", ["um", "Umm,", "uhh", "Uh...", "uhm", "er", "erm", "err", "eh", "ahh", "Hm", "hmmm?", '"um"']
)
def test_hesitation_lexicon_takes_stretched_spellings_whatever_the_case_and_punctuation(word: str) -> None:
    assert text.is_hesitation(word)


@pytest.mark.parametrize("word", ["mhm", "mm-hmm", "uh-huh", "mm", "mmm", "em", "'em", "hum", "umbrella", ""])
def test_hesitation_lexicon_leaves_out_backchannels_units_and_contractions(word: str) -> None:
    # "mhm"/"mm-hmm" say yes, "mm" is as often millimetres or millions, "'em" is "them"
    assert not text.is_hesitation(word)


def test_find_fillers_takes_hesitations_from_the_shared_lexicon() -> None:
    # given a sentence with a hesitation, a backchannel, a unit and a contraction
    sentence = "Hm, I cut a 12 mm pipe, mhm, and fixed 'em."
    # then only the hesitation is a filler
    assert filler_words(sentence) == ["hm"]


def test_tokenize_words_keeps_contractions_numbers_and_hyphenated_words() -> None:
    assert text.tokenize_words("I don't know, it's well-known: 20,000 users at 2.5 s.") == [
        "I", "don't", "know", "it's", "well-known", "20,000", "users", "at", "2.5", "s",
    ]  # fmt: skip


# --- sentences and questions ----------------------------------------------------------------


def test_sentences_split_on_punctuation_and_lines_but_not_abbreviations() -> None:
    assert text.sentences(
        "Dr. Smith joined in 2019. He said e.g. we could ship. Did we? Yes!\nno punctuation here"
    ) == [
        "Dr. Smith joined in 2019.",
        "He said e.g. we could ship.",
        "Did we?",
        "Yes!",
        "no punctuation here",
    ]


def test_questions_found_with_and_without_question_marks() -> None:
    # given a transcript, one segment per line, mostly without punctuation
    transcript = "\n".join(
        [
            "so what would you do differently",
            "I think we did well",
            "What I did was rewrite it",
            "can you walk me through it",
            "Do it now",
            "how many users do you have",
            "Tell me about yourself.",
            "Did you finish?",
        ]
    )
    # then only the real questions come back
    assert text.questions(transcript) == [
        "so what would you do differently",
        "can you walk me through it",
        "how many users do you have",
        "Did you finish?",
    ]


# --- STAR ------------------------------------------------------------------------------------


def test_star_structure_finds_every_component_and_the_metric() -> None:
    # given a complete STAR answer
    answer = (
        "When I was at Acme, our checkout service kept failing under load. "
        "My task was to make it reliable before Black Friday. "
        "I profiled the service and then I rewrote the retry logic. "
        "As a result, errors dropped by 80% and we handled 3x the traffic."
    )
    # when
    star = text.star_structure(answer)
    # then
    assert star.situation and star.task and star.action and star.result and star.has_metrics
    assert star.score == pytest.approx(1.0)
    assert star.evidence["action"] == ["I profiled the service and then I rewrote the retry logic."]


def test_star_structure_scores_a_vague_answer_low() -> None:
    star = text.star_structure("I am a hard worker and I like teams. Teamwork is important to me.")
    assert not star.result and not star.has_metrics
    assert star.score <= 0.25
    assert isinstance(star.score, float)
    assert set(star.evidence) == {"situation", "task", "action", "result"}


def test_star_result_without_numbers_has_no_metrics() -> None:
    star = text.star_structure("I led the migration. As a result, the team was much happier.")
    assert star.action and star.result and not star.has_metrics
    assert star.score == pytest.approx(0.5)


# --- numbers ----------------------------------------------------------------------------------


def quantities(sentence: str) -> list[tuple[float, str | None, str]]:
    return [(q.value, q.unit, q.text) for q in text.numbers(sentence)]


def test_numbers_scale_money_and_keep_units() -> None:
    assert quantities("We cut latency by 40% and saved $50k, then raised 2 million dollars.") == [
        (40.0, "%", "40%"),
        (50_000.0, "USD", "$50k"),
        (2_000_000.0, "USD", "2 million dollars"),
    ]
    assert quantities("Revenue grew 3x to $1.2M with 10,000 users.") == [
        (3.0, "x", "3x"),
        (1_200_000.0, "USD", "$1.2M"),
        (10_000.0, None, "10,000"),
    ]


def test_numbers_keep_deadlines_with_their_preposition() -> None:
    assert quantities("Ship it in 3 months, hire two engineers within 90 days and launch by Q3 2025.") == [
        (3.0, "month", "in 3 months"),
        (90.0, "day", "within 90 days"),
        (3.0, "quarter", "by Q3 2025"),
    ]
    assert quantities("We started in 2019 and finish by H2.") == [
        (2019.0, "calendar_year", "in 2019"),
        (2.0, "half", "by H2"),
    ]


def test_number_words_count_only_with_a_unit() -> None:
    assert quantities("One of them said someone took two weeks, twenty-five percent longer.") == [
        (2.0, "week", "two weeks"),
        (25.0, "%", "twenty-five percent"),
    ]


# --- keywords, sentiment, similarity ----------------------------------------------------------


def test_keywords_are_lowercase_distinct_and_skip_fillers() -> None:
    # given an answer with fillers and repeated phrases
    answer = (
        "Um, I led the migration of our payment service to Kubernetes. The migration reduced "
        "latency, like, a lot, and payment service reliability improved. Email me at a@b.com."
    )
    # when
    found = text.keywords(answer, top=5)
    # then
    assert 0 < len(found) <= 5
    assert all(k == k.lower() for k in found)
    assert len(set(found)) == len(found)
    assert "kubernetes" in found and "payment service" in found
    assert not any(word in {"um", "like", "b.com"} for k in found for word in k.split())
    assert text.keywords(answer, top=5) == found  # deterministic


def test_sentiment_labels_follow_the_compound_score() -> None:
    assert text.sentiment("I loved working with this team, it was great!").label == "positive"
    assert text.sentiment("The outage was terrible and customers were furious.").label == "negative"
    assert text.sentiment("The meeting is at three.") == text.Sentiment(0.0, "neutral")
    assert -1.0 <= text.sentiment("Awful awful awful!").compound <= 1.0


def test_sentence_sentiments_score_each_sentence() -> None:
    scored = text.sentence_sentiments("The tech was great. The price was awful.")
    assert [(s, v.label) for s, v in scored] == [
        ("The tech was great.", "positive"),
        ("The price was awful.", "negative"),
    ]


def test_similarity_rewards_shared_content_words() -> None:
    key_point = "uses a hash map for constant time lookups"
    assert text.similarity(key_point, key_point) == pytest.approx(1.0)
    close = text.similarity(key_point, "I would store them in a hash map so lookups take constant time")
    far = text.similarity(key_point, "I would talk to the stakeholders first")
    assert close > 0.5 > far
    assert text.similarity("", key_point) == 0.0


# --- talk time ------------------------------------------------------------------------------


def test_talk_listen_ratio_gives_each_speaker_a_share() -> None:
    turns = [("technician", 30.0), ("customer", 10.0), ("technician", 20.0)]
    assert text.talk_listen_ratio(turns) == {
        "technician": pytest.approx(5 / 6),
        "customer": pytest.approx(1 / 6),
    }
    assert text.talk_to_listen(turns, "technician") == pytest.approx(5.0)
    assert text.talk_to_listen(turns, "customer") == pytest.approx(0.2)


def test_talk_ratios_handle_silence_and_monologue() -> None:
    assert text.talk_listen_ratio([]) == {}
    assert text.talk_listen_ratio([("a", 0.0), ("b", 0.0)]) == {"a": 0.0, "b": 0.0}
    assert text.talk_to_listen([("a", 5.0)], "a") == math.inf
    assert text.talk_to_listen([("a", 5.0)], "b") == 0.0
    with pytest.raises(ValueError, match="non-negative"):
        text.talk_listen_ratio([("a", -1.0)])


# --- PII -------------------------------------------------------------------------------------


def test_redact_pii_masks_emails_and_phone_numbers_in_any_format() -> None:
    # given a message with a US number, international numbers and an e-mail
    message = (
        "Mail jane.doe+jobs@example.co.uk, call (415) 555-2671, my Tehran cell +98 912 123 4567 "
        "or the Pune office +91 20 2553 4567."
    )
    # when
    redacted = text.redact_pii(message)
    # then
    assert redacted == "Mail [EMAIL], call [PHONE], my Tehran cell [PHONE] or the Pune office [PHONE]."


def test_redact_pii_leaves_ordinary_numbers_alone() -> None:
    message = "In 2019 we saved $120,000 over 12 months; order 5551234 shipped 2024-01-15."
    assert text.redact_pii(message) == message


def test_redact_pii_uses_the_region_for_national_numbers() -> None:
    assert text.redact_pii("Call 0912 123 4567", region="IR") == "Call [PHONE]"
    assert text.redact_pii("Call 020 7946 0958", region="GB") == "Call [PHONE]"

"""The recogniser's grammar: the model's sentences as a word graph and a bigram model."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from skill.core.model import default_model
from skill.errors import VoiceError
from skill.simulator.lexicon import Lexicon
from skill.voice.grammar import PHRASINGS_SHARE, Grammar, read_phrasings, render_phrasings


@pytest.fixture(scope="module")
def grammar() -> Grammar:
    return Grammar.from_model()


def test_every_sample_of_the_model_is_in_the_grammar(grammar):
    model = default_model()
    for intent in model.intents.values():
        for sample in intent.samples:
            if "{" not in sample:
                assert grammar.accepts(sample), sample


def test_slot_values_and_synonyms_fill_the_slot(grammar):
    for value in default_model().types["TOPIC"]:
        for phrase in (value.name, *value.synonyms):
            assert grammar.accepts(f"tell me about {phrase}"), phrase


def test_built_in_intents_have_phrases(grammar):
    for phrases in Lexicon.default().builtins.values():
        assert all(grammar.accepts(p) for p in phrases)


def test_grammar_rejects_what_the_model_cannot_say(grammar):
    assert not grammar.accepts("why does my elbow twitch")
    assert not grammar.accepts("tell me about")


def test_without_drops_sentences_and_phrases_with_unknown_words(grammar):
    smaller = grammar.without({"hypnic"})
    assert not smaller.accepts("what are hypnic jerks")
    assert smaller.accepts("tell me about sleep starts")
    assert len(smaller.sentences) <= len(grammar.sentences)


def test_word_graph_is_small_and_complete(grammar):
    start, final, edges = grammar.transitions()
    assert start != final and len(edges) < 100_000
    words = {e[3] for e in edges if len(e) == 4}
    assert words == grammar.words


def test_word_graph_spells_a_slot_once_for_each_state_it_leads_to():
    # After "why" and after "what" differ ("why x"), but both lead through <S> to "now".
    slots = {"<S>": (("a",), ("b", "c"))}
    sentences = (("why", "<S>", "now"), ("why", "x"), ("what", "<S>", "now"))
    tiny = Grammar(sentences=sentences, weights=(1.0, 1.0, 2.0), intents=(frozenset({"X"}),) * 3,
                   slots=slots)
    start, final, edges = tiny.transitions()
    assert [e[3] for e in edges if len(e) == 4].count("a") == 1
    paths = dict(_paths(start, final, edges))
    assert paths == pytest.approx({
        ("why", "a", "now"): 0.125, ("why", "b", "c", "now"): 0.125, ("why", "x"): 0.25,
        ("what", "a", "now"): 0.25, ("what", "b", "c", "now"): 0.25,
    })


def _paths(state, final, edges, said=(), p=1.0):
    """Every word sequence from `state` to `final` through `edges`, with its probability."""
    if state == final:
        yield said, p
    for edge in edges:
        if edge[0] == state:
            yield from _paths(edge[1], final, edges, (*said, *edge[3:]), p * edge[2])


def test_bigram_model_is_arpa_over_the_grammar_words(grammar):
    arpa = grammar.bigrams()
    head, _, rest = arpa.partition("\\1-grams:\n")
    counts = dict(line.split("=") for line in head.splitlines() if line.startswith("ngram"))
    singles = rest.partition("\n\n")[0].splitlines()
    assert int(counts["ngram 1"]) == len(singles) == len(grammar.words) + 2  # with <s> and </s>
    assert {line.split()[1] for line in singles} == set(grammar.words) | {"<s>", "</s>"}
    assert arpa.rstrip().endswith("\\end\\")


def _unigrams(arpa: str) -> dict[str, float]:
    singles = arpa.partition("\\1-grams:\n")[2].partition("\n\n")[0].splitlines()
    return {line.split()[1]: float(line.split()[0]) for line in singles}


def test_peoples_phrasings_add_their_words_and_pairs(grammar):
    phrasing = ("my", "shin", "keeps", "wobbling")
    assert "wobbling" not in grammar.words
    plain, widened = grammar.bigrams(), grammar.bigrams([phrasing])
    assert "wobbling" not in _unigrams(plain) and "wobbling" in _unigrams(widened)
    assert " keeps wobbling\n" in widened and " keeps wobbling\n" not in plain


def test_phrasings_together_hold_their_share_of_the_bigram_model():
    tiny = Grammar(sentences=(("leg", "twitch"),), weights=(1.0,), intents=(frozenset({"X"}),), slots={})
    arpa = tiny.bigrams([("calf", "jumps"), ("calf", "flutters")])
    singles = {w: 10 ** p for w, p in _unigrams(arpa).items()}
    floor = 0.1 / len(singles)  # the share every word gets whatever its count
    # "calf" is in both phrasings, "leg" in the one sentence: their counts stand as the shares.
    ratio = (singles["calf"] - floor) / (singles["leg"] - floor)
    assert ratio == pytest.approx(PHRASINGS_SHARE / (1 - PHRASINGS_SHARE), rel=1e-3)  # ARPA rounds
    assert singles["jumps"] == pytest.approx(singles["flutters"])


def test_phrasings_file_holds_the_dev_sets_words_one_phrasing_a_line(tmp_path: Path):
    dev = {"in_scope": [{"text": "Why does my Calf twitch?"}, {"text": "why does my calf twitch"}],
           "out_of_scope": [{"text": "how do I boil an egg"}]}
    path = tmp_path / "phrasings.txt"
    path.write_bytes(render_phrasings(dev))
    assert read_phrasings(path) == (("how", "do", "i", "boil", "an", "egg"),
                                    ("why", "does", "my", "calf", "twitch"))
    assert read_phrasings(tmp_path / "absent.txt") == ()
    path.write_text("# a note\n   \n  why does my calf twitch  \n   # indented note\n", encoding="utf-8")
    assert read_phrasings(path) == (("why", "does", "my", "calf", "twitch"),)


def test_an_unreadable_phrasings_file_names_itself_and_the_fix(tmp_path: Path):
    path = tmp_path / "phrasings.txt"
    path.write_bytes(b"\xff\xfe not text")
    with pytest.raises(VoiceError, match=r"phrasings.txt cannot be read .*make model"):
        read_phrasings(path)


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_a_phrasings_file_that_is_no_regular_file_is_refused_unread(tmp_path: Path, kind: str):
    path = tmp_path / "phrasings.txt"
    if kind == "fifo":
        os.mkfifo(path)
        threading.Thread(target=_unblock, args=(path,), daemon=True).start()
    else:
        path.mkdir()
    reason = {"fifo": "a FIFO", "directory": "a directory"}[kind]
    with pytest.raises(VoiceError, match=rf"phrasings.txt cannot be read \(is {reason}\): run "):
        read_phrasings(path)


def _unblock(fifo: Path) -> None:
    """Writes a line to `fifo` once someone reads it, so a reader that waited on it returns (and
    the test fails) instead of hanging."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # no reader yet
            time.sleep(0.05)
            continue
        try:
            os.write(fd, b"why\n")
        except OSError:
            pass
        os.close(fd)
        return

"""The words of English the understanding's speller leaves alone (skill/simulator/english_words.txt).

Taken from pyspellchecker's English word frequency list (MIT; counted over a large body of
subtitles and text): every word of MIN_LENGTH letters or more, of a-z only, counted MIN_COUNT
times or more. Rarer entries are left out: among them are more typing slips of common words
("serous" for serious, "facture" for fracture) than words people mean.
"""

from __future__ import annotations

from skill.simulator.spelling import MIN_LENGTH

MIN_COUNT = 100
HEADER = (
    "# Words of English the speller never corrects: written by `make model` (skill.authoring.english)\n"
    f"# from pyspellchecker's English word frequencies, {MIN_LENGTH} letters or more, counted"
    f" {MIN_COUNT} times or more.\n"
)


def render() -> bytes:
    """The word list's data file; ImportError without pyspellchecker (the dev extra)."""
    from spellchecker import SpellChecker

    counts = SpellChecker(language="en").word_frequency.dictionary
    kept = sorted(w for w, n in counts.items()
                  if n >= MIN_COUNT and len(w) >= MIN_LENGTH and w.isascii() and w.isalpha())
    return (HEADER + "".join(f"{w}\n" for w in kept)).encode("utf-8")

"""Typing slips: a word the understanding does not know is read as the known word one edit away.

A symmetric-delete index (as in SymSpell): every known word and each of its one-letter deletions
point back to the word, so a misspelling one insertion, deletion, substitution or swap away meets its
word through a shared deletion. Short words (under five letters) are left alone: too many are one
edit from another real word; so are words of English (`english`), which a person typed as meant:
"paper" is not "vape", nor "halves" "calves".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from functools import lru_cache

MIN_LENGTH = 5


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance (insertions, deletions, substitutions, swaps)."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


class Speller:
    """Corrects words against a vocabulary (the words of a model and of the lexicon), leaving
    alone the words of English `english` holds."""

    def __init__(self, vocabulary: Iterable[str], english: Collection[str] = frozenset()) -> None:
        self.known = frozenset(w for w in vocabulary if w)
        self.english = english
        self._index: dict[str, set[str]] = defaultdict(set)
        for word in self.known:
            if len(word) >= MIN_LENGTH - 1:
                for key in {word} | _deletions(word):
                    self._index[key].add(word)
        self.correct = lru_cache(maxsize=4096)(self._correct)

    def _correct(self, word: str) -> str:
        """`word` if it is known, a word of English or too short to judge, else the one known word
        one edit away (the alphabetically first of the closest, when there are several)."""
        if word in self.known or len(word) < MIN_LENGTH or not word.isalpha() or word in self.english:
            return word
        candidates = set().union(*(self._index.get(k, set()) for k in {word} | _deletions(word)))
        close = sorted(c for c in candidates if _distance(word, c) == 1)
        return close[0] if close else word

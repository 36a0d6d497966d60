"""Pronunciations for words pocketsphinx's dictionary lacks (myoclonus, hypnic...), from eSpeak NG."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from collections.abc import Iterable

log = logging.getLogger(__name__)

# eSpeak NG's ASCII phonemes (espeak-ng -x) to the ARPABET phones of the en-us acoustic model,
# for words the pronunciation dictionary lacks (myoclonus, hypnic, ...).
_ESPEAK_TO_ARPABET: dict[str, str] = {
    "a": "AE", "aa": "AE", "a#": "AH", "A:": "AA", "A@": "AA R", "A": "AA", "0": "AA", "0#": "AA",
    "aI": "AY", "aI@": "AY ER", "aI3": "AY ER", "aU": "AW", "aU@": "AW ER",
    "e": "EH", "E": "EH", "e@": "EH R", "eI": "EY", "@": "AH", "@-": "AH", "@2": "AH", "@5": "AH",
    "@L": "AH L", "3": "ER", "3:": "ER", "i": "IY", "i:": "IY", "i@": "IY ER", "i@3": "IY ER",
    "I": "IH", "I2": "IH", "I#": "IH", "o@": "AO R", "O": "AO", "O:": "AO", "O@": "AO R",
    "OI": "OY", "oU": "OW", "oU#": "OW", "U": "UH", "u:": "UW", "U@": "UH R", "V": "AH",
    "p": "P", "b": "B", "t": "T", "t#": "T", "d": "D", "k": "K", "g": "G", "f": "F", "v": "V",
    "T": "TH", "D": "DH", "s": "S", "z": "Z", "S": "SH", "Z": "ZH", "h": "HH", "m": "M",
    "n": "N", "n-": "N", "N": "NG", "l": "L", "l-": "L", "r": "R", "r-": "R", "w": "W",
    "j": "Y", "tS": "CH", "dZ": "JH", "?": "", "x": "K", "C": "HH",
}
_STRESS = re.compile(r"[',;%=_!:]+$|^[',;%=_!]+")


def espeak_pronunciations(words: Iterable[str]) -> dict[str, str]:
    """ARPABET pronunciations of `words` from eSpeak NG's phonemes; empty without espeak-ng."""
    words = sorted(set(words))
    exe = shutil.which("espeak-ng")
    if not words or exe is None:
        return {}
    done = subprocess.run(
        [exe, "-q", "-x", "--sep=_", "-v", "en-us"],
        input="\n".join(w.replace("'", "") for w in words) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    if done.returncode or len(lines) != len(words):
        log.warning("espeak-ng gave no pronunciations: %s", done.stderr.strip())
        return {}
    result: dict[str, str] = {}
    for word, line in zip(words, lines, strict=True):
        phones: list[str] = []
        for chunk in line.replace(" ", "_").split("_"):
            chunk = _STRESS.sub("", chunk)
            while chunk and chunk not in _ESPEAK_TO_ARPABET:
                chunk = chunk[:-1]  # drop marks eSpeak appends (lengthening, syllabic)
            if chunk and _ESPEAK_TO_ARPABET[chunk]:
                phones.extend(_ESPEAK_TO_ARPABET[chunk].split())
        if phones:
            result[word] = " ".join(phones)
    return result

"""WAV files written and read back in tests, in any PCM format."""

from __future__ import annotations

import array
import subprocess
import wave
from pathlib import Path


def write_wav(path: Path, samples: array.array, rate: int, channels: int = 1, width: int = 2) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        if width == 2:
            wav.writeframes(samples.tobytes())
        elif width == 1:
            wav.writeframes(bytes((s >> 8) + 128 for s in samples))
        else:
            wav.writeframes(b"".join(b"\0" * (width - 2) + s.to_bytes(2, "little", signed=True)
                                     for s in samples))
    return path


def wav_samples(path: Path) -> tuple[array.array, int]:
    with wave.open(str(path), "rb") as wav:
        return array.array("h", wav.readframes(wav.getnframes())), wav.getframerate()


def espeak_wav(text: str, path: Path, voice: str = "en-us+f2") -> Path:
    """`text` spoken by the espeak-ng command into the WAV file `path`. eSpeak NG's renditions
    through pyttsx3 depend on every synthesis before them in a process (its random state); the
    command's do not, so what a test hears does not depend on which tests ran before it."""
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True, timeout=60,
                   capture_output=True)
    return path

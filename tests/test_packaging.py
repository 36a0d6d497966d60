"""A built wheel carries what the skill needs to start: content/ and interaction_model/ inside it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = out.glob("legtwitch-*.whl")
    target = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def test_the_wheel_carries_content_model_lexicon_and_console_page(unpacked_wheel: Path) -> None:
    for name in ("content/topics.yaml", "content/responses.yaml", "content/utterances.yaml",
                 "interaction_model/skill.json", "interaction_model/assets/images/icon-108.png",
                 "interaction_model/assets/images/icon-512.png", "content/pages/privacy.html",
                 "content/pages/terms.html", "content/compiled.json", "content/screen.json",
                 "content/classifier.json", "content/phrasings.txt",
                 "interaction_model/interactionModels/custom/en-US.json"):
        assert (unpacked_wheel / "skill" / "_data" / name).is_file(), name
    for name in ("lexicon.yaml", "english_words.txt"):
        assert (unpacked_wheel / "skill" / "simulator" / name).is_file(), name
    for name in ("templates/legtwitch_console.html", "static/console.css", "static/console.js"):
        assert (unpacked_wheel / "skill" / "console" / name).is_file(), name


def test_the_installed_package_answers_from_its_own_data(unpacked_wheel: Path, tmp_path: Path) -> None:
    # The unpacked wheel comes first on the path, so `skill` is the wheel's copy, not the checkout.
    env = {**os.environ, "PYTHONPATH": str(unpacked_wheel)}
    env.pop("LEGTWITCH_CONTENT_DIR", None)
    env.pop("LEGTWITCH_MODEL", None)
    program = "import skill.core.datafiles as d; print(d.content_dir()); print(d.model_path())"
    where = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60, check=True,
    ).stdout.split()
    assert all(Path(p).is_relative_to(unpacked_wheel / "skill" / "_data") for p in where), where
    answer = subprocess.run([sys.executable, "-m", "skill", "ask", "why does my leg twitch at night"],
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert answer.returncode == 0, answer.stderr
    assert "sleep" in answer.stdout.lower()
    assert "missing" not in answer.stderr  # the wheel's classifier was found
    # No tests/data beside an installed package: the check passes and leaves the classifier be.
    check = subprocess.run([sys.executable, "-m", "skill", "model"],
                           capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert check.returncode == 0, check.stderr
    assert "the classifier and the phrasings are left as they are" in check.stdout

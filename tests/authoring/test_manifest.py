"""skill.json's public addresses: from LEGTWITCH_PUBLIC_URL, refused when empty, committed current."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from skill import settings
from skill.authoring import manifest
from skill.core import datafiles
from skill.core.locales import load_locales
from skill.errors import ConfigError, ModelError

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://twitch.example.com"
FIELDS = ("smallIconUri", "largeIconUri", "privacyPolicyUrl", "termsOfUseUrl")
LOCALES = load_locales()


@pytest.fixture
def committed() -> dict[str, Any]:
    return manifest.load_manifest(datafiles.manifest_path())


def addresses(document: dict[str, Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {field: set() for field in FIELDS}
    for _, section, paths in manifest.sections(document):
        for field in paths:
            found[field].add(section[field])
    return found


def test_the_committed_manifest_is_current_without_a_public_url(committed: dict[str, Any]) -> None:
    published = manifest.published(committed, None, LOCALES)
    assert manifest.render(published) == datafiles.manifest_path().read_text()


def test_a_public_url_fills_in_every_address(committed: dict[str, Any]) -> None:
    assert addresses(manifest.published(committed, BASE, LOCALES)) == {
        "smallIconUri": {f"{BASE}/icons/icon-108.png"}, "largeIconUri": {f"{BASE}/icons/icon-512.png"},
        "privacyPolicyUrl": {f"{BASE}/privacy"}, "termsOfUseUrl": {f"{BASE}/terms"}}


def test_without_a_public_url_nothing_is_refused(committed: dict[str, Any]) -> None:
    assert list(manifest.problems(committed, None)) == []


def test_with_a_public_url_empty_addresses_are_refused(committed: dict[str, Any]) -> None:
    empty = manifest.published(committed, None, LOCALES)
    found = list(manifest.problems(empty, BASE))
    assert {item.split()[1] for item, _, _ in found} == set(FIELDS)
    assert all(problem == "is empty" for _, problem, _ in found)
    with pytest.raises(ModelError, match=r"skill.json: en-US \w+: is empty. Fix: set LEGTWITCH_PUBLIC_URL"):
        manifest.check(empty, BASE)


def test_addresses_of_another_host_are_refused(committed: dict[str, Any]) -> None:
    elsewhere = manifest.published(committed, "https://old.example.com", LOCALES)
    problems = list(manifest.problems(elsewhere, BASE))
    assert len(problems) == len(FIELDS) * len(LOCALES.tags)
    assert all("not under" in p for _, p, _ in problems)
    assert list(manifest.problems(manifest.published(committed, BASE, LOCALES), BASE)) == []


@pytest.mark.parametrize(("given", "value"), [
    ("https://twitch.example.com", BASE), ("https://twitch.example.com/", BASE),
    (" https://host.example/skill/ ", "https://host.example/skill"),
])
def test_the_public_url_setting(given: str, value: str) -> None:
    assert settings.PUBLIC_URL.read({"LEGTWITCH_PUBLIC_URL": given}) == value


@pytest.mark.parametrize("bad", ["http://twitch.example.com", "twitch.example.com", "https://",
                                 "https://host.example/?a=1", "https://host.example/#top",
                                 "https://host .example"])
def test_a_bad_public_url_names_the_variable(bad: str) -> None:
    with pytest.raises(ConfigError, match="LEGTWITCH_PUBLIC_URL=.*give the https address"):
        settings.PUBLIC_URL.read({"LEGTWITCH_PUBLIC_URL": bad})


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the package and its data, which `python -m skill` runs from (PYTHONPATH), with the
    dev set `make model` trains the understanding's classifier on."""
    for folder in ("skill", "content", "interaction_model", "tests/data"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def legtwitch(checkout: Path, *argv: str, base: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEGTWITCH_")}
    env["PYTHONPATH"] = str(checkout)
    if base:
        env["LEGTWITCH_PUBLIC_URL"] = base
    return subprocess.run([sys.executable, "-m", "skill", *argv], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=60)


def test_check_refuses_empty_addresses_once_a_public_url_is_set(checkout: Path) -> None:
    assert legtwitch(checkout, "check", base=None).returncode == 0
    done = legtwitch(checkout, "check", base=BASE)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr == (f"legtwitch: {checkout / 'interaction_model' / 'skill.json'}: en-US "
                           "smallIconUri: is empty. Fix: set LEGTWITCH_PUBLIC_URL and run `make "
                           "model` to fill it in\n")


def test_model_write_with_a_public_url_makes_the_manifest_pass_check(checkout: Path) -> None:
    assert legtwitch(checkout, "model", base=BASE).returncode == 1  # skill.json is out of date
    assert legtwitch(checkout, "model", "--write", base=BASE).returncode == 0
    written = manifest.load_manifest(checkout / "interaction_model" / "skill.json")
    assert addresses(written)["privacyPolicyUrl"] == {f"{BASE}/privacy"}
    done = legtwitch(checkout, "check", base=BASE)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(f"; icons and policies at {BASE}\n")

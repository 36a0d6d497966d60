"""content/compiled.json: the content's YAML parsed at build time, used only while it is current."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from skill.core import compiled, datafiles, model
from skill.core.content import load_content
from skill.core.locales import load_locales
from skill.errors import ContentError, ModelError


def test_the_committed_compiled_content_is_current() -> None:
    content = datafiles.content_dir()
    models = {datafiles.model_path(tag): datafiles.model_path(tag).read_bytes()
              for tag in load_locales().tags}
    assert (content / compiled.COMPILED).read_bytes() == compiled.render(content, models), (
        "content/compiled.json is out of date: run `make model`")


def test_a_model_checked_at_build_time_is_not_checked_again_but_any_other_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = datafiles.model_path()
    edited = tmp_path / "en-US.json"
    edited.write_bytes(shipped.read_bytes() + b"\n")  # the same model, other bytes
    refusal = ModelError(edited, "intent", "breaks a rule", "a stand-in for the real checks")

    def refuse(language: object) -> Iterator[tuple[str, str, str]]:
        raise refusal

    monkeypatch.setattr(model, "_problems", refuse)
    assert model.load_model(shipped).invocation == "leg twitch guide"
    with pytest.raises(ModelError) as caught:
        model.load_model(edited)
    assert caught.value is refusal


def test_a_model_that_breaks_the_rules_is_never_recorded_as_checked(tmp_path: Path) -> None:
    document = json.loads(datafiles.model_path().read_text(encoding="utf-8"))
    document["interactionModel"]["languageModel"]["invocationName"] = "alexa twitch"
    broken = tmp_path / "en-US.json"
    with pytest.raises(ModelError, match=rf"{broken}: invocationName"):
        compiled.render(datafiles.content_dir(), {broken: json.dumps(document).encode("utf-8")})


@pytest.mark.parametrize("name", compiled.FILES)
def test_the_compiled_data_is_what_the_yaml_says(name: str) -> None:
    path = datafiles.content_dir() / name
    assert compiled.parse(path, path.read_bytes()) == yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    shutil.copytree(datafiles.content_dir(), tmp_path / "content")
    return tmp_path / "content"


def test_an_edited_file_is_read_from_its_yaml_not_from_the_stale_compilation(content_copy: Path) -> None:
    topics = content_copy / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8").replace(
        "title: Caffeine", "title: Coffee and caffeine", 1), encoding="utf-8")
    assert load_content(content_copy).topics["caffeine"].title == "Coffee and caffeine"


def test_an_unreadable_compilation_falls_back_to_the_yaml(content_copy: Path) -> None:
    (content_copy / compiled.COMPILED).write_text("{not json", encoding="utf-8")
    assert load_content(content_copy).topics["caffeine"].title == "Caffeine"


def test_bad_yaml_is_still_refused_naming_the_file(content_copy: Path) -> None:
    (content_copy / "responses.yaml").write_text("welcome: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert "responses.yaml" in str(caught.value) and "not valid YAML" in str(caught.value)


@pytest.mark.parametrize("bad, problem", [
    ("A fact with a bell\x07.", "control character U[+]0007"),
    ("A fact" + " and more words" * 10 + ".", "over 25"),
])
def test_content_that_breaks_a_rule_is_never_compiled(content_copy: Path, bad: str, problem: str) -> None:
    """Start-up trusts compiled data for control characters and spoken lengths: `make model`
    checks those in full from the YAML before it compiles anything."""
    topics = content_copy / "topics.yaml"
    data = yaml.safe_load(topics.read_text(encoding="utf-8"))
    data["topics"][0]["short"][0]["fact"] = bad
    topics.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match=rf"{topics}.*{problem}"):
        compiled.render(content_copy, {})

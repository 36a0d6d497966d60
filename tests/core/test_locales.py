"""Every English locale: its own interaction model from the same templates, words people there say
heard, its spellings in what the skill says, a store listing each, bad locale files refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from skill.authoring import templates
from skill.core import datafiles, model
from skill.core.assembly import build_skill
from skill.core.content import load_content
from skill.core.locales import DEFAULT, Locale, load_locales
from skill.errors import ContentError, ModelError
from skill.simulator.envelope import LOCAL_SKILL_ID, Caller
from skill.simulator.simulator import Simulator
from skill.simulator.transport import LocalTransport
from tests.conftest import Conversation, intent, resolved_slot

LOCALES = load_locales()
SOLD_IN = {"en-US": "US", "en-CA": "CA", "en-GB": "GB", "en-AU": "AU", "en-IN": "IN"}
MANIFEST = json.loads(datafiles.manifest_path().read_text())["manifest"]


def language(tag: str) -> dict[str, Any]:
    document = json.loads(datafiles.model_path(tag).read_text())
    result: dict[str, Any] = document["interactionModel"]["languageModel"]
    return result


def everything_heard(tag: str) -> str:
    lm = language(tag)
    words = [s for i in lm["intents"] for s in i["samples"]]
    words += [w for t in lm["types"] for v in t["values"]
              for w in (v["name"]["value"], *v["name"]["synonyms"])]
    return "\n".join(words).lower()


def test_the_skill_is_published_in_every_english_locale_alexa_sells() -> None:
    assert LOCALES.tags[0] == DEFAULT
    assert {locale.tag: locale.countries for locale in LOCALES} == {t: (c,) for t, c in SOLD_IN.items()}
    assert set(MANIFEST["publishingInformation"]["locales"]) == set(SOLD_IN)
    assert set(MANIFEST["privacyAndCompliance"]["locales"]) == set(SOLD_IN)
    assert MANIFEST["publishingInformation"]["distributionCountries"] == list(SOLD_IN.values())


@pytest.mark.parametrize("tag", SOLD_IN)
def test_each_locale_has_a_current_model_that_follows_alexas_rules(tag: str) -> None:
    path = datafiles.model_path(tag)
    assert path.read_text() == templates.render(templates.generate(locale=LOCALES.get(tag))), \
        "run `make model`"
    loaded = model.load_model(path)
    us = model.load_model(datafiles.model_path(DEFAULT))
    assert loaded.invocation == us.invocation
    assert set(loaded.intents) == set(us.intents)
    assert {t: {v.id for v in vs} for t, vs in loaded.types.items()} == \
        {t: {v.id for v in vs} for t, vs in us.types.items()}
    assert set(us.intents["TopicIntent"].samples) <= set(loaded.intents["TopicIntent"].samples)


@pytest.mark.parametrize("tag", [t for t in SOLD_IN if t != DEFAULT])
def test_each_locale_hears_its_own_words_and_spellings(tag: str) -> None:
    locale = LOCALES.get(tag)
    heard = everything_heard(tag)
    assert locale.heard, tag
    for phrase, local in locale.heard.items():
        assert phrase in heard
        for words in local:
            assert words.lower() in heard, f"{tag} does not hear {words!r}"


@pytest.mark.parametrize(("tag", "said"), [
    ("en-GB", "should I take my baby to the paediatrician"),
    ("en-GB", "should I go to casualty"),
    ("en-AU", "should I call triple zero"),
    ("en-IN", "is it a brain tumour"),
    ("en-CA", "should I go to emerg"),
])
def test_the_simulator_understands_each_locale_with_its_own_model(tag: str, said: str) -> None:
    simulator = Simulator(LocalTransport(), caller=Caller(LOCAL_SKILL_ID, locale=tag))
    turn = simulator.say(said)
    assert turn.request["request"]["locale"] == tag
    assert turn.intent in ("TopicIntent", "RedFlagIntent"), turn.intent
    expected = "child" if "paediatrician" in said else "red_flag"
    assert turn.topic == expected


def test_the_locale_spells_what_the_skill_says(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(datafiles.content_dir(), folder)
    (folder / "compiled.json").unlink()
    topics = folder / "topics.yaml"
    topics.write_text(topics.read_text().replace(
        "Leg twitching is common in children, especially newborns.",
        "Generalized leg twitching is common in children, especially newborns, never a tumor."))
    skill = build_skill(load_content(folder))
    said = {}
    for tag in ("en-US", "en-GB", "en-CA"):
        response = Conversation(skill, tag).send(
            intent("TopicIntent", topic=resolved_slot("topic", "baby", "child")))
        said[tag] = (response["response"]["outputSpeech"]["ssml"], response["response"]["card"]["content"])
    assert all("Generalized leg twitching" in text and "a tumor." in text for text in said["en-US"])
    assert all("Generalised leg twitching" in text and "a tumour." in text for text in said["en-GB"])
    assert all("Generalized leg twitching" in text and "a tumour." in text for text in said["en-CA"])


EMERGENCY_NUMBER = {"en-US": "nine one one", "en-CA": "nine one one", "en-GB": "nine nine nine",
                    "en-AU": "triple zero", "en-IN": "one one two"}


@pytest.mark.parametrize("tag", SOLD_IN)
def test_the_red_flag_answer_gives_the_emergency_number_of_the_locale(tag: str) -> None:
    turn = Simulator(LocalTransport(), caller=Caller(LOCAL_SKILL_ID, locale=tag)).say(
        "my leg is suddenly weak and I can't walk")
    assert turn.topic == "red_flag"
    assert f"call {EMERGENCY_NUMBER[tag]} now" in turn.speech
    others = set(EMERGENCY_NUMBER.values()) - {EMERGENCY_NUMBER[tag]}
    assert not any(number in turn.speech for number in others)


def test_a_phrase_a_locale_says_that_the_content_never_says_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(datafiles.content_dir(), folder)
    (folder / "compiled.json").unlink()
    responses = folder / "responses.yaml"
    responses.write_text(responses.read_text().replace("call nine one one now", "call for help now"))
    topics = folder / "topics.yaml"
    topics.write_text(topics.read_text().replace("Call nine one one for", "Get help for"))
    with pytest.raises(ContentError, match=r"locales.yaml: en-GB says 'nine one one': is a phrase "
                                           r"the content never says"):
        build_skill(load_content(folder))


def test_a_locale_the_skill_does_not_list_is_answered_in_en_us(skill: Any) -> None:
    asked = {tag: Conversation(skill, tag).send(intent("TopicIntent", topic=resolved_slot(
        "topic", "at night", "night"))) for tag in ("en-US", "en-NZ", "de-DE")}
    assert asked["en-NZ"]["response"] == asked["en-US"]["response"] == asked["de-DE"]["response"]


def test_spelling_keeps_capitals_and_whole_words() -> None:
    locale = Locale("en-GB", ("GB",), {"tumor": "tumour", "fetal": "foetal"},
                    says={"nine one one": "nine nine nine"})
    assert (locale.spell("Tumor, tumors? a tumor. Fetal, fetally")
            == "Tumour, tumors? a tumour. Foetal, fetally")
    assert locale.spell("Nine one one, or call nine one one now") == \
        "Nine nine nine, or call nine nine nine now"
    assert locale.alternatives("(is|was) it {tumor} a tumor") == "(is|was) it {tumor} a (tumor|tumour)"


BAD_FILES = [
    ("[en-US]", "file", "mapping of locales"),
    ("en-GB: {countries: [GB]}", "file", "en-US among them"),
    ("en-US: {countries: [US]}\nfr-FR: {countries: [FR]}", "locale 'fr-FR'", "English locale tag"),
    ("en-US: {countries: [US], spellings: {tumor: tumour}}", "en-US", "spellings or phrases of its own"),
    ("en-US: {countries: [US]}\nen-GB: {countries: [GB], accent: posh}", "en-GB", "use only"),
    ("en-US: {countries: [US]}\nen-GB: {countries: Britain}", "en-GB countries", "country codes"),
    ("en-US: {countries: [US]}\nen-GB: {countries: [GB], spellings: {tumor: [tumour]}}",
     "en-GB spellings", "lowercase words"),
    ("en-US: {countries: [US]}\nen-GB: {countries: [GB], hear: {a doctor: a GP}}",
     "en-GB hear 'a doctor'", "list of phrases"),
    ("en-US: {countries: [US]}\nen-GB: {countries: [GB], hear: {a doctor: [a G.P. & co]}}",
     "en-GB hear 'a doctor'", "letters only"),
    ("en-US: {countries: [US], says: {nine one one: nine nine nine}}", "en-US",
     "spellings or phrases of its own"),
    ("en-US: {countries: [US]}\nen-GB: {countries: [GB], says: {nine one one: [nine nine nine]}}",
     "en-GB says", "lowercase phrases"),
    ("en-US: {countries: [US]}\nen-GB: {countries: [GB], says: {Nine One One: nine nine nine}}",
     "en-GB says", "lowercase phrases"),
    ("en-US: {countries: [US]\n", "file", "not valid UTF-8 YAML"),
]


@pytest.mark.parametrize(("text", "item", "fix"), BAD_FILES, ids=[b[1] for b in BAD_FILES])
def test_a_bad_locales_file_is_refused_naming_the_item(
        tmp_path: Path, text: str, item: str, fix: str) -> None:
    path = tmp_path / "locales.yaml"
    path.write_text(text)
    with pytest.raises(ContentError) as caught:
        load_locales(path)
    assert (caught.value.path, caught.value.item) == (str(path), item)
    assert fix in f"{caught.value.problem}. {caught.value.fix}"


def test_a_phrase_the_templates_never_use_is_refused_when_the_model_is_made() -> None:
    locale = Locale("en-GB", ("GB",), {}, {"a xylophone": ("a glockenspiel",)})
    never = r"locales.yaml: en-GB 'a xylophone': is a phrase utterances.yaml never uses"
    with pytest.raises(ModelError, match=never):
        templates.generate(locale=locale)

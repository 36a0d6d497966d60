"""The console in a real browser: Debian's Chromium, headless, driven through its chromedriver.

Chromium's fake microphone plays a question spoken by eSpeak NG, so the page's own recorder (WebAudio
to a 16 kHz WAV) is what the server hears. Screenshots of the main views go to build/console/.
"""

from __future__ import annotations

import base64
import csv
import importlib.util
import io
import re
import shutil
import sys
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.console.conftest import espeak_wav
from tests.support.loopback import free_port, running

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
if not (CHROMIUM and DRIVER and importlib.util.find_spec("selenium")):
    pytest.skip("browser tests need Chromium: apt-get install chromium chromium-driver (make test "
                "does), and pip install selenium (the dev extra)", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

SHOTS = Path(__file__).resolve().parents[2] / "build" / "console"
SPOKEN = "can coffee make my legs jump"
WAIT = 20.0  # seconds the page may take for one step (a recognition, a synthesis)


@pytest.fixture(scope="module")
def question_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return espeak_wav(SPOKEN, tmp_path_factory.mktemp("fake-mic") / "question.wav")


@pytest.fixture(scope="module")
def console_url(console_port: int) -> str:
    return f"http://127.0.0.1:{console_port}/"


@pytest.fixture(scope="module")
def browser(question_wav: Path) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
                 "--disable-extensions", "--no-first-run", "--disable-background-networking",
                 "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                 f"--use-file-for-fake-audio-capture={question_wav}%noloop",
                 "--autoplay-policy=no-user-gesture-required"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER or ""))
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: WebDriver, console_url: str) -> WebDriver:
    """The console, freshly loaded in a tab with no session yet."""
    browser.get(console_url)
    browser.execute_script("sessionStorage.clear()")
    browser.get(console_url)
    until(browser, lambda: browser.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
    return browser


def until(driver: WebDriver, check: Callable[[], Any]) -> Any:
    return WebDriverWait(driver, WAIT).until(lambda _: check())


def alexa(driver: WebDriver) -> list[WebElement]:
    return driver.find_elements(By.CSS_SELECTOR, ".bubble.alexa")


def ask(driver: WebDriver, text: str) -> WebElement:
    """Type `text` and press Enter; the Alexa bubble that answers it."""
    before = len(alexa(driver))
    box = driver.find_element(By.ID, "utterance")
    box.send_keys(text + "\n")
    until(driver, lambda: len(alexa(driver)) > before)
    return alexa(driver)[-1]


def shot(driver: WebDriver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def test_a_typed_question_shows_the_answer_the_card_and_the_json(page):
    answer = ask(page, "why do my legs twitch at night")
    assert "leg twitching during sleep" in answer.find_element(By.CLASS_NAME, "text").text
    assert answer.find_element(By.CLASS_NAME, "reprompt").text.endswith(
        "Would you like to hear about twitching as you fall asleep?")
    assert answer.find_element(By.CLASS_NAME, "card-title").text == "Twitching at night"
    assert "topic night" in answer.find_element(By.CLASS_NAME, "meta").text
    # A screen device shows the card as its screen would.
    page.find_element(By.ID, "device").send_keys("Screen")
    screen = page.find_element(By.ID, "screen")
    until(page, screen.is_displayed)
    assert "Twitching at night" in screen.text
    shot(page, "answer-card-screen")
    request = answer.find_element(By.CSS_SELECTOR, ".json.request")
    assert not request.find_element(By.TAG_NAME, "pre").is_displayed()  # collapsed until asked
    request.find_element(By.TAG_NAME, "summary").click()
    shown = request.find_element(By.TAG_NAME, "pre").text
    assert '"type": "IntentRequest"' in shown and '"value": "at night"' in shown
    assert shown.index('"version"') < shown.index('"session"') < shown.index('"request"')
    response = answer.find_element(By.CSS_SELECTOR, ".json.response")
    response.find_element(By.TAG_NAME, "summary").click()
    assert '"shouldEndSession": false' in response.find_element(By.TAG_NAME, "pre").text
    shot(page, "json")


def test_a_whole_conversation_yes_tell_me_more_stop(page):
    page.find_element(By.ID, "launch").click()
    until(page, lambda: len(alexa(page)) == 1)
    assert alexa(page)[0].find_element(By.CLASS_NAME, "text").text.startswith("Welcome to Leg Twitch Guide")
    assert "topic night" in ask(page, "why do my legs twitch at night").text
    yes = ask(page, "yes")
    assert yes.find_element(By.CLASS_NAME, "card-title").text == "Twitching as you fall asleep"
    more = ask(page, "tell me more")
    assert "topic falling_asleep" in more.find_element(By.CLASS_NAME, "meta").text
    assert more.find_element(By.CLASS_NAME, "text").text != yes.find_element(By.CLASS_NAME, "text").text
    stop = ask(page, "stop")
    assert "Goodbye" in stop.find_element(By.CLASS_NAME, "text").text
    assert "session ended" in stop.find_element(By.CLASS_NAME, "meta").text
    assert page.find_elements(By.CSS_SELECTOR, "#log .ended")
    shot(page, "conversation")
    # New session: the log is cleared and the tab gets another server-side session.
    old = page.execute_script("return sessionStorage.getItem('legtwitch-console-session')")
    page.find_element(By.ID, "new-session").click()
    until(page, lambda: not alexa(page))
    assert page.execute_script("return sessionStorage.getItem('legtwitch-console-session')") != old


def test_choosing_a_locale_starts_a_session_that_asks_in_it(page):
    Select(page.find_element(By.ID, "locale")).select_by_value("en-GB")
    until(page, lambda: "en-GB" in page.find_element(By.ID, "status").text)
    answer = ask(page, "should I take my baby to the paediatrician")
    assert "topic child" in answer.find_element(By.CLASS_NAME, "meta").text
    request = answer.find_element(By.CSS_SELECTOR, ".json.request")
    request.find_element(By.TAG_NAME, "summary").click()
    assert '"locale": "en-GB"' in request.find_element(By.TAG_NAME, "pre").text


def test_a_question_spoken_into_the_microphone_is_recognised_and_answered(page, question_wav):
    with wave.open(str(question_wav)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    speak = page.find_element(By.ID, "speak")
    speak.click()
    until(page, lambda: speak.get_attribute("aria-pressed") == "true")
    time.sleep(seconds + 1.0)  # the fake microphone plays the file once, in real time
    speak.click()
    until(page, lambda: alexa(page))
    heard = page.find_element(By.CSS_SELECTOR, ".bubble.user .text").text
    # Where the recording starts within the fake microphone's stream varies by a few milliseconds,
    # and with it, now and then, a plural: the words that carry the question must be there.
    assert re.fullmatch(r"\(heard\) can coffee make my legs? jump", heard), heard
    assert alexa(page)[0].find_element(By.CLASS_NAME, "card-title").text == "Caffeine"
    shot(page, "spoken")


def test_the_play_button_fetches_the_answer_as_a_valid_wav(page):
    answer = ask(page, "can coffee make my legs jump")
    play = answer.find_element(By.CLASS_NAME, "play")
    assert play.is_enabled()
    play.click()
    player = answer.find_element(By.CLASS_NAME, "player")
    until(page, lambda: (player.get_attribute("src") or "").startswith("blob:"))
    data = page.execute_async_script(
        """const [audio, done] = arguments;
        fetch(audio.src).then((r) => r.arrayBuffer()).then((buffer) => {
          let text = ""; for (const b of new Uint8Array(buffer)) text += String.fromCharCode(b);
          done(btoa(text)); });""", player)
    with wave.open(io.BytesIO(base64.b64decode(data))) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        assert wav.getnframes() / wav.getframerate() > 3


def test_review_mode_lists_topics_asks_samples_and_the_fallback_list_grows(page):
    def rows() -> list[str]:
        page.find_element(By.ID, "show-review").click()
        page.find_element(By.ID, "fallback-refresh").click()
        time.sleep(0.2)  # let the refresh land before reading the table
        return [r.text for r in page.find_elements(By.CSS_SELECTOR, "#fallback-table tbody tr")]

    before = rows()
    until(page, lambda: len(page.find_elements(By.CSS_SELECTOR, "#topics article.topic")) == 19)
    caffeine = page.find_element(By.ID, "topic-caffeine")
    assert "Source" in caffeine.text and "Follow-up" in caffeine.text and "→" in caffeine.text
    shot(page, "review")
    page.find_element(By.ID, "show-test").click()
    ask(page, "what is the weather like in paris")
    ask(page, "what stops a calf cramp")
    after = until(page, lambda: (found := rows()) and len(found) == len(before) + 2 and found)
    assert "what is the weather like in paris" in after[-2] and "not understood" in after[-2]
    assert "what stops a calf cramp" in after[-1] and "not covered" in after[-1]
    shot(page, "review-fallbacks")
    link = page.find_element(By.ID, "fallback-csv")
    assert link.get_attribute("download") is not None
    text = page.execute_async_script(
        "const [href, done] = arguments; fetch(href).then((r) => r.text()).then(done);",
        link.get_attribute("href"))
    assert [r[1] for r in csv.reader(io.StringIO(text))][-2:] == [
        "what is the weather like in paris", "what stops a calf cramp"]
    # One click asks a topic's sample question in the test view.
    sample = page.find_element(By.CSS_SELECTOR, "#topic-caffeine .sample")
    question = sample.text
    sample.click()
    until(page, lambda: page.find_element(By.ID, "test").is_displayed() and alexa(page))
    assert page.find_elements(By.CSS_SELECTOR, ".bubble.user .text")[-1].text == question
    assert alexa(page)[-1].find_element(By.CLASS_NAME, "card-title").text == "Caffeine"


def test_every_control_has_a_name_and_the_question_box_works_by_keyboard(page):
    unnamed = page.execute_script(
        """return [...document.querySelectorAll('input, select, button')]
             .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                             && !e.textContent.trim())
             .map((e) => e.outerHTML);""")
    assert unnamed == []
    page.find_element(By.ID, "utterance").click()
    page.switch_to.active_element.send_keys("why does my thigh keep twitching\n")
    until(page, lambda: alexa(page))
    assert alexa(page)[0].find_element(By.CLASS_NAME, "card-title").text == "Twitching above the knee"


def test_without_espeak_the_play_button_says_why(browser, tmp_path):
    port = free_port()
    argv = [sys.executable, "-m", "skill", "console", "--port", str(port)]
    with running(argv, port, {"ESPEAK_DATA_PATH": str(tmp_path)}):
        browser.get(f"http://127.0.0.1:{port}/")
        until(browser, lambda: browser.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
        play = ask(browser, "why do my legs twitch at night").find_element(By.CLASS_NAME, "play")
        assert not play.is_enabled()
        assert "apt-get install espeak-ng" in (play.get_attribute("title") or "")

# Leg Twitch Guide: `make run` starts the local spoken assistant, `make test` runs every test.
# Both set everything up first (Debian packages, a virtual environment, the package) and are
# idempotent: a second run only re-installs when pyproject.toml changed.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian packages the project needs at run time: eSpeak NG for speech, ALSA utilities to play
# and record it where there is a sound card.
DEBS   := espeak-ng alsa-utils
# Debian packages only the tests need: headless Chromium and its driver for the console's browser tests.
TEST_DEBS := chromium chromium-driver

.PHONY: setup run test bench model lint lambda clean debs

setup: $(STAMP)

debs:
	@sh .ci/debs $(DEBS)

$(STAMP): pyproject.toml Makefile .ci/debs
	@sh .ci/debs $(DEBS)
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null \
		|| sh .ci/debs python3-venv
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[web,voice,dev]'
	@touch $@

run: setup
	$(BIN)/legtwitch talk --or-chat

test: setup
	@sh .ci/debs $(TEST_DEBS)
	@sh .ci/askcli $(VENV)
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m bench

model: setup
	$(BIN)/legtwitch model --write

# The AWS Lambda package: the core dependencies for Lambda's platform, the package and its data.
lambda: setup
	rm -rf build/lambda && mkdir -p build/lambda
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --target build/lambda \
		--platform manylinux2014_x86_64 --only-binary=:all: --python-version 3.11 --implementation cp \
		$$($(BIN)/python -c "import tomllib; print(' '.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))")
	cp -r skill content interaction_model build/lambda/
	@# The understanding's classifier and word list and the spoken mode's phrasings serve the
	@# local doors only (Alexa understands and hears for Lambda).
	rm build/lambda/content/classifier.json build/lambda/content/phrasings.txt \
		build/lambda/skill/simulator/english_words.txt
	find build/lambda -name __pycache__ -prune -exec rm -rf {} +
	@# Bytecode for Lambda's Python 3.11 (its /var/task is read-only: without it every cold start
	@# compiles every module), checked by hash of the source, not by timestamps a zip may lose.
	$(BIN)/python -m compileall -q --invalidation-mode unchecked-hash build/lambda
	cd build/lambda && ../../$(BIN)/python -m zipfile -c ../legtwitch-lambda.zip $$(ls -A)
	@echo "built build/legtwitch-lambda.zip (handler: skill.alexa.lambda_function.handler)"

lint: setup
	$(BIN)/ruff check skill tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache

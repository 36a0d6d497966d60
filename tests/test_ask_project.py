"""The ask-cli v2 project: ask-resources.json in ask-cli's documented format, every path it names.

The format is ask-cli's "Alexa Skill Project Definition" (askcliResourcesVersion 2020-03-31):
per profile, `skillMetadata.src` (the skill package), `code.<region>.src` and
`skillInfrastructure` (a deployer type and its `userConfig`). The skill id is ask-cli's state
(`.ask/ask-states.json`), never committed. With the real ask-cli on PATH, `ask deploy` is run too.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "ask-resources.json"
VERSION = "2020-03-31"
REGIONS = {"default", "NA", "EU", "FE"}  # the code regions ask-cli knows
DEPLOYERS = {"@ask-cli/lambda-deployer", "@ask-cli/cfn-deployer", "@ask-cli/hosted-skill-deployer"}
PROFILE_KEYS = {"skillMetadata", "code", "skillInfrastructure"}
LAMBDA_RUNTIME = "python3.11"
LAMBDA_HANDLER = "skill.alexa.lambda_function.handler"


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    data = json.loads(RESOURCES.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def profiles(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = resources["profiles"]
    assert isinstance(found, dict) and found
    return found


def test_the_file_has_ask_cli_v2_shape(resources: dict[str, Any]) -> None:
    assert set(resources) == {"askcliResourcesVersion", "profiles"}
    assert resources["askcliResourcesVersion"] == VERSION
    for name, profile in profiles(resources).items():
        assert set(profile) <= PROFILE_KEYS, name
        assert "skillId" not in profile, "the skill id is ask-cli state (.ask/), never committed"
        assert "lastDeployHash" not in json.dumps(profile), "deploy hashes are ask-cli state"


def test_every_profile_deploys_the_interaction_model_folder(resources: dict[str, Any]) -> None:
    for name, profile in profiles(resources).items():
        src = profile["skillMetadata"]["src"]
        assert src == "./interaction_model", name
        package = ROOT / src
        assert json.loads((package / "skill.json").read_text())["manifest"], name
        assert list((package / "interactionModels" / "custom").glob("*.json")), name


def test_the_default_profile_deploys_the_lambda_function(resources: dict[str, Any]) -> None:
    default = profiles(resources)["default"]
    for region, code in default["code"].items():
        assert region in REGIONS
        assert (ROOT / code["src"]).is_dir(), code["src"]
    infrastructure = default["skillInfrastructure"]
    assert infrastructure["type"] in DEPLOYERS
    assert infrastructure["type"] == "@ask-cli/lambda-deployer"
    config = infrastructure["userConfig"]
    assert config["runtime"] == LAMBDA_RUNTIME
    assert config["handler"] == LAMBDA_HANDLER
    assert isinstance(config.get("awsRegion"), str) and config["awsRegion"]


def test_the_lambda_handler_named_is_the_entry_point() -> None:
    module, _, name = LAMBDA_HANDLER.rpartition(".")
    assert callable(getattr(importlib.import_module(module), name))
    assert LAMBDA_HANDLER in (ROOT / "Makefile").read_text(), "make lambda names the same handler"


def test_the_https_profile_deploys_the_skill_package_only(resources: dict[str, Any]) -> None:
    https = profiles(resources)["https"]
    assert set(https) == {"skillMetadata"}  # no code, no deployer: the endpoint is the manifest's


def test_ask_cli_builds_the_code_with_make_lambda() -> None:
    hook = ROOT / "hooks" / "build.sh"  # ask-cli's custom build flow, found in the project root
    assert hook.stat().st_mode & stat.S_IXUSR, "hooks/build.sh must be executable"
    text = hook.read_text()
    assert text.startswith("#!/bin/sh\n") and "make -C \"$root\" lambda" in text
    zip_file = "build/legtwitch-lambda.zip"
    assert zip_file in text and zip_file in (ROOT / "Makefile").read_text()


def test_ask_cli_state_is_not_committed() -> None:
    assert ".ask/" in (ROOT / ".gitignore").read_text().split()


def test_ask_deploy_finds_the_project_and_stops_only_at_amazon(tmp_path: Path) -> None:
    local = ROOT / ".venv" / "ask-cli" / "node_modules" / ".bin" / "ask"  # where `make test` puts it
    ask = shutil.which("ask") or (str(local) if local.is_file() else None)
    if ask is None:
        pytest.skip("ask-cli not found: `sh .ci/askcli` (or `npm install -g ask-cli@2.28.0`) to run it")
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", ".git", "build", ".ask",
                                                                 "__pycache__", "*.egg-info"))
    home = tmp_path / "home"
    (home / ".ask").mkdir(parents=True)
    token = {"access_token": "Atza|not-a-token", "refresh_token": "Atzr|not-a-token",
             "token_type": "bearer", "expires_in": 3600, "expires_at": "2099-01-01T00:00:00.000Z"}
    (home / ".ask" / "cli_config").write_text(json.dumps(
        {"profiles": {"default": {"token": token, "vendor_id": "M0NOTAVENDOR"}}}))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASK_", "AWS_"))}
    done = subprocess.run([ask, "deploy", "--target", "skill-metadata"], cwd=project,
                          env={**env, "HOME": str(home)}, capture_output=True, text=True, timeout=120)
    said = done.stdout + done.stderr
    assert "Deploy configuration loaded from ask-resources.json" in said, said
    assert "Uploading the entire skill package" in said, said  # the package was found and read
    assert "create-upload" in said, said  # ...and only Amazon's service (no credentials) stopped it

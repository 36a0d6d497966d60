"""Shared pytest fixtures, one section per area."""

from __future__ import annotations

# --- web (issue 4): test CA, certificate host on loopback, app factory --------------------------
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import certauthority
from tests.alexarequest import CHAIN_PATH, TEST_SKILL_ID
from tests.loopback import FileServer, file_server


@pytest.fixture(scope="session")
def test_root() -> certauthority.Issuer:
    return certauthority.root()


@pytest.fixture(scope="session")
def test_chain(test_root: certauthority.Issuer) -> certauthority.SigningChain:
    return certauthority.signing_chain(test_root)


@pytest.fixture(scope="session")
def roots_file(test_root: certauthority.Issuer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roots") / "roots.pem"
    path.write_bytes(test_root.pem)
    return path


@pytest.fixture(scope="session")
def cert_host(test_chain: certauthority.SigningChain) -> Iterator[FileServer]:
    """A loopback HTTP server standing in for s3.amazonaws.com (paths kept as they are)."""
    with file_server() as server:
        server.files[CHAIN_PATH] = test_chain.pem
        yield server


@pytest.fixture(scope="session")
def served_skill() -> Any:
    from tests.helloskill import build_hello_skill

    return build_hello_skill()


@pytest.fixture(scope="session")
def web_config(roots_file: Path, cert_host: FileServer, served_skill: Any) -> dict[str, Any]:
    """create_app config: test roots, chains from `cert_host` (1 s timeout), the test skill id."""
    from skill.verifier import ChainDownloader

    downloader = ChainDownloader(timeout=1.0)

    def download(url: str) -> bytes:
        return downloader(url.replace("https://s3.amazonaws.com", cert_host.base, 1))

    return {
        "LEGTWITCH_TRUST_ROOTS": str(roots_file),
        "LEGTWITCH_SKILL_ID": TEST_SKILL_ID,
        "LEGTWITCH_DOWNLOAD": download,
        "LEGTWITCH_SKILL": served_skill,
    }


@pytest.fixture(scope="session")
def make_app(web_config: dict[str, Any]) -> Callable[..., Any]:
    """create_app with the web test config, overridden by keyword settings."""
    from skill.web import create_app

    def make(**overrides: Any) -> Any:
        return create_app({**web_config, **overrides})

    return make

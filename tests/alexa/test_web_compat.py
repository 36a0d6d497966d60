"""The oscrypto work-around: flask-ask-sdk imports on this OpenSSL; the stock path fails closed."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from skill.alexa import oscrypto_fix as compat
from tests.support import certauthority

EXPECTED = textwrap.dedent(
    r"""
    import re, ssl
    from importlib.metadata import version
    # oscrypto 1.3.0 cannot parse OpenSSL versions from 3.0.10 on (wbond/oscrypto#75)
    found = re.search(r"OpenSSL (\d+)\.(\d+)\.(\d+)", ssl.OPENSSL_VERSION)
    numbers = tuple(int(n) for n in found.groups()) if found else (0, 0, 0)
    print(numbers >= (3, 0, 10) and version("oscrypto") == "1.3.0")
    """
)


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def broken_here() -> bool:
    """Whether this machine has the oscrypto/OpenSSL combination that breaks the import."""
    return run(EXPECTED).stdout.strip() == "True"


def test_plain_import_fails_exactly_where_expected(broken_here: bool) -> None:
    result = run("import flask_ask_sdk.skill_adapter")
    assert (result.returncode != 0) == broken_here
    if broken_here:
        assert compat.OSCRYPTO_VERSION_ERROR in result.stderr


def test_import_works_after_prepare(broken_here: bool) -> None:
    result = run(
        "from skill.alexa.oscrypto_fix import prepare_flask_ask_sdk, standin_active\n"
        "installed = prepare_flask_ask_sdk()\n"
        "import flask_ask_sdk.skill_adapter\n"
        "import certvalidator.errors\n"
        "print(installed, standin_active(), prepare_flask_ask_sdk())"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(broken_here)] * 3


def test_web_module_imports_in_a_fresh_interpreter() -> None:
    result = run("import skill.alexa.app; print(skill.alexa.app.create_app.__name__)")
    assert (result.returncode, result.stdout.strip()) == (0, "create_app"), result.stderr


def test_stock_verifier_fails_closed(test_chain: certauthority.SigningChain) -> None:
    compat.prepare_flask_ask_sdk()
    from ask_sdk_webservice_support.verifier import RequestVerifier, VerificationException

    with pytest.raises(VerificationException, match="not valid"):
        RequestVerifier()._validate_cert_chain(test_chain.pem)


def test_only_the_version_error_is_recognised() -> None:
    from oscrypto.errors import LibraryNotFoundError  # type: ignore[import-untyped]

    assert compat.is_oscrypto_version_error(LibraryNotFoundError(compat.OSCRYPTO_VERSION_ERROR))
    assert not compat.is_oscrypto_version_error(LibraryNotFoundError("libcrypto not found"))
    assert not compat.is_oscrypto_version_error(ImportError(compat.OSCRYPTO_VERSION_ERROR))

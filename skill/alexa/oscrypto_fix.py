"""Compatibility: lets flask-ask-sdk import where oscrypto 1.3.0 cannot read the OpenSSL version.

`flask_ask_sdk.skill_adapter` imports `ask_sdk_webservice_support.verifier`, which imports
`certvalidator`, which imports `oscrypto`. oscrypto 1.3.0 (the newest release) reads the libcrypto
version with the pattern `\\d\\.\\d\\.\\d[a-z]*\\b`, which matches no OpenSSL from 3.0.10 on
(two-digit patch numbers, e.g. "OpenSSL 3.0.19"), and raises `LibraryNotFoundError("Error
detecting the version of libcrypto")` at import (wbond/oscrypto#75, #78; fixed on oscrypto's
master, not released).

This project never uses certvalidator: `skill.alexa.signature` checks signatures and certificate chains
with `cryptography` and replaces the stock `RequestVerifier`. So, only when importing certvalidator
fails with exactly that error, `prepare_flask_ask_sdk()` registers a stand-in `certvalidator`
package: its submodules (`certvalidator.errors`, pure Python) are the real ones, and its
`CertificateValidator` raises `ValidationError` when built, so the stock verifier, if anyone
switched it back on, refuses every request instead of accepting any. Where oscrypto works (an
older OpenSSL, a fixed oscrypto), nothing is replaced.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
import types

logger = logging.getLogger(__name__)

#: The message oscrypto 1.3.0 raises when its OpenSSL version pattern does not match.
OSCRYPTO_VERSION_ERROR = "Error detecting the version of libcrypto"
#: Marks the stand-in module, so tests and operators can tell it is in place.
STANDIN_ATTRIBUTE = "__legtwitch_standin__"


class CertificateValidatorUnavailable:
    """Stand-in for `certvalidator.CertificateValidator`: refuses every chain (fails closed)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        errors = importlib.import_module("certvalidator.errors")
        raise errors.ValidationError(
            "certvalidator cannot run on this OpenSSL (oscrypto cannot read its version); "
            "use skill.alexa.signature.SignatureVerifier"
        )


def is_oscrypto_version_error(exc: BaseException) -> bool:
    """True when `exc` is oscrypto's failure to parse the libcrypto version (and nothing else)."""
    return type(exc).__name__ == "LibraryNotFoundError" and OSCRYPTO_VERSION_ERROR in str(exc)


def standin_active() -> bool:
    """True when the `certvalidator` in this process is the stand-in."""
    return bool(getattr(sys.modules.get("certvalidator"), STANDIN_ATTRIBUTE, False))


def prepare_flask_ask_sdk() -> bool:
    """Make `import flask_ask_sdk.skill_adapter` work; True when the stand-in had to be installed.

    Idempotent. Any other import failure (certvalidator missing, another oscrypto error) is raised
    unchanged: only the one known, harmless-to-us failure is worked around.
    """
    if standin_active():
        return True
    try:
        importlib.import_module("certvalidator")
        return False
    except Exception as exc:  # noqa: BLE001 - anything but the known error is re-raised below
        if not is_oscrypto_version_error(exc):
            raise
        reason = str(exc)
    spec = importlib.util.find_spec("certvalidator")
    if spec is None or spec.submodule_search_locations is None:  # pragma: no cover - just imported
        raise ImportError("certvalidator vanished while preparing flask-ask-sdk")
    standin = types.ModuleType("certvalidator", "Stand-in installed by skill.alexa.oscrypto_fix.")
    standin.__path__ = list(spec.submodule_search_locations)
    standin.CertificateValidator = CertificateValidatorUnavailable  # type: ignore[attr-defined]
    setattr(standin, STANDIN_ATTRIBUTE, True)
    sys.modules["certvalidator"] = standin
    importlib.import_module("certvalidator.errors")
    logger.info("certvalidator replaced by a fail-closed stand-in: %s (oscrypto)", reason)
    return True

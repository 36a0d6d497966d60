"""Certificate authority for tests: Amazon-shaped signing chains made with `cryptography`."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SIGNING_NAME = "echo-api.amazon.com"
NOW = dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Issuer:
    """A CA certificate and its private key."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True)
class SigningChain:
    """A signing certificate, its key and the PEM chain (leaf first) served at the chain URL."""

    leaf: x509.Certificate
    key: rsa.RSAPrivateKey
    pem: bytes

    def sign(self, body: bytes) -> str:
        """The Signature-256 header value for `body`."""
        raw = self.key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(raw).decode("ascii")


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _builder(subject: str, issuer: x509.Name, public_key, start: dt.datetime, end: dt.datetime):
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(False, False, False, False, False, True, True, False, False)


def root(name: str = "Legtwitch Test Root") -> Issuer:
    """A self-signed root CA valid for ten years around now."""
    key = new_key()
    cert = (
        _builder(name, _name(name), key.public_key(), NOW - dt.timedelta(days=365),
                 NOW + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Issuer(cert, key)


def _issued_by(issuer: Issuer, builder: x509.CertificateBuilder) -> x509.CertificateBuilder:
    ski = issuer.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
    )


def intermediate(parent: Issuer, name: str = "Legtwitch Test Intermediate") -> Issuer:
    """A CA issued by `parent`, allowed to issue end-entity certificates only."""
    key = new_key()
    builder = _builder(name, parent.cert.subject, key.public_key(), NOW - dt.timedelta(days=300),
                       NOW + dt.timedelta(days=1800))
    cert = (
        _issued_by(parent, builder)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .sign(parent.key, hashes.SHA256())
    )
    return Issuer(cert, key)


def signing_chain(
    ca: Issuer,
    parent: Issuer | None = None,
    san: str = SIGNING_NAME,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> SigningChain:
    """A signing certificate naming `san`, issued by `parent` (an intermediate under `ca`).

    Without `parent`, a fresh intermediate under `ca` issues it. The chain PEM is the leaf then
    the intermediate, as Amazon serves it.
    """
    parent = parent or intermediate(ca)
    key = new_key()
    builder = _builder(san, parent.cert.subject, key.public_key(),
                       start or NOW - dt.timedelta(days=30), end or NOW + dt.timedelta(days=300))
    leaf = (
        _issued_by(parent, builder)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, True, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .sign(parent.key, hashes.SHA256())
    )
    pem = leaf.public_bytes(serialization.Encoding.PEM) + parent.pem
    return SigningChain(leaf, key, pem)

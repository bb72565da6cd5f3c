"""A stand-in for Amazon's signing PKI, so request verification is tested without any network.

`AlexaSigner` plays Amazon: a root CA (injected into `verify_request` as the only trusted root),
an intermediate, and a leaf certificate for echo-api.amazon.com whose key signs request bodies.
Its `fetch` serves PEM chains by URL the way S3 would, and counts the downloads.

RSA key generation is the slow part (tens of milliseconds a key), so keys are made once per process
and reused; certificates are cheap and issued per test with whatever dates or names the test needs.
"""

from __future__ import annotations

import base64
import functools
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ECHO_API = "echo-api.amazon.com"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-hamstringcoach"


@functools.cache
def rsa_key(role: str) -> rsa.RSAPrivateKey:
    """One 2048-bit key per role name for the whole test run (2048 is the web PKI minimum)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Hamstring Coach test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def _leaf_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=True,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def make_root(common_name: str, key: rsa.RSAPrivateKey, not_before: datetime, not_after: datetime):
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_ca_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def make_intermediate(
    common_name: str,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate,
    issuer_key: rsa.RSAPrivateKey,
    not_before: datetime,
    not_after: datetime,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
        .sign(issuer_key, hashes.SHA256())
    )


def make_leaf(
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate,
    issuer_key: rsa.RSAPrivateKey,
    not_before: datetime,
    not_after: datetime,
    dns_names: tuple[str, ...] = (ECHO_API,),
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(dns_names[0] if dns_names else "no-san.example"))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_leaf_key_usage(), critical=True)
        # Amazon's echo-api certificate is a public TLS server certificate, hence serverAuth.
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
    )
    if dns_names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name) for name in dns_names]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


def pem(*certificates: x509.Certificate) -> bytes:
    return b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in certificates)


@dataclass
class AlexaSigner:
    """Amazon's side of a signed request: a CA, a chain served at URLs, and a leaf key that signs."""

    now: datetime
    prefix: str = "test"
    served: dict[str, bytes] = field(default_factory=dict)
    downloads: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.root_key = rsa_key(f"{self.prefix}-root")
        self.intermediate_key = rsa_key(f"{self.prefix}-intermediate")
        self.leaf_key = rsa_key(f"{self.prefix}-leaf")
        ten_years = timedelta(days=3650)
        self.root = make_root(
            f"{self.prefix} root CA", self.root_key, self.now - ten_years, self.now + ten_years
        )
        self.intermediate = make_intermediate(
            f"{self.prefix} intermediate CA",
            self.intermediate_key,
            self.root,
            self.root_key,
            self.now - timedelta(days=365),
            self.now + timedelta(days=1825),
        )
        self.leaf = self.issue_leaf()
        self.serve(CERT_URL, self.leaf)

    @property
    def trust_roots(self) -> list[x509.Certificate]:
        return [self.root]

    def issue_leaf(
        self,
        *,
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        dns_names: tuple[str, ...] = (ECHO_API,),
    ) -> x509.Certificate:
        return make_leaf(
            self.leaf_key,
            self.intermediate,
            self.intermediate_key,
            not_before or self.now - timedelta(days=30),
            not_after or self.now + timedelta(days=60),
            dns_names,
        )

    def serve(self, url: str, leaf: x509.Certificate, *extra: x509.Certificate) -> None:
        """Put a chain (leaf first, then the intermediate, as Amazon does) at a URL."""
        self.served[url] = pem(leaf, self.intermediate, *extra)

    def fetch(self, url: str) -> bytes:
        self.downloads[url] += 1
        if url not in self.served:
            raise OSError(f"404 for {url}")
        return self.served[url]

    def signature(self, body: bytes) -> str:
        raw = self.leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(raw).decode("ascii")

    def headers(self, body: bytes, *, cert_url: str = CERT_URL) -> dict[str, str]:
        return {
            "SignatureCertChainUrl": cert_url,
            "Signature-256": self.signature(body),
            "Content-Type": "application/json",
        }


def launch_envelope(timestamp: datetime, *, application_id: str = SKILL_ID) -> dict:
    """A LaunchRequest as Alexa sends it, cut down to what verification and a launch turn read."""
    application = {"applicationId": application_id}
    user = {"userId": "amzn1.ask.account.TESTRUNNER"}
    return {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": "amzn1.echo-api.session.test",
            "application": application,
            "attributes": {},
            "user": user,
        },
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": {"deviceId": "amzn1.ask.device.TEST", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
                "apiAccessToken": "test-token",
            }
        },
        "request": {
            "type": "LaunchRequest",
            "requestId": "amzn1.echo-api.request.test",
            "timestamp": timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "locale": "en-US",
        },
    }


def body_of(envelope: dict) -> bytes:
    return json.dumps(envelope).encode("utf-8")

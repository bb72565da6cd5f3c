"""Checks that a POST to /alexa really comes from Alexa, as Amazon requires of web-service skills.

Amazon signs every request it sends to a web-service endpoint: the `SignatureCertChainUrl` header
points at a PEM certificate chain on S3 and `Signature-256` holds an RSA signature of the raw body
made with that certificate's key. Anything we cannot prove came from Alexa, recently, for our
skill, is refused with a `VerificationError` whose reason is short and safe to log (it never
contains the body, which may hold a runner's health answers).

Fetching and verifying a chain is slow (a network round trip, PEM parsing, path validation), so a
verified chain is cached per URL until its first certificate expires; a cache hit costs one RSA
signature check. The certificate URL comes from the (unsigned) request, so a stranger chooses what
we download: a URL with a query string is refused (Amazon's never have one, and each new one would
be a new download), a refused URL is remembered for a minute, the download has an overall deadline
and a size cap, and only so many downloads start per minute.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import http.client
import json
import socket
import ssl
import threading
import time
import urllib.parse
import warnings
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import verification as x509_verification

# What Amazon's documentation for web-service skills prescribes, in its own terms.
CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
CERT_URL_SCHEME = "https"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
CERT_URL_PORT = 443
ECHO_API_DNS_NAME = "echo-api.amazon.com"
TIMESTAMP_TOLERANCE = timedelta(seconds=150)

# The real chain is a few kilobytes; a cap keeps a hostile or broken response from eating memory,
# and a deadline for the whole download (connecting, headers, body: a per-read timeout alone lets
# a server that trickles a byte a second hold a worker for ever) keeps a slow S3 from holding a
# worker while Alexa waits (it gives up at 8 s).
FETCH_TIMEOUT_SECONDS = 3.0
FETCH_DEADLINE_SECONDS = 3.0
FETCH_MAX_BYTES = 64 * 1024
# Downloads this process starts per minute, whatever the URLs: Alexa's one URL is cached after the
# first, so only a stream of made-up URLs (each a request to S3 on a stranger's behalf) meets it.
DOWNLOADS_PER_MINUTE = 10
# A URL whose chain was refused (not found, not PEM, not Amazon's) is refused without a download
# for this long; bounded like the cache of verified chains.
REFUSAL_MEMORY_SECONDS = 60.0
REFUSALS_MAX_ENTRIES = 256
# Amazon rotates one certificate at a time, so a handful of entries is plenty; the bound stops a
# stream of forged-but-valid URLs from growing memory without limit.
CACHE_MAX_ENTRIES = 16

Fetch = Callable[[str], bytes]


class VerificationError(ValueError):
    """The request cannot be shown to come from Alexa for this skill; answer HTTP 400."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def verify_request(
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: datetime | None = None,
    skill_id: str | None = None,
    trust_roots: list[x509.Certificate] | None = None,
    fetch: Fetch | None = None,
) -> dict:
    """Return the parsed request envelope once every one of Amazon's checks has passed.

    `trust_roots` replaces certifi's root certificates and `fetch` replaces the HTTPS download of
    the chain; tests use both so that no network is needed.
    """
    now = _aware(now) if now is not None else datetime.now(UTC)
    cert_url = normalised_cert_url(_header(headers, CERT_URL_HEADER))
    signature = _decode_signature(_header(headers, SIGNATURE_HEADER))

    signer = _signing_certificate(cert_url, now, trust_roots, fetch or fetch_certificate_chain)
    try:
        signer.public_key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise VerificationError("signature does not match the body") from None

    envelope = _parse_envelope(body)
    _check_timestamp(envelope, now)
    if skill_id is not None:
        _check_skill_id(envelope, skill_id)
    return envelope


# Alexa sends the same URL on every request, so the parsing is remembered (refusals are not cached).
@functools.lru_cache(maxsize=64)
def normalised_cert_url(url: str) -> str:
    """The certificate URL with dot segments resolved; VerificationError if Amazon's rules refuse it."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise VerificationError("certificate URL is not a URL") from None
    if parts.scheme.lower() != CERT_URL_SCHEME:
        raise VerificationError("certificate URL is not https")
    # Userinfo could make a hostile URL look like ours to a careless reader of the logs.
    if parts.username is not None or parts.password is not None:
        raise VerificationError("certificate URL carries credentials")
    if (parts.hostname or "") != CERT_URL_HOST:
        raise VerificationError("certificate URL host is not s3.amazonaws.com")
    if port is not None and port != CERT_URL_PORT:
        raise VerificationError("certificate URL port is not 443")
    # Percent-decoding first means "%2e%2e" cannot smuggle a ".." past the segment resolution.
    path = _remove_dot_segments(urllib.parse.unquote(parts.path))
    if not path.startswith(CERT_URL_PATH_PREFIX):
        raise VerificationError("certificate URL path is not under /echo.api/")
    # Amazon's URLs name a file; a query string names nothing more, except a new download each.
    if parts.query or "?" in url:
        raise VerificationError("certificate URL has a query string")
    host = CERT_URL_HOST if port is None else f"{CERT_URL_HOST}:{port}"
    return urllib.parse.urlunsplit((CERT_URL_SCHEME, host, urllib.parse.quote(path), "", ""))


def fetch_certificate_chain(url: str) -> bytes:
    """Download the PEM chain from S3 within FETCH_DEADLINE_SECONDS in all and FETCH_MAX_BYTES;
    anything but a 200 (a redirect included, so the URL checked is the URL read) is refused."""
    if not _download_allowed():
        raise VerificationError("too many certificate downloads; try again shortly")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:  # http: tests on loopback only
        raise VerificationError("certificate chain could not be downloaded")
    deadline = time.monotonic() + FETCH_DEADLINE_SECONDS
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=FETCH_TIMEOUT_SECONDS, context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=FETCH_TIMEOUT_SECONDS)
    # Socket timeouts bound each read, not the sum of them: at the deadline the watchdog shuts the
    # socket, which ends whatever read is waiting.
    watchdog = threading.Timer(FETCH_DEADLINE_SECONDS, _shut, args=(connection,))
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request("GET", parts.path or "/", headers={"Accept": "*/*", "Connection": "close"})
        response = connection.getresponse()
        if response.status != 200:
            raise VerificationError("certificate chain could not be downloaded")
        declared = response.getheader("Content-Length")
        if declared is not None and declared.strip().isdigit() and int(declared) > FETCH_MAX_BYTES:
            raise VerificationError("certificate chain is too large")
        data = bytearray()
        while chunk := response.read1(16 * 1024):
            data += chunk
            if len(data) > FETCH_MAX_BYTES:
                raise VerificationError("certificate chain is too large")
            if time.monotonic() > deadline:
                raise VerificationError("certificate chain download took too long")
    except VerificationError:
        raise
    except (OSError, http.client.HTTPException, ValueError):
        if time.monotonic() >= deadline:
            raise VerificationError("certificate chain download took too long") from None
        raise VerificationError("certificate chain could not be downloaded") from None
    finally:
        watchdog.cancel()
        connection.close()
    if time.monotonic() > deadline:
        raise VerificationError("certificate chain download took too long")
    return bytes(data)


def _shut(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


_download_times: deque[float] = deque()
_download_lock = threading.Lock()


def _download_allowed() -> bool:
    now = time.monotonic()
    with _download_lock:
        while _download_times and now - _download_times[0] > 60:
            _download_times.popleft()
        if len(_download_times) >= DOWNLOADS_PER_MINUTE:
            return False
        _download_times.append(now)
        return True


def clear_certificate_cache() -> None:
    """Forget every verified chain and every refused URL (tests, and an operator who distrusts a
    certificate), and the count of recent downloads."""
    with _cache_lock:
        _cache.clear()
        _refusals.clear()
    with _download_lock:
        _download_times.clear()


@dataclass(frozen=True, slots=True)
class _VerifiedSigner:
    public_key: rsa.RSAPublicKey
    # The window in which every certificate of the verified chain is valid at once.
    valid_from: datetime
    valid_until: datetime


_cache: OrderedDict[tuple[str, tuple[bytes, ...] | None], _VerifiedSigner] = OrderedDict()
# URL (and roots) → (the refusal's reason, until when on the monotonic clock).
_refusals: OrderedDict[tuple[str, tuple[bytes, ...] | None], tuple[str, float]] = OrderedDict()
_cache_lock = threading.Lock()
_certifi_store: x509_verification.Store | None = None
_certifi_lock = threading.Lock()


def _signing_certificate(
    cert_url: str, now: datetime, trust_roots: list[x509.Certificate] | None, fetch: Fetch
) -> _VerifiedSigner:
    # A chain verified against one set of roots says nothing about another, hence roots in the key.
    roots_key = None
    if trust_roots is not None:
        roots_key = tuple(root.fingerprint(hashes.SHA256()) for root in trust_roots)
    key = (cert_url, roots_key)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            if cached.valid_from <= now <= cached.valid_until:
                _cache.move_to_end(key)
                return cached
            del _cache[key]
        refused = _refusals.get(key)
        if refused is not None:
            if time.monotonic() < refused[1]:
                raise VerificationError(refused[0])
            del _refusals[key]

    try:
        signer = _verify_chain(_download(cert_url, fetch), now, trust_roots)
    except VerificationError as error:
        if not error.reason.startswith("too many"):  # the budget is no verdict on this URL
            with _cache_lock:
                _refusals[key] = (error.reason, time.monotonic() + REFUSAL_MEMORY_SECONDS)
                _refusals.move_to_end(key)
                while len(_refusals) > REFUSALS_MAX_ENTRIES:
                    _refusals.popitem(last=False)
        raise
    with _cache_lock:
        _cache[key] = signer
        _cache.move_to_end(key)
        while len(_cache) > CACHE_MAX_ENTRIES:
            _cache.popitem(last=False)
    return signer


def _download(cert_url: str, fetch: Fetch) -> bytes:
    try:
        data = fetch(cert_url)
    except VerificationError:
        raise
    except Exception:
        raise VerificationError("certificate chain could not be downloaded") from None
    if not isinstance(data, bytes | bytearray) or len(data) > FETCH_MAX_BYTES:
        raise VerificationError("certificate chain could not be downloaded")
    return bytes(data)


def _verify_chain(pem: bytes, now: datetime, trust_roots: list[x509.Certificate] | None) -> _VerifiedSigner:
    try:
        certificates = x509.load_pem_x509_certificates(pem)
    except ValueError:
        raise VerificationError("certificate chain is not PEM") from None
    leaf, intermediates = certificates[0], certificates[1:]

    # Checked one by one before path validation so that the logged reason says which rule failed.
    if now < leaf.not_valid_before_utc:
        raise VerificationError("signing certificate is not yet valid")
    if now > leaf.not_valid_after_utc:
        raise VerificationError("signing certificate has expired")
    if not _names_echo_api(leaf):
        raise VerificationError("signing certificate is not for echo-api.amazon.com")
    public_key = leaf.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise VerificationError("signing certificate key is not RSA")

    # The server verifier, not the client one: Amazon's leaf is an ordinary TLS server certificate
    # (serverAuth; public CAs are dropping clientAuth), and it also matches the SAN to the name.
    store = _certifi_roots() if trust_roots is None else _store(trust_roots)
    verifier = (
        x509_verification.PolicyBuilder()
        .store(store)
        .time(now)
        .build_server_verifier(x509.DNSName(ECHO_API_DNS_NAME))
    )
    try:
        chain = verifier.verify(leaf, intermediates)
    except (x509_verification.VerificationError, ValueError):
        raise VerificationError("signing certificate does not chain to a trusted root") from None

    return _VerifiedSigner(
        public_key=public_key,
        valid_from=max(cert.not_valid_before_utc for cert in chain),
        valid_until=min(cert.not_valid_after_utc for cert in chain),
    )


def _names_echo_api(leaf: x509.Certificate) -> bool:
    try:
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError):
        return False
    return any(name.lower() == ECHO_API_DNS_NAME for name in names.get_values_for_type(x509.DNSName))


def _certifi_roots() -> x509_verification.Store:
    # Loaded once per process: parsing ~150 roots costs tens of milliseconds.
    global _certifi_store
    with _certifi_lock:
        if _certifi_store is None:
            import certifi

            with open(certifi.where(), "rb") as bundle, warnings.catch_warnings():
                # One bundled root has a non-positive serial; the warning is about certifi, not a request.
                warnings.simplefilter("ignore", CryptographyDeprecationWarning)
                _certifi_store = x509_verification.Store(x509.load_pem_x509_certificates(bundle.read()))
        return _certifi_store


def _store(trust_roots: list[x509.Certificate]) -> x509_verification.Store:
    if not trust_roots:
        raise VerificationError("no trusted roots configured")
    return x509_verification.Store(list(trust_roots))


def _decode_signature(value: str) -> bytes:
    try:
        signature = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise VerificationError("signature is not base64") from None
    if not signature:
        raise VerificationError("signature is empty")
    return signature


def _parse_envelope(body: bytes) -> dict:
    try:
        envelope = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise VerificationError("body is not JSON") from None
    if not isinstance(envelope, dict) or not isinstance(envelope.get("request"), dict):
        raise VerificationError("body is not an Alexa request envelope")
    return envelope


def _check_timestamp(envelope: dict, now: datetime) -> None:
    stamp = envelope["request"].get("timestamp")
    if not isinstance(stamp, str):
        raise VerificationError("request timestamp is missing")
    try:
        sent = _aware(datetime.fromisoformat(stamp))
    except ValueError:
        raise VerificationError("request timestamp is not ISO 8601") from None
    # Both directions: a replay is old, and a clock far ahead is as suspect as one far behind.
    if abs(now - sent) > TIMESTAMP_TOLERANCE:
        raise VerificationError("request timestamp is more than 150 seconds from now")


def _check_skill_id(envelope: dict, skill_id: str) -> None:
    session_app = _dig(envelope, "session", "application", "applicationId")
    context_app = _dig(envelope, "context", "System", "application", "applicationId")
    present = [app for app in (session_app, context_app) if app is not None]
    # Every id the request names must be ours: a mismatch between the two is itself suspicious.
    if not present or any(app != skill_id for app in present):
        raise VerificationError("request is for another skill")


def _dig(data: object, *keys: str) -> object | None:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if value is None:
        # HTTP header names are case-insensitive; a plain dict is not.
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    if not value:
        raise VerificationError(f"{name} header is missing")
    return value


def _remove_dot_segments(path: str) -> str:
    # RFC 3986 section 5.2.4, so "/echo.api/../x" is judged as the "/x" it really names.
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    resolved = "/".join(output)
    return resolved if resolved.startswith("/") else "/" + resolved


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


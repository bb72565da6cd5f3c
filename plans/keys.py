"""Tokens, keyed hashes and sealing: how a plan is reached without the database holding anything
that opens it.

- A plan's token is `secrets.token_urlsafe(TOKEN_BYTES)`; the database keeps only its keyed hash.
- A runner's `owner_key` is the keyed hash of their Alexa user id: plans and the skill's state are
  filed under it, so "delete my data" finds both, and the id itself is never stored.
- Sealing is AES-GCM under a key derived from the secret and a purpose ("seal:<code>" seals a
  token, "seal-code:<token>" a code): the prefixes differ, so a key for one can never open the other.
- Data at rest (health answers, assessment, programme, check-ins, the skill's unfinished answers)
  is sealed by a `Keyring`: AES-256-GCM under `HMAC-SHA256(secret, "data-at-rest:v1")`, written as
  `v1.<key id>.<base64url(nonce | ciphertext | tag)>`, with the row it belongs to (plan id and
  column) authenticated alongside, so a sealed value cannot be moved to another row or column.
  The key id (8 hex digits of `HMAC-SHA256(secret, "key-id")`) names the secret that sealed it:
  after a rotation (`COACH_SECRET_KEY` new, `COACH_SECRET_KEY_OLD` the old one) old values still
  open while new ones are sealed under the new key.

Only the standard library at import time: the skill's cold start computes owner keys.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
from collections.abc import Iterable

TOKEN_BYTES = 24  # 192 bits; design.md asks for at least 128
# token_urlsafe(24) is 32 characters; anything much longer is not one of ours and never reaches
# the database.
MAX_TOKEN_LENGTH = 64
OWNER_KEY_PURPOSE = "owner"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def plausible_token(token: object) -> bool:
    return isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_LENGTH


def keyed_hash(secret: bytes, purpose: str, value: str) -> str:
    """HMAC-SHA256(secret, "<purpose>:<value>"), hex. The purpose keeps the hash of a token from
    ever equalling the hash of a code or of a user id."""
    return hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def owner_key(secret: bytes, user_id: str) -> str:
    """The runner's key in every table, from their Alexa user id."""
    return keyed_hash(secret, OWNER_KEY_PURPOSE, user_id)


class OwnerKey(str):
    """A runner's owner key under the current secret that also carries their owner keys under
    each retired secret (`former`), so a look-up can find what was filed before a rotation.

    It is the key itself (a str: what is stored and compared), so every caller that hands the
    stores a runner's key passes the former keys along without knowing of them. The stores look
    under the current key first, then under the former ones, and move what they find there to the
    current key in the same transaction: once per runner, after which the old secret can go."""

    former: tuple[str, ...]

    def __new__(cls, current: str, former: Iterable[str] = ()) -> OwnerKey:
        key = super().__new__(cls, current)
        key.former = tuple(dict.fromkeys(k for k in former if k != current))
        return key


def owner_keys(secret: bytes, user_id: str) -> OwnerKey:
    """The runner's owner key (as `owner_key`) with their keys under the retired secrets that the
    configuration registered for this one (`register_keys`, from COACH_SECRET_KEY_OLD)."""
    with _REGISTRY_LOCK:
        retired = _RETIRED.get(bytes(secret), ())
    return OwnerKey(owner_key(secret, user_id), (owner_key(old, user_id) for old in retired))


def former_owner_keys(key: str) -> tuple[str, ...]:
    """The retired owner keys an `OwnerKey` carries; none for a plain key."""
    return tuple(getattr(key, "former", ()))


def every_owner_key(key: str) -> tuple[str, ...]:
    """The runner's current owner key, then those under each retired secret: where what is kept
    about them may be, before a look-up has moved it to the current key."""
    return (str(key), *former_owner_keys(key))


def _seal_key(secret: bytes, key_from: str) -> bytes:
    return hmac.new(secret, key_from.encode(), hashlib.sha256).digest()


def seal(secret: bytes, secret_text: str, *, key_from: str, bound_to: str) -> str:
    """`secret_text` encrypted and authenticated under a key from (secret, key_from); `bound_to`
    (a plan id) is authenticated with it, so a sealed value cannot be moved to another row."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    sealed = AESGCM(_seal_key(secret, key_from)).encrypt(nonce, secret_text.encode(), bound_to.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(secret: bytes, sealed: str, *, key_from: str, bound_to: str) -> str | None:
    """The sealed text, or None when it was sealed under another key (or tampered with)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
        opened = AESGCM(_seal_key(secret, key_from)).decrypt(raw[:12], raw[12:], bound_to.encode())
    except (InvalidTag, ValueError):
        return None
    return opened.decode()


# ---- data at rest -------------------------------------------------------------------------------

SEALED_VERSION = "v1"
_DATA_KEY_LABEL = b"data-at-rest:v1"
_KEY_ID_LABEL = b"key-id"
_NONCE_BYTES = 12


class SealError(ValueError):
    """A sealed value cannot be opened: sealed under a key that is not configured, tampered
    with, moved from another row, or not sealed at all. The message names none of its content."""


def key_id(secret: bytes) -> str:
    """A short, public name of a secret: stored with each sealed value, it says which key opens
    it. Reveals nothing of the secret (a keyed hash of a constant)."""
    return hmac.new(secret, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:8]


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(SEALED_VERSION + ".")


class Keyring:
    """The current secret, which seals, and retired ones, which still open what they sealed.

    The AES-GCM objects are built once per key (the derivation and key schedule would otherwise
    be paid on every value)."""

    def __init__(self, current: bytes, old: Iterable[bytes] = ()):
        if not current:
            raise ValueError("a keyring needs a current secret")
        self.current = bytes(current)
        self.old = tuple(bytes(key) for key in old if bytes(key) != bytes(current))
        self.current_id = key_id(self.current)
        self._secrets = {key_id(key): key for key in (*reversed(self.old), self.current)}
        self._aeads: dict[str, object] = {}
        self._lock = threading.Lock()

    @property
    def secrets(self) -> tuple[bytes, ...]:
        """Every secret, current first: the order keyed-hash look-ups try them in."""
        return (self.current, *self.old)

    def _aead(self, kid: str):
        aead = self._aeads.get(kid)
        if aead is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            secret = self._secrets.get(kid)
            if secret is None:
                raise SealError(f"sealed under key {kid}, which is not configured (COACH_SECRET_KEY_OLD?)")
            aead = AESGCM(hmac.new(secret, _DATA_KEY_LABEL, hashlib.sha256).digest())
            with self._lock:
                self._aeads[kid] = aead
        return aead

    def seal(self, text: str, *, bound_to: str) -> str:
        """`text` sealed under the current key; `bound_to` (e.g. "<plan id>:answers") must be
        given again to open it."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead(self.current_id).encrypt(nonce, text.encode("utf-8"), bound_to.encode("utf-8"))
        body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
        return f"{SEALED_VERSION}.{self.current_id}.{body}"

    def open(self, sealed: str, *, bound_to: str) -> str:
        """The text `seal` sealed. Raises SealError."""
        from cryptography.exceptions import InvalidTag

        if not is_sealed(sealed):
            raise SealError("the value is not sealed")
        try:
            _, kid, body = sealed.split(".", 2)
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
            opened = self._aead(kid).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], bound_to.encode("utf-8"))
        except (InvalidTag, ValueError) as error:
            if isinstance(error, SealError):
                raise
            raise SealError("the sealed value does not open: tampered with, or moved from another row"
                            ) from None
        return opened.decode("utf-8")

    def needs_resealing(self, sealed: str) -> bool:
        """True for a value sealed under a retired key (or not sealed at all)."""
        return not is_sealed(sealed) or sealed.split(".", 2)[1] != self.current_id


# Which retired secrets go with a current one, and which keyring serves a database, as the
# configuration read them (plans.config.Config.from_env registers both). The composition roots
# hand the plan store only the current secret and the skill-state store only the database URL;
# both find the rest here.
_RETIRED: dict[bytes, tuple[bytes, ...]] = {}
_BY_DATABASE: dict[str, Keyring] = {}
_EPHEMERAL: list[Keyring] = []
_REGISTRY_LOCK = threading.Lock()


def register_keys(current: bytes, old: Iterable[bytes] = (), *, database_url: str | None = None) -> Keyring:
    ring = Keyring(current, old)
    with _REGISTRY_LOCK:
        _RETIRED[ring.current] = ring.old
        if database_url is not None:
            _BY_DATABASE[database_url] = ring
    return ring


def keyring_for(current: bytes, old: Iterable[bytes] | None = None) -> Keyring:
    """The keyring for a current secret: with the retired secrets given, or those registered."""
    current = bytes(current)
    if old is None:
        with _REGISTRY_LOCK:
            old = _RETIRED.get(current, ())
    return Keyring(current, old)


def keyring_for_database(database_url: str) -> Keyring | None:
    with _REGISTRY_LOCK:
        return _BY_DATABASE.get(database_url)


def ephemeral_keyring() -> Keyring:
    """A random key for this process only: what a state store seals with when no configuration
    named a key for its database (tests that build one by hand). Never plain text; what it seals
    cannot be opened by another process, which reads it as no saved state."""
    with _REGISTRY_LOCK:
        if not _EPHEMERAL:
            _EPHEMERAL.append(Keyring(secrets.token_bytes(32)))
        return _EPHEMERAL[0]

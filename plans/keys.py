"""Tokens, keyed hashes and sealing: how a plan is reached without the database holding anything
that opens it.

- A plan's token is `secrets.token_urlsafe(TOKEN_BYTES)`; the database keeps only its keyed hash.
- A runner's `owner_key` is the keyed hash of their Alexa user id: plans and the skill's state are
  filed under it, so "delete my data" finds both, and the id itself is never stored.
- Sealing is AES-GCM under a key derived from the secret and a purpose ("seal:<code>" seals a
  token, "seal-code:<token>" a code): the prefixes differ, so a key for one can never open the other.

Only the standard library at import time: the skill's cold start computes owner keys.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

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

"""The plan service's one configuration, read from the environment (design.md §4).

Every value is checked when the service starts, so a typo in a deployment fails at once with a
message naming the variable, not later on the first request.

`COACH_SECRET_KEY` keys the hashes of tokens, short codes and Alexa user ids, and the sealing of
health data at rest (plans.keys.Keyring). When it is unset, a random key is generated once into
`var/secret_key` (mode 0600, in a directory of mode 0700) so that every worker on this host shares
it. `COACH_SECRET_KEY_OLD` lists retired keys (comma- or space-separated) after a rotation: what
they sealed or hashed still opens, while everything new is sealed under the current key.

A deployment on several hosts (or with the skill on AWS Lambda) MUST set the same
`COACH_SECRET_KEY` everywhere: a plan filed with one key cannot be found with another.
"""

from __future__ import annotations

import contextlib
import ipaddress
import math
import os
import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "sqlite:///var/coach.sqlite3"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEFAULT_PORT = 8000
DEFAULT_RETENTION_DAYS = 180
DEFAULT_BIND_HOST = "127.0.0.1"
# More proxies than this in front of one service is a misconfiguration, not a topology.
MAX_TRUSTED_PROXIES = 5
SECRET_KEY_FILE = Path("var") / "secret_key"
# A shorter key would let someone holding a copy of the database guess it together with a code.
MIN_SECRET_KEY_LENGTH = 32
# Length alone lets "a" * 32 through. A key's characters are also weighed by how evenly they
# spread (Shannon's estimate over the key itself, times its length): "a" * 32 is 0 bits,
# "abab…" (40 characters) 40, token_urlsafe(48) about 370. 90 still takes a random 32-digit hex key
# (`openssl rand -hex 16`, 128 bits: some digits repeat by chance, and the lowest estimate among
# 100,000 such keys was 92.8).
MIN_SECRET_KEY_BITS = 90
# Values from documentation and templates that get pasted unchanged (compared ignoring case,
# spaces, dashes and underscores; a key that contains one is refused too).
PLACEHOLDER_SECRET_KEYS = (
    "changeme", "changethis", "replaceme", "replacethis", "placeholder", "pastethegeneratedkeyhere",
    "theonesharedkey", "yoursecretkey", "yoursecretkeyhere", "insertsecretkey", "secretkeygoeshere",
    "notsosecret", "supersecret", "password", "letmein", "qwerty", "abcdefghijklmnopqrstuvwxyz",
)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ConfigError(ValueError):
    """A configuration value is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Config:
    database_url: str = DEFAULT_DATABASE_URL
    base_url: str = DEFAULT_BASE_URL
    alexa_skill_id: str | None = None
    alexa_verify: bool = True
    port: int = DEFAULT_PORT
    secret_key: bytes = b""
    retention_days: int = DEFAULT_RETENTION_DAYS
    bind_host: str = DEFAULT_BIND_HOST
    # How many proxies in front of the service append to X-Forwarded-For. 0 (the default) ignores
    # the header: without a proxy anyone could write it, and dodge the wrong-code limit with it.
    trusted_proxies: int = 0
    # Retired keys, newest first: they still open what they sealed and find what they hashed.
    old_secret_keys: tuple[bytes, ...] = ()
    # The skill's Login with Amazon client credentials (developer console, "Alexa Skill Messaging"):
    # with them a check-in on the web moves the runner's Alexa reminders at once (skill.reminder_sync).
    alexa_client_id: str | None = None
    alexa_client_secret: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Config:
        """Read and check every setting. Raises `ConfigError` with a readable message."""

        def get(name: str) -> str | None:
            value = environ.get(name)
            if value is None or not value.strip():
                return None
            return value.strip()

        bind_host = _bind_host(get("COACH_BIND_HOST") or DEFAULT_BIND_HOST)
        trusted_proxies = _integer("COACH_TRUSTED_PROXIES", get("COACH_TRUSTED_PROXIES"),
                                   default=0, low=0, high=MAX_TRUSTED_PROXIES)
        alexa_verify = _flag("COACH_ALEXA_VERIFY", get("COACH_ALEXA_VERIFY"), default=True)
        database_url = _database_url(get("COACH_DATABASE_URL") or DEFAULT_DATABASE_URL)
        secret = get("COACH_SECRET_KEY")
        port = _integer("PORT", get("PORT"), default=DEFAULT_PORT, low=1, high=65535)
        old_keys = _old_secret_keys(get("COACH_SECRET_KEY_OLD"))
        config = cls(
            database_url=database_url,
            base_url=_base_url(get("COACH_BASE_URL") or _local_base_url(bind_host, port)),
            alexa_skill_id=get("COACH_ALEXA_SKILL_ID"),
            alexa_verify=alexa_verify,
            port=port,
            secret_key=_secret_key(secret) if secret is not None else load_or_create_secret_key(),
            retention_days=_integer(
                "COACH_RETENTION_DAYS", get("COACH_RETENTION_DAYS"), default=DEFAULT_RETENTION_DAYS,
                low=1, high=36500,
            ),
            bind_host=bind_host,
            trusted_proxies=trusted_proxies,
            old_secret_keys=old_keys,
            alexa_client_id=get("COACH_ALEXA_CLIENT_ID"),
            alexa_client_secret=get("COACH_ALEXA_CLIENT_SECRET"),
        )
        refusal = config.unverified_alexa_refusal() or config.unnamed_skill_refusal()
        if refusal:
            raise ConfigError(refusal)
        from plans import keys

        # The plan store is handed only the current key and the skill-state store only the
        # database URL by their composition roots: both find the retired keys here.
        keys.register_keys(config.secret_key, config.old_secret_keys, database_url=config.database_url)
        return config

    def unnamed_skill_refusal(self) -> str | None:
        """Why a server others can reach may not start without COACH_ALEXA_SKILL_ID, or None:
        Amazon signs every skill's requests with the same certificate, so with verification on
        and no skill id, any skill (anyone's) could drive this one and file plans in it."""
        if self.alexa_verify and not self.alexa_skill_id and not is_loopback(self.bind_host):
            return ("COACH_ALEXA_SKILL_ID must be set when the server listens beyond loopback "
                    f"(COACH_BIND_HOST is {self.bind_host}): Amazon signs every skill's requests, so "
                    "without it any skill's would be answered. Set it to the skill's id, amzn1.ask.skill.…")
        return None

    def unverified_alexa_refusal(self) -> str | None:
        """Why Alexa verification may not be off here, or None when it is on or may be off:
        only a server that nothing but this host can reach may skip checking who is calling."""
        if self.alexa_verify:
            return None
        if not is_loopback(self.bind_host):
            return ("COACH_ALEXA_VERIFY=0 is allowed only while the server listens on loopback "
                    f"(COACH_BIND_HOST is {self.bind_host!r}); anyone could otherwise pose as Alexa")
        if self.trusted_proxies:
            # Loopback behind a proxy is not private: the proxy forwards the whole internet to it.
            return ("COACH_ALEXA_VERIFY=0 is not allowed behind a proxy (COACH_TRUSTED_PROXIES is "
                    f"{self.trusted_proxies}); anyone could otherwise pose as Alexa")
        return None


def _local_base_url(bind_host: str, port: int) -> str:
    """Where this server itself answers (http://127.0.0.1:8000 by default), so links and QR codes
    work out of the box on another PORT too; a public deployment sets COACH_BASE_URL."""
    host = "127.0.0.1" if bind_host in ("0.0.0.0", "::") else bind_host
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _old_secret_keys(value: str | None) -> tuple[bytes, ...]:
    if value is None:
        return ()
    parts = [part for part in value.replace(",", " ").split() if part]
    return tuple(_secret_key(part, name="COACH_SECRET_KEY_OLD") for part in parts)


def _private(path: Path) -> None:
    """Group and others lose every permission on an existing key file (one copied in by hand,
    or made before the service created it 0600): the key opens every sealed health answer."""
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        os.chmod(path, mode & 0o700)


def load_or_create_secret_key(path: Path = SECRET_KEY_FILE) -> bytes:
    """The host's generated key: read it, or create it exactly once even when several workers
    start together (written to a private temporary file, then linked into place, which fails
    for everyone but the first). The file is 0600 and a directory made for it 0700."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    else:
        _private(path)
        return _secret_key(text, name=str(path))
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another worker won the race: use its key
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    _private(path)
    return _secret_key(path.read_text(encoding="utf-8").strip(), name=str(path))


_MAKE_ONE = "(e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(48))')"


def _secret_key(value: str, name: str = "COACH_SECRET_KEY") -> bytes:
    # The messages never repeat the key: they end up in logs and terminals.
    if len(value) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(f"{name} must be at least {MIN_SECRET_KEY_LENGTH} characters long {_MAKE_ONE}")
    if estimated_bits(value) < MIN_SECRET_KEY_BITS or value in (value + value)[1:-1]:
        raise ConfigError(
            f"{name} is too predictable (too few different characters, or a repetition): "
            f"use a random key {_MAKE_ONE}"
        )
    folded = "".join(character for character in value.lower() if character.isalnum())
    if any(placeholder in folded for placeholder in PLACEHOLDER_SECRET_KEYS):
        raise ConfigError(f"{name} is a placeholder or contains one, not a random key {_MAKE_ONE}")
    return value.encode("utf-8")


def estimated_bits(value: str) -> float:
    """How many bits the key's own character frequencies suggest (an upper bound for a random
    key's real strength, and far below it for words, repetitions and runs of one character)."""
    counts = Counter(value)
    return -sum(count * math.log2(count / len(value)) for count in counts.values())


def _flag(name: str, value: str | None, *, default: bool) -> bool:
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ConfigError(f"{name} must be 1 or 0 (or true/false, yes/no, on/off), not {value!r}")


def _integer(name: str, value: str | None, *, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, not {number}")
    return number


def _base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"COACH_BASE_URL must be an http:// or https:// URL, not {value!r}")
    if parts.query or parts.fragment:
        raise ConfigError(f"COACH_BASE_URL must not have a query or fragment: {value!r}")
    return value.rstrip("/")


def _database_url(value: str) -> str:
    scheme = value.split("://", 1)[0].lower() if "://" in value else ""
    if scheme == "postgres":  # Heroku-style spelling of the same thing
        return "postgresql://" + value.split("://", 1)[1]
    if scheme in ("sqlite", "postgresql", "postgresql+psycopg"):
        return value
    # Only the scheme is echoed: the rest of the URL may hold a password.
    raise ConfigError(
        "COACH_DATABASE_URL must be sqlite:///path/to/file.sqlite3 or "
        f"postgresql://user:password@host:port/database (got a URL starting {scheme or 'with no scheme'!r})"
    )


def _bind_host(value: str) -> str:
    host = value.strip("[]")
    if host == "localhost":
        return host
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        raise ConfigError(
            f"COACH_BIND_HOST must be an IP address such as 127.0.0.1 or ::1, not {value!r}"
        ) from None

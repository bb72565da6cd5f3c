"""Short codes: what the runner hears from Alexa and types at the home page.

Ten characters from an alphabet with no look-alikes, said and printed in two groups of five
("ACDFH 34797"), valid for `CODE_LIFETIME`. A code filed at 09:00 stops working at 09:00 on its
expiry day, so the last whole day it works (what the card, the page and the PDF promise) is the
day before, in the plan's zone: `last_day`.

Why ten, and the limits on guessing them (docs/deploy.md, "Short codes against guessing"): the
service cannot tell a runner typing their code from an attacker's fresh address, so an attacker
who keeps the global budget spent keeps runners' codes out; the budget is what an attacker must
outrun to lock anyone out, and it can only be large if the code space is. With 10,000 live codes
among 22¹⁰ ≈ 2.66 × 10¹³, a random guess is right once in 2.66 billion. Wrong guesses are limited
per network (`guesser_group`: an IPv4 address, or an IPv6 /64, which one subscriber holds whole)
and in total, `GLOBAL_GUESSES_PER_WINDOW` a minute (1,000 a second) across every worker and host,
so an attacker with unlimited addresses needs 2.66 billion ÷ 1,000 a second ≈ 30.7 days on
average to open any plan, and one who wants to lock runners out must send more than 1,000
code-shaped guesses a second from more than 6,000 fresh networks a minute: a denial of service.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from zoneinfo import ZoneInfo

CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"  # no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B: nothing to mishear or mistype
CODE_LENGTH = 10
CODE_GROUP = 5  # said, printed and shown as two groups of five
CODE_LIFETIME = dt.timedelta(days=30)

# Wrong guesses, counted over a sliding window of one-second buckets
# (plans.store.PlanStore.claim_code_guess):
GUESS_WINDOW = dt.timedelta(seconds=60)
GUESS_BUCKET = dt.timedelta(seconds=1)
GUESSES_PER_CLIENT_PER_WINDOW = 10  # per IPv4 address or IPv6 /64
# All clients together, across every worker and host: 1,000 a second. As large as 22¹⁰ allows
# for 30 days (expected_days_to_open_any), since it is also the rate an attacker must outrun to
# keep runners' codes out.
GLOBAL_GUESSES_PER_WINDOW = 60_000
LIVE_CODES_ASSUMED = 10_000  # the deployment size the arithmetic is made for (docs/deploy.md)


def code_space() -> int:
    return len(CODE_ALPHABET) ** CODE_LENGTH


def expected_days_to_open_any(live_codes: int = LIVE_CODES_ASSUMED,
                              guesses_per_window: int = GLOBAL_GUESSES_PER_WINDOW) -> float:
    """How long, on average, an attacker allowed every guess the global budget admits needs
    before one guess names a live code: code_space / live codes guesses, at the budget's rate."""
    guesses_needed = code_space() / live_codes
    return guesses_needed / guesses_per_window * GUESS_WINDOW.total_seconds() / 86_400


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """The code as stored, from what a runner typed: case, spaces and dashes do not matter.
    None when it cannot be a code at all (such a string never reaches the database)."""
    if not isinstance(text, str) or len(text) > 4 * CODE_LENGTH:
        return None
    code = "".join(ch for ch in text.upper() if ch not in " -._\t")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def grouped(code: str, separator: str = " ") -> str:
    """The code in its groups of `CODE_GROUP`, as it is said and printed: "ACDFH 34797"."""
    return separator.join(code[i:i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def guesser_group(address: str | None) -> str:
    """Whose guesses are counted together: an IPv4 address as it is, an IPv6 address by its /64
    (one subscriber or one cloud machine gets a whole /64, so counting single IPv6 addresses
    would hand an attacker 2⁶⁴ fresh clients), an IPv4-mapped IPv6 address as its IPv4."""
    if not address:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def last_day(expires_at: dt.datetime, timezone: str) -> dt.date:
    """The last whole day a code works, in the plan's zone (it stops on the day it expires)."""
    return (expires_at.astimezone(ZoneInfo(timezone)) - dt.timedelta(days=1)).date()

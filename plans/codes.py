"""Short codes: what the runner hears from Alexa and types at the home page.

Six characters from an alphabet with no look-alikes, valid for `CODE_LIFETIME`. A code filed at
09:00 stops working at 09:00 on its expiry day, so the last whole day it works (what the card,
the page and the PDF promise) is the day before, in the plan's zone: `last_day`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"  # no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B: nothing to mishear or mistype
CODE_LENGTH = 6
CODE_LIFETIME = dt.timedelta(days=30)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """The code as stored, from what a runner typed: case, spaces and dashes do not matter.
    None when it cannot be a code at all."""
    if not isinstance(text, str) or len(text) > 4 * CODE_LENGTH:
        return None
    code = "".join(ch for ch in text.upper() if ch not in " -._\t")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def last_day(expires_at: dt.datetime, timezone: str) -> dt.date:
    """The last whole day a code works, in the plan's zone (it stops on the day it expires)."""
    return (expires_at.astimezone(ZoneInfo(timezone)) - dt.timedelta(days=1)).date()

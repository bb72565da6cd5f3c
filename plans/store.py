"""The plan store: every filed plan, its spoken short code, the skill's per-runner state and the
wrong-code attempts behind the rate limit, on SQLite (one host) or PostgreSQL (several).

What is kept, and why it is safe to lose the database file:

- A plan is reached by its token (`secrets.token_urlsafe(24)`, 192 bits). The database keeps only
  `HMAC-SHA256(secret, token)`, so a copy of the database does not open anyone's plan.
- A plan also has an internal `plan_id`: random and not secret, it names the plan in calendar UIDs,
  which every calendar app stores and shows.
- A short code is what the runner hears and types: ten characters from an alphabet with no
  look-alikes, valid 30 days (plans.codes). `/c/<code>` must redirect to `/plans/<token>`, yet the database
  holds no token in clear. So each code row keeps `HMAC(secret, code)` to find it and the token
  *sealed* with AES-GCM under a key derived from `HMAC(secret, code)`: only someone who knows
  both the code and the secret can unseal it. The secret alone cannot (the codes are not stored),
  and the database alone cannot (the key needs the secret).
- The printed plan shows the code beside its QR code, so the plan row also keeps the code sealed
  the other way round: under a key derived from `HMAC(secret, token)`. Whoever holds the plan's
  link can read its code.
- The plan row also keeps its token sealed at rest (`sealed_token`, like the health data below),
  so that "what's my code" by voice, which finds the plan by owner key alone, can seal the same
  token under a fresh code: a plan keeps its link and calendar feed for life (design.md §3). The
  database and the secret together can therefore open a plan's token, and through it its code;
  the database alone still opens nothing.
- The skill's state is keyed by `owner_key`, a keyed hash of the Alexa user id that the skill
  computes; the Alexa id itself is never stored.
- Health data is sealed at rest (plans.keys.Keyring): a plan's answers, preferences, assessment
  and programme, each check-in's body (and, in plans.state, the skill's unfinished answers) are
  AES-GCM ciphertexts bound to their row and column, under a key derived from the secret and named
  by a key id, so the database file alone reveals no health data and the key can be rotated
  (`COACH_SECRET_KEY_OLD`). Parsed plans are cached per (revision, update time), so a calendar
  poll opens nothing.
- Files: a SQLite database is created 0600 (its WAL and SHM files take the same mode) in a
  directory made 0700, with `secure_delete` on, and every delete ends with a WAL checkpoint that
  truncates the WAL: a deleted plan's bytes do not stay in either file.
- Wrong short-code guesses are counted per network and in total (plans.codes) on a connection of
  their own that does not wait for the disk (SQLite `synchronous=NORMAL`, PostgreSQL
  `synchronous_commit=off`): a crash may forget the last second's guesses, never a plan. They are
  kept as counters per second (`guess_counts`), not a row per guess, and forgotten after a window.

SQLAlchemy is imported when the first query runs, not when this module is imported, so the skill
on AWS Lambda pays for it only on the turn that files a plan. The schema is managed by Alembic
(`plans/migrations`) and brought to the latest revision on first use; several workers may
start at once (a file lock on SQLite, an advisory lock on PostgreSQL keeps them in line).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from plans import keys
from plans.codes import (
    CODE_LIFETIME,
    GLOBAL_GUESSES_PER_WINDOW,
    GUESS_BUCKET,
    GUESS_WINDOW,
    GUESSES_PER_CLIENT_PER_WINDOW,
    new_code,
    normalize_code,
)
from plans.records import (
    FiledPlan,
    KeptReminders,
    LoggedCheckIn,
    OwnerDataDeleted,
    PlanChange,
    PlanRecord,
    PreparedPlan,
    ShortCode,
)
from rehab.clock import as_utc

# The newest Alembic revision in plans/migrations/versions. A test keeps them equal; knowing it
# here lets a started store skip importing Alembic when the schema is already current.
SCHEMA_REVISION = "0007"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

WRONG_CODE_WINDOW = GUESS_WINDOW
# Wrong-code attempts older than this no longer count for anything and are cleared away.
ATTEMPT_MEMORY = dt.timedelta(hours=1)
# How long a verified Alexa request's id is remembered: Alexa's timestamp may be up to 150 s from
# now either way, so a copy of a request can still pass that check up to 300 s after the first.
SEEN_REQUEST_MEMORY = dt.timedelta(seconds=300)
SQLITE_BUSY_TIMEOUT_MS = 5000
MIGRATION_LOCK_TIMEOUT_S = 60
_PG_MIGRATION_LOCK = 0x68616D73  # "hams": one advisory lock id for this schema's migrations
_PG_GLOBAL_GUESS_LOCK = 0x67756573  # "gues": one lock over the global wrong-guess budget
# Columns of a plan row that hold health data, sealed at rest.
SEALED_PLAN_COLUMNS = ("answers", "preferences", "assessment", "programme")
# The guess_counts counter of all networks together (a network's counter is its keyed hash).
_ALL_NETWORKS = "*"
# A process remembers at most this many refused networks (each for at most a window).
_REFUSED_MEMORY = 10_000
_FILING_ATTEMPTS = 5
_CACHE_SIZE = 256


@dataclasses.dataclass(frozen=True)
class GuessClaim:
    """The answer to "may this client try a code now?": when yes, `attempt_id` (the second the
    guess was counted in) and `counted_as` (the network's counter): take it back with
    `release_code_guess` when the code is right. Else `retry_after` seconds and whether the
    client's own limit (`"client"`) or the global budget (`"global"`) refused it."""

    attempt_id: int | None
    retry_after: int = 0
    refused_by: str | None = None
    counted_as: str | None = None

    @property
    def admitted(self) -> bool:
        return self.attempt_id is not None


def sealed_bound_to(plan_id: str, column: str) -> str:
    """What a plan's sealed column is bound to: its row and its column."""
    return f"plans:{plan_id}:{column}"


def check_in_bound_to(plan_id: str, number: int) -> str:
    return f"check_ins:{plan_id}:{number}"


class StoreUnavailable(RuntimeError):
    """The database cannot be reached or refused a write (down, locked past the timeout, disk
    full or read-only). Nothing was half-written: every change runs in one transaction. The
    message is safe to show: it never holds a query's parameters or a password."""


def sqlalchemy_url(database_url: str) -> str:
    """The URL SQLAlchemy needs: plain `postgresql://` would pick psycopg2, which we do not ship."""
    scheme, sep, rest = database_url.partition("://")
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return database_url


class PlanStore:
    """See the module docstring. Thread-safe; one per process (engines are created lazily, so a
    store built before gunicorn forks opens its own connections in each worker)."""

    def __init__(self, database_url: str, secret_key: str | bytes, *,
                 old_secret_keys: tuple[bytes, ...] | None = None):
        if not secret_key:
            raise ValueError("the plan store needs a secret key for its hashes")
        self.database_url = database_url
        self._secret = secret_key.encode("utf-8") if isinstance(secret_key, str) else bytes(secret_key)
        # Retired keys: given, or as the configuration registered them for this key.
        self._keys = keys.keyring_for(self._secret, old_secret_keys)
        self._engine_obj = None
        self._counter_engine_obj = None
        # Refusals this process already knows of: the global budget closed until a moment, and
        # networks over their own limit until a moment. Checked before the database, so a flood
        # of guesses costs memory look-ups, not queries.
        self._budget_closed_until: dt.datetime | None = None
        self._refused_until: OrderedDict[str, dt.datetime] = OrderedDict()
        self._guess_lock = threading.Lock()
        self._tables = None
        self._schema_ready = False
        # (device, inode) of the SQLite file when the store opened it; see check_writable.
        self._file_identity: tuple[int, int] | None = None
        self._lock = threading.RLock()
        self._cache: OrderedDict[str, tuple[int, dt.datetime, PlanRecord]] = OrderedDict()
        self._cache_lock = threading.Lock()

    # ---- public API -------------------------------------------------------------------------

    def add_plan(self, prepared: PreparedPlan, *, owner_key: str | None = None,
                 now: dt.datetime) -> FiledPlan:
        """Keep a prepared plan (plans.service decides it) with a new token and short code, in
        one transaction."""
        now = _utc(now)
        if owner_key is not None and (not isinstance(owner_key, str) or not 0 < len(owner_key) <= 128):
            raise ValueError("owner_key must be a keyed hash of at most 128 characters")
        plain = {
            "answers": prepared.answers.model_dump_json(),
            "preferences": prepared.preferences.model_dump_json(),
            "assessment": prepared.assessment.model_dump_json(),
            "programme": prepared.programme.model_dump_json(),
        }
        _, exc = _sqlalchemy()
        t = self._schema()
        for attempt in range(_FILING_ATTEMPTS):
            plan_id = secrets.token_hex(16)
            token = keys.new_token()
            code = new_code()
            expires_at = now + CODE_LIFETIME
            texts = {column: self._keys.seal(text, bound_to=sealed_bound_to(plan_id, column))
                     for column, text in plain.items()}
            # Hash and seal before taking the write lock: other workers wait while it is held.
            plan_row = dict(plan_id=plan_id, token_hash=self._token_hash(token),
                            owner_key=None if owner_key is None else str(owner_key),
                            revision=prepared.programme.revision, created_at=now, updated_at=now,
                            sealed_code=self._seal(code, key_from=f"seal-code:{token}", plan_id=plan_id),
                            sealed_token=self._sealed_token(token, plan_id),
                            code_expires_at=expires_at, **texts)
            code_row = dict(code_hash=self._code_hash(code), plan_id=plan_id,
                            sealed_token=self._seal(token, key_from=f"seal:{code}", plan_id=plan_id),
                            created_at=now, expires_at=expires_at)
            try:
                with self._writing() as conn:
                    conn.execute(t.plans.insert().values(**plan_row))
                    conn.execute(t.short_codes.insert().values(**code_row))
                break
            except exc.IntegrityError:
                # A code (or, beyond belief, a token) already taken: draw new ones.
                if attempt == _FILING_ATTEMPTS - 1:
                    raise StoreUnavailable("could not draw an unused short code; try again") from None
        plan = PlanRecord(
            plan_id=plan_id, revision=prepared.programme.revision, created_at=now, updated_at=now,
            answers=prepared.answers, preferences=prepared.preferences,
            assessment=prepared.assessment, programme=prepared.programme,
        )
        return FiledPlan(token=token, code=code, code_expires_at=expires_at, plan=plan)

    def change_plan(self, decide: Callable[[PlanRecord], PlanChange], *, now: dt.datetime,
                    token: str | None = None, owner_key: str | None = None,
                    ) -> tuple[PlanRecord, PlanChange] | None:
        """Change one plan in one transaction: read it (locked against other writers), let
        `decide` (plans.service, from the clinical core) say what changes, keep that. The plan is
        the one with this token, or else the newest filed under this owner key (see
        `_adopt_former_keys`). None when there is none. Whatever `decide` raises leaves the plan
        as it was."""
        now = _utc(now)
        sa, _ = _sqlalchemy()
        t = self._schema()
        if token is not None:
            if not keys.plausible_token(token):
                return None
            where = t.plans.c.token_hash.in_(self._token_hashes(token))
        elif owner_key is not None:
            newest = (sa.select(t.plans.c.plan_id).where(t.plans.c.owner_key == str(owner_key))
                      .order_by(t.plans.c.created_at.desc(), t.plans.c.plan_id).limit(1).scalar_subquery())
            where = t.plans.c.plan_id == newest
        else:
            raise ValueError("change_plan needs a token or an owner key")
        with self._writing() as conn:
            if token is None:
                self._adopt_former_keys(conn, owner_key)
            query = sa.select(t.plans).where(where)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            row = conn.execute(query).first()
            if row is None:
                return None
            check_in_rows = conn.execute(t.check_ins_of_plan, {"plan_id": row.plan_id}).all()
            current = self._plan_from_row(row, check_in_rows)
            change = decide(current)
            programme = change.programme or current.programme
            check_ins = current.check_ins
            if change.check_in is not None:
                logged = change.check_in
                body = self._keys.seal(_check_in_body(logged),
                                       bound_to=check_in_bound_to(row.plan_id, logged.number))
                conn.execute(t.check_ins.insert().values(
                    plan_id=row.plan_id, number=logged.number, recorded_at=now, body=body))
                check_ins = (*check_ins, logged)
            values: dict[str, Any] = {"updated_at": now}
            # A value sealed under a retired key moves to the current one when its plan changes.
            for column in SEALED_PLAN_COLUMNS:
                if self._keys.needs_resealing(getattr(row, column)):
                    bound = sealed_bound_to(row.plan_id, column)
                    values[column] = self._keys.seal(self._keys.open(getattr(row, column), bound_to=bound),
                                                     bound_to=bound)
            if token is not None and row.token_hash != self._token_hash(token):
                values["token_hash"] = self._token_hash(token)  # found under a retired key
            kept_token = token if token is not None else self._opened_token(row.plan_id, row.sealed_token)
            if kept_token is not None and (row.sealed_token is None
                                           or self._keys.needs_resealing(row.sealed_token)):
                # A plan kept before its token was (kept under a retired key, or not kept at all).
                values["sealed_token"] = self._sealed_token(kept_token, row.plan_id)
            if change.programme is not None:
                values.update(revision=programme.revision, programme=self._keys.seal(
                    programme.model_dump_json(), bound_to=sealed_bound_to(row.plan_id, "programme")))
            conn.execute(t.plans.update().where(t.plans.c.plan_id == row.plan_id).values(**values))
        self._forget(row.token_hash)
        updated = dataclasses.replace(current, revision=programme.revision, updated_at=now,
                                      programme=programme, check_ins=check_ins)
        return updated, change

    def get_plan(self, token: str) -> PlanRecord | None:
        if not keys.plausible_token(token):
            return None
        for token_hash in self._token_hashes(token):
            plan = self._load_plan("by_token", token_hash, token=token)
            if plan is not None:
                return plan
        return None

    def delete_plan(self, token: str) -> bool:
        """Delete the plan, (by ON DELETE CASCADE) its short codes and, for a plan filed by voice,
        the skill's stored state for that runner: deleting by the plan's link leaves no answers
        behind either, as "delete my data" does not (design.md §5)."""
        if not keys.plausible_token(token):
            return False
        sa, _ = _sqlalchemy()
        t = self._schema()
        hashes = self._token_hashes(token)
        with self._writing() as conn:
            owner_key = conn.execute(
                sa.select(t.plans.c.owner_key).where(t.plans.c.token_hash.in_(hashes))
            ).scalar()
            deleted = conn.execute(t.plans.delete().where(t.plans.c.token_hash.in_(hashes))).rowcount
            if owner_key is not None:
                conn.execute(t.skill_state.delete().where(t.skill_state.c.owner_key == owner_key))
        for token_hash in hashes:
            self._forget(token_hash)
        self._scrub()
        return deleted > 0

    def token_for_code(self, code: str, now: dt.datetime) -> str | None:
        """The plan token a short code opens; None when the code is unknown or has expired."""
        now = _utc(now)
        normalized = normalize_code(code)
        if normalized is None:
            return None
        sa, _ = _sqlalchemy()
        t = self._schema()
        by_hash = {keys.keyed_hash(secret, "code", normalized): secret for secret in self._keys.secrets}
        with self._reading() as conn:
            row = conn.execute(
                sa.select(t.short_codes.c.code_hash, t.short_codes.c.plan_id, t.short_codes.c.sealed_token,
                          t.short_codes.c.expires_at)
                .where(t.short_codes.c.code_hash.in_(list(by_hash)))
            ).first()
        if row is None or row.expires_at <= now:
            return None
        return keys.unseal(by_hash[row.code_hash], row.sealed_token, key_from=f"seal:{normalized}",
                           bound_to=row.plan_id)

    def short_code_for(self, token: str) -> ShortCode | None:
        """The code the plan was filed with and when it stops working, for printing beside the
        QR code. Given even after the code has expired (the printed plan says until when), so
        the same plan revision always prints the same. None for an unknown token, or a plan filed
        before codes were kept with their plans."""
        if not keys.plausible_token(token):
            return None
        sa, _ = _sqlalchemy()
        t = self._schema()
        with self._reading() as conn:
            row = conn.execute(
                sa.select(t.plans.c.plan_id, t.plans.c.sealed_code, t.plans.c.code_expires_at)
                .where(t.plans.c.token_hash.in_(self._token_hashes(token)))
            ).first()
        if row is None or row.sealed_code is None or row.code_expires_at is None:
            return None
        for secret in self._keys.secrets:
            code = keys.unseal(secret, row.sealed_code, key_from=f"seal-code:{token}", bound_to=row.plan_id)
            if code is not None:
                return ShortCode(code=code, expires_at=row.code_expires_at)
        return None

    def reissue_code(self, token: str, now: dt.datetime) -> ShortCode | None:
        """A new short code for the plan with this token, valid CODE_LIFETIME from `now`; the
        plan's earlier codes stop working at once (one live code per plan keeps the number of
        live codes, which the guessing arithmetic counts, no larger than the number of plans).
        For "what's my code" on the plan page. None for an unknown token."""
        if not keys.plausible_token(token):
            return None
        sa, _ = _sqlalchemy()
        t = self._schema()
        hashes = self._token_hashes(token)

        def plan_of_token(conn) -> tuple[str, str, dict[str, Any]] | None:
            plan_id = conn.execute(
                sa.select(t.plans.c.plan_id).where(t.plans.c.token_hash.in_(hashes))).scalar()
            return None if plan_id is None else (plan_id, token, {})

        issued = self._issue_code(plan_of_token, _utc(now))
        return None if issued is None else issued[1]

    def reissue_code_for_owner(self, owner_key: str, now: dt.datetime,
                               ) -> tuple[str, ShortCode, bool] | None:
        """A new short code for the runner's newest plan, found by owner key ("what's my code" by
        voice, when the skill holds no token). The plan keeps its token (design.md §3: one link and
        one calendar feed for life): it is opened from `sealed_token` and sealed under the new
        code, and only the old codes stop working.

        A plan kept before revision 0006 whose token has not been presented since (its link
        opened, its feed polled, a check-in; each keeps the token) has no sealed token: only then
        does the plan get a new token, and its old link and feed stop working, as they did before.
        Returns the token (the same one, but for that fallback), the code and whether the token
        is new; None when the owner has no plan."""
        if not isinstance(owner_key, str) or not 0 < len(owner_key) <= 128:
            return None
        now = _utc(now)
        sa, _ = _sqlalchemy()
        t = self._schema()
        replaced: list[str] = []

        def newest_of_owner(conn) -> tuple[str, str, dict[str, Any]] | None:
            self._adopt_former_keys(conn, owner_key)
            row = conn.execute(
                sa.select(t.plans.c.plan_id, t.plans.c.token_hash, t.plans.c.sealed_token)
                .where(t.plans.c.owner_key == str(owner_key))
                .order_by(t.plans.c.created_at.desc(), t.plans.c.plan_id).limit(1)).first()
            if row is None:
                return None
            token = self._opened_token(row.plan_id, row.sealed_token)
            if token is None:
                token = keys.new_token()  # the fallback above: the old token cannot be recovered
                replaced.append(row.token_hash)
            return row.plan_id, token, {"updated_at": now}

        issued = self._issue_code(newest_of_owner, now)
        for token_hash in replaced:
            self._forget(token_hash)
        return None if issued is None else (*issued, bool(replaced))

    def _issue_code(self, find_plan: Callable[[Any], tuple[str, str, dict[str, Any]] | None],
                    now: dt.datetime) -> tuple[str, ShortCode] | None:
        """Give one plan a new short code in one transaction: `find_plan(conn)` names it (plan id,
        its token, other values its row takes) or None. The plan's earlier codes are deleted; the
        new code row seals the token under the code, the plan row seals the code under the token
        (and the token at rest, under the current key). A code already taken draws another."""
        _, exc = _sqlalchemy()
        t = self._schema()
        for attempt in range(_FILING_ATTEMPTS):
            code = new_code()
            expires_at = now + CODE_LIFETIME
            try:
                with self._writing() as conn:
                    found = find_plan(conn)
                    if found is None:
                        return None
                    plan_id, token, values = found
                    conn.execute(t.short_codes.delete().where(t.short_codes.c.plan_id == plan_id))
                    conn.execute(t.short_codes.insert().values(
                        code_hash=self._code_hash(code), plan_id=plan_id, created_at=now,
                        expires_at=expires_at,
                        sealed_token=self._seal(token, key_from=f"seal:{code}", plan_id=plan_id)))
                    conn.execute(t.plans.update().where(t.plans.c.plan_id == plan_id).values(
                        sealed_code=self._seal(code, key_from=f"seal-code:{token}", plan_id=plan_id),
                        code_expires_at=expires_at, token_hash=self._token_hash(token),
                        sealed_token=self._sealed_token(token, plan_id), **values))
            except exc.IntegrityError:
                if attempt == _FILING_ATTEMPTS - 1:
                    raise StoreUnavailable("could not draw an unused short code; try again") from None
                continue
            self._scrub()
            return token, ShortCode(code=code, expires_at=expires_at)
        return None  # pragma: no cover - the loop returns or raises

    def keep_reminders(self, plan_id: str, reminders: dict[str, Any] | None) -> bool:
        """Keep what the skill made of a plan's Alexa reminders (their alert tokens and the requests
        they were made from), sealed like the health data and bound to the plan's row; None clears
        it. The store does not read it: it is the skill's (skill.reminders). Deleted with the
        plan. False when there is no such plan."""
        sealed = None if reminders is None else self._keys.seal(
            json.dumps(reminders, sort_keys=True), bound_to=sealed_bound_to(plan_id, "reminders"))
        t = self._schema()
        with self._writing() as conn:
            changed = conn.execute(t.plans.update().where(t.plans.c.plan_id == plan_id)
                                   .values(sealed_reminders=sealed)).rowcount
        return changed > 0

    def reminders_for_owner(self, owner_key: str) -> list[KeptReminders]:
        """The runner's plans that keep Alexa reminders, newest first, each with its revision:
        under their current owner key and every key a rotation retired ("delete my data" and
        "stop my reminders" may be the first thing a runner says after a rotation)."""
        sa, _ = _sqlalchemy()
        t = self._schema()
        every_key = keys.every_owner_key(owner_key)
        with self._reading() as conn:
            rows = conn.execute(
                sa.select(t.plans.c.plan_id, t.plans.c.revision, t.plans.c.sealed_reminders)
                .where(t.plans.c.owner_key.in_(every_key), t.plans.c.sealed_reminders.is_not(None))
                .order_by(t.plans.c.created_at.desc(), t.plans.c.plan_id)).all()
        return [self._kept_reminders(row) for row in rows]

    def reminders_of(self, plan_id: str) -> KeptReminders | None:
        """One plan's kept Alexa reminders with its revision; None when it keeps none."""
        sa, _ = _sqlalchemy()
        t = self._schema()
        with self._reading() as conn:
            row = conn.execute(
                sa.select(t.plans.c.plan_id, t.plans.c.revision, t.plans.c.sealed_reminders)
                .where(t.plans.c.plan_id == plan_id, t.plans.c.sealed_reminders.is_not(None))).first()
        return None if row is None else self._kept_reminders(row)

    def _kept_reminders(self, row) -> KeptReminders:
        return KeptReminders(plan_id=row.plan_id, revision=row.revision, reminders=json.loads(
            self._keys.open(row.sealed_reminders, bound_to=sealed_bound_to(row.plan_id, "reminders"))))

    def latest_plan_for_owner(self, owner_key: str) -> PlanRecord | None:
        """The runner's newest plan. Looked for under the current owner key first (one header
        read, as every turn that reads the plan pays); only when there is none there, under the
        keys a rotation retired, which are then moved to the current key (`_adopt_former_keys`)."""
        plan = self._load_plan("newest_by_owner", str(owner_key))
        if plan is not None or not keys.former_owner_keys(owner_key):
            return plan
        sa, _ = _sqlalchemy()
        t = self._schema()
        former = keys.former_owner_keys(owner_key)
        with self._reading() as conn:
            filed_before = conn.execute(
                sa.select(t.plans.c.plan_id).where(t.plans.c.owner_key.in_(former)).limit(1)).first()
        if filed_before is None:
            return None
        with self._writing() as conn:
            self._adopt_former_keys(conn, owner_key)
        return self._load_plan("newest_by_owner", str(owner_key))

    def delete_owner_data(self, owner_key: str) -> OwnerDataDeleted:
        """Everything kept about one runner: their plans, the plans' codes and the skill's state,
        under their current owner key and under every key a rotation retired."""
        sa, _ = _sqlalchemy()
        t = self._schema()
        every_key = keys.every_owner_key(owner_key)
        with self._writing() as conn:
            owned = sa.select(t.plans.c.plan_id).where(t.plans.c.owner_key.in_(every_key))
            codes = conn.execute(
                sa.select(sa.func.count()).select_from(t.short_codes).where(t.short_codes.c.plan_id.in_(owned))
            ).scalar_one()
            is_owner = t.plans.c.owner_key.in_(every_key)
            hashes = conn.execute(sa.select(t.plans.c.token_hash).where(is_owner)).scalars().all()
            plans = conn.execute(t.plans.delete().where(is_owner)).rowcount
            state = conn.execute(
                t.skill_state.delete().where(t.skill_state.c.owner_key.in_(every_key))
            ).rowcount
        for token_hash in hashes:
            self._forget(token_hash)
        self._scrub()
        return OwnerDataDeleted(plans=plans, codes=codes, state=state)

    def purge_expired(self, now: dt.datetime, retention_days: int) -> int:
        """Delete plans not changed for `retention_days` (with their codes), the skill state of
        runners not heard from in as long, expired codes and stale wrong-code attempts.
        Returns the number of plans deleted."""
        if not isinstance(retention_days, int) or retention_days < 1:
            raise ValueError("retention_days must be a whole number of days, at least 1")
        now = _utc(now)
        cutoff = now - dt.timedelta(days=retention_days)
        t = self._schema()
        with self._writing() as conn:
            plans = conn.execute(t.plans.delete().where(t.plans.c.updated_at < cutoff)).rowcount
            conn.execute(t.short_codes.delete().where(t.short_codes.c.expires_at <= now))
            conn.execute(t.skill_state.delete().where(t.skill_state.c.updated_at < _iso_utc(cutoff)))
            conn.execute(
                t.code_attempts.delete().where(t.code_attempts.c.attempted_at < now - ATTEMPT_MEMORY)
            )
            conn.execute(t.guess_counts.delete().where(
                t.guess_counts.c.bucket <= _bucket_of(now) - _buckets_in(GUESS_WINDOW)))
        with self._cache_lock:
            self._cache.clear()
        self._scrub()
        return plans

    def note_request_id(self, request_id_hash: str, seen_at: dt.datetime) -> bool:
        """Remember that a request with this id (a hash of it; never the id) was answered at
        `seen_at`. False when the same hash was already noted within SEEN_REQUEST_MEMORY: a
        replay. Shared by every worker and host through the database; ids older than the memory
        are forgotten in the same transaction, so the table stays a few minutes of traffic."""
        if not isinstance(request_id_hash, str) or not 0 < len(request_id_hash) <= 64:
            raise ValueError("request_id_hash must be a hash of at most 64 characters")
        _, exc = _sqlalchemy()
        t = self._schema()
        seen_at = _utc(seen_at)
        seen = t.seen_alexa_requests
        try:
            with self._writing() as conn:
                conn.execute(seen.delete().where(seen.c.seen_at < seen_at - SEEN_REQUEST_MEMORY))
                conn.execute(seen.insert().values(request_hash=request_id_hash, seen_at=seen_at))
        except exc.IntegrityError:
            return False
        return True

    def claim_code_guess(self, client_group: str, now: dt.datetime, *,
                         per_client: int = GUESSES_PER_CLIENT_PER_WINDOW,
                         in_total: int = GLOBAL_GUESSES_PER_WINDOW,
                         window: dt.timedelta = GUESS_WINDOW) -> GuessClaim:
        """Count one code guess from this network (plans.codes.guesser_group) unless it already
        made `per_client` within `window`, or all networks together made `in_total`: the global
        budget that bounds an attacker with unlimited addresses (docs/deploy.md). A refusal says
        when to come back: when the oldest counted second leaves the window, never more than the
        window, so a runner whose code is refused during an attack waits seconds, not hours.

        Guesses are counted per second (`guess_counts`: the network's counter and the global one,
        `GUESS_BUCKET` each), not as a row each: a guess is one sum over the window's buckets of
        the two counters (at most a minute of rows) and one upsert adding one to both; the first
        guess counted in a new second also deletes the buckets the window has left. Checking and
        counting happen in one transaction, serialised (SQLite's write lock, one PostgreSQL
        advisory lock), on the counting connection that does not wait for the disk. A refusal is
        remembered in this process until its retry time, so a flood of guesses is refused from
        memory without a query."""
        now = _utc(now)
        client_hash = self._keyed("client", client_group)
        known = self._known_refusal(client_hash, now)
        if known is not None:
            return known
        sa, _ = _sqlalchemy()
        t = self._schema()
        counts = t.guess_counts
        bucket = _bucket_of(now)
        buckets = _buckets_in(window)
        with self._counting() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_GLOBAL_GUESS_LOCK})
            # Per counter: the guesses in the window, its oldest second with any, its newest second.
            counted = {row[0]: row[1:] for row in conn.execute(
                sa.select(counts.c.counter, sa.func.sum(counts.c.guesses),
                          sa.func.min(sa.case((counts.c.guesses > 0, counts.c.bucket))),
                          sa.func.max(counts.c.bucket))
                .where(counts.c.counter.in_((client_hash, _ALL_NETWORKS)), counts.c.bucket > bucket - buckets)
                .group_by(counts.c.counter))}
            mine = counted.get(client_hash)
            if mine is not None and mine[0] >= per_client:
                return self._remember_refusal(client_hash, _bucket_start(mine[1] + buckets), now, "client")
            everyone = counted.get(_ALL_NETWORKS)
            if everyone is not None and everyone[0] >= in_total:
                return self._remember_refusal(None, _bucket_start(everyone[1] + buckets), now, "global")
            conn.execute(_guess_count_upsert(conn, counts, [client_hash, _ALL_NETWORKS], bucket, 1))
            if everyone is None or everyone[2] < bucket:
                # The first guess counted in this second, on any host: forget the seconds the
                # window has left (those of the production window, whatever window was asked).
                oldest_kept = bucket - max(buckets, _buckets_in(GUESS_WINDOW))
                conn.execute(counts.delete().where(counts.c.bucket <= oldest_kept))
            return GuessClaim(attempt_id=bucket, counted_as=client_hash)

    def release_code_guess(self, claim: GuessClaim) -> None:
        """Take back a guess `claim_code_guess` counted: the code was right, so a runner opening
        their plan spends neither their network's allowance nor the global budget."""
        if not claim.admitted or claim.counted_as is None:
            return
        sa, _ = _sqlalchemy()
        counts = self._schema().guess_counts
        with self._counting() as conn:
            if conn.dialect.name == "postgresql":
                # The claims' lock: they take the same rows' locks under it, so none waits on another.
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_GLOBAL_GUESS_LOCK})
            conn.execute(counts.update().where(
                counts.c.counter.in_((claim.counted_as, _ALL_NETWORKS)), counts.c.bucket == claim.attempt_id,
                counts.c.guesses > 0).values(guesses=counts.c.guesses - 1))

    def _known_refusal(self, client_hash: str, now: dt.datetime) -> GuessClaim | None:
        with self._guess_lock:
            closed = self._budget_closed_until
            if closed is not None and closed > now:
                return GuessClaim(None, _seconds_until(closed, now), "global")
            until = self._refused_until.get(client_hash)
            if until is not None and until > now:
                return GuessClaim(None, _seconds_until(until, now), "client")
        return None

    def _remember_refusal(self, client_hash: str | None, until: dt.datetime, now: dt.datetime,
                          refused_by: str) -> GuessClaim:
        until = as_utc(until)
        with self._guess_lock:
            if client_hash is None:
                self._budget_closed_until = until
            else:
                self._refused_until[client_hash] = until
                self._refused_until.move_to_end(client_hash)
                while len(self._refused_until) > _REFUSED_MEMORY:
                    self._refused_until.popitem(last=False)
        return GuessClaim(None, _seconds_until(until, now), refused_by)

    def check_writable(self) -> str | None:
        """None when the service can write plans now, else a short reason (for the log; it names
        no query, value or password). Checks what a read cannot: the SQLite file is still the one
        the store opened (deleted or replaced under a running service, writes would go to a file
        nobody will see again), the plans table is there, and a one-row write commits, so a full
        or read-only disk or a dropped table shows. Never raises."""
        try:
            sa, _ = _sqlalchemy()
            t = self._schema()
            self.migrate()
            moved = self._file_moved()
            if moved is not None:
                return moved
            with self._writing() as conn:
                conn.execute(sa.select(t.plans.c.plan_id).limit(1)).all()
                conn.execute(_health_probe_upsert(conn, t.health_probe, dt.datetime.now(dt.UTC)))
            return self._file_moved()
        except StoreUnavailable as error:
            return str(error)
        except Exception as error:  # an IntegrityError or a driver's oddity: still a reason, not a 500
            return f"the database refused a write: {type(error).__name__}"

    def _file_moved(self) -> str | None:
        if self._file_identity is None:  # PostgreSQL, an in-memory SQLite, or not opened yet
            return None
        path = _sqlite_path(sqlalchemy_url(self.database_url))
        try:
            stat = path.stat()
        except FileNotFoundError:
            return "the database file is gone from its path"
        except OSError as error:
            return f"the database file cannot be checked: {error.strerror or error}"
        if (stat.st_dev, stat.st_ino) != self._file_identity:
            return "the database file at its path is not the one the service opened"
        return None

    def ping(self) -> bool:
        """True when the database answers and its schema is current. Never raises."""
        try:
            sa, _ = _sqlalchemy()
            with self._reading() as conn:
                conn.execute(sa.text("SELECT 1")).scalar_one()
            return True
        except StoreUnavailable:
            return False

    def migrate(self) -> None:
        """Bring the schema to the newest revision now (it otherwise happens on first use).
        Safe to call from several processes at once. Raises StoreUnavailable."""
        with self._translated_errors():
            self._engine()

    def close(self) -> None:
        with self._lock:
            if self._counter_engine_obj is not None and self._counter_engine_obj is not self._engine_obj:
                self._counter_engine_obj.dispose()
            self._counter_engine_obj = None
            if self._engine_obj is not None:
                self._engine_obj.dispose()
            self._engine_obj = None
            self._schema_ready = False

    def owner_key_for(self, user_id: str) -> str:
        """The keyed hash the store files a runner's plans under, from their Alexa user id."""
        return keys.OwnerKey(keys.owner_key(self._secret, user_id),
                             (keys.owner_key(old, user_id) for old in self._keys.old))

    # ---- hashing and sealing ----------------------------------------------------------------

    def _keyed(self, purpose: str, value: str) -> str:
        return keys.keyed_hash(self._secret, purpose, value)

    def _token_hash(self, token: str) -> str:
        return self._keyed("token", token)

    def _code_hash(self, code: str) -> str:
        return self._keyed("code", code)

    def _token_hashes(self, token: str) -> list[str]:
        """The token's hash under the current key, then under each retired one."""
        return [keys.keyed_hash(secret, "token", token) for secret in self._keys.secrets]

    def _seal(self, secret_text: str, *, key_from: str, plan_id: str) -> str:
        return keys.seal(self._secret, secret_text, key_from=key_from, bound_to=plan_id)

    def _unseal(self, sealed: str, *, key_from: str, plan_id: str) -> str | None:
        return keys.unseal(self._secret, sealed, key_from=key_from, bound_to=plan_id)

    def _sealed_token(self, token: str, plan_id: str) -> str:
        """The plan's token at rest (`plans.sealed_token`), sealed like its health data: under the
        keyring's current key, bound to the plan and the column."""
        return self._keys.seal(token, bound_to=sealed_bound_to(plan_id, "sealed_token"))

    def _opened_token(self, plan_id: str, sealed: str | None) -> str | None:
        """The token `_sealed_token` kept (under the current or a retired key); None when the plan
        has none (kept before revision 0006) or its key is no longer configured."""
        if sealed is None:
            return None
        try:
            return self._keys.open(sealed, bound_to=sealed_bound_to(plan_id, "sealed_token"))
        except keys.SealError:
            return None

    def _keep_token(self, plan_id: str, token: str) -> None:
        """Backfill `sealed_token` for a plan kept before revision 0006, now that its token has
        been presented. Once per such plan (the header read says whether it is missing), and
        best effort: a read that cannot also write still answers."""
        sa, _ = _sqlalchemy()
        t = self._schema()
        with contextlib.suppress(StoreUnavailable), self._writing() as conn:
            conn.execute(t.plans.update()
                         .where(t.plans.c.plan_id == plan_id, t.plans.c.sealed_token.is_(None))
                         .values(sealed_token=self._sealed_token(token, plan_id)))

    # ---- rows to models ---------------------------------------------------------------------

    def _load_plan(self, which: str, value: str, *, token: str | None = None) -> PlanRecord | None:
        """Read a plan's header first; parse its stored JSON only when this process has not
        already got the same revision. A programme is tens of kilobytes of JSON: reading and
        parsing it costs far more than the header, and calendar apps poll the same plan.

        The cached plan is used only when the header just read (revision, update time) equals the
        one it was cached under, so every worker always serves what the database holds. No
        transaction spans the two reads: the plan is built from the second, full row alone."""
        header = self._plan_header(which, value)
        if header is None:
            return None
        plan_id, token_hash, revision, stamp, token_missing = header
        if token_missing and token is not None:
            self._keep_token(plan_id, token)
        with self._cache_lock:
            cached = self._cache.get(token_hash)
            if cached is not None and cached[0] == revision and cached[1] == stamp:
                self._cache.move_to_end(token_hash)
                return cached[2]
        t = self._schema()
        with self._reading() as conn:
            row = conn.execute(t.plan_by_id, {"plan_id": plan_id}).first()
            check_in_rows = conn.execute(t.check_ins_of_plan, {"plan_id": plan_id}).all() if row else ()
        if row is None:
            return None  # deleted between the two reads
        plan = self._plan_from_row(row, check_in_rows)
        with self._cache_lock:
            self._cache[token_hash] = (revision, stamp, plan)
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return plan

    def _plan_header(self, which: str, value: str) -> tuple | None:
        """(plan_id, token_hash, revision, updated_at as the driver gives it, whether the plan
        lacks its sealed token), on the pooled
        DB-API connection directly: this one query is what every calendar poll costs, and
        SQLAlchemy's statement machinery would be most of it (about 120 µs against 20 µs)."""
        with self._translated_errors():
            engine = self._engine()
            try:
                raw = engine.raw_connection()
            except engine.dialect.loaded_dbapi.Error as error:
                # The pool hands back the driver's own error, not SQLAlchemy's wrapper, when the
                # server is gone (a failed pre-ping, then a refused reconnect).
                raise StoreUnavailable(_describe(error)) from None
        try:
            cursor = raw.cursor()
            try:
                cursor.execute(_HEADER_SQL[which].format(p="?" if engine.dialect.name == "sqlite" else "%s"),
                               (value,))
                return cursor.fetchone()
            finally:
                cursor.close()
        except engine.dialect.loaded_dbapi.Error as error:
            raw.invalidate()  # a connection the driver gave up on must not go back to the pool
            raise StoreUnavailable(_describe(error)) from None
        finally:
            raw.close()

    def _plan_from_row(self, row, check_in_rows=()) -> PlanRecord:
        from rehab.models import Answers, Assessment, Preferences, Programme

        def opened(column: str) -> str:
            return self._keys.open(getattr(row, column), bound_to=sealed_bound_to(row.plan_id, column))

        return PlanRecord(
            plan_id=row.plan_id,
            revision=row.revision,
            created_at=row.created_at,
            updated_at=row.updated_at,
            answers=Answers.model_validate_json(opened("answers")),
            # No "today" context: a plan must load long after its start date has passed. "stored":
            # a plan filed before the core refused placeless zones ("EST5EDT") must still open.
            preferences=Preferences.model_validate_json(opened("preferences"), context={"stored": True}),
            assessment=Assessment.model_validate_json(opened("assessment")),
            programme=Programme.model_validate_json(opened("programme")),
            check_ins=tuple(_check_in_from_row(r, self._keys.open(r.body, bound_to=check_in_bound_to(
                row.plan_id, r.number))) for r in check_in_rows),
        )

    def _forget(self, token_hash: str) -> None:
        with self._cache_lock:
            self._cache.pop(token_hash, None)

    def _adopt_former_keys(self, conn, owner_key: str) -> int:
        """In the caller's transaction, file the runner's plans kept under an owner key a rotation
        retired (plans.keys.OwnerKey.former) under their current owner key, so each is found
        under it from now on; the number moved. A plain key carries none: nothing is done. The
        skill's state moves in plans.state, which can re-seal it (it is bound to its key)."""
        former = keys.former_owner_keys(owner_key)
        if not former:
            return 0
        t = self._schema()
        return conn.execute(t.plans.update().where(t.plans.c.owner_key.in_(former))
                            .values(owner_key=str(owner_key))).rowcount

    # ---- connections, transactions, schema --------------------------------------------------

    def _schema(self):
        if self._tables is None:
            self._tables = _tables()
        return self._tables

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Any]:
        # Reads are single statements, each atomic on its own: on SQLite no BEGIN is sent for
        # them at all (one statement fewer on the path a calendar poll takes).
        with self._translated_errors(), self._engine().connect() as conn:
            conn.execution_options(coach_read=True)
            yield conn
            if conn.in_transaction():
                conn.rollback()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Any]:
        # On SQLite a write transaction starts with BEGIN IMMEDIATE: it waits (busy timeout) for
        # the write lock up front instead of failing with "database is locked" when a read
        # transaction later tries to upgrade to a write while another worker writes.
        with (
            self._translated_errors(),
            self._engine().connect() as conn,
        ):
            conn.execution_options(coach_write=True)
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def _counting(self) -> Iterator[Any]:
        """A write transaction for the guess counts that does not wait for the disk: on SQLite a
        connection of its own with synchronous=NORMAL (the WAL is written, not fsync'd, at
        commit), on PostgreSQL synchronous_commit off for the transaction."""
        with self._translated_errors():
            self._engine()
            engine = self._counter_engine()
            with engine.connect() as conn:
                conn.execution_options(coach_write=True)
                with conn.begin():
                    if conn.dialect.name == "postgresql":
                        conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
                    yield conn

    def _counter_engine(self):
        if self._counter_engine_obj is None:
            with self._lock:
                if self._counter_engine_obj is None:
                    if self._engine_obj.dialect.name == "sqlite" and _sqlite_path(
                            sqlalchemy_url(self.database_url)) is not None:
                        self._counter_engine_obj = _create_engine(self.database_url, synchronous="NORMAL")
                    else:
                        self._counter_engine_obj = self._engine_obj
        return self._counter_engine_obj

    def _scrub(self) -> None:
        """After a delete: on SQLite, copy the WAL into the file and truncate it, so the deleted
        rows' pages (already zeroed by secure_delete) are gone from both. Best effort: a reader
        in the middle of a long read may keep the WAL a little longer; the next delete retries.
        PostgreSQL reuses dead rows' space after VACUUM (docs/deploy.md says what that means)."""
        engine = self._engine_obj
        if engine is None or engine.dialect.name != "sqlite":
            return
        with contextlib.suppress(Exception), engine.connect() as conn:
            conn.execution_options(coach_read=True)
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").all()

    @contextlib.contextmanager
    def _translated_errors(self) -> Iterator[None]:
        _, exc = _sqlalchemy()
        try:
            yield
        except exc.IntegrityError:
            raise
        except (exc.DBAPIError, exc.TimeoutError) as error:
            raise StoreUnavailable(_describe(error)) from None
        except OSError as error:
            raise StoreUnavailable(f"the database cannot be opened: {error.strerror or error}") from None

    def _engine(self):
        engine = self._engine_obj
        if engine is None or not self._schema_ready:
            with self._lock:
                if self._engine_obj is None:
                    self._engine_obj = _create_engine(self.database_url)
                engine = self._engine_obj
                if not self._schema_ready:
                    _ensure_schema(engine, self.database_url, self._keys)
                    self._schema_ready = True
                    self._file_identity = _file_identity(self.database_url)
        return engine


# ---- module helpers (SQLAlchemy imported here only, and only when first needed) ------------


def _check_in_body(logged: LoggedCheckIn) -> str:
    body = {field.name: getattr(logged, field.name) for field in dataclasses.fields(logged)
            if field.name not in ("number", "recorded_at")}
    body["date"] = logged.date.isoformat()
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def _check_in_from_row(row, text: str) -> LoggedCheckIn:
    body = json.loads(text)
    body["date"] = dt.date.fromisoformat(body["date"])
    return LoggedCheckIn(number=row.number, recorded_at=row.recorded_at, **body)


def _sqlalchemy():
    import sqlalchemy
    import sqlalchemy.exc

    return sqlalchemy, sqlalchemy.exc


def _seconds_until(moment: dt.datetime, now: dt.datetime) -> int:
    """Whole seconds from now to moment, at least 1 (a Retry-After of 0 invites a hot loop)."""
    return max(1, int((moment - now).total_seconds() + 0.999))


def _utc(moment: dt.datetime) -> dt.datetime:
    if not isinstance(moment, dt.datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("times given to the plan store must be timezone-aware datetimes")
    return as_utc(moment)


def _iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _describe(error: Exception) -> str:
    # The driver's own message names the problem ("database is locked", "Connection refused",
    # "attempt to write a readonly database") without the statement or its parameters.
    original = getattr(error, "orig", None) or error
    first_line = (str(original).strip().splitlines() or [type(original).__name__])[0]
    return f"the database is unavailable: {first_line[:200]}"


def _file_identity(database_url: str) -> tuple[int, int] | None:
    path = _sqlite_path(sqlalchemy_url(database_url)) if database_url.startswith("sqlite") else None
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _bucket_of(moment: dt.datetime) -> int:
    """The guess-count bucket a moment falls in: whole `GUESS_BUCKET`s since the epoch."""
    return int(moment.timestamp() // GUESS_BUCKET.total_seconds())


def _buckets_in(window: dt.timedelta) -> int:
    return max(1, -(-int(window.total_seconds()) // int(GUESS_BUCKET.total_seconds())))


def _bucket_start(bucket: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(bucket * GUESS_BUCKET.total_seconds(), dt.UTC)


def _guess_count_upsert(conn, table, counters: list[str], bucket: int, guesses: int):
    """INSERT ... ON CONFLICT DO UPDATE adding `guesses` to each counter's bucket, in either dialect."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values([{"counter": counter, "bucket": bucket, "guesses": guesses}
                                      for counter in counters])
    return statement.on_conflict_do_update(index_elements=[table.c.counter, table.c.bucket],
                                           set_={"guesses": table.c.guesses + statement.excluded.guesses})


def _health_probe_upsert(conn, table, now: dt.datetime):
    """INSERT ... ON CONFLICT DO UPDATE of the one health_probe row, in either dialect."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(probe_id=1, checked_at=now)
    return statement.on_conflict_do_update(index_elements=[table.c.probe_id], set_={"checked_at": now})


def _sqlite_path(database_url: str) -> Path | None:
    """The file behind a SQLite URL; None for an in-memory database."""
    from sqlalchemy.engine import make_url

    database = make_url(database_url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


class _Tables:
    def __init__(self, sa):
        from sqlalchemy.types import DateTime, TypeDecorator

        class UTCDateTime(TypeDecorator):
            """Aware UTC datetimes on both databases (SQLite keeps no offset of its own)."""

            impl = DateTime(timezone=True)
            cache_ok = True

            def process_bind_param(self, value, dialect):
                if value is None:
                    return None
                value = _utc(value)
                return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

            def process_result_value(self, value, dialect):
                if value is None:
                    return None
                return as_utc(value)  # SQLite hands back naive times, stored as UTC

        self.metadata = metadata = sa.MetaData()
        self.plans = sa.Table(
            "plans", metadata,
            sa.Column("plan_id", sa.String(32), primary_key=True),
            sa.Column("token_hash", sa.String(64), nullable=False),
            sa.Column("owner_key", sa.String(128), nullable=True),
            sa.Column("revision", sa.Integer(), nullable=False),
            sa.Column("created_at", UTCDateTime(), nullable=False),
            sa.Column("updated_at", UTCDateTime(), nullable=False),
            sa.Column("answers", sa.Text(), nullable=False),
            sa.Column("preferences", sa.Text(), nullable=False),
            sa.Column("assessment", sa.Text(), nullable=False),
            sa.Column("programme", sa.Text(), nullable=False),
            sa.Column("sealed_code", sa.Text(), nullable=True),
            sa.Column("code_expires_at", UTCDateTime(), nullable=True),
            sa.Column("sealed_token", sa.Text(), nullable=True),
            sa.Column("sealed_reminders", sa.Text(), nullable=True),
            sa.UniqueConstraint("token_hash", name="uq_plans_token_hash"),
            sa.Index("ix_plans_owner_key", "owner_key"),
            sa.Index("ix_plans_updated_at", "updated_at"),
        )
        self.short_codes = sa.Table(
            "short_codes", metadata,
            sa.Column("code_hash", sa.String(64), primary_key=True),
            sa.Column(
                "plan_id", sa.String(32),
                sa.ForeignKey("plans.plan_id", ondelete="CASCADE", name="fk_short_codes_plan_id"),
                nullable=False,
            ),
            sa.Column("sealed_token", sa.Text(), nullable=False),
            sa.Column("created_at", UTCDateTime(), nullable=False),
            sa.Column("expires_at", UTCDateTime(), nullable=False),
            sa.Index("ix_short_codes_plan_id", "plan_id"),
            sa.Index("ix_short_codes_expires_at", "expires_at"),
        )
        self.skill_state = sa.Table(
            "skill_state", metadata,
            sa.Column("owner_key", sa.Text(), primary_key=True),
            sa.Column("attributes", sa.Text(), nullable=False),
            sa.Column("updated_at", sa.Text(), nullable=False),
        )
        self.code_attempts = sa.Table(
            "code_attempts", metadata,
            sa.Column("attempt_id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("client_hash", sa.String(64), nullable=False),
            sa.Column("attempted_at", UTCDateTime(), nullable=False),
            sa.Index("ix_code_attempts_client_time", "client_hash", "attempted_at"),
            sa.Index("ix_code_attempts_attempted_at", "attempted_at"),
        )
        self.guess_counts = sa.Table(
            "guess_counts", metadata,
            sa.Column("counter", sa.String(64), primary_key=True),
            sa.Column("bucket", sa.BigInteger(), primary_key=True, autoincrement=False),
            sa.Column("guesses", sa.Integer(), nullable=False),
            sa.Index("ix_guess_counts_bucket", "bucket"),
        )

        self.seen_alexa_requests = sa.Table(
            "seen_alexa_requests", metadata,
            sa.Column("request_hash", sa.String(64), primary_key=True),
            sa.Column("seen_at", UTCDateTime(), nullable=False),
            sa.Index("ix_seen_alexa_requests_seen_at", "seen_at"),
        )
        self.health_probe = sa.Table(
            "health_probe", metadata,
            sa.Column("probe_id", sa.Integer(), primary_key=True, autoincrement=False),
            sa.Column("checked_at", UTCDateTime(), nullable=False),
        )
        self.check_ins = sa.Table(
            "check_ins", metadata,
            sa.Column("plan_id", sa.String(32),
                      sa.ForeignKey("plans.plan_id", ondelete="CASCADE", name="fk_check_ins_plan_id"),
                      primary_key=True),
            sa.Column("number", sa.Integer(), primary_key=True, autoincrement=False),
            sa.Column("recorded_at", UTCDateTime(), nullable=False),
            sa.Column("body", sa.Text(), nullable=False),
        )

        self.plan_by_id = sa.select(self.plans).where(self.plans.c.plan_id == sa.bindparam("plan_id"))
        self.check_ins_of_plan = (
            sa.select(self.check_ins.c.number, self.check_ins.c.recorded_at, self.check_ins.c.body)
            .where(self.check_ins.c.plan_id == sa.bindparam("plan_id"))
            .order_by(self.check_ins.c.number)
        )


_TABLES: _Tables | None = None

# The plan-header reads, in plain SQL for the DB-API fast path ({p}: the driver's placeholder).
_HEADER_SQL = {
    "by_token": "SELECT plan_id, token_hash, revision, updated_at, sealed_token IS NULL FROM plans "
                "WHERE token_hash = {p}",
    "newest_by_owner": (
        "SELECT plan_id, token_hash, revision, updated_at, sealed_token IS NULL FROM plans "
        "WHERE owner_key = {p} "
        "ORDER BY created_at DESC, plan_id LIMIT 1"
    ),
}


def _tables() -> _Tables:
    global _TABLES
    if _TABLES is None:
        sa, _ = _sqlalchemy()
        _TABLES = _Tables(sa)
    return _TABLES


def _private_file(path: Path) -> None:
    """Create the SQLite file 0600 (in a directory made 0700) before SQLite opens it, whatever
    the umask: SQLite gives its WAL and SHM files the database file's mode. An existing file
    (or WAL, SHM) that group or others can read is narrowed to its owner."""
    import os

    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError, IsADirectoryError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if not each.is_file():
            continue  # a directory where the file should be: SQLite says so when it opens it
        with contextlib.suppress(FileNotFoundError):
            mode = each.stat().st_mode & 0o777
            if mode & 0o077:
                os.chmod(each, mode & 0o700)


def _create_engine(database_url: str, *, synchronous: str = "FULL"):
    sa, _ = _sqlalchemy()
    from sqlalchemy import event

    url = sqlalchemy_url(database_url)
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        if path is None:
            from sqlalchemy.pool import StaticPool

            # One shared connection, or each connection would see its own empty database.
            engine = sa.create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            _private_file(path)
            engine = sa.create_engine(
                url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            # Take transaction control from the sqlite3 module: it would otherwise skip BEGIN
            # before reads and DDL, and could not begin IMMEDIATE for writes.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            # Deleted rows are overwritten with zeros, not left in free pages.
            cursor.execute("PRAGMA secure_delete = ON")
            if path is not None:
                # WAL: readers never block the writer nor the writer the readers. FULL sync makes
                # every answered 201 survive even a power cut, not only a killed process (the
                # guess counter's own engine asks for NORMAL: a lost guess count harms no one).
                _use_wal(cursor)
                cursor.execute(f"PRAGMA synchronous = {synchronous}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            options = conn.get_execution_options()
            if options.get("coach_read"):
                return
            conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("coach_write") else "BEGIN")

        return engine
    return sa.create_engine(
        url, pool_pre_ping=True, pool_size=5, max_overflow=10, pool_timeout=10,
        connect_args={"connect_timeout": 5},
    )


def _use_wal(cursor) -> None:
    """Put the database file in WAL mode (a setting kept in the file, so once is enough). On a new
    file several workers race to switch it, and the loser's switch fails at once with "database
    is locked" (SQLite does not wait on its busy timeout here), so ask first and retry briefly."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
            return
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
        except Exception as error:  # the driver's OperationalError; sqlite3 is not imported here
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _current_revision(conn) -> str | None:
    sa, _ = _sqlalchemy()
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _ensure_schema(engine, database_url: str, keyring: keys.Keyring | None = None) -> None:
    with engine.connect() as conn:
        current = _current_revision(conn)
        conn.rollback()
    if current == SCHEMA_REVISION:
        return
    with _migration_lock(engine, database_url) as conn:
        _upgrade(conn, keyring)


def _upgrade(conn, keyring: keys.Keyring | None = None) -> None:
    from alembic import command
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    # Revision 0005 seals the health data already kept, under this store's current key.
    config.attributes["keyring"] = keyring
    current = _current_revision(conn)
    if conn.in_transaction():
        conn.commit()
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    if current is not None and current not in known:
        raise StoreUnavailable(
            f"the database schema is at revision {current}, newer than this version of the service knows; "
            "upgrade the service"
        )
    command.upgrade(config, "head")
    if conn.in_transaction():
        conn.commit()


@contextlib.contextmanager
def _migration_lock(engine, database_url: str) -> Iterator[Any]:
    """One migrator at a time across processes (gunicorn workers starting together)."""
    sa, _ = _sqlalchemy()
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(sa.text(f"SET lock_timeout = '{MIGRATION_LOCK_TIMEOUT_S}s'"))
            conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            conn.commit()
            try:
                yield conn
            finally:
                if conn.in_transaction():
                    conn.rollback()
                conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_MIGRATION_LOCK})
                conn.execute(sa.text("SET lock_timeout = 0"))
                conn.commit()
        return
    path = _sqlite_path(sqlalchemy_url(database_url))
    if path is None:
        with engine.connect() as conn:
            yield conn
        return
    import fcntl

    lock_path = path.with_name(path.name + ".migrate-lock")
    import os

    with os.fdopen(os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600), "a+b") as lock_file:
        deadline = time.monotonic() + MIGRATION_LOCK_TIMEOUT_S
        while True:
            try:
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreUnavailable(
                        "another process has been migrating the database for too long"
                    ) from None
                time.sleep(0.05)
        try:
            with engine.connect() as conn:
                yield conn
        finally:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)

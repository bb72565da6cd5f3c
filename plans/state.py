"""Where a runner's unfinished triage waits between visits: the `skill_state` table of the plan
store's database, read and written with plain DB-API.

Why not the store's SQLAlchemy layer: a Lambda cold start that answers "Welcome back" must not pay
for importing SQLAlchemy (about 180 ms). `sqlite3` is in the standard library; `psycopg` is
imported only when the URL names PostgreSQL. The table itself belongs to the store's Alembic
migrations; when it is missing (a brand-new database) the first save asks the store to migrate.

Rows are keyed by `owner_key`, a keyed hash (HMAC-SHA256 under `COACH_SECRET_KEY`) of the Alexa
user id: the id itself is never stored, and it is the same key the store files plans under, so
"delete my data" finds both. Nothing here logs attributes or keys: they hold health answers.
After a key rotation a runner's key changes: a key given as `plans.keys.OwnerKey` carries the
runner's keys under the retired secrets, a state found under one of them moves to the current key
(re-sealed, in one transaction) when first loaded, and a delete deletes under all of them.

The attributes (unfinished answers) are sealed at rest with `plans.keys.Keyring`, bound to their
row's owner key, under the key the configuration registered for this database (or the one given):
the database file alone shows ciphertext. The `cryptography` import this needs is paid only by a
turn that reads or writes saved state. SQLite connections here run with `secure_delete` on, and a
delete ends with a WAL checkpoint, as the plan store's do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from plans import keys

logger = logging.getLogger("plans.state")

SQLITE_BUSY_TIMEOUT_SECONDS = 5.0
# Alexa gives a skill 8 seconds; a database that does not answer in 3 must not eat them all.
POSTGRES_CONNECT_TIMEOUT_SECONDS = 3

_SELECT = "SELECT attributes FROM skill_state WHERE owner_key = {p}"
_UPSERT = (
    "INSERT INTO skill_state (owner_key, attributes, updated_at) VALUES ({p}, {p}, {p}) "
    "ON CONFLICT (owner_key) DO UPDATE SET attributes = excluded.attributes, updated_at = excluded.updated_at"
)
_DELETE = "DELETE FROM skill_state WHERE owner_key = {p}"
# Moving a state to the runner's current key after a rotation: a state already saved under the
# current key is newer and stays.
_INSERT_IF_ABSENT = (
    "INSERT INTO skill_state (owner_key, attributes, updated_at) VALUES ({p}, {p}, {p}) "
    "ON CONFLICT (owner_key) DO NOTHING"
)
_SELECT_FOR_MOVE = "SELECT attributes, updated_at FROM skill_state WHERE owner_key = {p}"


def state_bound_to(owner_key: str) -> str:
    """What a skill state's sealed attributes are bound to: their row."""
    return f"skill_state:{owner_key}"


class StateUnavailable(RuntimeError):
    """The state could not be read or written. The message names the kind of failure only."""


def _utc_iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_attributes(text: object) -> dict[str, Any] | None:
    if not isinstance(text, str):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


class MemoryStateStore:
    """Skill state in this process's memory: for the typed console, benchmarks and tests, where
    a database would only add noise. Same interface as `SqlStateStore`."""

    def __init__(self) -> None:
        self._rows: dict[str, str] = {}
        self._lock = threading.Lock()

    def load(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            text = self._rows.get(key)
            for former in keys.former_owner_keys(key):
                if text is not None:
                    break
                text = self._rows.pop(former, None)
                if text is not None:
                    self._rows[str(key)] = text
        return _parse_attributes(text)

    def save(self, key: str, attributes: Mapping[str, Any], *, now: dt.datetime) -> None:
        text = json.dumps(attributes, separators=(",", ":"), sort_keys=True)
        with self._lock:
            self._rows[key] = text

    def delete(self, key: str) -> bool:
        with self._lock:
            deleted = [self._rows.pop(k, None) for k in keys.every_owner_key(key)]
        return any(text is not None for text in deleted)


class SqlStateStore:
    """The `skill_state` table over SQLite or PostgreSQL, by the plan store's database URL.

    `ensure_schema` (optional) creates the schema: it is called at most once per process, when a
    save finds the table missing, and typically runs the store's migrations.
    """

    def __init__(self, database_url: str, *, ensure_schema: Callable[[], None] | None = None,
                 secret_key: bytes | str | None = None,
                 old_secret_keys: tuple[bytes, ...] | None = None) -> None:
        self._database_url = database_url
        self._given_keys = None
        if secret_key:
            secret = secret_key.encode("utf-8") if isinstance(secret_key, str) else bytes(secret_key)
            self._given_keys = keys.keyring_for(secret, old_secret_keys)
        scheme = database_url.split("://", 1)[0].lower() if "://" in database_url else ""
        if scheme.startswith("sqlite"):
            self._kind = "sqlite"
            self._sqlite_target = _sqlite_target(database_url)
            self._placeholder = "?"
        elif scheme.startswith("postgres"):
            self._kind = "postgresql"
            self._postgres_url = "postgresql://" + database_url.split("://", 1)[1]
            self._placeholder = "%s"
        else:
            raise ValueError(f"skill state needs a sqlite:// or postgresql:// URL, not {scheme!r}")
        self._ensure_schema = ensure_schema
        self._schema_attempted = False
        self._local = threading.local()
        self._schema_lock = threading.Lock()

    # ---- the three operations ----------------------------------------------------------------

    def load(self, key: str) -> dict[str, Any] | None:
        """The runner's saved attributes, or None when there are none (including when the table
        does not exist yet). Raises StateUnavailable when the database cannot be read."""
        try:
            rows = self._run(_SELECT, (str(key),), fetch=True)
            if not rows:
                rows = self._moved_to_current_key(key)
        except _MissingSchema:
            return None
        if not rows:
            return None
        try:
            text = self._keys().open(rows[0][0], bound_to=state_bound_to(key))
        except keys.SealError:
            # Sealed under a key this process does not hold: as good as no saved state (a new
            # conversation starts), and nothing about it is logged but that it happened.
            logger.warning("a saved skill state could not be opened; starting afresh")
            return None
        return _parse_attributes(text)

    def save(self, key: str, attributes: Mapping[str, Any], *, now: dt.datetime) -> None:
        text = json.dumps(attributes, separators=(",", ":"), sort_keys=True)
        params = (str(key), self._keys().seal(text, bound_to=state_bound_to(key)), _utc_iso(now))
        try:
            self._run(_UPSERT, params)
        except _MissingSchema:
            self._create_schema()
            try:
                self._run(_UPSERT, params)
            except _MissingSchema:
                raise StateUnavailable("the skill_state table does not exist") from None

    def delete(self, key: str) -> bool:
        """Delete the runner's state, under their current key and every retired one."""
        try:
            deleted = sum(self._run(_DELETE, (k,), count=True)
                          for k in keys.every_owner_key(key)) > 0
        except _MissingSchema:
            return False
        if deleted and self._kind == "sqlite":
            # The deleted row's (zeroed) page goes into the file and the WAL is emptied.
            with contextlib.suppress(StateUnavailable, _MissingSchema):
                self._run("PRAGMA wal_checkpoint(TRUNCATE)", (), fetch=True)
        return deleted

    def _moved_to_current_key(self, key: str) -> list[tuple[str]]:
        """The runner's state saved under a key a rotation retired (plans.keys.OwnerKey), moved
        to their current key, re-sealed for its new row, in one transaction; [] when there is
        none. A state that does not open is left for the retention purge."""
        for former in keys.former_owner_keys(key):
            rows = self._run(_SELECT_FOR_MOVE, (former,), fetch=True)
            if not rows:
                continue
            sealed, updated_at = rows[0]
            try:
                text = self._keys().open(sealed, bound_to=state_bound_to(former))
            except keys.SealError:
                return []
            resealed = self._keys().seal(text, bound_to=state_bound_to(key))
            self._run_atomically([(_INSERT_IF_ABSENT, (str(key), resealed, updated_at)),
                                  (_DELETE, (former,))])
            return self._run(_SELECT, (str(key),), fetch=True)
        return []

    def _keys(self) -> keys.Keyring:
        """The given key, else the one the configuration registered for this database, else a
        key of this process only (never plain text; see plans.keys.ephemeral_keyring)."""
        if self._given_keys is not None:
            return self._given_keys
        registered = keys.keyring_for_database(self._database_url)
        if registered is not None:
            return registered
        return keys.ephemeral_keyring()

    # ---- connections -------------------------------------------------------------------------

    def _create_schema(self) -> None:
        with self._schema_lock:
            if self._schema_attempted or self._ensure_schema is None:
                return
            self._schema_attempted = True
            try:
                self._ensure_schema()
            except Exception as error:  # the store reports its own failures; ours is "unavailable"
                raise StateUnavailable(f"could not create the schema ({type(error).__name__})") from None

    def _run_atomically(self, statements: list[tuple[str, tuple]]) -> None:
        """Run (statement, parameters) pairs in one transaction: all of them or none."""
        if self._kind == "sqlite":
            self._run("BEGIN IMMEDIATE", ())
            try:
                for statement, params in statements:
                    self._run(statement, params)
                self._run("COMMIT", ())
            except BaseException:
                connection = self._kept_connection()
                if connection is not None:
                    with contextlib.suppress(Exception):
                        connection.execute("ROLLBACK")
                raise
            return
        import psycopg

        self._run("SELECT 1", (), fetch=True)  # a live connection, reconnecting if it went stale
        connection = self._kept_connection()
        try:
            with connection.transaction(), connection.cursor() as cursor:
                for statement, params in statements:
                    cursor.execute(statement.format(p=self._placeholder), params)
        except psycopg.errors.UndefinedTable:
            raise _MissingSchema() from None
        except psycopg.Error as error:
            self._drop_connection()
            raise _unavailable(error) from None

    def _run(self, statement: str, params: tuple, *, fetch: bool = False, count: bool = False):
        sql = statement.format(p=self._placeholder)
        if self._kind == "sqlite":
            return self._run_sqlite(sql, params, fetch=fetch, count=count)
        return self._run_postgres(sql, params, fetch=fetch, count=count)

    def _run_sqlite(self, sql: str, params: tuple, *, fetch: bool, count: bool):
        import sqlite3

        connection = self._kept_connection()
        if connection is None:
            target, is_uri = self._sqlite_target
            try:
                # isolation_level=None: each statement commits on its own; the upsert is one.
                connection = sqlite3.connect(target, uri=is_uri, timeout=SQLITE_BUSY_TIMEOUT_SECONDS,
                                             isolation_level=None)
                # Durable when the process dies (the WAL reaches the OS before commit returns),
                # not against a power cut: fine for a conversation in progress, and it spares
                # every turn the ~10 ms fsync of FULL. The store writes plans with FULL.
                connection.execute("PRAGMA synchronous = NORMAL")
                connection.execute("PRAGMA secure_delete = ON")
            except sqlite3.Error as error:
                # mode=rw refuses to create the file: a database that was never migrated.
                raise _MissingSchema() if "unable to open" in str(error) else _unavailable(error) from None
            self._keep_connection(connection)
        try:
            cursor = connection.execute(sql, params)
            if fetch:
                return cursor.fetchall()
            return cursor.rowcount if count else None
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                raise _MissingSchema() from None
            self._drop_connection()
            raise _unavailable(error) from None
        except sqlite3.Error as error:
            self._drop_connection()
            raise _unavailable(error) from None

    def _run_postgres(self, sql: str, params: tuple, *, fetch: bool, count: bool):
        import psycopg

        reused = self._kept_connection()
        for attempt in (1, 2):
            connection = self._kept_connection()
            try:
                if connection is None or connection.closed:
                    connection = psycopg.connect(self._postgres_url, autocommit=True,
                                                 connect_timeout=POSTGRES_CONNECT_TIMEOUT_SECONDS)
                    # As on SQLite: a server crash may lose the last moment of a conversation's
                    # progress, never corrupt it, and no turn waits for the WAL to be flushed.
                    connection.execute("SET synchronous_commit TO OFF")
                    self._keep_connection(connection)
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    if fetch:
                        return cursor.fetchall()
                    return cursor.rowcount if count else None
            except psycopg.errors.UndefinedTable:
                raise _MissingSchema() from None
            except psycopg.Error as error:
                self._drop_connection()
                # A kept connection may have gone stale (server restart, idle timeout): try once
                # more on a fresh one. A fresh connection that fails means the database is down.
                if attempt == 1 and reused is not None:
                    continue
                raise _unavailable(error) from None
        raise StateUnavailable("the database is unavailable")  # pragma: no cover - loop always returns

    # One connection per thread, kept between turns: opening one costs more than the write
    # (SQLite re-reads the schema, PostgreSQL does a handshake). A connection is never used in a
    # process other than the one that opened it (gunicorn forks; a Lambda container does not).

    def _kept_connection(self):
        if getattr(self._local, "pid", None) != os.getpid():
            self._local.connection = None
            self._local.pid = os.getpid()
        return self._local.connection

    def _keep_connection(self, connection) -> None:
        self._local.connection = connection
        self._local.pid = os.getpid()

    def _drop_connection(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            # Closing a broken connection may itself fail; it is gone either way.
            with contextlib.suppress(Exception):
                connection.close()


class _MissingSchema(Exception):
    pass


def _unavailable(error: Exception) -> StateUnavailable:
    # Only the exception's type: driver messages can quote the statement's parameters.
    return StateUnavailable(f"the database is unavailable ({type(error).__name__})")


def _sqlite_target(database_url: str) -> tuple[str, bool]:
    """The sqlite3.connect target for a SQLAlchemy-style SQLite URL, opened read-write without
    creating the file (a missing file is an unmigrated database, not an empty one)."""
    parts = urlsplit(database_url)
    path = unquote(parts.path)
    if parts.netloc:  # sqlite://host/... is not a file path SQLAlchemy accepts either
        raise ValueError("a SQLite URL has no host: use sqlite:///relative/path or sqlite:////absolute/path")
    path = path[1:] if path.startswith("/") else path  # sqlite:///var/x -> var/x ; sqlite:////abs -> /abs
    if is_in_memory(database_url):
        raise ValueError("an in-memory SQLite database lives inside one connection; use state_store_for()")
    return f"file:{quote(path)}?mode=rw", True


def is_in_memory(database_url: str) -> bool:
    if not database_url.lower().startswith("sqlite"):
        return False
    path = unquote(urlsplit(database_url).path).lstrip("/")
    return not path or path == ":memory:" or path.startswith("file::memory:")


def state_store_for(database_url: str, *, ensure_schema: Callable[[], None] | None = None,
                    secret_key: bytes | str | None = None):
    """The state store for the plan store's database. An in-memory SQLite database (tests) exists
    only inside the store's own connection, so the state stays in this process's memory instead."""
    if is_in_memory(database_url):
        return MemoryStateStore()
    return SqlStateStore(database_url, ensure_schema=ensure_schema, secret_key=secret_key)

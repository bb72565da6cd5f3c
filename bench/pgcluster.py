"""A real, throwaway PostgreSQL server: initdb into a temporary directory, pg_ctl on a free
loopback port with its unix socket in that directory, stopped and removed at the end.

Shared by the tests (`tests/conftest.py`, fixture `postgres_url`) and `make load`, so the
start/stop dance is written once. PostgreSQL refuses to run as root, so as root the server runs
as the `postgres` system user (Debian's postgresql package creates it).

    with throwaway_postgres() as server_url:          # postgresql://coach@127.0.0.1:<port>/postgres
        database_url = create_database(server_url)    # a fresh, empty database on it
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from bench.common import free_port

USER = "coach"
# Another process may take the free port between our probe and the server's bind: try again.
START_ATTEMPTS = 5
START_TIMEOUT_SECONDS = 60


class PostgresUnavailable(RuntimeError):
    """The server could not be set up or started; the message says why (and holds its log)."""


def bindir() -> Path:
    """The newest installed server's binaries (initdb, pg_ctl)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if not candidates:
        raise PostgresUnavailable(
            "PostgreSQL server binaries are missing (/usr/lib/postgresql/*/bin/initdb); "
            "`make test` and `make load` install them (Debian package postgresql)"
        )
    return candidates[-1].parent


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        raise PostgresUnavailable("running as root needs `runuser` to start PostgreSQL as the postgres user")
    return ["runuser", "-u", "postgres", "--", *command]


class PostgresCluster:
    """One data directory and one server process.

    `durable=False` (the tests) turns fsync and synchronous commit off: nothing in a throwaway
    cluster needs to survive a power cut, and the tests run faster. `make load` passes
    `durable=True` so its figures include the flush to disk a real deployment pays for every
    committed plan, as SQLite's synchronous=FULL does on the other side of the comparison.
    """

    def __init__(self, *, durable: bool = False, max_connections: int = 300) -> None:
        self.durable = durable
        self.max_connections = max_connections
        self.bindir = bindir()
        self.root = Path(tempfile.mkdtemp(prefix="coach-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port: int | None = None
        self.running = False
        if os.geteuid() == 0:
            try:
                shutil.chown(self.root, user="postgres", group="postgres")
            except LookupError:
                self.remove()
                raise PostgresUnavailable(
                    "running as root needs a `postgres` system user (Debian's postgresql package creates it)"
                ) from None
        initdb = [str(self.bindir / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync"]
        result = subprocess.run(_as_server_user(initdb), capture_output=True, text=True)
        if result.returncode != 0:
            self.remove()
            raise PostgresUnavailable(f"initdb failed: {result.stdout}{result.stderr}")

    @property
    def url(self) -> str:
        """The maintenance database (`postgres`) as a plain postgresql:// URL, which psycopg,
        the plan store and the skill's state store all accept."""
        if self.port is None:
            raise PostgresUnavailable("the server has not been started")
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def start(self) -> str:
        """Start the server (on the same port as before, after a stop); returns its URL."""
        ports = [self.port] if self.port is not None else [free_port() for _ in range(START_ATTEMPTS)]
        options = (f"-k {self.root} -c listen_addresses=127.0.0.1 -c max_connections={self.max_connections}")
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        result = None
        for port in ports:
            result = subprocess.run(
                _as_server_user([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                                 "-w", "-t", str(START_TIMEOUT_SECONDS), "-o", f"-p {port} {options}",
                                 "start"]),
                capture_output=True, text=True,
            )
            if result.returncode == 0:
                self.port = port
                self.running = True
                return self.url
        log = self.log.read_text(errors="replace") if self.log.exists() else ""
        raise PostgresUnavailable(f"PostgreSQL would not start:\n{result.stdout}{result.stderr}\n{log}")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server ("fast": roll back and disconnect; "immediate": as if it crashed)."""
        subprocess.run(_as_server_user([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode,
                                        "-w", "stop"]), capture_output=True)
        self.running = False

    def remove(self) -> None:
        """Stop the server if it runs, and delete its data directory."""
        if self.running:
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def throwaway_postgres(*, durable: bool = False, max_connections: int = 300) -> Iterator[str]:
    """A started server for the length of the `with` block; yields its maintenance URL."""
    cluster = PostgresCluster(durable=durable, max_connections=max_connections)
    try:
        yield cluster.start()
    finally:
        cluster.remove()


def create_database(server_url: str) -> str:
    """A new, empty database on the server; returns its URL."""
    import psycopg

    name = f"coach_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(server_url: str, database_url: str) -> None:
    """Drop a database made by `create_database`, disconnecting whoever still uses it."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

"""`python -m exporter.serve` (what `make run` runs): the plan service under gunicorn.

The schema is migrated once here, before gunicorn forks its workers, so they start against a
current database (each worker would also do it safely on its own, under the migration lock).
Gunicorn keeps no access log by default, and we leave it so: request paths carry plan tokens.
"""

from __future__ import annotations

import argparse
import os
import sys

from gunicorn.app.base import BaseApplication

from plans.config import Config, ConfigError, is_loopback
from plans.store import PlanStore, StoreUnavailable

DEFAULT_WORKERS = 2
# Threads per worker (gunicorn's gthread worker). A sync worker is held by one client for as long
# as that client takes to send its request: two clients trickling a header line a second stalled
# both workers and with them /healthz. A gthread worker waits for a client's first bytes in its
# event loop, and a client still sending holds one thread, not the worker: with no proxy in front
# (`make run`), 2 x 16 threads take that many slow clients before anyone else waits.
DEFAULT_THREADS = 16
# Seconds: a worker silent for longer is restarted by the master; an idle kept-alive connection
# is closed after KEEPALIVE; a stopping worker gets GRACEFUL to finish its requests.
WORKER_TIMEOUT = 30
KEEPALIVE = 5
GRACEFUL_TIMEOUT = 10


class PlanService(BaseApplication):
    """Gunicorn run from Python, with our settings and our factory in every worker."""

    def __init__(self, options: dict[str, object]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from exporter import create_app

        return create_app()


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def newcomer_urls(config: Config) -> str:
    local = f"http://{bind_address(config.bind_host, config.port)}"
    lines = [
        "Hamstring Coach plan service",
        f"  home page (enter a plan code): {local}/",
        f"  health check:                  {local}/healthz",
        f"  JSON API:                      {local}/api/plans   (described at {local}/openapi.json)",
        f"  Alexa endpoint:                POST {local}/alexa",
    ]
    if config.base_url != local:
        lines.append(f"  public links and QR codes use {config.base_url}")
    if not config.alexa_verify:
        lines.append("  Alexa request verification is OFF (allowed only on loopback)")
    if not is_loopback(config.bind_host):
        lines.append("  listening beyond loopback: put an HTTPS proxy in front (Alexa requires HTTPS)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exporter.serve", description=__doc__)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="threads per worker")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    try:
        config = Config.from_env(os.environ)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2

    store = PlanStore(config.database_url, config.secret_key)
    try:
        store.migrate()
    except StoreUnavailable as error:
        print(f"warning: {error}; starting anyway, /healthz will report it", file=sys.stderr)
    finally:
        store.close()  # the workers open their own connections after the fork

    print(newcomer_urls(config), flush=True)
    options: dict[str, object] = {
        "bind": bind_address(config.bind_host, config.port),
        "workers": args.workers,
        "worker_class": "gthread",
        "threads": args.threads,
        "timeout": WORKER_TIMEOUT,
        "keepalive": KEEPALIVE,
        "graceful_timeout": GRACEFUL_TIMEOUT,
        # Gunicorn's control socket lives at one path per user: a second server (tests, bench)
        # would take it over. Nothing here uses it.
        "control_socket_disable": True,
        "loglevel": "info",
        "errorlog": "-",
    }
    if os.path.isdir("/dev/shm"):
        options["worker_tmp_dir"] = "/dev/shm"  # heartbeat files off slow or container disks
    PlanService(options).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

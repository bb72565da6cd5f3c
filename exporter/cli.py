"""Maintenance commands behind `hamstring-coach` (and `flask --app exporter purge`)."""

from __future__ import annotations

import datetime as dt
import os
import sys

from plans.config import Config, ConfigError
from plans.service import purge
from plans.store import PlanStore, StoreUnavailable


def purge_command(days: int | None) -> int:
    """Delete plans not changed for `days` (default COACH_RETENTION_DAYS, 180), with their codes,
    and the skill state of runners not heard from in as long. Returns the exit status."""
    try:
        config = Config.from_env(os.environ)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    retention = config.retention_days if days is None else days
    if retention < 1:
        print("--days must be at least 1", file=sys.stderr)
        return 2
    store = PlanStore(config.database_url, config.secret_key)
    try:
        deleted = purge(store, now=dt.datetime.now(dt.UTC), retention_days=retention)
    except StoreUnavailable as error:
        print(f"could not purge: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"deleted {deleted} plan{'s' if deleted != 1 else ''} unchanged for more than {retention} days")
    return 0

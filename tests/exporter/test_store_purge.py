"""`hamstring-coach purge`: plans past the retention period go, with their codes; the rest stay."""

from __future__ import annotations

import datetime as dt

import pytest

from hamstring_coach_cli import main
from plans.service import file_plan
from plans.store import PlanStore
from tests.samples import TIGHTNESS

pytestmark = pytest.mark.each_database

SECRET = "test-secret-key-for-hashes-0123456789-abcdefghij"


@pytest.fixture
def environment(monkeypatch, database_url):
    monkeypatch.setenv("COACH_DATABASE_URL", database_url)
    monkeypatch.setenv("COACH_SECRET_KEY", SECRET)
    monkeypatch.delenv("COACH_RETENTION_DAYS", raising=False)


def file_aged(store: PlanStore, days: int) -> str:
    return file_plan(store, TIGHTNESS, None, now=dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).token


def test_purge_deletes_plans_older_than_the_default_180_days(environment, store, capsys):
    old, recent = file_aged(store, 200), file_aged(store, 100)
    assert main(["purge"]) == 0
    assert "deleted 1 plan unchanged for more than 180 days" in capsys.readouterr().out
    assert store.get_plan(old) is None
    assert store.get_plan(recent) is not None


def test_purge_takes_the_retention_from_the_environment(environment, store, monkeypatch, capsys):
    monkeypatch.setenv("COACH_RETENTION_DAYS", "30")
    file_aged(store, 45), file_aged(store, 60), file_aged(store, 5)
    assert main(["purge"]) == 0
    assert "deleted 2 plans unchanged for more than 30 days" in capsys.readouterr().out


def test_purge_days_on_the_command_line_win(environment, store, capsys):
    kept = file_aged(store, 45)
    assert main(["purge", "--days", "50"]) == 0
    assert store.get_plan(kept) is not None
    assert main(["purge", "--days", "40"]) == 0
    assert store.get_plan(kept) is None


def test_purge_refuses_nonsense_days_without_touching_anything(environment, store, capsys):
    kept = file_aged(store, 400)
    assert main(["purge", "--days", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err
    assert store.get_plan(kept) is not None


def test_purge_says_so_when_the_database_is_unreachable(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("COACH_DATABASE_URL", f"sqlite:///{tmp_path}")  # a directory
    monkeypatch.setenv("COACH_SECRET_KEY", SECRET)
    assert main(["purge"]) == 1
    assert "could not purge: the database is unavailable" in capsys.readouterr().err


def test_purge_reports_a_bad_configuration(monkeypatch, capsys):
    monkeypatch.setenv("COACH_SECRET_KEY", "short")
    assert main(["purge"]) == 2
    assert "COACH_SECRET_KEY" in capsys.readouterr().err


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BLUEPRINTS": ("api",)}


def test_purge_also_runs_as_a_flask_command(runner, store):
    old = file_aged(store, 400)
    result = runner.invoke(args=["purge", "--days", "180"], env={
        "COACH_DATABASE_URL": store.database_url, "COACH_SECRET_KEY": SECRET,
    })
    assert result.exit_code == 0, result.output
    assert store.get_plan(old) is None

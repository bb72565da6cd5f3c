"""The service's configuration: sensible defaults, and a clear message for every bad value."""

from __future__ import annotations

import multiprocessing
import os
import stat

import pytest

from plans.config import Config, ConfigError, load_or_create_secret_key

SECRET = "s" * 40


def test_defaults_match_design_section_4(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = Config.from_env({})
    assert config.database_url == "sqlite:///var/coach.sqlite3"
    assert config.base_url == "http://127.0.0.1:8000"
    assert config.alexa_skill_id is None
    assert config.alexa_verify is True
    assert config.port == 8000
    assert config.retention_days == 180
    assert config.bind_host == "127.0.0.1"
    assert config.trusted_proxies == 0


def test_every_setting_is_read_from_the_environment():
    config = Config.from_env({
        "COACH_DATABASE_URL": "postgresql://coach:pw@db.internal:5432/coach",
        "COACH_BASE_URL": "https://coach.example/",
        "COACH_ALEXA_SKILL_ID": "amzn1.ask.skill.1234",
        "COACH_ALEXA_VERIFY": "0",
        "PORT": "9000",
        "COACH_SECRET_KEY": SECRET,
        "COACH_RETENTION_DAYS": "30",
        "COACH_BIND_HOST": "::1",
    })
    assert config.database_url == "postgresql://coach:pw@db.internal:5432/coach"
    assert config.base_url == "https://coach.example"  # no trailing slash: links are base + "/plans/..."
    assert config.alexa_skill_id == "amzn1.ask.skill.1234"
    assert config.alexa_verify is False
    assert config.port == 9000
    assert config.secret_key == SECRET.encode()
    assert config.retention_days == 30
    assert config.bind_host == "::1"


def test_the_number_of_trusted_proxies_is_read_from_the_environment():
    assert Config.from_env({"COACH_SECRET_KEY": SECRET, "COACH_TRUSTED_PROXIES": "2"}).trusted_proxies == 2


@pytest.mark.parametrize(
    ("environ", "base_url"),
    [
        ({"PORT": "9000"}, "http://127.0.0.1:9000"),
        ({"COACH_BIND_HOST": "::1"}, "http://[::1]:8000"),
        ({"COACH_BIND_HOST": "0.0.0.0", "PORT": "8080"}, "http://127.0.0.1:8080"),
        ({"PORT": "9000", "COACH_BASE_URL": "https://coach.example"}, "https://coach.example"),
    ],
)
def test_links_point_at_this_server_until_a_public_base_is_set(environ, base_url):
    assert Config.from_env({"COACH_SECRET_KEY": SECRET, **environ}).base_url == base_url


def test_the_heroku_spelling_of_a_postgres_url_is_accepted():
    config = Config.from_env({"COACH_DATABASE_URL": "postgres://u@h/d", "COACH_SECRET_KEY": SECRET})
    assert config.database_url == "postgresql://u@h/d"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PORT", "eighty", "PORT must be a whole number"),
        ("PORT", "70000", "PORT must be between 1 and 65535"),
        ("COACH_RETENTION_DAYS", "0", "COACH_RETENTION_DAYS must be between"),
        ("COACH_RETENTION_DAYS", "-5", "COACH_RETENTION_DAYS must be between"),
        ("COACH_ALEXA_VERIFY", "maybe", "COACH_ALEXA_VERIFY must be 1 or 0"),
        ("COACH_BASE_URL", "coach.example", "COACH_BASE_URL must be an http:// or https:// URL"),
        ("COACH_BASE_URL", "ftp://coach.example", "COACH_BASE_URL must be an http:// or https:// URL"),
        ("COACH_DATABASE_URL", "mysql://root@db/coach", "COACH_DATABASE_URL must be sqlite"),
        ("COACH_SECRET_KEY", "short", "COACH_SECRET_KEY must be at least 32 characters"),
        ("COACH_BIND_HOST", "my laptop", "COACH_BIND_HOST must be an IP address"),
        ("COACH_TRUSTED_PROXIES", "yes", "COACH_TRUSTED_PROXIES must be a whole number"),
        ("COACH_TRUSTED_PROXIES", "9", "COACH_TRUSTED_PROXIES must be between 0 and 5"),
    ],
)
def test_a_bad_value_is_refused_with_a_message_naming_the_variable(variable, value, message):
    environ = {"COACH_SECRET_KEY": SECRET, variable: value}
    with pytest.raises(ConfigError, match=message):
        Config.from_env(environ)


def test_a_refused_database_url_does_not_echo_its_password():
    with pytest.raises(ConfigError) as raised:
        Config.from_env({"COACH_SECRET_KEY": SECRET, "COACH_DATABASE_URL": "mysql://root:hunter2@db/coach"})
    assert "hunter2" not in str(raised.value)


def test_verification_can_be_turned_off_only_on_loopback():
    with pytest.raises(ConfigError, match="only while the server listens on loopback"):
        Config.from_env({"COACH_SECRET_KEY": SECRET, "COACH_ALEXA_VERIFY": "0", "COACH_BIND_HOST": "0.0.0.0"})
    assert Config.from_env({"COACH_SECRET_KEY": SECRET, "COACH_ALEXA_VERIFY": "off"}).alexa_verify is False


def test_verification_cannot_be_turned_off_behind_a_proxy_even_on_loopback(tmp_path):
    # The deploy guide's proxy forwards the whole internet to a loopback server.
    behind_proxy = {"COACH_SECRET_KEY": SECRET, "COACH_ALEXA_VERIFY": "0", "COACH_TRUSTED_PROXIES": "1"}
    with pytest.raises(ConfigError, match="not allowed behind a proxy"):
        Config.from_env(behind_proxy)

    from exporter import create_app

    hand_made = Config(database_url=f"sqlite:///{tmp_path / 'coach.sqlite3'}", secret_key=SECRET.encode(),
                       alexa_verify=False, trusted_proxies=1)
    with pytest.raises(ConfigError, match="not allowed behind a proxy"):
        create_app({"COACH_CONFIG": hand_made})


def test_without_a_secret_key_one_is_generated_once_into_var_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = Config.from_env({}).secret_key
    second = Config.from_env({}).secret_key
    key_file = tmp_path / "var" / "secret_key"
    assert first == second
    assert len(first) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["secret_key"]  # no temporary left behind


def _read_key(path, queue):
    queue.put(load_or_create_secret_key(path))


def test_workers_starting_together_all_get_the_same_generated_key(tmp_path):
    path = tmp_path / "var" / "secret_key"
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_read_key, args=(path, queue)) for _ in range(6)]
    for worker in workers:
        worker.start()
    keys = {queue.get(timeout=30) for _ in workers}
    for worker in workers:
        worker.join(timeout=30)
    assert len(keys) == 1
    assert keys == {path.read_text().strip().encode()}


def test_a_generated_key_file_that_was_tampered_short_is_refused(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("tiny\n")
    os.chmod(path, 0o600)
    with pytest.raises(ConfigError, match="at least 32 characters"):
        load_or_create_secret_key(path)

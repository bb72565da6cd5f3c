"""The service's configuration: sensible defaults, and a clear message for every bad value."""

from __future__ import annotations

import multiprocessing
import os
import stat

import pytest

from plans.config import Config, ConfigError, load_or_create_secret_key

SECRET = "config-test-secret-key-0123456789-abcdefghij"


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
        ({"COACH_BIND_HOST": "0.0.0.0", "PORT": "8080", "COACH_ALEXA_SKILL_ID": "amzn1.ask.skill.1"},
         "http://127.0.0.1:8080"),
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


@pytest.mark.system
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


# ---- issue 14: what a server reachable by others, and its key, must have -------------------------


@pytest.mark.parametrize("bind_host", ["0.0.0.0", "::", "192.0.2.10"])
def test_a_server_beyond_loopback_with_verification_on_needs_the_skill_id(bind_host):
    # Amazon signs every skill's requests with one certificate: without the id, any skill's
    # signed request would be answered.
    environ = {"COACH_SECRET_KEY": SECRET, "COACH_BIND_HOST": bind_host}
    with pytest.raises(ConfigError, match="COACH_ALEXA_SKILL_ID must be set"):
        Config.from_env(environ)
    named = Config.from_env({**environ, "COACH_ALEXA_SKILL_ID": "amzn1.ask.skill.1234"})
    assert named.alexa_skill_id == "amzn1.ask.skill.1234"


def test_on_loopback_the_skill_id_stays_optional():
    assert Config.from_env({"COACH_SECRET_KEY": SECRET}).alexa_skill_id is None
    assert Config.from_env({"COACH_SECRET_KEY": SECRET, "COACH_BIND_HOST": "::1"}).alexa_skill_id is None


WEAK_KEYS = [
    pytest.param("a" * 32, id="one character 32 times"),
    pytest.param("a" * 200, id="one character 200 times"),
    pytest.param("ab" * 20, id="two characters"),
    pytest.param("0123456789abcdef" * 2, id="a run, twice"),
    pytest.param("correct-horse-battery-staple" * 2, id="a phrase, twice"),
    pytest.param("changeme" * 6, id="changeme"),
    pytest.param("ChangeMe-please-to-a-long-random-value", id="changeme in a sentence"),
    pytest.param("paste-the-generated-key-here-thanks!", id="the deploy guide's placeholder"),
    pytest.param("my-Password-is-very-long-and-safe-1", id="password"),
    pytest.param("abcdefghijklmnopqrstuvwxyz0123456789", id="the alphabet"),
]


@pytest.mark.parametrize("key", WEAK_KEYS)
def test_a_weak_or_placeholder_secret_key_is_refused_without_repeating_it(key):
    with pytest.raises(ConfigError, match="COACH_SECRET_KEY") as raised:
        Config.from_env({"COACH_SECRET_KEY": key})
    assert key not in str(raised.value)


def test_a_weak_generated_key_file_is_refused_too(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("a" * 48 + "\n")
    with pytest.raises(ConfigError, match="too predictable"):
        load_or_create_secret_key(path)


def test_random_keys_of_every_usual_kind_are_accepted():
    import secrets

    for _ in range(200):
        for key in (secrets.token_urlsafe(48), secrets.token_urlsafe(24), secrets.token_hex(32),
                    secrets.token_hex(16)):
            assert Config.from_env({"COACH_SECRET_KEY": key}).secret_key == key.encode()

"""The skill's AWS Lambda package (`make lambda-zip`, scripts/build_lambda_zip.py): what it holds
and leaves out, the import rules it is checked against, its size against Lambda's limits, and the
proof that matters: a fresh Python that sees nothing but the unpacked package answers Alexa and
files a plan, without Flask or reportlab anywhere.

The project-only build needs no network and runs first; the full build installs the
dependencies for Lambda from PyPI (reachable here and in CI), once for this module."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from coach_server import Voice
from lambda_process import LambdaProcess

from plans.store import PlanStore
from tests.samples import TIGHT

pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_lambda_zip.py"
SECRET = "lambda-package-secret-key-0123456789-abcdefghij"
WEB_STACK = ("flask", "werkzeug", "jinja2", "reportlab", "gunicorn", "icalendar")


def load_builder():
    """scripts/build_lambda_zip.py as a module (scripts/ is not a package)."""
    if "build_lambda_zip" not in sys.modules:
        spec = importlib.util.spec_from_file_location("build_lambda_zip", SCRIPT)
        module = importlib.util.module_from_spec(spec)
        sys.modules["build_lambda_zip"] = module  # dataclasses look their module up by name
        spec.loader.exec_module(module)
    return sys.modules["build_lambda_zip"]


def build(output: Path, *options: str) -> str:
    result = subprocess.run([sys.executable, str(SCRIPT), "--output", str(output), *options],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def unpack(archive: Path, into: Path) -> Path:
    with zipfile.ZipFile(archive) as package:
        package.extractall(into)
    return into


def lambda_environment(database_url: str) -> dict[str, str]:
    return {"COACH_SECRET_KEY": SECRET, "COACH_DATABASE_URL": database_url,
            "COACH_BASE_URL": "https://coach.example"}


def migrated(database_url: str) -> str:
    # As deployed: the plan service has migrated the shared database before the skill runs.
    store = PlanStore(database_url, SECRET)
    store.migrate()
    store.close()
    return database_url


@pytest.fixture(scope="module")
def project_zip(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("project") / "lambda.zip"
    build(output, "--skip-dependencies")
    return output


# ---- the project part (no network) ---------------------------------------------------------


def test_the_package_holds_the_skill_the_clinical_core_and_the_store_and_nothing_of_the_web_app(project_zip):
    names = set(zipfile.ZipFile(project_zip).namelist())
    for needed in ("skill/lambda_function.py", "skill/build.py", "skill/persistence.py",
                   "skill/prompts/en_GB.py", "rehab/triage.py", "rehab/programme.py", "plans/config.py",
                   "plans/store.py", "plans/service.py", "plans/state.py", "plans/migrations/env.py",
                   "plans/migrations/alembic.ini",
                   "plans/migrations/versions/0001_plans_codes_skill_state.py"):
        assert needed in names
    for left_out in ("exporter/__init__.py", "exporter/alexa.py", "exporter/app.py", "exporter/pages.py",
                     "exporter/pdf.py", "exporter/ics.py", "exporter/api.py", "exporter/serve.py"):
        assert left_out not in names
    assert not [name for name in names if name.startswith(("interaction_models/", "tests/", "bench/"))]
    assert not [name for name in names if name.split("/")[0].lower() in WEB_STACK]


def test_no_module_in_the_package_imports_the_web_stack_or_a_module_left_out(project_zip):
    builder = load_builder()
    with zipfile.ZipFile(project_zip) as package:
        files = {name: package.read(name) for name in package.namelist() if name.endswith(".py")}
    assert builder.check_project_imports(files) == []


def test_the_import_rules_catch_flask_and_the_web_adapter_but_not_annotations():
    builder = load_builder()
    known = {"skill", "skill.build", "exporter", "exporter.alexa", "plans.store"}
    problems = builder.check_project_imports({
        "skill/build.py": b"def later():\n    import flask\nimport exporter.alexa\n",
        "plans/store.py": b"import typing\nif typing.TYPE_CHECKING:\n    from flask import Flask\n",
        "skill/__init__.py": b"from skill.build import build_skill\n",
    }, known)
    assert problems == [
        "skill/build.py imports flask, which the Lambda package must not contain",
        "skill/build.py imports exporter.alexa, which the Lambda package leaves out",
    ]


def test_the_package_is_the_three_lower_layers_whole_and_nothing_of_the_web_adapter(project_zip):
    with zipfile.ZipFile(project_zip) as package:
        names = set(package.namelist())
    assert not any(name.startswith("exporter/") for name in names)
    for package_name in ("rehab", "plans", "skill"):
        on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / package_name).rglob("*.py")
                   if "__pycache__" not in p.parts}
        assert on_disk <= names
    assert "plans/migrations/alembic.ini" in names


def test_the_same_sources_give_the_same_bytes_sorted_with_fixed_times_and_permissions(project_zip, tmp_path):
    again = tmp_path / "again.zip"
    build(again, "--skip-dependencies")
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(project_zip.read_bytes()).digest()
    entries = zipfile.ZipFile(again).infolist()
    assert [entry.filename for entry in entries] == sorted(entry.filename for entry in entries)
    assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
    assert {(entry.external_attr >> 16) & 0o777 for entry in entries} == {0o644}


def test_the_project_part_alone_answers_a_launch_without_flask_reportlab_or_sqlalchemy(project_zip, tmp_path):
    package = unpack(project_zip, tmp_path / "task")
    database_url = migrated(f"sqlite:///{tmp_path / 'coach.sqlite3'}")
    # Dependencies from this virtualenv, the project only from the package.
    skill = LambdaProcess(package, lambda_environment(database_url),
                          extra_paths=[sysconfig.get_paths()["purelib"]])
    try:
        launch = Voice(skill).launch()
    finally:
        report = skill.finish()
    assert "Welcome to Hamstring Coach" in launch.speech
    assert not {"flask", "reportlab", "sqlalchemy"} & set(report["loaded"])
    assert report["project_files"]
    assert all(Path(path).is_relative_to(package) for path in report["project_files"])


# ---- the whole package, dependencies included (PyPI) --------------------------------------


@pytest.fixture(scope="module")
def lambda_package(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("lambda")
    output = workdir / "lambda.zip"
    printed = build(output)
    return output, printed, unpack(output, workdir / "task")


def test_the_full_package_reports_its_size_within_lambdas_limits_with_no_web_stack(lambda_package):
    archive, printed, unpacked = lambda_package
    zipped = archive.stat().st_size
    with zipfile.ZipFile(archive) as package:
        entries = package.infolist()
    unzipped = sum(entry.file_size for entry in entries)
    assert zipped < 50 * 1024 * 1024 and unzipped < 250 * 1024 * 1024
    assert re.search(rf"{zipped / 2**20:.1f} MB zipped, {unzipped / 2**20:.1f} MB unzipped", printed), printed
    tops = {entry.filename.split("/")[0] for entry in entries}
    for needed in ("ask_sdk_core", "pydantic", "pydantic_core", "sqlalchemy", "alembic", "psycopg",
                   "psycopg_binary", "cryptography", "certifi", "tzdata", "skill", "rehab", "plans"):
        assert needed in tops
    assert not {top.split("-")[0].lower() for top in tops} & set(WEB_STACK)
    assert "bin" not in tops
    # Built for Lambda's Python 3.11 on x86_64, not for whatever machine ran the build.
    binaries = [entry.filename for entry in entries if entry.filename.endswith(".so")]
    assert binaries and all("x86_64" in name or "abi3" in name or "cpython-311" in name for name in binaries)


@pytest.mark.each_database
def test_the_packaged_skill_alone_creates_the_schema_holds_a_whole_conversation_and_files_the_plan(
        lambda_package, database_url):
    _, _, package = lambda_package
    # A database nobody has migrated yet: the package's own Alembic and migrations create it.
    skill = LambdaProcess(package, lambda_environment(database_url))
    voice = Voice(skill, user_id="amzn1.ask.account.LAMBDAPACKAGE")
    try:
        assert "Welcome to Hamstring Coach" in voice.launch().speech
        filed = voice.answer_until_the_end(TIGHT)
    finally:
        report = skill.finish()

    assert "Your plan is ready" in filed.speech
    token = re.search(r"/plans/([A-Za-z0-9_-]+)", filed.card_text).group(1)
    store = PlanStore(database_url, SECRET)
    try:
        assert store.get_plan(token).assessment.category == "tightness"
    finally:
        store.close()

    assert report["importable"] == {"flask": False, "reportlab": False}
    assert not set(WEB_STACK) & set(report["loaded"])
    from_the_package = ["sqlalchemy", "alembic", "pydantic", "cryptography", "ask_sdk_core", "plans.store"]
    if database_url.startswith("postgresql"):
        from_the_package.append("psycopg")
    for module in from_the_package:
        assert Path(report["loaded"][module]).is_relative_to(package), module
    assert all(Path(path).is_relative_to(package) for path in report["project_files"])

"""The clinical core stays pure: no web framework, voice SDK, PDF, calendar or database library, and
the questions load without pydantic so the Alexa Lambda's first answer stays quick."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

REHAB = Path(__file__).resolve().parents[2] / "rehab"
ADAPTER_LIBRARIES = {"flask", "ask_sdk", "ask_sdk_core", "ask_sdk_model", "reportlab", "icalendar",
                     "sqlalchemy", "werkzeug", "alembic", "psycopg"}
MODULES = sorted(f"rehab.{p.stem}" for p in REHAB.glob("*.py") if p.stem != "__init__")


def _imported_top_level_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _modules_loaded_by(statement: str) -> set[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REHAB.parent, capture_output=True, text=True,
                          check=True)
    return {name.split(".")[0] for name in json.loads(done.stdout)}


def test_no_rehab_file_imports_an_adapter_library():
    for path in REHAB.glob("*.py"):
        assert not _imported_top_level_names(path) & ADAPTER_LIBRARIES, path.name


@pytest.mark.parametrize("module", MODULES)
def test_importing_a_rehab_module_loads_no_adapter_library(module):
    loaded = _modules_loaded_by(f"import {module}")

    assert module.split(".")[0] in loaded
    assert not loaded & ADAPTER_LIBRARIES


def test_the_whole_core_runs_without_loading_an_adapter_library():
    loaded = _modules_loaded_by(
        "import datetime as dt\n"
        "from rehab.models import Answers, Preferences\n"
        "from rehab.triage import assess\n"
        "from rehab.programme import build_programme\n"
        "from rehab.sources import sources_report\n"
        "a = Answers(location='back_of_thigh', onset='gradual', pain_score=2)\n"
        "build_programme(a, assess(a), Preferences(start_date=dt.date(2026, 3, 2)))\n"
        "sources_report()"
    )

    assert "pydantic" in loaded  # the check can see a library when one is loaded
    assert not loaded & ADAPTER_LIBRARIES


def test_the_questions_load_without_pydantic():
    assert "pydantic" not in _imported_top_level_names(REHAB / "questions.py")
    assert "pydantic" not in _imported_top_level_names(REHAB / "rules.py")
    loaded = _modules_loaded_by("from rehab.questions import next_question\nnext_question({})")

    assert "pydantic" not in loaded
    assert "rehab" in loaded

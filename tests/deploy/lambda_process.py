"""A Lambda container, near enough: a fresh Python that sees nothing but an unpacked deployment
package (`python -I -S`: no site-packages, no PYTHONPATH, no current directory), imports
`skill.lambda_function` once and calls `handler(event, None)` for each event it is sent, one JSON
line in, one JSON line out. At the end it reports which modules it loaded and from where.

`extra_paths` adds directories after the package (the project-only package borrows this
virtualenv's site-packages for its dependencies; .pth files there are not run, so the repository
itself stays out of reach).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

CHILD = r"""
import json, sys
sys.path[:0] = json.loads(sys.argv[1])
from skill.lambda_function import handler

for line in sys.stdin:
    event = json.loads(line)
    try:
        reply = {"response": handler(event, None)}
    except Exception as error:
        reply = {"error": f"{type(error).__name__}: {error}"}
    print(json.dumps(reply), flush=True)

def origin(name):
    module = sys.modules.get(name)
    return getattr(module, "__file__", None) if module is not None else None

import importlib.util
watched = ["flask", "werkzeug", "reportlab", "icalendar", "segno", "gunicorn", "sqlalchemy", "alembic",
           "pydantic", "psycopg", "cryptography", "ask_sdk_core", "plans.store", "skill.build"]
print(json.dumps({
    "loaded": {name: origin(name) for name in watched if name in sys.modules},
    "importable": {name: importlib.util.find_spec(name) is not None for name in ("flask", "reportlab")},
    "project_files": sorted({m.__file__ for name, m in list(sys.modules.items())
                             if name.split(".")[0] in ("skill", "rehab", "exporter")
                             and getattr(m, "__file__", None)}),
}), flush=True)
"""


class LambdaProcess:
    def __init__(self, package: Path, environment: Mapping[str, str], *, extra_paths: Sequence[str] = ()):
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("COACH_", "PYTHON"))}
        env.update(environment)
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", CHILD, json.dumps([str(package), *extra_paths])],
            cwd=package, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        self.report: dict[str, Any] | None = None

    def alexa(self, event: dict[str, Any]) -> dict[str, Any]:
        self.process.stdin.write(json.dumps(event) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(f"the Lambda process died:\n{self.process.stderr.read()}")
        reply = json.loads(line)
        if "error" in reply:
            raise AssertionError(f"handler raised {reply['error']}")
        return reply["response"]

    def finish(self) -> dict[str, Any]:
        out, err = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, err
        self.report = json.loads(out.strip().splitlines()[-1])
        return self.report

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

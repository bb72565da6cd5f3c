"""`make lambda-zip`: the skill's AWS Lambda deployment package, build/lambda.zip.

What goes in, and why:
- the packages `rehab`, `plans` (with its Alembic migrations) and `skill`, whole
  (`skill.lambda_function.handler` is the Lambda handler). Not `exporter`, the web adapter: the
  skill never renders a plan, and the layer contract keeps every import of Flask or `exporter`
  out of these three packages;
- the dependencies, built for Lambda's Python 3.11 on x86_64 (manylinux2014 wheels only, so no
  compiler runs and every binary suits Lambda's Amazon Linux): ask-sdk-core, pydantic,
  sqlalchemy, alembic, psycopg[binary], cryptography, certifi, tzdata. Versions are those of
  this virtualenv when it has them, so the package ships what the tests ran against;
- bytecode compiled ahead (unchecked-hash .pyc files), when this interpreter is a 3.11: Lambda's
  /var/task is read-only, so without them every cold start would compile every module again.

Then it checks what it built: nothing from Flask, Werkzeug, reportlab or gunicorn; every project
import resolvable inside the package; under Lambda's limits (50 MB zipped, 250 MB unzipped). The
zip is reproducible: entries sorted, timestamps fixed (SOURCE_DATE_EPOCH when set), permissions
fixed, so the same inputs give the same bytes.

    python scripts/build_lambda_zip.py [--output build/lambda.zip] [--skip-dependencies]

`--skip-dependencies` builds and checks the project part alone, without PyPI (for quick tests).
"""

from __future__ import annotations

import argparse
import ast
import compileall
import datetime as dt
import importlib.metadata
import os
import py_compile
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "build" / "lambda.zip"

LAMBDA_PYTHON = "3.11"
LAMBDA_PLATFORM = "manylinux2014_x86_64"
# Where Lambda unpacks the package: the file names compiled into the bytecode, so a traceback on
# Lambda points at real paths (and the bytes do not depend on this machine's build directory).
LAMBDA_TASK_ROOT = "/var/task"
MAX_ZIPPED_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 250 * 1024 * 1024

DEPENDENCIES = (
    "ask-sdk-core", "pydantic", "sqlalchemy", "alembic", "psycopg[binary]", "cryptography", "certifi",
    "tzdata",
    "segno",  # the plan's QR code on an Echo Show's outcome screen (skill.apl.avg), pure Python
)
# Top-level names that must never be in the package nor imported by its project part: the web
# stack, the PDF and calendar renderers, the server.
FORBIDDEN = frozenset({"flask", "werkzeug", "jinja2", "click", "itsdangerous", "reportlab", "gunicorn",
                       "icalendar"})
# The packages the Lambda runs: the skill and the layers below it. The layer contract
# (import-linter, pyproject.toml) keeps Flask and the web adapter out of them, so nothing needs a
# hand-kept list of files to leave out; the check below still refuses a forbidden import.
PACKAGES = ("rehab", "plans", "skill")
# Every package of the repository, to tell a project module the package leaves out from an attribute.
PROJECT_PACKAGES = ("rehab", "plans", "skill", "exporter")
# Alembic reads these beside the migration scripts.
MIGRATION_DATA = (".ini", ".mako")


class BuildError(RuntimeError):
    pass


@dataclass
class Package:
    files: dict[str, bytes] = field(default_factory=dict)  # archive name -> content

    def add_tree(self, source: Path, prefix: str = "") -> None:
        for path in sorted(source.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                self.files[prefix + path.relative_to(source).as_posix()] = path.read_bytes()

    @property
    def unzipped_bytes(self) -> int:
        return sum(len(content) for content in self.files.values())


# ---- the project part ---------------------------------------------------------------------


def project_files(root: Path = ROOT) -> dict[str, bytes]:
    """Archive name -> content for every project file the Lambda needs."""
    chosen: dict[str, bytes] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            if path.suffix == ".py" or (path.suffix in MIGRATION_DATA and "migrations" in path.parts):
                chosen[path.relative_to(root).as_posix()] = path.read_bytes()
    return chosen


def imports_of(source: bytes, name: str) -> list[tuple[str, bool]]:
    """(imported module, at module level?) for every import in a file, leaving out those under
    `if TYPE_CHECKING:` (annotations only, never run)."""
    tree = ast.parse(source, filename=name)
    package = name.rsplit("/", 1)[0].replace("/", ".") if "/" in name else ""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, top_level: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for other in child.orelse:
                    visit(other, top_level)
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, top_level) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                module = child.module or ""
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    module = ".".join([*base, module] if module else base)
                found.append((module, top_level))
                # `from skill import conversation` imports the module skill.conversation too.
                found.extend((f"{module}.{alias.name}", top_level) for alias in child.names)
            inner = top_level and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            visit(child, inner)

    visit(tree, True)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def module_names(files: Iterable[str]) -> set[str]:
    names = set()
    for name in files:
        if name.endswith(".py"):
            dotted = name[:-3].replace("/", ".")
            names.add(dotted[: -len(".__init__")] if dotted.endswith(".__init__") else dotted)
    return names


def repository_modules(root: Path = ROOT) -> set[str]:
    return module_names(path.relative_to(root).as_posix()
                        for package in PROJECT_PACKAGES for path in (root / package).rglob("*.py"))


def check_project_imports(files: dict[str, bytes], known: set[str] | None = None) -> list[str]:
    """Problems with the project part: a forbidden import anywhere, or an import of a project
    module the package leaves out. `known`
    is every module the repository has (names that are not among them are attributes, as in
    `from skill.handlers.base import VISIT`)."""
    known = repository_modules() if known is None else known
    problems = []
    shipped = module_names(files)
    for name, source in sorted(files.items()):
        if not name.endswith(".py"):
            continue
        for module, _top_level in imports_of(source, name):
            top = module.split(".")[0]
            if top in FORBIDDEN:
                problems.append(f"{name} imports {module}, which the Lambda package must not contain")
            elif module in known and module not in shipped:
                problems.append(f"{name} imports {module}, which the Lambda package leaves out")
    return problems


# ---- the dependencies ---------------------------------------------------------------------


def pinned(requirement: str) -> str:
    """The requirement at this virtualenv's version, when it has one."""
    name = re.split(r"[\[<>=!~;]", requirement, maxsplit=1)[0]
    try:
        return f"{requirement}=={importlib.metadata.version(name)}"
    except importlib.metadata.PackageNotFoundError:
        return requirement


def install_dependencies(target: Path) -> None:
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--disable-pip-version-check",
        "--target", str(target), "--platform", LAMBDA_PLATFORM, "--implementation", "cp",
        "--python-version", LAMBDA_PYTHON, "--only-binary=:all:", "--upgrade",
        *(pinned(requirement) for requirement in DEPENDENCIES),
    ]
    print("installing for Lambda:", " ".join(pinned(requirement) for requirement in DEPENDENCIES), flush=True)
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError(f"pip could not install the dependencies for {LAMBDA_PLATFORM}:\n{result.stderr}")
    # Console scripts have no use on Lambda and carry this machine's interpreter path.
    shutil.rmtree(target / "bin", ignore_errors=True)
    for cache in list(target.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)


def check_dependencies(files: Iterable[str]) -> list[str]:
    tops = {name.split("/", 1)[0] for name in files}
    found = {top.split("-")[0].lower() for top in tops} & FORBIDDEN
    return [f"the package contains {name}, which the skill must not need" for name in sorted(found)]


# ---- bytecode, archive, checks ------------------------------------------------------------


def compile_bytecode(staging: Path) -> bool:
    if f"{sys.version_info.major}.{sys.version_info.minor}" != LAMBDA_PYTHON:
        print(f"note: no bytecode compiled (this is Python {sys.version.split()[0]}, Lambda runs "
              f"{LAMBDA_PYTHON}); Lambda will compile on every cold start", file=sys.stderr)
        return False
    ok = compileall.compile_dir(
        str(staging), quiet=2, ddir=LAMBDA_TASK_ROOT, workers=1,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        # Test suites and templates inside dependencies may hold syntax for other versions.
        rx=re.compile(r"/(tests?|testing)/|/mako/|/alembic/templates/"),
    )
    if not ok:
        raise BuildError("some modules did not compile")
    return True


def fixed_timestamp() -> tuple[int, int, int, int, int, int]:
    earliest = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the earliest time a zip entry can hold
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = max(dt.datetime.fromtimestamp(int(epoch), dt.UTC), earliest) if epoch else earliest
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def write_zip(package: Package, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    stamp = fixed_timestamp()
    temporary = output.with_name(output.name + ".partial")
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(package.files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so Lambda reads the permission bits below
            # Readable by Lambda's runtime user, whoever built it; shared libraries executable.
            mode = 0o755 if name.endswith(".so") or ".so." in name else 0o644
            info.external_attr = (0o100000 | mode) << 16
            archive.writestr(info, package.files[name])
    temporary.replace(output)


def check_limits(zipped: int, unzipped: int) -> list[str]:
    problems = []
    if zipped >= MAX_ZIPPED_BYTES:
        problems.append(f"{megabytes(zipped)} zipped is over Lambda's limit of {megabytes(MAX_ZIPPED_BYTES)}")
    if unzipped >= MAX_UNZIPPED_BYTES:
        problems.append(f"{megabytes(unzipped)} unzipped is over Lambda's limit of "
                        f"{megabytes(MAX_UNZIPPED_BYTES)}")
    return problems


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def build(output: Path, *, with_dependencies: bool = True) -> Package:
    project = project_files()
    problems = check_project_imports(project)
    if problems:
        raise BuildError("the project part breaks the Lambda's import rules:\n  " + "\n  ".join(problems))

    with tempfile.TemporaryDirectory(prefix="coach-lambda-") as scratch:
        staging = Path(scratch) / "package"
        staging.mkdir()
        if with_dependencies:
            install_dependencies(staging)
        for name, content in project.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        compiled = compile_bytecode(staging)
        package = Package()
        package.add_tree(staging)
        if compiled:  # add_tree skips bytecode; take the compiled files explicitly
            for path in sorted(staging.rglob("*.pyc")):
                package.files[path.relative_to(staging).as_posix()] = path.read_bytes()

    problems = check_dependencies(package.files)
    write_zip(package, output)
    zipped = output.stat().st_size
    problems += check_limits(zipped, package.unzipped_bytes)
    scope = "project part only, no dependencies" if not with_dependencies else "with dependencies"
    print(f"{output}: {megabytes(zipped)} zipped, {megabytes(package.unzipped_bytes)} unzipped, "
          f"{len(package.files)} files ({scope}); Lambda allows {megabytes(MAX_ZIPPED_BYTES)} zipped and "
          f"{megabytes(MAX_UNZIPPED_BYTES)} unzipped")
    if problems:
        output.unlink()
        raise BuildError("\n".join(problems))
    return package


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_lambda_zip.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the zip")
    parser.add_argument("--skip-dependencies", action="store_true",
                        help="the project part alone (no PyPI): for checking the import rules quickly")
    args = parser.parse_args(argv)
    try:
        build(args.output.resolve(), with_dependencies=not args.skip_dependencies)
    except BuildError as error:
        print(f"lambda package not built: {error}", file=sys.stderr)
        return 1
    print("handler: skill.lambda_function.handler   runtime: python3.11   architecture: x86_64")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Set up and run Prachum on a fresh machine that has only Python 3.11+.

    python3 dev.py serve   # install, compile translations, fetch front-end packages, migrate, load the demo, serve
    python3 dev.py test    # install, compile translations, run the whole test suite (extra args go to pytest)
    python3 dev.py prepare # only install, compile translations and fetch front-end packages

Both are idempotent: the virtualenv in .venv is reused and reinstalled only when pyproject.toml changes.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args: str, env: dict | None = None) -> None:
    """Run a command in the project directory; stop with its exit code if it fails."""
    result = subprocess.run(args, cwd=ROOT, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_environment() -> None:
    """Create .venv and install the project with its test tools when pyproject.toml changed."""
    if sys.version_info < (3, 11):
        sys.exit("Prachum needs Python 3.11 or newer")
    if not PYTHON.exists():
        print("creating virtual environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamp = VENV / ".prachum-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        print("installing dependencies …", flush=True)
        run(str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]")
        stamp.write_text(digest)
    catalogs = list((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))
    if any(not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
           for po in catalogs):
        run(str(PYTHON), "-m", "babel.messages.frontend", "compile", "-d", "translations")
    run(str(PYTHON), str(ROOT / "tools" / "frontend.py"))  # front-end packages from npm, served by the app


def flask(*args: str) -> None:
    """Run a flask CLI command against the app."""
    run(str(PYTHON), "-m", "flask", "--app", "app", *args)


def serve() -> None:
    """Migrate the SQLite database, load the demo and serve http://127.0.0.1:5000."""
    ensure_environment()
    flask("db", "upgrade")
    flask("demo", "load")
    flask("search", "reindex")
    print("Prachum: http://127.0.0.1:5000  (demo accounts are listed in README.md)", flush=True)
    os.chdir(ROOT)
    os.execv(str(PYTHON), [str(PYTHON), "-m", "flask", "--app", "app", "run", "--host", "127.0.0.1", "--port", "5000"])


def test(pytest_args: list[str]) -> None:
    """Run the whole test suite (TEST_DATABASE_URL selects PostgreSQL; default SQLite)."""
    ensure_environment()
    run(str(PYTHON), "-m", "pytest", *pytest_args)


def main() -> None:
    command, *rest = sys.argv[1:] or ["serve"]
    if command == "serve":
        serve()
    elif command == "test":
        test(rest)
    elif command == "prepare":
        ensure_environment()
    elif command == "setup":
        ensure_environment()
        flask("db", "upgrade")
        flask("demo", "load")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

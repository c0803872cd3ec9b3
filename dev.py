#!/usr/bin/env python3
"""Set up and run sclerocell from a fresh clone, with nothing installed but Python.

    python3 dev.py demo     create .venv, install the locked dependencies, migrate the embedded
                            SQLite database, load the synthetic demo trial and serve it on
                            http://127.0.0.1:8000
    python3 dev.py test     the same environment, then lint, type-check and run the whole test
                            suite on SQLite and on PostgreSQL (DATABASE_URL or 127.0.0.1:5432)
    python3 dev.py lock     re-resolve requirements.lock from pyproject.toml (maintainers)

This file only uses the standard library so that it runs on any Python 3 found on the machine;
the project itself needs Python >= 3.12 (Django 6), which it looks for on PATH.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".lock-sha256"
MIN_PYTHON = (3, 12)
DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)  # noqa: S603
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def find_python() -> str:
    """The first interpreter >= 3.12: this one, else python3.14 … python3.12 on PATH."""
    if sys.version_info >= MIN_PYTHON:
        return sys.executable
    for name in ("python3.14", "python3.13", "python3.12"):
        path = shutil.which(name)
        if path is None:
            continue
        probe = subprocess.run(  # noqa: S603
            [path, "-c", "import sys; print(sys.version_info >= (3, 12))"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.stdout.strip() == "True":
            return path
    sys.exit(
        "sclerocell needs Python >= 3.12 (Django 6); found only "
        f"{sys.version.split()[0]}. Install python3.12 or newer and run this again."
    )


def venv_bin(name: str) -> Path:
    return VENV / "bin" / name


def ensure_environment() -> None:
    """Create .venv and install exactly the locked dependencies (hash-checked), once per lock."""
    digest = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == digest:
        return
    if not venv_bin("python").exists():
        run(find_python(), "-m", "venv", VENV)
    python = venv_bin("python")
    run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(python, "-m", "pip", "install", "--quiet", "--require-hashes", "--no-deps", "-r", LOCK)
    run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", ".")
    run(python, "-m", "pip", "check")
    STAMP.write_text(digest + "\n")


def sclerocell(*args: str, env: dict[str, str] | None = None) -> None:
    run(venv_bin("sclerocell"), *args, env=env)


def demo(extra: list[str]) -> None:
    ensure_environment()
    sclerocell("compile-messages")
    sclerocell("migrate")
    sclerocell("demo", "--reset-if-exists")
    sclerocell("serve", *extra)


def test(extra: list[str]) -> None:
    """Lint, type-check, then the suite on SQLite and PostgreSQL; PostgreSQL is never skipped.

    The passes run side by side, as separate processes on the machine's two cores: on SQLite,
    the functional core and the web application (two processes); on PostgreSQL, the web
    application again. The output of the first is shown as it runs, the others' after it.
    SCLEROCELL_TEST_SERIAL=1 runs them one after the other. Arguments go to pytest (one SQLite
    process, then the PostgreSQL pass).
    """
    ensure_environment()
    sclerocell("compile-messages")
    run(venv_bin("ruff"), "check", "src", "tests", "bench", "dev.py")
    run(venv_bin("ruff"), "format", "--check", "src", "tests", "bench", "dev.py")
    run(venv_bin("mypy"))
    pytest = [str(venv_bin("pytest")), "-p", "no:cacheprovider", "--durations=10"]
    sqlite_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    pg_env = dict(os.environ)
    pg_env.setdefault("DATABASE_URL", DEFAULT_TEST_DATABASE_URL)
    pg_env["SCLEROCELL_REQUIRE_POSTGRES"] = "1"
    # The functional core does not touch the database: only the shell's tests run again (the
    # browser tests check the interface, which does not depend on the engine).
    pg = ("PostgreSQL", [*pytest, "-m", "not browser", "tests/web", *extra], pg_env)
    if extra:
        passes = [("SQLite", [*pytest, *extra], sqlite_env), pg]
    else:
        passes = [
            ("SQLite, web application", [*pytest, "tests/web"], sqlite_env),
            ("SQLite, functional core", [*pytest, "tests/core"], sqlite_env),
            pg,
        ]
    if os.environ.get("SCLEROCELL_TEST_SERIAL") == "1":
        codes = [subprocess.run(c, cwd=ROOT, env=e, check=False).returncode for _, c, e in passes]  # noqa: S603
    else:
        codes = _side_by_side(passes)
    if any(codes):
        summary = "; ".join(
            f"{label} pass: exit {code}" for (label, _, _), code in zip(passes, codes, strict=True)
        )
        print(summary, flush=True)
        sys.exit(next(code for code in codes if code))


def _side_by_side(passes: list[tuple[str, list[str], dict[str, str]]]) -> list[int]:
    """The first pass in the foreground, the others alongside with their output kept and
    printed after it; their exit codes in order."""
    (label, command, env), *others = passes
    with contextlib.ExitStack() as stack:
        started = []
        for other_label, other_command, other_env in others:
            log = stack.enter_context(tempfile.TemporaryFile())
            print("+", " ".join(other_command), f"({other_label}, alongside)", flush=True)
            process = subprocess.Popen(  # noqa: S603
                other_command, cwd=ROOT, env=other_env, stdout=log, stderr=log
            )
            started.append((other_label, process, log))
        print("+", " ".join(command), f"({label})", flush=True)
        try:
            first = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode  # noqa: S603
        except BaseException:
            for _, process, _ in started:
                process.kill()
            raise
        codes = [first]
        for other_label, process, log in started:
            codes.append(process.wait())
            log.seek(0)
            print(f"\n--- {other_label} pass ---", flush=True)
            sys.stdout.buffer.write(log.read())
            sys.stdout.flush()
    return codes


def lock(_: list[str]) -> None:
    ensure_environment()
    run(venv_bin("python"), "-m", "pip", "install", "--quiet", "uv")
    run(
        venv_bin("uv"), "pip", "compile", "pyproject.toml", "--group", "dev",
        "--python-version", "3.12", "--generate-hashes", "--upgrade", "-o", LOCK,
    )  # fmt: skip


COMMANDS = {"demo": demo, "test": test, "lock": lock}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])

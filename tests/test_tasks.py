"""``tasks.py`` picks the browser for the browser tests: REGLAB_CHROMIUM, then Debian's
chromium, then Playwright's own; a bad REGLAB_CHROMIUM is one clear line."""

import subprocess
import sys

import pytest

from conftest import ROOT, tasks


def test_reglab_chromium_comes_first(tmp_path, monkeypatch):
    browser = tmp_path / "my-chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    monkeypatch.setenv("REGLAB_CHROMIUM", str(browser))
    assert tasks.chromium() == str(browser)


def test_then_debians_chromium_then_playwrights(monkeypatch):
    monkeypatch.delenv("REGLAB_CHROMIUM", raising=False)
    monkeypatch.setattr(tasks.shutil, "which", lambda name: "/usr/bin/chromium")
    assert tasks.chromium() == "/usr/bin/chromium"
    monkeypatch.setattr(tasks.shutil, "which", lambda name: None)
    monkeypatch.setattr(tasks, "playwright_chromium", lambda: "/opt/ms-playwright/chrome")
    assert tasks.chromium() == "/opt/ms-playwright/chrome"


@pytest.mark.parametrize(
    "value", ["/no/such/chromium", str(ROOT / "README.md")], ids=["missing", "not-executable"]
)
def test_a_bad_reglab_chromium_stops_with_one_line(value):
    script = f"import sys; sys.path.insert(0, {str(ROOT)!r}); import tasks; tasks.chromium()"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env={"REGLAB_CHROMIUM": value}
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"tasks: REGLAB_CHROMIUM={value!r} is not an executable file"

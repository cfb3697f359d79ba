"""The command line answers bad settings with one line, not a traceback."""

import os
import subprocess
import sys


def run_cli(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "reglab", *args], capture_output=True, text=True, env={**os.environ, **env}
    )


def test_cache_info_reports_the_cache(tmp_path):
    result = run_cli("cache-info", REGLAB_CACHE_DIR=str(tmp_path))
    assert result.returncode == 0 and "0 runs" in result.stdout


def test_unwritable_cache_is_one_clear_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run_cli("cache-info", REGLAB_CACHE_DIR=str(blocker / "cache"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "REGLAB_CACHE_DIR" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_command_is_rejected_by_argparse():
    result = run_cli("train-everything")
    assert result.returncode == 2 and "invalid choice" in result.stderr

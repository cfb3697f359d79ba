"""The lab is a package: it installs with ``pip install`` from the repository into a fresh
environment, carries its version, its type marker and its data, and pins the libraries
requirements.txt pins."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import venv

from conftest import ROOT

_JUNK = shutil.ignore_patterns("__pycache__", ".ruff_cache")


def _requirements() -> dict[str, str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return dict(line.strip().split("==", 1) for line in lines if "==" in line and not line.startswith("#"))


def test_the_package_pins_what_requirements_txt_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = _requirements()
    for dependency in project["dependencies"]:
        name, version = dependency.split("==")
        assert pinned.get(name) == version, name


def test_the_lab_installs_into_a_fresh_environment(tmp_path):
    source = tmp_path / "source"  # a copy: setuptools writes build/ beside what it builds
    shutil.copytree(ROOT / "snippets" / "reglab", source / "snippets" / "reglab", ignore=_JUNK)
    shutil.copy(ROOT / "pyproject.toml", source)
    wheels = tmp_path / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet"]
    subprocess.run([*build, "-w", str(wheels), str(source)], check=True, cwd=tmp_path)
    (wheel,) = wheels.glob("reglab-*.whl")
    env = tmp_path / "env"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet"]
    subprocess.run([*install, str(wheel)], check=True, cwd=tmp_path)
    probe = (
        "import pathlib, reglab, reglab.config as c; from importlib import metadata;"
        "root = pathlib.Path(reglab.__file__).parent;"
        "print(reglab.__version__, metadata.version('reglab'), (root / 'py.typed').is_file(),"
        " (root / 'files' / 'mnist10k.npz').is_file(), (root / 'prose.py').is_file())"
    )
    shown = subprocess.run(
        [str(python), "-c", probe], check=True, capture_output=True, text=True, cwd=tmp_path
    )
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert shown.stdout.split() == [version, version, "True", "True", "True"]

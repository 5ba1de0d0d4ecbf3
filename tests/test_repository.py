"""The repository keeps its promises: pinned requirements, CI runs make test,
workflows are least-privilege and pin actions by commit SHA."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_every_requirement_is_pinned():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+\-]+", line), line


def test_ci_entry_point_runs_make_test():
    script = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", script, re.M)


def test_make_help_lists_every_target():
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    for target in ["book", "html", "pdf", "serve", "test", "clean"]:
        assert re.search(rf"make {target}\s+\S", out), target


def test_readme_shows_the_two_commands_first():
    readme = (ROOT / "README.md").read_text()
    first_block = readme[readme.index("```sh"):]
    assert first_block.index("make book") < first_block.index("make test") < 200


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_least_privilege_and_pins_actions(path):
    text = path.read_text()
    workflow = yaml.safe_load(text)
    assert "permissions" in workflow, "declare top-level permissions"
    assert "concurrency" in workflow
    for match in re.finditer(r"uses:\s*(\S+)(.*)", text):
        action, comment = match.groups()
        if action.startswith("./"):
            continue
        assert re.search(r"@[0-9a-f]{40}$", action), f"{action}: pin by commit SHA"
        assert re.search(r"#\s*v\d", comment), f"{action}: add '# vX.Y.Z'"


def test_make_copies_the_pdfs_into_the_website_through_the_products_contract():
    for target in ("html", "pdf"):
        plan = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout
        assert "-m bookext.products install _build/html" in plan, target
    plan = subprocess.run(["make", "-n", "pdf"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout
    assert "-m bookext.products pdf" in plan

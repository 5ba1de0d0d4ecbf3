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


def codeowners() -> dict[str, list[str]]:
    rules = {}
    for line in (ROOT / ".github" / "CODEOWNERS").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *owners = line.split()
            rules[pattern] = owners
    return rules


def test_codeowners_are_teams_of_the_organisation_and_guard_the_clinical_content():
    rules = codeowners()
    assert rules, ".github/CODEOWNERS has no rules"
    for pattern, owners in rules.items():
        assert owners and all(re.fullmatch(r"@baclofen-book/[a-z-]+", o) for o in owners), \
            f"{pattern}: owners must be teams (@baclofen-book/team), not people"
    for clinical in ("/docs/", "/docs/_data/facts.yml", "/references.bib"):
        assert "@baclofen-book/clinical-editors" in rules[clinical], clinical
    assert rules["*"] == ["@baclofen-book/maintainers"]
    contributing = (ROOT / "CONTRIBUTING.md").read_text()
    assert "clinical-editors" in contributing and "New team" in contributing


def test_workflows_read_the_edition_record_with_the_projects_own_tool():
    release = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    pages = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    assert "awk" not in release and "tools/editions.py notes" in release
    assert "tools/editions.py list" in release
    # The editions are built from their recorded commits: the full history, no tag trigger.
    on = pages[True] if True in pages else pages["on"]   # YAML reads a bare `on` as True
    assert "tags" not in on["push"]
    checkout = pages["jobs"]["build"]["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0

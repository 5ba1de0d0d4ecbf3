"""Released editions: record them, list them, build them side by side, write their notes.

    python tools/editions.py build [--root .] [--out _build/editions] [--no-pdf]
    python tools/editions.py prepare X.Y [--date YYYY-MM-DD]   # then review and commit
    python tools/editions.py record X.Y [--commit SHA] [--no-commit]
    python tools/editions.py list                # version, commit, date; newest first
    python tools/editions.py notes X.Y           # the edition's CHANGELOG section
    python tools/editions.py assets X.Y SRC OUT  # release files of an edition built in SRC

The record is CHANGELOG.md (see bookext/edition.py): each released edition's section
names the commit it was built from. ``record`` writes that line for the commit that
released the edition (HEAD by default) and commits CHANGELOG.md. ``build`` builds every
recorded edition from its own commit (``git archive``: no tags, no checkout needed)
into ``OUT/vX.Y/`` (website, PDF and handouts), and the working tree into
``OUT/latest/`` as the development version. ``OUT/switcher.json`` lists them for the
theme's version switcher, the newest edition marked ``"preferred"``, and
``OUT/index.html`` sends readers to it. The site is served under the path of
``BOOK_SITE_URL`` (``/`` when it is not set; ``/<repository>/`` on GitHub Pages).
The pattern large Sphinx projects use: plain sphinx-build per edition, one switcher
file outside the editions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bookext import edition, products  # noqa: E402

LATEST = products.LATEST


def tree_name(version: str) -> str:
    return f"v{version}"


def run(cmd, cwd, env=None):
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"editions: {' '.join(map(str, cmd))} failed in {cwd}:\n"
                 f"{result.stdout[-4000:]}{result.stderr[-4000:]}")
    return result.stdout


def recorded(root: Path) -> list[edition.Released]:
    """Released editions with their commits, oldest first; an unrecorded one is an error."""
    editions = edition.record(root / "CHANGELOG.md")
    missing = [e.version for e in editions if not e.commit]
    if missing:
        sys.exit(f"CHANGELOG.md: edition(s) {', '.join(missing)} name no commit — run "
                 f"'python tools/editions.py record {missing[0]} --commit <full SHA>'")
    return list(reversed(editions))


def export(root: Path, commit: str, dest: Path) -> Path:
    proc = subprocess.run(["git", "archive", "--format=tar", commit], cwd=root,
                          capture_output=True)
    if proc.returncode != 0:
        sys.exit(f"editions: commit {commit} is not in this clone ({proc.stderr.decode().strip()})"
                 " — fetch the full history (git fetch --unshallow; in GitHub Actions, "
                 "actions/checkout with fetch-depth: 0)")
    with tarfile.open(fileobj=BytesIO(proc.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def build(src: Path, out: Path, version: str | None, switcher: str, pdf: bool,
          epoch: str | None = None) -> None:
    """The PDFs first (the Downloads page lists their sizes), then the website."""
    env = dict(os.environ, BOOK_SWITCHER_JSON=switcher, BOOK_TREE=f"{out.name}/",
               BOOK_BASE_URL=products.base_path())   # read by editions 0.1 and 0.2's conf.py
    if epoch:   # an edition's files are stamped with its commit's time: the same bytes every time
        env["SOURCE_DATE_EPOCH"] = epoch
    env.pop("BOOK_EDITION", None)
    if version:
        env["BOOK_EDITION"] = version
    opts = ["-W", "--keep-going", "-q"]
    with tempfile.TemporaryDirectory() as work:
        # Where the sources' own conf.py looks for the PDFs' sizes: _build/pdf from edition
        # 0.3 (Chromium), _build/latex before (XeLaTeX).
        latex = src / (products.PDF_DIR if products.chromium_route(src) else products.LATEX_DIR)
        if pdf:
            try:
                products.build_pdfs(src, latex, opts, Path(work) / "doctrees-pdf", env,
                                    quiet=True, html_dir=Path(work) / "html")
            except products.ProductError as error:
                sys.exit(f"editions: {out.name}: {error}")
        run([sys.executable, "-m", "sphinx", "-b", "html", "-c", str(src), *opts,
             "-d", f"{work}/doctrees", str(src / "docs"), str(out)], src, env)
    if pdf:
        for name, path in products.website_files(latex).items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, out / name)


def build_all(root: Path, out: Path, pdf: bool) -> None:
    base = products.base_path()
    switcher = f"{base}switcher.json"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    editions = recorded(root)
    entries = [{"name": f"development ({LATEST})", "version": "dev", "url": f"{base}{LATEST}/"}]
    with tempfile.TemporaryDirectory() as tmp:
        for released in editions:
            tree = tree_name(released.version)
            print(f"editions: building {tree} from commit {released.commit[:12]}")
            src = export(root, released.commit, Path(tmp) / tree)
            epoch = run(["git", "log", "-1", "--format=%ct", released.commit], root).strip()
            build(src, out / tree, released.version, switcher, pdf, epoch)
            entries.append({"name": f"edition {released.version}",
                            "version": released.version, "url": f"{base}{tree}/"})
    print(f"editions: building the development version into {LATEST}/")
    build(root, out / LATEST, None, switcher, pdf)   # its PDFs are those of `make pdf`

    if editions:
        newest = entries[-1]
        newest["preferred"] = True
        newest["name"] += " (newest)"
    # Newest first, as readers expect in a menu.
    ordered = [entries[0], *reversed(entries[1:])]
    (out / "switcher.json").write_text(json.dumps(ordered, indent=2) + "\n")
    if (out / LATEST / "404.html").exists():  # GitHub Pages serves /404.html for any tree
        shutil.copy(out / LATEST / "404.html", out / "404.html")
    target = f"{tree_name(editions[-1].version)}/" if editions else f"{LATEST}/"
    (out / "index.html").write_text(
        f'<!DOCTYPE html><meta charset="utf-8"><title>Baclofen Clinical Book</title>'
        f'<meta http-equiv="refresh" content="0; url={target}">'
        f'<a href="{target}">Go to the newest edition</a>\n')
    print(f"editions: {len(editions)} edition(s) and {LATEST}/ in {out}")


def prepare(root: Path, version: str, date: str) -> None:
    """Step 1 of a release, in the working tree: the Unreleased section becomes the edition's
    section (a fresh Unreleased section above it), and CITATION.cff names the edition."""
    changelog, cff = root / "CHANGELOG.md", root / "CITATION.cff"
    text = changelog.read_text(encoding="utf-8")
    if edition.UNRELEASED not in text:
        sys.exit(f"CHANGELOG.md: no '{edition.UNRELEASED}' section to release")
    if f"## [{version}] - " in text:
        sys.exit(f"CHANGELOG.md: edition {version} already has a section")
    fresh = (f"{edition.UNRELEASED}\n\n### Clinical changes\n\n"
             f"- None yet after edition {version}.\n\n## [{version}] - {date}")
    changelog.write_text(text.replace(edition.UNRELEASED, fresh, 1), encoding="utf-8")
    lines = cff.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("version:"):
            lines[i] = f'version: "{version}"\n'
        elif line.startswith("date-released:"):
            lines[i] = f'date-released: "{date}"\n'
    cff.write_text("".join(lines), encoding="utf-8")
    print(f"editions: CHANGELOG.md and CITATION.cff name edition {version} ({date}). Read the "
          f"section (clinical changes first), commit both, then run: "
          f"python tools/editions.py record {version}")


def record(root: Path, version: str, commit: str | None, git_commit: bool) -> None:
    """Write 'Built from commit ...' under the edition's CHANGELOG heading (and commit it)."""
    commit = run(["git", "rev-parse", "--verify", f"{commit or 'HEAD'}^{{commit}}"], root).strip()
    changelog = root / "CHANGELOG.md"
    # The recorded commit must itself be that edition: its CHANGELOG has the section and
    # its CITATION.cff names the version.
    at_commit = run(["git", "show", f"{commit}:CHANGELOG.md"], root)
    if not edition.RELEASE_HEADING.search(at_commit) or f"## [{version}] - " not in at_commit:
        sys.exit(f"CHANGELOG.md at {commit[:12]} has no section '## [{version}] - YYYY-MM-DD': "
                 f"rename '## [Unreleased]' to it, commit, then record")
    cff = run(["git", "show", f"{commit}:CITATION.cff"], root)
    if f'version: "{version}"' not in cff:
        sys.exit(f'CITATION.cff at {commit[:12]}: set version: "{version}" and date-released, '
                 f"commit, then record")
    if git_commit and run(["git", "status", "--porcelain", "--", "CHANGELOG.md"], root).strip():
        sys.exit("CHANGELOG.md has uncommitted changes: commit them first")
    try:
        changelog.write_text(edition.with_commit(changelog.read_text(encoding="utf-8"),
                                                 version, commit), encoding="utf-8")
    except edition.EditionError as error:
        sys.exit(str(error))
    print(f"editions: edition {version} recorded as commit {commit}")
    if git_commit:
        run(["git", "commit", "-q", "-m", f"Record edition {version}: built from {commit[:12]}",
             "--", "CHANGELOG.md"], root)
        print("editions: committed CHANGELOG.md; push it, and the Pages and release "
              "workflows publish the edition")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build every recorded edition and latest/")
    b.add_argument("--out", type=Path, default=Path("_build/editions"))
    b.add_argument("--no-pdf", action="store_true")
    pr = sub.add_parser("prepare", help="turn [Unreleased] into edition X.Y, in CHANGELOG.md "
                                        "and CITATION.cff (then commit, then record)")
    pr.add_argument("version")
    pr.add_argument("--date", default=dt.date.today().isoformat(), help="YYYY-MM-DD")
    r = sub.add_parser("record", help="record the commit an edition was released from")
    r.add_argument("version")
    r.add_argument("--commit", help="the edition's commit (default: HEAD)")
    r.add_argument("--no-commit", action="store_true", help="write CHANGELOG.md, do not commit")
    sub.add_parser("list", help="recorded editions: version, commit, date (newest first)")
    n = sub.add_parser("notes", help="an edition's CHANGELOG section, for its release")
    n.add_argument("version")
    a = sub.add_parser("assets", help="copy a built edition's PDF and EPUB under their "
                                      "release names into OUT; print their paths")
    a.add_argument("version")
    a.add_argument("src", type=Path, help="the edition's built source tree")
    a.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "build":
        build_all(root, args.out.resolve(), not args.no_pdf)
    elif args.command == "prepare":
        prepare(root, args.version, args.date)
    elif args.command == "record":
        record(root, args.version, args.commit, not args.no_commit)
    elif args.command == "list":
        for released in reversed(recorded(root)):
            print(released.version, released.commit, released.date)
    elif args.command == "assets":
        args.out.mkdir(parents=True, exist_ok=True)
        for path, name in products.release_files(args.version).items():
            if not (args.src / path).exists():
                sys.exit(f"editions: {args.src / path} is missing — run 'make pdf epub' there")
            shutil.copy2(args.src / path, args.out / name)
            print(args.out / name)
    else:
        found = [e for e in edition.record(root / "CHANGELOG.md") if e.version == args.version]
        if not found:
            sys.exit(f"CHANGELOG.md: no section '## [{args.version}] - YYYY-MM-DD'")
        sys.stdout.write(found[0].notes)


if __name__ == "__main__":
    main()

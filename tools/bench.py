"""`make bench`: how fast the book builds, how heavy its pages are, how well search works.

Everything is measured in one run on this machine, on two copies of the working tree:

- **book**: the book as configured;
- **defaults**: the same sources and extensions with the theme's defaults, i.e. without
  the page-weight, search and build-speed work (bookext.features.assets, bookext.features.search,
  bookext.patches.citationlist, bookext.patches.bibcache, our templates and static files, theme options).
  Ratios are book / defaults.

Figures: clean HTML build, one-chapter rebuild (after touching one chapter), no-change
rebuild: median of --runs runs, and per page. PDFs (the book's only; the stock route
is LaTeX, not compared): every PDF as `make pdf` builds them in Chromium, median of
--pdf-runs runs (at least two), and whether the last two runs gave the same bytes or the
same document (tools/pdfsame.py).
Page weight of a chapter on a cold load in Chromium (requests, bytes as a gzip-serving
host sends them, time to the load event). Search in Chromium: time from page load and
from typing to the first result, top-3 hits on tests/search_queries.yml.

Scale: the book (1x) and a synthetic book five times larger (tools/synthetic.py: the
clinical chapters copied with fresh labels and keys), clean build and one-chapter rebuild,
serial and with -j 2, wall and CPU time and peak memory (--scale-runs, --scale-only).

Writes _build/bench/bench.json, bench.md, scale.json and scale.md. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bookext import products  # noqa: E402  (names of the PDFs, the LaTeX recipe)
sys.path.insert(0, str(ROOT / "tools"))
import synthetic  # noqa: E402  (the 5x book)

OUT = ROOT / "_build" / "bench"
CHAPTER = "withdrawal"
EPOCH = "1790000000"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
OURS = ("bookext.features.assets", "bookext.features.search", "bookext.patches.citationlist", "bookext.patches.bibcache",
        "bookext.patches.bibindex", "bookext.patches.templatecache")
DEFAULTS_CONF = f"""

# -- make bench: the same stack with the theme's defaults ----------------------------
extensions = [e for e in extensions if e not in {OURS!r}]
templates_path = []
html_static_path = []
html_css_files = []
html_sidebars = {{}}
html_theme_options = {{}}
html_use_opensearch = ""
"""
# Served compressed by every static host the book may use; fonts and images are not.
GZIPPED = {".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".map", ""}


def copy_tree(dest: Path, defaults: bool) -> Path:
    ignore = shutil.ignore_patterns(".git", ".venv", "_build", "test-results", "__pycache__",
                                    ".pytest_cache")
    shutil.copytree(ROOT, dest, ignore=ignore)
    if defaults:
        with open(dest / "conf.py", "a", encoding="utf-8") as conf:
            conf.write(DEFAULTS_CONF)
    return dest


def sphinx(project: Path, builder: str, out: Path, strict: bool) -> float:
    cmd = [sys.executable, "-m", "sphinx", "-q", "-b", builder, "-c", str(project),
           "-d", str(out.parent / f"doctrees-{builder}"), str(project / "docs"), str(out)]
    if strict:
        cmd[4:4] = ["-W", "--keep-going", "-n"]
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"sphinx-build failed in {project}:\n{proc.stderr[-3000:]}")
    return elapsed


def html_timings(project: Path, runs: int, strict: bool) -> dict:
    clean, chapter, nochange = [], [], []
    out = project / "_build" / "html"
    for _ in range(runs):
        shutil.rmtree(project / "_build", ignore_errors=True)
        clean.append(sphinx(project, "html", out, strict))
        (project / "docs" / f"{CHAPTER}.md").touch()
        chapter.append(sphinx(project, "html", out, strict))
        nochange.append(sphinx(project, "html", out, strict))
    pages = len(list(out.rglob("*.html")))
    result = {"pages": pages}
    for name, values in (("clean", clean), ("one_chapter", chapter), ("no_change", nochange)):
        median = statistics.median(values)
        result[name] = {"median_s": round(median, 2), "runs_s": [round(v, 2) for v in values],
                        "per_page_ms": round(1000 * median / pages, 1)}
    return result


def pdf_figures(project: Path, runs: int) -> dict:
    """Every PDF the site serves, as `make pdf` builds them (print pages, Chromium, card,
    pdfcheck): median time of ``runs`` builds (at least two), pages, and how the last two
    builds compare — byte-identical, or the same document (tools/pdfsame.py)."""
    import pdfsame
    times, outputs = [], []
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    for run in range(max(runs, 2)):
        out = project / "_build" / f"pdf-run{run}"
        start = time.perf_counter()
        products.build_pdfs(project, pdf_dir=out, env=env, quiet=True)
        times.append(time.perf_counter() - start)
        outputs.append(out)
    first, last = sorted(outputs[-2].glob("*.pdf")), outputs[-1]
    pages = sum(int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True).stdout.splitlines()
        if line.startswith("Pages:"))) for pdf in first)
    identical = [pdf.name for pdf in first if pdf.read_bytes() == (last / pdf.name).read_bytes()]
    same = [pdf.name for pdf in first if not pdfsame.differences(pdf, last / pdf.name)]
    median = statistics.median(times)
    return {"median_s": round(median, 2), "runs_s": [round(t, 2) for t in times],
            "pdfs": len(first), "pdf_pages": pages,
            "per_pdf_page_ms": round(1000 * median / pages, 1),
            "byte_identical": len(identical), "same_document": len(same)}


# sphinx-build that also reports its peak memory (its own, or its -j workers', if larger).
PEAK = ("import resource, sys\nfrom sphinx.cmd.build import main\nrc = main(sys.argv[1:])\n"
        "use = resource.getrusage\nprint('BENCH-MAXRSS-KIB', max(use(resource.RUSAGE_SELF).ru_maxrss,"
        " use(resource.RUSAGE_CHILDREN).ru_maxrss), file=sys.stderr)\nsys.exit(rc)\n")


def measured_build(project: Path, jobs: int) -> dict:
    """One strict HTML build: wall time, CPU time (steadier on a busy machine), peak memory."""
    out = project / "_build" / "html"
    cmd = [sys.executable, "-c", PEAK, "-q", "-b", "html", "-c", str(project), "-W",
           "--keep-going", "-n", "-j", str(jobs), "-d", str(project / "_build" / "doctrees"),
           str(project / "docs"), str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True,
                          env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"sphinx-build failed in {project}:\n{proc.stderr[-3000:]}")
    peak = int(proc.stderr.split("BENCH-MAXRSS-KIB")[1].split()[0])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "peak_mib": peak / 1024}


def scale_figures(tmp: Path, runs: int, factors=(1, 5), jobs=(1, 2)) -> dict:
    """Clean build and one-chapter rebuild of the book at 1x and of a synthetic 5x book
    (tools/synthetic.py), serial and with -j 2: medians of `runs` runs, peak memory."""
    figures = {}
    for factor in factors:
        project = synthetic.make(tmp / f"scale-{factor}x", factor)
        for j in jobs:
            clean, rebuild = [], []
            for _ in range(runs):
                shutil.rmtree(project / "_build", ignore_errors=True)
                clean.append(measured_build(project, j))
                (project / "docs" / f"{CHAPTER}.md").touch()
                rebuild.append(measured_build(project, j))
            pages = len(list((project / "_build" / "html").rglob("*.html")))
            figures[f"{factor}x -j {j}"] = {
                "factor": factor, "jobs": j, "pages": pages,
                **{f"{name}_{key}": round(statistics.median(r[key] for r in runs_), 2)
                   for name, runs_ in (("clean", clean), ("rebuild", rebuild))
                   for key in ("wall_s", "cpu_s")},
                "peak_mib": round(max(r["peak_mib"] for r in clean + rebuild), 1)}
    return figures


def scale_markdown(figures: dict) -> str:
    rows = ["| book | pages | clean build: wall / CPU (s) | one-chapter rebuild: wall / CPU (s) "
            "| peak memory (MiB) |", "|---|---:|---:|---:|---:|"]
    for name, f in figures.items():
        rows.append(f"| {name} | {f['pages']} | {f['clean_wall_s']} / {f['clean_cpu_s']} | "
                    f"{f['rebuild_wall_s']} / {f['rebuild_cpu_s']} | {f['peak_mib']} |")
    one, five = figures.get("1x -j 1"), figures.get("5x -j 1")
    if one and five:
        rows.append(f"\nGrowth 1x -> 5x (serial, CPU): clean build "
                    f"x{ratio(five['clean_cpu_s'], one['clean_cpu_s'])}, one-chapter rebuild "
                    f"x{ratio(five['rebuild_cpu_s'], one['rebuild_cpu_s'])}, peak memory "
                    f"x{ratio(five['peak_mib'], one['peak_mib'])} (linear: at most x5).")
    return "\n".join(rows) + "\n"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def transfer_size(url_path: str, body: bytes) -> int:
    suffix = Path(url_path.split("?")[0]).suffix
    return len(gzip.compress(body, 6)) if suffix in GZIPPED else len(body)


def page_weight(browser, base: str, page_path: str, loads: int = 3) -> dict:
    """Cold load (new context, empty cache) of one page; median of `loads` loads."""
    samples = []
    for _ in range(loads):
        context = browser.new_context()
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(f"{base}/{page_path}", wait_until="load")
        page.wait_for_timeout(300)  # late requests (fonts, deferred scripts)
        timing = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])")
        files = []
        for response in responses:
            path = response.url.split("://", 1)[-1].split("/", 1)[-1]
            try:
                body = response.body()
            except Exception:  # a redirect or a failed request has no body
                body = b""
            files.append({"url": "/" + path, "raw": len(body),
                          "gzip": transfer_size(path, body)})
        nav = json.loads(timing)
        samples.append({"requests": len(files), "raw_bytes": sum(f["raw"] for f in files),
                        "gzip_bytes": sum(f["gzip"] for f in files),
                        "load_ms": round(nav["loadEventEnd"], 1),
                        "dom_content_loaded_ms": round(nav["domContentLoadedEventEnd"], 1),
                        "files": sorted(files, key=lambda f: -f["gzip"])})
        context.close()
    best = sorted(samples, key=lambda s: s["load_ms"])[len(samples) // 2]
    return best


def search_figures(browser, base: str) -> dict:
    queries = yaml.safe_load((ROOT / "tests" / "search_queries.yml").read_text())["queries"]
    context = browser.new_context()
    page = context.new_page()
    start = time.perf_counter()
    page.goto(f"{base}/search.html?q=withdrawl")
    page.wait_for_selector("#book-search-results li")
    load_to_result_ms = (time.perf_counter() - start) * 1000
    # Typing: time from the input event to the rendered results, per query.
    typing = page.evaluate("""(qs) => qs.map(q => {
        const input = document.getElementById('book-search-input');
        input.value = q;
        const t = performance.now();
        input.dispatchEvent(new Event('input'));
        return performance.now() - t; })""", list(queries))
    tops = page.evaluate("(qs) => qs.map(q => bookSearch.search(q).slice(0, 3).map(r => r.page))",
                         list(queries))
    context.close()
    misses = {q: {"expected": exp, "top3": top}
              for (q, exp), top in zip(queries.items(), tops) if exp not in top}
    return {"queries": len(queries), "top3_hits": len(queries) - len(misses),
            "top3_rate": round((len(queries) - len(misses)) / len(queries), 3),
            "misses": misses,
            "page_load_to_first_result_ms": round(load_to_result_ms, 1),
            "typing_to_results_ms": {"median": round(statistics.median(typing), 2),
                                     "max": round(max(typing), 2),
                                     "slowest": sorted(zip(typing, queries),
                                                       reverse=True)[:3]}}


def browser_figures(book_html: Path, defaults_html: Path) -> dict:
    from playwright.sync_api import sync_playwright
    figures = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, site in (("book", book_html), ("defaults", defaults_html)):
            server, base = serve(site)
            try:
                figures[name] = {"chapter": page_weight(browser, base, f"{CHAPTER}.html"),
                                 "landing": page_weight(browser, base, "index.html")}
                if name == "book":
                    figures["search"] = search_figures(browser, base)
            finally:
                server.shutdown()
        browser.close()
    return figures


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("nan")


def markdown(report: dict) -> str:
    b, d = report["build"]["book"], report["build"]["defaults"]
    rows = ["| figure | book | theme defaults | ratio |", "|---|---:|---:|---:|"]
    for key, label in (("clean", "clean HTML build"), ("one_chapter", "one-chapter rebuild"),
                       ("no_change", "no-change rebuild")):
        rows.append(f"| {label} (median s; ms per page) | {b[key]['median_s']} s; "
                    f"{b[key]['per_page_ms']} | {d[key]['median_s']} s; {d[key]['per_page_ms']} | "
                    f"{ratio(b[key]['median_s'], d[key]['median_s'])} |")
    if "pdf" in report["build"]:
        pb = report["build"]["pdf"]
        rows.append(f"| all {pb['pdfs']} PDFs, Chromium (median s; {pb['pdf_pages']} pages) | "
                    f"{pb['median_s']} s | (LaTeX route, not compared) | |")
        rows.append(f"| PDFs rebuilt: byte-identical / same document | {pb['byte_identical']} / "
                    f"{pb['same_document']} of {pb['pdfs']} | | |")
    w = report["browser"]
    for page in ("chapter", "landing"):
        ob, od = w["book"][page], w["defaults"][page]
        rows.append(f"| {page} page, cold load: KiB gzip | {ob['gzip_bytes'] / 1024:.0f} | "
                    f"{od['gzip_bytes'] / 1024:.0f} | {ratio(ob['gzip_bytes'], od['gzip_bytes'])} |")
        rows.append(f"| {page} page: requests | {ob['requests']} | {od['requests']} | "
                    f"{ratio(ob['requests'], od['requests'])} |")
        rows.append(f"| {page} page: load event (ms) | {ob['load_ms']} | {od['load_ms']} | "
                    f"{ratio(ob['load_ms'], od['load_ms'])} |")
    s = w["search"]
    rows += ["", "| search (Chromium) | value |", "|---|---:|",
             f"| top-3 hits on tests/search_queries.yml | {s['top3_hits']}/{s['queries']} "
             f"({100 * s['top3_rate']:.0f}%) |",
             f"| page load to first result (ms) | {s['page_load_to_first_result_ms']} |",
             f"| typing to results, median / max (ms) | {s['typing_to_results_ms']['median']} / "
             f"{s['typing_to_results_ms']['max']} |"]
    m = report["machine"]
    head = (f"Measured {report['date']} on {m['system']}, {m['cpus']} cores, Python "
            f"{m['python']}, {report['runs']} runs (median).")
    return head + "\n\n" + "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each HTML build")
    parser.add_argument("--pdf-runs", type=int, default=2,
                        help="runs of the PDFs, at least 2 (0: skip)")
    parser.add_argument("--scale-runs", type=int, default=1,
                        help="runs of each 1x/5x scale build (0: skip)")
    parser.add_argument("--scale-only", action="store_true",
                        help="only the 1x/5x scale figures (writes scale.json, scale.md)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.scale_only or args.scale_runs:
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
            scale = scale_figures(Path(tmp), max(args.scale_runs, 1))
        report = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                  "machine": {"system": f"{platform.system()} {platform.release()}",
                              "cpus": os.cpu_count(), "python": platform.python_version(),
                              "load_average": os.getloadavg()},
                  "scale": scale}
        (OUT / "scale.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        table = scale_markdown(scale)
        (OUT / "scale.md").write_text(table, encoding="utf-8")
        print(table)
        if args.scale_only:
            return
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        book = copy_tree(Path(tmp) / "book", defaults=False)
        defaults = copy_tree(Path(tmp) / "defaults", defaults=True)
        build = {"book": html_timings(book, args.runs, strict=True),
                 "defaults": html_timings(defaults, args.runs, strict=False)}
        if args.pdf_runs:
            build["pdf"] = pdf_figures(book, args.pdf_runs)
        browser = browser_figures(book / "_build" / "html", defaults / "_build" / "html")
    report = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "machine": {"system": f"{platform.system()} {platform.release()}",
                          "cpus": os.cpu_count(), "python": platform.python_version()},
              "runs": args.runs, "build": build, "browser": browser}
    (OUT / "bench.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    table = markdown(report)
    (OUT / "bench.md").write_text(table, encoding="utf-8")
    print(table)
    print(f"Written: {OUT / 'bench.json'}, {OUT / 'bench.md'}")


if __name__ == "__main__":
    main()

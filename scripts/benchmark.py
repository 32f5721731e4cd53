"""Measure how fast coursesmith builds, against the targets we commit to, and write the figures as JSON.

    .venv/bin/python scripts/benchmark.py                         # default courses + 10/100/1000 pages
    .venv/bin/python scripts/benchmark.py --sizes 10,100 --runs 2 --json bench.json

Every measurement runs the real command (`python -m builder ...`) in its own process, `--runs`
times (pairs by default; the median is reported), and records wall time, CPU time (the process and
every worker it waited for), peak memory (the whole process tree, sampled) and the load average, so
figures from a shared machine can be judged. Per course: `check`, a cold SCORM-only build and a
cold full build (fresh output folder and cache), a warm no-change rebuild, a one-page edit rebuilt
SCORM-only and in full, and the floor: WeasyPrint alone rendering the same handout HTML, split over
the same number of processes as the build. Exits 1 when a target is missed. The tests never time
anything: speed is judged here.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from generate_course import generate  # noqa: E402

DEFAULT_COURSES = sorted(p.parent for p in (REPO / "courses").glob("*/course.yaml"))
SOURCE_DATE_EPOCH = "1767225600"   # 2026-01-01: the same dates, so the same bytes, in every run

# Targets (seconds unless said otherwise). "default" applies to each default course; the
# generated 1000-page course has its own. Ratios are wall time of the full build over the floor's.
TARGETS = {
    "version_seconds": 0.15,
    "default": {"check": 0.5, "scorm_cold": 1.0, "full_over_floor": 1.25,
                "rebuild_no_change": 0.3, "edit_scorm": 0.5, "edit_full": 3.0},
    "generated-1000": {"scorm_cold": 3.0, "full_over_floor": 1.25, "rebuild_no_change": 0.3,
                       "edit_scorm": 0.5, "edit_full": 3.0,
                       "peak_rss_mb_scorm": 300, "peak_rss_mb_full": 1024},
    "per_page_spread": 0.20,       # marginal cost per page, 10->100 against 100->1000 pages
}


@dataclass
class Run:
    wall: float
    cpu: float
    peak_rss_mb: float       # the process tree at its largest (sampled every 20 ms)
    load: float              # 1-minute load average when the run ended
    status: int


def run_command(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """Run argv and measure it: wall, CPU of the process and its reaped children, tree RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.wait(0.02):
            peak[0] = max(peak[0], _tree_rss(process.pid))
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0,):
        sys.stderr.write(stderr.decode(errors="replace")[-2000:])
    peak_kb = max(peak[0], usage.ru_maxrss)
    return Run(round(wall, 3), round(usage.ru_utime + usage.ru_stime, 3), round(peak_kb / 1024, 1),
               round(os.getloadavg()[0], 2), process.returncode)


def _tree_rss(pid: int) -> int:
    """KiB resident in pid and its descendants, now."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total


def summary(runs: list[Run]) -> dict:
    return {"wall": statistics.median(r.wall for r in runs), "cpu": statistics.median(r.cpu for r in runs),
            "peak_rss_mb": max(r.peak_rss_mb for r in runs), "load": statistics.median(r.load for r in runs),
            "ok": all(r.status == 0 for r in runs), "runs": [asdict(r) for r in runs]}


def coursesmith(*args: str) -> list[str]:
    return [sys.executable, "-m", "builder", *args]


class Bench:
    def __init__(self, runs: int, jobs: int | None, scratch: Path, full_up_to: float = float("inf")):
        self.runs, self.jobs, self.scratch, self.full_up_to = runs, jobs, scratch, full_up_to
        self.env = _environment()

    def jobs_args(self) -> list[str]:
        return [] if self.jobs is None else ["--jobs", str(self.jobs)]

    def repeat(self, prepare, argv: list[str], env: dict | None = None) -> dict:
        """Median of `runs` runs of argv, each after `prepare()` (which sets the state to measure)."""
        runs = []
        for _ in range(self.runs):
            prepare()
            runs.append(run_command(argv, env or self.env))
        return summary(runs)

    def course(self, source: Path, name: str) -> dict:
        course = self.scratch / name / "course"
        if course.exists():
            shutil.rmtree(course.parent)
        shutil.copytree(source, course)
        out, cache = self.scratch / name / "dist", self.scratch / name / "cache"
        env = dict(self.env, XDG_CACHE_HOME=str(cache))

        def cold():
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)

        def nothing():
            pass

        page = sorted(course.glob("modules/*/*.md"))[0]
        original = page.read_text(encoding="utf-8")
        edits = iter(range(1, 1000))

        def edit_one_page():
            page.write_text(original + f"\nOne more sentence, edit {next(edits)}.\n", encoding="utf-8")

        build = ["build", str(course), "--out", str(out), "-q", *self.jobs_args()]
        pages = _course_pages(course)
        pdf = pages <= self.full_up_to
        full = build if pdf else [*build, "--no-pdf"]
        result = {"pages_in_course": pages, "check": self.repeat(nothing, coursesmith("check", str(course)), env)}
        result["scorm_cold"] = self.repeat(cold, coursesmith(*build, "--no-pdf"), env)
        if pdf:
            result["full_cold"] = self.repeat(cold, coursesmith(*build), env)
        result["rebuild_no_change"] = self.repeat(nothing, coursesmith(*full), env)
        result["edit_scorm"] = self.repeat(edit_one_page, coursesmith(*build, "--no-pdf"), env)
        if pdf:
            result["edit_full"] = self.repeat(edit_one_page, coursesmith(*build), env)
        page.write_text(original, encoding="utf-8")
        result["sizes_bytes"] = {p.name: p.stat().st_size for p in sorted(out.glob("*/*")) if p.is_file()}
        if not pdf:
            result["pdf"] = f"not measured: more than --full-up-to {self.full_up_to} pages"
            return result
        result["pdf_pages"] = sum(_pdf_pages(p) for p in sorted(out.glob("*/*.pdf")))
        result["floor"] = self.floor(course)
        result["full_over_floor"] = {
            "wall": round(result["full_cold"]["wall"] / result["floor"]["wall"], 3),
            "cpu": round(result["full_cold"]["cpu"] / result["floor"]["cpu"], 3)}
        result["pdf_pages_per_second"] = round(result["pdf_pages"] / result["full_cold"]["wall"], 2)
        return result

    def floor(self, course: Path) -> dict:
        """WeasyPrint alone on the handout HTML the build renders, over the build's number of processes."""
        folder = self.scratch / "floor"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        subprocess.run([sys.executable, __file__, "--write-floor-inputs", str(course), str(folder)],
                       env=self.env, check=True)
        inputs = sorted(folder.glob("*.json"), key=lambda p: -p.stat().st_size)
        processes = max(1, min(len(inputs), self.jobs or 1))
        shares, loads = [[] for _ in range(processes)], [0] * processes
        for path in inputs:            # largest first, each to the least loaded process
            lightest = loads.index(min(loads))
            shares[lightest].append(str(path))
            loads[lightest] += path.stat().st_size
        argv = [sys.executable, "-c", _FLOOR_PARALLEL, *(",".join(share) for share in shares)]
        return self.repeat(lambda: None, argv)


# N processes, each rendering its share of editions with WeasyPrint and nothing else.
_FLOOR_PARALLEL = """
import subprocess, sys
code = '''
import json, sys
from weasyprint import CSS, HTML
for path in sys.argv[1].split(","):
    job = json.load(open(path))
    sheets = [CSS(string=job["theme_css"], base_url=job["templates_url"]), CSS(filename=job["print_css"])]
    HTML(string=job["html"], base_url=job["course_url"]).write_pdf(stylesheets=sheets, pdf_variant="pdf/ua-1")
'''
workers = [subprocess.Popen([sys.executable, "-c", code, share]) for share in sys.argv[1:]]
sys.exit(max(worker.wait() for worker in workers))
"""


def write_floor_inputs(course_dir: Path, folder: Path) -> None:
    """The exact HTML and CSS each PDF document is rendered from (each edition is printed in
    parts: its front matter and each module, builder/handout/merge.py), one JSON file per document."""
    from builder.handout.render import handout_sources, printed_html
    from builder.load import load_course
    from builder.paths import templates_dir
    from builder.sourcedate import source_date

    course = load_course(course_dir)
    for edition in course.handout.editions:
        sources = handout_sources(course, edition, source_date=source_date(course.source_dir))
        for index, html in enumerate(printed_html(sources)):
            job = {"html": html, "theme_css": sources.theme_css,
                   "templates_url": (templates_dir() / "handout").resolve().as_uri() + "/",
                   "print_css": str(templates_dir() / "handout" / "print.css"),
                   "course_url": course.source_dir.resolve().as_uri() + "/"}
            (folder / f"{edition}-{index:04d}.json").write_text(json.dumps(job), encoding="utf-8")


def _course_pages(course_dir: Path) -> int:
    return len(list(course_dir.glob("modules/*/*.md")))


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader
    return len(PdfReader(path).pages)


# Which figure each target is judged on: (step, figure of that step).
_JUDGED_ON = {
    "check": ("check", "wall"), "scorm_cold": ("scorm_cold", "wall"), "full_over_floor": ("full_over_floor", "wall"),
    "rebuild_no_change": ("rebuild_no_change", "wall"), "edit_scorm": ("edit_scorm", "wall"),
    "edit_full": ("edit_full", "wall"), "peak_rss_mb_scorm": ("scorm_cold", "peak_rss_mb"),
    "peak_rss_mb_full": ("full_cold", "peak_rss_mb"),
}


def verdicts(results: dict) -> list[dict]:
    """Each target against its figure: name, figure, target, met (None: not measured in this run)."""
    found = [_verdict("coursesmith --version", results["version"]["wall"], TARGETS["version_seconds"])]
    for name, course in results["courses"].items():
        targets = TARGETS["generated-1000"] if name == "generated-1000" else (
            TARGETS["default"] if not name.startswith("generated-") else {})
        for key, target in targets.items():
            step, figure = _JUDGED_ON[key]
            found.append(_verdict(f"{name}: {key}", course[step][figure] if step in course else None, target))
    marginal = list(results.get("cost_per_page", {}).get("marginal_full_seconds", {}).values())
    spread = round(abs(marginal[1] - marginal[0]) / marginal[0], 3) if len(marginal) == 2 and marginal[0] else None
    found.append(_verdict("full build cost per page, 10-100 vs 100-1000", spread, TARGETS["per_page_spread"]))
    return found


def _verdict(name: str, figure: float | None, target: float) -> dict:
    return {"name": name, "figure": figure, "target": target, "met": None if figure is None else figure <= target}


def cost_per_page(courses: dict) -> dict:
    """Seconds per page of the full and SCORM-only builds, and the marginal cost between sizes
    (what one more page costs, free of the fixed start-up)."""
    sizes = sorted((c["pages_in_course"], c) for name, c in courses.items() if name.startswith("generated-"))
    found = {"full_seconds": {}, "scorm_seconds": {}, "marginal_full_seconds": {}}
    for pages, course in sizes:
        if "full_cold" in course:
            found["full_seconds"][pages] = round(course["full_cold"]["wall"] / pages, 4)
        found["scorm_seconds"][pages] = round(course["scorm_cold"]["wall"] / pages, 4)
    sizes = [(pages, course) for pages, course in sizes if "full_cold" in course]
    for (small, a), (large, b) in zip(sizes, sizes[1:]):
        found["marginal_full_seconds"][f"{small}-{large}"] = round(
            (b["full_cold"]["wall"] - a["full_cold"]["wall"]) / (large - small), 4)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="generated course sizes in pages, comma-separated ('' for none)")
    parser.add_argument("--no-default-courses", action="store_true", help="only the generated courses")
    parser.add_argument("--runs", type=int, default=2, help="runs per measurement (median reported)")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs N to the build (default: the build's own)")
    parser.add_argument("--full-up-to", type=int, default=10**9, metavar="PAGES",
                        help="build PDFs only for courses of at most PAGES pages (a 1000-page handout takes long)")
    parser.add_argument("--json", type=Path, default=Path("benchmark.json"), help="where to write the figures")
    parser.add_argument("--write-floor-inputs", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_floor_inputs:
        write_floor_inputs(*args.write_floor_inputs)
        return 0
    with tempfile.TemporaryDirectory(prefix="coursesmith-bench-") as folder:
        # A build without --jobs runs on one core; the floor is then one process too.
        jobs = (args.jobs or os.cpu_count() or 1) if _build_has_jobs() else None
        bench = Bench(args.runs, jobs, Path(folder), args.full_up_to)
        results = {"machine": {"cpus": os.cpu_count(), "load_at_start": os.getloadavg(), "python": sys.version.split()[0]},
                   "runs": args.runs, "jobs": bench.jobs or 1,
                   "version": bench.repeat(lambda: None, coursesmith("--version")), "courses": {}}
        sources = [] if args.no_default_courses else [(p, p.name) for p in DEFAULT_COURSES]
        for pages in (int(s) for s in args.sizes.split(",") if s.strip()):
            sources.append((generate(Path(folder) / "sources" / f"generated-{pages}", pages), f"generated-{pages}"))
        for source, name in sources:
            print(f"measuring {name} ...", file=sys.stderr, flush=True)
            results["courses"][name] = bench.course(source, name)
            _print_course(name, results["courses"][name])
        results["cost_per_page"] = cost_per_page(results["courses"])
        results["machine"]["load_at_end"] = os.getloadavg()
    results["targets"] = verdicts(results)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for verdict in results["targets"]:
        figure = "not measured" if verdict["figure"] is None else f"{verdict['figure']:.3f}"
        outcome = {True: "met", False: "MISSED", None: "not measured"}[verdict["met"]]
        print(f"{verdict['name']:55s} {figure:>12s}  target {verdict['target']:g}: {outcome}")
    missed = [v for v in results["targets"] if v["met"] is False]
    print(f"figures in {args.json}; " + ("all targets met" if not missed else f"{len(missed)} targets missed"))
    return 1 if missed else 0


def _environment() -> dict[str, str]:
    return dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, PYTHONPATH=str(REPO))


def _build_has_jobs() -> bool:
    help_text = subprocess.run(coursesmith("build", "--help"), env=_environment(), capture_output=True, text=True).stdout
    return "--jobs" in help_text


def _print_course(name: str, course: dict) -> None:
    steps = ("check", "scorm_cold", "full_cold", "rebuild_no_change", "edit_scorm", "edit_full", "floor")
    line = "  ".join(f"{step} {course[step]['wall']:.2f}s/{course[step]['cpu']:.2f}cpu" for step in steps
                     if step in course)
    ratio = f"  full/floor {course['full_over_floor']['wall']:.2f}" if "full_over_floor" in course else ""
    print(f"{name}: {line}{ratio} (load {course['scorm_cold']['load']})", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())

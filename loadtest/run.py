"""The load test: a fresh PostgreSQL database with the city demo (150 communities), gunicorn with 2 workers on
127.0.0.1, locust headless for a bounded time with clerks saving forms, reviewers on the dashboards and the API, and
one import of a 2,000-row workbook during the run. Prints requests/s, p50/p95/p99 and errors per page, and the goals.

    .venv/bin/python -m loadtest.run [--users 24] [--duration 90] [--database-url postgres://postgres@127.0.0.1:5432/h7_load]

Exit status 0 when every goal is met, 1 otherwise. Loopback only; stops by itself (duration + the import's end).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from loadtest.harness import (
    BIN_DIR,
    DEFAULT_DATABASE_URL,
    PROJECT_DIR,
    Gunicorn,
    build_site,
    prepare,
    recreate_database,
    require_loopback,
    say,
    server_environment,
    server_times,
)

PAGE_GOAL_MS = 500  # p95 of every page and of the API
DURING_IMPORT_GOAL_MS = 1000  # every dashboard and API request while the import runs
GOAL_PREFIXES = ("returns:", "dashboard:", "api:")


def arguments(argv=None, *, description: str = __doc__) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--port", type=int, default=18700)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--users", type=int, default=24, help="simulated users (one of them the importer)")
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started per second")
    parser.add_argument("--duration", type=int, default=90, help="seconds of load (at most 600)")
    parser.add_argument("--import-delay", type=float, default=25, help="seconds into the run when the import starts")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    parser.add_argument("--output", type=Path, default=PROJECT_DIR / "artifacts" / "loadtest")
    args = parser.parse_args(argv)
    args.duration = max(10, min(args.duration, 600))
    require_loopback(urlsplit(args.database_url).hostname or "")
    return args


def run_locust(args, plan_path: Path, base: str, prefix: Path, *, duration: int) -> subprocess.Popen:
    require_loopback(urlsplit(base).hostname or "")
    command = [
        str(BIN_DIR / "locust"),
        "-f",
        str(PROJECT_DIR / "loadtest" / "locustfile.py"),
        "--headless",
        "--host",
        base,
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{duration}s",
        "--stop-timeout",
        "180",  # let the import finish its request when the time is up
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    log = open(prefix.parent / "locust.log", "w")  # noqa: SIM115 - closed with the process by the caller
    return subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env={**_plain_env(), "LOADTEST_PLAN": str(plan_path)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _plain_env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _ms(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def print_table(stats: list[dict]) -> None:
    print(f"{'page':<42} {'requests':>8} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7} {'errors':>6}")
    for row in stats:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL (each request once, imports included)"
        if row["Name"] == "Aggregated":
            row = _aggregate_without_copies(stats)
        print(
            f"{name:<42} {row['Request Count']:>8} {_ms(row['Requests/s']):>7.1f} {_ms(row['50%']):>6.0f} "
            f"{_ms(row['95%']):>6.0f} {_ms(row['99%']):>6.0f} {_ms(row['Max Response Time']):>7.0f} "
            f"{row['Failure Count']:>6}"
        )
    print("(milliseconds; '(during import)' rows count again the requests made while the import ran)")


def _aggregate_without_copies(stats: list[dict]) -> dict:
    aggregated = next(row for row in stats if row["Name"] == "Aggregated")
    copies = [row for row in stats if row["Name"].endswith("(during import)")]
    count = int(aggregated["Request Count"]) - sum(int(row["Request Count"]) for row in copies)
    failures = int(aggregated["Failure Count"]) - sum(int(row["Failure Count"]) for row in copies)
    rate = _ms(aggregated["Requests/s"]) - sum(_ms(row["Requests/s"]) for row in copies)
    return {**aggregated, "Request Count": count, "Failure Count": failures, "Requests/s": rate}


def evaluate(stats: list[dict], import_result: dict | None, counts_ok: bool | None, plan: dict) -> list[tuple]:
    rows = [row for row in stats if row["Name"] != "Aggregated"]
    own = [row for row in rows if not row["Name"].endswith("(during import)")]
    goals = []
    errors = sum(int(row["Failure Count"]) for row in own)
    goals.append(("0 errors", errors == 0, f"{errors} failed requests"))
    pages = [row for row in own if row["Name"].startswith(GOAL_PREFIXES)]
    slow = [f"{row['Name']} {row['95%']} ms" for row in pages if _ms(row["95%"]) >= PAGE_GOAL_MS]
    goals.append(
        (
            f"p95 < {PAGE_GOAL_MS} ms for pages and API",
            bool(pages) and not slow,
            "; ".join(slow) or f"worst p95 {max((_ms(r['95%']) for r in pages), default=float('nan')):.0f} ms",
        )
    )
    if plan.get("import"):
        done = bool(import_result and import_result.get("ok")) and bool(counts_ok)
        took = (import_result["finished"] - import_result["started"]) if import_result else float("nan")
        goals.append(("the 2,000-row import completes", done, f"{took:.1f} s (upload preview + confirm)"))
        during = [
            row
            for row in rows
            if row["Name"].endswith("(during import)") and row["Name"].startswith(("dashboard:", "api:"))
        ]
        worst = max((_ms(row["Max Response Time"]) for row in during), default=float("nan"))
        goals.append(
            (
                f"dashboards and API < {DURING_IMPORT_GOAL_MS} ms during the import",
                bool(during) and worst < DURING_IMPORT_GOAL_MS,
                f"slowest {worst:.0f} ms over {sum(int(r['Request Count']) for r in during)} requests",
            )
        )
    return goals


def main(argv=None) -> int:
    args = arguments(argv)
    folder = args.output.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    say(f"fresh database {urlsplit(args.database_url).path.lstrip('/')}")
    recreate_database(args.database_url)
    env = server_environment(args.database_url, folder, workers=args.workers, port=args.port)
    plan = build_site(env, folder, import_delay=args.import_delay)
    plan.update(
        weights={"clerk": 3, "reviewer": 2},
        think_time=list(args.think),
    )
    plan_path = folder / "plan.json"
    plan_path.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
    Path(plan["import_result"]).unlink(missing_ok=True)
    if plan["import"]:
        say(f"workbook: {sum(plan['import']['rows'].values())} rows {plan['import']['rows']}")
    say(f"{len(plan['clerks'])} returns for clerks to save; not there yet: {', '.join(plan['missing']) or 'nothing'}")
    before = prepare(env, "count")

    server = Gunicorn(env, folder / "gunicorn.log")
    server.start()
    say(f"gunicorn {server.pid} with workers {server.worker_pids()} on {server.base}")
    prefix = folder / "locust"
    try:
        say(f"locust: {args.users} users for {args.duration} s, import at {args.import_delay:.0f} s")
        started = time.monotonic()
        locust = run_locust(args, plan_path, server.base, prefix, duration=args.duration)
        locust.wait(timeout=args.duration + 300)
        say(f"locust finished in {time.monotonic() - started:.0f} s (exit {locust.returncode})")
    finally:
        server.stop()
    after = prepare(env, "count")

    import_result = None
    counts_ok = None
    if plan["import"]:
        result_path = Path(plan["import_result"])
        import_result = json.loads(result_path.read_text()) if result_path.exists() else None
        expected_returns = plan["import"]["rows"].get("社区基本情况", 0)
        counts_ok = before["returns"] == 0 and after["returns"] == expected_returns
        say(f"rows for the import's year: before {before}, after {after} (expected {expected_returns} returns)")

    stats = read_stats(prefix)
    print()
    print_table(stats)
    print(f"\n{'server time per request (gunicorn access log)':<50} {'requests':>8} {'p50':>6} {'p95':>6} {'max':>7}")
    for route, count, p50, p95, slowest in server_times(folder / "gunicorn.log"):
        print(f"{route:<50} {count:>8} {p50:>6.0f} {p95:>6.0f} {slowest:>7.0f}")
    print("(the time a worker spent on the request; the difference to the table above is waiting for a free worker)")
    failures = read_failures(prefix)
    if failures:
        print("\nerrors:")
        for failure in failures:
            print(f"  {failure['Occurrences']:>4} × {failure['Method']} {failure['Name']}: {failure['Error'][:200]}")
    print("\ngoals:")
    goals = evaluate(stats, import_result, counts_ok, plan)
    for label, ok, detail in goals:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}: {detail}")
    if plan["missing"]:
        print(f"  note: pages not there yet, left out of the mix: {', '.join(plan['missing'])}")
    print(f"\nartifacts in {folder} (locust CSVs, gunicorn.log, plan.json)")
    return 0 if all(ok for _, ok, _ in goals) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Run the benchmark suites and regenerate every benchmark page of the docs.

Usage, from the repository root::

    python benchmarks/run.py              # every suite (70 to 80 min, 2 cores)
    python benchmarks/run.py headline     # chosen suites only
    python benchmarks/run.py --quick      # smoke test: tiny sizes, writes nothing
    python benchmarks/run.py --list

Each suite writes ``docs/benchmarks/<suite>.md`` and its PNG figures; the
``headline`` suite also writes the README's results table. The shared
datasets are read from ``../shared/datasets`` (or ``$SKDISTILL_DATASETS``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness


def main(argv: list[str] | None = None) -> int:
    names = _harness.suite_names()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suites", nargs="*", help=f"suites to run: {names}")
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes; check it runs"
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print, do not write docs/"
    )
    parser.add_argument("--list", action="store_true", help="list suites and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name in names:
            print(f"{name:16} {_harness.load_suite(name).TITLE}")
        return 0
    unknown = sorted(set(args.suites) - set(names))
    if unknown:
        parser.error(f"unknown suite(s) {unknown}; choose from {names}")
    chosen = [n for n in names if n in args.suites] if args.suites else names
    start = time.perf_counter()
    times = {}
    for name in chosen:
        page, times[name] = _harness.run_suite(
            name, quick=args.quick, write=not args.no_write
        )
        print(page)
    total = time.perf_counter() - start
    print("suite times: " + ", ".join(f"{n} {s:.0f} s" for n, s in times.items()))
    print(f"total: {total / 60:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

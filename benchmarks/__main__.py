"""`make bench`: runs every benchmarks/bench_*.py and prints each figure beside its baseline.

Select modules with arguments: `make bench BENCH_ARGS="platform audio"`.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def main(argv: list[str]) -> int:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    names = sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    selected = [n for n in names if not argv or n in argv]
    if not selected:
        print("no benchmarks selected; available:", ", ".join(names) or "none")
        return 0
    failed, all_rows = [], []
    for name in selected:
        started = time.perf_counter()
        print(f"\n== {name} ==", flush=True)
        try:
            rows = importlib.import_module(f"benchmarks.bench_{name}").run()
        except Exception:
            traceback.print_exc()
            failed.append(name)
            continue
        for row in rows:
            ratio = f"{row['ratio']:.2f}x" if row.get("ratio") else ""
            baseline = (
                f"vs {row['baseline_name']} {_fmt(row['baseline_value'])}" if row.get("baseline_name") else ""
            )
            print(
                f"  {row['name']:<58} {_fmt(row['value']):>10} {row['unit']:<8} {baseline:<34} {ratio:>8}  {row.get('note', '')}"
            )
            all_rows.append({"module": name, **row})
        print(f"  ({time.perf_counter() - started:.0f} s)")
    out = Path("var") / "bench-results.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(all_rows, indent=2, default=str))
    print(f"\nresults written to {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

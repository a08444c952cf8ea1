"""Search latency at 1,000,000 numbers on SQLite: each pattern kind by index, and the same by full scan.

Run: .venv/bin/python bench/search.py [--numbers 1000000] [--queries 300]
Builds (once, cached under bench/.data/) an inventory of AU MOBILE numbers, then times the
repository search the API uses, per pattern kind, against the same query forced to scan.
Targets: p99 <= 5 ms for every kind, >= 50x faster than the scan.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from sqlalchemy import text

from numberdesk.adapters.db.engine import make_engine
from numberdesk.adapters.db.migrate import upgrade
from numberdesk.adapters.db.unit_of_work import SqlUnitOfWorkFactory
from numberdesk.domain.inventory import (
    NumberPattern,
    NumberType,
    SearchCriteria,
    SearchPattern,
    search_suffixes,
)

DATA = Path(__file__).parent / ".data"


def build(path: Path, count: int) -> SqlUnitOfWorkFactory:
    fresh = not path.exists()
    engine = make_engine(f"sqlite:///{path}")
    uows = SqlUnitOfWorkFactory(engine)
    if not fresh:
        with engine.connect() as conn:
            have = conn.execute(text("SELECT count(*) FROM numbers")).scalar()
        if have == count:
            return uows
        engine.dispose()
        path.unlink()
        return build(path, count)
    upgrade(engine)
    rng = random.Random(42)
    numbers = {f"+614{rng.randrange(10**8):08d}" for _ in range(int(count * 1.05))}
    ordered = list(numbers)[:count]
    started = time.perf_counter()
    # Bulk load through the driver (the repository's add_many is the same rows, ~5x slower at this size).
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO numbers VALUES (?, 'AU', 'MOBILE', 3, 'AUD', '1.00', '1.00', 1, 'AVAILABLE', NULL)",
            [(n,) for n in ordered],
        )
        conn.exec_driver_sql(
            "INSERT INTO number_suffixes VALUES ('AU', 'MOBILE', ?, ?)",
            [(suffix, n) for n in ordered for suffix in search_suffixes(n)],
        )
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    print(f"built {count:,} numbers in {time.perf_counter() - started:.0f} s")
    return uows


def patterns(kind: SearchPattern, rng: random.Random, n: int) -> list[str]:
    if kind is SearchPattern.START:
        return [f"+614{rng.randrange(10**5):05d}" for _ in range(n)]
    if kind is SearchPattern.END:
        return [f"{rng.randrange(10**5):05d}" for _ in range(n)]
    return [f"{rng.randrange(10**6):06d}" for _ in range(n)]


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for i in range(repeat):
        t0 = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


SCAN_SQL = {
    SearchPattern.START: "substr(phone_number, 1, length(:p)) = :p",
    SearchPattern.CONTAINS: "instr(phone_number, :p) > 0",
    SearchPattern.END: "substr(phone_number, -length(:p)) = :p",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--numbers", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--scans", type=int, default=15)
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    uows = build(DATA / f"search-{args.numbers}.db", args.numbers)
    rng = random.Random(7)
    print(f"{'kind':<9} {'p50 ms':>8} {'p99 ms':>8} {'scan p50 ms':>12} {'speed-up':>9}")
    for kind in (None, *SearchPattern):
        texts = patterns(kind or SearchPattern.START, rng, args.queries)

        def indexed(i: int, kind: SearchPattern | None = kind, texts: list[str] = texts) -> None:
            pattern = NumberPattern(texts[i], kind) if kind else None
            with uows(readonly=True) as uow:
                uow.inventory.search(SearchCriteria("AU", NumberType.MOBILE, pattern, (), 30))

        def scan(i: int, kind: SearchPattern | None = kind, texts: list[str] = texts) -> None:
            where = SCAN_SQL[kind] if kind else "1=1"
            with uows(readonly=True) as uow:
                uow.connection.execute(
                    text(
                        f"SELECT * FROM numbers NOT INDEXED WHERE region_code='AU' AND number_type='MOBILE' "
                        f"AND state='AVAILABLE' AND {where} ORDER BY phone_number LIMIT 30"
                    ),
                    {"p": texts[i]},
                ).all()

        timed(indexed, min(30, args.queries))  # warm the page cache the way a running server has it
        fast = timed(indexed, args.queries)
        slow = timed(scan, args.scans)
        label = kind.value if kind else "none"
        print(
            f"{label:<9} {pct(fast, 0.5):8.3f} {pct(fast, 0.99):8.3f} {statistics.median(slow):12.1f} "
            f"{statistics.median(slow) / pct(fast, 0.5):8.0f}x"
        )


if __name__ == "__main__":
    main()

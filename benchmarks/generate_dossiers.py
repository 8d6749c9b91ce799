"""Write synthetic province-years of dossiers with full histories into PostgreSQL (COPY).

A thin wrapper around ``motcua.reports.synthetic`` (also ``motcua stats generate``): seeded and
reproducible, progress bar on stderr, then the statistics rollups are recounted from the log.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_stats \\
        python benchmarks/generate_dossiers.py --dossiers 1000000 [--seed 766] [--fresh]

``--fresh`` drops and recreates the database, migrates it and loads the demo province first.
Last line: one JSON object (``dossiers``, ``transitions``, ``generator_per_s``, ``rebuild_s``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/motcua_stats"


def postgres_unreachable(url: str) -> str | None:
    """Why PostgreSQL at ``url`` cannot be used (a benchmark then says so and skips), or None."""
    if not url.startswith("postgres"):
        return "DATABASE_URL is not a postgres:// address"
    try:
        import psycopg

        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5).close()
    except Exception as error:  # noqa: BLE001 - any reason: say so and skip
        return str(error)
    return None


def fresh_database(url: str) -> None:
    """Drop and create the database named in ``url`` (PostgreSQL, trust auth)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str, *, fresh: bool) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("MOTCUA_DATA_DIR", "/tmp/motcua-stats-data")  # noqa: S108
    Path(os.environ["MOTCUA_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    if fresh:
        fresh_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a reused database follows the code's schema too
    if fresh:
        from motcua.config.demo.loader import load_demo

        load_demo()


def synthetic_database(bench: str, default_url: str, *, reuse: bool, dossiers: int) -> bool:
    """Set Django up on ``DATABASE_URL`` (else ``default_url``) for benchmark ``bench``: with
    ``reuse`` the database as it is, else recreated with ``dossiers`` synthetic dossiers. False
    (said on stdout, JSON last) when PostgreSQL cannot be reached: the benchmark skips."""
    url = os.environ.get("DATABASE_URL") or default_url
    if not url.startswith("postgres"):
        raise SystemExit(f"bench_{bench} needs PostgreSQL (DATABASE_URL=postgres://…)")
    if reason := postgres_unreachable(url):
        print(f"bench_{bench}: PostgreSQL is not reachable ({reason}); skipped")
        print(json.dumps({f"{bench}_database": "unavailable"}))
        return False
    setup_django(url, fresh=not reuse)
    if not reuse:
        from motcua.reports.synthetic import generate

        generate(dossiers)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=766)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--fresh", action="store_true", help="recreate the database first")
    parser.add_argument("--no-rebuild", action="store_true")
    parser.add_argument(
        "--indexes",
        choices=["auto", "rebuild", "keep"],
        default="auto",
        help="secondary indexes during the load (see motcua stats generate --help)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_PG
    setup_django(url, fresh=args.fresh)
    from motcua.reports import rollups
    from motcua.reports.synthetic import generate, stderr_progress

    made = generate(
        args.dossiers,
        seed=args.seed,
        days=args.days,
        communes=args.communes,
        rebuild_indexes={"auto": None, "rebuild": True, "keep": False}[args.indexes],
        progress=stderr_progress,
    )
    print(
        f"generated {made.dossiers:,} dossiers, {made.transitions:,} transitions in "
        f"{made.seconds:.1f} s: {made.per_second:,.0f} dossiers/s"
        + f" (waiting for PostgreSQL {made.wait_seconds:.1f} s"
        + (f", building indexes {made.index_seconds:.1f} s)" if made.index_seconds else ")")
    )
    rebuild_s = None
    if not args.no_rebuild:
        started = time.perf_counter()
        rollups.rebuild()
        rebuild_s = round(time.perf_counter() - started, 1)
        print(f"rollups recounted from the log in {rebuild_s} s")
    print(
        json.dumps(
            {
                "dossiers": made.dossiers,
                "transitions": made.transitions,
                "generator_per_s": round(made.per_second),
                "index_s": round(made.index_seconds, 1),
                "wait_s": round(made.wait_seconds, 1),
                "writers_s": made.writer_seconds,
                "rebuild_s": rebuild_s,
            }
        )
    )


if __name__ == "__main__":
    main()

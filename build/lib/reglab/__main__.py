"""Command line: ``python -m reglab bench | build-report | cache-info | claims``."""

from __future__ import annotations

import argparse
import os
import runpy
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import config

ROOT = Path(__file__).resolve().parents[2]


def _mkdocs_build(cache: Path, out: Path) -> float:
    env = {**os.environ, "REGLAB_CACHE_DIR": str(cache), "REGLAB_QUIET": "1", "NO_MKDOCS_2_WARNING": "1"}
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return time.perf_counter() - t0


def build_report() -> int:
    """Cold build into an empty cache, then a warm rebuild; print fits, compute, sizes."""
    from .report import read

    with tempfile.TemporaryDirectory() as tmp:
        cache, site = Path(tmp) / "cache", Path(tmp) / "site"
        print("build-report: cold build into an empty cache (trains everything)…", flush=True)
        cold = _mkdocs_build(cache, site)
        print("build-report: warm rebuild with nothing changed…", flush=True)
        warm = _mkdocs_build(cache, site)
        report = read(cache)
        fits = len([p for p in cache.glob("*.json") if len(p.stem) == 64])
        sizes = sorted((p.stat().st_size, p.relative_to(site)) for p in site.rglob("*.html"))
    print(f"\n{'page':<34} {'experiments':>11} {'fits':>6} {'cold compute s':>15}")
    total_fits = total_compute = 0.0
    for page, experiments in sorted(report["pages"].items()):
        if not experiments:
            continue
        n = sum(e["fits"] for e in experiments)
        compute = sum(e["compute_seconds"] for e in experiments)
        total_fits, total_compute = total_fits + n, total_compute + compute
        print(f"{page:<34} {len(experiments):>11} {n:>6} {compute:>15.1f}")
    print(f"{'total':<34} {'':>11} {int(total_fits):>6} {total_compute:>15.1f}")
    print(f"\nmodel fits written to the cache: {fits}")
    print(f"cold build: {cold:.1f} s wall; warm rebuild: {warm:.1f} s wall")
    size, page = sizes[-1]
    print(f"largest page: {page} at {size / 1e6:.2f} MB")
    return 0


def cache_info() -> int:
    path = config.cache_dir()
    entries = [p for p in path.glob("*.json") if len(p.stem) == 64]
    size = sum(p.stat().st_size for p in entries)
    print(f"{path}: {len(entries)} runs, {size / 1e6:.1f} MB (clear with: rm -rf {path})")
    return 0


def claims() -> int:
    """The site's claim registry (``hooks/claim_registry.py``): every marked sentence and
    its tests; exit 1 if a marker lacks a test, a test lacks a marker or a result is typed."""
    registry = runpy.run_path(str(ROOT / "hooks" / "claim_registry.py"))
    return registry["main"]()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reglab", description=__doc__)
    parser.add_argument("command", choices=("bench", "build-report", "cache-info", "claims"))
    args = parser.parse_args(argv)
    try:
        if args.command == "bench":
            from .bench import main as bench

            return bench()
        if args.command == "claims":
            return claims()
        return build_report() if args.command == "build-report" else cache_info()
    except config.ConfigError as exc:
        print(f"reglab: error: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(
            f"reglab: error: the site build failed (exit {exc.returncode}); run mkdocs build --strict",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())

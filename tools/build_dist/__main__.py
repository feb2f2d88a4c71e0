"""Build a Hadoop or Spark binary distribution from package registries (Maven Central, PyPI).

    tools/build-dist hadoop 3.5.0   ->  DIST_DIR/hadoop-3.5.0.tar.gz (+ .sha512)
    tools/build-dist spark 4.3.0    ->  DIST_DIR/spark-4.3.0-bin-hadoop3.tgz (+ .sha512)
    tools/build-dist zookeeper 3.9.5 -> DIST_DIR/apache-zookeeper-3.9.5-bin.tar.gz (+ .sha512)

DIST_DIR is --dest, else $DATAFLEET_DIST_DIR, else ~/.cache/datafleet-hadoop/dist. The tarballs
have the layout of Apache's official binary tarballs (see docs/builder.md). A tarball whose .sha512
matches is reused. Output is written atomically. The artifact path is printed last on stdout.
"""
import argparse
import fcntl
import glob
import importlib
import os
import re
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from build_dist import BuildError, log, read_checksum, sha512_of  # noqa: E402

ARTIFACT = {
    "hadoop": "hadoop-{v}.tar.gz",
    "spark": "spark-{v}-bin-hadoop3.tgz",
    "zookeeper": "apache-zookeeper-{v}-bin.tar.gz",
}


def cached(path):
    """True when path and path.sha512 exist and agree."""
    want = read_checksum(path + ".sha512") if os.path.exists(path) else None
    return want is not None and sha512_of(path) == want


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    p.add_argument("product", choices=sorted(ARTIFACT))
    p.add_argument("version", help="e.g. 3.5.0 (hadoop), 4.3.0 (spark), 3.9.5 (zookeeper)")
    p.add_argument("--dest", help="output directory (default: $DATAFLEET_DIST_DIR or "
                                  "~/.cache/datafleet-hadoop/dist)")
    p.add_argument("--force", action="store_true", help="rebuild even if a valid artifact exists")
    args = p.parse_args(argv)
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)+([.-][A-Za-z0-9]+)*", args.version):
        p.error(f"not a version: {args.version!r}")

    dest = os.path.abspath(os.path.expanduser(
        args.dest or os.environ.get("DATAFLEET_DIST_DIR") or "~/.cache/datafleet-hadoop/dist"))
    os.makedirs(dest, exist_ok=True)
    name = ARTIFACT[args.product].format(v=args.version)
    path = os.path.join(dest, name)

    # One builder per artifact at a time (parallel test runs share the cache directory).
    with open(os.path.join(dest, f".{name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not args.force and cached(path):
            log(f"{name}: up to date (checksum verified)")
        else:
            for stale in glob.glob(os.path.join(dest, f".{name}.tmp-*")):
                os.unlink(stale)  # left by a killed build (we hold the lock, so none is live)
            started = time.monotonic()
            with tempfile.TemporaryDirectory(prefix=f"build-dist-{args.product}-") as work:
                builder = importlib.import_module(f"build_dist.{args.product}")
                builder.build(args.version, dest, work)
            log(f"{name}: built in {time.monotonic() - started:.0f}s")
    print(path)
    return 0


def _terminate(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)  # clean up temp files on SIGTERM as on Ctrl-C
    try:
        sys.exit(main())
    except BuildError as e:
        log(f"error: {e}")
        sys.exit(1)
    except KeyboardInterrupt:
        log("interrupted; no artifact written")
        sys.exit(130)

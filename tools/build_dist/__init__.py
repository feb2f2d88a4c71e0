"""Helpers shared by the Hadoop and Spark distribution builders (stdlib only).

See docs/builder.md for the layouts produced and how they are used.
"""
import gzip
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import time


class BuildError(Exception):
    """A failure to report as one clear message (no traceback)."""


def log(msg):
    print(f"build-dist: {msg}", file=sys.stderr, flush=True)


def need_tool(name):
    if shutil.which(name) is None:
        raise BuildError(f"'{name}' is not on PATH; it is needed to build this distribution")


def run(cmd, what, cwd=None, show_on_error=60):
    """Run cmd quietly; on failure raise BuildError with the relevant part of its output."""
    need_tool(cmd[0])
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace", check=False)
    if proc.returncode != 0:
        raise BuildError(f"{what} failed (exit {proc.returncode}, command: {' '.join(cmd)}):\n"
                         + error_excerpt(proc.stdout, show_on_error))
    log(f"{what}: done in {time.monotonic() - started:.0f}s")
    return proc.stdout


def error_excerpt(output, limit):
    """Maven prints its real problem on [ERROR] lines; pip at the end. Keep those."""
    lines = [ln for ln in output.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("[ERROR]") and "Re-run Maven" not in ln
              and "[Help" not in ln and ln.strip() != "[ERROR]" and "cwiki.apache.org" not in ln
              and "full stack trace" not in ln and "For more information" not in ln]
    picked = errors or lines
    return "\n".join("    " + ln for ln in picked[-limit:])


def mvn(args, what, cwd):
    """Maven in batch mode, quiet (-q shows only errors), with the machine's own settings."""
    return run(["mvn", "-B", "-q", *args], what, cwd=cwd)


def sha512_of(path):
    h = hashlib.sha512()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def checksum_line(hexdigest, filename):
    """GNU coreutils format (`sha512sum`/`shasum -a 512`): '<hex>  <name>' -- checkable with
    `sha512sum -c`."""
    return f"{hexdigest}  {filename}\n"


def read_checksum(path):
    """The hex digest from a .sha512 file in coreutils ('<hex>  name') or BSD ('SHA512 (name) = <hex>')
    format; None if unreadable."""
    try:
        text = open(path, encoding="ascii", errors="replace").read().strip()
    except OSError:
        return None
    if text.startswith("SHA512 (") and " = " in text:
        text = text.rsplit(" = ", 1)[1]
    token = text.split()[0].lower() if text else ""
    return token if len(token) == 128 and all(c in "0123456789abcdef" for c in token) else None


class _HashingWriter(io.RawIOBase):
    """File wrapper that feeds everything written through sha512."""

    def __init__(self, f):
        self.f, self.sha = f, hashlib.sha512()

    def writable(self):
        return True

    def write(self, b):
        self.sha.update(b)
        return self.f.write(b)


class DistTar:
    """Writes <dest>/<name> atomically: into a hidden temp file in the same directory, renamed into
    place by commit() together with its .sha512. Parent directories get their own entries; files keep
    only the executable bit of their source (0755 or 0644), owner root; all entries get one mtime, so
    the same inputs give the same bytes."""

    def __init__(self, dest_dir, name, top, mtime):
        self.dest_dir, self.name, self.top = dest_dir, name, top
        self.tmp = os.path.join(dest_dir, f".{name}.tmp-{os.getpid()}")
        self._raw = open(self.tmp, "wb")
        self._hash = _HashingWriter(self._raw)
        # mtime=0 and no file name in the gzip header: same content, same bytes.
        self._gz = gzip.GzipFile(filename="", mode="wb", fileobj=self._hash, compresslevel=6, mtime=0)
        self.tar = tarfile.open(fileobj=self._gz, mode="w", format=tarfile.PAX_FORMAT)
        self._dirs = set()
        self.mtime = int(mtime)  # one timestamp for all entries: the release's, not the build's
        self.files = 0
        self.mkdir("")  # the top directory comes first

    def _info(self, arcname, size, mode, kind=tarfile.REGTYPE):
        ti = tarfile.TarInfo(f"{self.top}/{arcname}".rstrip("/"))
        ti.size, ti.mode, ti.type, ti.mtime = size, mode, kind, self.mtime
        ti.uid = ti.gid = 0
        ti.uname = ti.gname = "root"
        return ti

    def mkdir(self, arcname):
        arcname = arcname.strip("/")
        if arcname in self._dirs:
            return
        if "/" in arcname:
            self.mkdir(arcname.rsplit("/", 1)[0])
        self._dirs.add(arcname)
        self.tar.addfile(self._info(arcname, 0, 0o755, tarfile.DIRTYPE))

    def _parent(self, arcname):
        self.mkdir("") if "/" not in arcname else self.mkdir(arcname.rsplit("/", 1)[0])

    def add_file(self, src, arcname, executable=None):
        if executable is None:
            executable = bool(os.stat(src).st_mode & 0o111)
        self._parent(arcname)
        with open(src, "rb") as f:
            self.tar.addfile(self._info(arcname, os.path.getsize(src), 0o755 if executable else 0o644), f)
        self.files += 1

    def add_bytes(self, data, arcname, executable=False):
        if isinstance(data, str):
            data = data.encode()
        self._parent(arcname)
        self.tar.addfile(self._info(arcname, len(data), 0o755 if executable else 0o644), io.BytesIO(data))
        self.files += 1

    def add_tree(self, src_dir, arcname):
        """Add a directory tree, sorted, keeping executable bits."""
        self.mkdir(arcname)
        for root, dirs, files in os.walk(src_dir):
            dirs.sort()
            rel = os.path.relpath(root, src_dir)
            base = arcname if rel == "." else f"{arcname}/{rel}"
            self.mkdir(base)
            for fn in sorted(files):
                self.add_file(os.path.join(root, fn), f"{base}/{fn}")

    def commit(self):
        """Finish the archive, write <name>.sha512, then rename both into place (tarball first)."""
        self.tar.close()
        self._gz.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        final = os.path.join(self.dest_dir, self.name)
        sha_tmp = self.tmp + ".sha512"
        with open(sha_tmp, "w", encoding="ascii") as f:
            f.write(checksum_line(self._hash.sha.hexdigest(), self.name))
        os.replace(self.tmp, final)
        os.replace(sha_tmp, final + ".sha512")
        return final

    def abort(self):
        for closer in (self.tar.close, self._gz.close, self._raw.close):
            try:
                closer()
            except Exception:  # noqa: BLE001 - best effort while failing anyway
                pass
        for path in (self.tmp, self.tmp + ".sha512"):
            if os.path.exists(path):
                os.unlink(path)

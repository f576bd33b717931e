"""Builds (when needed) and starts the Go V2 peer, `go_v2_server/` (grpc-go), for pytest.

Not a test module and not a server itself: the tests import it (put Tests/Peers on sys.path).

    peer = go_peer.start(["--max-connection-age-ms", "300"])
    channel = grpc.insecure_channel(peer.target)
    ...
    summary = peer.stop()   # {"CONNECTIONS": 4, "CALLS": 120, "STREAMS": 0, ...}

`build()` runs go_v2_server/build.sh, which does nothing (a few ms) when the binary is up to
date with its sources and protos/. The peer gets a pipe as stdin (its stdin-EOF watch is on, so
it stops if this process dies), its stderr goes to a file (a pipe nobody reads could fill up),
and it is stopped by its PID: SIGTERM, then SIGKILL after a grace period. `python3
Tests/Peers/go_peer.py [ARGS]` builds and starts one and prints its PORT line, for a person.
"""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUILD_SCRIPT = HERE / "go_v2_server" / "build.sh"
BUILD_TIMEOUT = 300.0  # seconds; a first build on a fresh machine compiles grpc-go (~25 s)
START_TIMEOUT = 10.0   # seconds to wait for `PORT <n>`
STOP_GRACE = 5.0       # seconds between SIGTERM and SIGKILL
SUMMARY = re.compile(r"^CONNECTIONS \d+( [A-Z_]+ \d+)*$")


class GoPeerError(RuntimeError):
    pass


def build(timeout: float = BUILD_TIMEOUT) -> Path:
    """The peer's binary, built first when it is missing or out of date."""
    try:
        done = subprocess.run(["bash", str(BUILD_SCRIPT)], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise GoPeerError(f"build.sh did not finish within {timeout:g} s") from exc
    if done.returncode != 0:
        raise GoPeerError(f"build.sh failed ({done.returncode}):\n{done.stderr}{done.stdout}")
    return Path(done.stdout.strip().splitlines()[-1])


@dataclass
class GoPeer:
    """One running go_v2_server process."""

    process: subprocess.Popen
    port: int
    stderr_path: Path
    owns_stderr: bool = True  # the file is removed once the peer stopped (its text is kept)
    stdout_rest: list[str] = field(default_factory=list)
    final_stderr: str | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def target(self) -> str:
        """h2c target for grpc.insecure_channel (and the TLS address; use `localhost:<port>`
        as the target there, the certificates of make_certs.sh name localhost)."""
        return f"127.0.0.1:{self.port}"

    def stderr_text(self) -> str:
        if self.final_stderr is not None:
            return self.final_stderr
        try:
            return self.stderr_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self, grace: float = STOP_GRACE) -> dict[str, int]:
        """SIGTERM by PID (SIGKILL after `grace` s); returns the exit summary's counters, {} when
        the peer printed none (it was killed, or had already stopped without one)."""
        if self.process.poll() is None:
            try:
                os.kill(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        return self.wait(grace)

    def close_stdin(self, grace: float = STOP_GRACE) -> dict[str, int]:
        """Closes the peer's stdin (what a dying parent does) and waits for it to exit."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        return self.wait(grace)

    def wait(self, grace: float = STOP_GRACE) -> dict[str, int]:
        """Waits up to `grace` s for the peer to exit (SIGKILL after that); returns the summary."""
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            try:
                os.kill(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=5)
        if self.process.stdout is not None and not self.process.stdout.closed:
            self.stdout_rest.extend(self.process.stdout.read().decode(errors="replace").splitlines())
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        if self.owns_stderr and self.final_stderr is None:
            self.final_stderr = self.stderr_text()
            self.stderr_path.unlink(missing_ok=True)
        return parse_summary(self.stdout_rest)

    def __enter__(self) -> "GoPeer":
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def parse_summary(lines: list[str]) -> dict[str, int]:
    """`CONNECTIONS 3 CALLS 10 STREAMS 2 ...` → {"CONNECTIONS": 3, "CALLS": 10, ...}."""
    for line in reversed(lines):
        if SUMMARY.match(line.strip()):
            words = line.split()
            return {words[i]: int(words[i + 1]) for i in range(0, len(words), 2)}
    return {}


def start(arguments: list[str] | tuple[str, ...] = (), *, max_seconds: float = 120,
          timeout: float = START_TIMEOUT, stderr_dir: str | os.PathLike | None = None) -> GoPeer:
    """Builds if needed, starts the peer with `--max-seconds max_seconds` plus `arguments`, and
    returns once it printed `PORT <n>` (GoPeerError after `timeout` s). Its stderr goes to a
    file in `stderr_dir` (kept), or to a temporary file removed when the peer stops."""
    binary = build()
    fd, stderr_name = tempfile.mkstemp(prefix="go_v2_server-", suffix=".stderr", dir=stderr_dir)
    with os.fdopen(fd, "wb") as stderr_file:
        process = subprocess.Popen(
            [str(binary), "--max-seconds", f"{max_seconds:g}", *arguments],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr_file)
    peer = GoPeer(process=process, port=0, stderr_path=Path(stderr_name), owns_stderr=stderr_dir is None)
    line = _read_line(process, timeout)
    if not line.startswith("PORT "):
        peer.stop()
        raise GoPeerError(f"go_v2_server did not report its port within {timeout:g} s "
                          f"(got {line!r}); stderr:\n{peer.stderr_text()}")
    peer.port = int(line.split()[1])
    return peer


def _read_line(process: subprocess.Popen, timeout: float) -> str:
    """The child's first stdout line, without blocking past the deadline ("" when none)."""
    deadline = time.monotonic() + timeout
    buffer = b""
    fd = process.stdout.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            if not selector.select(timeout=min(remaining, 0.25)):
                if process.poll() is not None:
                    break
                continue
            # One byte at a time: nothing after the PORT line may be taken from the pipe here.
            chunk = os.read(fd, 1)
            if not chunk:
                break
            buffer += chunk
    return buffer.decode(errors="replace").strip()


if __name__ == "__main__":
    peer = start(sys.argv[1:], max_seconds=3600)
    print(f"PORT {peer.port} (pid {peer.pid}, stderr {peer.stderr_path}); Ctrl-C stops it", flush=True)
    try:
        peer.process.wait()
    except KeyboardInterrupt:
        pass
    print(peer.stop())

"""Running `annotations serve` (the Clarifai annotations emulator) for the interop tests.

No conftest: the test modules import this file (pytest puts this directory on sys.path, since
it has no __init__.py) and build their own fixtures with `start_for(request, ...)`.

The emulator is started as

    annotations serve --port 0 --tls-port 0 [--api-key K] [--fixtures F] [--user-id U --app-id A]

on loopback only, with ephemeral ports (0 = any free port). Its stdout tells where it listens:

    listening grpc+rest h2c://127.0.0.1:P https://127.0.0.1:Q
    self-signed certificate (use as CA file): /path/cert.pem

Both lines are read with a deadline. The process is stopped by its PID: SIGTERM, then SIGKILL
when it has not exited after 5 s. The self-signed certificate is written under $TMPDIR, which
is pointed at a per-emulator temporary directory that is removed afterwards.

The binary is $ANNOTATIONS_BIN, default <repo>/.build/debug/annotations (build it with
`flock /tmp/swift-build.lock swift build --product annotations`); a missing binary fails the
test rather than skipping it.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = REPO_ROOT / ".build" / "debug" / "annotations"
SEEDS_DIR = Path(os.environ.get("SEEDS_DIR") or "/work/shared/seeds")

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 20.0  # seconds to wait for the banner lines
STOP_GRACE = 5.0  # seconds between SIGTERM and SIGKILL

BANNER = re.compile(
    r"^listening grpc\+rest h2c://(?P<host>\[[^\]]+\]|[^:\s]+):(?P<port>\d+)"
    r"(?: https://(?P<tls_host>\[[^\]]+\]|[^:\s]+):(?P<tls_port>\d+))?\s*$"
)
CA_LINE = re.compile(r"^self-signed certificate \(use as CA file\): (?P<path>.+?)\s*$")


def binary() -> Path:
    path = Path(os.environ.get("ANNOTATIONS_BIN") or DEFAULT_BINARY)
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(
            f"the annotations tool is missing or not executable: {path}\n"
            "build it first: flock /tmp/swift-build.lock swift build --product annotations\n"
            "(or point ANNOTATIONS_BIN at an existing binary)",
            pytrace=False,
        )
    return path


class EmulatorStartError(RuntimeError):
    pass


@dataclass
class Emulator:
    """One running `annotations serve` process."""

    process: subprocess.Popen
    host: str
    port: int
    tls_port: int | None
    ca_path: Path | None
    workdir: Path
    stderr_path: Path
    banner: list[str] = field(default_factory=list)
    stop_log: list[str] = field(default_factory=list)
    later_stdout: list[bytes] = field(default_factory=list)  # what stdout said after the banner
    drain: threading.Thread | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    # Addresses, as the clients use them.
    @property
    def grpc_target(self) -> str:
        """h2c target for grpc.insecure_channel."""
        return f"{LOOPBACK}:{self.port}"

    @property
    def grpc_tls_target(self) -> str:
        """TLS target for grpc.secure_channel: the certificate is for localhost."""
        assert self.tls_port is not None, "started without --tls-port"
        return f"localhost:{self.tls_port}"

    @property
    def http_base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def https_base(self) -> str:
        assert self.tls_port is not None, "started without --tls-port"
        return f"https://localhost:{self.tls_port}"

    @property
    def ca_pem(self) -> bytes:
        assert self.ca_path is not None, "no self-signed certificate was generated"
        return self.ca_path.read_bytes()

    def stderr_text(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self, grace: float = STOP_GRACE) -> int | None:
        """SIGTERM by PID, SIGKILL after `grace` seconds; returns the exit status."""
        # stdout belongs to the drain thread until it sees EOF (the process has exited by now).
        rc = stop_process(self.process, grace=grace, log=self.stop_log, close_stdout=self.drain is None)
        if self.drain is not None:
            self.drain.join(timeout=5)
            if not self.drain.is_alive() and self.process.stdout is not None:
                self.process.stdout.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
        return rc


def stop_process(
    process: subprocess.Popen, grace: float = STOP_GRACE, log: list[str] | None = None, close_stdout: bool = True
) -> int | None:
    """Stops one child process by its PID: SIGTERM, then SIGKILL when it has not exited after
    `grace` seconds. Never signals anything but that PID."""
    log = log if log is not None else []
    if process.poll() is None:
        try:
            os.kill(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            log.append(f"pid {process.pid} still running {grace} s after SIGTERM: SIGKILL")
            try:
                os.kill(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                log.append(f"pid {process.pid} survived SIGKILL for 5 s")
    streams = [process.stdin] + ([process.stdout] if close_stdout else [])
    for stream in streams:
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass
    return process.returncode


def read_lines(process: subprocess.Popen, wanted: int, timeout: float) -> list[str]:
    """The first `wanted` lines of the child's stdout, or fewer when it exits or the deadline
    passes (without blocking past the deadline)."""
    deadline = time.monotonic() + timeout
    buffer = b""
    fd = process.stdout.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while buffer.count(b"\n") < wanted:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            if not selector.select(timeout=min(remaining, 0.25)):
                if process.poll() is not None:
                    break
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            buffer += chunk
    return buffer.decode(errors="replace").splitlines()[:wanted]


def write_fixtures(path: Path, annotations: Iterable[dict]) -> Path:
    """A --fixtures file: one REST-shaped JSON annotation per line."""
    path.write_text("".join(json.dumps(annotation) + "\n" for annotation in annotations))
    return path


def start(
    *,
    tls: bool = True,
    api_key: str | None = None,
    fixtures: Path | None = None,
    user_id: str | None = None,
    app_id: str | None = None,
    extra_args: Iterable[str] = (),
    timeout: float = START_TIMEOUT,
) -> Emulator:
    """Starts `annotations serve --host 127.0.0.1 --port 0 [--tls-port 0] …` and waits for its
    banner. Raises EmulatorStartError (after stopping the process) when no banner comes."""
    workdir = Path(tempfile.mkdtemp(prefix="emulator-interop-"))
    stderr_path = workdir / "stderr.txt"
    args = [str(binary()), "serve", "--host", LOOPBACK, "--port", "0"]
    if tls:
        args += ["--tls-port", "0"]
    if api_key is not None:
        args += ["--api-key", api_key]
    if fixtures is not None:
        args += ["--fixtures", str(fixtures)]
    if user_id is not None:
        args += ["--user-id", user_id]
    if app_id is not None:
        args += ["--app-id", app_id]
    args += list(extra_args)
    env = dict(os.environ, TMPDIR=str(workdir))  # the self-signed certificate lands in workdir
    with open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env, bufsize=0,
            cwd=str(workdir),
        )
    wanted = 2 if tls else 1
    lines = read_lines(process, wanted, timeout)

    def fail(why: str) -> EmulatorStartError:
        rc = stop_process(process)
        text = stderr_path.read_text(errors="replace") if stderr_path.exists() else ""
        shutil.rmtree(workdir, ignore_errors=True)
        return EmulatorStartError(
            f"{why}\ncommand: {' '.join(args)}\nexit status: {rc}\nstdout lines: {lines!r}\nstderr:\n{text}"
        )

    if not lines:
        raise fail(f"no banner line from `annotations serve` within {timeout} s")
    match = BANNER.match(lines[0])
    if not match:
        raise fail(f"unexpected first stdout line {lines[0]!r}")
    if match.group("host").strip("[]") != LOOPBACK:
        raise fail(f"listening on {match.group('host')}, expected {LOOPBACK}")
    port = int(match.group("port"))
    tls_port = int(match.group("tls_port")) if match.group("tls_port") else None
    ca_path = None
    if tls:
        if tls_port is None:
            raise fail("started with --tls-port 0 but the banner names no https:// endpoint")
        if len(lines) < 2:
            raise fail(f"no certificate line within {timeout} s")
        ca_match = CA_LINE.match(lines[1])
        if not ca_match:
            raise fail(f"unexpected second stdout line {lines[1]!r}")
        ca_path = Path(ca_match.group("path"))
        if not ca_path.is_file():
            raise fail(f"the CA file {ca_path} does not exist")
    if port == 0 or tls_port == 0:
        raise fail("the banner names port 0, not the port actually bound")
    emulator = Emulator(process, LOOPBACK, port, tls_port, ca_path, workdir, stderr_path, banner=lines)
    # Keep reading stdout so that later output can never fill the pipe and block the emulator.
    emulator.drain = threading.Thread(target=_drain, args=(process, emulator.later_stdout), daemon=True)
    emulator.drain.start()
    return emulator


def _drain(process: subprocess.Popen, sink: list[bytes]) -> None:
    try:
        while chunk := os.read(process.stdout.fileno(), 65536):
            sink.append(chunk)
    except (OSError, ValueError):
        pass


def start_for(request: pytest.FixtureRequest, **options) -> Emulator:
    """`start(**options)`, stopped by a finalizer of the requesting fixture."""
    try:
        emulator = start(**options)
    except EmulatorStartError as error:
        pytest.fail(str(error), pytrace=False)
    request.addfinalizer(emulator.stop)
    return emulator

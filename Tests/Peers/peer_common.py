"""Lifecycle shared by the test peers in this folder (not a test module; imported by the servers).

Contract every peer follows:
  * binds 127.0.0.1 on an ephemeral port and prints exactly one line `PORT <n>` to stdout,
    flushed, once the listening socket accepts connections;
  * logs to stderr only;
  * exits on SIGTERM / SIGINT, by itself after --max-seconds (default 120), and when its
    stdin reaches EOF (the parent died or closed the pipe). The stdin watch is active only
    when stdin is a pipe/FIFO or a socket -- not for /dev/null, regular files or terminals
    (an inherited /dev/null would otherwise stop the peer at once). So a parent that wants
    the watch must give the peer a pipe as stdin and keep its write end open.
    --no-stdin-watch disables the watch explicitly.
"""

from __future__ import annotations

import argparse
import base64
import faulthandler
import os
import signal
import stat
import sys
import threading
import time

DEFAULT_MAX_SECONDS = 120.0
WATCHDOG_GRACE = 5.0  # a stop that has not completed this long after it was due: os._exit

_stdout_lock = threading.Lock()


def log(*parts: object) -> None:
    """One line to stderr (never stdout: stdout carries the PORT contract)."""
    text = " ".join(str(p) for p in parts)
    try:
        sys.stderr.write(f"[{os.path.basename(sys.argv[0])} {os.getpid()}] {text}\n")
        sys.stderr.flush()
    except Exception:
        pass


def stdout_line(line: str) -> None:
    """One flushed line on stdout (PORT / MAXOPEN only)."""
    with _stdout_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def add_common_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"),
                        help="serve TLS with this PEM certificate (chain) and private key; "
                             "otherwise plaintext h2c")
    parser.add_argument("--max-seconds", type=float, default=DEFAULT_MAX_SECONDS,
                        help="exit by itself after this many seconds (default %(default)s)")
    parser.add_argument("--no-stdin-watch", action="store_true",
                        help="do not exit when stdin reaches EOF")


def _stdin_is_watchable() -> bool:
    try:
        st = os.fstat(0)
    except OSError:
        return False  # no stdin at all
    mode = st.st_mode
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return True
    # /dev/null is a character device, a terminal too: EOF (or job-control stops) there
    # would say nothing about the parent.
    return False


class Lifecycle:
    """Owns the stop event; `wait()` blocks the main thread until a stop reason arrives."""

    def __init__(self, max_seconds: float, watch_stdin: bool = True) -> None:
        self.stop = threading.Event()
        self.reason = "?"
        self.started = time.monotonic()
        self.max_seconds = max_seconds
        self._watch_stdin = watch_stdin
        self._signal_name: str | None = None
        self._signal_at: float | None = None
        self._stop_at: float | None = None

    def request_stop(self, reason: str) -> None:
        if not self.stop.is_set():
            self.reason = reason
            self._stop_at = time.monotonic()
            self.stop.set()

    def install(self) -> None:
        def on_signal(signum, _frame):
            # Only a plain assignment here: the handler runs on the main thread between two
            # bytecodes, possibly while that thread holds a lock (Event.set() from here would
            # deadlock inside Event.wait()). wait() turns it into a stop request.
            self._signal_name = signal.Signals(signum).name
            self._signal_at = time.monotonic()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        # A parent that spawns us from a thread with signals blocked (libdispatch's worker
        # threads, hence Foundation.Process in Swift tests) passes its mask on: unblock ours.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
        # A parent that dies without closing a pipe we write to: don't die from SIGPIPE on
        # the PORT line, just carry on until one of the other stop reasons.
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        # `kill -USR1 <pid>` dumps every thread's stack to stderr (debugging a stuck peer).
        faulthandler.register(signal.SIGUSR1, all_threads=True)

        threading.Thread(target=self._watchdog, name="watchdog", daemon=True).start()
        if self._watch_stdin and _stdin_is_watchable():
            threading.Thread(target=self._watch, name="stdin-watch", daemon=True).start()
        elif self._watch_stdin:
            log("stdin is not a pipe: stdin-EOF watch inactive (max-seconds still applies)")

    def _watchdog(self) -> None:
        """Last resort, independent of the main thread: whatever happens there (a stuck
        shutdown, a bug), the process is gone WATCHDOG_GRACE s after it should have exited."""
        hard_deadline = self.started + self.max_seconds + WATCHDOG_GRACE
        while True:
            time.sleep(0.5)
            now = time.monotonic()
            due = [t for t in (self._stop_at, self._signal_at) if t is not None]
            if now > hard_deadline or any(now > t + WATCHDOG_GRACE for t in due):
                log(f"watchdog: still running {WATCHDOG_GRACE:g} s after it should have "
                    f"exited; forcing exit")
                hard_exit(1)

    def _watch(self) -> None:
        fd = 0
        try:
            while True:
                chunk = os.read(fd, 4096)
                if not chunk:
                    break
        except OSError:
            pass
        self.request_stop("stdin closed")

    def wait(self) -> str:
        """Block the main thread until a stop reason arrives; returns it. Polls in 50 ms slices
        with time.sleep (no locks held, so a signal handler can never deadlock against it)."""
        deadline = self.started + self.max_seconds
        while True:
            if self._signal_name is not None:
                self.request_stop(self._signal_name)
            if self.stop.is_set():
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.request_stop(f"max-seconds ({self.max_seconds:g}) elapsed")
                break
            time.sleep(min(remaining, 0.05))
        return self.reason


def hard_exit(code: int = 0) -> None:
    """Exit now without waiting for worker threads (grpcio pools, connection threads)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def metadata_to_json(metadata) -> dict:
    """grpcio invocation metadata (sequence of (key, value)) -> JSON-able dict.

    str values stay as they are; bytes values (keys ending in `-bin`, already base64-decoded
    by grpcio) are given as padded standard base64. A key seen more than once maps to a list
    of its values in order.
    """
    out: dict = {}
    for key, value in metadata or ():
        if isinstance(value, (bytes, bytearray)):
            value = base64.b64encode(bytes(value)).decode("ascii")
        if key in out:
            if isinstance(out[key], list):
                out[key].append(value)
            else:
                out[key] = [out[key], value]
        else:
            out[key] = value
    return out


def read_file_bytes(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def serve_each_connection(listener, life: "Lifecycle", handle) -> None:
    """Accepts on `listener` in a background thread until the stop event, and runs
    `handle(sock)` for each connection on a thread of its own; OSError and ssl.SSLError from it
    are logged, and the socket is closed afterwards."""
    import ssl

    listener.settimeout(0.25)

    def run(sock) -> None:
        try:
            handle(sock)
        except (OSError, ssl.SSLError) as exc:
            log(f"connection ended: {exc}")
        finally:
            sock.close()

    def accept_loop() -> None:
        while not life.stop.is_set():
            try:
                sock, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=run, args=(sock,), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()

#!/usr/bin/env python3
"""A TCP proxy on loopback that breaks connections on purpose, for the client's fault tests.

  fault_proxy.py --target PORT [--fault-rate R] [--seed N] [--modes drop,delay,truncate,reset,stall]

Every accepted connection is forwarded to 127.0.0.1:PORT. With probability --fault-rate a
connection is given one fault, the next of --modes in turn (so that any five faulty
connections cover every mode, however few a test opens), that strikes after a random number
of bytes from the server (0 … --strike-bytes, default 64 KiB):
  drop      close both sides at once, before forwarding anything
  delay     every chunk from the server waits 20-200 ms more, then the connection is cut
            (FIN) at the strike point
  truncate  forward the server's bytes up to that point, then close both sides (FIN)
  reset     forward up to that point, then reset the client side (RST, SO_LINGER 0)
  stall     forward up to that point, then forward nothing more either way (blackhole)
Prints `PORT <n>` once listening, and on exit `CONNECTIONS <k> FAULTS <mode>=<count>…`.
See peer_common.py for the lifecycle.
"""

from __future__ import annotations

import argparse
import os
import random
import selectors
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import Lifecycle, add_common_args, log, stdout_line  # noqa: E402

counts: dict[str, int] = {}
counts_lock = threading.Lock()


def count(mode: str) -> None:
    with counts_lock:
        counts[mode] = counts.get(mode, 0) + 1


def close(sock: socket.socket, reset: bool = False) -> None:
    try:
        if reset:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    except OSError:
        pass


def relay(client: socket.socket, target_port: int, mode: str, strike_after: int, rng: random.Random,
          stop: threading.Event) -> None:
    if mode == "drop":
        close(client, reset=rng.random() < 0.5)
        return
    try:
        server = socket.create_connection(("127.0.0.1", target_port), timeout=5)
    except OSError as error:
        log("cannot reach the target:", error)
        close(client)
        return
    for sock in (client, server):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
    selector = selectors.DefaultSelector()
    selector.register(client, selectors.EVENT_READ, server)
    selector.register(server, selectors.EVENT_READ, client)
    from_server = 0
    stalled = False
    try:
        while not stop.is_set():
            for key, _ in selector.select(timeout=0.2):
                source, sink = key.fileobj, key.data
                try:
                    data = source.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    return
                if not data:
                    return
                if stalled:
                    continue  # blackhole: read and drop
                if source is server and mode in ("delay", "truncate", "reset", "stall") and from_server + len(data) > strike_after:
                    keep = max(0, strike_after - from_server)
                    if keep:
                        sink.setblocking(True)
                        sink.sendall(data[:keep])
                        sink.setblocking(False)
                    if mode == "stall":
                        stalled = True
                        continue
                    close(client, reset=mode == "reset")
                    return
                if source is server:
                    from_server += len(data)
                    if mode == "delay":
                        time.sleep(rng.uniform(0.02, 0.2))
                try:
                    sink.setblocking(True)
                    sink.sendall(data)
                    sink.setblocking(False)
                except OSError:
                    return
    finally:
        selector.close()
        close(client)
        close(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_args(parser)
    parser.add_argument("--target", type=int, required=True)
    parser.add_argument("--fault-rate", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--modes", default="drop,delay,truncate,reset,stall")
    parser.add_argument("--strike-bytes", type=int, default=65536)
    args = parser.parse_args()
    lifecycle = Lifecycle(args.max_seconds, watch_stdin=not args.no_stdin_watch)
    lifecycle.install()
    rng = random.Random(args.seed)
    modes = args.modes.split(",")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    connections = [0]
    faulty = [0]

    def accept_loop() -> None:
        while not lifecycle.stop.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                return
            connections[0] += 1
            if rng.random() < args.fault_rate:
                mode = modes[faulty[0] % len(modes)]
                faulty[0] += 1
            else:
                mode = "pass"
            count(mode)
            strike_after = rng.randint(0, args.strike_bytes)
            threading.Thread(target=relay, args=(client, args.target, mode, strike_after,
                                                 random.Random(rng.random()), lifecycle.stop), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()
    stdout_line(f"PORT {listener.getsockname()[1]}")
    lifecycle.wait()
    with counts_lock:
        summary = " ".join(f"{mode}={n}" for mode, n in sorted(counts.items()))
    stdout_line(f"CONNECTIONS {connections[0]} FAULTS {summary}")
    listener.close()


if __name__ == "__main__":
    main()

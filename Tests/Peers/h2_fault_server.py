#!/usr/bin/env python3
"""A raw HTTP/2 server (hyper-h2 on plain sockets) that misbehaves on purpose, for fault tests.

h2c with prior knowledge by default; TLS with ALPN when --tls CERT KEY is given (--alpn picks
the protocols it offers, e.g. `--alpn http/1.1` for a server that refuses h2).

--mode (one of):
  ok                      a correct gRPC echo server: response message = request message
                          (an empty request body gets an empty message); non-gRPC requests
                          get a plain HTTP echo (see README.md)
  close-mid-response      response HEADERS + half of a gRPC message, then the TCP socket closes
  goaway                  answers the connection's first stream normally; when a later stream
                          arrives (and the first is answered) sends GOAWAY(last_stream_id =
                          first stream, NO_ERROR), leaves later streams unanswered, closes the
                          socket --close-delay seconds later
  refuse                  RST_STREAM(REFUSED_STREAM) on every stream
  goaway-at-once          SETTINGS then GOAWAY(last_stream_id 0, NO_ERROR) on every connection,
                          before any stream: a draining server (each connection is recorded)
  rst-cancel              RST_STREAM(CANCEL)
  rst-enhance-your-calm   RST_STREAM(ENHANCE_YOUR_CALM)
  rst-internal            RST_STREAM(INTERNAL_ERROR)
  http-status N           HEADERS `:status N` + END_STREAM, no grpc-status (--body adds a body)
  trailers-only CODE MSG  one HEADERS frame with END_STREAM: :status 200, content-type
                          application/grpc, grpc-status CODE, grpc-message MSG percent-encoded
  silent                  completes the preface/SETTINGS (and acks PINGs), never answers
  blackhole               completes the preface/SETTINGS, then never reads the socket again
                          (no PING acks either: for keepalive-timeout tests)
  max-concurrent N        SETTINGS_MAX_CONCURRENT_STREAMS=N; answers each stream (echo) after
                          --delay-ms (50); tracks the most streams open at once on one
                          connection and prints `MAXOPEN <k>` on stdout when it exits
Stream faults act when the request is complete (END_STREAM), or on its HEADERS with --early.

--idle-close SECONDS (any mode): a connection with no open stream that has received nothing for
SECONDS is closed, as load balancers do at their idle timeout; --idle-close-style says how:
goaway (GOAWAY NO_ERROR, then close; nginx), fin (a plain close), rst (a reset; AWS NLB).

Prints `PORT <n>` once listening; see peer_common.py for the lifecycle. --record FILE appends
one JSON line per event (connections, requests with their headers in wire order, RST_STREAM /
GOAWAY / PING received, TLS errors) - see README.md.
"""

from __future__ import annotations

import argparse
import base64
import heapq
import itertools
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import h2.config  # noqa: E402
    import h2.connection  # noqa: E402
    import h2.errors  # noqa: E402
    import h2.events  # noqa: E402
    import h2.exceptions  # noqa: E402
    import h2.settings  # noqa: E402
    from hyperframe.frame import GoAwayFrame  # noqa: E402
except ImportError:  # pragma: no cover - explained, not hidden
    sys.stderr.write("h2_fault_server.py needs hyper-h2: pip install -r Tests/Peers/requirements.txt\n")
    sys.exit(3)

from peer_common import Lifecycle, add_common_args, hard_exit, log, stdout_line  # noqa: E402

ErrorCodes = h2.errors.ErrorCodes
GRPC_CT = b"application/grpc"
RST_MODES = {
    "refuse": ErrorCodes.REFUSED_STREAM,
    "rst-cancel": ErrorCodes.CANCEL,
    "rst-enhance-your-calm": ErrorCodes.ENHANCE_YOUR_CALM,
    "rst-internal": ErrorCodes.INTERNAL_ERROR,
}
# Modes that --early makes act on the request HEADERS.
EARLY_MODES = {"close-mid-response", "http-status", "trailers-only", *RST_MODES}
SIMPLE_MODES = {"ok", "close-mid-response", "goaway", "goaway-at-once", "silent", "blackhole", *RST_MODES}
LOCAL_WINDOW = 16 * 1024 * 1024  # large inbound windows, so request bodies never stall
EMPTY_MESSAGE = b"\x00\x00\x00\x00\x00"


def grpc_percent_encode(message: str) -> bytes:
    """gRPC's grpc-message encoding: UTF-8, then every byte outside 0x20..0x7E, and '%', as %XX."""
    out = bytearray()
    for b in message.encode("utf-8"):
        if 0x20 <= b <= 0x7E and b != 0x25:
            out.append(b)
        else:
            out += b"%%%02X" % b
    return bytes(out)


def grpc_frame(payload: bytes) -> bytes:
    return b"\x00" + len(payload).to_bytes(4, "big") + payload


def _hdrs(headers) -> list:
    return [[bytes(k).decode("latin-1"), bytes(v).decode("latin-1")] for k, v in headers]


# ---------------------------------------------------------------------------------------------
# Shared state
# ---------------------------------------------------------------------------------------------

class ServerState:
    def __init__(self, args) -> None:
        self.args = args
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.conn_ids = itertools.count(1)
        self.max_open = 0  # most streams open at once on any one connection
        self.open_connections = 0  # for --one-connection
        self.violations = 0
        self._record = open(args.record, "a", encoding="utf-8") if args.record else None

    def record(self, event: str, **fields) -> None:
        if self._record is None:
            return
        entry = {"event": event, "t": round(time.monotonic() - self.started, 6), **fields}
        line = json.dumps(entry, ensure_ascii=False)
        with self.lock:
            self._record.write(line + "\n")
            self._record.flush()

    def note_open(self, count: int) -> None:
        with self.lock:
            if count > self.max_open:
                self.max_open = count


class StreamInfo:
    __slots__ = ("sid", "headers", "body", "ended", "answered", "counted")

    def __init__(self, sid: int, headers) -> None:
        self.sid = sid
        self.headers = headers
        self.body = bytearray()
        self.ended = False
        self.answered = False
        self.counted = False

    def header(self, name: bytes) -> bytes | None:
        for k, v in self.headers:
            if k == name:
                return v
        return None


class ConnectionClosed(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# One connection (one thread)
# ---------------------------------------------------------------------------------------------

class Connection:
    def __init__(self, sock: socket.socket, peer, state: ServerState, life: Lifecycle,
                 tls_ctx: ssl.SSLContext | None) -> None:
        self.sock = sock
        self.peer = peer
        self.state = state
        self.life = life
        self.args = state.args
        self.mode = state.args.mode_name
        self.tls_ctx = tls_ctx
        self.cid = next(state.conn_ids)
        self.conn: h2.connection.H2Connection | None = None
        self.streams: dict[int, StreamInfo] = {}
        self.pending: dict[int, list] = {}  # sid -> [bytearray data, trailers or None]
        self.timers: list = []
        self.timer_seq = itertools.count()
        # Streams open from the client's point of view: a stream we finish (response END_STREAM
        # or RST_STREAM) only stops counting once those frames have been written to the socket,
        # since the client cannot have seen its end before that.
        self.open_streams = 0
        self.closing_unflushed = 0
        # goaway mode
        self.first_sid: int | None = None
        self.first_answered = False
        self.later_seen = False
        self.goaway_sent = False

    # -- plumbing -------------------------------------------------------------------------
    def rec(self, event: str, **fields) -> None:
        self.state.record(event, conn=self.cid, **fields)

    def flush(self) -> None:
        data = self.conn.data_to_send() if self.conn is not None else b""
        if data:
            self.sock.sendall(data)

    def at(self, delay: float, fn) -> None:
        heapq.heappush(self.timers, (time.monotonic() + delay, next(self.timer_seq), fn))

    def run_timers(self) -> None:
        now = time.monotonic()
        while self.timers and self.timers[0][0] <= now:
            _, _, fn = heapq.heappop(self.timers)
            fn()

    def close_socket(self, why: str) -> None:
        self.rec("close", reason=why)
        log(f"conn {self.cid}: closing socket ({why})")
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass
        raise ConnectionClosed(why)

    # -- entry ----------------------------------------------------------------------------
    def run(self) -> None:
        self.rec("connection", peer=f"{self.peer[0]}:{self.peer[1]}",
                 tls=self.tls_ctx is not None)
        try:
            self.serve()
        finally:
            with self.state.lock:
                self.state.open_connections -= 1

    def serve(self) -> None:
        try:
            if self.tls_ctx is not None:
                if not self.tls_handshake():
                    return
            self.serve_h2()
        except ConnectionClosed:
            pass
        except (OSError, ssl.SSLError) as exc:
            log(f"conn {self.cid}: socket error: {exc}")
            self.rec("socket-error", error=str(exc))
        except Exception as exc:  # a bug here must not look like a client failure silently
            log(f"conn {self.cid}: INTERNAL ERROR in fault server: {exc!r}")
            self.rec("server-bug", error=repr(exc))
        finally:
            try:
                self.sock.close()
            except OSError:
                pass

    def tls_handshake(self) -> bool:
        self.sock.settimeout(10)
        try:
            self.sock = self.tls_ctx.wrap_socket(self.sock, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            log(f"conn {self.cid}: TLS handshake failed: {exc}")
            self.rec("tls-error", error=str(exc))
            return False
        alpn = self.sock.selected_alpn_protocol()
        self.rec("tls", alpn=alpn, version=self.sock.version())
        if alpn != "h2":
            self.serve_not_h2(alpn)
            return False
        return True

    def serve_not_h2(self, alpn) -> None:
        """What a server without h2 does with whatever the client sends next."""
        log(f"conn {self.cid}: ALPN selected {alpn!r}, not h2: answering as HTTP/1.1")
        self.sock.settimeout(5)
        try:
            data = self.sock.recv(65536)
        except (OSError, ssl.SSLError):
            data = b""
        self.rec("not-h2", alpn=alpn, first_bytes_b64=base64.b64encode(data[:64]).decode())
        if data.startswith(b"PRI * HTTP/2.0"):
            reply = (b"HTTP/1.1 505 HTTP Version Not Supported\r\nconnection: close\r\n"
                     b"content-length: 0\r\n\r\n")
        elif data:
            reply = (b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: text/plain\r\n"
                     b"content-length: 3\r\n\r\nok\n")
        else:
            reply = b""
        try:
            if reply:
                self.sock.sendall(reply)
        except (OSError, ssl.SSLError):
            pass

    # -- HTTP/2 ---------------------------------------------------------------------------
    def serve_h2(self) -> None:
        config = h2.config.H2Configuration(client_side=False, header_encoding=None)
        self.conn = h2.connection.H2Connection(config=config)
        codes = h2.settings.SettingCodes
        # No MAX_CONCURRENT_STREAMS (unlimited, like grpc-core servers) unless max-concurrent.
        settings = {codes.INITIAL_WINDOW_SIZE: LOCAL_WINDOW}
        if self.mode == "max-concurrent":
            settings[codes.MAX_CONCURRENT_STREAMS] = self.args.mode_n
        self.conn.local_settings = h2.settings.Settings(client=False, initial_values=settings)
        self.conn.initiate_connection()  # our SETTINGS frame, with the values above
        if self.mode == "max-concurrent":
            # The limit went out on the wire; h2 itself must not enforce it (it would kill the
            # connection on the first excess stream, even before the client could have seen
            # our SETTINGS). This server counts and answers excess streams itself.
            self.conn.local_settings = h2.settings.Settings(
                client=False, initial_values={codes.INITIAL_WINDOW_SIZE: LOCAL_WINDOW})
        self.conn.increment_flow_control_window(LOCAL_WINDOW - 65535)
        if self.mode == "goaway-at-once":
            self.conn.close_connection(error_code=ErrorCodes.NO_ERROR, last_stream_id=0)
            self.rec("goaway-sent", last_stream_id=0)
        self.flush()
        self.settings_acked = False

        last_received = time.monotonic()
        while not self.life.stop.is_set():
            timeout = 0.25 if self.args.idle_close is None else min(0.25, self.args.idle_close / 4)
            if self.timers:
                timeout = max(0.0, min(timeout, self.timers[0][0] - time.monotonic()))
            self.sock.settimeout(timeout if timeout > 0 else 0.001)
            try:
                data = self.sock.recv(65536)
            except (socket.timeout, ssl.SSLWantReadError):
                data = None
            if data:
                last_received = time.monotonic()
            elif (data is None and self.args.idle_close is not None and self.open_streams == 0
                  and time.monotonic() - last_received > self.args.idle_close):
                self.idle_close()
            if data is not None:
                if not data:
                    self.rec("eof")
                    log(f"conn {self.cid}: peer closed the connection")
                    return
                try:
                    events = self.conn.receive_data(data)
                except h2.exceptions.ProtocolError as exc:
                    log(f"conn {self.cid}: client PROTOCOL ERROR: {exc!r}")
                    self.rec("protocol-error", error=repr(exc))
                    self.conn.close_connection(error_code=ErrorCodes.PROTOCOL_ERROR,
                                               additional_data=str(exc).encode()[:200])
                    self.flush()
                    self.close_socket("protocol error")
                for event in events:
                    self.handle(event)
                    if self.mode == "blackhole" and isinstance(
                            event, h2.events.RemoteSettingsChanged):
                        self.flush()
                        self.blackhole()
            self.run_timers()
            self.flush()
            self.open_streams -= self.closing_unflushed
            self.closing_unflushed = 0

    def idle_close(self) -> None:
        style = self.args.idle_close_style
        self.rec("idle-close", style=style)
        if style == "goaway":
            self.conn.close_connection(error_code=ErrorCodes.NO_ERROR)
            self.flush()
        elif style == "rst":
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.sock.close()
            raise ConnectionClosed("idle: reset")
        self.close_socket(f"idle for {self.args.idle_close:g} s ({style})")

    def blackhole(self) -> None:
        log(f"conn {self.cid}: blackhole: SETTINGS done, no longer reading")
        self.rec("blackhole")
        while not self.life.stop.wait(0.5):
            pass
        raise ConnectionClosed("server stopping")

    def handle(self, event) -> None:
        E = h2.events
        if isinstance(event, E.RequestReceived):
            self.on_request(event)
        elif isinstance(event, E.DataReceived):
            info = self.streams.get(event.stream_id)
            if info is not None:
                info.body += event.data
            if event.flow_controlled_length:
                try:
                    self.conn.acknowledge_received_data(event.flow_controlled_length,
                                                        event.stream_id)
                except h2.exceptions.StreamClosedError:
                    pass
        elif isinstance(event, E.StreamEnded):
            info = self.streams.get(event.stream_id)
            if info is not None:
                info.ended = True
                self.rec("request-end", stream=event.stream_id, body_len=len(info.body))
                self.on_request_complete(info)
        elif isinstance(event, E.StreamReset):
            code = event.error_code
            name = code.name if isinstance(code, ErrorCodes) else str(code)
            self.rec("rst-received" if event.remote_reset else "rst-sent",
                     stream=event.stream_id, error_code=int(code), error_name=name)
            log(f"conn {self.cid}: stream {event.stream_id} reset by "
                f"{'client' if event.remote_reset else 'server'}: {name}")
            self.pending.pop(event.stream_id, None)
            self.stream_done(event.stream_id)
        elif isinstance(event, E.WindowUpdated):
            self.pump_all()
        elif isinstance(event, E.RemoteSettingsChanged):
            self.rec("settings", changed={getattr(k, "name", str(k)): v.new_value
                                          for k, v in event.changed_settings.items()})
            self.pump_all()
        elif isinstance(event, E.SettingsAcknowledged):
            self.settings_acked = True
            self.rec("settings-ack")
        elif isinstance(event, E.PingReceived):
            self.rec("ping", data_hex=event.ping_data.hex())
        elif isinstance(event, E.ConnectionTerminated):
            code = event.error_code
            self.rec("goaway-received", error_code=int(code) if code is not None else None,
                     last_stream_id=event.last_stream_id,
                     debug=(event.additional_data or b"").decode("latin-1"))
            log(f"conn {self.cid}: client sent GOAWAY {code!r}")
            self.flush()
            self.close_socket("client GOAWAY")

    # -- mode behaviour -------------------------------------------------------------------
    def on_request(self, event) -> None:
        sid = event.stream_id
        info = StreamInfo(sid, list(event.headers))
        self.streams[sid] = info
        self.open_streams += 1
        info.counted = True
        self.state.note_open(self.open_streams)
        self.rec("request", stream=sid, headers=_hdrs(event.headers),
                 open_streams=self.open_streams)

        if self.mode == "max-concurrent" and self.open_streams > self.args.mode_n:
            # RFC 9113 5.1.2: a stream error, PROTOCOL_ERROR or REFUSED_STREAM. It still
            # counts in MAXOPEN: the client had that many streams open at once.
            when = "after" if self.settings_acked else "before"
            log(f"conn {self.cid}: VIOLATION stream {sid}: {self.open_streams} open > limit "
                f"{self.args.mode_n} ({when} the client acknowledged our SETTINGS); refusing it")
            self.rec("limit-exceeded", stream=sid, open_streams=self.open_streams,
                     settings_acked=self.settings_acked)
            with self.state.lock:
                self.state.violations += 1
            self.conn.reset_stream(sid, error_code=ErrorCodes.REFUSED_STREAM)
            info.answered = True
            self.stream_done(sid)
            return
        if self.mode == "goaway":
            if self.first_sid is None:
                self.first_sid = sid
            else:
                self.later_seen = True
                self.maybe_goaway()
            return
        if self.args.early and self.mode in EARLY_MODES:
            self.fault(info)

    def on_request_complete(self, info: StreamInfo) -> None:
        if info.answered:
            return
        if self.mode == "goaway":
            if info.sid == self.first_sid:
                self.respond_echo(info)
                self.first_answered = True
                self.maybe_goaway()
            return  # later streams: never answered
        if self.mode == "max-concurrent":
            self.at(self.args.delay_ms / 1000.0, lambda: self.respond_echo(info))
            return
        if self.mode == "ok":
            self.respond_echo(info)
        elif not (self.args.early and self.mode in EARLY_MODES):
            self.fault(info)

    def fault(self, info: StreamInfo) -> None:
        """The mode's reaction to a request (at END_STREAM, or at HEADERS with --early)."""
        sid = info.sid
        mode = self.mode
        if mode in RST_MODES:
            self.conn.reset_stream(sid, error_code=RST_MODES[mode])
            info.answered = True
            self.rec("rst-sent", stream=sid, error_code=int(RST_MODES[mode]),
                     error_name=RST_MODES[mode].name)
            self.stream_done(sid)
        elif mode == "http-status":
            headers = [(b":status", str(self.args.mode_n).encode())]
            body = self.args.body.encode() if self.args.body is not None else b""
            if body:
                headers.append((b"content-type", b"text/plain; charset=utf-8"))
                self.send_response(sid, headers, body, None)
            else:
                self.conn.send_headers(sid, headers, end_stream=True)
                self.stream_done(sid)
        elif mode == "trailers-only":
            headers = [(b":status", b"200"), (b"content-type", GRPC_CT),
                       (b"grpc-status", str(self.args.mode_n).encode())]
            if self.args.mode_msg:
                headers.append((b"grpc-message", grpc_percent_encode(self.args.mode_msg)))
            self.conn.send_headers(sid, headers, end_stream=True)
            self.stream_done(sid)
        elif mode == "close-mid-response":
            self.conn.send_headers(sid, [(b":status", b"200"), (b"content-type", GRPC_CT)])
            whole = grpc_frame(bytes(1000))
            self.conn.send_data(sid, whole[: len(whole) // 2])
            self.flush()
            time.sleep(0.02)  # let the HEADERS/DATA leave before the FIN
            self.close_socket("close-mid-response")
        elif mode == "silent":
            pass

    def maybe_goaway(self) -> None:
        if self.goaway_sent or not (self.first_answered and self.later_seen):
            return
        self.goaway_sent = True
        self.flush()  # the first stream's response goes out before the GOAWAY
        frame = GoAwayFrame(stream_id=0)
        frame.last_stream_id = self.first_sid
        frame.error_code = ErrorCodes.NO_ERROR
        frame.additional_data = b"fault-server goaway"
        self.sock.sendall(frame.serialize())
        self.rec("goaway-sent", last_stream_id=self.first_sid)
        log(f"conn {self.cid}: GOAWAY sent, last_stream_id={self.first_sid}")
        self.at(self.args.close_delay, lambda: self.close_socket("after GOAWAY"))

    # -- responses ------------------------------------------------------------------------
    def respond_echo(self, info: StreamInfo) -> None:
        sid = info.sid
        if info.answered:
            return
        if sid not in self.streams:  # reset by the client meanwhile
            return
        ct = info.header(b"content-type") or b""
        if ct.startswith(GRPC_CT):
            body = bytes(info.body) or EMPTY_MESSAGE
            self.send_response(sid, [(b":status", b"200"), (b"content-type", GRPC_CT)], body,
                               [(b"grpc-status", b"0")])
        else:
            headers = [(b":status", b"200"),
                       (b"content-type", ct or b"application/octet-stream"),
                       (b"x-echo-method", info.header(b":method") or b""),
                       (b"x-echo-path", info.header(b":path") or b""),
                       (b"content-length", str(len(info.body)).encode())]
            self.send_response(sid, headers, bytes(info.body), None)

    def send_response(self, sid: int, headers, body: bytes, trailers) -> None:
        info = self.streams.get(sid)
        if info is not None:
            info.answered = True
        try:
            self.conn.send_headers(sid, headers, end_stream=(not body and trailers is None))
        except h2.exceptions.StreamClosedError:
            self.stream_done(sid)
            return
        if not body and trailers is None:
            self.stream_done(sid)
            return
        self.pending[sid] = [bytearray(body), trailers]
        self.pump(sid)

    def pump(self, sid: int) -> None:
        item = self.pending.get(sid)
        if item is None:
            return
        data, trailers = item
        try:
            while data:
                window = min(self.conn.local_flow_control_window(sid),
                             self.conn.max_outbound_frame_size)
                if window <= 0:
                    return
                chunk = bytes(data[:window])
                del data[:window]
                last = not data and trailers is None
                self.conn.send_data(sid, chunk, end_stream=last)
            if trailers is not None:
                self.conn.send_headers(sid, trailers, end_stream=True)
        except h2.exceptions.StreamClosedError:
            pass
        self.pending.pop(sid, None)
        self.stream_done(sid)

    def pump_all(self) -> None:
        for sid in list(self.pending):
            self.pump(sid)

    def stream_done(self, sid: int) -> None:
        info = self.streams.pop(sid, None)
        if info is not None and info.counted:
            info.counted = False
            self.closing_unflushed += 1


# ---------------------------------------------------------------------------------------------

def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[4:24]))
    add_common_args(parser)
    parser.add_argument("--mode", nargs="+", required=True, metavar="MODE",
                        help="fault mode and its arguments (see below)")
    parser.add_argument("--alpn", default="h2",
                        help="comma-separated ALPN protocols offered with --tls (default h2)")
    parser.add_argument("--early", action="store_true",
                        help="act on the request HEADERS instead of its END_STREAM")
    parser.add_argument("--delay-ms", type=float, default=50.0,
                        help="max-concurrent: answer each stream after this delay (default 50)")
    parser.add_argument("--close-delay", type=float, default=0.5,
                        help="goaway: seconds between GOAWAY and closing the socket (default 0.5)")
    parser.add_argument("--body", help="http-status: also send this text body")
    parser.add_argument("--idle-close", type=float, metavar="SECONDS",
                        help="close connections idle (no open stream, nothing received) this long")
    parser.add_argument("--idle-close-style", choices=["goaway", "fin", "rst"], default="goaway",
                        help="how --idle-close closes (default goaway)")
    parser.add_argument("--record", metavar="FILE", help="append JSON-lines events to FILE")
    parser.add_argument("--one-connection", action="store_true",
                        help="close every connection that arrives while another is open, at once")
    args = parser.parse_args()

    mode = args.mode
    name = mode[0]
    args.mode_name = name
    args.mode_n = None
    args.mode_msg = ""
    if name in SIMPLE_MODES:
        if len(mode) != 1:
            parser.error(f"--mode {name} takes no argument")
    elif name in ("http-status", "max-concurrent"):
        if len(mode) != 2 or not mode[1].isdigit():
            parser.error(f"--mode {name} N")
        args.mode_n = int(mode[1])
        if name == "max-concurrent" and args.mode_n < 1:
            parser.error("--mode max-concurrent N needs N >= 1")
    elif name == "trailers-only":
        if len(mode) not in (2, 3) or not mode[1].isdigit():
            parser.error("--mode trailers-only CODE [MSG]")
        args.mode_n = int(mode[1])
        args.mode_msg = mode[2] if len(mode) == 3 else ""
    else:
        parser.error(f"unknown mode {name!r}")
    return args


def main() -> None:
    args = parse_args()
    life = Lifecycle(args.max_seconds, watch_stdin=not args.no_stdin_watch)
    life.install()
    state = ServerState(args)

    tls_ctx = None
    if args.tls:
        tls_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        tls_ctx.load_cert_chain(args.tls[0], args.tls[1])
        tls_ctx.set_alpn_protocols([p for p in args.alpn.split(",") if p])

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(512)
    port = listener.getsockname()[1]

    def accept_loop() -> None:
        listener.settimeout(0.25)
        while not life.stop.is_set():
            try:
                sock, peer = listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with state.lock:
                turned_away = args.one_connection and state.open_connections > 0
                if not turned_away:
                    state.open_connections += 1
            if turned_away:
                # A per-client connection limit (some load balancers): closed before any byte.
                state.record("turned-away", peer=f"{peer[0]}:{peer[1]}")
                sock.close()
                continue
            conn = Connection(sock, peer, state, life, tls_ctx)
            threading.Thread(target=conn.run, name=f"conn-{conn.cid}", daemon=True).start()

    threading.Thread(target=accept_loop, name="accept", daemon=True).start()
    log(f"listening on 127.0.0.1:{port} ({'TLS alpn=' + args.alpn if args.tls else 'h2c'}), "
        f"mode {' '.join(args.mode)}, max {args.max_seconds:g} s")
    stdout_line(f"PORT {port}")

    reason = life.wait()
    log(f"stopping: {reason}")
    if args.mode_name == "max-concurrent":
        with state.lock:
            k = state.max_open
        stdout_line(f"MAXOPEN {k}")
        log(f"max streams open at once on one connection: {k} (limit {args.mode_n}, "
            f"protocol violations {state.violations})")
    try:
        listener.close()
    except OSError:
        pass
    hard_exit(0)


if __name__ == "__main__":
    main()

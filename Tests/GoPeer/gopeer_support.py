"""Shared by the Go peer's tests (not a test module): starting the peer, the official stub.

The tests import this file (pytest puts this directory on sys.path, since it has no
__init__.py). Every peer is started through Tests/Peers/go_peer.py (build when needed, `PORT`
with a deadline, stopped by its PID) and stopped by a finalizer; every RPC has a timeout.
"""

from __future__ import annotations

import sys
from pathlib import Path

import grpc
import pytest
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import service_pb2_grpc

PEERS_DIR = Path(__file__).resolve().parents[1] / "Peers"
sys.path.insert(0, str(PEERS_DIR))

import go_peer  # noqa: E402

# V2Stub's constructor needs the response deserializer that the client's ClarifaiChannel
# factories select (a module global of clarifai_channel, None until one ran): make one channel
# the documented way and close it unused (grpc channels connect lazily).
ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=9).close()

KEY = "go-peer-key"
METADATA = (("authorization", f"Key {KEY}"),)
CALL_TIMEOUT = 10  # seconds, every RPC


def start_peer(request, arguments=(), max_seconds: float = 60) -> go_peer.GoPeer:
    """A fresh peer for this test, stopped (by PID) when the test ends."""
    try:
        peer = go_peer.start(list(arguments), max_seconds=max_seconds)
    except go_peer.GoPeerError as exc:
        pytest.fail(str(exc), pytrace=False)
    request.addfinalizer(peer.stop)
    return peer


def channel_to(request, peer: go_peer.GoPeer, options=(), credentials=None, target=None) -> grpc.Channel:
    """A connected grpcio channel to the peer (closed before the peer stops)."""
    target = target or peer.target
    if credentials is None:
        channel = grpc.insecure_channel(target, options=list(options))
    else:
        channel = grpc.secure_channel(target, credentials, options=list(options))
    request.addfinalizer(channel.close)  # finalizers run last-in first-out: before the peer stops
    try:
        grpc.channel_ready_future(channel).result(timeout=CALL_TIMEOUT)
    except grpc.FutureTimeoutError:
        pytest.fail(f"no connection to the Go peer within {CALL_TIMEOUT} s\nstderr:\n{peer.stderr_text()}",
                    pytrace=False)
    return channel


def stub_for(request, peer: go_peer.GoPeer, **kwargs) -> service_pb2_grpc.V2Stub:
    """The official stub over a channel to the peer."""
    return service_pb2_grpc.V2Stub(channel_to(request, peer, **kwargs))

#!/usr/bin/env bash
# Build the transport benchmark's C++ gRPC echo server (Benchmarks/cpp/grpc_echo_server.cc)
# against Debian's libgrpc++ 1.51 and print the binary's path.
#
#   scripts/bench_transport_server.sh
#
# Installs libgrpc++-dev and protobuf-compiler-grpc when missing (the server uses gRPC's
# generic async API, so no protoc/grpc_cpp_plugin code generation is needed: it passes bytes).
# Build directory: Benchmarks/.build-cpp/ (override with CPP_BENCH_BUILD_DIR); rebuilds only
# when the source or the compiler flags changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${CPP_BENCH_BUILD_DIR:-$ROOT/Benchmarks/.build-cpp}"
SRC="$ROOT/Benchmarks/cpp/grpc_echo_server.cc"
CXX="${CXX:-g++}"
log() { echo "bench_transport_server: $*" >&2; }

if ! pkg-config --exists grpc++ 2>/dev/null || ! command -v "$CXX" >/dev/null \
   || ! dpkg -s protobuf-compiler-grpc >/dev/null 2>&1; then
    log "installing libgrpc++-dev protobuf-compiler-grpc pkg-config g++"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -qq libgrpc++-dev protobuf-compiler-grpc pkg-config g++ >&2 \
        || { $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq libgrpc++-dev protobuf-compiler-grpc pkg-config g++ >&2; }
fi

mkdir -p "$BUILD"
BIN="$BUILD/grpc_echo_server"
FLAGS="-O2 -std=c++17 -DNDEBUG -pthread $(pkg-config --cflags grpc++)"
LIBS="$(pkg-config --libs grpc++)"
STAMP="$( { echo "$CXX $FLAGS $LIBS"; pkg-config --modversion grpc++; cat "$SRC"; } | sha256sum | cut -d' ' -f1)"
if [ -x "$BIN" ] && [ "$(cat "$BUILD/grpc_echo_server.stamp" 2>/dev/null)" = "$STAMP" ]; then
    log "up to date: $BIN"
else
    log "compiling $SRC (grpc++ $(pkg-config --modversion grpc++))"
    # shellcheck disable=SC2086
    $CXX $FLAGS -o "$BIN.tmp" "$SRC" $LIBS
    mv -f "$BIN.tmp" "$BIN"
    echo "$STAMP" > "$BUILD/grpc_echo_server.stamp"
    log "built $BIN"
fi
echo "$BIN"

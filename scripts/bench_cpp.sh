#!/usr/bin/env bash
# Build (and optionally run) the C++ protobuf peer of the codec benchmark.
#
#   scripts/bench_cpp.sh                 build only; prints the binary's path
#   scripts/bench_cpp.sh PAYLOAD.bin     build, then run it on PAYLOAD.bin
#
# Generates C++ with `protoc --cpp_out` from the repository's protos/ (the well-known types
# under google/protobuf come from libprotobuf itself), compiles with g++ -O2 and links
# -lprotobuf, together with the malloc counter shared with the Swift benchmark.
# Build directory: Benchmarks/.build-cpp/ (override with CPP_BENCH_BUILD_DIR). Rebuilds
# only when an input changed. Installs protobuf-compiler and libprotobuf-dev when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${CPP_BENCH_BUILD_DIR:-$ROOT/Benchmarks/.build-cpp}"
PROTOS="$ROOT/protos"
SRC="$ROOT/Benchmarks/cpp/codec_bench.cc"
MC_DIR="$ROOT/Benchmarks/Sources/MallocCounter"
CXX="${CXX:-g++}"
CXXFLAGS=(-O2 -std=c++17 -DNDEBUG -pthread)

log() { echo "bench_cpp: $*" >&2; }

# --- system dependencies ---------------------------------------------------------------
if ! command -v protoc >/dev/null || [ ! -f /usr/include/google/protobuf/message.h ] \
   || ! command -v "$CXX" >/dev/null; then
    log "installing protobuf-compiler libprotobuf-dev g++"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get install -y protobuf-compiler libprotobuf-dev g++ >&2 \
        || { $SUDO apt-get update >&2 && $SUDO apt-get install -y protobuf-compiler libprotobuf-dev g++ >&2; }
fi

# --- inputs --------------------------------------------------------------------------
# Every .proto under protos/ except google/protobuf/* (compiled into libprotobuf already;
# generating them again would register the same descriptors twice).
mapfile -t PROTO_FILES < <(cd "$PROTOS" && find . -name '*.proto' -not -path './google/protobuf/*' \
                            | sed 's|^\./||' | LC_ALL=C sort)
if [ "${#PROTO_FILES[@]}" -eq 0 ] || [ ! -f "$PROTOS/clarifai/api/service.proto" ]; then
    log "protos/clarifai/api/service.proto is missing"; exit 1
fi

stamp_of_inputs() {
    {
        echo "$CXX ${CXXFLAGS[*]}"; protoc --version
        (cd "$PROTOS" && cat "${PROTO_FILES[@]}")
        cat "$SRC" "$MC_DIR/malloc_counter.c" "$MC_DIR/include/MallocCounter.h"
    } | sha256sum | cut -d' ' -f1
}

BIN="$BUILD/codec_bench"
STAMP="$(stamp_of_inputs)"
if [ -x "$BIN" ] && [ "$(cat "$BUILD/stamp" 2>/dev/null)" = "$STAMP" ]; then
    log "up to date: $BIN"
else
    log "generating C++ from protos/ (${#PROTO_FILES[@]} files)"
    rm -rf "$BUILD/gen" "$BUILD/obj"
    mkdir -p "$BUILD/gen" "$BUILD/obj"
    (cd "$PROTOS" && protoc -I. -I/usr/include --cpp_out="$BUILD/gen" "${PROTO_FILES[@]}")
    mapfile -t CC_FILES < <(cd "$BUILD/gen" && find . -name '*.pb.cc' | sed 's|^\./||' | LC_ALL=C sort)
    log "compiling ${#CC_FILES[@]} generated files + codec_bench.cc with $CXX -O2"
    export CXX BUILD
    export CXXFLAGS_STR="${CXXFLAGS[*]}"
    printf '%s\n' "${CC_FILES[@]}" | xargs -P "$(nproc)" -I{} sh -c \
        'o="$BUILD/obj/$(echo "{}" | tr / _).o"; $CXX $CXXFLAGS_STR -I"$BUILD/gen" -c "$BUILD/gen/{}" -o "$o"'
    $CXX "${CXXFLAGS[@]}" -I"$BUILD/gen" -I"$MC_DIR/include" -c "$SRC" -o "$BUILD/obj/codec_bench.o"
    ${CC:-gcc} -O2 -I"$MC_DIR/include" -c "$MC_DIR/malloc_counter.c" -o "$BUILD/obj/malloc_counter.o"
    $CXX "${CXXFLAGS[@]}" -o "$BIN" "$BUILD"/obj/*.o -lprotobuf
    echo "$STAMP" > "$BUILD/stamp"
    log "built $BIN"
fi

if [ "$#" -ge 1 ]; then
    exec "$BIN" "$1"
else
    echo "$BIN"
fi

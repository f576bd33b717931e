#!/usr/bin/env bash
# Regenerate the swift-protobuf peer (Benchmarks/Sources/SwiftProtobufPeer/*.pb.swift) from
# protos/ with swift-protobuf 1.39.0's protoc-gen-swift. The output is committed; run this
# only when protos/ changes.
#
# The plugin: $PROTOC_GEN_SWIFT if set, else built once (~2-10 min) from the local mirror of
# apple/swift-protobuf at tag 1.39.0 in $PLUGIN_DIR (default /tmp/swift-protobuf-plugin),
# under `flock /tmp/swift-build.lock` like every Swift build on this machine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/Benchmarks/Sources/SwiftProtobufPeer"
PLUGIN_DIR="${PLUGIN_DIR:-/tmp/swift-protobuf-plugin}"
MIRROR="${SWIFT_PROTOBUF_GIT:-/opt/swift-packages/apple/swift-protobuf.git}"
TAG=1.39.0

if [ -z "${PROTOC_GEN_SWIFT:-}" ]; then
    PROTOC_GEN_SWIFT="$PLUGIN_DIR/.build/release/protoc-gen-swift"
    if [ ! -x "$PROTOC_GEN_SWIFT" ]; then
        [ -d "$PLUGIN_DIR/.git" ] || git clone -q "$MIRROR" "$PLUGIN_DIR"
        git -C "$PLUGIN_DIR" checkout -q "$TAG"
        (cd "$PLUGIN_DIR" && flock /tmp/swift-build.lock swift build -c release --product protoc-gen-swift)
    fi
fi
"$PROTOC_GEN_SWIFT" --version

# Everything in protos/ except the well-known types, which SwiftProtobuf itself provides.
mapfile -t PROTO_FILES < <(cd "$ROOT/protos" && find . -name '*.proto' -not -path './google/protobuf/*' \
                            | sed 's|^\./||' | LC_ALL=C sort)
rm -f "$OUT"/*.pb.swift
mkdir -p "$OUT"
(cd "$ROOT/protos" && protoc -I. -I/usr/include \
    --plugin=protoc-gen-swift="$PROTOC_GEN_SWIFT" \
    --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores \
    --swift_out="$OUT" "${PROTO_FILES[@]}")
ls -l "$OUT"

#!/usr/bin/env bash
# Builds the Go V2 peer into OUT (default: <repository>/.build-go) and prints the binary's path.
#
# Offline, from Debian's packages only: golang-go, golang-google-grpc-dev,
# golang-google-protobuf-dev, protoc-gen-go, protoc-gen-go-grpc, protobuf-compiler (+
# libprotobuf-dev for the well-known types). GOPATH mode (GO111MODULE=off), with the
# generated code in OUT/gopath and the Debian sources in /usr/share/gocode.
#
# The Go code for the messages is generated from the repository's own protos/ on every build
# that needs one; nothing generated is committed. The protos have no go_package option, so
# each file gets an `M` mapping to an import path under clarifaipeer/.
#
# Cached: the inputs (this folder's sources, every protos/ file, the tool versions) are hashed,
# and when OUT/go_v2_server.stamp holds the same hash and the binary exists, nothing runs.
# `--force` rebuilds anyway. The Go build cache lives in OUT/cache. Concurrent calls wait for
# each other (flock on OUT/go_v2_server.lock).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
out="${GO_PEER_OUT:-$repo/.build-go}"
force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    *) out="$arg" ;;
  esac
done

binary="$out/go_v2_server"
stamp="$out/go_v2_server.stamp"
protos="$repo/protos"
pkg=clarifaipeer

for tool in go protoc protoc-gen-go protoc-gen-go-grpc; do
  command -v "$tool" >/dev/null || {
    echo "build.sh: $tool not found (make apt-deps installs golang-go, protoc-gen-go," \
         "protoc-gen-go-grpc, golang-google-grpc-dev, golang-google-protobuf-dev)" >&2
    exit 2
  }
done

# The hash of everything the binary depends on, in a stable order.
inputs_hash() {
  {
    (cd "$here" && find . -type f \( -name '*.go' -o -name 'build.sh' \) | LC_ALL=C sort | xargs sha256sum)
    (cd "$protos" && find . -type f -name '*.proto' | LC_ALL=C sort | xargs sha256sum)
    go version
    protoc --version
    dpkg-query -W -f '${Package} ${Version}\n' protoc-gen-go protoc-gen-go-grpc \
      golang-google-grpc-dev golang-google-protobuf-dev 2>/dev/null || true
  } | sha256sum | cut -d' ' -f1
}

mkdir -p "$out"
# One build at a time (parallel test processes may all ask for the binary); the second one
# then finds the stamp up to date.
exec 9>"$out/go_v2_server.lock"
flock 9

hash="$(inputs_hash)"
if [[ $force -eq 0 && -x "$binary" && -f "$stamp" && "$(cat "$stamp")" == "$hash" ]]; then
  echo "$binary"
  exit 0
fi

# Build into a scratch folder and move the results into place at the end, so a concurrent
# caller never sees half-generated code or a half-written binary.
scratch="$(mktemp -d "$out/build.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
src="$scratch/gopath/src"
mkdir -p "$src"

# Every protos/ file, mapped to a Go import path (M<file>=<import path>). Files of one proto
# package share a Go package. The well-known types keep their own go_package options
# (google.golang.org/protobuf/types/...), which protoc's include directory provides.
mapping=()
files=()
while IFS= read -r file; do
  files+=("$file")
  dir="$(dirname "$file")"
  mapping+=("M$file=$pkg/$dir")
done < <(cd "$protos" && find . -type f -name '*.proto' | sed 's|^\./||' | LC_ALL=C sort)

go_opts=(--go_opt=paths=import)
grpc_opts=(--go-grpc_opt=paths=import)
for m in "${mapping[@]}"; do
  go_opts+=("--go_opt=$m")
  grpc_opts+=("--go-grpc_opt=$m")
done

# protoc-gen-go generates every file; protoc-gen-go-grpc only the one with the service.
(cd "$protos" && protoc -I. --go_out="$src" "${go_opts[@]}" "${files[@]}")
(cd "$protos" && protoc -I. --go-grpc_out="$src" "${grpc_opts[@]}" clarifai/api/service.proto)

export GO111MODULE=off
export GOPATH="$scratch/gopath:/usr/share/gocode"
export GOCACHE="$out/cache"
export GOFLAGS=
export CGO_ENABLED=0
mkdir -p "$GOCACHE"
# The main package sits outside GOPATH; GOPATH mode builds it from its directory.
(cd "$here" && go build -trimpath -o "$scratch/go_v2_server" .)

rm -rf "$out/gopath"
mv "$scratch/gopath" "$out/gopath"
mv -f "$scratch/go_v2_server" "$binary"
echo "$hash" >"$stamp"
echo "$binary"

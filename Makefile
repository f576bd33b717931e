# The package's entry points. Each installs what it needs when it is missing, so they work
# on a fresh Debian machine with the Swift toolchain (CI runs `make test` on a clean clone).

SWIFT ?= swift
PYTHON ?= python3
BIN := .build/debug/annotations
APT_PACKAGES := protobuf-compiler libprotobuf-dev pkg-config libnghttp2-dev libssl-dev zlib1g-dev openssl nginx tinyproxy \
	golang-go golang-google-grpc-dev golang-google-protobuf-dev protoc-gen-go protoc-gen-go-grpc
PIP_PACKAGES := clarifai-grpc grpcio pytest h2

.PHONY: all build demo test test-swift test-compat bench fuzz soak deps apt-deps pip-deps go-peer doc-coverage lint docs clean

all: build

# System packages: installed only when one is missing (apt-get needs root, as in CI).
apt-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# The official definitions (clarifai-grpc) are the reference the compatibility tests compare against.
pip-deps:
	@$(PYTHON) -c "import clarifai_grpc, grpc, pytest, h2" 2>/dev/null || \
	  $(PYTHON) -m pip install -q --disable-pip-version-check $(PIP_PACKAGES)

deps: apt-deps pip-deps

# The Go V2 test peer (grpc-go, Tests/Peers/go_v2_server) into .build-go/: cached, a no-op when
# its sources and protos/ have not changed.
go-peer: apt-deps
	bash Tests/Peers/go_v2_server/build.sh

build: apt-deps
	$(SWIFT) build

# Doc comments: the public symbols, documented ones and share of each library module; fails
# naming every undocumented public symbol of the modules in DOC_REQUIRED (all five). What counts
# as documented is in scripts/doc_coverage.py. Needs a debug build.
DOC_REQUIRED := ProtoWire H2Transport AnnotationsRPC ClarifaiV2 AnnotationsObservability
DOC_COVERAGE = SWIFT='$(SWIFT)' $(PYTHON) scripts/doc_coverage.py --require $(DOC_REQUIRED)

doc-coverage: apt-deps
	$(SWIFT) build
	$(DOC_COVERAGE)

# The DocC documentation of the library modules as one static site in docs/site (serve it, e.g.
# `python3 -m http.server -d docs/site`, and open /documentation): the catalogs
# Sources/<Module>/<Module>.docc (articles and landing pages) and every public symbol's doc
# comment, built by swift-docc-plugin with the toolchain's docc (builds the modules first). Fails when docc warns about a catalog (an unresolved link, say); warnings
# from doc comments in the sources are printed but let the build pass. DOCS_BASE_PATH serves
# it under a path (GitHub Pages: the repository's name).
DOCS_TARGETS := ProtoWire H2Transport ClarifaiV2 AnnotationsRPC AnnotationsObservability AnnotationsEmulator
DOCS_OUTPUT := docs/site
DOCS_BASE_PATH ?=
DOCS_LOG := .build/docs.log

docs: apt-deps
	@mkdir -p .build
	{ $(SWIFT) package --allow-writing-to-directory $(DOCS_OUTPUT) generate-documentation \
	    $(foreach target,$(DOCS_TARGETS),--target $(target)) --enable-experimental-combined-documentation \
	    --output-path $(DOCS_OUTPUT) --transform-for-static-hosting \
	    $(if $(DOCS_BASE_PATH),--hosting-base-path $(DOCS_BASE_PATH)); \
	  echo $$? > $(DOCS_LOG).status; } 2>&1 | tee $(DOCS_LOG)
	@status=$$(cat $(DOCS_LOG).status); [ "$$status" = 0 ] || { echo "docs: generate-documentation failed ($$status)"; exit 1; }
	@# docc gives each diagnostic's place on a line of its own, "  --> FILE:LINE:COL-…": a
	@# catalog's are its .md files, doc comments' the .swift sources (only ours are documented).
	@if grep -E '^ *--> [^ ]*\.(md|swift):[0-9]+' $(DOCS_LOG); then \
	  echo "docs: docc warns about the catalogs or doc comments at the places above: fix them"; exit 1; fi
	@echo "docs: $(DOCS_OUTPUT)/index.html"

# The main job: every documented scenario through the package, over gRPC (printed), then
# over REST on HTTP/2 and on HTTP/1.1 (summary lines).
demo: build
	$(BIN) demo
	$(BIN) demo --quiet --transport rest
	$(BIN) demo --quiet --transport rest-h1

# The formatter's check (.swift-format; the toolchain ships `swift format`): the tree must be as
# `swift format format -r -i Sources Tests Package.swift` leaves it.
lint:
	$(SWIFT) format lint --strict --recursive --parallel Sources Tests Package.swift

test: deps go-peer lint
	$(SWIFT) build
	$(DOC_COVERAGE)
	$(MAKE) --no-print-directory docs
	$(SWIFT) test
	ANNOTATIONS_BIN=$(CURDIR)/$(BIN) $(PYTHON) -m pytest -q Tests/Compat Tests/CLITests Tests/EmulatorInterop Tests/GoPeer
	# A user's package depending on the products by path (Tests/ConsumerPackage), built apart.
	cd Tests/ConsumerPackage && $(SWIFT) test --scratch-path $(CURDIR)/.build-consumer

# Every benchmark (codec, gRPC transport, gRPC against REST) into BENCHMARKS.md.
bench: deps
	bash scripts/bench_all.sh

# libFuzzer on the decoders, the client's response paths and the emulator (FUZZ_SECONDS each).
fuzz: apt-deps
	bash scripts/fuzz.sh

# Mixed workload for SOAK_SECONDS per wire, then the 100,000-annotation lossless import.
soak: deps
	bash scripts/soak.sh

clean:
	rm -rf .build .build-go .build-consumer docs/site

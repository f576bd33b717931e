#!/usr/bin/env python3
"""Doc-comment coverage of the package's public API, from the compiler's symbol graphs.

Runs `swift-symbolgraph-extract` (it ships with the toolchain) on the modules of the last debug
build (`swift build` first), reads the symbol graph JSON and prints, per module, the public
symbols, how many are documented, how many are not, and the documented share. With
`--require MODULE...` it exits 1 when one of those modules has an undocumented public symbol,
naming each as `Module: kind path (file:line)`.

    python3 scripts/doc_coverage.py                        # the table, for every library module
    python3 scripts/doc_coverage.py --list ProtoWire       # ... and ProtoWire's undocumented symbols
    python3 scripts/doc_coverage.py --require H2Transport AnnotationsRPC

What counts (the rule)
----------------------
A module's public symbols are the symbols of its symbol graphs (`Module.symbols.json`, and
`Module@Other.symbols.json` for its extensions of other modules' types) extracted with
`-minimum-access-level public` (so `public` and `open`, no SPI), except:

* synthesized members, whose identifier contains `::SYNTHESIZED::`: members a protocol
  extension (`Equatable.!=`, `AsyncSequence.map`, ...) lends to every conforming type. They
  are declared once, in the protocol's module, and documented there; the module that merely
  conforms declares nothing. The same holds for any symbol without a source location (an
  implicit declaration the compiler wrote).
* extension blocks themselves (`swift.extension`, not emitted: `-omit-extension-block-symbols`);
  their members count.

A counted symbol is documented when either

1. it has its own `///` (or `/** */`) doc comment: the `docComment` the extractor emits
   with `-skip-inherited-docs`, which omits every comment borrowed from another declaration; or
2. it has no comment of its own, it implements or overrides another declaration -- in the
   graph, its `memberOf` relationship carries a `sourceOrigin` (it is the witness of a
   protocol requirement: `description`, `==`, `hash(into:)`, `init(rawValue:)`, an
   `AsyncSequence`'s `Element`), or it is the source of a `defaultImplementationOf` or
   `overrides` relationship -- and that declaration is documented: the extractor, run
   without `-skip-inherited-docs`, gives the symbol the inherited `docComment`. This is
   the compiler's own doc inheritance (what DocC and Quick Help show), so an implementation
   of an undocumented requirement (`AsyncIteratorProtocol.Element`, say) is undocumented.

Anything else public is undocumented, whatever its kind (cases, static members, typealiases,
initializers included). The script uses the standard library only. Exit status: 0, 1 when a
required module has an undocumented symbol, 2 when the symbol graphs cannot be extracted.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARY_MODULES = ["ProtoWire", "H2Transport", "ClarifaiV2", "AnnotationsRPC", "AnnotationsObservability"]
SYNTHESIZED = "::SYNTHESIZED::"
INHERITING_RELATIONSHIPS = {"defaultImplementationOf", "overrides"}


@dataclass
class Undocumented:
    kind: str
    path: str
    file: str
    line: int

    def render(self, module: str) -> str:
        return f"{module}: {self.kind} {self.path} ({self.file}:{self.line})"


@dataclass
class Coverage:
    module: str
    own: int = 0
    inherited: int = 0
    excluded: int = 0
    undocumented: list[Undocumented] = field(default_factory=list)

    @property
    def documented(self) -> int:
        return self.own + self.inherited

    @property
    def public(self) -> int:
        return self.documented + len(self.undocumented)

    @property
    def share(self) -> str:
        return f"{100.0 * self.documented / self.public:.1f}%" if self.public else "-"


def fail(message: str) -> None:
    print(f"doc_coverage: {message}", file=sys.stderr)
    sys.exit(2)


def swift_command() -> list[str]:
    """The `swift` driver as the Makefile's `SWIFT` names it (`swift` by default)."""
    return shlex.split(os.environ.get("SWIFT", "swift")) or ["swift"]


def run(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        fail(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr.strip()}")
    return result.stdout


def extractor() -> str:
    """`swift-symbolgraph-extract` on PATH, else next to the `swift` driver."""
    found = shutil.which("swift-symbolgraph-extract")
    if found:
        return found
    driver = shutil.which(swift_command()[-1])
    if driver:
        beside = Path(os.path.realpath(driver)).parent / "swift-symbolgraph-extract"
        if beside.exists():
            return str(beside)
    fail("swift-symbolgraph-extract not found (it ships with the Swift toolchain)")
    return ""


def module_map_directories(bin_path: Path) -> list[Path]:
    """Directories with a `module.modulemap`: the package's system library targets (CNGHTTP2,
    COpenSSL) and the module maps the build generated for C targets, so the modules that
    import them resolve. (`X.build/include/module.modulemap` is a Swift module's header map,
    not wanted: the tool targets' copies would define ArgumentParser twice.)"""
    directories = {map_file.parent for map_file in (ROOT / "Sources").glob("*/module.modulemap")}
    directories |= {map_file.parent for map_file in bin_path.glob("*.build/module.modulemap")}
    return sorted(directories)


def extract(module: str, bin_path: Path, triple: str, output: Path, inherited_docs: bool) -> dict[str, dict]:
    """The module's symbols (own graph and extension graphs) by precise identifier, each with
    the `memberOf`/inheritance relationships it is the source of under `_relationships`."""
    output.mkdir(parents=True, exist_ok=True)
    command = [
        extractor(), "-module-name", module, "-target", triple,
        "-I", str(bin_path / "Modules"), "-module-cache-path", str(bin_path / "ModuleCache"),
        "-output-dir", str(output), "-minimum-access-level", "public", "-omit-extension-block-symbols",
    ]
    for directory in module_map_directories(bin_path):
        command += ["-I", str(directory)]
    if not inherited_docs:
        command.append("-skip-inherited-docs")
    run(command)
    symbols: dict[str, dict] = {}
    graphs = [output / f"{module}.symbols.json"] + sorted(output.glob(f"{module}@*.symbols.json"))
    if not graphs[0].exists():
        fail(f"no symbol graph for {module} in {output}")
    for graph_file in graphs:
        graph = json.loads(graph_file.read_text())
        for symbol in graph["symbols"]:
            symbol["_relationships"] = []
            symbols.setdefault(symbol["identifier"]["precise"], symbol)
        for relationship in graph["relationships"]:
            source = symbols.get(relationship["source"])
            if source is not None:
                source["_relationships"].append(relationship)
    return symbols


def inherits_docs_from_elsewhere(symbol: dict) -> bool:
    """Whether the graph says the symbol implements or overrides another declaration."""
    for relationship in symbol["_relationships"]:
        if relationship["kind"] == "memberOf" and "sourceOrigin" in relationship:
            return True
        if relationship["kind"] in INHERITING_RELATIONSHIPS:
            return True
    return False


def has_doc(symbol: dict | None) -> bool:
    if symbol is None or "docComment" not in symbol:
        return False
    return any(line["text"].strip() for line in symbol["docComment"]["lines"])


def source_position(symbol: dict) -> tuple[str, int]:
    location = symbol["location"]
    path = location["uri"].removeprefix("file://")
    try:
        path = str(Path(path).relative_to(ROOT))
    except ValueError:
        pass
    return path, location["position"]["line"] + 1


def coverage(module: str, bin_path: Path, triple: str, scratch: Path) -> Coverage:
    own_docs = extract(module, bin_path, triple, scratch / module / "own", inherited_docs=False)
    with_inherited = extract(module, bin_path, triple, scratch / module / "inherited", inherited_docs=True)
    result = Coverage(module)
    for identifier, symbol in own_docs.items():
        if SYNTHESIZED in identifier or "location" not in symbol:
            result.excluded += 1
        elif has_doc(symbol):
            result.own += 1
        elif inherits_docs_from_elsewhere(symbol) and has_doc(with_inherited.get(identifier)):
            result.inherited += 1
        else:
            file, line = source_position(symbol)
            kind = symbol["kind"]["identifier"].removeprefix("swift.")
            result.undocumented.append(Undocumented(kind, ".".join(symbol["pathComponents"]), file, line))
    result.undocumented.sort(key=lambda item: (item.file, item.line, item.path))
    return result


def print_table(results: list[Coverage], required: set[str]) -> None:
    print(f"{'module':<26}{'public':>8}{'documented':>12}{'(own':>6}{'inherited)':>12}"
          f"{'undocumented':>14}{'share':>8}  required")
    for item in results:
        print(f"{item.module:<26}{item.public:>8}{item.documented:>12}{item.own:>6}{item.inherited:>12}"
              f"{len(item.undocumented):>14}{item.share:>8}  {'yes' if item.module in required else 'no'}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Doc-comment coverage of the public API, per module.",
        epilog="The rule for what counts is in the script's docstring.",
    )
    parser.add_argument("modules", nargs="*", help=f"modules to report (default: {' '.join(LIBRARY_MODULES)})")
    parser.add_argument("--require", nargs="+", default=[], metavar="MODULE",
                        help="fail (exit 1) naming every undocumented public symbol of these modules")
    parser.add_argument("--list", action="store_true", help="name the undocumented symbols of every module")
    parser.add_argument("--bin-path", type=Path,
                        help="the debug build's directory (default: swift build --show-bin-path)")
    arguments = parser.parse_args()

    modules = list(dict.fromkeys((arguments.modules or LIBRARY_MODULES) + arguments.require))
    # The last line: SwiftPM may print a note before the path.
    bin_path = arguments.bin_path or Path(run(swift_command() + ["build", "--show-bin-path"]).strip().splitlines()[-1])
    if not (bin_path / "Modules").is_dir():
        fail(f"{bin_path / 'Modules'} does not exist: run `swift build` first")
    triple = json.loads(run(swift_command() + ["-print-target-info"]))["target"]["triple"]

    with tempfile.TemporaryDirectory(prefix="doc-coverage-") as scratch:
        results = [coverage(module, bin_path, triple, Path(scratch)) for module in modules]
    required = set(arguments.require)
    print_table(results, required)

    failing = False
    for item in results:
        if item.undocumented and (arguments.list or item.module in required):
            print()
            for symbol in item.undocumented:
                print(symbol.render(item.module))
        if item.undocumented and item.module in required:
            failing = True
    if failing:
        print("\ndoc_coverage: required modules have undocumented public symbols (see above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

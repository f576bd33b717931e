"""The Swift code of the DocC articles compiles: every ```swift block, as written.

Each ```swift block of every `.md` file under `Sources/*/*.docc/` is compiled on its own with
`swiftc -swift-version 6 -emit-sil` (type checking, then the mandatory SIL passes: definite
initialization, exclusivity and the Swift 6 data-race checks), warnings counting as errors (an
article shows no deprecated call and no unused variable), as the main file of a program, so
top-level statements and `await` are allowed, against the modules of the debug build
(`make build`, or the `swift build` that `make test` runs first). A block is what a reader
copies: it has its own `import` lines and declares what it uses (a placeholder such as
`{YOUR_INPUT_ID}` is a string). A `#sourceLocation` line maps the compiler's messages to the
article's own lines.

Fragments (a package manifest, a line of configuration out of context) are marked by an HTML
comment on the line just above the opening fence, which DocC does not render:

    <!-- skip-compile: why this block cannot compile on its own -->

The reason is required, and such blocks stay few (at most a fifth of them): most of an
article's code must compile. The fence itself stays ```swift alone, which DocC highlights (DocC
reads words after the language as the block's options, so "```swift skip-compile" is refused).

The modules are in $SWIFT_BUILD_DIR (default: the directory of $ANNOTATIONS_BIN, else
<repo>/.build/debug); the compiler is $SWIFTC (default: swiftc on PATH).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SKIP_MARK = re.compile(r"^<!--\s*skip-compile:\s*(\S.*?)\s*-->$")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*(\S*)(.*)$")
COMPILE_TIMEOUT = 120
# At most this share of the blocks may be marked skip-compile.
MAX_SKIPPED_SHARE = 0.2


@dataclass
class Block:
    article: Path
    line: int  # the line of the block's first code line, from 1
    code: str
    skip_reason: str | None

    @property
    def name(self) -> str:
        return f"{self.article.relative_to(REPO_ROOT / 'Sources')}:{self.line}"


def articles() -> list[Path]:
    return sorted((REPO_ROOT / "Sources").glob("*/*.docc/**/*.md"))


def swift_blocks(article: Path) -> list[Block]:
    """The ```swift blocks of an article, with the line each starts on and its skip mark."""
    lines = article.read_text().splitlines()
    blocks, index = [], 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        indent, fence, language = opening.group(1), opening.group(2), opening.group(3)
        end = index + 1
        while end < len(lines) and not (lines[end].strip().startswith(fence) and lines[end].strip().strip(fence[0]) == ""):
            end += 1
        if language.lower().startswith("swift") and (language.lower() != "swift" or opening.group(4).strip()):
            # DocC would take "swift skip-compile" or "swift, nocopy" as a language or its options.
            raise AssertionError(f"{article}:{index + 1}: a swift block's fence is ```swift alone; mark a "
                                 "fragment with <!-- skip-compile: why --> on the line above")
        if language.lower() == "swift":
            previous = lines[index - 1].strip() if index > 0 else ""
            mark = SKIP_MARK.match(previous)
            code = "\n".join(line[len(indent):] if line.startswith(indent) else line for line in lines[index + 1:end])
            blocks.append(Block(article, index + 2, code + "\n", mark.group(1) if mark else None))
        index = end + 1
    return blocks


def all_blocks() -> list[Block]:
    return [block for article in articles() for block in swift_blocks(article)]


def build_directory() -> Path:
    if os.environ.get("SWIFT_BUILD_DIR"):
        return Path(os.environ["SWIFT_BUILD_DIR"])
    if os.environ.get("ANNOTATIONS_BIN"):
        return Path(os.environ["ANNOTATIONS_BIN"]).parent
    return REPO_ROOT / ".build" / "debug"


def compiler() -> str:
    found = os.environ.get("SWIFTC") or shutil.which("swiftc")
    if not found:
        pytest.fail("no swiftc on PATH (set SWIFTC)", pytrace=False)
    return found


def compile_block(block: Block, directory: Path) -> subprocess.CompletedProcess:
    modules = build_directory() / "Modules"
    if not (modules / "AnnotationsRPC.swiftmodule").exists():
        pytest.fail(f"no debug build in {modules.parent}: run `swift build` first", pytrace=False)
    source = directory / "main.swift"
    # The article's path and line in every message; the block is the whole program.
    location = block.article.relative_to(REPO_ROOT)
    source.write_text(f'#sourceLocation(file: "{location}", line: {block.line})\n{block.code}')
    command = [compiler(), "-swift-version", "6", "-warnings-as-errors", "-emit-sil", "-o", os.devnull,
               "-I", str(modules)]
    # The C modules behind H2Transport, which its importers load with it.
    # Every C module the libraries import (CNGHTTP2, COpenSSL, CZlib, …): each one's module map.
    for module_map in sorted((REPO_ROOT / "Sources").glob("*/module.modulemap")):
        command += ["-Xcc", f"-fmodule-map-file={module_map}"]
    # A cache of its own beside the build's, kept between runs (the first block fills it).
    command += ["-module-cache-path", str(build_directory().parent / "docc-examples-module-cache"), str(source)]
    return subprocess.run(command, cwd=directory, capture_output=True, text=True, timeout=COMPILE_TIMEOUT)


BLOCKS = all_blocks()


def test_the_catalogs_have_swift_code():
    catalogs = {path.name for path in (REPO_ROOT / "Sources").glob("*/*.docc")}
    assert {"AnnotationsRPC.docc", "ProtoWire.docc", "H2Transport.docc"} <= catalogs, catalogs
    assert len([block for block in BLOCKS if block.skip_reason is None]) >= 10


def test_few_blocks_are_fragments():
    skipped = [block.name for block in BLOCKS if block.skip_reason is not None]
    assert len(skipped) <= MAX_SKIPPED_SHARE * len(BLOCKS), (
        f"{len(skipped)} of {len(BLOCKS)} swift blocks are marked skip-compile: {skipped}")


@pytest.mark.parametrize("block", BLOCKS, ids=[block.name for block in BLOCKS])
def test_the_swift_block_compiles(block: Block, tmp_path: Path):
    if block.skip_reason is not None:
        pytest.skip(f"skip-compile: {block.skip_reason}")
    result = compile_block(block, tmp_path)
    assert result.returncode == 0, f"{block.name} does not compile:\n{result.stderr}"

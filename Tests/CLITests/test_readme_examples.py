"""The README's command-line examples, run as written against the emulator (`annotations serve`).

The `sh` blocks of README.md's sections "The emulator" and "The command-line tool" are read from
the file and each line is run with bash, in order, in a scratch directory. Only what a reader
fills in is filled in: the key (`…`), ANNOTATION_ID (the id the example's `post` printed), and
free loopback ports instead of 8080 and 8443. The network subcommands are pointed at the
emulator by an `annotations` wrapper first on PATH that inserts `--endpoint h2c://127.0.0.1:P`
after the subcommand: nothing else of an example changes. `serve` lines run until their banner,
then get SIGINT (and must exit 0).

The tool is $ANNOTATIONS_BIN, default <repo>/.build/debug/annotations.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"
DEFAULT_BINARY = REPO_ROOT / ".build" / "debug" / "annotations"
NETWORK = ("post", "list", "get", "patch", "delete", "import", "export")
KEY = "readme-example-key"
RUN_TIMEOUT = 120  # the bench example runs 6 measured runs of about 3.5 s

sys.path.insert(0, str(REPO_ROOT / "Tests" / "EmulatorInterop"))
import emulator as emulator_process  # noqa: E402


@pytest.fixture(scope="module")
def binary() -> Path:
    path = Path(os.environ.get("ANNOTATIONS_BIN") or DEFAULT_BINARY)
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(f"the annotations tool is missing: {path}", pytrace=False)
    return path


def sh_block(section: str) -> list[str]:
    """The lines of the first ```sh block under the `## {section}` heading."""
    text = README.read_text()
    start = text.index(f"## {section}\n")
    block = re.search(r"```sh\n(.*?)```", text[start:], re.S)
    assert block, f"no sh block under {section}"
    return [line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrapper(directory: Path, binary: Path, endpoint: str) -> dict:
    """An environment whose `annotations` is the tool, pointed at `endpoint` for network calls."""
    directory.mkdir()
    script = directory / "annotations"
    script.write_text(
        "#!/bin/sh\n"
        f'case "$1" in {"|".join(NETWORK)})\n'
        f'  sub="$1"; shift; exec {shlex.quote(str(binary))} "$sub" --endpoint {shlex.quote(endpoint)} "$@";;\n'
        "esac\n"
        f'exec {shlex.quote(str(binary))} "$@"\n')
    script.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("CLARIFAI_PAT", "ANNOTATIONS_SERVE_API_KEY")}
    env["PATH"] = f"{directory}:{env['PATH']}"
    return env


def run_line(line: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-o", "pipefail", "-c", line], cwd=cwd, env=env, capture_output=True,
                          timeout=RUN_TIMEOUT)


def run_serve(line: str, cwd: Path, env: dict, then=None) -> tuple[int, str]:
    """Runs a `serve` example until its banner, calls `then(banner)`, stops it with SIGINT."""
    # Its own process group: SIGINT goes to the shell and the tool, as a Ctrl-C would.
    process = subprocess.Popen(["bash", "-c", line], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        banner = process.stdout.readline().decode()
        assert banner.startswith("listening grpc+rest"), (line, banner, process.stderr.read1(4096))
        if then:
            then(banner)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=10)
    return process.returncode, banner


def test_the_command_line_examples_run_as_written(binary, request, tmp_path):
    lines = sh_block("The command-line tool")
    server = emulator_process.start_for(request, tls=False)
    env = wrapper(tmp_path / "bin", binary, f"h2c://127.0.0.1:{server.port}")
    work = tmp_path / "work"
    work.mkdir()
    # What the examples read: a file to import, a binary response to decode.
    (work / "annotations.jsonl").write_text("".join(
        json.dumps({"input_id": f"img{i}", "data": {"concepts": [{"id": "imported", "value": 1}]}}) + "\n"
        for i in (1, 2, 3)))
    encoded = subprocess.run(
        [str(binary), "wire", "encode", "--type", "clarifai.api.MultiAnnotationResponse"],
        input=b'{"status": {"code": 10000}, "annotations": [{"id": "a1", "input_id": "img1"}]}',
        capture_output=True, timeout=30, check=True)
    (work / "response.bin").write_bytes(encoded.stdout)

    annotation_id = None
    seen = []
    for line in lines:
        words = shlex.split(line, comments=True)
        seen.append(words[1] if words[0] == "annotations" else words[0])
        if words[0] == "export":  # export NAME=VALUE: the reader's key
            name, value = words[1].split("=", 1)
            assert value == "…", line
            env[name] = KEY
            continue
        if "ANNOTATION_ID" in line:
            assert annotation_id, f"{line!r} comes before the post that gives its id"
            line = line.replace("ANNOTATION_ID", annotation_id)
        if words[1] == "serve":
            code, banner = run_serve(line.replace("8080", str(free_port())), work, env)
            assert code == 0, (line, banner)
            continue
        result = run_line(line, work, env)
        assert result.returncode == 0, (line, result.returncode, result.stderr.decode(errors="replace"))
        out = result.stdout.decode()
        subcommand = words[1]
        if subcommand == "post":
            posted = json.loads(out)["annotations"]
            assert [a["input_id"] for a in posted] == ["img1"]
            annotation_id = posted[0]["id"]
        elif subcommand == "get":
            assert json.loads(out)["annotation"]["id"] == annotation_id
        elif subcommand == "patch":
            concepts = {c["id"] for c in json.loads(out)["annotations"][0]["data"]["concepts"]}
            assert concepts == {"tree", "water", "sky"}, out
        elif subcommand == "list" and "--every" in words:
            assert [json.loads(x)["id"] for x in (work / "all.jsonl").read_text().splitlines()] == [annotation_id]
        elif subcommand == "list" and "--transport" in words:
            assert {a["input_id"] for a in json.loads(out)["annotations"]} == {"img1"}
        elif subcommand == "export":
            exported = [json.loads(x) for x in (work / "img1.jsonl").read_text().splitlines()]
            assert [a["data"]["concepts"][0]["id"] for a in exported] == ["imported"]  # the post was deleted
        elif subcommand == "wire":
            assert json.loads(out)["annotations"][0]["id"] == "a1"
        elif subcommand == "bench":
            assert (work / "list.svg").read_text().lstrip().startswith("<")
    assert set(seen) >= {"export", "post", "list", "get", "patch", "delete", "import", "serve", "bench", "wire"}, seen


def test_the_emulator_example_runs_as_written(binary, tmp_path):
    lines = sh_block("The emulator")
    assert len(lines) == 2 and "serve" in lines[0] and lines[1].startswith("curl "), lines
    fixture = {"id": "f1", "input_id": "img1", "data": {"concepts": [{"id": "tree", "value": 1}]}}
    (tmp_path / "seed.jsonl").write_text(json.dumps(fixture) + "\n")
    env = {k: v for k, v in os.environ.items() if k != "ANNOTATIONS_SERVE_API_KEY"}
    env["PATH"] = f"{binary.parent}:{env['PATH']}"
    env["TMPDIR"] = str(tmp_path)  # the self-signed certificate of --tls-port
    plain, tls = str(free_port()), str(free_port())
    serve = lines[0].replace("8080", plain).replace("8443", tls)
    curl = lines[1].replace("8080", plain)
    answers = []

    def call(banner: str):
        assert f"h2c://127.0.0.1:{plain}" in banner and f"https://127.0.0.1:{tls}" in banner, banner
        answers.append(run_line(curl, tmp_path, env))
        answers.append(run_line(curl.replace("Key secret", "Key wrong"), tmp_path, env))

    code, _ = run_serve(serve, tmp_path, env, then=call)
    assert code == 0
    good, wrong = answers
    assert good.returncode == 0, good
    body = json.loads(good.stdout)
    assert body["status"]["code"] == 10000 and [a["id"] for a in body["annotations"]] == ["f1"], body
    assert json.loads(wrong.stdout)["status"]["code"] == 11008  # the key of the example is the only one


def test_the_compatibility_examples_run_as_written(binary, tmp_path):
    """README "Compatibility testing": with the installed clarifai-grpc as the "newer" release."""
    from clarifai_grpc.grpc.api import resources_pb2, service_pb2

    lines = sh_block("Compatibility testing")
    env = wrapper(tmp_path / "bin", binary, "h2c://127.0.0.1:9")  # no network subcommand here
    work = tmp_path / "work"
    work.mkdir()
    (work / "scripts").symlink_to(REPO_ROOT / "scripts")
    # What the examples read: a response with a field the package does not model (Data.geo), a Model.
    response = service_pb2.MultiAnnotationResponse()
    response.annotations.add(id="a1", input_id="img1").data.geo.geo_point.longitude = 2.5
    (work / "response.bin").write_bytes(response.SerializeToString())
    (work / "model.bin").write_bytes(resources_pb2.Model(id="general", notes="n").SerializeToString())
    readme = README.read_text()
    outputs = {}
    for line in lines:
        result = run_line(line, work, env)
        words = shlex.split(line)
        subcommand = " ".join(words[1:3]) if words[0] == "annotations" else words[0]
        expected = 1 if subcommand == "wire unknown" else 0
        assert result.returncode == expected, (line, result.returncode, result.stderr.decode(errors="replace"))
        outputs.setdefault(subcommand, []).append(result.stdout.decode())
    assert [o.splitlines()[-1] for o in outputs["wire diff"] if o] == [
        "newer.pb against the package's mirror (clarifai-grpc 12.6.0): nothing breaking, 0 compatible changes; "
        "119 official fields of 19 messages declared in part or empty are not mirrored (--all lists them)"]
    summary = re.sub(r"\s+", " ", readme[readme.index("On the installed 12.6.0"):])
    assert "ends with `nothing breaking, 0 compatible changes; 119 official fields of 19 messages" in summary
    assert json.loads((work / "drift.json").read_text())["breaking"] == 0
    assert outputs["wire unknown"] == ["annotations[0].data.geo  length-delimited  9 bytes  (not modelled)\n"]
    assert json.loads(outputs["wire decode"][0]) == {"id": "general", "notes": "n"}

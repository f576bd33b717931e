"""The `annotations` tool's rough edges (issue 12, item 6), end to end against the official-stub
V2 server of test_cli.py: inputs import cannot read twice, checkpoints that were cut short,
`export --output` into FIFOs, devices and links, page numbers at the edge of uint32, endpoints
and keys refused before anything is looked up or sent, SIGINT during import, and the exit
statuses of every subcommand.

The helpers and fixtures (the tool, the server, `cli`) are test_cli.py's. Every subprocess has
a timeout; servers listen on loopback ephemeral ports.
"""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import socket
import stat
import subprocess
import threading
import time
import tty
from pathlib import Path

import pytest

from test_cli import (  # noqa: F401  (fixtures are used by name)
    EX_DATAERR, EX_TEMPFAIL, EX_UNAVAILABLE, EX_USAGE, PAT, RUN_TIMEOUT, Result, assert_one_line_error, binary,
    checkpoint_records, cli, import_lines, run_tool, server, start_server, strip_server_fields, summary, tool_env,
    wait_for, write_jsonl,
)

EX_SOFTWARE, EX_IOERR = 70, 74


# ---------------------------------------------------------------------------------------------
# import: only a regular file, and only a checkpoint it wrote.
# ---------------------------------------------------------------------------------------------

def test_import_refuses_a_directory_and_a_fifo(cli, server, tmp_path):
    directory = tmp_path / "lines"
    directory.mkdir()
    assert_one_line_error(cli("import", directory), EX_USAGE, "is a directory")
    fifo = tmp_path / "lines.fifo"
    os.mkfifo(fifo)
    # Refused from its type: the tool never opens it (an open would block without a writer).
    assert_one_line_error(cli("import", fifo, timeout=20), EX_USAGE, "not a regular file", "save the lines to a file")
    assert_one_line_error(cli("import", "/dev/null"), EX_USAGE, "not a regular file")
    # A link to a regular file is a regular file.
    data = write_jsonl(tmp_path / "data.jsonl", import_lines(3))
    link = tmp_path / "link.jsonl"
    link.symlink_to(data)
    linked = cli("import", link)
    assert summary(linked) == "imported 3, failed 0, skipped 0 (already done)", linked
    assert len(server.requests("PostAnnotations")) == 1
    assert not (directory.parent / "lines.checkpoint").exists() and not list(directory.iterdir())


HEADER = '{"checkpoint":1,"file":"data.jsonl"}\n'


@pytest.mark.parametrize("content, fragment", [
    ("", "is empty"),
    (HEADER, "only its header"),
    (HEADER + '{"ids":[[1,"0123', "only its header"),  # the first ids record torn
    ('{"ids":[[1,"' + "a" * 32 + '","0000000000000000"]]}\n', "not its header"),
    ('{"checkpoint":7}\n{"ids":[]}\n', "version 7"),
    (HEADER + '{"ids":[[0,"a","b"]]}\n', "bad ids record"),
    ("\n\n", "is empty"),
])
def test_import_refuses_a_checkpoint_that_was_cut_short(cli, server, tmp_path, content, fragment):
    data = write_jsonl(tmp_path / "data.jsonl", import_lines(4))
    checkpoint = tmp_path / "data.jsonl.checkpoint"
    checkpoint.write_text(content)
    result = cli("import", data)
    assert_one_line_error(result, EX_DATAERR, f"checkpoint {checkpoint}", fragment)
    assert ("remove it" in result.stderr) == ("version" not in fragment), result
    assert server.requests() == []
    assert checkpoint.read_text() == content  # left as it was, for the user to look at


def test_import_refuses_a_checkpoint_that_is_not_a_file(cli, server, tmp_path):
    data = write_jsonl(tmp_path / "data.jsonl", import_lines(2))
    (tmp_path / "ckpt").mkdir()
    assert_one_line_error(cli("import", data, "--checkpoint", tmp_path / "ckpt"), EX_DATAERR, "not a regular file")
    assert server.requests() == []


def test_a_new_checkpoint_never_exists_without_its_first_ids(cli, server, tmp_path):
    # Every line refused before sending: nothing was sent, so no checkpoint is left behind
    # (one with only a header would be refused by the next run).
    data = write_jsonl(tmp_path / "data.jsonl", ["not json", {"input_id": ""}])
    result = cli("import", data)
    assert result.code == EX_DATAERR and summary(result) == "imported 0, failed 2, skipped 0 (already done)", result
    assert not (tmp_path / "data.jsonl.checkpoint").exists()
    assert not list(tmp_path.glob("*.new-*"))
    # Fixed, the lines import; the checkpoint starts with its header and the first ids.
    write_jsonl(data, import_lines(2))
    assert summary(cli("import", data)) == "imported 2, failed 0, skipped 0 (already done)"
    records = checkpoint_records(tmp_path / "data.jsonl.checkpoint")
    assert records[0] == {"checkpoint": 1, "file": str(data)} and "ids" in records[1]
    assert summary(cli("import", data)) == "imported 0, failed 0, skipped 2 (already done)"


# ---------------------------------------------------------------------------------------------
# export --output: atomic for regular files, written into anything else.
# ---------------------------------------------------------------------------------------------

def _two_posted(cli) -> list[dict]:
    for input_id in ("a", "b"):
        assert cli("post", "--input-id", input_id, "--concept", "x").code == 0
    return cli("export").lines


def test_export_writes_into_a_fifo(cli, tmp_path):
    expected = _two_posted(cli)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received = bytearray()

    def read():
        with open(fifo, "rb") as f:
            received.extend(f.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = cli("export", "--output", fifo)
    reader.join(timeout=RUN_TIMEOUT)
    assert result.code == 0, result
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the FIFO, not a file renamed over it
    assert [json.loads(line) for line in received.decode().splitlines()] == expected
    assert not list(tmp_path.glob("*.partial-*"))


def test_export_writes_into_a_device(cli):
    # A terminal's device (a pty's follower), not /dev/null: a tool that renamed a file over
    # its --output would replace /dev/null for the whole machine; devpts refuses that rename.
    expected = _two_posted(cli)
    leader, follower = pty.openpty()
    try:
        tty.setraw(follower)  # no "\n" → "\r\n"
        device = os.ttyname(follower)
        received = bytearray()

        def read():
            while not received.endswith(b"\n") or received.count(b"\n") < len(expected):
                ready, _, _ = select.select([leader], [], [], RUN_TIMEOUT)
                if not ready:
                    return
                received.extend(os.read(leader, 65536))

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        result = cli("export", "--output", device)
        reader.join(timeout=RUN_TIMEOUT)
        assert result.code == 0, result
        assert f"exported 2 annotations to {device}" in result.stderr
        assert stat.S_ISCHR(os.stat(device).st_mode)
        assert [json.loads(line) for line in received.decode().splitlines()] == expected
    finally:
        os.close(leader)
        os.close(follower)


def test_export_through_a_symlink_replaces_its_target_and_keeps_the_link(cli, tmp_path):
    expected = _two_posted(cli)
    target_dir = tmp_path / "real"
    target_dir.mkdir()
    target = target_dir / "all.jsonl"
    target.write_text("old contents\n")
    link = tmp_path / "all.jsonl"
    link.symlink_to(target)
    result = cli("export", "--output", link)
    assert result.code == 0, result
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert [json.loads(line) for line in target.read_text().splitlines()] == expected
    # The temporary file was made next to the target, and is gone.
    assert sorted(p.name for p in target_dir.iterdir()) == ["all.jsonl"]
    assert not list(tmp_path.glob("*.partial-*"))
    # A dangling link: the file is created where it points.
    dangling = tmp_path / "new.jsonl"
    dangling.symlink_to(target_dir / "created.jsonl")
    assert cli("export", "--output", dangling).code == 0
    assert dangling.is_symlink() and len((target_dir / "created.jsonl").read_text().splitlines()) == 2


def test_export_into_a_directory_is_a_usage_error(cli, server, tmp_path):
    assert_one_line_error(cli("export", "--output", tmp_path), EX_USAGE, "is a directory")
    assert server.requests() == []


# ---------------------------------------------------------------------------------------------
# Page arithmetic at the edge of uint32.
# ---------------------------------------------------------------------------------------------

MAX_U32 = "4294967295"


def test_page_numbers_at_the_edge_of_uint32_never_trap(cli, server):
    _two_posted(cli)
    every = cli("list", "--every", "--page", MAX_U32)
    assert every.code == 0 and every.stdout == "", every  # an empty page, the last one asked for
    assert [r.page for r in server.decoded("ListAnnotations")][-1] == int(MAX_U32)
    one = cli("list", "--page", MAX_U32, "--per-page", MAX_U32)
    assert one.code == 0 and one.json["annotations"] == [], one
    assert len(cli("list", "--every", "--per-page", MAX_U32).lines) == 2
    assert len(cli("export", "--per-page", MAX_U32).lines) == 2
    for args in (("list", "--page", "4294967296"), ("list", "--per-page", "-1"), ("export", "--per-page", "4294967296")):
        assert_one_line_error(cli(*args), EX_USAGE, "usage error")


# ---------------------------------------------------------------------------------------------
# Endpoints and keys refused before any lookup or send.
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint, fragment", [
    ("https://user:pw-4711@no-such-host.invalid", "user information"),
    ("https://user@no-such-host.invalid:443", "user information"),
    ("https://no-such-host.invalid/?x=1", "query or a fragment"),
    ("https://no-such-host.invalid?x=1", "query or a fragment"),
    ("https://no-such-host.invalid#top", "query or a fragment"),
    ("https://no such host.invalid", "the host may hold only"),
    ("h2c://127.0.0.1:+80", "a port in 1…65535"),
    ("https://[::1", "'['"),
])
def test_endpoints_with_userinfo_query_or_fragment_are_usage_errors(cli, endpoint, fragment):
    started = time.monotonic()
    result = cli("list", endpoint=endpoint)
    assert_one_line_error(result, EX_USAGE, "--endpoint", fragment)
    assert "pw-4711" not in result.stderr and "user:" not in result.stderr.split("user information")[0]
    assert time.monotonic() - started < 5  # no lookup of the .invalid name, no connect


@pytest.mark.parametrize("key, fragment", [
    ("sekrit\r\nx-injected: 1", "carriage return"),
    ("sekrit\n", "line feed"),
    ("sek\trit", "U+0009"),
    ("sekrit\x7f", "U+007F"),
    ("sékrit", "printable ASCII"),
])
@pytest.mark.parametrize("source", ["--pat", "CLARIFAI_PAT"])
def test_keys_with_control_characters_are_refused_and_never_sent(cli, server, key, fragment, source):
    if source == "--pat":
        result = cli("list", pat=key)
    else:
        result = cli("list", pat=None, env=tool_env(CLARIFAI_PAT=key))
    assert_one_line_error(result, EX_USAGE, source, fragment, "not sent")
    assert "sek" not in result.stderr
    assert server.requests() == []


def test_pat_help_warns_about_ps_and_points_to_the_environment(binary):
    for subcommand in ("list", "import", "demo", "bench"):
        text = " ".join(run_tool(binary, subcommand, "--help").stdout.split())
        assert "'ps'" in text and "CLARIFAI_PAT" in text, subcommand


# ---------------------------------------------------------------------------------------------
# SIGINT and SIGTERM during import.
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("signum, status, name", [(signal.SIGINT, 130, "SIGINT"), (signal.SIGTERM, 143, "SIGTERM")])
def test_an_interrupted_import_prints_its_summary_and_resumes(binary, start_server, tmp_path, signum, status, name):
    # Call 1 is answered; call 2 is held by the server for 4 s: the signal comes while it is in
    # flight. The tool must not wait for it (its calls are cancelled).
    server = start_server(script=[{"pass": True}, {"sleep_ms": 4000}])
    items = import_lines(10)
    data = write_jsonl(tmp_path / "data.jsonl", items)
    argv = [str(binary), "import", str(data), "--endpoint", server.endpoint, "--pat", PAT,
            "--batch-size", "2", "--concurrency", "1"]
    # The child gets the default dispositions (subprocess restores SIGINT's; Python ignores none).
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=tool_env())
    try:
        wait_for(lambda: len(server.requests("PostAnnotations")) == 2, 20, "the 2nd batch to be sent")
        signalled = time.monotonic()
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=RUN_TIMEOUT)
        elapsed = time.monotonic() - signalled
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)
    result = Result(subprocess.CompletedProcess(argv, process.returncode, stdout, stderr))
    assert result.code == status, result
    assert elapsed < 3, f"took {elapsed:.1f} s after {name}: it waited for the held call"
    lines = result.stderr.strip().split("\n")
    assert lines[-1] == "imported 2, failed 0, skipped 0 (already done)", result
    assert f"interrupted by {name}" in lines[-2] and "resume" in lines[-2], result
    assert not (tmp_path / "data.jsonl.rejects").exists()  # the cancelled batch is not a failure
    # The held call is stored by the server after all; the next run finds it and sends the rest.
    list_argv = [str(binary), "list", "--endpoint", server.endpoint, "--pat", PAT]
    wait_for(lambda: len(json.loads(subprocess.run(list_argv, capture_output=True, timeout=RUN_TIMEOUT,
                                                   env=tool_env()).stdout)["annotations"]) == 4,
             10, "the held batch to be stored")
    resumed = run_tool(binary, *argv[1:])
    assert resumed.code == 0, resumed
    assert summary(resumed) == "imported 6, failed 0, skipped 4 (already done)", resumed
    store = run_tool(binary, "export", "--endpoint", server.endpoint, "--pat", PAT).lines
    assert len(store) == 10 and len({a["id"] for a in store}) == 10
    assert sorted(json.dumps(strip_server_fields(a), sort_keys=True) for a in store) == \
        sorted(json.dumps(item, sort_keys=True) for item in items)


# ---------------------------------------------------------------------------------------------
# Every subcommand's exit statuses: documented, and never 1.
# ---------------------------------------------------------------------------------------------

def test_wire_exit_statuses(binary):
    good = run_tool(binary, "wire", "encode", "--type", "clarifai.api.Annotation", stdin=b'{"input_id":"i1"}')
    assert good.code == 0, good
    bad_binary = run_tool(binary, "wire", "decode", "--type", "clarifai.api.Annotation", stdin=b"\xff\xff")
    assert_one_line_error(bad_binary, EX_DATAERR, "annotations wire: invalid input", "truncated")
    bad_json = run_tool(binary, "wire", "encode", "--type", "clarifai.api.Annotation", stdin=b"{")
    assert_one_line_error(bad_json, EX_DATAERR, "invalid input")
    assert run_tool(binary, "wire", "decode", "--type", "no.Such").code == EX_USAGE
    # With --batch, failures are output lines: the run itself succeeds.
    batch = run_tool(binary, "wire", "decode", "--type", "clarifai.api.Annotation", "--batch", stdin=b"////\n")
    assert batch.code == 0 and "error" in json.loads(batch.stdout), batch


def _serve(binary, *args) -> Result:
    return run_tool(binary, "serve", "--host", "127.0.0.1", *args, timeout=30)


def test_serve_exit_statuses(binary, tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        busy = _serve(binary, "--port", str(taken.getsockname()[1]))
    finally:
        taken.close()
    assert_one_line_error(busy, EX_TEMPFAIL, "annotations serve: transport error")
    missing = _serve(binary, "--fixtures", tmp_path / "no-such.jsonl")
    assert_one_line_error(missing, EX_IOERR, "annotations serve: I/O error", "no-such.jsonl")
    bad_cert = _serve(binary, "--tls-port", "0", "--cert", tmp_path / "no.pem", "--key", tmp_path / "no.key")
    assert bad_cert.code == EX_TEMPFAIL, bad_cert
    assert _serve(binary, "--fault-rate", "2").code == EX_USAGE


def test_serve_takes_its_key_from_the_environment(binary, tmp_path):
    env = tool_env(ANNOTATIONS_SERVE_API_KEY="the-serve-key")
    process = subprocess.Popen([str(binary), "serve", "--host", "127.0.0.1", "--port", "0"], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        banner = process.stdout.readline().decode()
        assert banner.startswith("listening grpc+rest h2c://127.0.0.1:"), banner
        endpoint = banner.split()[2]
        wrong = run_tool(binary, "list", "--endpoint", endpoint, "--pat", PAT)
        assert_one_line_error(wrong, EX_UNAVAILABLE, "11008")
        right = run_tool(binary, "list", "--endpoint", endpoint, "--pat", "the-serve-key")
        assert right.code == 0, right
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    assert process.returncode == 0
    help_text = " ".join(run_tool(binary, "serve", "--help").stdout.split())
    assert "ANNOTATIONS_SERVE_API_KEY" in help_text and "'ps'" in help_text


def test_demo_and_bench_exit_statuses(binary, tmp_path):
    refused = socket.socket()
    refused.bind(("127.0.0.1", 0))
    port = refused.getsockname()[1]
    refused.close()
    demo = run_tool(binary, "demo", "--quiet", "--endpoint", f"h2c://127.0.0.1:{port}", "--pat", PAT)
    assert demo.code == EX_TEMPFAIL, demo
    bench = run_tool(binary, "bench", "--endpoint", f"h2c://127.0.0.1:{port}", "--pat", PAT, "--transport", "grpc",
                     "--in-flight", "1", "--calls", "1", "--warm-up", "0")
    assert bench.code in (EX_UNAVAILABLE, EX_TEMPFAIL), bench
    assert bench.code != 1


@pytest.mark.parametrize("subcommand", [
    ["wire"], ["wire", "decode"], ["wire", "encode"], ["demo"], ["bench"], [],
])
def test_help_lists_the_exit_statuses(binary, subcommand):
    text = run_tool(binary, *subcommand, "--help").stdout
    assert "Exit status" in text, subcommand
    for code in ("0", "64", "70"):
        assert f"  {code}  " in text or f"  {code} " in text, (subcommand, code)


def test_readme_lists_every_exit_status():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("## The command-line tool"):readme.index("## ProtoWire")]
    for code in ("0", "64", "65", "69", "70", "74", "75", "130", "143"):
        assert f"{code} " in section or f"{code}," in section, code
    for subcommand in ("wire", "serve", "demo", "bench", "import"):
        assert f"`{subcommand}`" in section, subcommand

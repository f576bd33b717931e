"""The command-line tool over REST (`--transport rest|rest-h1`) and `annotations bench`, against
`annotations serve`.

Each network subcommand is run over gRPC and over both REST wires against one emulator, and its
JSON output must be the same but for the ids and timestamps the server or client chose. The
bench runs are smoke runs of a few calls: their JSON must parse and its counts must add up (no
timing is asserted); the SVG must be well-formed with one curve per run.
"""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest

from emulator import binary, start_for

KEY = "cli-rest-key"
TIMEOUT = 120
TRANSPORTS = ["grpc", "rest", "rest-h1"]


@pytest.fixture
def emulator(request):
    return start_for(request, tls=True, api_key=KEY)


def tool(*args: str, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run([str(binary()), *args], capture_output=True, timeout=timeout, text=True)


def cli(emulator, transport: str, *args: str, tls: bool = False) -> subprocess.CompletedProcess:
    endpoint = f"https://localhost:{emulator.tls_port}" if tls else f"h2c://127.0.0.1:{emulator.port}"
    extra = ["--ca-file", str(emulator.ca_path)] if tls else []
    return tool(args[0], "--endpoint", endpoint, "--pat", KEY, "--transport", transport, *extra, *args[1:])


def normalized(text: str) -> str:
    text = re.sub(r'"[0-9a-f]{32}"', '"<id>"', text)
    return re.sub(r'"\d{4}-\d\d-\d\dT[0-9:.]+Z"', '"<time>"', text)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("tls", [False, True], ids=["plaintext", "tls"])
def test_every_subcommand_answers_the_same_over_each_wire(emulator, tls):
    outputs = {}
    for transport in TRANSPORTS:
        app = f"app-{transport}"
        run = lambda *args: ok(cli(emulator, transport, *args, "--user-id", "me", "--app-id", app, tls=tls))
        posted = json.loads(run("post", "--input-id", "img 1", "--concept", "tree", "--concept", "water:0",
                                "--box", "0.1,0.2,0.5,0.6", "--region-concept", "cat"))
        annotation_id = posted["annotations"][0]["id"]
        steps = [
            run("list", "--per-page", "5"),
            run("get", "--input-id", "img 1", "--id", annotation_id),
            run("patch", "--input-id", "img 1", "--id", annotation_id, "--action", "merge", "--concept", "sky"),
            run("list", "--input-id", "img 1"),
            run("delete", "--input-id", "img 1", "--id", annotation_id),
            run("list"),
        ]
        outputs[transport] = [normalized(json.dumps(posted, sort_keys=True))] + [normalized(step) for step in steps]
    assert outputs["rest"] == outputs["grpc"]
    assert outputs["rest-h1"] == outputs["grpc"]
    assert '"sky"' in outputs["grpc"][3]


@pytest.mark.parametrize("transport", ["rest", "rest-h1"])
def test_rest_errors_exit_like_grpc_errors(emulator, transport):
    missing = cli(emulator, transport, "get", "--input-id", "nope", "--id", "nope")
    assert missing.returncode == 69, missing.stderr
    assert "11101" in missing.stderr or "CONN_DOES_NOT_EXIST" in missing.stderr
    bad_key = tool("list", "--endpoint", f"h2c://127.0.0.1:{emulator.port}", "--pat", "wrong-key", "--transport", transport)
    assert bad_key.returncode == 69
    assert "wrong-key" not in bad_key.stderr + bad_key.stdout


def bench(*args: str) -> dict:
    result = tool("bench", "--warm-up", "0", "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def check_counts(report: dict, calls: int, transports: list[str], levels: list[int]) -> None:
    runs = report["runs"]
    assert [(run["transport"], run["in_flight"]) for run in runs] == [(t, n) for n in levels for t in transports]
    for run in runs:
        assert run["calls"] + run["errors"] == calls, run
        assert run["errors"] == 0, run["first_error"]
        assert run["recorded_latencies"] == run["calls"]
        assert run["calls_per_second"] == pytest.approx(run["calls"] / run["seconds"], rel=1e-6)
        latency = run["latency_us"]
        assert 0 < latency["p50"] <= latency["p90"] <= latency["p99"] <= latency["p99.9"] <= latency["max"]
        assert run["cpu_us_per_call"] > 0
        if run["transport"] != "urlsession":
            assert run["bytes_sent_per_call"] > 50 and run["bytes_received_per_call"] > 50
        cdf = run["cdf"]
        assert cdf[-1][1] == pytest.approx(1.0)
        assert all(a[0] <= b[0] and a[1] <= b[1] for a, b in zip(cdf, cdf[1:]))
    others = [(t, n) for n in levels for t in transports if t != "grpc"] if "grpc" in transports else []
    assert [(r["transport"], r["in_flight"]) for r in report["ratios_to_grpc"]] == others


def test_bench_smoke_run_with_plot(tmp_path):
    plot = tmp_path / "cdf.svg"
    report = bench("--calls", "20", "--in-flight", "1,3", "--transport", "grpc,rest-h2,rest-h1,urlsession",
                   "--plot", str(plot))
    check_counts(report, 20, ["grpc", "rest-h2", "rest-h1", "urlsession"], [1, 3])
    assert report["call"] == "post" and report["embedded_emulator"] is True
    svg = ElementTree.parse(plot).getroot()
    namespace = "{http://www.w3.org/2000/svg}"
    assert svg.tag == f"{namespace}svg"
    assert len(svg.findall(f"{namespace}path")) == 8
    legends = [text.text for text in svg.iter(f"{namespace}text") if text.text and "×" in text.text]
    assert len(legends) == 8 and any(legend.startswith("urlsession ×3") for legend in legends)


@pytest.mark.parametrize("call, extra", [
    ("list", ["--per-page", "128"]),
    ("get", []),
    ("patch", ["--annotations-per-call", "3"]),
    ("delete", ["--annotations-per-call", "2"]),
])
def test_bench_every_call(call, extra):
    report = bench("--call", call, "--calls", "12", "--in-flight", "2", *extra)
    check_counts(report, 12, ["grpc", "rest-h2", "rest-h1"], [2])


def test_bench_against_an_endpoint_over_tls_leaves_nothing_behind(emulator):
    report = bench("--endpoint", f"https://localhost:{emulator.tls_port}", "--ca-file", str(emulator.ca_path),
                   "--pat", KEY, "--calls", "10", "--in-flight", "1", "--transport", "grpc,rest-h1")
    check_counts(report, 10, ["grpc", "rest-h1"], [1])
    assert report["embedded_emulator"] is False
    listed = ok(cli(emulator, "grpc", "list", "--all"))
    assert json.loads(listed)["annotations"] == []


def test_bench_usage_errors():
    for args in (["--transport", "grpc,carrier-pigeon"], ["--in-flight", "0"], ["--calls", "5", "--duration", "1"],
                 ["--annotations-per-call", "129"], ["--endpoint", "h2c://127.0.0.1:1"]):
        result = tool("bench", *args, timeout=30)
        assert result.returncode == 64, (args, result.stderr)


SECRET = "SECRET-KEY-7f3a9c-never-print"


def test_the_key_never_appears_in_output_errors_or_files(tmp_path):
    """Every command, succeeding and failing, over every wire: stdout, stderr and the files the
    tool writes (checkpoint, rejects, export, plot) never hold the key."""
    serve = subprocess.Popen([str(binary()), "serve", "--port", "0", "--api-key", SECRET], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = serve.stdout.readline()
        port = int(re.search(r":(\d+)\s*$", banner).group(1))
        endpoint = f"h2c://127.0.0.1:{port}"
        data = tmp_path / "in.jsonl"
        data.write_text('{"input_id": "a", "data": {"concepts": [{"id": "x"}]}}\n{"input_id": ""}\n')
        outputs = [banner]
        for transport in TRANSPORTS:
            for key in (SECRET, SECRET + "-wrong"):
                common = ["--endpoint", endpoint, "--pat", key, "--transport", transport]
                for args in (["post", "--input-id", "a", "--concept", "x"], ["list"], ["get", "--input-id", "a", "--id", "b"],
                             ["import", str(data)], ["export", "--output", str(tmp_path / f"out-{transport}.jsonl")],
                             ["delete", "--input-id", "a"]):
                    result = tool(args[0], *common, *args[1:])
                    outputs += [result.stdout, result.stderr]
            refused = tool("list", "--endpoint", "https://127.0.0.1:1", "--pat", SECRET, "--transport", transport)
            outputs += [refused.stdout, refused.stderr]
            assert refused.returncode == 75
        result = tool("list", "--endpoint", endpoint, "-H", f"authorization: Key {SECRET}")
        outputs += [result.stdout, result.stderr]
        result = tool("bench", "--endpoint", endpoint, "--pat", SECRET, "--calls", "3", "--warm-up", "0",
                      "--in-flight", "1", "--plot", str(tmp_path / "plot.svg"))
        outputs += [result.stdout, result.stderr]
        assert result.returncode == 0, result.stderr
    finally:
        serve.terminate()
        out, err = serve.communicate(timeout=10)
        outputs = outputs + [out, err]
    for text in outputs:
        assert SECRET not in text
    for path in tmp_path.iterdir():
        assert SECRET.encode() not in path.read_bytes(), path.name

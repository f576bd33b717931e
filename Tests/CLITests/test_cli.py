"""End-to-end tests of the `annotations` command-line tool against the official-stub V2 server.

Each test starts `Tests/Peers/clarifai_v2_server.py` (the official `clarifai-grpc` stubs over an
in-memory store, see Tests/Peers/README.md) and runs the built tool with
`--endpoint h2c://127.0.0.1:PORT --pat …`, asserting its JSON output, its stderr, its exit status,
and, through the server's `--record` file, the requests the official classes decoded.

The tool is $ANNOTATIONS_BIN, default <repo>/.build/debug/annotations; a missing tool is a test
failure, not a skip (build it with `flock /tmp/swift-build.lock swift build --product annotations`).
Every subprocess call has a timeout.
"""

from __future__ import annotations

import base64
import json
import os
import pty
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PEER = REPO_ROOT / "Tests" / "Peers" / "clarifai_v2_server.py"
DEFAULT_BINARY = REPO_ROOT / ".build" / "debug" / "annotations"
RUN_TIMEOUT = 60
PAT = "sekrit-pat-4711"
HEX_ID = re.compile(r"^[0-9a-f]{32}$")

EX_USAGE, EX_DATAERR, EX_UNAVAILABLE, EX_TEMPFAIL = 64, 65, 69, 75


# ---------------------------------------------------------------------------------------------
# The tool and the server.
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def binary() -> Path:
    path = Path(os.environ.get("ANNOTATIONS_BIN") or DEFAULT_BINARY)
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(
            f"the annotations tool is missing or not executable: {path}\n"
            "build it first: flock /tmp/swift-build.lock swift build --product annotations\n"
            "(or point ANNOTATIONS_BIN at an existing binary)", pytrace=False)
    return path


class Server:
    """One clarifai_v2_server.py process; its stdin is a pipe whose EOF stops it."""

    def __init__(self, workdir: Path, script: list[dict] | None = None, api_key: str | None = None,
                 tls: tuple[Path, Path] | None = None):
        self.tls = tls is not None
        self.record = workdir / f"record-{id(self)}.jsonl"
        argv = [sys.executable, str(PEER), "--record", str(self.record), "--max-seconds", "300"]
        if script is not None:
            script_path = workdir / f"script-{id(self)}.jsonl"
            script_path.write_text("".join(json.dumps(step) + "\n" for step in script))
            argv += ["--script", str(script_path)]
        if api_key:
            argv += ["--api-key", api_key]
        if tls:
            argv += ["--tls", str(tls[0]), str(tls[1])]
        self.log = open(workdir / f"server-{id(self)}.log", "wb")
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)
        self.port = self._read_port()

    def _read_port(self) -> int:
        deadline = time.monotonic() + 20
        line = b""
        while time.monotonic() < deadline and not line.endswith(b"\n"):
            ready, _, _ = select.select([self.process.stdout], [], [], 0.2)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 64)
                if not chunk:
                    break
                line += chunk
        match = re.match(rb"PORT (\d+)\n", line)
        if not match:
            self.stop()
            raise RuntimeError(f"the V2 server did not start (said {line!r})")
        return int(match.group(1))

    @property
    def endpoint(self) -> str:
        return f"{'https' if self.tls else 'h2c'}://127.0.0.1:{self.port}"

    def requests(self, method: str | None = None) -> list[dict]:
        if not self.record.exists():
            return []
        entries = [json.loads(line) for line in self.record.read_text().splitlines() if line.strip()]
        return [e for e in entries if method is None or e["method"] == method]

    def decoded(self, method: str) -> list:
        from clarifai_grpc.grpc.api import service_pb2
        types = {
            "PostAnnotations": service_pb2.PostAnnotationsRequest,
            "ListAnnotations": service_pb2.ListAnnotationsRequest,
            "PatchAnnotations": service_pb2.PatchAnnotationsRequest,
            "GetAnnotation": service_pb2.GetAnnotationRequest,
            "DeleteAnnotation": service_pb2.DeleteAnnotationRequest,
            "DeleteAnnotations": service_pb2.DeleteAnnotationsRequest,
        }
        return [types[method].FromString(base64.b64decode(e["request_b64"])) for e in self.requests(method)]

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (subprocess.TimeoutExpired, OSError):
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def start_server(tmp_path):
    servers: list[Server] = []

    def start(script=None, api_key=None, tls=None) -> Server:
        server = Server(tmp_path, script=script, api_key=api_key, tls=tls)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def server(start_server) -> Server:
    return start_server()


class Result:
    def __init__(self, process: subprocess.CompletedProcess):
        self.code = process.returncode
        self.stdout = process.stdout.decode("utf-8")
        self.stderr = process.stderr.decode("utf-8", "replace")

    @property
    def json(self):
        assert self.code == 0, f"exit {self.code}: {self.stderr}"
        return json.loads(self.stdout)

    @property
    def lines(self) -> list:
        assert self.code == 0, f"exit {self.code}: {self.stderr}"
        return [json.loads(line) for line in self.stdout.splitlines()]

    def __repr__(self) -> str:
        return f"<exit {self.code} stdout={self.stdout[:400]!r} stderr={self.stderr[:400]!r}>"


def tool_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "CLARIFAI_PAT"}
    env.update(extra)
    return env


@pytest.fixture
def cli(binary, server):
    """Runs `annotations <subcommand> --endpoint <server> --pat PAT <args>`."""

    def run(subcommand, *args, stdin: bytes | None = None, endpoint: str | None = None, pat: str | None = PAT,
            env: dict | None = None, timeout: float = RUN_TIMEOUT) -> Result:
        argv = [str(binary), subcommand, "--endpoint", endpoint or server.endpoint]
        if pat is not None:
            argv += ["--pat", pat]
        argv += [str(a) for a in args]
        process = subprocess.run(argv, input=stdin or b"", capture_output=True, timeout=timeout,
                                 env=env or tool_env())
        return Result(process)

    return run


def run_tool(binary, *args, timeout: float = RUN_TIMEOUT, env=None, stdin=b"") -> Result:
    process = subprocess.run([str(binary), *map(str, args)], input=stdin, capture_output=True, timeout=timeout,
                             env=env or tool_env())
    return Result(process)


def refused_endpoint() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"h2c://127.0.0.1:{port}"


def only(response: dict) -> dict:
    assert response["status"]["code"] == 10000, response
    assert len(response["annotations"]) == 1, response
    return response["annotations"][0]


def assert_one_line_error(result: Result, code: int, *fragments: str) -> None:
    assert result.code == code, result
    assert result.stdout == "", result
    lines = result.stderr.strip("\n").split("\n")
    assert len(lines) == 1, result
    for fragment in fragments:
        assert fragment in result.stderr, result
    assert PAT not in result.stderr


def strip_server_fields(annotation: dict) -> dict:
    return {k: v for k, v in annotation.items() if k not in ("id", "status", "created_at", "modified_at")}


# ---------------------------------------------------------------------------------------------
# post: every documented scenario.
# ---------------------------------------------------------------------------------------------

def test_post_concepts(cli, server):
    annotation = only(cli("post", "--input-id", "img1", "--concept", "tree", "--concept", "water:0").json)
    assert HEX_ID.match(annotation["id"])
    assert annotation["input_id"] == "img1"
    assert annotation["data"] == {"concepts": [{"id": "tree", "value": 1.0}, {"id": "water", "value": 0.0}]}
    assert annotation["status"]["code"] == 24150
    assert annotation["created_at"].endswith("Z")
    [request] = server.decoded("PostAnnotations")
    assert [(c.id, c.value) for c in request.annotations[0].data.concepts] == [("tree", 1.0), ("water", 0.0)]
    # The id was chosen by the client, before sending.
    assert request.annotations[0].id == annotation["id"]
    [entry] = server.requests("PostAnnotations")
    assert entry["metadata"]["authorization"] == f"Key {PAT}"


def test_post_concepts_with_embed_model_version(cli, server):
    annotation = only(cli("post", "--input-id", "img1", "--concept", "tree",
                          "--embed-model-version-id", "EMV1").json)
    assert annotation["embed_model_version_id"] == "EMV1"
    assert server.decoded("PostAnnotations")[0].annotations[0].embed_model_version_id == "EMV1"


def test_post_bounding_boxes_with_region_concepts(cli, server):
    # An annotation holds at most one region: two boxes make two annotations of the input.
    annotations = cli("post", "--input-id", "img1", "--concept", "sky", "--box", "0,0,0.5,0.5", "--box", "0.5,0.5,1,1",
                      "--region-concept", "tree", "--region-concept", "water:0").json["annotations"]
    assert [a["input_id"] for a in annotations] == ["img1", "img1"]
    assert [[r["region_info"]["bounding_box"] for r in a["data"]["regions"]] for a in annotations] == [
        [{"top_row": 0.0, "left_col": 0.0, "bottom_row": 0.5, "right_col": 0.5}],
        [{"top_row": 0.5, "left_col": 0.5, "bottom_row": 1.0, "right_col": 1.0}],
    ]
    for annotation in annotations:
        assert annotation["data"]["regions"][0]["data"]["concepts"] == [{"id": "tree", "value": 1.0}, {"id": "water", "value": 0.0}]
    assert annotations[0]["data"]["concepts"] == [{"id": "sky", "value": 1.0}]
    assert "concepts" not in annotations[1]["data"]
    sent = server.decoded("PostAnnotations")[0].annotations
    assert len(sent) == 2
    box = sent[1].data.regions[0].region_info.bounding_box
    assert (box.top_row, box.left_col, box.bottom_row, box.right_col) == (0.5, 0.5, 1.0, 1.0)


def test_post_regions_get_the_given_ids_in_order(cli):
    annotations = cli("post", "--input-id", "img1", "--box", "0,0,0.5,0.5", "--polygon", "0.1,0.1;0.2,0.9;0.9,0.5",
                      "--region-id", "r-box", "--region-id", "r-poly").json["annotations"]
    assert [a["data"]["regions"][0]["id"] for a in annotations] == ["r-box", "r-poly"]
    assert "bounding_box" in annotations[0]["data"]["regions"][0]["region_info"]
    assert "polygon" in annotations[1]["data"]["regions"][0]["region_info"]


def test_one_id_for_several_regions_is_refused(cli, server):
    result = cli("post", "--input-id", "img1", "--id", "a1", "--box", "0,0,0.5,0.5", "--box", "0.5,0.5,1,1")
    assert result.code == 64, result.stderr
    assert "at most one region" in result.stderr
    assert server.decoded("PostAnnotations") == []


def test_post_polygon(cli, server):
    annotation = only(cli("post", "--input-id", "img1", "--polygon", "0.1,0.1;0.1,0.9;0.9,0.9;0.9,0.1",
                          "--region-concept", "bike").json)
    [region] = annotation["data"]["regions"]
    assert region["region_info"]["polygon"]["points"] == [
        {"row": 0.1, "col": 0.1}, {"row": 0.1, "col": 0.9}, {"row": 0.9, "col": 0.9}, {"row": 0.9, "col": 0.1}]
    assert region["data"]["concepts"] == [{"id": "bike", "value": 1.0}]
    points = server.decoded("PostAnnotations")[0].annotations[0].data.regions[0].region_info.polygon.points
    assert len(points) == 4


def test_post_existing_regions(cli, server):
    # Each existing region becomes an annotation of its own (at most one region per annotation).
    annotations = cli("post", "--input-id", "img1", "--region-id", "REGION_1", "--region-id", "REGION_2",
                      "--region-concept", "tree").json["annotations"]
    regions = [region for a in annotations for region in a["data"]["regions"]]
    assert [len(a["data"]["regions"]) for a in annotations] == [1, 1]
    assert [r["id"] for r in regions] == ["REGION_1", "REGION_2"]
    assert all("region_info" not in r for r in regions)
    assert all(r["data"]["concepts"] == [{"id": "tree", "value": 1.0}] for r in regions)
    request = server.decoded("PostAnnotations")[0]
    assert len(request.annotations) == 2
    assert not request.annotations[0].data.regions[0].HasField("region_info")


def test_post_mask_from_file(cli, server, tmp_path):
    mask = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    (tmp_path / "mask.png").write_bytes(mask)
    annotation = only(cli("post", "--input-id", "img1", "--mask-file", tmp_path / "mask.png",
                          "--region-concept", "sky").json)
    [region] = annotation["data"]["regions"]
    assert base64.b64decode(region["region_info"]["mask"]["image"]["base64"]) == mask
    assert region["data"]["concepts"] == [{"id": "sky", "value": 1.0}]
    sent = server.decoded("PostAnnotations")[0].annotations[0].data.regions[0].region_info.mask.image.base64
    assert sent == mask


@pytest.mark.parametrize("status", ["ANNOTATION_PENDING", "24151"])
def test_post_for_another_user_pending(cli, server, status):
    annotation = only(cli("post", "--input-id", "img1", "--user-id-of-annotator", "USER_2", "--status", status).json)
    assert annotation["user_id"] == "USER_2"
    assert annotation["status"]["code"] == 24151
    request = server.decoded("PostAnnotations")[0].annotations[0]
    assert (request.user_id, request.status.code) == ("USER_2", 24151)


def test_post_task_annotation_info(cli, server):
    annotation = only(cli("post", "--input-id", "img1", "--concept", "tree",
                          "--annotation-info", '{"task_id": "TASK_1", "n": 2}').json)
    assert annotation["annotation_info"] == {"task_id": "TASK_1", "n": 2.0}
    info = server.decoded("PostAnnotations")[0].annotations[0].annotation_info
    assert info["task_id"] == "TASK_1"


def test_post_with_explicit_id_and_user_app_id(cli, server):
    annotation = only(cli("post", "--user-id", "me", "--app-id", "my-app", "--input-id", "img1",
                          "--id", "my-annotation", "--concept", "tree").json)
    assert annotation["id"] == "my-annotation"
    request = server.decoded("PostAnnotations")[0]
    assert (request.user_app_id.user_id, request.user_app_id.app_id) == ("me", "my-app")


SEED_BODY = {
    "user_app_id": {"user_id": "body-user", "app_id": "body-app"},
    "annotations": [
        {"input_id": "{YOUR_INPUT_ID}", "data": {"regions": [{
            "region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}},
            "data": {"concepts": [{"id": "tree", "value": 1}, {"id": "water", "value": 0}]}}]},
         "embed_model_version_id": "{EMBED_MODEL_VERSION_ID}"},
        {"input_id": "{YOUR_INPUT_ID}", "data": {"regions": [{
            "region_info": {"bounding_box": {"top_row": 0.6, "left_col": 0.6, "bottom_row": 0.8, "right_col": 0.8}},
            "data": {"concepts": [{"id": "bike", "value": 1}]}}]},
         "embed_model_version_id": "{EMBED_MODEL_VERSION_ID}"},
    ],
}


def test_post_json_body_from_file(cli, server, tmp_path):
    (tmp_path / "body.json").write_text(json.dumps(SEED_BODY))
    response = cli("post", "--json", tmp_path / "body.json").json
    assert response["status"]["code"] == 10000
    assert len(response["annotations"]) == 2
    assert response["annotations"][1]["data"]["regions"][0]["data"]["concepts"] == [{"id": "bike", "value": 1.0}]
    request = server.decoded("PostAnnotations")[0]
    assert (request.user_app_id.user_id, request.user_app_id.app_id) == ("body-user", "body-app")
    assert all(HEX_ID.match(a.id) for a in request.annotations)


def test_post_json_body_from_stdin_with_pending_status_by_name(cli, server):
    body = {"annotations": [{"input_id": "img9", "user_id": "{USER_ID}", "status": {"code": "ANNOTATION_PENDING"}}]}
    annotation = only(cli("post", "--json", "-", stdin=json.dumps(body).encode()).json)
    assert (annotation["input_id"], annotation["user_id"], annotation["status"]["code"]) == ("img9", "{USER_ID}", 24151)
    assert not server.decoded("PostAnnotations")[0].HasField("user_app_id")


def test_post_json_with_flags_is_a_usage_error(cli, server, tmp_path):
    (tmp_path / "body.json").write_text(json.dumps(SEED_BODY))
    result = cli("post", "--json", tmp_path / "body.json", "--concept", "tree")
    assert result.code == EX_USAGE, result
    assert server.requests() == []


def test_post_bad_json_body_is_refused_before_sending(cli, server, tmp_path):
    (tmp_path / "body.json").write_text('{"annotations": [{"input_id": "x", "no_such_field": 1}]}')
    assert_one_line_error(cli("post", "--json", tmp_path / "body.json"), EX_DATAERR, "invalid input")
    assert server.requests() == []


def test_extra_metadata_is_sent_lower_cased(cli, server):
    cli("post", "--input-id", "img1", "--concept", "tree", "-H", "X-Request-Tag: abc 1", "--header", "x-other:2").json
    metadata = server.requests("PostAnnotations")[0]["metadata"]
    assert metadata["x-request-tag"] == "abc 1"
    assert metadata["x-other"] == "2"


def test_authorization_header_replaces_the_key(cli, server):
    assert cli("list", "-H", "Authorization: Key header-key", pat=None).code == 0
    assert server.requests("ListAnnotations")[0]["metadata"]["authorization"] == "Key header-key"


def test_tls_with_ca_file_and_insecure(binary, start_server, tmp_path_factory):
    certs = tmp_path_factory.mktemp("certs")
    subprocess.run(["bash", str(REPO_ROOT / "Tests" / "Peers" / "make_certs.sh"), str(certs)], check=True,
                   capture_output=True, timeout=RUN_TIMEOUT)
    server = start_server(tls=(certs / "server.pem", certs / "server.key"))
    assert server.endpoint.startswith("https://127.0.0.1:")
    trusted = run_tool(binary, "list", "--endpoint", server.endpoint, "--pat", PAT, "--ca-file", certs / "ca.pem")
    assert trusted.json["status"]["code"] == 10000
    untrusted = run_tool(binary, "list", "--endpoint", server.endpoint, "--pat", PAT)
    assert_one_line_error(untrusted, EX_TEMPFAIL, "TLS")
    insecure = run_tool(binary, "list", "--endpoint", server.endpoint, "--pat", PAT, "--insecure")
    assert insecure.json["status"]["code"] == 10000


def test_key_from_environment(binary, server):
    result = run_tool(binary, "post", "--endpoint", server.endpoint, "--input-id", "img1", "--concept", "tree",
                      env=tool_env(CLARIFAI_PAT="env-key-1"))
    assert result.code == 0, result
    assert server.requests("PostAnnotations")[0]["metadata"]["authorization"] == "Key env-key-1"


# ---------------------------------------------------------------------------------------------
# list, get.
# ---------------------------------------------------------------------------------------------

def post_many(cli, specs) -> list[dict]:
    """Posts (input_id, concept) pairs one by one; returns the stored annotations in order."""
    stored = []
    for input_id, concept in specs:
        stored.append(only(cli("post", "--input-id", input_id, "--concept", concept).json))
    return stored


def test_list_pages_and_filters(cli, server):
    stored = post_many(cli, [("a", "c0"), ("b", "c1"), ("a", "c2"), ("c", "c3"), ("b", "c4")])
    everything = cli("list").json
    assert everything["status"]["code"] == 10000
    assert [a["id"] for a in everything["annotations"]] == [a["id"] for a in stored]
    page2 = cli("list", "--page", "2", "--per-page", "2").json["annotations"]
    assert [a["id"] for a in page2] == [stored[2]["id"], stored[3]["id"]]
    by_input = cli("list", "--input-id", "a", "--input-id", "c").json["annotations"]
    assert [a["id"] for a in by_input] == [stored[0]["id"], stored[2]["id"], stored[3]["id"]]
    pairs = cli("list", "--input-id", "b", "--id", stored[4]["id"], "--input-id", "a", "--id", stored[0]["id"]).json
    assert sorted(a["id"] for a in pairs["annotations"]) == sorted([stored[0]["id"], stored[4]["id"]])
    empty = cli("list", "--input-id", "nothing-here").json
    assert empty == {"status": {"code": 10000, "description": "Ok"}, "annotations": []}
    requests = server.decoded("ListAnnotations")
    assert (requests[1].page, requests[1].per_page) == (2, 2)
    assert list(requests[3].ids) == [stored[4]["id"], stored[0]["id"]]
    assert list(requests[3].input_ids) == ["b", "a"]


def test_list_request_fields_for_user_model_and_all(cli, server):
    cli("list", "--user-id-filter", "USER_1", "--user-id-filter", "USER_2").json
    cli("list", "--model-version-id", "MV_1", "--model-version-id", "MV_2", "--all").json
    cli("list", "--status", "ANNOTATION_PENDING", "--status", "24150", "--page", "1", "--per-page", "10").json
    users, models, statuses = server.decoded("ListAnnotations")
    assert list(users.user_ids) == ["USER_1", "USER_2"] and not users.list_all_annotations
    assert list(models.model_version_ids) == ["MV_1", "MV_2"] and models.list_all_annotations
    assert [s.code for s in statuses.statuses] == [24151, 24150]
    assert (statuses.page, statuses.per_page) == (1, 10)


def test_list_every_walks_all_pages_one_annotation_per_line(cli, server):
    stored = post_many(cli, [(f"in{i}", f"c{i}") for i in range(5)])
    result = cli("list", "--every", "--per-page", "2")
    lines = result.lines
    assert [a["id"] for a in lines] == [a["id"] for a in stored]
    assert lines[0] == stored[0]
    assert [(r.page, r.per_page) for r in server.decoded("ListAnnotations")] == [(1, 2), (2, 2), (3, 2)]


def test_list_ids_without_input_ids_is_a_usage_error(cli, server):
    result = cli("list", "--id", "abc")
    assert result.code == EX_USAGE, result
    assert "--input-id" in result.stderr
    assert server.requests() == []


def test_get(cli, server):
    stored = only(cli("post", "--input-id", "img1", "--concept", "tree").json)
    response = cli("get", "--input-id", "img1", "--id", stored["id"]).json
    assert response["status"]["code"] == 10000
    assert response["annotation"] == stored
    [request] = server.decoded("GetAnnotation")
    assert (request.input_id, request.annotation_id) == ("img1", stored["id"])


def test_get_unknown_is_an_api_error(cli):
    assert_one_line_error(cli("get", "--input-id", "img1", "--id", "missing"), EX_UNAVAILABLE,
                          "API error", "11101", "missing")


# ---------------------------------------------------------------------------------------------
# patch.
# ---------------------------------------------------------------------------------------------

def test_patch_merge_overwrite_remove_concepts(cli, server):
    stored = only(cli("post", "--input-id", "img1", "--concept", "tree", "--concept", "water:0").json)
    key = ["--input-id", "img1", "--id", stored["id"]]
    merged = only(cli("patch", "--action", "merge", *key, "--concept", "apple").json)
    assert [c["id"] for c in merged["data"]["concepts"]] == ["tree", "water", "apple"]
    removed = only(cli("patch", "--action", "remove", *key, "--concept", "water").json)
    assert [c["id"] for c in removed["data"]["concepts"]] == ["tree", "apple"]
    overwritten = only(cli("patch", "--action", "overwrite", *key, "--concept", "pear:0").json)
    assert overwritten["data"]["concepts"] == [{"id": "pear", "value": 0.0}]
    assert cli("get", *key).json["annotation"]["data"] == overwritten["data"]
    assert [r.action for r in server.decoded("PatchAnnotations")] == ["merge", "remove", "overwrite"]


def test_patch_region_concepts_coordinates_and_removal(cli, server):
    stored = only(cli("post", "--input-id", "img1", "--box", "0,0,0.5,0.5", "--region-id", "R1",
                      "--region-concept", "tree").json)
    key = ["--input-id", "img1", "--id", stored["id"]]
    cli("patch", "--action", "merge", *key, "--region-id", "R1", "--region-concept", "apple").json
    request = server.decoded("PatchAnnotations")[0].annotations[0]
    assert request.data.regions[0].id == "R1"
    assert [c.id for c in request.data.regions[0].data.concepts] == ["apple"]
    moved = only(cli("patch", "--action", "overwrite", *key, "--box", "0.1,0.2,0.6,0.7", "--region-id", "R1",
                     "--region-concept", "apple").json)
    [region] = moved["data"]["regions"]
    assert region["id"] == "R1"
    assert region["region_info"]["bounding_box"] == {"top_row": 0.1, "left_col": 0.2, "bottom_row": 0.6,
                                                     "right_col": 0.7}
    gone = only(cli("patch", "--action", "remove", *key, "--region-id", "R1").json)
    assert "regions" not in gone.get("data", {})


def test_patch_status_to_success(cli):
    stored = only(cli("post", "--input-id", "img1", "--user-id-of-annotator", "u2", "--status", "24151").json)
    patched = only(cli("patch", "--action", "merge", "--input-id", "img1", "--id", stored["id"],
                       "--status", "ANNOTATION_SUCCESS").json)
    assert patched["status"]["code"] == 24150


def test_patch_json_body_action_and_override(cli, server, tmp_path):
    stored = only(cli("post", "--input-id", "img1", "--concept", "tree").json)
    body = {"annotations": [{"input_id": "img1", "id": stored["id"], "data": {"concepts": [{"id": "apple", "value": 1}]}}],
            "action": "merge"}
    (tmp_path / "patch.json").write_text(json.dumps(body))
    merged = only(cli("patch", "--json", tmp_path / "patch.json").json)
    assert [c["id"] for c in merged["data"]["concepts"]] == ["tree", "apple"]
    overwritten = only(cli("patch", "--json", tmp_path / "patch.json", "--action", "overwrite").json)
    assert [c["id"] for c in overwritten["data"]["concepts"]] == ["apple"]
    assert [r.action for r in server.decoded("PatchAnnotations")] == ["merge", "overwrite"]


def test_patch_usage_and_validation_errors(cli, server, tmp_path):
    assert cli("patch", "--action", "merge", "--input-id", "img1", "--concept", "x").code == EX_USAGE
    assert cli("patch", "--input-id", "img1", "--id", "a", "--concept", "x").code == EX_USAGE
    assert cli("patch", "--action", "squash", "--input-id", "img1", "--id", "a").code == EX_USAGE
    (tmp_path / "patch.json").write_text(json.dumps({"annotations": [{"input_id": "img1", "id": "a"}],
                                                     "action": "squash"}))
    assert_one_line_error(cli("patch", "--json", tmp_path / "patch.json"), EX_DATAERR, "action", "squash")
    (tmp_path / "unsupported.json").write_text(json.dumps({"annotations": [{"input_id": "img1", "id": "a"}],
                                                          "action": "merge", "delete_if_empty_data": True}))
    assert_one_line_error(cli("patch", "--json", tmp_path / "unsupported.json"), EX_DATAERR, "delete_if_empty_data")
    (tmp_path / "noaction.json").write_text(json.dumps({"annotations": [{"input_id": "img1", "id": "a"}]}))
    assert cli("patch", "--json", tmp_path / "noaction.json").code == EX_USAGE
    assert server.requests() == []


def test_patch_unknown_annotation_is_an_api_error(cli):
    assert_one_line_error(cli("patch", "--action", "merge", "--input-id", "img1", "--id", "nope", "--concept", "x"),
                          EX_UNAVAILABLE, "11101")


# ---------------------------------------------------------------------------------------------
# delete.
# ---------------------------------------------------------------------------------------------

def listed_ids(cli) -> list[str]:
    return [a["id"] for a in cli("list").json["annotations"]]


def test_delete_one(cli, server):
    a, b = post_many(cli, [("img1", "x"), ("img1", "y")])
    assert cli("delete", "--input-id", "img1", "--id", a["id"]).json == {"status": {"code": 10000, "description": "Ok"}}
    assert listed_ids(cli) == [b["id"]]
    [request] = server.decoded("DeleteAnnotation")
    assert (request.input_id, request.annotation_id) == ("img1", a["id"])


def test_delete_pairs(cli, server):
    a, b, c = post_many(cli, [("img1", "x"), ("img2", "y"), ("img3", "z")])
    cli("delete", "--id", a["id"], "--input-id", "img1", "--id", c["id"], "--input-id", "img3").json
    assert listed_ids(cli) == [b["id"]]
    [request] = server.decoded("DeleteAnnotations")
    assert list(request.ids) == [a["id"], c["id"]] and list(request.input_ids) == ["img1", "img3"]


def test_delete_all_of_inputs(cli, server):
    a, b, c = post_many(cli, [("img1", "x"), ("img2", "y"), ("img1", "z")])
    cli("delete", "--input-id", "img1", "--all-of-inputs").json
    assert listed_ids(cli) == [b["id"]]
    [request] = server.decoded("DeleteAnnotations")
    assert list(request.ids) == [] and list(request.input_ids) == ["img1"]


def test_delete_errors(cli, server):
    assert cli("delete", "--input-id", "img1").code == EX_USAGE  # neither --id nor --all-of-inputs
    assert cli("delete", "--input-id", "img1", "--id", "a", "--all-of-inputs").code == EX_USAGE
    assert cli("delete", "--id", "a").code == EX_USAGE
    assert_one_line_error(cli("delete", "--id", "a", "--id", "b", "--input-id", "img1"), EX_DATAERR, "ids")
    assert server.requests() == []
    assert_one_line_error(cli("delete", "--input-id", "img1", "--id", "missing"), EX_UNAVAILABLE, "11101")


# ---------------------------------------------------------------------------------------------
# import and export.
# ---------------------------------------------------------------------------------------------

def import_lines(count: int, prefix: str = "in") -> list[dict]:
    lines = []
    for i in range(count):
        annotation = {"input_id": f"{prefix}{i % 7}", "data": {"concepts": [{"id": f"c{i}", "value": 1.0}]}}
        if i % 5 == 0:
            annotation["data"] = {"regions": [{"region_info": {"bounding_box": {
                "top_row": 0.1, "left_col": 0.2, "bottom_row": 0.3, "right_col": 0.4}},
                "data": {"concepts": [{"id": f"c{i}", "value": 1.0}]}}]}
        lines.append(annotation)
    return lines


def write_jsonl(path: Path, items) -> Path:
    path.write_text("".join((item if isinstance(item, str) else json.dumps(item)) + "\n" for item in items))
    return path


def summary(result: Result) -> str:
    return result.stderr.strip().split("\n")[-1]


def exported(cli) -> list[dict]:
    return cli("export").lines


def test_import_then_export_round_trip(cli, server, tmp_path):
    items = import_lines(300)
    data = write_jsonl(tmp_path / "data.jsonl", items)
    result = cli("import", data, "--concurrency", "4")
    assert result.code == 0, result
    assert summary(result) == "imported 300, failed 0, skipped 0 (already done)"
    assert "\r" not in result.stderr  # no progress bar: stderr is not a terminal
    posts = server.decoded("PostAnnotations")
    assert sorted(len(p.annotations) for p in posts) == [44, 128, 128]
    out = exported(cli)
    assert len(out) == 300 and len({a["id"] for a in out}) == 300
    assert sorted(json.dumps(strip_server_fields(a), sort_keys=True) for a in out) == \
        sorted(json.dumps(item, sort_keys=True) for item in items)
    # The checkpoint holds every line as done: running again sends nothing.
    assert (tmp_path / "data.jsonl.checkpoint").exists()
    before = len(server.requests("PostAnnotations"))
    again = cli("import", data)
    assert again.code == 0, again
    assert summary(again) == "imported 0, failed 0, skipped 300 (already done)"
    assert len(server.requests("PostAnnotations")) == before
    assert not (tmp_path / "data.jsonl.rejects").exists()


def test_export_to_file_with_filters_and_reimport_into_a_fresh_server(cli, start_server, server, binary, tmp_path):
    items = import_lines(20)
    result = cli("import", write_jsonl(tmp_path / "data.jsonl", items), "--batch-size", "8")
    assert result.code == 0, result
    result = cli("export", "--input-id", "in3", "--per-page", "2", "--output", tmp_path / "in3.jsonl")
    assert result.code == 0 and result.stdout == "", result
    in3 = [json.loads(line) for line in (tmp_path / "in3.jsonl").read_text().splitlines()]
    assert [a["input_id"] for a in in3] == ["in3"] * 3
    # Batches run concurrently: the store's order is not the file's.
    canonical = lambda values: sorted(json.dumps(v, sort_keys=True) for v in values)  # noqa: E731
    assert canonical(strip_server_fields(a) for a in in3) == canonical([items[3], items[10], items[17]])
    assert not list(tmp_path.glob("in3.jsonl.partial-*"))
    # Exported lines import as they are (ids and statuses included) into another server.
    other = start_server()
    again = run_tool(binary, "import", tmp_path / "in3.jsonl", "--endpoint", other.endpoint, "--pat", PAT)
    assert summary(again) == "imported 3, failed 0, skipped 0 (already done)", again
    listed = run_tool(binary, "export", "--endpoint", other.endpoint, "--pat", PAT).lines
    assert [strip_server_fields(a) | {"id": a["id"]} for a in listed] == \
        [strip_server_fields(a) | {"id": a["id"]} for a in in3]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def checkpoint_records(path: Path) -> list[dict]:
    if not path.exists():
        return []
    records = []
    for line in path.read_text().splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            pass
    return records


def test_import_resumes_after_a_kill_without_duplicates(binary, start_server, tmp_path):
    # Calls 1-3 are answered; call 4 is held by the server for 2.5 s and then stored, after the
    # tool was killed: the 4th batch reaches the store but never the checkpoint's "done".
    server = start_server(script=[{"pass": True}] * 3 + [{"sleep_ms": 2500}])
    items = import_lines(20)
    data = write_jsonl(tmp_path / "data.jsonl", items)
    checkpoint = tmp_path / "data.jsonl.checkpoint"
    argv = [str(binary), "import", str(data), "--endpoint", server.endpoint, "--pat", PAT,
            "--batch-size", "2", "--concurrency", "1"]
    first = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=tool_env())
    try:
        def fourth_batch_in_flight():
            records = checkpoint_records(checkpoint)
            return (sum(1 for r in records if "done" in r) == 3 and sum(1 for r in records if "ids" in r) == 4
                    and len(server.requests("PostAnnotations")) == 4)
        wait_for(fourth_batch_in_flight, 20, "the 4th batch to be sent")
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate(timeout=10)
    records = checkpoint_records(checkpoint)
    assert records[0] == {"checkpoint": 1, "file": str(data)}
    assert sorted(line for r in records if "done" in r for line in r["done"]) == [1, 2, 3, 4, 5, 6]
    in_flight = {line: ident for r in records if "ids" in r for line, ident, _ in r["ids"]}
    assert sorted(in_flight) == [1, 2, 3, 4, 5, 6, 7, 8]
    # The held call completes on the server: lines 7 and 8 are stored, unknown to the checkpoint.
    list_argv = [str(binary), "list", "--endpoint", server.endpoint, "--pat", PAT]
    wait_for(lambda: len(json.loads(subprocess.run(list_argv, capture_output=True, timeout=RUN_TIMEOUT,
                                                   env=tool_env()).stdout)["annotations"]) == 8,
             10, "the held batch to be stored")

    resumed = subprocess.run(argv, capture_output=True, timeout=RUN_TIMEOUT, env=tool_env())
    result = Result(resumed)
    assert result.code == 0, result
    assert summary(result) == "imported 12, failed 0, skipped 8 (already done)"
    store = run_tool(binary, "export", "--endpoint", server.endpoint, "--pat", PAT).lines
    assert len(store) == 20
    assert len({a["id"] for a in store}) == 20
    assert sorted(json.dumps(strip_server_fields(a), sort_keys=True) for a in store) == \
        sorted(json.dumps(item, sort_keys=True) for item in items)
    # Lines 7 and 8 kept the ids given before the kill, and were never posted again.
    by_concept = {a["data"].get("concepts", [{}])[0].get("id") or a["data"]["regions"][0]["data"]["concepts"][0]["id"]: a
                  for a in store}
    assert by_concept["c6"]["id"] == in_flight[7] and by_concept["c7"]["id"] == in_flight[8]
    posted = [a.id for request in server.decoded("PostAnnotations") for a in request.annotations]
    assert len(posted) == len(set(posted)) == 20


def test_import_resumes_from_a_half_done_checkpoint(cli, server, tmp_path):
    # A checkpoint left by a first run that handled the first half of the file.
    items = import_lines(10)
    data = write_jsonl(tmp_path / "data.jsonl", items)
    first_half = write_jsonl(tmp_path / "half.jsonl", items[:5])
    assert summary(cli("import", first_half, "--checkpoint", tmp_path / "data.jsonl.checkpoint")) == \
        "imported 5, failed 0, skipped 0 (already done)"
    result = cli("import", data)
    assert result.code == 0, result
    assert summary(result) == "imported 5, failed 0, skipped 5 (already done)"
    assert len(exported(cli)) == 10


def test_import_after_a_torn_checkpoint_record_and_appended_lines(cli, server, tmp_path):
    items = import_lines(6)
    data = write_jsonl(tmp_path / "data.jsonl", items[:4])
    checkpoint = tmp_path / "data.jsonl.checkpoint"
    assert cli("import", data, "--batch-size", "2").code == 0
    with open(checkpoint, "a") as f:
        f.write('{"ids":[[5,"0123')  # a record cut short by a kill
    write_jsonl(data, items)  # lines appended to the file since
    result = cli("import", data, "--batch-size", "2")
    assert result.code == 0, result
    assert summary(result) == "imported 2, failed 0, skipped 4 (already done)"
    assert all(json.loads(line) for line in checkpoint.read_text().splitlines())
    assert len(exported(cli)) == 6
    with open(checkpoint, "r+") as f:
        f.seek(0)
        f.write("#")  # damage the header: refused, nothing sent
    posts = len(server.requests("PostAnnotations"))
    assert_one_line_error(cli("import", data), EX_DATAERR, "damaged")
    assert len(server.requests("PostAnnotations")) == posts


def test_import_lost_answers_do_not_duplicate(cli, start_server, binary, tmp_path):
    # The server stores the first batch, then loses the answer (UNAVAILABLE): the retry must not
    # store it twice.
    server = start_server(script=[{"then_grpc": 14}])
    data = write_jsonl(tmp_path / "data.jsonl", import_lines(6))
    result = run_tool(binary, "import", data, "--endpoint", server.endpoint, "--pat", PAT, "--batch-size", "3",
                      "--concurrency", "1")
    assert summary(result) == "imported 6, failed 0, skipped 0 (already done)", result
    store = run_tool(binary, "export", "--endpoint", server.endpoint, "--pat", PAT).lines
    assert len(store) == 6 and len({a["id"] for a in store}) == 6


def test_import_rejects_file_and_exit_status(cli, server, tmp_path):
    taken = only(cli("post", "--input-id", "x", "--id", "taken-id", "--concept", "x").json)
    lines = [
        {"input_id": "ok1", "data": {"concepts": [{"id": "a", "value": 1}]}},
        "this is not json",
        {"input_id": "", "data": {"concepts": [{"id": "a", "value": 1}]}},
        {"input_id": "ok2", "data": {"regions": [{"region_info": {"bounding_box": {
            "top_row": 0, "left_col": 0, "bottom_row": 1.5, "right_col": 1}}}]}},
        {"input_id": "ok3", "id": taken["id"], "data": {"concepts": [{"id": "a", "value": 1}]}},
        "",
        {"input_id": "ok4", "data": {"concepts": [{"id": "b", "value": 0}]}},
        {"input_id": "ok5", "unknown_field": 1},
    ]
    data = write_jsonl(tmp_path / "data.jsonl", lines)
    result = cli("import", data, "--rejects", tmp_path / "bad.jsonl")
    assert result.code == EX_UNAVAILABLE, result
    assert summary(result) == "imported 2, failed 5, skipped 0 (already done)"
    rejects = [json.loads(line) for line in (tmp_path / "bad.jsonl").read_text().splitlines()]
    by_line = {r["line"]: r for r in rejects}
    assert sorted(by_line) == [2, 3, 4, 5, 8]
    assert by_line[2]["input"] == "this is not json" and by_line[2]["status"] == EX_DATAERR
    assert by_line[3]["status"] == EX_DATAERR and "input_id" in by_line[3]["error"]
    assert by_line[4]["status"] == EX_DATAERR and "bottom_row" in by_line[4]["error"]
    assert by_line[5]["status"] == EX_UNAVAILABLE and "already exists" in by_line[5]["error"]
    assert by_line[5]["input"] == lines[4]
    assert by_line[8]["status"] == EX_DATAERR and "unknown_field" in by_line[8]["error"]
    stored = {a["input_id"] for a in exported(cli)}
    assert stored == {"x", "ok1", "ok4"}
    # A second run retries only the failed lines (and fails them again).
    again = cli("import", data, "--rejects", tmp_path / "bad.jsonl")
    assert summary(again) == "imported 0, failed 5, skipped 2 (already done)", again
    # Failed lines fixed in place are imported by the next run.
    lines[3]["data"]["regions"][0]["region_info"]["bounding_box"]["bottom_row"] = 0.5
    lines[4]["id"] = "fresh-id"
    write_jsonl(data, lines)
    fixed = cli("import", data, "--rejects", tmp_path / "bad.jsonl")
    assert summary(fixed) == "imported 2, failed 3, skipped 2 (already done)", fixed
    assert sorted(r["line"] for r in map(json.loads, (tmp_path / "bad.jsonl").read_text().splitlines())) == [2, 3, 8]
    assert {a["input_id"]: a["id"] for a in exported(cli)}["ok3"] == "fresh-id"


def test_import_refuses_a_changed_file(cli, server, tmp_path):
    data = write_jsonl(tmp_path / "data.jsonl", import_lines(4))
    assert cli("import", data).code == 0
    posts = len(server.requests("PostAnnotations"))
    items = import_lines(4)
    items[2]["input_id"] = "edited"
    write_jsonl(data, items)
    result = cli("import", data)
    assert_one_line_error(result, EX_DATAERR, "line 3", "changed")
    assert len(server.requests("PostAnnotations")) == posts


def test_import_stops_on_a_refused_connection(cli, tmp_path):
    data = write_jsonl(tmp_path / "data.jsonl", import_lines(10))
    result = cli("import", data, "--batch-size", "2", "--concurrency", "1", endpoint=refused_endpoint())
    assert result.code == EX_TEMPFAIL, result
    assert "transport error" in result.stderr and "resume" in result.stderr
    assert summary(result) == "imported 0, failed 2, skipped 0 (already done)"
    assert PAT not in result.stderr


def test_import_stops_on_a_bad_key_without_splitting_batches(binary, start_server, tmp_path):
    server = start_server(api_key="the-right-key")
    data = write_jsonl(tmp_path / "data.jsonl", import_lines(10))
    result = run_tool(binary, "import", data, "--endpoint", server.endpoint, "--pat", PAT, "--batch-size", "4",
                      "--concurrency", "1")
    assert result.code == EX_UNAVAILABLE, result
    assert "11008" in result.stderr and "resume" in result.stderr and PAT not in result.stderr
    assert summary(result) == "imported 0, failed 4, skipped 0 (already done)"
    assert len(server.requests("PostAnnotations")) == 1


def test_import_progress_bar_only_on_a_terminal(binary, server, tmp_path):
    data = write_jsonl(tmp_path / "data.jsonl", import_lines(50))
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [str(binary), "import", str(data), "--endpoint", server.endpoint, "--pat", PAT, "--batch-size", "5"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower, env=tool_env())
        os.close(follower)
        follower = -1
        captured = bytearray()

        def drain():
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:
                    return
                if not chunk:
                    return
                captured.extend(chunk)

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        process.communicate(timeout=RUN_TIMEOUT)
        reader.join(timeout=5)
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    text = captured.decode("utf-8", "replace")
    assert process.returncode == 0, text
    assert "\r" in text and "100% 50/50" in text
    assert text.rstrip().endswith("imported 50, failed 0, skipped 0 (already done)")


def test_export_stdout_equals_list_every(cli):
    post_many(cli, [(f"in{i}", f"c{i}") for i in range(7)])
    assert cli("export", "--per-page", "3").lines == cli("list", "--every").lines


def test_export_failure_leaves_no_output_file(cli, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = cli("export", "--output", out / "all.jsonl", endpoint=refused_endpoint())
    assert result.code == EX_TEMPFAIL, result
    assert list(out.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# Exit statuses and the shared options.
# ---------------------------------------------------------------------------------------------

def test_usage_errors_exit_64_in_one_line_and_send_nothing(cli, server):
    def usage(*args, pat=PAT, **kwargs) -> Result:
        result = cli(*args, pat=pat, **kwargs)
        assert_one_line_error(result, EX_USAGE, f"annotations {args[0]}: usage error: ", f"'annotations {args[0]} --help'")
        return result

    usage("post", "--input-id", "img1", "--no-such-flag")
    usage("post", "--concept", "tree")  # no input id
    usage("post", "--input-id", "img1", "--box", "0,0,1")
    usage("post", "--input-id", "img1", "--polygon", "0,0;1,1")
    usage("post", "--input-id", "img1", "--region-concept", "x")
    usage("post", "--input-id", "img1", "--box", "0,0,1,1", "--region-id", "a", "--region-id", "b")
    usage("post", "--input-id", "img1", "--annotation-info", "[1]")
    usage("post", "--input-id", "img1", "--mask-file", "/no/such/mask.png")
    usage("list", "--timeout", "0")
    usage("list", "--user-id", "only-user")
    usage("list", "--endpoint", "ftp://example.com")
    assert "rest-h1" in usage("list", "--transport", "rest-h3").stderr
    usage("list", "--transport", "carrier-pigeon")
    assert "CLARIFAI_PAT" in usage("list", pat=None).stderr
    usage("list", "-H", f"authorization Key {PAT}")
    usage("list", "-H", "content-type: text/plain")
    usage("list", "--patt", PAT)
    usage("import", "/no/such/file.jsonl")
    usage("import", "--concurrency", "0", "x.jsonl")
    usage("export", "--per-page", "0")
    assert server.requests() == []


def test_validation_errors_exit_65_and_send_nothing(cli, server):
    assert_one_line_error(cli("post", "--input-id", "img1", "--box", "0,0,1.5,0.5"), EX_DATAERR,
                          "bounding_box.bottom_row", "outside [0, 1]")
    assert_one_line_error(cli("post", "--input-id", "img1", "--polygon", "0,0;0,1;-0.5,1"), EX_DATAERR, "polygon")
    assert server.requests() == []


def test_api_errors_exit_69(binary, start_server):
    server = start_server(api_key="the-right-key")
    result = run_tool(binary, "list", "--endpoint", server.endpoint, "--pat", PAT)
    assert_one_line_error(result, EX_UNAVAILABLE, "API error", "11008")
    scripted = start_server(script=[{"grpc": 3, "message": "bad thing"}, {"status": 10020, "description": "boom"}])
    first = run_tool(binary, "list", "--endpoint", scripted.endpoint, "--pat", PAT)
    assert_one_line_error(first, EX_UNAVAILABLE, "INVALID_ARGUMENT", "bad thing")
    second = run_tool(binary, "get", "--endpoint", scripted.endpoint, "--pat", PAT, "--input-id", "i", "--id", "a")
    assert_one_line_error(second, EX_UNAVAILABLE, "10020", "boom")


def test_transport_errors_exit_75(binary, cli, start_server):
    assert_one_line_error(cli("list", endpoint=refused_endpoint()), EX_TEMPFAIL, "transport error", "refused")
    unavailable = start_server(script=[{"grpc": 14, "message": "down"}] * 8)
    result = run_tool(binary, "list", "--endpoint", unavailable.endpoint, "--pat", PAT)
    assert_one_line_error(result, EX_TEMPFAIL, "UNAVAILABLE")
    assert len(unavailable.requests("ListAnnotations")) > 1  # UNAVAILABLE is retried before giving up
    slow = start_server(script=[{"sleep_ms": 3000}])
    started = time.monotonic()
    result = run_tool(binary, "list", "--endpoint", slow.endpoint, "--pat", PAT, "--timeout", "0.5")
    assert_one_line_error(result, EX_TEMPFAIL, "DEADLINE_EXCEEDED")
    assert time.monotonic() - started < 2.5


SUBCOMMANDS = ["post", "list", "get", "patch", "delete", "import", "export"]


@pytest.mark.parametrize("subcommand", SUBCOMMANDS)
def test_help_has_an_example_and_the_exit_statuses(binary, subcommand):
    result = run_tool(binary, subcommand, "--help")
    assert result.code == 0, result
    assert "Example" in result.stdout
    assert f"annotations {subcommand} " in result.stdout
    for code in ("64", "65", "69", "75"):
        assert re.search(rf"^\s+{code}\s", result.stdout, re.M), (subcommand, code)
    for option in ("--endpoint", "--pat", "--user-id", "--app-id", "--ca-file", "--insecure", "--timeout",
                   "--header", "--transport"):
        assert option in result.stdout, (subcommand, option)

"""cURL samples for the four newer REST bindings, run through a real `curl` against serve.

The documentation has no cURL samples for StreamAnnotations, PatchAnnotationsStatus,
GetTaskAnnotationCount and ListAnnotationWorkers, so the ones below are written in the style
of its samples (seed 001: `curl -X VERB`, `-H "Authorization: Key YOUR_API_KEY"`, a `-d '…'`
body, the `https://api.clarifai.com/v2/…` URL last, query strings unquoted), on the bindings of
the official descriptor (clarifai-grpc, `google.api.http` of `clarifai.api.V2`):

- `POST /v2/users/{user_id}/apps/{app_id}/inputs/{input_id}/track_annotations/searches/stream`
  and its short form `POST /v2/inputs/{input_id}/track_annotations/searches/stream` (body `*`):
  grpc-gateway's newline-delimited `{"result": …}` objects, read with `curl --no-buffer` as
  they arrive;
- `PATCH /v2/users/{user_id}/apps/{app_id}/task/{task_id}/annotations/status` (body `*`);
- `GET /v2/users/{user_id}/apps/{app_id}/tasks/{task_id}/annotations/count`;
- `GET /v2/users/{user_id}/apps/{app_id}/annotations/workers`.

They run as test_curl.py runs the seeds' commands (its `Served`: the URL pointed at the
emulator, the key filled in, the transport options and `--max-time` added by a `curl` shell
function), on the same four transports: HTTP/1.1 and h2c on the plaintext port, HTTP/2 (ALPN)
and HTTP/1.1 over TLS. For the stream samples that function also sends `x-stream-interval-ms`
(the emulator then pauses before each message), and the lines are timed as curl writes them:
they must arrive spread out, one by one, not all at the end.

Each test has its own emulator, started with `--fixtures` (SCENE: frame annotations of the video
YOUR_INPUT_ID, by two users and a model, in the tasks YOUR_TASK_ID and ANOTHER_TASK_ID) and with
YOUR_USER_ID / YOUR_APP_ID as its app, which the samples' URLs name.
"""

from __future__ import annotations

import copy
import json
import os
import selectors
import subprocess
import time
import urllib.parse

import pytest

from emulator import start_for, write_fixtures
from test_curl import KEY, TRANSPORTS, Served, assert_success, code

STREAM_TIMEOUT = 20.0  # seconds for a whole stream sample (curl itself gets --max-time 10)
INTERVAL_MS = 150  # the emulator's pause before each streamed message (x-stream-interval-ms)
SUCCESS, CONN_KEY_INVALID, CONN_BAD_REQUEST_FORMAT = 10000, 11008, 11100
PENDING, AWAITING_REVIEW, ANNOTATION_SUCCESS, REVIEW_DENIED = 24151, 24157, 24150, 24158

# Stream the annotations of one track of a video input, one JSON object per line as they arrive.
STREAM_TRACK = r"""# max_frames: frames frame_number_start … frame_number_start + max_frames - 1
curl -X POST --no-buffer \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
  {
    "track_ids": ["TRACK_ID"],
    "frame_number_start": 0,
    "max_frames": 100
  }'\
  https://api.clarifai.com/v2/users/YOUR_USER_ID/apps/YOUR_APP_ID/inputs/YOUR_INPUT_ID/track_annotations/searches/stream"""

# Stream every annotation of a video input (the short binding, for a key that names its app).
STREAM_ALL = r"""curl -X POST --no-buffer \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{}'\
  https://api.clarifai.com/v2/inputs/YOUR_INPUT_ID/track_annotations/searches/stream"""

# Stream one worker's annotations with a prediction score of at least 0.65.
STREAM_WORKER_SCORE = r"""curl -X POST --no-buffer \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
  {
    "worker": {
      "user": {
        "id": "USER_ID_1"
      }
    },
    "min_prediction_score": 0.65
  }'\
  https://api.clarifai.com/v2/users/YOUR_USER_ID/apps/YOUR_APP_ID/inputs/YOUR_INPUT_ID/track_annotations/searches/stream"""

# Stream a model version's annotations ("For non-point types, a model version ID must be provided").
STREAM_MODEL_VERSION = r"""curl -X POST --no-buffer \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
  {
    "worker": {
      "model": {
        "id": "MODEL_ID",
        "model_version": {
          "id": "MODEL_VERSION_ID"
        }
      }
    },
    "annotation_type": "BOUNDING_BOX"
  }'\
  https://api.clarifai.com/v2/users/YOUR_USER_ID/apps/YOUR_APP_ID/inputs/YOUR_INPUT_ID/track_annotations/searches/stream"""

# Approve a labeler's task annotations that await review.
PATCH_STATUS = r"""curl -X PATCH \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
  {
    "user_ids": ["USER_ID_1"],
    "status_codes": ["ANNOTATION_AWAITING_REVIEW"],
    "status_code": "ANNOTATION_SUCCESS",
    "action": "overwrite"
  }'\
  https://api.clarifai.com/v2/users/YOUR_USER_ID/apps/YOUR_APP_ID/task/YOUR_TASK_ID/annotations/status"""

# Count a task's annotations per worker and status.
TASK_COUNT = r"""curl -X GET \
  -H "Authorization: Key YOUR_API_KEY" \
  https://api.clarifai.com/v2/users/YOUR_USER_ID/apps/YOUR_APP_ID/tasks/YOUR_TASK_ID/annotations/count"""

# Only some workers: a user's counts and a model version's.
TASK_COUNT_FILTERED = r"""curl -X GET \
  -H "Authorization: Key YOUR_API_KEY" \
  https://api.clarifai.com/v2/users/YOUR_USER_ID/apps/YOUR_APP_ID/tasks/YOUR_TASK_ID/annotations/count?user_ids=USER_ID_2&model_version_ids=MODEL_VERSION_ID"""

# List the workers (users, models, workflows) who annotated the app, page by page.
LIST_WORKERS = r"""curl -X GET \
  -H "Authorization: Key YOUR_API_KEY" \
  https://api.clarifai.com/v2/users/YOUR_USER_ID/apps/YOUR_APP_ID/annotations/workers?page=1&per_page=2"""

# Only the workers who made trusted annotations.
LIST_TRUSTED_WORKERS = r"""curl -X GET \
  -H "Authorization: Key YOUR_API_KEY" \
  https://api.clarifai.com/v2/users/YOUR_USER_ID/apps/YOUR_APP_ID/annotations/workers?trusted_only=true"""


# ---------------------------------------------------------------------------------------------
# The state the samples refer to (--fixtures, stored verbatim), in the order loaded.
# ---------------------------------------------------------------------------------------------

def _frame(id_: str, number: int, track: str, shape: str, score: float, second: int, *, worker: dict,
           task: str = "", task_in: str = "task_id", status: int = AWAITING_REVIEW, **fields) -> dict:
    region_info = {
        "box": {"bounding_box": {"top_row": 0.1, "left_col": 0.2, "bottom_row": 0.5, "right_col": 0.6}},
        "polygon": {"polygon": {"points": [{"row": 0.1, "col": 0.1}, {"row": 0.1, "col": 0.4},
                                           {"row": 0.6, "col": 0.25}]}},
    }[shape]
    annotation = {
        "id": id_, "input_id": "YOUR_INPUT_ID", "worker": worker, "status": {"code": status},
        "created_at": f"2024-01-01T00:00:{second:02d}Z", "modified_at": f"2024-01-01T00:00:{second:02d}Z",
        "data": {"frames": [{
            "frame_info": {"number": number, "time": number * 40},
            "data": {"regions": [{"track_id": track, "region_info": region_info, "data": {"concepts": [
                {"id": "car" if track == "TRACK_ID" else "person", "value": 1,
                 "metadata": {"prediction_score": score}}]}}]},
        }]},
        **fields,
    }
    if task:
        annotation.update({"task_id": task} if task_in == "task_id" else {"annotation_info": {"task_id": task}})
    return annotation


USER_1 = {"user": {"id": "USER_ID_1"}}
USER_2 = {"user": {"id": "USER_ID_2"}}
MODEL = {"model": {"id": "MODEL_ID", "model_version": {"id": "MODEL_VERSION_ID"}}}

#  id         frame  track             shape    score  worker      task (field)               status           trusted
#  car-2        2    TRACK_ID          box      0.60   USER_ID_1   YOUR_TASK_ID (task_id)     REVIEW_DENIED    no
#  car-0        0    TRACK_ID          box      0.90   USER_ID_1   YOUR_TASK_ID (info)        AWAITING_REVIEW  yes
#  person-0     0    ANOTHER_TRACK_ID  polygon  0.40   USER_ID_2   YOUR_TASK_ID (task_id)     AWAITING_REVIEW  no
#  car-1        1    TRACK_ID          box      0.80   MODEL_ID    YOUR_TASK_ID (task_id)     SUCCESS          yes
#  person-2     2    ANOTHER_TRACK_ID  polygon  0.30   USER_ID_2   ANOTHER_TASK_ID (task_id)  PENDING          no
#  car-3        3    TRACK_ID          box      0.70   USER_ID_1   YOUR_TASK_ID (task_id)     AWAITING_REVIEW  no
#  image-tag    -    (another input, concepts only; no worker: user_id USER_ID_3)
SCENE = [
    _frame("car-2", 2, "TRACK_ID", "box", 0.60, 0, worker=USER_1, task="YOUR_TASK_ID", status=REVIEW_DENIED),
    _frame("car-0", 0, "TRACK_ID", "box", 0.90, 1, worker=USER_1, task="YOUR_TASK_ID", task_in="annotation_info",
           trusted=True),
    _frame("person-0", 0, "ANOTHER_TRACK_ID", "polygon", 0.40, 2, worker=USER_2, task="YOUR_TASK_ID"),
    _frame("car-1", 1, "TRACK_ID", "box", 0.80, 3, worker=MODEL, task="YOUR_TASK_ID", status=ANNOTATION_SUCCESS,
           model_version_id="MODEL_VERSION_ID", trusted=True),
    _frame("person-2", 2, "ANOTHER_TRACK_ID", "polygon", 0.30, 4, worker=USER_2, task="ANOTHER_TASK_ID",
           status=PENDING),
    _frame("car-3", 3, "TRACK_ID", "box", 0.70, 5, worker=USER_1, task="YOUR_TASK_ID"),
    {"id": "image-tag", "input_id": "ANOTHER_INPUT_ID", "user_id": "USER_ID_3", "status": {"code": ANNOTATION_SUCCESS},
     "data": {"concepts": [{"id": "street", "value": 1}]},
     "created_at": "2024-01-01T00:00:06Z", "modified_at": "2024-01-01T00:00:06Z"},
]
WORKERS = ["user:USER_ID_1", "user:USER_ID_2", "model:MODEL_ID", "user:USER_ID_3"]  # first annotation first


# ---------------------------------------------------------------------------------------------
# The emulator, and running a stream sample.
# ---------------------------------------------------------------------------------------------

@pytest.fixture(params=list(TRANSPORTS))
def served(request, tmp_path) -> Served:
    fixtures = write_fixtures(tmp_path / "fixtures.jsonl", SCENE)
    emulator = start_for(request, api_key=KEY, fixtures=fixtures, user_id="YOUR_USER_ID", app_id="YOUR_APP_ID")
    return Served(emulator, request.param)


def run_stream(served: Served, command: str, fill_in_key: bool = True) -> tuple[int, list[tuple[float, dict]]]:
    """Runs a stream sample with the emulator pausing INTERVAL_MS before each message; returns
    the HTTP status and each line's JSON object with the time (s, from the start) it arrived."""
    paced = copy.copy(served)
    paced.options = served.options + ["-H", f"x-stream-interval-ms: {INTERVAL_MS}"]
    script = paced.command_script(command, fill_in_key)
    assert "--no-buffer" in script
    started = time.monotonic()
    process = subprocess.Popen(["bash", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    arrivals: list[tuple[float, bytes]] = []
    pending = b""
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            while True:
                remaining = started + STREAM_TIMEOUT - time.monotonic()
                if remaining <= 0:
                    pytest.fail(f"the stream did not end within {STREAM_TIMEOUT} s; lines so far: {arrivals}\n"
                                f"script:\n{script}", pytrace=False)
                if not selector.select(timeout=min(remaining, 0.5)):
                    continue
                chunk = os.read(process.stdout.fileno(), 65536)
                if not chunk:
                    break
                now = time.monotonic() - started
                pending += chunk
                *lines, pending = pending.split(b"\n")
                arrivals += [(now, line) for line in lines]
        process.wait(timeout=STREAM_TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
        stderr = process.stderr.read().decode(errors="replace")
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == 0, f"curl exited {process.returncode}\nstderr: {stderr}\nscript:\n{script}"
    # The last line is --write-out's "\n%{http_version} %{response_code}" (no newline of its own).
    version, _, status = pending.decode().partition(" ")
    assert version == served.http_version, f"HTTP version {version!r}, expected {served.http_version!r}"
    objects = []
    for at, line in arrivals:
        if line.strip():
            message = json.loads(line)
            assert list(message) == ["result"], f"not a grpc-gateway stream line: {line!r}"
            objects.append((at, message["result"]))
    return int(status), objects


def streamed(served: Served, command: str) -> list[dict]:
    """The messages of a stream sample that succeeds, after checking they arrived one by one."""
    status, messages = run_stream(served, command)
    assert status == 200, (status, messages)
    for _, message in messages:
        assert code(message) == SUCCESS, message["status"]
    assert len({m["status"]["req_id"] for _, m in messages}) == 1, "one req_id for the stream"
    # Paced by the emulator and written by curl as they come: the lines are spread out, at
    # least half an interval apart (delivered at the end, they would all come at once).
    times = [at for at, _ in messages]
    gaps = [later - earlier for earlier, later in zip(times, times[1:])]
    assert all(gap >= INTERVAL_MS / 2000 for gap in gaps), f"lines arrived bunched: {times}"
    return [m for _, m in messages]


def stream_ids(messages: list[dict]) -> list[str]:
    return [m["annotation"]["id"] for m in messages]


def fully_processed(messages: list[dict]) -> list[bool]:
    # cl_show_if_empty: the field is written even when false.
    return [m["frame_fully_processed"] for m in messages]


def worker_key(worker: dict) -> str:
    [(kind, who)] = worker.items()
    return f"{kind}:{who['id']}"


def statuses_of_task(served: Served, task_id: str) -> dict[str, int]:
    return {a["id"]: a["status"]["code"] for a in served.list(task_id=task_id, list_all_annotations="true")}


def counts_by_worker(body: dict) -> dict[str, tuple]:
    fields = ("pending", "awaiting_review", "success", "review_denied", "awaiting_consensus_review")
    table = {}
    for count in body.get("counts", []):
        # cl_show_if_empty on every count: written even when 0.
        assert all(field in count for field in fields), count
        table[worker_key(count["worker"])] = tuple(count[field] for field in fields)
    return table


# ---------------------------------------------------------------------------------------------
# The samples.
# ---------------------------------------------------------------------------------------------

def test_stream_track(served):
    messages = streamed(served, STREAM_TRACK)
    assert stream_ids(messages) == ["car-0", "car-1", "car-2", "car-3"]
    assert fully_processed(messages) == [True, True, True, True]  # one annotation per frame of the track
    frames = [m["annotation"]["data"]["frames"][0]["frame_info"] for m in messages]
    # frame_info.time is a uint64: a JSON string.
    assert [(f["number"], f["time"]) for f in frames] == [(0, "0"), (1, "40"), (2, "80"), (3, "120")]
    # The model's Model.app_id is cl_show_if_empty: written, empty.
    assert messages[1]["annotation"]["worker"] == {"model": {"id": "MODEL_ID", "app_id": "", "model_version": {"id": "MODEL_VERSION_ID"}}}
    assert messages[1]["annotation"]["task_id"] == "YOUR_TASK_ID"
    assert messages[0]["annotation"]["annotation_info"] == {"task_id": "YOUR_TASK_ID"}


def test_stream_all_through_the_short_binding(served):
    messages = streamed(served, STREAM_ALL)
    # Frame order; within a frame, the order loaded (car-0 before person-0, car-2 before person-2).
    assert stream_ids(messages) == ["car-0", "person-0", "car-1", "car-2", "person-2", "car-3"]
    assert fully_processed(messages) == [False, True, True, False, True, True]
    status, stored = served.get_annotation("YOUR_INPUT_ID", "person-2")
    assert status == 200 and code(stored) == SUCCESS, (status, stored)
    assert messages[4]["annotation"] == stored["annotation"]


def test_stream_worker_and_score(served):
    # USER_ID_1's annotations scoring at least 0.65: car-0 (0.90) and car-3 (0.70), not car-2 (0.60).
    assert stream_ids(streamed(served, STREAM_WORKER_SCORE)) == ["car-0", "car-3"]


def test_stream_with_the_placeholder_key_is_one_refusal(served):
    status, messages = run_stream(served, STREAM_TRACK, fill_in_key=False)
    assert len(messages) == 1, messages
    message = messages[0][1]
    assert code(message) == CONN_KEY_INVALID, message
    assert "annotation" not in message
    assert status == 200, "the refusal is the stream's one message (grpc-gateway has written 200)"


def test_stream_model_version(served):
    status, messages = run_stream(served, STREAM_MODEL_VERSION)
    assert [code(m) for _, m in messages] == [SUCCESS], [m["status"] for _, m in messages]
    assert stream_ids([m for _, m in messages]) == ["car-1"]


def test_patch_status(served):
    status, body = served.run(PATCH_STATUS)
    assert_success(status, body)
    # USER_ID_1's YOUR_TASK_ID annotations awaiting review: car-0 and car-3 (car-2 is REVIEW_DENIED).
    assert body["updated_count"] == 2
    assert body["user_ids"] == ["USER_ID_1"]
    assert statuses_of_task(served, "YOUR_TASK_ID") == {
        "car-2": REVIEW_DENIED, "car-0": ANNOTATION_SUCCESS, "person-0": AWAITING_REVIEW,
        "car-1": ANNOTATION_SUCCESS, "car-3": ANNOTATION_SUCCESS}
    assert statuses_of_task(served, "ANOTHER_TASK_ID") == {"person-2": PENDING}
    # Again: nothing awaits review any more.
    status, body = served.run(PATCH_STATUS)
    assert_success(status, body)
    assert body.get("updated_count", 0) == 0 and body.get("user_ids", []) == [], body


def test_task_count(served):
    status, body = served.run(TASK_COUNT)
    assert_success(status, body)
    assert (body["app_id"], body["task_id"]) == ("YOUR_APP_ID", "YOUR_TASK_ID")
    # (pending, awaiting_review, success, review_denied, awaiting_consensus_review)
    assert counts_by_worker(body) == {
        "user:USER_ID_1": (0, 2, 0, 1, 0),  # car-0, car-3; car-2
        "user:USER_ID_2": (0, 1, 0, 0, 0),  # person-0 (person-2 is in ANOTHER_TASK_ID)
        "model:MODEL_ID": (0, 0, 1, 0, 0),  # car-1
    }


def test_task_count_filtered(served):
    status, body = served.run(TASK_COUNT_FILTERED)
    assert_success(status, body)
    # The union of the user's counts and the model version's.
    assert counts_by_worker(body) == {"user:USER_ID_2": (0, 1, 0, 0, 0), "model:MODEL_ID": (0, 0, 1, 0, 0)}


def test_list_workers(served):
    status, body = served.run(LIST_WORKERS)
    assert_success(status, body)
    first_page = [worker_key(w) for w in body["workers"]]
    assert len(first_page) == 2
    status, everyone = served.rest("GET", "/v2/users/YOUR_USER_ID/apps/YOUR_APP_ID/annotations/workers")
    assert status == 200 and code(everyone) == SUCCESS, everyone
    everyone = [worker_key(w) for w in everyone["workers"]]
    assert sorted(everyone) == sorted(WORKERS)
    query = urllib.parse.urlencode({"page": 2, "per_page": 2})
    status, second = served.rest("GET", f"/v2/users/YOUR_USER_ID/apps/YOUR_APP_ID/annotations/workers?{query}")
    assert status == 200 and code(second) == SUCCESS, second
    assert first_page + [worker_key(w) for w in second["workers"]] == everyone


def test_list_trusted_workers(served):
    status, body = served.run(LIST_TRUSTED_WORKERS)
    assert_success(status, body)
    assert sorted(worker_key(w) for w in body["workers"]) == ["model:MODEL_ID", "user:USER_ID_1"]

"""The seeds' cURL commands against the emulator's REST side.

Every cURL command of the seed documents (/work/shared/seeds/: all of 001's; the two of 003
that differ from 001's; 004's) is copied below VERBATIM, with a comment naming its seed and
section, and run by `bash` with the real `curl`, changed only as follows:

- the URL: `https://api.clarifai.com` becomes the emulator — `http://127.0.0.1:P` (HTTP/1.1,
  and HTTP/2 with `--http2-prior-knowledge`) or `https://localhost:Q` (`--cacert CA`: HTTP/2
  through ALPN, and HTTP/1.1 with `--http1.1`). The new URL is single-quoted (the seeds' list
  URLs are unquoted, so a shell would cut them at the first `&` and run curl in the
  background) and `{`/`}` in it are percent-encoded (else curl's URL globbing turns
  `{YOUR_INPUT_ID}` into `YOUR_INPUT_ID`, so the id in the URL would not be the one the
  bodies use);
- the key placeholder `YOUR_API_KEY` becomes the key the emulator was started with
  (`--api-key`); every other placeholder ({YOUR_INPUT_ID}, {USER_ID}, …) is kept as it is:
  they are just ids;
- the transport options and `--silent --show-error --max-time 10 --write-out …` (to read the
  HTTP version and status) are added by a shell function `curl` that calls the real one.

Per transport, one emulator is started with `--fixtures` holding what the commands refer to
(the annotation {YOUR_ANNOTATION_ID} with region {REGION_ID} on {YOUR_INPUT_ID}, the
annotations YOUR_ANNOTATION_ID_1/2 of YOUR_INPUT_ID_1/2 by USER_ID_1/2, the models'
annotations of MODEL_VERSION_ID_1/2, an input-level annotation, …), and the commands run in
the documentation's order — POSTs, lists, patches, deletes — each a test that asserts the JSON
answer (status code 10000, the expected annotations) and, for writes, the stored state (read
back over HTTP/1.1 with http.client). The tests of one transport depend on the earlier ones:
run the module as a whole.
"""

from __future__ import annotations

import http.client
import json
import re
import shlex
import subprocess
import urllib.parse

import pytest

from emulator import SEEDS_DIR, EmulatorStartError, start, write_fixtures

KEY = "curl-interop-key"
CURL_TIMEOUT = 20  # seconds per curl run (curl itself gets --max-time 10)
HEX_ID = re.compile(r"^[0-9a-f]{32}$")
SUCCESS, ANNOTATION_SUCCESS, ANNOTATION_PENDING = 10000, 24150, 24151
CONN_KEY_INVALID, CONN_DOES_NOT_EXIST = 11008, 11101

# Seed 001, Add Annotations > Annotate Images With Concepts: 001_b05315c70f55448f.txt, verbatim.
POST_CONCEPTS = r"""# Value of 1 means true, this concept is present.
# Value; of 0 means false, this concept is not present.
curl -X POST \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
  {
    "annotations": [
      {
        "input_id": "{YOUR_INPUT_ID}",
        "data": {
          "concepts": [
            {
              "id": "tree",
              "value": 1
            },
            {
              "id": "water",
              "value": 0
            }
          ]
        },
        "embed_model_version_id": "{EMBED_MODEL_VERSION_ID}"
      }
    ]
}'\
  https://api.clarifai.com/v2/annotations"""

# Seed 001, Add Annotations > Annotate New Bounding Boxes in an Image: 001_b05315c70f55448f.txt, verbatim.
POST_BOUNDING_BOXES = r"""# draw 2 bouding boxes in the same region
# Value of 1 means true, this concept is present.
# Value of 0 means false, this concept is not present.
curl -X POST \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
  {
    "annotations": [
      {
        "input_id": "{YOUR_INPUT_ID}",
        "data": {
          "regions": [
            {
              "region_info": {
                  "bounding_box": {
                      "top_row": 0,
                      "left_col": 0,
                      "bottom_row": 0.5,
                      "right_col": 0.5
                  }
              },
              "data": {
                "concepts": [
                  {
                    "id": "tree",
                    "value": 1
                  },
                  {
                    "id": "water",
                    "value": 0
                  }
                ]
              }
            }
          ]
        },
        "embed_model_version_id": "{EMBED_MODEL_VERSION_ID}"
      }, {
        "input_id": "{YOUR_INPUT_ID}",
        "data": {
          "regions": [
            {
              "region_info": {
                  "bounding_box": {
                      "top_row": 0.6,
                      "left_col": 0.6,
                      "bottom_row": 0.8,
                      "right_col": 0.8
                  }
              },
              "data": {
                "concepts": [
                  {
                    "id": "bike",
                    "value": 1
                  }
                ]
              }
            }
          ]
        },
        "embed_model_version_id": "{EMBED_MODEL_VERSION_ID}"
      }
    ]
}'\
  https://api.clarifai.com/v2/annotations"""

# Seed 001, Add Annotations > Annotate Existing Regions in an Image: 001_b05315c70f55448f.txt, verbatim.
POST_EXISTING_REGIONS = r"""# Value of 1 means true, this concept is present.
# Value of 0 means false, this concept is not present.
# region id should be a region id returned from list annotations call
curl -X POST \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
  {
    "annotations": [
      {
        "input_id": "{YOUR_INPUT_ID}",
        "data": {
          "regions": [
            {
              "id": "{REGION_ID_1}",
              "data": {
                "concepts": [
                  {
                    "id": "tree",
                    "value": 1
                  },
                  {
                    "id": "water",
                    "value": 0
                  }
                ]
              }
            }
          ]
        },
        "embed_model_version_id": "{EMBED_MODEL_VERSION_ID}"
      }, {
        "input_id": "{YOUR_INPUT_ID}",
        "data": {
          "regions": [
            {
              "id": "{REGION_ID_2}",
              "data": {
                "concepts": [
                  {
                    "id": "bike",
                    "value": 1
                  }
                ]
              }
            }
          ]
        },
        "embed_model_version_id": "{EMBED_MODEL_VERSION_ID}"
      }
    ]
}'\
  https://api.clarifai.com/v2/annotations"""

# Seed 001, Add Annotations > Annotate Images With Different `user_id` and `status`: 001_b05315c70f55448f.txt, verbatim.
POST_USER_ID_AND_STATUS = r"""curl -X POST \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
  {
    "annotations": [
      {
        "input_id": "{YOUR_INPUT_ID}",
        "user_id": "{USER_ID}",
        "status": {
            "code": "ANNOTATION_PENDING"
        }
      }
    ]
}'\
  https://api.clarifai.com/v2/annotations"""

# Seed 001, List Annotations > List All User Created Annotations in Your App: 001_b05315c70f55448f.txt, verbatim.
LIST_USER_CREATED = r"""curl -X GET \
  -H "Authorization: Key YOUR_API_KEY" \
  https://api.clarifai.com/v2/annotations?page=1&per_page=10"""

# Seed 001, List Annotations > List All Annotations in Your App: 001_b05315c70f55448f.txt, verbatim.
LIST_ALL = r"""curl -X GET \
  -H "Authorization: Key YOUR_API_KEY" \
  https://api.clarifai.com/v2/annotations?page=1&per_page=10&list_all_annotations=true"""

# Seed 001, List Annotations > List User Created Annotations by Input IDs: 001_b05315c70f55448f.txt, verbatim.
LIST_BY_INPUT_IDS = r"""curl -X GET \
  -H "Authorization: Key YOUR_API_KEY" \
  https://api.clarifai.com/v2/annotations?page=1&per_page=10&input_ids=your_input_Id"""

# Seed 001, List Annotations > List Annotations by Input IDs and Annotation IDs: 001_b05315c70f55448f.txt, verbatim.
LIST_BY_INPUT_AND_ANNOTATION_IDS = r"""curl -X GET \
  -H "Authorization: Key YOUR_API_KEY" \
  https://api.clarifai.com/v2/annotations?page=1&per_page=10&input_ids=YOUR_INPUT_ID_1&input_ids=YOUR_INPUT_ID_2&ids=YOUR_ANNOTATION_ID_1&ids=YOUR_ANNOTATION_ID_2"""

# Seed 001, List Annotations > List Annotations by User IDs: 001_b05315c70f55448f.txt, verbatim.
LIST_BY_USER_IDS = r"""curl -X GET \
  -H "Authorization: Key YOUR_API_KEY" \
  https://api.clarifai.com/v2/annotations?page=1&per_page=10&user_ids=USER_ID_1&user_ids=USER_ID_2"""

# Seed 001, List Annotations > List Annotations by Model Version IDs: 001_b05315c70f55448f.txt, verbatim.
LIST_BY_MODEL_VERSION_IDS = r"""curl -X GET \
  -H "Authorization: Key YOUR_API_KEY" \
  https://api.clarifai.com/v2/annotations?page=1&per_page=10&model_version_ids=MODEL_VERSION_ID_1&model_version_ids=MODEL_VERSION_ID_2"""

# Seed 001, Update Annotations > Update Annotation With Concepts: 001_b05315c70f55448f.txt, verbatim.
PATCH_CONCEPTS = r"""# Value of 1 means true, this concept is present.
# Value of 0 means false, this concept is not present.
curl -X PATCH \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
  {
    "annotations": [
      {
        "input_id": "{YOUR_INPUT_ID}",
        "id": "{YOUR_ANNOTATION_ID}",
        "data": {
          "concepts": [
            {
              "id": "apple",
              "value": 1
            }
          ]
        }
      }
    ],
    "action":"merge"
}'\
  https://api.clarifai.com/v2/annotations"""

# Seed 001, Update Annotations > Update Annotation With Concepts in a Region: 001_b05315c70f55448f.txt, verbatim.
PATCH_CONCEPTS_IN_REGION = r"""# Value of 1 means true, this concept is present.
# region id should be the region id of this annotation before patch
curl -X PATCH \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
  {
    "annotations": [
      {
        "input_id": "{YOUR_INPUT_ID}",
        "id": "{YOUR_ANNOTATION_ID}",
        "data": {
          "regions": [
            {
              "id": "{REGION_ID}",
              "data": {
                "concepts": [
                  {
                    "id": "apple",
                    "value": 1
                  }
                ]
              }
            }
          ]
        }
      }
    ],
    "action":"merge"
}'\
  https://api.clarifai.com/v2/annotations"""

# Seed 001, Update Annotations > Update Annotation Region Coordinates (the page's cURL repeats the region-concepts merge): 001_b05315c70f55448f.txt, verbatim.
PATCH_REGION_COORDINATES = r"""# Value of 1 means true, this concept is present.
# region id should be the region id of this annotation before patch
curl -X PATCH \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
  {
    "annotations": [
      {
        "input_id": "{YOUR_INPUT_ID}",
        "id": "{YOUR_ANNOTATION_ID}",
        "data": {
          "regions": [
            {
              "id": "{REGION_ID}",
              "data": {
                "concepts": [
                  {
                    "id": "apple",
                    "value": 1
                  }
                ]
              }
            }
          ]
        }
      }
    ],
    "action":"merge"
}'\
  https://api.clarifai.com/v2/annotations"""

# Seed 001, Update Annotations > Update Annotation Status: 001_b05315c70f55448f.txt, verbatim.
PATCH_STATUS = r"""curl -X PATCH \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
  {
    "annotations": [
      {
        "input_id": "{YOUR_INPUT_ID}",
        "id": "{YOUR_ANNOTATION_ID}",
        "status": {
          "code": "ANNOTATION_SUCCESS"
        }
      }
    ],
    "action":"merge"
}'\
  https://api.clarifai.com/v2/annotations"""

# Seed 001, Delete Annotations > Delete Annotation by Input ID and Annotation ID: 001_b05315c70f55448f.txt, verbatim.
DELETE_ONE = r"""curl -X DELETE \
  -H "Authorization: Key YOUR_API_KEY" \
  https://api.clarifai.com/v2/inputs/{YOUR_INPUT_ID}/annotations/{YOUR_ANNOTATION_ID}"""

# Seed 001, Delete Annotations > Bulk Delete Annotations by Input IDs and Annotation IDs: 001_b05315c70f55448f.txt, verbatim.
BULK_DELETE_BY_IDS = r"""curl -X DELETE \
  -H "Authorization: Key YOUR_API_KEY" \
  -d '
  {
    "input_ids":["{YOUR_INPUT_ID_1}","{YOUR_INPUT_ID_2}"],
    "ids":["{YOUR_ANNOTATION_ID_1}", "{YOUR_ANNOTATION_ID_2}"]
  }'\
  https://api.clarifai.com/v2/annotations"""

# Seed 001, Delete Annotations > Bulk Delete All Annotations by Input IDs: 001_b05315c70f55448f.txt, verbatim.
BULK_DELETE_BY_INPUT_IDS = r"""curl -X DELETE \
  -H "Authorization: Key YOUR_API_KEY" \
  -d '
  {
    "input_ids":["{YOUR_INPUT_ID_1}","{YOUR_INPUT_ID_2}"]
  }'\
  https://api.clarifai.com/v2/annotations"""

# Seed 003, Add Annotations > Label existing regions in an Image (differs from 001's): 003_bb9bdfad49573b04.txt, verbatim.
POST_EXISTING_REGION_003 = r"""# Value of 1 means true, this concept is present.
# Value of 0 means false, this concept is not present.
# region id should be a region id returned from list annotations call
curl -X POST \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
  {
    "annotations": [
      {
        "input_id": "{YOUR_INPUT_ID}",
        "data": {
          "regions": [
            {
              "id": "{REGION_ID}",
              "data": {
                "concepts": [
                  {
                    "id": "tree",
                    "value": 1
                  },
                  {
                    "id": "water",
                    "value": 0
                  }
                ]
              }
            }
          ]
        },
        "embed_model_version_id": "{EMBED_MODEL_VERSION_ID}"
      }
    ]
}'\
  https://api.clarifai.com/v2/annotations"""

# Seed 003, Add Annotations > Label a new bounding box in an Image (one box; differs from 001's): 003_bb9bdfad49573b04.txt, verbatim.
POST_BOUNDING_BOX_003 = r"""# Value of 1 means true, this concept is present.
# Value of 0 means false, this concept is not present.
# region id should be a region id returned from list annotations call
curl -X POST \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
  {
    "annotations": [
      {
        "input_id": "{YOUR_INPUT_ID}",
        "data": {
          "regions": [
            {
              "region_info": {
                  "bounding_box": {
                      "top_row": 0,
                      "left_col": 0,
                      "bottom_row": 0.5,
                      "right_col": 0.5
                  }
              },
              "data": {
                "concepts": [
                  {
                    "id": "tree",
                    "value": 1
                  },
                  {
                    "id": "water",
                    "value": 0
                  }
                ]
              }
            }
          ]
        },
        "embed_model_version_id": "{EMBED_MODEL_VERSION_ID}"
      }
    ]
}'\
  https://api.clarifai.com/v2/annotations"""

# Seed 004, Task Annotations: 004_38ca1e2d70528638.txt, verbatim.
POST_TASK_ANNOTATION = r"""curl -X POST \
  -H "Authorization: Key YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '
    {
      "annotations": [
        {
          "input_id": "{{asset_id}}",
          "data": {
            "concepts": [
              {
                "id": "tree",
                "value": 1
              },
              {
                "id": "water",
                "value": 0
              }
            ]
          },
          "annotation_info": {
            "task_id": "{{task_id}}"
          }
        }
      ]
    }'\
  https://api.clarifai.com/v2/annotations"""

SEED_FILES = {
    "001": "001_b05315c70f55448f.txt",
    "003": "003_bb9bdfad49573b04.txt",
    "004": "004_38ca1e2d70528638.txt",
}

# ---------------------------------------------------------------------------------------------
# The state the commands refer to (--fixtures), in the order loaded (= oldest first).
# ---------------------------------------------------------------------------------------------

def _at(second: int) -> str:
    return f"2024-01-01T00:00:{second:02d}Z"


def _fixture(second: int, **fields) -> dict:
    fields.setdefault("status", {"code": ANNOTATION_SUCCESS, "description": "Annotation success"})
    return {**fields, "created_at": _at(second), "modified_at": _at(second)}


FIXTURES = [
    _fixture(0, id="{YOUR_ANNOTATION_ID}", input_id="{YOUR_INPUT_ID}", user_id="{USER_ID}",
             status={"code": ANNOTATION_PENDING, "description": "Annotation pending"},
             data={"concepts": [{"id": "tree", "value": 1}, {"id": "water", "value": 0}],
                   "regions": [{"id": "{REGION_ID}",
                                "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.1,
                                                                 "bottom_row": 0.4, "right_col": 0.4}},
                                "data": {"concepts": [{"id": "tree", "value": 1}]}}]}),
    _fixture(1, id="YOUR_ANNOTATION_ID_1", input_id="YOUR_INPUT_ID_1", user_id="USER_ID_1",
             data={"concepts": [{"id": "cat", "value": 1}]}),
    _fixture(2, id="YOUR_ANNOTATION_ID_2", input_id="YOUR_INPUT_ID_2", user_id="USER_ID_2",
             data={"concepts": [{"id": "dog", "value": 1}]}),
    _fixture(3, id="your-input-annotation", input_id="your_input_Id", user_id="emulator-user",
             data={"concepts": [{"id": "tree", "value": 1}]}),
    _fixture(4, id="model-annotation-1", input_id="{YOUR_INPUT_ID}", model_version_id="MODEL_VERSION_ID_1",
             data={"regions": [{"id": "{REGION_ID_1}",
                                "region_info": {"bounding_box": {"top_row": 0.2, "left_col": 0.2,
                                                                 "bottom_row": 0.5, "right_col": 0.5}},
                                "data": {"concepts": [{"id": "tree", "value": 0.93}]}}]}),
    _fixture(5, id="model-annotation-2", input_id="{YOUR_INPUT_ID}", model_version_id="MODEL_VERSION_ID_2",
             data={"regions": [{"id": "{REGION_ID_2}",
                                "region_info": {"bounding_box": {"top_row": 0.6, "left_col": 0.6,
                                                                 "bottom_row": 0.8, "right_col": 0.8}},
                                "data": {"concepts": [{"id": "bike", "value": 0.88}]}}]}),
    _fixture(6, id="{YOUR_ANNOTATION_ID_1}", input_id="{YOUR_INPUT_ID_1}", user_id="emulator-user",
             data={"concepts": [{"id": "tree", "value": 1}]}),
    _fixture(7, id="{YOUR_ANNOTATION_ID_2}", input_id="{YOUR_INPUT_ID_2}", user_id="emulator-user",
             data={"concepts": [{"id": "water", "value": 1}]}),
    _fixture(8, id="input-level-annotation", input_id="{YOUR_INPUT_ID_1}", user_id="emulator-user",
             input_level=True, data={"concepts": [{"id": "landscape", "value": 1}]}),
    _fixture(9, id="another-annotation", input_id="{YOUR_INPUT_ID_2}", user_id="emulator-user",
             data={"concepts": [{"id": "bike", "value": 1}]}),
]
ALL_FIXTURE_IDS = [f["id"] for f in FIXTURES]
USER_FIXTURE_IDS = [f["id"] for f in FIXTURES if "model_version_id" not in f]


# ---------------------------------------------------------------------------------------------
# Transports, the emulator, running a command.
# ---------------------------------------------------------------------------------------------

TRANSPORTS = {
    # name: (base URL kind, extra curl options, expected %{http_version})
    "http1.1": ("http", [], "1.1"),
    "h2c": ("http", ["--http2-prior-knowledge"], "2"),
    "https-h2": ("https", [], "2"),
    "https-http1.1": ("https", ["--http1.1"], "1.1"),
}


class Served:
    """One emulator (with the fixtures) and the transport the commands use against it."""

    def __init__(self, emulator, transport: str):
        self.emulator = emulator
        self.transport = transport
        kind, options, self.http_version = TRANSPORTS[transport]
        self.base = emulator.http_base if kind == "http" else emulator.https_base
        self.options = list(options) + (["--cacert", str(emulator.ca_path)] if kind == "https" else [])
        self.posted: list[dict] = []  # annotations the POST commands stored, in order
        self.done: set[str] = set()

    def command_script(self, command: str, fill_in_key: bool = True) -> str:
        urls = re.findall(r"https://api\.clarifai\.com\S*", command)
        assert len(urls) == 1, f"expected one api.clarifai.com URL in the command, found {urls}"
        path = urls[0][len("https://api.clarifai.com"):]
        url = self.base + path.replace("{", "%7B").replace("}", "%7D")
        script = command.replace(urls[0], shlex.quote(url))
        if fill_in_key:
            script = script.replace("Key YOUR_API_KEY", f"Key {KEY}")
        options = self.options + ["--silent", "--show-error", "--max-time", "10",
                                  "--write-out", "\n%{http_version} %{response_code}"]
        preamble = "set -o pipefail\ncurl() { command curl " + " ".join(shlex.quote(o) for o in options) + ' "$@"; }\n'
        return preamble + script

    def run(self, command: str, fill_in_key: bool = True) -> tuple[int, dict]:
        """Runs the command; returns (HTTP status, JSON body)."""
        script = self.command_script(command, fill_in_key)
        try:
            done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=CURL_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"curl did not finish within {CURL_TIMEOUT} s:\n{script}", pytrace=False)
        assert done.returncode == 0, (
            f"curl exited {done.returncode}\nstderr: {done.stderr}\nstdout: {done.stdout}\nscript:\n{script}")
        body, _, trailer = done.stdout.rpartition("\n")
        version, _, status = trailer.partition(" ")
        assert version == self.http_version, f"HTTP version {version!r}, expected {self.http_version!r} ({self.transport})"
        try:
            parsed = json.loads(body)
        except json.JSONDecodeError as error:
            pytest.fail(f"the answer is not JSON ({error}): {body!r}\nscript:\n{script}", pytrace=False)
        return int(status), parsed

    # Reading back, independently of curl: HTTP/1.1 on the plaintext port.
    def rest(self, method: str, path: str) -> tuple[int, dict]:
        connection = http.client.HTTPConnection(self.emulator.host, self.emulator.port, timeout=10)
        try:
            connection.request(method, path, headers={"Authorization": f"Key {KEY}"})
            response = connection.getresponse()
            return response.status, json.loads(response.read())
        finally:
            connection.close()

    def get_annotation(self, input_id: str, annotation_id: str) -> tuple[int, dict]:
        quote = lambda s: urllib.parse.quote(s, safe="")
        return self.rest("GET", f"/v2/inputs/{quote(input_id)}/annotations/{quote(annotation_id)}")

    def list(self, **query) -> list[dict]:
        query.setdefault("per_page", 1000)
        status, body = self.rest("GET", "/v2/annotations?" + urllib.parse.urlencode(query, doseq=True))
        assert status == 200 and code(body) == SUCCESS, (status, body)
        return body.get("annotations", [])


@pytest.fixture(scope="module", params=list(TRANSPORTS))
def served(request, tmp_path_factory) -> Served:
    fixtures = write_fixtures(tmp_path_factory.mktemp("curl-fixtures") / "fixtures.jsonl", FIXTURES)
    try:
        emulator = start(api_key=KEY, fixtures=fixtures)
    except EmulatorStartError as error:
        pytest.fail(str(error), pytrace=False)
    request.addfinalizer(emulator.stop)
    return Served(emulator, request.param)


# ---------------------------------------------------------------------------------------------
# Reading the JSON answers. Proto3 JSON leaves zero values out: a missing number is 0.
# ---------------------------------------------------------------------------------------------

def code(body: dict) -> int:
    return body.get("status", {}).get("code")


def assert_success(status: int, body: dict) -> None:
    assert code(body) == SUCCESS, f"status {body.get('status')} (HTTP {status})"
    assert status == 200, f"HTTP {status} with status {body.get('status')}"
    assert body["status"].get("req_id"), "no req_id in the status"


def concepts(data: dict | None) -> list[tuple[str, float]]:
    return [(c["id"], pytest.approx(c.get("value", 0), abs=1e-6)) for c in (data or {}).get("concepts", [])]


def box(region: dict) -> tuple:
    b = region.get("region_info", {}).get("bounding_box", {})
    return tuple(pytest.approx(b.get(k, 0), abs=1e-6) for k in ("top_row", "left_col", "bottom_row", "right_col"))


def ids(annotations: list[dict]) -> list[str]:
    return [a["id"] for a in annotations]


def assert_stored_as_returned(served: Served, annotation: dict) -> None:
    status, body = served.get_annotation(annotation["input_id"], annotation["id"])
    assert status == 200 and code(body) == SUCCESS, (status, body)
    assert body["annotation"] == annotation


def assert_new(annotation: dict, input_id: str, status_code: int = ANNOTATION_SUCCESS, user_id: str = "emulator-user"):
    assert HEX_ID.match(annotation.get("id", "")), f"assigned id {annotation.get('id')!r}"
    assert annotation["input_id"] == input_id
    assert annotation["status"]["code"] == status_code, annotation["status"]
    assert annotation.get("user_id") == user_id
    assert annotation.get("created_at") and annotation.get("modified_at") == annotation["created_at"]


def assert_oldest_to_newest(annotations: list[dict]) -> None:
    # RFC 3339 UTC with a fixed 'Z' suffix sorts as text once the fraction is normalised.
    def key(a):
        stamp = a["created_at"].rstrip("Z")
        whole, _, fraction = stamp.partition(".")
        return whole, fraction.ljust(9, "0")
    keys = [key(a) for a in annotations]
    assert keys == sorted(keys), [(a["id"], a["created_at"]) for a in annotations]


# ---------------------------------------------------------------------------------------------
# What each command's answer must be.
# ---------------------------------------------------------------------------------------------

def check_post_concepts(served, status, body):
    assert_success(status, body)
    [a] = body["annotations"]
    assert_new(a, "{YOUR_INPUT_ID}")
    assert concepts(a["data"]) == [("tree", 1), ("water", 0)]
    assert a["embed_model_version_id"] == "{EMBED_MODEL_VERSION_ID}"
    assert_stored_as_returned(served, a)
    served.posted.append(a)


def check_post_bounding_boxes(served, status, body):
    assert_success(status, body)
    first, second = body["annotations"]
    for a in (first, second):
        assert_new(a, "{YOUR_INPUT_ID}")
        assert len(a["data"]["regions"]) == 1
        assert HEX_ID.match(a["data"]["regions"][0].get("id", "")), "the region got no id"
        assert_stored_as_returned(served, a)
    assert first["id"] != second["id"]
    assert box(first["data"]["regions"][0]) == (0, 0, 0.5, 0.5)
    assert concepts(first["data"]["regions"][0]["data"]) == [("tree", 1), ("water", 0)]
    assert box(second["data"]["regions"][0]) == (0.6, 0.6, 0.8, 0.8)
    assert concepts(second["data"]["regions"][0]["data"]) == [("bike", 1)]
    served.posted += [first, second]


def check_post_existing_regions(served, status, body):
    assert_success(status, body)
    first, second = body["annotations"]
    assert_new(first, "{YOUR_INPUT_ID}")
    assert_new(second, "{YOUR_INPUT_ID}")
    assert [r["id"] for r in first["data"]["regions"]] == ["{REGION_ID_1}"]
    assert concepts(first["data"]["regions"][0]["data"]) == [("tree", 1), ("water", 0)]
    assert [r["id"] for r in second["data"]["regions"]] == ["{REGION_ID_2}"]
    assert concepts(second["data"]["regions"][0]["data"]) == [("bike", 1)]
    assert_stored_as_returned(served, second)
    served.posted += [first, second]


def check_post_user_id_and_status(served, status, body):
    assert_success(status, body)
    [a] = body["annotations"]
    assert_new(a, "{YOUR_INPUT_ID}", status_code=ANNOTATION_PENDING, user_id="{USER_ID}")
    assert_stored_as_returned(served, a)
    served.posted.append(a)


def check_post_existing_region_003(served, status, body):
    assert_success(status, body)
    [a] = body["annotations"]
    assert_new(a, "{YOUR_INPUT_ID}")
    assert [r["id"] for r in a["data"]["regions"]] == ["{REGION_ID}"]
    assert concepts(a["data"]["regions"][0]["data"]) == [("tree", 1), ("water", 0)]
    assert_stored_as_returned(served, a)
    served.posted.append(a)


def check_post_bounding_box_003(served, status, body):
    assert_success(status, body)
    [a] = body["annotations"]
    assert_new(a, "{YOUR_INPUT_ID}")
    [region] = a["data"]["regions"]
    assert box(region) == (0, 0, 0.5, 0.5)
    assert concepts(region["data"]) == [("tree", 1), ("water", 0)]
    assert_stored_as_returned(served, a)
    served.posted.append(a)


def check_post_task_annotation(served, status, body):
    assert_success(status, body)
    [a] = body["annotations"]
    assert_new(a, "{{asset_id}}")
    assert a["annotation_info"] == {"task_id": "{{task_id}}"}
    assert concepts(a["data"]) == [("tree", 1), ("water", 0)]
    assert_stored_as_returned(served, a)
    served.posted.append(a)
    # Linked to the task: the task's annotations are this one.
    assert ids(served.list(task_id="{{task_id}}")) == [a["id"]]


def check_list_user_created(served, status, body):
    assert_success(status, body)
    listed = body["annotations"]
    # Oldest to newest, models' hidden, 10 per page: the 8 user-created fixtures, then the
    # first posts.
    assert ids(listed) == (USER_FIXTURE_IDS + ids(served.posted))[:10]
    assert_oldest_to_newest(listed)
    assert not any(a.get("model_version_id") for a in listed)


def check_list_all(served, status, body):
    assert_success(status, body)
    assert ids(body["annotations"]) == ALL_FIXTURE_IDS  # the first 10, models' included
    assert_oldest_to_newest(body["annotations"])


def check_list_by_input_ids(served, status, body):
    assert_success(status, body)
    assert ids(body["annotations"]) == ["your-input-annotation"]


def check_list_by_input_and_annotation_ids(served, status, body):
    assert_success(status, body)
    assert ids(body["annotations"]) == ["YOUR_ANNOTATION_ID_1", "YOUR_ANNOTATION_ID_2"]
    assert [a["input_id"] for a in body["annotations"]] == ["YOUR_INPUT_ID_1", "YOUR_INPUT_ID_2"]


def check_list_by_user_ids(served, status, body):
    assert_success(status, body)
    assert ids(body["annotations"]) == ["YOUR_ANNOTATION_ID_1", "YOUR_ANNOTATION_ID_2"]
    assert [a["user_id"] for a in body["annotations"]] == ["USER_ID_1", "USER_ID_2"]


def check_list_by_model_version_ids(served, status, body):
    assert_success(status, body)
    assert ids(body["annotations"]) == ["model-annotation-1", "model-annotation-2"]
    assert [a["model_version_id"] for a in body["annotations"]] == ["MODEL_VERSION_ID_1", "MODEL_VERSION_ID_2"]


def the_patched(body) -> dict:
    [a] = body["annotations"]
    assert (a["id"], a["input_id"]) == ("{YOUR_ANNOTATION_ID}", "{YOUR_INPUT_ID}")
    assert a["created_at"] == _at(0)
    assert a["modified_at"] > a["created_at"]
    return a


def check_patch_concepts(served, status, body):
    assert_success(status, body)
    a = the_patched(body)
    assert concepts(a["data"]) == [("tree", 1), ("water", 0), ("apple", 1)]
    [region] = a["data"]["regions"]
    assert region["id"] == "{REGION_ID}" and concepts(region["data"]) == [("tree", 1)]
    assert a["status"]["code"] == ANNOTATION_PENDING, "a merge without status keeps the status"
    assert a["user_id"] == "{USER_ID}"
    assert_stored_as_returned(served, a)


def check_patch_concepts_in_region(served, status, body):
    assert_success(status, body)
    a = the_patched(body)
    [region] = a["data"]["regions"]
    assert region["id"] == "{REGION_ID}"
    assert concepts(region["data"]) == [("tree", 1), ("apple", 1)]
    assert box(region) == (0.1, 0.1, 0.4, 0.4), "a merge without region_info keeps the coordinates"
    assert concepts(a["data"]) == [("tree", 1), ("water", 0), ("apple", 1)]
    assert_stored_as_returned(served, a)


# The page's "Update Annotation Region Coordinates" cURL is the same merge again: nothing new.
check_patch_region_coordinates = check_patch_concepts_in_region


def check_patch_status(served, status, body):
    assert_success(status, body)
    a = the_patched(body)
    assert a["status"]["code"] == ANNOTATION_SUCCESS
    assert concepts(a["data"]) == [("tree", 1), ("water", 0), ("apple", 1)], "a status patch keeps the data"
    assert_stored_as_returned(served, a)


def check_delete_one(served, status, body):
    assert_success(status, body)
    status, body = served.get_annotation("{YOUR_INPUT_ID}", "{YOUR_ANNOTATION_ID}")
    assert code(body) == CONN_DOES_NOT_EXIST and status == 404, (status, body)
    assert "{YOUR_ANNOTATION_ID}" not in ids(served.list(list_all_annotations="true"))


def check_bulk_delete_by_ids(served, status, body):
    assert_success(status, body)
    left = served.list(input_ids=["{YOUR_INPUT_ID_1}", "{YOUR_INPUT_ID_2}"], list_all_annotations="true")
    assert ids(left) == ["input-level-annotation", "another-annotation"]


def check_bulk_delete_by_input_ids(served, status, body):
    assert_success(status, body)
    left = served.list(input_ids=["{YOUR_INPUT_ID_1}", "{YOUR_INPUT_ID_2}"], list_all_annotations="true")
    assert ids(left) == ["input-level-annotation"], "only the input-level annotation may stay"
    assert left[0].get("input_level") is True
    # Other inputs keep theirs.
    assert "YOUR_ANNOTATION_ID_1" in ids(served.list(input_ids=["YOUR_INPUT_ID_1"]))


# The documentation's order: add, list, update, delete.
STEPS = [
    ("001", "post-concepts", POST_CONCEPTS, check_post_concepts),
    ("001", "post-bounding-boxes", POST_BOUNDING_BOXES, check_post_bounding_boxes),
    ("001", "post-existing-regions", POST_EXISTING_REGIONS, check_post_existing_regions),
    ("001", "post-user-id-and-status", POST_USER_ID_AND_STATUS, check_post_user_id_and_status),
    ("003", "post-existing-region", POST_EXISTING_REGION_003, check_post_existing_region_003),
    ("003", "post-bounding-box", POST_BOUNDING_BOX_003, check_post_bounding_box_003),
    ("004", "post-task-annotation", POST_TASK_ANNOTATION, check_post_task_annotation),
    ("001", "list-user-created", LIST_USER_CREATED, check_list_user_created),
    ("001", "list-all", LIST_ALL, check_list_all),
    ("001", "list-by-input-ids", LIST_BY_INPUT_IDS, check_list_by_input_ids),
    ("001", "list-by-input-and-annotation-ids", LIST_BY_INPUT_AND_ANNOTATION_IDS, check_list_by_input_and_annotation_ids),
    ("001", "list-by-user-ids", LIST_BY_USER_IDS, check_list_by_user_ids),
    ("001", "list-by-model-version-ids", LIST_BY_MODEL_VERSION_IDS, check_list_by_model_version_ids),
    ("001", "patch-concepts", PATCH_CONCEPTS, check_patch_concepts),
    ("001", "patch-concepts-in-region", PATCH_CONCEPTS_IN_REGION, check_patch_concepts_in_region),
    ("001", "patch-region-coordinates", PATCH_REGION_COORDINATES, check_patch_region_coordinates),
    ("001", "patch-status", PATCH_STATUS, check_patch_status),
    ("001", "delete-one", DELETE_ONE, check_delete_one),
    ("001", "bulk-delete-by-ids", BULK_DELETE_BY_IDS, check_bulk_delete_by_ids),
    ("001", "bulk-delete-by-input-ids", BULK_DELETE_BY_INPUT_IDS, check_bulk_delete_by_input_ids),
]


def test_placeholder_key_is_refused(served):
    # Unchanged but for the URL, the key placeholder is not the emulator's key (--api-key):
    # CONN_KEY_INVALID, HTTP 401, nothing stored.
    status, body = served.run(POST_CONCEPTS, fill_in_key=False)
    assert code(body) == CONN_KEY_INVALID, body
    assert status == 401, (status, body)
    assert not body.get("annotations")
    assert ids(served.list(list_all_annotations="true")) == ALL_FIXTURE_IDS


@pytest.mark.parametrize("seed,name,command,check", STEPS, ids=[f"{s}-{n}" for s, n, _, _ in STEPS])
def test_seed_curl_command(served, seed, name, command, check):
    status, body = served.run(command)
    check(served, status, body)
    served.done.add(name)


@pytest.mark.parametrize("seed,name,command", [s[:3] for s in STEPS], ids=[f"{s}-{n}" for s, n, _, _ in STEPS])
def test_command_is_verbatim_from_its_seed(seed, name, command):
    path = SEEDS_DIR / SEED_FILES[seed]
    if not path.is_file():
        pytest.skip(f"seed document {path} not present")
    assert command in path.read_text(), f"{name}: not found verbatim in {path}"

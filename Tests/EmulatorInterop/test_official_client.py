"""The OFFICIAL Python client (`clarifai-grpc`: `service_pb2_grpc.V2Stub` over grpcio) against
`annotations serve`, over h2c (`grpc.insecure_channel`) and TLS (`grpc.secure_channel` with the
emulator's self-signed certificate as root, target `localhost:Q`).

Every scenario of the seed documents (/work/shared/seeds/) runs here, each against a fresh
emulator, shaped like the documentation's samples:

- 002 / 003 (Python gRPC samples): concepts, new bounding boxes, existing regions, another
  user_id + ANNOTATION_PENDING, the list variants (user-created, all, by input ids, by input
  and annotation ids, by user ids, by model version ids), patch merge / overwrite / status,
  delete one, bulk delete by ids + input_ids, bulk delete by input_ids;
- 000 ("Create Annotations"): multiple concepts, polygons, masks (the current snippets of that
  page pass `user_app_id`, so the emulator is started with that user and app as its default);
- 004 ("Task Annotations"): `annotation_info {"task_id": …}`;
- plus the rules of issue 5 a client sees: pagination, remove, authentication (11008),
  129 annotations, an unknown method (gRPC UNIMPLEMENTED).

The samples' typos are corrected as the seeds' README says the .proto wins:
`PatcchAnnotations` → `PatchAnnotations`, `["a". "b"]` → `["a", "b"]`, `metadta=` → `metadata=`,
`data=status_pb2.Status(...)` → `status=`, `annotation_id=[...]` (DeleteAnnotationsRequest) → `ids=`.

The state the documentation presumes (an input-level annotation made by POST /inputs, regions
detected by models in the default workflow) is loaded with `--fixtures`.
"""

from __future__ import annotations

import base64
import re

import grpc
import pytest
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2, status_pb2
from google.protobuf import struct_pb2

from emulator import start_for, write_fixtures

# V2Stub's constructor needs the response deserializer that the client's ClarifaiChannel
# factories select (a module global of clarifai_channel, None until one ran): make one channel
# the documented way and close it unused (grpc channels connect lazily).
ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=9).close()

KEY = "test"
metadata = (("authorization", "Key " + KEY),)
# The user and app of the current "Create Annotations" snippets (seed 000's code), made the
# emulator's default app so that requests with and without user_app_id meet.
USER_ID = "YOUR_USER_ID_HERE"
APP_ID = "YOUR_APP_ID_HERE"
userDataObject = resources_pb2.UserAppIDSet(user_id=USER_ID, app_id=APP_ID)

CALL_TIMEOUT = 10  # seconds, every RPC
HEX_ID = re.compile(r"^[0-9a-f]{32}$")

SUCCESS = status_code_pb2.SUCCESS  # 10000
ANNOTATION_SUCCESS = status_code_pb2.ANNOTATION_SUCCESS  # 24150
ANNOTATION_PENDING = status_code_pb2.ANNOTATION_PENDING  # 24151

# What the documentation presumes exists: the input-level annotation POST /inputs made for
# {YOUR_INPUT_ID_1}, and annotations with regions written by detection models of the default
# workflow (those have a model_version_id).
FIXTURES = [
    {
        "id": "input-level-annotation-1", "input_id": "{YOUR_INPUT_ID_1}", "input_level": True,
        "user_id": USER_ID, "data": {"concepts": [{"id": "dog", "value": 1}]},
        "status": {"code": 24150, "description": "Annotation success"},
        "created_at": "2024-01-01T00:00:00Z", "modified_at": "2024-01-01T00:00:00Z",
    },
    {
        "id": "model-annotation-1", "input_id": "{YOUR_INPUT_ID}", "model_version_id": "{MODEL_VERSION_ID_1}",
        "data": {"regions": [{
            "id": "{REGION_ID_1}",
            "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.4, "right_col": 0.4}},
            "data": {"concepts": [{"id": "tree", "value": 0.93}]},
        }]},
        "status": {"code": 24150}, "created_at": "2024-01-01T00:00:01Z", "modified_at": "2024-01-01T00:00:01Z",
    },
    {
        "id": "model-annotation-2", "input_id": "{YOUR_INPUT_ID}", "model_version_id": "{MODEL_VERSION_ID_2}",
        "data": {"regions": [{
            "id": "{REGION_ID_2}",
            "region_info": {"bounding_box": {"top_row": 0.6, "left_col": 0.6, "bottom_row": 0.9, "right_col": 0.9}},
            "data": {"concepts": [{"id": "bike", "value": 0.88}]},
        }]},
        "status": {"code": 24150}, "created_at": "2024-01-01T00:00:02Z", "modified_at": "2024-01-01T00:00:02Z",
    },
    {
        "id": "model-annotation-3", "input_id": "{YOUR_INPUT_ID_2}", "model_version_id": "{MODEL_VERSION_ID_1}",
        "data": {"regions": [{"id": "region-on-input-2", "data": {"concepts": [{"id": "water", "value": 0.7}]}}]},
        "status": {"code": 24150}, "created_at": "2024-01-01T00:00:03Z", "modified_at": "2024-01-01T00:00:03Z",
    },
]
INPUT_LEVEL = "input-level-annotation-1"
MODEL_CREATED = ["model-annotation-1", "model-annotation-2", "model-annotation-3"]


# ---------------------------------------------------------------------------------------------
# The emulator and the official stub, over each transport.
# ---------------------------------------------------------------------------------------------

class Api:
    def __init__(self, stub: service_pb2_grpc.V2Stub, transport: str, emulator):
        self.stub = stub
        self.transport = transport
        self.emulator = emulator


@pytest.fixture(params=["h2c", "tls"])
def api(request, tmp_path) -> Api:
    fixtures = write_fixtures(tmp_path / "fixtures.jsonl", FIXTURES)
    emulator = start_for(request, api_key=KEY, fixtures=fixtures, user_id=USER_ID, app_id=APP_ID)
    # Plain grpcio channels (no retry policy that could hide a failed call).
    if request.param == "h2c":
        channel = grpc.insecure_channel(emulator.grpc_target)
    else:
        credentials = grpc.ssl_channel_credentials(root_certificates=emulator.ca_pem)
        channel = grpc.secure_channel(emulator.grpc_tls_target, credentials)
    request.addfinalizer(channel.close)  # finalizers run last-in first-out: before the emulator stops
    try:
        grpc.channel_ready_future(channel).result(timeout=CALL_TIMEOUT)
    except grpc.FutureTimeoutError:
        pytest.fail(f"no {request.param} connection to the emulator within {CALL_TIMEOUT} s\n"
                    f"stderr:\n{emulator.stderr_text()}", pytrace=False)
    return Api(service_pb2_grpc.V2Stub(channel), request.param, emulator)


# ---------------------------------------------------------------------------------------------
# Helpers.
# ---------------------------------------------------------------------------------------------

def assert_success(response, what: str = "call") -> None:
    assert response.status.code == SUCCESS, (
        f"{what} failed: status {response.status.code} {response.status.description!r} "
        f"details={response.status.details!r}")
    assert response.status.req_id, f"{what}: the status carries no req_id"


def concepts(data) -> list[tuple[str, float]]:
    return [(concept.id, pytest.approx(concept.value, abs=1e-6)) for concept in data.concepts]


def box(region) -> tuple:
    b = region.region_info.bounding_box
    return tuple(pytest.approx(v, abs=1e-6) for v in (b.top_row, b.left_col, b.bottom_row, b.right_col))


def timestamp(ts) -> tuple[int, int]:
    return ts.seconds, ts.nanos


def assert_new_annotation(annotation, input_id: str, status_code: int = ANNOTATION_SUCCESS, user_id: str = USER_ID):
    assert HEX_ID.match(annotation.id), f"assigned id {annotation.id!r} is not 32 hex digits"
    assert annotation.input_id == input_id
    assert annotation.status.code == status_code, (annotation.status.code, annotation.status.description)
    assert annotation.user_id == user_id
    assert annotation.created_at.seconds > 0, "no created_at"
    assert timestamp(annotation.modified_at) == timestamp(annotation.created_at)


def post(api: Api, *annotations, user_app_id=None) -> list:
    """PostAnnotations that must succeed; the stored annotations."""
    request = service_pb2.PostAnnotationsRequest(annotations=list(annotations))
    if user_app_id is not None:
        request.user_app_id.CopyFrom(user_app_id)
    response = api.stub.PostAnnotations(request, metadata=metadata, timeout=CALL_TIMEOUT)
    assert_success(response, "PostAnnotations")
    assert len(response.annotations) == len(annotations)
    return list(response.annotations)


def concept_annotation(input_id: str, *pairs: tuple[str, float], **fields) -> resources_pb2.Annotation:
    return resources_pb2.Annotation(
        input_id=input_id,
        data=resources_pb2.Data(concepts=[resources_pb2.Concept(id=i, value=v) for i, v in pairs]),
        **fields,
    )


def box_annotation(input_id: str, coordinates, *pairs) -> resources_pb2.Annotation:
    top, left, bottom, right = coordinates
    return resources_pb2.Annotation(
        input_id=input_id,
        data=resources_pb2.Data(regions=[resources_pb2.Region(
            region_info=resources_pb2.RegionInfo(bounding_box=resources_pb2.BoundingBox(
                top_row=top, left_col=left, bottom_row=bottom, right_col=right)),
            data=resources_pb2.Data(concepts=[resources_pb2.Concept(id=i, value=v) for i, v in pairs]),
        )]),
    )


def list_annotations(api: Api, **fields) -> list:
    response = api.stub.ListAnnotations(
        service_pb2.ListAnnotationsRequest(**fields), metadata=metadata, timeout=CALL_TIMEOUT)
    assert_success(response, f"ListAnnotations({fields})")
    return list(response.annotations)


def ids(annotations) -> list[str]:
    return [annotation.id for annotation in annotations]


def get_annotation(api: Api, input_id: str, annotation_id: str):
    return api.stub.GetAnnotation(
        service_pb2.GetAnnotationRequest(input_id=input_id, annotation_id=annotation_id),
        metadata=metadata, timeout=CALL_TIMEOUT)


def stored(api: Api, annotation) -> resources_pb2.Annotation:
    response = get_annotation(api, annotation.input_id, annotation.id)
    assert_success(response, f"GetAnnotation({annotation.input_id}, {annotation.id})")
    return response.annotation


def assert_oldest_to_newest(annotations) -> None:
    times = [timestamp(a.created_at) for a in annotations]
    assert times == sorted(times), f"not oldest to newest: {list(zip(ids(annotations), times))}"


# ---------------------------------------------------------------------------------------------
# Add annotations (seeds 002/003 Python samples, seed 000 kinds, seed 004).
# ---------------------------------------------------------------------------------------------

def test_annotate_images_with_concepts(api):
    # Seed 002 "Annotate images with concepts" (also 003 "Label an images with concepts").
    stub = api.stub
    post_annotations_response = stub.PostAnnotations(
        service_pb2.PostAnnotationsRequest(
            annotations=[
                resources_pb2.Annotation(
                    input_id="{YOUR_INPUT_ID}",
                    data=resources_pb2.Data(
                        concepts=[
                            resources_pb2.Concept(id="tree", value=1.),  # 1 means true, this concept is present.
                            resources_pb2.Concept(id="water", value=0.)  # 0 means false, this concept is not present.
                        ]
                    ),
                    embed_model_version_id="{EMBED_MODEL_VERSION_ID}"
                )
            ]
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(post_annotations_response, "Post annotations")
    [annotation] = post_annotations_response.annotations
    assert_new_annotation(annotation, "{YOUR_INPUT_ID}")
    assert concepts(annotation.data) == [("tree", 1.0), ("water", 0.0)]
    assert annotation.embed_model_version_id == "{EMBED_MODEL_VERSION_ID}"
    assert annotation.model_version_id == "", "a user's annotation must not look model-created"
    assert stored(api, annotation) == annotation


def test_annotate_images_with_multiple_concepts(api):
    # Seed 000 "Annotate Images With Multiple Concepts" (its snippet passes user_app_id).
    CONCEPT_IDS_LIST = ['one', 'two', 'three', 'four', 'five', 'six']
    post_annotations_response = api.stub.PostAnnotations(
        service_pb2.PostAnnotationsRequest(
            user_app_id=userDataObject,
            annotations=[
                resources_pb2.Annotation(
                    input_id="53d0362a9dfa4e03b2293375e2d0db73",
                    data=resources_pb2.Data(
                        concepts=[resources_pb2.Concept(id=str(i), value=1.) for i in CONCEPT_IDS_LIST]
                    )
                )
            ]
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(post_annotations_response, "Post annotations")
    [annotation] = post_annotations_response.annotations
    assert_new_annotation(annotation, "53d0362a9dfa4e03b2293375e2d0db73")
    assert concepts(annotation.data) == [(i, 1.0) for i in CONCEPT_IDS_LIST]
    # The app named by user_app_id is the emulator's default app (--user-id/--app-id):
    # a request without user_app_id sees the annotation.
    assert annotation.id in ids(list_annotations(api, input_ids=["53d0362a9dfa4e03b2293375e2d0db73"]))


def test_annotate_new_bounding_boxes(api):
    # Seed 002 "Annotate New Bounding Boxes in an Image": two annotations, one region each.
    post_annotations_response = api.stub.PostAnnotations(
        service_pb2.PostAnnotationsRequest(
            annotations=[
                resources_pb2.Annotation(
                    input_id="{YOUR_INPUT_ID}",
                    data=resources_pb2.Data(
                        regions=[
                            resources_pb2.Region(
                                region_info=resources_pb2.RegionInfo(
                                    bounding_box=resources_pb2.BoundingBox(       # draw a bounding box
                                        top_row=0,
                                        left_col=0,
                                        bottom_row=0.5,
                                        right_col=0.5
                                    )
                                ),
                                data=resources_pb2.Data(
                                    concepts=[
                                        resources_pb2.Concept(id="tree", value=1.),
                                        resources_pb2.Concept(id="water", value=0.)
                                    ]
                                )
                            )
                        ]
                    ),
                    embed_model_version_id="{EMBED_MODEL_VERSION_ID}"
                ),
                resources_pb2.Annotation(
                    input_id="{YOUR_INPUT_ID}",
                    data=resources_pb2.Data(
                        regions=[
                            resources_pb2.Region(
                                region_info=resources_pb2.RegionInfo(
                                    bounding_box=resources_pb2.BoundingBox(        # draw another bounding box
                                        top_row=0.6,
                                        left_col=0.6,
                                        bottom_row=0.8,
                                        right_col=0.8
                                    )
                                ),
                                data=resources_pb2.Data(
                                    concepts=[
                                        resources_pb2.Concept(id="bike", value=1.),
                                    ]
                                )
                            )
                        ]
                    ),
                    embed_model_version_id="{EMBED_MODEL_VERSION_ID}"
                )
            ]
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(post_annotations_response, "Post annotations")
    first, second = post_annotations_response.annotations
    for annotation in (first, second):
        assert_new_annotation(annotation, "{YOUR_INPUT_ID}")
        assert len(annotation.data.regions) == 1
        assert HEX_ID.match(annotation.data.regions[0].id), "the region got no id"
    assert first.id != second.id
    assert first.data.regions[0].id != second.data.regions[0].id
    assert box(first.data.regions[0]) == (0, 0, 0.5, 0.5)
    assert concepts(first.data.regions[0].data) == [("tree", 1.0), ("water", 0.0)]
    assert box(second.data.regions[0]) == (0.6, 0.6, 0.8, 0.8)
    assert concepts(second.data.regions[0].data) == [("bike", 1.0)]
    assert timestamp(first.created_at) < timestamp(second.created_at)
    assert stored(api, second) == second


def test_annotate_polygons(api):
    # Seed 000 "Annotate Polygons in an Image" (the page's snippet, points as it gives them).
    INPUT_ID = "ca8666e974ac4c2c8dfbd7df1e7cbc44"
    MODEL_VERSION_ID = "aa7f35c01e0642fda5cf400f543e7c40"
    post_annotations_response = api.stub.PostAnnotations(
        service_pb2.PostAnnotationsRequest(
            user_app_id=userDataObject,
            annotations=[
                resources_pb2.Annotation(
                    input_id=INPUT_ID,
                    data=resources_pb2.Data(
                        regions=[
                            resources_pb2.Region(
                                region_info=resources_pb2.RegionInfo(
                                    polygon=resources_pb2.Polygon(     # draw a polygon
                                        points=[
                                            resources_pb2.Point(row=0.30),
                                            resources_pb2.Point(col=0.50),
                                            resources_pb2.Point(z=0.50)
                                        ]
                                    )
                                ),
                                data=resources_pb2.Data(
                                    concepts=[
                                        resources_pb2.Concept(id="tree", value=1),
                                        resources_pb2.Concept(id="water", value=0)
                                    ]
                                )
                            )
                        ]
                    ),
                    embed_model_version_id=MODEL_VERSION_ID
                ),
                resources_pb2.Annotation(
                    input_id=INPUT_ID,
                    data=resources_pb2.Data(
                        regions=[
                            resources_pb2.Region(
                                region_info=resources_pb2.RegionInfo(
                                    polygon=resources_pb2.Polygon(        # draw another polygon
                                        points=[
                                            resources_pb2.Point(row=0.60),
                                            resources_pb2.Point(col=0.80),
                                            resources_pb2.Point(z=0.50)
                                        ]
                                    )
                                ),
                                data=resources_pb2.Data(
                                    concepts=[resources_pb2.Concept(id="bike", value=1)]
                                )
                            )
                        ]
                    ),
                    embed_model_version_id=MODEL_VERSION_ID
                )
            ]
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(post_annotations_response, "Post annotations")
    first, second = post_annotations_response.annotations
    for annotation, expected in ((first, [(0.3, 0, 0), (0, 0.5, 0), (0, 0, 0.5)]),
                                 (second, [(0.6, 0, 0), (0, 0.8, 0), (0, 0, 0.5)])):
        assert_new_annotation(annotation, INPUT_ID)
        [region] = annotation.data.regions
        points = [(p.row, p.col, p.z) for p in region.region_info.polygon.points]
        assert points == [tuple(pytest.approx(v, abs=1e-6) for v in point) for point in expected]
        assert stored(api, annotation) == annotation
    assert concepts(second.data.regions[0].data) == [("bike", 1.0)]


def test_annotate_existing_regions(api):
    # Seed 002 "Annotate Existing Regions in an Image": the region ids come from the models'
    # annotations ({REGION_ID_1}, {REGION_ID_2} in the fixtures).
    model_regions = [r.id for a in list_annotations(api, list_all_annotations=True) for r in a.data.regions]
    assert {"{REGION_ID_1}", "{REGION_ID_2}"} <= set(model_regions)
    post_annotations_response = api.stub.PostAnnotations(
        service_pb2.PostAnnotationsRequest(
            annotations=[
                resources_pb2.Annotation(                # label a region in this image
                    input_id="{YOUR_INPUT_ID}",
                    data=resources_pb2.Data(
                        regions=[
                            resources_pb2.Region(
                                id="{REGION_ID_1}",  # this should be a region id returned from list annotations call
                                data=resources_pb2.Data(
                                    concepts=[
                                        resources_pb2.Concept(id="tree", value=1.),
                                        resources_pb2.Concept(id="water", value=0.)
                                    ]
                                )
                            )
                        ]
                    ),
                    embed_model_version_id="{EMBED_MODEL_VERSION_ID}"
                ),
                resources_pb2.Annotation(                # label another region in this image
                    input_id="{YOUR_INPUT_ID}",
                    data=resources_pb2.Data(
                        regions=[
                            resources_pb2.Region(
                                id="{REGION_ID_2}",
                                data=resources_pb2.Data(
                                    concepts=[resources_pb2.Concept(id="bike", value=1.)]
                                )
                            )
                        ]
                    ),
                    embed_model_version_id="{EMBED_MODEL_VERSION_ID}"
                ),
            ]
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(post_annotations_response, "Post annotations")
    first, second = post_annotations_response.annotations
    assert_new_annotation(first, "{YOUR_INPUT_ID}")
    assert_new_annotation(second, "{YOUR_INPUT_ID}")
    assert [r.id for r in first.data.regions] == ["{REGION_ID_1}"]
    assert concepts(first.data.regions[0].data) == [("tree", 1.0), ("water", 0.0)]
    assert [r.id for r in second.data.regions] == ["{REGION_ID_2}"]
    assert concepts(second.data.regions[0].data) == [("bike", 1.0)]


def test_annotate_with_mask(api):
    # Seed 000 "Annotate Images With Mask": a region whose region_info is a mask image.
    mask_png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADklEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==")
    post_annotations_response = api.stub.PostAnnotations(
        service_pb2.PostAnnotationsRequest(
            user_app_id=userDataObject,
            annotations=[
                resources_pb2.Annotation(
                    input_id="INPUT_ID_FROM_UI",
                    data=resources_pb2.Data(
                        regions=[
                            resources_pb2.Region(
                                region_info=resources_pb2.RegionInfo(
                                    mask=resources_pb2.Mask(image=resources_pb2.Image(base64=mask_png))
                                ),
                                data=resources_pb2.Data(
                                    concepts=[resources_pb2.Concept(id="CONCEPT_ID_FROM_UI", value=1)]
                                )
                            )
                        ]
                    )
                )
            ]
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(post_annotations_response, "Post annotations")
    [annotation] = post_annotations_response.annotations
    assert_new_annotation(annotation, "INPUT_ID_FROM_UI")
    [region] = annotation.data.regions
    assert region.region_info.mask.image.base64 == mask_png
    assert concepts(region.data) == [("CONCEPT_ID_FROM_UI", 1.0)]
    assert stored(api, annotation).data.regions[0].region_info.mask.image.base64 == mask_png


def test_annotate_with_another_user_id_and_status(api):
    # Seed 002 "Annotate images with different user_id and status" (003, 000 alike); the
    # sample's `data=status_pb2.Status(...)` is `status=`.
    post_annotations_response = api.stub.PostAnnotations(
        service_pb2.PostAnnotationsRequest(
            annotations=[
                resources_pb2.Annotation(
                    input_id="{YOUR_INPUT_ID}",
                    user_id="{USER_ID}",    # If empty, it is the user who posts this annotation
                    status=status_pb2.Status(
                        code=status_code_pb2.ANNOTATION_PENDING  # annotation pending status. By default success.
                    ),
                )
            ]
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(post_annotations_response, "Post annotations")
    [annotation] = post_annotations_response.annotations
    assert_new_annotation(annotation, "{YOUR_INPUT_ID}", status_code=ANNOTATION_PENDING, user_id="{USER_ID}")
    # Without user_id and status: the poster, ANNOTATION_SUCCESS.
    [default] = post(api, resources_pb2.Annotation(input_id="{YOUR_INPUT_ID}"))
    assert_new_annotation(default, "{YOUR_INPUT_ID}", status_code=ANNOTATION_SUCCESS, user_id=USER_ID)
    assert ids(list_annotations(api, user_ids=["{USER_ID}"])) == [annotation.id]


def test_task_annotations(api):
    # Seed 004 "Task Annotations": the task id goes in annotation_info.
    annotation_info = struct_pb2.Struct()
    annotation_info.update({"task_id": "{{task_id}}"})
    post_annotations_response = api.stub.PostAnnotations(
        service_pb2.PostAnnotationsRequest(
            annotations=[
                resources_pb2.Annotation(
                    input_id="{{asset_id}}",
                    data=resources_pb2.Data(
                        concepts=[
                            resources_pb2.Concept(id="tree", value=1),
                            resources_pb2.Concept(id="water", value=0),
                        ]
                    ),
                    annotation_info=annotation_info,
                )
            ]
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(post_annotations_response, "Post annotations")
    [annotation] = post_annotations_response.annotations
    assert_new_annotation(annotation, "{{asset_id}}")
    assert dict(annotation.annotation_info) == {"task_id": "{{task_id}}"}
    assert concepts(annotation.data) == [("tree", 1.0), ("water", 0.0)]
    # Linked to the task: listing the task's annotations finds it, and only it.
    post(api, concept_annotation("{{asset_id}}", ("tree", 1.0)))
    assert ids(list_annotations(api, task_id="{{task_id}}")) == [annotation.id]


# ---------------------------------------------------------------------------------------------
# List annotations (seed 002).
# ---------------------------------------------------------------------------------------------

def post_three(api: Api) -> list:
    """Three user-created annotations, posted one by one (so their created_at differ)."""
    a = post(api, concept_annotation("{YOUR_INPUT_ID}", ("tree", 1.0)))[0]
    b = post(api, resources_pb2.Annotation(input_id="{YOUR_INPUT_ID}", user_id="{USER_ID}",
                                          status=status_pb2.Status(code=ANNOTATION_PENDING)))[0]
    c = post(api, box_annotation("{YOUR_INPUT_ID}", (0, 0, 0.5, 0.5), ("bike", 1.0)))[0]
    return [a, b, c]


def test_list_all_user_created_annotations(api):
    # Seed 002 "List All User Created Annotations in Your App": per_page=10, models' hidden.
    posted = post_three(api)
    list_annotations_response = api.stub.ListAnnotations(
        service_pb2.ListAnnotationsRequest(per_page=10),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(list_annotations_response, "List annotations")
    listed = list(list_annotations_response.annotations)
    assert ids(listed) == [INPUT_LEVEL] + ids(posted)
    assert listed[1:] == posted
    assert_oldest_to_newest(listed)


def test_list_all_annotations(api):
    # Seed 002 "List All Annotations in Your App": list_all_annotations=True adds the models'.
    posted = post_three(api)
    list_annotations_response = api.stub.ListAnnotations(
        service_pb2.ListAnnotationsRequest(per_page=10, list_all_annotations=True),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(list_annotations_response, "List annotations")
    listed = list(list_annotations_response.annotations)
    assert ids(listed) == [INPUT_LEVEL] + MODEL_CREATED + ids(posted)
    assert_oldest_to_newest(listed)
    assert [a.model_version_id for a in listed[1:4]] == ["{MODEL_VERSION_ID_1}", "{MODEL_VERSION_ID_2}", "{MODEL_VERSION_ID_1}"]


def test_list_user_created_annotations_by_input_ids(api):
    # Seed 002 "List User Created Annotations by Input IDs" (`["a". "b"]` read as `["a", "b"]`).
    x = post(api, concept_annotation("{YOUR_INPUT_ID_1}", ("tree", 1.0)))[0]
    y = post(api, concept_annotation("{YOUR_INPUT_ID_2}", ("water", 1.0)))[0]
    post(api, concept_annotation("{YOUR_INPUT_ID}", ("bike", 1.0)))
    list_annotations_response = api.stub.ListAnnotations(
        service_pb2.ListAnnotationsRequest(input_ids=["{YOUR_INPUT_ID_1}", "{YOUR_INPUT_ID_2}"], per_page=10),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(list_annotations_response, "List annotations")
    # model-annotation-3 (on {YOUR_INPUT_ID_2}) is model-created: hidden.
    assert ids(list_annotations_response.annotations) == [INPUT_LEVEL, x.id, y.id]
    with_models = list_annotations(api, input_ids=["{YOUR_INPUT_ID_2}"], list_all_annotations=True)
    assert ids(with_models) == ["model-annotation-3", y.id]


def test_list_annotations_by_input_ids_and_annotation_ids(api):
    # Seed 002 "List Annotations by Input IDs and Annotation IDs": pairs; matches user- and
    # model-created annotations alike.
    x = post(api, concept_annotation("{YOUR_INPUT_ID_1}", ("tree", 1.0)))[0]
    y = post(api, concept_annotation("{YOUR_INPUT_ID_2}", ("water", 1.0)))[0]
    list_annotations_response = api.stub.ListAnnotations(
        service_pb2.ListAnnotationsRequest(
            input_ids=["{YOUR_INPUT_ID_1}", "{YOUR_INPUT_ID_2}"],
            ids=[x.id, "model-annotation-3"],
            per_page=10
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(list_annotations_response, "List annotations")
    assert ids(list_annotations_response.annotations) == ["model-annotation-3", x.id]
    assert y.id not in ids(list_annotations_response.annotations)
    # An id paired with the wrong input matches nothing.
    assert list_annotations(api, input_ids=["{YOUR_INPUT_ID_1}"], ids=[y.id]) == []
    # "if you want to list by annotation IDs, then input IDs are also required"
    response = api.stub.ListAnnotations(
        service_pb2.ListAnnotationsRequest(ids=[x.id]), metadata=metadata, timeout=CALL_TIMEOUT)
    assert response.status.code == status_code_pb2.CONN_INVALID_REQUEST, response.status
    assert len(response.annotations) == 0


def test_list_annotations_by_user_ids(api):
    # Seed 002 "List Annotations by User IDs".
    u1 = post(api, resources_pb2.Annotation(input_id="{YOUR_INPUT_ID}", user_id="{USER_ID_1}"))[0]
    post(api, resources_pb2.Annotation(input_id="{YOUR_INPUT_ID}"))
    u2 = post(api, resources_pb2.Annotation(input_id="{YOUR_INPUT_ID}", user_id="{USER_ID_2}"))[0]
    list_annotations_response = api.stub.ListAnnotations(
        service_pb2.ListAnnotationsRequest(user_ids=["{USER_ID_1}", "{USER_ID_2}"], per_page=10),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(list_annotations_response, "List annotations")
    assert ids(list_annotations_response.annotations) == [u1.id, u2.id]
    assert [a.user_id for a in list_annotations_response.annotations] == ["{USER_ID_1}", "{USER_ID_2}"]


def test_list_annotations_by_model_version_ids(api):
    # Seed 002 "List Annotations by Model Version IDs": the detections models wrote.
    post_three(api)
    list_annotations_response = api.stub.ListAnnotations(
        service_pb2.ListAnnotationsRequest(
            model_version_ids=["{MODEL_VERSION_ID_1}", "{MODEL_VERSION_ID_2}"],
            per_page=10
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(list_annotations_response, "List annotations")
    assert ids(list_annotations_response.annotations) == MODEL_CREATED
    assert ids(list_annotations(api, model_version_ids=["{MODEL_VERSION_ID_2}"])) == ["model-annotation-2"]
    assert list_annotations(api, model_version_ids=["{MODEL_VERSION_ID_3}"]) == []


def test_list_annotations_by_statuses_and_combined_filters(api):
    # The remaining filters of ListAnnotationsRequest: statuses, and filters combined (AND).
    a, b, c = post_three(api)  # b is ANNOTATION_PENDING for {USER_ID}
    pending = list_annotations(api, statuses=[status_pb2.Status(code=ANNOTATION_PENDING)])
    assert ids(pending) == [b.id]
    succeeded = list_annotations(api, statuses=[status_pb2.Status(code=ANNOTATION_SUCCESS)], input_ids=["{YOUR_INPUT_ID}"])
    assert ids(succeeded) == [a.id, c.id]
    assert list_annotations(api, user_ids=["{USER_ID}"], statuses=[status_pb2.Status(code=ANNOTATION_SUCCESS)]) == []
    assert ids(list_annotations(api, user_ids=[USER_ID], input_ids=["{YOUR_INPUT_ID}"])) == [a.id, c.id]


def test_list_pagination_oldest_to_newest(api):
    # "Annotations will be returned from oldest to newest … By default each page will return
    # 20 annotations."
    posted = post(api, *[concept_annotation("paged-input", (f"c{i}", 1.0)) for i in range(25)])
    assert_oldest_to_newest(posted)
    first = list_annotations(api, input_ids=["paged-input"])
    assert ids(first) == ids(posted[:20])
    second = list_annotations(api, input_ids=["paged-input"], page=2)
    assert ids(second) == ids(posted[20:])
    assert list_annotations(api, input_ids=["paged-input"], page=3) == []
    pages = [list_annotations(api, input_ids=["paged-input"], page=p, per_page=7) for p in range(1, 5)]
    assert [len(p) for p in pages] == [7, 7, 7, 4]
    assert sum((ids(p) for p in pages), []) == ids(posted)
    assert ids(list_annotations(api, input_ids=["paged-input"], page=25, per_page=1)) == [posted[24].id]
    assert len(list_annotations(api, input_ids=["paged-input"], per_page=1000)) == 25
    # The whole app: fixtures (user-created ones) first, then the posts.
    everything = list_annotations(api, per_page=1000)
    assert ids(everything) == [INPUT_LEVEL] + ids(posted)
    assert_oldest_to_newest(everything)


# ---------------------------------------------------------------------------------------------
# Update annotations (seed 002).
# ---------------------------------------------------------------------------------------------

def patch(api: Api, action: str, *annotations):
    return api.stub.PatchAnnotations(
        service_pb2.PatchAnnotationsRequest(action=action, annotations=list(annotations)),
        metadata=metadata, timeout=CALL_TIMEOUT)


def test_update_annotation_with_concepts_merge(api):
    # Seed 002 "Update Annotation with Concepts": merge adds apple; a second merge flips water.
    [original] = post(api, concept_annotation("{YOUR_INPUT_ID}", ("tree", 1.0), ("water", 0.0)))
    patch_annotations_response = api.stub.PatchAnnotations(
        service_pb2.PatchAnnotationsRequest(
            action="merge",  # Supported actions: overwrite, merge, remove.
            annotations=[
                resources_pb2.Annotation(
                    input_id="{YOUR_INPUT_ID}",
                    id=original.id,
                    data=resources_pb2.Data(
                        concepts=[
                            resources_pb2.Concept(id="apple", value=1.)  # 1 means true, this concept is present.
                        ]
                    )
                )
            ]
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(patch_annotations_response, "Patch annotations")
    [patched] = patch_annotations_response.annotations
    assert patched.id == original.id
    assert concepts(patched.data) == [("tree", 1.0), ("water", 0.0), ("apple", 1.0)]
    assert timestamp(patched.created_at) == timestamp(original.created_at)
    assert timestamp(patched.modified_at) > timestamp(original.modified_at)
    assert patched.status.code == ANNOTATION_SUCCESS
    response = patch(api, "merge", concept_annotation("{YOUR_INPUT_ID}", ("water", 1.0), id=original.id))
    assert_success(response, "Patch merge")
    assert concepts(stored(api, original).data) == [("tree", 1.0), ("water", 1.0), ("apple", 1.0)]


def test_update_annotation_with_concepts_in_region_merge(api):
    # Seed 002 "Update Annotation with Concepts in a Region": merge into region {REGION_ID} (the
    # region id of this annotation before the patch), then add apple as seed 001's cURL does.
    [original] = post(api, box_annotation("{YOUR_INPUT_ID}", (0, 0, 0.5, 0.5), ("tree", 0.0), ("water", 0.0)))
    region_id = original.data.regions[0].id
    patch_annotations_response = api.stub.PatchAnnotations(
        service_pb2.PatchAnnotationsRequest(
            action="merge",  # Supported actions: overwrite, merge, remove.
            annotations=[
                resources_pb2.Annotation(
                    input_id="{YOUR_INPUT_ID}",
                    id=original.id,
                    data=resources_pb2.Data(
                        regions=[
                            resources_pb2.Region(
                                id=region_id,  # this should be the region id of this annotation before patch
                                data=resources_pb2.Data(
                                    concepts=[
                                        resources_pb2.Concept(id="tree", value=1.),  # 1 means true, this concept is present.
                                    ]
                                )
                            )
                        ]
                    )
                )
            ]
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(patch_annotations_response, "Patch annotations")
    [patched] = patch_annotations_response.annotations
    [region] = patched.data.regions
    assert region.id == region_id
    assert box(region) == (0, 0, 0.5, 0.5), "merge without region_info must keep the coordinates"
    assert concepts(region.data) == [("tree", 1.0), ("water", 0.0)]
    response = patch(api, "merge", resources_pb2.Annotation(
        input_id="{YOUR_INPUT_ID}", id=original.id, data=resources_pb2.Data(regions=[resources_pb2.Region(
            id=region_id, data=resources_pb2.Data(concepts=[resources_pb2.Concept(id="apple", value=1.)]))])))
    assert_success(response, "Patch merge apple")
    [region] = stored(api, original).data.regions
    assert region.id == region_id
    assert concepts(region.data) == [("tree", 1.0), ("water", 0.0), ("apple", 1.0)]


def test_update_annotation_region_coordinates_overwrite(api):
    # Seed 002 "Update Annotation Region Coordinates": overwrite replaces the data, so the
    # patch restates the concept (bike) with the new box.
    [original] = post(api, box_annotation("{YOUR_INPUT_ID}", (0.6, 0.6, 0.8, 0.8), ("bike", 1.0), ("water", 0.0)))
    patch_annotations_response = api.stub.PatchAnnotations(
        service_pb2.PatchAnnotationsRequest(
            action="overwrite",
            annotations=[
                resources_pb2.Annotation(
                    input_id="{YOUR_INPUT_ID}",
                    id=original.id,
                    data=resources_pb2.Data(
                        regions=[
                            resources_pb2.Region(
                                region_info=resources_pb2.RegionInfo(
                                    bounding_box=resources_pb2.BoundingBox(        # move bounding bbox to a new cooridnates
                                        top_row=0.5,
                                        left_col=0.5,
                                        bottom_row=0.8,
                                        right_col=0.8
                                    )
                                ),
                                data=resources_pb2.Data(    # need to provde tags you previously labeled since this is overwrite action
                                    concepts=[
                                        resources_pb2.Concept(id="bike", value=1.),  # 1 means true, this concept is present.
                                    ]
                                )
                            )
                        ]
                    )
                )
            ]
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(patch_annotations_response, "Patch annotations")
    [patched] = patch_annotations_response.annotations
    [region] = patched.data.regions
    assert box(region) == (0.5, 0.5, 0.8, 0.8)
    assert concepts(region.data) == [("bike", 1.0)], "overwrite keeps only what the patch gives"
    assert HEX_ID.match(region.id) or region.id == original.data.regions[0].id
    assert stored(api, original).data == patched.data
    # Overwrite of annotation-level concepts.
    [other] = post(api, concept_annotation("{YOUR_INPUT_ID}", ("tree", 1.0), ("water", 0.0)))
    response = patch(api, "overwrite", concept_annotation("{YOUR_INPUT_ID}", ("apple", 1.0), id=other.id))
    assert_success(response, "Patch overwrite")
    assert concepts(stored(api, other).data) == [("apple", 1.0)]


def test_update_annotation_status(api):
    # Seed 002 "Update Annotation Status": the pending annotation of another user → success.
    [pending] = post(api, resources_pb2.Annotation(
        input_id="{YOUR_INPUT_ID}", user_id="{USER_ID}", status=status_pb2.Status(code=ANNOTATION_PENDING),
        data=resources_pb2.Data(concepts=[resources_pb2.Concept(id="tree", value=1.)])))
    assert pending.status.code == ANNOTATION_PENDING
    patch_annotations_response = api.stub.PatchAnnotations(
        service_pb2.PatchAnnotationsRequest(
            action="merge",  # Supported actions: overwrite, merge, remove.
            annotations=[
                resources_pb2.Annotation(
                    input_id="{YOUR_INPUT_ID}",
                    id=pending.id,
                    status=status_pb2.Status(
                        code=status_code_pb2.ANNOTATION_SUCCESS
                    )
                )
            ]
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(patch_annotations_response, "Patch annotations")
    [patched] = patch_annotations_response.annotations
    assert patched.status.code == ANNOTATION_SUCCESS
    assert patched.user_id == "{USER_ID}"
    assert concepts(patched.data) == [("tree", 1.0)], "a status-only merge keeps the data"
    assert stored(api, pending).status.code == ANNOTATION_SUCCESS
    assert list_annotations(api, statuses=[status_pb2.Status(code=ANNOTATION_PENDING)]) == []


def test_patch_remove_concepts_and_regions(api):
    # Update supports "overwrite, merge, remove": remove takes concepts out, a region's concepts
    # (region named by id, with concepts), or a whole region (named by id, no concepts).
    [flat] = post(api, concept_annotation("{YOUR_INPUT_ID}", ("tree", 1.0), ("water", 0.0), ("apple", 1.0)))
    response = patch(api, "remove", concept_annotation("{YOUR_INPUT_ID}", ("water", 0.0), id=flat.id))
    assert_success(response, "Patch remove concept")
    assert concepts(stored(api, flat).data) == [("tree", 1.0), ("apple", 1.0)]

    [boxed] = post(api, box_annotation("{YOUR_INPUT_ID}", (0.1, 0.1, 0.4, 0.4), ("tree", 1.0), ("water", 0.0)))
    region_id = boxed.data.regions[0].id
    response = patch(api, "remove", resources_pb2.Annotation(
        input_id="{YOUR_INPUT_ID}", id=boxed.id, data=resources_pb2.Data(regions=[resources_pb2.Region(
            id=region_id, data=resources_pb2.Data(concepts=[resources_pb2.Concept(id="water")]))])))
    assert_success(response, "Patch remove region concept")
    [region] = stored(api, boxed).data.regions
    assert region.id == region_id
    assert concepts(region.data) == [("tree", 1.0)]
    assert box(region) == (0.1, 0.1, 0.4, 0.4)

    response = patch(api, "remove", resources_pb2.Annotation(
        input_id="{YOUR_INPUT_ID}", id=boxed.id, data=resources_pb2.Data(regions=[resources_pb2.Region(id=region_id)])))
    assert_success(response, "Patch remove region")
    assert list(stored(api, boxed).data.regions) == []


def test_patch_failures(api):
    # A patch of an annotation that does not exist, or without an action, is not a success.
    response = patch(api, "merge", concept_annotation("{YOUR_INPUT_ID}", ("tree", 1.0), id="no-such-annotation"))
    assert response.status.code == status_code_pb2.CONN_DOES_NOT_EXIST, response.status
    [annotation] = post(api, concept_annotation("{YOUR_INPUT_ID}", ("tree", 1.0)))
    response = patch(api, "", concept_annotation("{YOUR_INPUT_ID}", ("apple", 1.0), id=annotation.id))
    assert response.status.code == status_code_pb2.CONN_INVALID_REQUEST, response.status
    assert concepts(stored(api, annotation).data) == [("tree", 1.0)]


# ---------------------------------------------------------------------------------------------
# Delete annotations (seed 002).
# ---------------------------------------------------------------------------------------------

def test_delete_annotation_by_input_id_and_annotation_id(api):
    # Seed 002 "Delete Annotation by Input ID and Annotation ID".
    doomed, kept = post(api, concept_annotation("{YOUR_INPUT_ID}", ("tree", 1.0)),
                        concept_annotation("{YOUR_INPUT_ID}", ("water", 1.0)))
    delete_annotation_response = api.stub.DeleteAnnotation(
        service_pb2.DeleteAnnotationRequest(
            input_id="{YOUR_INPUT_ID}",
            annotation_id=doomed.id
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(delete_annotation_response, "Delete annotation")
    assert get_annotation(api, "{YOUR_INPUT_ID}", doomed.id).status.code == status_code_pb2.CONN_DOES_NOT_EXIST
    assert ids(list_annotations(api, input_ids=["{YOUR_INPUT_ID}"])) == [kept.id]
    again = api.stub.DeleteAnnotation(
        service_pb2.DeleteAnnotationRequest(input_id="{YOUR_INPUT_ID}", annotation_id=doomed.id),
        metadata=metadata, timeout=CALL_TIMEOUT)
    assert again.status.code == status_code_pb2.CONN_DOES_NOT_EXIST, again.status


def test_bulk_delete_annotations_by_input_ids_and_annotation_ids(api):
    # Seed 002 "Bulk Delete Annotations by Input Ids and Annotation IDs" (`annotation_id=` is `ids=`).
    one_a, one_b = post(api, concept_annotation("{YOUR_INPUT_ID_1}", ("tree", 1.0)),
                        concept_annotation("{YOUR_INPUT_ID_1}", ("water", 1.0)))
    two_a, two_b = post(api, concept_annotation("{YOUR_INPUT_ID_2}", ("tree", 1.0)),
                        concept_annotation("{YOUR_INPUT_ID_2}", ("water", 1.0)))
    delete_annotations_response = api.stub.DeleteAnnotations(
        service_pb2.DeleteAnnotationsRequest(
            input_ids=["{YOUR_INPUT_ID_1}", "{YOUR_INPUT_ID_2}"],
            ids=[one_a.id, two_b.id]
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(delete_annotations_response, "Delete annotations")
    left = list_annotations(api, input_ids=["{YOUR_INPUT_ID_1}", "{YOUR_INPUT_ID_2}"], list_all_annotations=True)
    assert ids(left) == [INPUT_LEVEL, "model-annotation-3", one_b.id, two_a.id]
    # Unequal counts: refused, nothing deleted.
    response = api.stub.DeleteAnnotations(
        service_pb2.DeleteAnnotationsRequest(input_ids=["{YOUR_INPUT_ID_1}"], ids=[one_b.id, two_a.id]),
        metadata=metadata, timeout=CALL_TIMEOUT)
    assert response.status.code == status_code_pb2.CONN_INVALID_REQUEST, response.status
    assert len(list_annotations(api, input_ids=["{YOUR_INPUT_ID_1}", "{YOUR_INPUT_ID_2}"])) == 3


def test_bulk_delete_all_annotations_by_input_ids(api):
    # Seed 002 "Bulk Delete All Annotations by Input IDs": everything of those inputs goes
    # EXCEPT the input-level annotations.
    post(api, concept_annotation("{YOUR_INPUT_ID_1}", ("tree", 1.0)),
         concept_annotation("{YOUR_INPUT_ID_2}", ("water", 1.0)),
         box_annotation("{YOUR_INPUT_ID_2}", (0, 0, 0.5, 0.5), ("bike", 1.0)))
    [elsewhere] = post(api, concept_annotation("{YOUR_INPUT_ID}", ("tree", 1.0)))
    delete_annotations_response = api.stub.DeleteAnnotations(
        service_pb2.DeleteAnnotationsRequest(
            input_ids=["{YOUR_INPUT_ID_1}", "{YOUR_INPUT_ID_2}"]
        ),
        metadata=metadata, timeout=CALL_TIMEOUT,
    )
    assert_success(delete_annotations_response, "Delete annotations")
    left = list_annotations(api, input_ids=["{YOUR_INPUT_ID_1}", "{YOUR_INPUT_ID_2}"], list_all_annotations=True)
    assert ids(left) == [INPUT_LEVEL]
    assert left[0].input_level
    assert ids(list_annotations(api, list_all_annotations=True, per_page=100)) == [
        INPUT_LEVEL, "model-annotation-1", "model-annotation-2", elsewhere.id]


# ---------------------------------------------------------------------------------------------
# Failures.
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad_metadata", [
    pytest.param((), id="no-authorization"),
    pytest.param((("authorization", "Bearer " + KEY),), id="wrong-scheme"),
    pytest.param((("authorization", "Key not-the-key"),), id="wrong-key"),
])
def test_authentication_failure(api, bad_metadata):
    response = api.stub.PostAnnotations(
        service_pb2.PostAnnotationsRequest(annotations=[concept_annotation("{YOUR_INPUT_ID}", ("tree", 1.0))]),
        metadata=bad_metadata, timeout=CALL_TIMEOUT)
    assert response.status.code == status_code_pb2.CONN_KEY_INVALID, response.status  # 11008
    assert response.status.description
    assert len(response.annotations) == 0
    response = api.stub.ListAnnotations(
        service_pb2.ListAnnotationsRequest(list_all_annotations=True), metadata=bad_metadata, timeout=CALL_TIMEOUT)
    assert response.status.code == status_code_pb2.CONN_KEY_INVALID, response.status
    assert len(response.annotations) == 0
    response = api.stub.DeleteAnnotations(
        service_pb2.DeleteAnnotationsRequest(input_ids=["{YOUR_INPUT_ID_1}"]), metadata=bad_metadata, timeout=CALL_TIMEOUT)
    assert response.status.code == status_code_pb2.CONN_KEY_INVALID, response.status
    # Nothing was stored or deleted.
    assert ids(list_annotations(api, list_all_annotations=True)) == [INPUT_LEVEL] + MODEL_CREATED


def test_129_annotations_fail_128_succeed(api):
    # "You can add from 1 up to 128 annotations in a single API call."
    too_many = [concept_annotation(f"input-{i}", ("tree", 1.0)) for i in range(129)]
    response = api.stub.PostAnnotations(
        service_pb2.PostAnnotationsRequest(annotations=too_many), metadata=metadata, timeout=CALL_TIMEOUT)
    assert response.status.code not in (SUCCESS, status_code_pb2.MIXED_STATUS), response.status
    assert "128" in response.status.description, response.status.description
    assert ids(list_annotations(api, per_page=1000)) == [INPUT_LEVEL], "a refused post stored something"
    response = api.stub.PostAnnotations(
        service_pb2.PostAnnotationsRequest(annotations=[]), metadata=metadata, timeout=CALL_TIMEOUT)
    assert response.status.code != SUCCESS, response.status
    posted = post(api, *too_many[:128])
    assert len(set(ids(posted))) == 128
    # "You can update from 1 up to 128 annotations in a single API call."
    patches = [concept_annotation(a.input_id, ("water", 1.0), id=a.id) for a in posted]
    response = patch(api, "merge", *patches, concept_annotation("input-0", ("water", 1.0), id=posted[0].id))
    assert response.status.code not in (SUCCESS, status_code_pb2.MIXED_STATUS), response.status
    assert concepts(stored(api, posted[0]).data) == [("tree", 1.0)], "a refused patch changed something"
    assert_success(patch(api, "merge", *patches), "Patch 128")


def test_unknown_method_is_unimplemented(api):
    # The emulator serves the annotation methods of V2 only; others end with gRPC UNIMPLEMENTED.
    with pytest.raises(grpc.RpcError) as raised:
        api.stub.PostInputs(
            service_pb2.PostInputsRequest(inputs=[resources_pb2.Input(id="{YOUR_INPUT_ID}")]),
            metadata=metadata, timeout=CALL_TIMEOUT)
    assert raised.value.code() == grpc.StatusCode.UNIMPLEMENTED, (raised.value.code(), raised.value.details())
    # The connection stays usable.
    assert ids(list_annotations(api)) == [INPUT_LEVEL]

import ProtoWire

/// Every documented request, in the order the documentation presents them.
///
/// Sources are the pages in `shared/seeds/`:
/// - `000_d8e4d6bf817694ec.txt`, "Create Annotations": the page only imports its samples
///   (`code_snippets/api-guide/annotate/*`); the requests here follow its Python (gRPC) tab,
///   with the seed pages' placeholder style (`{YOUR_INPUT_ID}`, …).
/// - `001_b05315c70f55448f.txt` / `002_68cdef820f272dd0.txt`, "Annotations": cURL bodies (001)
///   and Python gRPC samples (002).
/// - `003_bb9bdfad49573b04.txt`, the older multi-language "Annotations" page (Java, Node.js,
///   Python, cURL; raw status codes 24150 = `ANNOTATION_SUCCESS`, 24151 = `ANNOTATION_PENDING`).
/// - `004_38ca1e2d70528638.txt`, "Task Annotations".
///
/// One scenario per distinct request: a request shown identically on several pages (or in
/// several languages) appears once, its `source` naming every place. Differences that are only
/// a placeholder's spelling (`your_input_Id` vs `{YOUR_INPUT_ID_1}`) or an explicit `page=1`
/// (the default first page) are not distinct requests; a different field or value is.
///
/// Where the samples contradict the `.proto` definitions, the definitions win:
/// `PatcchAnnotations` is `PatchAnnotations`; `input_ids=["a". "b"]` is a list of two ids;
/// `data=status_pb2.Status(…)` on an annotation is `status=`; `annotation_id=[…]` and
/// `annotation_ids` on `DeleteAnnotationsRequest` are `ids=`.
public enum SeedScenarios {
    /// The mask image of "Annotate Images With Mask": the documentation sends a whole PNG
    /// (as `base64`); a deterministic stand-in is enough here — the PNG signature, the start
    /// of an IHDR chunk (1×1, 8-bit greyscale), and a few bytes more.
    public static let maskImageBytes: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,  // PNG signature
        0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,  // IHDR, length 13
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,  // width 1, height 1
        0x08, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x7E, 0x9B, 0x55,  // 8-bit greyscale, CRC
        0x00, 0xFF, 0x80, 0x7F,  // a few more bytes, including non-ASCII ones
    ]

    public static let all: [SeedScenario] = [
        // MARK: - 000 "Create Annotations" (samples imported from code_snippets/api-guide/annotate)

        SeedScenario(
            title: "Annotate an image with concepts",
            source: "000_d8e4d6bf817694ec.txt: Annotate Images With Concepts",
            method: "PostAnnotations",
            request: {
                var annotation = Annotation()
                annotation.inputID = "{YOUR_INPUT_ID}"
                annotation.data = data(concepts: [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)])
                return post([annotation])
            }()
        ),
        SeedScenario(
            title: "Annotate an image with multiple concepts",
            source: "000_d8e4d6bf817694ec.txt: Annotate Images With Multiple Concepts",
            method: "PostAnnotations",
            request: {
                // CONCEPT_IDS_LIST = ['one', 'two', 'three', 'four', 'five', 'six'], each with value 1.
                let conceptIDs = ["one", "two", "three", "four", "five", "six"]
                var annotation = Annotation()
                annotation.inputID = "{YOUR_INPUT_ID}"
                annotation.data = data(concepts: conceptIDs.map { Concept(id: $0, value: 1) })
                return post([annotation])
            }()
        ),
        SeedScenario(
            title: "Annotate new bounding boxes in an image",
            source: "000_d8e4d6bf817694ec.txt: Annotate New Bounding Boxes in an Image",
            method: "PostAnnotations",
            request: {
                let first = regionAnnotation(
                    inputID: "{YOUR_INPUT_ID}",
                    box: BoundingBox(topRow: 0, leftCol: 0, bottomRow: 0.5, rightCol: 0.5),
                    concepts: [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)]
                )
                let second = regionAnnotation(
                    inputID: "{YOUR_INPUT_ID}",
                    box: BoundingBox(topRow: 0.6, leftCol: 0.6, bottomRow: 0.8, rightCol: 0.8),
                    concepts: [Concept(id: "bike", value: 1)]
                )
                return post([first, second])
            }()
        ),
        SeedScenario(
            title: "Annotate polygons in an image",
            source: "000_d8e4d6bf817694ec.txt: Annotate Polygons in an Image; "
                + "001_b05315c70f55448f.txt: Add Annotations / Annotate Polygons in an Image (same snippet)",
            method: "PostAnnotations",
            request: {
                // As the sample draws them: each point sets only one of row, col, z.
                func polygon(row: Float, col: Float, z: Float) -> Polygon {
                    var depth = Point()
                    depth.z = z
                    return Polygon(points: [Point(row: row, col: 0), Point(row: 0, col: col), depth])
                }
                var first = Annotation()
                first.inputID = "{YOUR_INPUT_ID}"
                first.data = data(regions: [
                    region(
                        polygon: polygon(row: 0.30, col: 0.50, z: 0.50),
                        concepts: [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)]
                    )
                ])
                first.embedModelVersionID = "{EMBED_MODEL_VERSION_ID}"
                var second = Annotation()
                second.inputID = "{YOUR_INPUT_ID}"
                second.data = data(regions: [
                    region(
                        polygon: polygon(row: 0.60, col: 0.80, z: 0.50),
                        concepts: [Concept(id: "bike", value: 1)]
                    )
                ])
                second.embedModelVersionID = "{EMBED_MODEL_VERSION_ID}"
                return post([first, second])
            }()
        ),
        SeedScenario(
            title: "Annotate existing regions in an image",
            source: "000_d8e4d6bf817694ec.txt: Annotate Existing Regions in an Image",
            method: "PostAnnotations",
            request: {
                let first = existingRegionAnnotation(
                    regionID: "{REGION_ID_1}",
                    concepts: [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)]
                )
                let second = existingRegionAnnotation(
                    regionID: "{REGION_ID_2}", concepts: [Concept(id: "bike", value: 1)])
                return post([first, second])
            }()
        ),
        SeedScenario(
            title: "Annotate an image with a mask",
            source: "000_d8e4d6bf817694ec.txt: Annotate Images With Mask",
            method: "PostAnnotations",
            request: {
                var regionInfo = RegionInfo()
                regionInfo.mask = Mask(image: Image(bytes: maskImageBytes))
                var maskRegion = Region()
                maskRegion.regionInfo = regionInfo
                maskRegion.data = data(concepts: [Concept(id: "{CONCEPT_ID_FROM_UI}", value: 1)])
                var annotation = Annotation()
                annotation.inputID = "{INPUT_ID_FROM_UI}"
                annotation.data = data(regions: [maskRegion])
                return post([annotation])
            }()
        ),
        SeedScenario(
            title: "Annotate an image with a different user_id and status",
            source: "000_d8e4d6bf817694ec.txt: Annotate Images With Different `user_id` and `status`; "
                + "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: Add Annotations / "
                + "Annotate Images With Different `user_id` and `status`; "
                + "003_bb9bdfad49573b04.txt: Label an images with other user id and status (code 24151)",
            method: "PostAnnotations",
            request: {
                var annotation = Annotation()
                annotation.inputID = "{YOUR_INPUT_ID}"
                annotation.userID = "{USER_ID}"  // If empty, it is the user who posts this annotation.
                // The Python samples write `data=status_pb2.Status(…)`; the field is `status`.
                annotation.status = Status(code: .annotationPending)  // 24151
                return post([annotation])
            }()
        ),

        // MARK: - 001/002 "Annotations": Add Annotations

        SeedScenario(
            title: "Annotate an image with concepts and an embed model version",
            source:
                "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: Add Annotations / Annotate Images With Concepts; "
                + "003_bb9bdfad49573b04.txt: Label an images with concepts",
            method: "PostAnnotations",
            request: {
                var annotation = Annotation()
                annotation.inputID = "{YOUR_INPUT_ID}"
                annotation.data = data(concepts: [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)])
                annotation.embedModelVersionID = "{EMBED_MODEL_VERSION_ID}"
                return post([annotation])
            }()
        ),
        SeedScenario(
            title: "Annotate new bounding boxes in an image with an embed model version",
            source: "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: Add Annotations / "
                + "Annotate New Bounding Boxes in an Image",
            method: "PostAnnotations",
            request: {
                var first = regionAnnotation(
                    inputID: "{YOUR_INPUT_ID}",
                    box: BoundingBox(topRow: 0, leftCol: 0, bottomRow: 0.5, rightCol: 0.5),
                    concepts: [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)]
                )
                first.embedModelVersionID = "{EMBED_MODEL_VERSION_ID}"
                var second = regionAnnotation(
                    inputID: "{YOUR_INPUT_ID}",
                    box: BoundingBox(topRow: 0.6, leftCol: 0.6, bottomRow: 0.8, rightCol: 0.8),
                    concepts: [Concept(id: "bike", value: 1)]
                )
                second.embedModelVersionID = "{EMBED_MODEL_VERSION_ID}"
                return post([first, second])
            }()
        ),
        SeedScenario(
            title: "Annotate existing regions in an image with an embed model version",
            source: "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: Add Annotations / "
                + "Annotate Existing Regions in an Image",
            method: "PostAnnotations",
            request: {
                var first = existingRegionAnnotation(
                    regionID: "{REGION_ID_1}",
                    concepts: [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)]
                )
                first.embedModelVersionID = "{EMBED_MODEL_VERSION_ID}"
                var second = existingRegionAnnotation(
                    regionID: "{REGION_ID_2}", concepts: [Concept(id: "bike", value: 1)])
                second.embedModelVersionID = "{EMBED_MODEL_VERSION_ID}"
                return post([first, second])
            }()
        ),

        // MARK: - 003 (older page): Add annotations variants with a single annotation

        SeedScenario(
            title: "Label one existing region in an image",
            source: "003_bb9bdfad49573b04.txt: Add Annotations / Label existing regions in an Image",
            method: "PostAnnotations",
            request: {
                var annotation = existingRegionAnnotation(
                    regionID: "{REGION_ID}",
                    concepts: [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)]
                )
                annotation.embedModelVersionID = "{EMBED_MODEL_VERSION_ID}"
                return post([annotation])
            }()
        ),
        SeedScenario(
            title: "Label one new bounding box in an image",
            source: "003_bb9bdfad49573b04.txt: Add Annotations / Label a new bounding box in an Image",
            method: "PostAnnotations",
            request: {
                var annotation = regionAnnotation(
                    inputID: "{YOUR_INPUT_ID}",
                    box: BoundingBox(topRow: 0, leftCol: 0, bottomRow: 0.5, rightCol: 0.5),
                    concepts: [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)]
                )
                annotation.embedModelVersionID = "{EMBED_MODEL_VERSION_ID}"
                return post([annotation])
            }()
        ),

        // MARK: - 001/002 "Annotations": List Annotations (003 shows the same requests)

        SeedScenario(
            title: "List all user created annotations in your app",
            source: "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: List Annotations / "
                + "List All User Created Annotations in Your App; 003_bb9bdfad49573b04.txt: List all labeled annotations in your app",
            method: "ListAnnotations",
            request: list { _ in }
        ),
        SeedScenario(
            title: "List all annotations in your app, including model created ones",
            source:
                "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: List Annotations / List All Annotations in Your App",
            method: "ListAnnotations",
            request: list { $0.listAllAnnotations = true }
        ),
        SeedScenario(
            title: "List user created annotations by input IDs",
            source: "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: List Annotations / "
                + "List User Created Annotations by Input IDs; 003_bb9bdfad49573b04.txt: List labeled annotations by Input IDs",
            method: "ListAnnotations",
            request: list { $0.inputIDs = ["{YOUR_INPUT_ID_1}", "{YOUR_INPUT_ID_2}"] }
        ),
        SeedScenario(
            title: "List annotations by input IDs and annotation IDs",
            source: "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: List Annotations / "
                + "List Annotations by Input IDs and Annotation IDs; "
                + "003_bb9bdfad49573b04.txt: List labeled annotations by input Ids and annotation Ids",
            method: "ListAnnotations",
            request: list {
                $0.inputIDs = ["{YOUR_INPUT_ID_1}", "{YOUR_INPUT_ID_2}"]
                $0.ids = ["{YOUR_ANNOTATION_ID_1}", "{YOUR_ANNOTATION_ID_2}"]
            }
        ),
        SeedScenario(
            title: "List annotations by user IDs",
            source:
                "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: List Annotations / List Annotations by User IDs; "
                + "003_bb9bdfad49573b04.txt: List annotations by user Ids",
            method: "ListAnnotations",
            request: list { $0.userIDs = ["{USER_ID_1}", "{USER_ID_2}"] }
        ),
        SeedScenario(
            title: "List annotations by model version IDs",
            source: "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: List Annotations / "
                + "List Annotations by Model Version IDs; 003_bb9bdfad49573b04.txt: List annotations by model version Ids",
            method: "ListAnnotations",
            request: list { $0.modelVersionIDs = ["{MODEL_VERSION_ID_1}", "{MODEL_VERSION_ID_2}"] }
        ),

        // MARK: - 001/002 "Annotations": Update Annotations (003 shows the same requests)

        SeedScenario(
            title: "Update an annotation with concepts",
            source:
                "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: Update Annotations / Update Annotation With Concepts; "
                + "003_bb9bdfad49573b04.txt: Update annotation with concepts",
            method: "PatchAnnotations",
            request: {
                var annotation = existingAnnotation()
                annotation.data = data(concepts: [Concept(id: "apple", value: 1)])
                return patch("merge", annotation)
            }()
        ),
        SeedScenario(
            title: "Update an annotation with concepts in a region",
            source: "001_b05315c70f55448f.txt: Update Annotations / Update Annotation With Concepts in a Region "
                + "(and the cURL tab of Update Annotation Region Coordinates, a copy of it); "
                + "003_bb9bdfad49573b04.txt: Update annotation with concepts in a region (Java, Node.js, cURL)",
            method: "PatchAnnotations",
            request: {
                var annotation = existingAnnotation()
                annotation.data = data(regions: [region(id: "{REGION_ID}", concepts: [Concept(id: "apple", value: 1)])])
                return patch("merge", annotation)
            }()
        ),
        SeedScenario(
            title: "Update an annotation with concepts in a region (Python sample)",
            source: "002_68cdef820f272dd0.txt: Update Annotations / Update Annotation with Concepts in a Region; "
                + "003_bb9bdfad49573b04.txt: Update annotation with concepts in a region (Python); "
                + "both call `PatcchAnnotations`, meaning PatchAnnotations",
            method: "PatchAnnotations",
            request: {
                var annotation = existingAnnotation()
                annotation.data = data(regions: [region(id: "{REGION_ID}", concepts: [Concept(id: "tree", value: 1)])])
                return patch("merge", annotation)
            }()
        ),
        SeedScenario(
            title: "Update annotation region coordinates",
            source: "002_68cdef820f272dd0.txt: Update Annotations / Update Annotation Region Coordinates "
                + "(calls `PatcchAnnotations`, meaning PatchAnnotations)",
            method: "PatchAnnotations",
            request: {
                // With `overwrite`, the data to keep (the concept) must be sent again.
                var annotation = existingAnnotation()
                annotation.data = data(regions: [
                    region(
                        box: BoundingBox(topRow: 0.5, leftCol: 0.5, bottomRow: 0.8, rightCol: 0.8),
                        concepts: [Concept(id: "bike", value: 1)]
                    )
                ])
                return patch("overwrite", annotation)
            }()
        ),
        SeedScenario(
            title: "Update annotation status",
            source:
                "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: Update Annotations / Update Annotation Status; "
                + "003_bb9bdfad49573b04.txt: Update annotation status (code 24150)",
            method: "PatchAnnotations",
            request: {
                var annotation = existingAnnotation()
                annotation.status = Status(code: .annotationSuccess)  // 24150
                return patch("merge", annotation)
            }()
        ),

        // MARK: - 001/002 "Annotations": Delete Annotations (003 shows the same requests)

        SeedScenario(
            title: "Delete an annotation by input ID and annotation ID",
            source: "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: Delete Annotations / "
                + "Delete Annotation by Input ID and Annotation ID; 003_bb9bdfad49573b04.txt: Delete Annotation By Input Id and Annotation Id",
            method: "DeleteAnnotation",
            request: {
                var request = DeleteAnnotationRequest()
                request.userAppID = userAppID
                request.inputID = "{YOUR_INPUT_ID}"
                request.annotationID = "{YOUR_ANNOTATION_ID}"
                return request
            }()
        ),
        SeedScenario(
            title: "Bulk delete annotations by input IDs and annotation IDs",
            source: "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: Delete Annotations / "
                + "Bulk Delete Annotations by Input IDs and Annotation IDs; "
                + "003_bb9bdfad49573b04.txt: Bulk Delete Annotations By Input Ids and Annotation Ids "
                + "(`annotation_id=`/`annotation_ids:` there mean `ids`)",
            method: "DeleteAnnotations",
            request: {
                var request = DeleteAnnotationsRequest()
                request.userAppID = userAppID
                request.inputIDs = ["{YOUR_INPUT_ID_1}", "{YOUR_INPUT_ID_2}"]
                request.ids = ["{YOUR_ANNOTATION_ID_1}", "{YOUR_ANNOTATION_ID_2}"]
                return request
            }()
        ),
        SeedScenario(
            title: "Bulk delete all annotations by input IDs",
            source: "001_b05315c70f55448f.txt / 002_68cdef820f272dd0.txt: Delete Annotations / "
                + "Bulk Delete All Annotations by Input IDs; 003_bb9bdfad49573b04.txt: Bulk Delete all annotations By Input Ids",
            method: "DeleteAnnotations",
            request: {
                var request = DeleteAnnotationsRequest()
                request.userAppID = userAppID
                request.inputIDs = ["{YOUR_INPUT_ID_1}", "{YOUR_INPUT_ID_2}"]
                return request
            }()
        ),

        // MARK: - 004 "Task Annotations"

        SeedScenario(
            title: "Annotate an input for a task",
            source: "004_38ca1e2d70528638.txt: Task Annotations",
            method: "PostAnnotations",
            request: {
                var annotation = Annotation()
                annotation.inputID = "{{asset_id}}"
                annotation.data = data(concepts: [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)])
                annotation.annotationInfo = ["task_id": "{{task_id}}"]
                return post([annotation])
            }()
        ),
    ]

    // MARK: - Builders shared by the scenarios

    /// The app every request acts on, as the documentation's samples name it.
    public static let userAppID = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")

    private static func post(_ annotations: [Annotation]) -> PostAnnotationsRequest {
        var request = PostAnnotationsRequest()
        request.userAppID = userAppID
        request.annotations = annotations
        return request
    }

    private static func patch(_ action: String, _ annotation: Annotation) -> PatchAnnotationsRequest {
        var request = PatchAnnotationsRequest()
        request.userAppID = userAppID
        request.action = action  // Supported actions: overwrite, merge, remove.
        request.annotations = [annotation]
        return request
    }

    /// A list request for the first page of 10, as every List sample asks (`page=1&per_page=10`).
    private static func list(_ filter: (inout ListAnnotationsRequest) -> Void) -> ListAnnotationsRequest {
        var request = ListAnnotationsRequest()
        request.userAppID = userAppID
        request.page = 1
        request.perPage = 10
        filter(&request)
        return request
    }

    private static func data(concepts: [Concept] = [], regions: [Region] = []) -> ClarifaiData {
        var data = ClarifaiData()
        data.concepts = concepts
        data.regions = regions
        return data
    }

    /// A region with its concepts: an existing one (`id`), a new bounding box, or a new polygon.
    private static func region(
        id: String = "", box: BoundingBox? = nil, polygon: Polygon? = nil, concepts: [Concept]
    ) -> Region {
        var region = Region()
        region.id = id
        if box != nil || polygon != nil {
            var info = RegionInfo()
            info.boundingBox = box
            info.polygon = polygon
            region.regionInfo = info
        }
        region.data = data(concepts: concepts)
        return region
    }

    /// An annotation drawing a new bounding box, labelled with concepts.
    private static func regionAnnotation(inputID: String, box: BoundingBox, concepts: [Concept]) -> Annotation {
        var annotation = Annotation()
        annotation.inputID = inputID
        annotation.data = data(regions: [region(box: box, concepts: concepts)])
        return annotation
    }

    /// An annotation labelling a region a model detected earlier (its id from List Annotations).
    private static func existingRegionAnnotation(regionID: String, concepts: [Concept]) -> Annotation {
        var annotation = Annotation()
        annotation.inputID = "{YOUR_INPUT_ID}"
        annotation.data = data(regions: [region(id: regionID, concepts: concepts)])
        return annotation
    }

    /// The annotation an update changes.
    private static func existingAnnotation() -> Annotation {
        var annotation = Annotation()
        annotation.inputID = "{YOUR_INPUT_ID}"
        annotation.id = "{YOUR_ANNOTATION_ID}"
        return annotation
    }
}

import SeedCatalog
import Testing

@testable import ProtoWire

/// The documented requests of `SeedScenarios.all` (built from the pages in `shared/seeds/`):
/// they survive the wire and JSON codecs, and they are the requests the cURL samples send.
@Suite struct SeedScenarioTests {
    /// The documented requests counted in the seed pages (see `SeedScenarios`' documentation):
    /// 000 Create Annotations: 7 (concepts, multiple concepts, bounding boxes, polygons, existing
    ///     regions, mask, other user_id + status — the last shared with 001/002/003);
    /// 001/002 Annotations: 3 more adds (concepts, bounding boxes, existing regions, each with
    ///     embed_model_version_id), 6 lists, 5 updates (concepts; concepts in a region as the cURL,
    ///     Java and Node.js samples send it ("apple") and as the Python samples do ("tree");
    ///     region coordinates; status), 3 deletes;
    /// 003 older page: 2 more adds (one existing region, one bounding box), the rest as 001/002;
    /// 004 Task Annotations: 1.
    static let documentedRequestCount = 27

    static let titles = SeedScenarios.all.map(\.title)

    static func scenario(_ title: String) throws -> SeedScenario {
        try #require(SeedScenarios.all.first { $0.title == title }, "no scenario titled \(title)")
    }

    // MARK: (1) every request encodes and decodes back to an equal message

    @Test(arguments: titles)
    func wireRoundTrip(title: String) throws {
        try Self.expectWireRoundTrip(try Self.scenario(title).request)
    }

    @Test(arguments: titles)
    func jsonRoundTrip(title: String) throws {
        try Self.expectJSONRoundTrip(try Self.scenario(title).request)
    }

    static func expectWireRoundTrip<M: ProtoMessage>(_ request: M) throws {
        let bytes = request.serializedBytes()
        #expect(!bytes.isEmpty)
        let decoded = try M(serializedBytes: bytes)
        #expect(decoded == request)
        #expect(decoded.serializedBytes() == bytes)
    }

    static func expectJSONRoundTrip<M: ProtoMessage>(_ request: M) throws {
        let json = request.jsonString()
        let decoded = try M(jsonString: json)
        #expect(decoded == request, "\(json)")
        #expect(decoded.jsonString() == json)
    }

    // MARK: (3) titles are unique, every documented request is there

    @Test func titlesAreUniqueAndEveryDocumentedRequestIsThere() {
        #expect(Set(Self.titles).count == Self.titles.count)
        #expect(SeedScenarios.all.count == Self.documentedRequestCount)
    }

    @Test(arguments: titles)
    func methodMatchesRequestTypeAndSourceNamesASeedPage(title: String) throws {
        let scenario = try Self.scenario(title)
        let expectedType: any ProtoMessage.Type =
            switch scenario.method {
            case "PostAnnotations": PostAnnotationsRequest.self
            case "ListAnnotations": ListAnnotationsRequest.self
            case "GetAnnotation": GetAnnotationRequest.self
            case "PatchAnnotations": PatchAnnotationsRequest.self
            case "DeleteAnnotation": DeleteAnnotationRequest.self
            case "DeleteAnnotations": DeleteAnnotationsRequest.self
            default: Status.self  // an unknown method: fails below
            }
        #expect(ObjectIdentifier(type(of: scenario.request)) == ObjectIdentifier(expectedType), "\(scenario.method)")
        #expect(scenario.source.contains(".txt: "))
        // Every documented sample acts on the app named by the placeholders.
        let scoped = try #require(scenario.request as? any UserAppScoped)
        #expect(scoped.userAppID == SeedScenarios.userAppID)
    }

    // MARK: (2) the cURL samples of 001_b05315c70f55448f.txt send the same requests

    struct CurlBodyCase: Sendable, CustomTestStringConvertible {
        let section: String
        let verb: String
        let scenarioTitle: String
        let body: String
        var testDescription: String { section }
    }

    static let curlBodyCases: [CurlBodyCase] = [
        CurlBodyCase(
            section: "Annotate Images With Concepts", verb: "POST",
            scenarioTitle: "Annotate an image with concepts and an embed model version",
            body: Curl001.annotateImagesWithConcepts
        ),
        CurlBodyCase(
            section: "Annotate New Bounding Boxes in an Image", verb: "POST",
            scenarioTitle: "Annotate new bounding boxes in an image with an embed model version",
            body: Curl001.annotateNewBoundingBoxes
        ),
        CurlBodyCase(
            section: "Annotate Existing Regions in an Image", verb: "POST",
            scenarioTitle: "Annotate existing regions in an image with an embed model version",
            body: Curl001.annotateExistingRegions
        ),
        CurlBodyCase(
            section: "Annotate Images With Different `user_id` and `status`", verb: "POST",
            scenarioTitle: "Annotate an image with a different user_id and status",
            body: Curl001.annotateWithUserIDAndStatus
        ),
        CurlBodyCase(
            section: "Update Annotation With Concepts", verb: "PATCH",
            scenarioTitle: "Update an annotation with concepts",
            body: Curl001.updateAnnotationWithConcepts
        ),
        CurlBodyCase(
            section: "Update Annotation With Concepts in a Region", verb: "PATCH",
            scenarioTitle: "Update an annotation with concepts in a region",
            body: Curl001.updateAnnotationWithConceptsInRegion
        ),
        // The page's cURL tab for "Update Annotation Region Coordinates" is a copy of the one for
        // "Update Annotation With Concepts in a Region" (merge, no bounding box); the Python
        // sample (002) is the real region-coordinates request (overwrite, new box).
        CurlBodyCase(
            section: "Update Annotation Region Coordinates", verb: "PATCH",
            scenarioTitle: "Update an annotation with concepts in a region",
            body: Curl001.updateAnnotationRegionCoordinates
        ),
        CurlBodyCase(
            section: "Update Annotation Status", verb: "PATCH",
            scenarioTitle: "Update annotation status",
            body: Curl001.updateAnnotationStatus
        ),
        CurlBodyCase(
            section: "Bulk Delete Annotations by Input IDs and Annotation IDs", verb: "DELETE",
            scenarioTitle: "Bulk delete annotations by input IDs and annotation IDs",
            body: Curl001.bulkDeleteByInputIDsAndAnnotationIDs
        ),
        CurlBodyCase(
            section: "Bulk Delete All Annotations by Input IDs", verb: "DELETE",
            scenarioTitle: "Bulk delete all annotations by input IDs",
            body: Curl001.bulkDeleteAllByInputIDs
        ),
    ]

    /// What `curl -X VERB https://api.clarifai.com/v2/annotations` with a body calls.
    static let methodForBodyVerb = [
        "POST": "PostAnnotations", "PATCH": "PatchAnnotations", "DELETE": "DeleteAnnotations",
    ]

    @Test(arguments: curlBodyCases)
    func curlBodyIsTheScenarioRequest(_ curl: CurlBodyCase) throws {
        let scenario = try Self.scenario(curl.scenarioTitle)
        #expect(scenario.method == Self.methodForBodyVerb[curl.verb])
        try Self.expectSameRequest(scenario.request, json: curl.body, userAppFromURL: true)
    }

    /// Decodes `json` as the request's own type and compares: as messages, and as JSON values
    /// (`JSONValue`, members compared without regard to order).
    static func expectSameRequest<M: ProtoMessage>(_ request: M, json: String, userAppFromURL: Bool) throws {
        var fromDocs = try M(jsonString: json)
        if userAppFromURL {
            // cURL names the user and app in the URL (or through the key), not in the body.
            #expect((fromDocs as? any UserAppScoped)?.userAppID == nil)
            var scoped = try #require(fromDocs as? any UserAppScoped)
            scoped.userAppID = SeedScenarios.userAppID
            fromDocs = try #require(scoped as? M)
        }
        #expect(fromDocs == request)
        let built = try JSONValue.parse(Array(request.jsonString().utf8))
        let documented = try JSONValue.parse(Array(fromDocs.jsonString().utf8))
        #expect(Self.sameJSON(built, documented), "\(request.jsonString())\n\(fromDocs.jsonString())")
    }

    /// JSON equality where object members may come in any order and numbers compare by value.
    static func sameJSON(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y || (Double(x) != nil && Double(x) == Double(y))
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameJSON($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            return x.allSatisfy { member in
                y.contains { $0.key == member.key && sameJSON($0.value, member.value) }
            }
        default: return false
        }
    }

    // MARK: (2) GET and DELETE cURL samples of 001 without a body: query and path parameters

    struct CurlQueryCase: Sendable, CustomTestStringConvertible {
        let section: String
        let scenarioTitle: String
        /// The URL of the `curl -X GET` sample, verbatim.
        let url: String
        /// False where the sample's id placeholders do not spell the ids out (`input_ids=your_input_Id`
        /// for the two input ids of the gRPC samples): then only which filters are set is compared.
        var idsSpelledOut = true
        var testDescription: String { section }
    }

    // 001_b05315c70f55448f.txt, "## List Annotations", the cURL tab of each section, verbatim.
    static let curlQueryCases: [CurlQueryCase] = [
        CurlQueryCase(
            section: "List All User Created Annotations in Your App",
            scenarioTitle: "List all user created annotations in your app",
            url: "https://api.clarifai.com/v2/annotations?page=1&per_page=10"
        ),
        CurlQueryCase(
            section: "List All Annotations in Your App",
            scenarioTitle: "List all annotations in your app, including model created ones",
            url: "https://api.clarifai.com/v2/annotations?page=1&per_page=10&list_all_annotations=true"
        ),
        CurlQueryCase(
            section: "List User Created Annotations by Input IDs",
            scenarioTitle: "List user created annotations by input IDs",
            url: "https://api.clarifai.com/v2/annotations?page=1&per_page=10&input_ids=your_input_Id",
            idsSpelledOut: false
        ),
        CurlQueryCase(
            section: "List Annotations by Input IDs and Annotation IDs",
            scenarioTitle: "List annotations by input IDs and annotation IDs",
            url:
                "https://api.clarifai.com/v2/annotations?page=1&per_page=10&input_ids=YOUR_INPUT_ID_1&input_ids=YOUR_INPUT_ID_2&ids=YOUR_ANNOTATION_ID_1&ids=YOUR_ANNOTATION_ID_2"
        ),
        CurlQueryCase(
            section: "List Annotations by User IDs",
            scenarioTitle: "List annotations by user IDs",
            url: "https://api.clarifai.com/v2/annotations?page=1&per_page=10&user_ids=USER_ID_1&user_ids=USER_ID_2"
        ),
        CurlQueryCase(
            section: "List Annotations by Model Version IDs",
            scenarioTitle: "List annotations by model version IDs",
            url:
                "https://api.clarifai.com/v2/annotations?page=1&per_page=10&model_version_ids=MODEL_VERSION_ID_1&model_version_ids=MODEL_VERSION_ID_2"
        ),
    ]

    @Test(arguments: curlQueryCases)
    func curlQueryIsTheScenarioRequest(_ curl: CurlQueryCase) throws {
        let scenario = try Self.scenario(curl.scenarioTitle)
        #expect(scenario.method == "ListAnnotations")
        let request = try #require(scenario.request as? ListAnnotationsRequest)
        let parts = curl.url.split(separator: "?", maxSplits: 1)
        #expect(parts.first == "https://api.clarifai.com/v2/annotations")
        var query: [String: [String]] = [:]
        for pair in (parts.count > 1 ? parts[1] : "").split(separator: "&") {
            let keyValue = pair.split(separator: "=", maxSplits: 1).map(String.init)
            query[keyValue[0], default: []].append(keyValue.count > 1 ? keyValue[1] : "")
        }
        let known: Set = [
            "page", "per_page", "list_all_annotations", "ids", "input_ids", "user_ids", "model_version_ids",
        ]
        #expect(Set(query.keys).isSubset(of: known), "\(query.keys)")

        #expect(query["page"] == [String(request.page)])
        #expect(query["per_page"] == [String(request.perPage)])
        #expect(query["list_all_annotations"] == (request.listAllAnnotations ? ["true"] : nil))
        // In URLs the placeholders drop their braces: `{USER_ID_1}` is written `USER_ID_1`.
        let repeated: [(String, [String])] = [
            ("ids", request.ids), ("input_ids", request.inputIDs),
            ("user_ids", request.userIDs), ("model_version_ids", request.modelVersionIDs),
        ]
        for (key, values) in repeated {
            if curl.idsSpelledOut {
                let unbraced = values.map { $0.filter { $0 != "{" && $0 != "}" } }
                #expect((query[key] ?? []) == unbraced, "\(key)")
            } else {
                #expect((query[key] != nil) == !values.isEmpty, "\(key)")
            }
        }
        // Nothing else is set.
        #expect(request.statuses.isEmpty && request.taskID.isEmpty && !request.returnModelOutput)
        #expect(request.workflowVersionIDs.isEmpty && request.unknownFields.isEmpty)
    }

    /// 001_b05315c70f55448f.txt, "### Delete Annotation by Input ID and Annotation ID", cURL tab:
    /// `curl -X DELETE … https://api.clarifai.com/v2/inputs/{YOUR_INPUT_ID}/annotations/{YOUR_ANNOTATION_ID}`.
    @Test func curlDeletePathIsTheScenarioRequest() throws {
        let url = "https://api.clarifai.com/v2/inputs/{YOUR_INPUT_ID}/annotations/{YOUR_ANNOTATION_ID}"
        let scenario = try Self.scenario("Delete an annotation by input ID and annotation ID")
        #expect(scenario.method == "DeleteAnnotation")
        let request = try #require(scenario.request as? DeleteAnnotationRequest)
        let path = url.split(separator: "/").map(String.init)
        #expect(Array(path.suffix(5)) == ["v2", "inputs", request.inputID, "annotations", request.annotationID])
        #expect(request.inputID == "{YOUR_INPUT_ID}")
        #expect(request.annotationID == "{YOUR_ANNOTATION_ID}")
    }

    // MARK: Other documented JSON: 003's raw status codes, 004's request body

    /// 003_bb9bdfad49573b04.txt, gRPC NodeJS tabs: the statuses as raw codes, `code: 24151`
    /// ("Label an images with other user id and status") and `code: 24150` ("Update annotation
    /// status"), written here as JSON.
    @Test func rawStatusCodesOf003AreTheNamedOnes() throws {
        try Self.expectSameRequest(
            try Self.scenario("Annotate an image with a different user_id and status").request,
            json:
                #"{"annotations": [{"input_id": "{YOUR_INPUT_ID}", "user_id": "{USER_ID}", "status": {"code": 24151}}]}"#,
            userAppFromURL: true
        )
        try Self.expectSameRequest(
            try Self.scenario("Update annotation status").request,
            json:
                #"{"action": "merge", "annotations": [{"input_id": "{YOUR_INPUT_ID}", "id": "{YOUR_ANNOTATION_ID}", "status": {"code": 24150}}]}"#,
            userAppFromURL: true
        )
        #expect(StatusCode.annotationPending.rawValue == 24151)
        #expect(StatusCode.annotationSuccess.rawValue == 24150)
    }

    /// 004_38ca1e2d70528638.txt, the JavaScript (REST) sample's `raw` body, verbatim; unlike
    /// the cURL samples it names the user and app in the body.
    static let taskAnnotationBody004 = #"""
        {
        	"user_app_id": {
        		"user_id": "{YOUR_USER_ID}",
        		"app_id": "{YOUR_APP_ID}"
        	},
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
        }
        """#

    @Test func taskAnnotationBodyOf004IsTheScenarioRequest() throws {
        try Self.expectSameRequest(
            try Self.scenario("Annotate an input for a task").request,
            json: Self.taskAnnotationBody004,
            userAppFromURL: false
        )
    }

    @Test func maskScenarioCarriesTheImageBytes() throws {
        let request = try #require(
            try Self.scenario("Annotate an image with a mask").request as? PostAnnotationsRequest)
        let mask = try #require(request.annotations.first?.data?.regions.first?.regionInfo?.mask)
        #expect(mask.image?.base64 == SeedScenarios.maskImageBytes)
        #expect(SeedScenarios.maskImageBytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }
}

/// The request messages that name the user and app they act on.
protocol UserAppScoped {
    var userAppID: UserAppIDSet? { get set }
}

extension PostAnnotationsRequest: UserAppScoped {}
extension ListAnnotationsRequest: UserAppScoped {}
extension GetAnnotationRequest: UserAppScoped {}
extension PatchAnnotationsRequest: UserAppScoped {}
extension DeleteAnnotationRequest: UserAppScoped {}
extension DeleteAnnotationsRequest: UserAppScoped {}

/// The cURL samples of 001_b05315c70f55448f.txt that send a JSON body (`-d '…'`), verbatim
/// (the text between `-d '` and `'\`, without its leading newline).
enum Curl001 {
    /// 001_b05315c70f55448f.txt, "### Annotate Images With Concepts", cURL tab (`curl -X POST`, the ```bash block at line 134).
    static let annotateImagesWithConcepts = #"""
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
        }
        """#

    /// 001_b05315c70f55448f.txt, "### Annotate New Bounding Boxes in an Image", cURL tab (`curl -X POST`, the ```bash block at line 193).
    static let annotateNewBoundingBoxes = #"""
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
        }
        """#

    /// 001_b05315c70f55448f.txt, "### Annotate Existing Regions in an Image", cURL tab (`curl -X POST`, the ```bash block at line 322).
    static let annotateExistingRegions = #"""
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
        }
        """#

    /// 001_b05315c70f55448f.txt, "### Annotate Images With Different `user_id` and `status`", cURL tab (`curl -X POST`, the ```bash block at line 417).
    static let annotateWithUserIDAndStatus = #"""
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
        }
        """#

    /// 001_b05315c70f55448f.txt, "### Update Annotation With Concepts", cURL tab (`curl -X PATCH`, the ```bash block at line 719).
    static let updateAnnotationWithConcepts = #"""
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
        }
        """#

    /// 001_b05315c70f55448f.txt, "### Update Annotation With Concepts in a Region", cURL tab (`curl -X PATCH`, the ```bash block at line 777).
    static let updateAnnotationWithConceptsInRegion = #"""
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
        }
        """#

    /// 001_b05315c70f55448f.txt, "### Update Annotation Region Coordinates", cURL tab (`curl -X PATCH`, the ```bash block at line 842).
    static let updateAnnotationRegionCoordinates = #"""
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
        }
        """#

    /// 001_b05315c70f55448f.txt, "### Update Annotation Status", cURL tab (`curl -X PATCH`, the ```bash block at line 905).
    static let updateAnnotationStatus = #"""
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
        }
        """#

    /// 001_b05315c70f55448f.txt, "### Bulk Delete Annotations by Input IDs and Annotation IDs", cURL tab (`curl -X DELETE`, the ```bash block at line 993).
    static let bulkDeleteByInputIDsAndAnnotationIDs = #"""
          {
            "input_ids":["{YOUR_INPUT_ID_1}","{YOUR_INPUT_ID_2}"],
            "ids":["{YOUR_ANNOTATION_ID_1}", "{YOUR_ANNOTATION_ID_2}"]
          }
        """#

    /// 001_b05315c70f55448f.txt, "### Bulk Delete All Annotations by Input IDs", cURL tab (`curl -X DELETE`, the ```bash block at line 1035).
    static let bulkDeleteAllByInputIDs = #"""
          {
            "input_ids":["{YOUR_INPUT_ID_1}","{YOUR_INPUT_ID_2}"]
          }
        """#
}

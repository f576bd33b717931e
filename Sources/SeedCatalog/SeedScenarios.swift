import ProtoWire

/// Every documented request, in the order the documentation presents them.
public enum SeedScenarios {
    public static let all: [SeedScenario] = [
        SeedScenario(
            title: "Annotate an image with concepts",
            source: "001_b05315c70f55448f.txt: Add Annotations / Annotate Images With Concepts",
            method: "PostAnnotations",
            request: {
                var annotation = Annotation()
                annotation.inputID = "{YOUR_INPUT_ID}"
                var data = ClarifaiData()
                data.concepts = [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)]
                annotation.data = data
                var request = PostAnnotationsRequest()
                request.userAppID = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")
                request.annotations = [annotation]
                return request
            }()
        ),
    ]
}

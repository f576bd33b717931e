import ProtoWire
import Testing

@testable import AnnotationsEmulator

/// Shared helpers of the emulator's semantic tests.
enum Fixture {
    static let auth = Authorization.key("test-key")
    static let app = UserAppIDSet(userID: "owner", appID: "main")

    static func annotation(
        input: String, id: String = "", concepts: [(String, Float)] = [], regions: [Region] = []
    ) -> Annotation {
        var annotation = Annotation()
        annotation.inputID = input
        annotation.id = id
        if !concepts.isEmpty || !regions.isEmpty {
            var data = ClarifaiData()
            data.concepts = concepts.map { Concept(id: $0.0, value: $0.1) }
            data.regions = regions
            annotation.data = data
        }
        return annotation
    }

    static func region(
        id: String = "", box: BoundingBox? = nil, concepts: [(String, Float)] = []
    ) -> Region {
        var region = Region()
        region.id = id
        if let box {
            var info = RegionInfo()
            info.boundingBox = box
            region.regionInfo = info
        }
        if !concepts.isEmpty {
            var data = ClarifaiData()
            data.concepts = concepts.map { Concept(id: $0.0, value: $0.1) }
            region.data = data
        }
        return region
    }

    static func post(_ annotations: [Annotation], app: UserAppIDSet? = Fixture.app) -> PostAnnotationsRequest {
        var request = PostAnnotationsRequest()
        request.userAppID = app
        request.annotations = annotations
        return request
    }

    static func patch(
        _ action: String, _ annotations: [Annotation], app: UserAppIDSet? = Fixture.app, deleteIfEmpty: Bool = false
    ) -> PatchAnnotationsRequest {
        var request = PatchAnnotationsRequest()
        request.userAppID = app
        request.action = action
        request.annotations = annotations
        request.deleteIfEmptyData = deleteIfEmpty
        return request
    }

    static func list(app: UserAppIDSet? = Fixture.app, _ configure: (inout ListAnnotationsRequest) -> Void = { _ in })
        -> ListAnnotationsRequest
    {
        var request = ListAnnotationsRequest()
        request.userAppID = app
        configure(&request)
        return request
    }

    static func isHex32(_ text: String) -> Bool {
        text.count == 32 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}

extension AnnotationStore {
    /// Posts and expects SUCCESS; returns the stored annotations.
    @discardableResult
    func mustPost(
        _ annotations: [Annotation], app: UserAppIDSet? = Fixture.app, sourceLocation: SourceLocation = #_sourceLocation
    ) -> [Annotation] {
        let response = post(Fixture.post(annotations, app: app), auth: Fixture.auth)
        #expect(
            response.status?.code == .success, "\(response.status?.description ?? "no status")",
            sourceLocation: sourceLocation)
        return response.annotations
    }

    /// The ids one list call returns (expects SUCCESS).
    func listIDs(
        app: UserAppIDSet? = Fixture.app, sourceLocation: SourceLocation = #_sourceLocation,
        _ configure: (inout ListAnnotationsRequest) -> Void = { _ in }
    ) -> [String] {
        let response = list(Fixture.list(app: app, configure), auth: Fixture.auth)
        #expect(
            response.status?.code == .success, "\(response.status?.description ?? "no status")",
            sourceLocation: sourceLocation)
        return response.annotations.map(\.id)
    }

    func stored(_ id: String, input: String, app: UserAppIDSet = Fixture.app) -> Annotation? {
        var request = GetAnnotationRequest()
        request.userAppID = app
        request.annotationID = id
        request.inputID = input
        return get(request, auth: Fixture.auth).annotation
    }
}

/// Expects a failure status with a code, a description, and a req_id.
func expectFailure(
    _ status: Status?, _ code: StatusCode, mentioning words: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        status?.code == code, "got \(status?.code.description ?? "no status"): \(status?.description ?? "")",
        sourceLocation: sourceLocation)
    #expect(status?.description.isEmpty == false, "a failure says what was wrong", sourceLocation: sourceLocation)
    #expect(status?.reqID.isEmpty == false, sourceLocation: sourceLocation)
    for word in words {
        let text = (status?.description ?? "") + " " + (status?.details ?? "")
        #expect(text.contains(word), "\"\(text)\" should mention \(word)", sourceLocation: sourceLocation)
    }
}

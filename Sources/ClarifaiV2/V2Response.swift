import ProtoWire

/// The responses of the V2 methods: each carries a Clarifai `status`, and some the annotations
/// it concerns (for MIXED_STATUS, each with its own status).
///
/// ```swift
/// let response = try MultiAnnotationResponse(serializedBytes: bytes)
/// if response.status?.code != .success { print(response.items.map(\.status)) }
/// ```
public protocol V2Response: ProtoMessage {
    /// The call's Clarifai status (`code`, `description`, `details`, `req_id`); SUCCESS (10000) when
    /// it worked. nil only in a response that carried none.
    var status: Status? { get set }
    /// The annotations the status concerns, in request order; empty for most responses.
    var items: [Annotation] { get }
}

extension V2Response {
    public var items: [Annotation] { [] }

    /// A response carrying only `status`: how a call is refused.
    public init(status: Status) {
        self.init()
        self.status = status
    }
}

extension MultiAnnotationResponse: V2Response {
    public var items: [Annotation] { annotations }
}

extension SingleAnnotationResponse: V2Response {
    public var items: [Annotation] { annotation.map { [$0] } ?? [] }
}

extension BaseResponse: V2Response {}

extension SingleStreamAnnotationResponse: V2Response {
    public var items: [Annotation] { annotation.map { [$0] } ?? [] }
}

extension PatchAnnotationsStatusResponse: V2Response {}
extension SingleTaskCountResponse: V2Response {}
extension MultiWorkerResponse: V2Response {}

import ProtoWire

/// Requests of an app: they carry `user_app_id`, which REST puts in the path when both ids are
/// known.
public protocol AppScopedRequest: ProtoMessage {
    /// The user and app the request is about; nil to let the key imply them (an app key).
    var userAppID: UserAppIDSet? { get set }
}

extension PostAnnotationsRequest: AppScopedRequest {}
extension ListAnnotationsRequest: AppScopedRequest {}
extension GetAnnotationRequest: AppScopedRequest {}
extension PatchAnnotationsRequest: AppScopedRequest {}
extension DeleteAnnotationRequest: AppScopedRequest {}
extension DeleteAnnotationsRequest: AppScopedRequest {}
extension StreamAnnotationsRequest: AppScopedRequest {}
extension PatchAnnotationsStatusRequest: AppScopedRequest {}
extension GetTaskCountRequest: AppScopedRequest {}
extension ListAnnotationWorkersRequest: AppScopedRequest {}

/// A string field of a request that a REST path or query names by its `.proto` path
/// (`input_id`, `user_app_id.user_id`): how it is read, and how it is set (to "" to clear it).
public struct RequestField<Request: ProtoMessage>: Sendable {
    /// The field's `.proto` path, as path variables and query keys name it (`user_app_id.app_id`).
    public let name: String
    let get: @Sendable (Request) -> String
    let set: @Sendable (inout Request, String) -> Void

    /// A field read by `get` and written by `set`: for a field inside an optional message
    /// (`user_app_id.user_id`), which no key path reaches.
    public init(
        _ name: String, get: @escaping @Sendable (Request) -> String,
        set: @escaping @Sendable (inout Request, String) -> Void
    ) {
        self.name = name
        self.get = get
        self.set = set
    }

    /// A field held directly by the request.
    ///
    /// ```swift
    /// RequestField<GetAnnotationRequest>("input_id", \.inputID)
    /// ```
    public init(_ name: String, _ field: WritableKeyPath<Request, String> & Sendable) {
        self.init(name, get: { $0[keyPath: field] }, set: { $0[keyPath: field] = $1 })
    }
}

extension RequestField where Request: AppScopedRequest {
    /// `user_app_id.user_id`: clearing both ids removes `user_app_id`, so that it leaves the
    /// body or query once the path holds it.
    public static var userID: RequestField {
        RequestField(
            "user_app_id.user_id", get: { $0.userAppID?.userID ?? "" },
            set: { request, value in
                var ids = request.userAppID ?? UserAppIDSet()
                ids.userID = value
                request.userAppID = ids.userID.isEmpty && ids.appID.isEmpty && ids.unknownFields.isEmpty ? nil : ids
            })
    }

    /// `user_app_id.app_id`.
    public static var appID: RequestField {
        RequestField(
            "user_app_id.app_id", get: { $0.userAppID?.appID ?? "" },
            set: { request, value in
                var ids = request.userAppID ?? UserAppIDSet()
                ids.appID = value
                request.userAppID = ids.userID.isEmpty && ids.appID.isEmpty && ids.unknownFields.isEmpty ? nil : ids
            })
    }
}

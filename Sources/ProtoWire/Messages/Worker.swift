/// `clarifai.api.Worker`: the author of an annotation, a user, a model or a workflow.
///
/// ```swift
/// let byUser = Worker(.user(User(id: "{YOUR_USER_ID}")))
/// switch byUser.worker {
/// case .user(let user)?: print("by", user.id)
/// case .model(let model)?: print("by model", model.id)
/// case .workflow(let workflow)?: print("by workflow", workflow.id)
/// case nil: print("unknown author")
/// }
/// ```
public struct Worker: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Worker"
    public static let fieldNames = FieldNames([1: "user", 2: "model", 3: "workflow"])

    /// The `worker` oneof.
    public enum Kind: Sendable, Equatable {
        /// A person annotated.
        case user(User)  // User user = 1;
        /// A model annotated (auto-annotation); the model names the version.
        case model(Model)  // Model model = 2;
        /// A workflow annotated; the workflow names the version.
        case workflow(Workflow)  // Workflow workflow = 3;
    }

    /// nil when no member of the oneof is set. A member is written even when it is empty.
    public var worker: Kind?
    /// Fields of `clarifai.api.Worker` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// A worker of this kind.
    public init(_ worker: Kind) {
        self.worker = worker
    }

    /// The user, when a user is the worker; setting it makes the user the worker.
    public var user: User? {
        get { if case .user(let user)? = worker { user } else { nil } }
        set { if let newValue { worker = .user(newValue) } else if user != nil { worker = nil } }
    }

    /// The model, when a model is the worker; setting it makes the model the worker.
    public var model: Model? {
        get { if case .model(let model)? = worker { model } else { nil } }
        set { if let newValue { worker = .model(newValue) } else if model != nil { worker = nil } }
    }

    /// The workflow, when a workflow is the worker; setting it makes the workflow the worker.
    public var workflow: Workflow? {
        get { if case .workflow(let workflow)? = worker { workflow } else { nil } }
        set { if let newValue { worker = .workflow(newValue) } else if workflow != nil { worker = nil } }
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        // A member that arrives again merges into the first; another member replaces it, as
        // protobuf requires of oneofs.
        switch tag.number {
        case 1:
            var value = user
            try reader.readMessage(tag, into: &value)
            worker = value.map(Kind.user)
        case 2:
            var value = model
            try reader.readMessage(tag, into: &value)
            worker = value.map(Kind.model)
        case 3:
            var value = workflow
            try reader.readMessage(tag, into: &value)
            worker = value.map(Kind.workflow)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        switch worker {
        case nil: break
        case .user(let user): writer.writeMessage(1, user)
        case .model(let model): writer.writeMessage(2, model)
        case .workflow(let workflow): writer.writeMessage(3, workflow)
        }
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        switch worker {
        case nil: break
        case .user(let user): writer.message("user", user)
        case .model(let model): writer.message("model", model)
        case .workflow(let workflow): writer.message("workflow", workflow)
        }
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        // proto3 JSON: at most one member of a oneof per object.
        let current: Int? =
            switch worker {
            case nil: nil
            case .user: 1
            case .model: 2
            case .workflow: 3
            }
        if let current, current != number {
            throw JSONError(.expected("only one of user, model and workflow (oneof worker)"))
        }
        switch number {
        case 1:
            var member = user
            try value.protoMessage(into: &member)
            worker = member.map(Kind.user)
        case 2:
            var member = model
            try value.protoMessage(into: &member)
            worker = member.map(Kind.model)
        default:
            var member = workflow
            try value.protoMessage(into: &member)
            worker = member.map(Kind.workflow)
        }
    }
}

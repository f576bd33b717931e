/// `google.protobuf.ServiceDescriptorProto`: a service (`clarifai.api.V2`) and its methods.
///
/// ```swift
/// let v2 = set.files.flatMap(\.service).first { $0.name == "V2" }
/// print(v2?.method.first?.options?.http?.path ?? "")  // /v2/users/{user_app_id.user_id}/…
/// ```
public struct ServiceDescriptorProto: DescriptorMessage {
    static let shortName = "ServiceDescriptorProto"
    /// The service's name, unqualified (`V2`).
    public var name = ""  // optional string name = 1;
    /// The service's methods, in declaration order.
    public var method: [MethodDescriptorProto] = []  // repeated MethodDescriptorProto method = 2;
    /// Options (3), as they arrived.
    public var unknownFields: [UInt8] = []

    /// An empty descriptor.
    public init() {}

    static func fieldName(_ number: Int) -> String? { [1: "name", 2: "method"][number] }

    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: name = try reader.readString(tag)
        case 2: try reader.readDescriptor(tag, appendingTo: &method)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }
}

/// `google.protobuf.MethodDescriptorProto`: one RPC.
public struct MethodDescriptorProto: DescriptorMessage {
    static let shortName = "MethodDescriptorProto"
    static let names: [Int: String] = [
        1: "name", 2: "input_type", 3: "output_type", 4: "options", 5: "client_streaming", 6: "server_streaming",
    ]

    /// The method's name, e.g. `PostAnnotations`.
    public var name = ""  // optional string name = 1;
    /// The request type, fully qualified with a leading dot (`.clarifai.api.PostAnnotationsRequest`).
    public var inputType = ""  // optional string input_type = 2;
    /// The response type, fully qualified with a leading dot (`.clarifai.api.MultiAnnotationResponse`).
    public var outputType = ""  // optional string output_type = 3;
    /// The method's options (deprecation, REST binding); nil when the descriptor carries none.
    public var options: MethodOptions?  // optional MethodOptions options = 4;
    /// Whether the client sends a stream of requests.
    public var clientStreaming = false  // optional bool client_streaming = 5;
    /// Whether the server answers with a stream of responses (`StreamAnnotations`).
    public var serverStreaming = false  // optional bool server_streaming = 6;
    /// Fields of `google.protobuf.MethodDescriptorProto` this package does not read, as their wire bytes.
    public var unknownFields: [UInt8] = []

    /// An empty descriptor.
    public init() {}

    static func fieldName(_ number: Int) -> String? { names[number] }

    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: name = try reader.readString(tag)
        case 2: inputType = try reader.readString(tag)
        case 3: outputType = try reader.readString(tag)
        case 4: try reader.readDescriptor(tag, into: &options)
        case 5: clientStreaming = try reader.readBool(tag)
        case 6: serverStreaming = try reader.readBool(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }
}

/// `google.protobuf.MethodOptions` with the `google.api.http` extension (REST binding).
public struct MethodOptions: DescriptorMessage {
    static let shortName = "MethodOptions"
    /// The method is declared `option deprecated = true`.
    public var deprecated = false  // optional bool deprecated = 33;
    /// The method's REST binding (`google.api.http`); nil for a method without one.
    public var http: HTTPBinding?  // extend MethodOptions { HttpRule http = 72295728; } (google/api/annotations.proto)
    /// Fields of `google.protobuf.MethodOptions` this package does not read, as their wire bytes.
    public var unknownFields: [UInt8] = []

    /// Options with every field at its default.
    public init() {}

    static func fieldName(_ number: Int) -> String? { [33: "deprecated", 72_295_728: "google.api.http"][number] }

    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 33: deprecated = try reader.readBool(tag)
        case 72_295_728: try reader.readDescriptor(tag, into: &http)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }
}

/// `google.api.HttpRule`: a method's REST verb, path template and body, and further bindings.
public struct HTTPBinding: DescriptorMessage {
    static let shortName = "HttpRule"
    static let names: [Int: String] = [
        1: "selector", 2: "get", 3: "put", 4: "post", 5: "delete", 6: "patch", 7: "body", 8: "custom",
        11: "additional_bindings", 12: "response_body",
    ]

    /// `GET`, `PUT`, `POST`, `DELETE`, `PATCH` or a custom verb; empty when none is set.
    public var verb = ""
    /// The path template of the verb set (`oneof pattern`: get = 2 … patch = 6, custom = 8).
    public var path = ""
    /// The request field sent as the HTTP body: `*` for the whole request, empty for none (GET, DELETE).
    public var body = ""  // string body = 7;
    /// Further REST bindings of the same method (other paths), each with its verb, path and body.
    public var additionalBindings: [HTTPBinding] = []  // repeated HttpRule additional_bindings = 11;
    /// Fields of `google.api.HttpRule` this package does not read, as their wire bytes.
    public var unknownFields: [UInt8] = []

    /// An empty binding.
    public init() {}

    static func fieldName(_ number: Int) -> String? { names[number] }

    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 2...6:
            verb = ["GET", "PUT", "POST", "DELETE", "PATCH"][tag.number - 2]
            path = try reader.readString(tag)
        case 7: body = try reader.readString(tag)
        case 8:
            var custom: CustomPattern?
            try reader.readDescriptor(tag, into: &custom)
            verb = custom?.kind ?? ""
            path = custom?.path ?? ""
        case 11: try reader.readDescriptor(tag, appendingTo: &additionalBindings)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    /// `google.api.CustomHttpPattern`.
    struct CustomPattern: DescriptorMessage {
        static let shortName = "CustomHttpPattern"
        var kind = ""  // string kind = 1;
        var path = ""  // string path = 2;
        var unknownFields: [UInt8] = []

        static func fieldName(_ number: Int) -> String? { [1: "kind", 2: "path"][number] }

        mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
            switch tag.number {
            case 1: kind = try reader.readString(tag)
            case 2: path = try reader.readString(tag)
            default: try reader.skipField(tag, appendingTo: &unknownFields)
            }
        }
    }
}

/// A gRPC call that did not end with status OK: the server's status, or a transport
/// failure mapped to the code gRPC prescribes (with the failure as `cause`).
///
/// ```swift
/// catch let error as GRPCError where error.code == .unavailable { … }
/// ```
public struct GRPCError: Error, Sendable, CustomStringConvertible {
    /// gRPC status codes (grpc/grpc `doc/statuscodes.md`); unknown values are kept.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        public static let ok = Code(rawValue: 0)
        public static let cancelled = Code(rawValue: 1)
        public static let unknown = Code(rawValue: 2)
        public static let invalidArgument = Code(rawValue: 3)
        public static let deadlineExceeded = Code(rawValue: 4)
        public static let notFound = Code(rawValue: 5)
        public static let alreadyExists = Code(rawValue: 6)
        public static let permissionDenied = Code(rawValue: 7)
        public static let resourceExhausted = Code(rawValue: 8)
        public static let failedPrecondition = Code(rawValue: 9)
        public static let aborted = Code(rawValue: 10)
        public static let outOfRange = Code(rawValue: 11)
        public static let unimplemented = Code(rawValue: 12)
        public static let `internal` = Code(rawValue: 13)
        public static let unavailable = Code(rawValue: 14)
        public static let dataLoss = Code(rawValue: 15)
        public static let unauthenticated = Code(rawValue: 16)

        private static let names = [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
            "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
            "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
        ]

        public var description: String {
            Code.names.indices.contains(rawValue) ? Code.names[rawValue] : "CODE_\(rawValue)"
        }
    }

    public var code: Code
    /// The status message, percent-decoded.
    public var message: String
    /// Response headers, when the server sent any.
    public var headers: [HeaderField]
    /// Trailing metadata (or the Trailers-Only headers).
    public var trailers: [HeaderField]
    /// The transport failure behind a locally produced status.
    public var cause: TransportError?

    public init(
        code: Code, message: String, headers: [HeaderField] = [], trailers: [HeaderField] = [],
        cause: TransportError? = nil
    ) {
        self.code = code
        self.message = message
        self.headers = headers
        self.trailers = trailers
        self.cause = cause
    }

    /// True when the server cannot have processed the call, so it can be sent again as is.
    public var isTransparentlyRetryable: Bool { cause?.isRetryable ?? false }

    public var description: String {
        message.isEmpty ? "\(code)" : "\(code): \(message)"
    }
}

extension GRPCError {
    /// The gRPC status a transport failure stands for (the REST client reports its failures
    /// the same way, so one error model covers both wires).
    public init(_ error: TransportError) {
        let code: Code
        switch error.kind {
        case .deadlineExceeded: code = .deadlineExceeded
        case .cancelled: code = .cancelled
        case .responseTooLarge: code = .resourceExhausted
        case .protocolError: code = .internal
        case .streamReset: code = GRPCError.code(forRSTStream: error.http2ErrorCode ?? 0)
        default: code = .unavailable
        }
        self.init(code: code, message: error.description, cause: error)
    }

    /// RST_STREAM error code → gRPC code (PROTOCOL-HTTP2.md, "Errors").
    static func code(forRSTStream errorCode: UInt32) -> Code {
        switch errorCode {
        case 0x7: .unavailable  // REFUSED_STREAM: not processed, safe to retry
        case 0x8: .cancelled  // CANCEL
        case 0xb: .resourceExhausted  // ENHANCE_YOUR_CALM
        case 0xc: .permissionDenied  // INADEQUATE_SECURITY
        default: .internal  // NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR, …
        }
    }

    /// HTTP status → gRPC code, for responses without `grpc-status` (http-grpc-status-mapping.md).
    public static func code(forHTTPStatus status: Int) -> Code {
        switch status {
        case 400: .internal
        case 401: .unauthenticated
        case 403: .permissionDenied
        case 404: .unimplemented
        case 429, 502, 503, 504: .unavailable
        default: .unknown
        }
    }
}

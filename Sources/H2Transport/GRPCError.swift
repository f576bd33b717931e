/// A gRPC call that did not end with status OK: the server's status, or a transport
/// failure mapped to the code gRPC prescribes (with the failure as `cause`).
///
/// ```swift
/// catch let error as GRPCError where error.code == .unavailable { … }
/// ```
public struct GRPCError: Error, Sendable, CustomStringConvertible {
    /// gRPC status codes (grpc/grpc `doc/statuscodes.md`); unknown values are kept.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's number on the wire (`grpc-status`), 0…16 for the codes gRPC defines.
        public var rawValue: Int
        /// The code with this number; numbers gRPC does not define are kept as they are.
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// 0: not an error; returned on success.
        public static let ok = Code(rawValue: 0)
        /// 1: the call was cancelled, typically by the caller (a cancelled task, RST_STREAM CANCEL).
        public static let cancelled = Code(rawValue: 1)
        /// 2: an error with no better code, or a response that is not a valid gRPC answer.
        public static let unknown = Code(rawValue: 2)
        /// 3: the request is invalid whatever the system's state (a malformed field, say).
        public static let invalidArgument = Code(rawValue: 3)
        /// 4: the deadline passed before the call completed; it may have succeeded on the server.
        public static let deadlineExceeded = Code(rawValue: 4)
        /// 5: a requested entity (an annotation, an input) was not found.
        public static let notFound = Code(rawValue: 5)
        /// 6: the entity the call tried to create exists already.
        public static let alreadyExists = Code(rawValue: 6)
        /// 7: the caller is known but may not run this call.
        public static let permissionDenied = Code(rawValue: 7)
        /// 8: a quota or limit ran out: rate limit, or a message larger than the allowed size.
        public static let resourceExhausted = Code(rawValue: 8)
        /// 9: the system is not in the state the call needs; retrying will not help until it changes.
        public static let failedPrecondition = Code(rawValue: 9)
        /// 10: the call was aborted, typically by a concurrency conflict; retry at a higher level.
        public static let aborted = Code(rawValue: 10)
        /// 11: the call went past a valid range (a page beyond the end, say).
        public static let outOfRange = Code(rawValue: 11)
        /// 12: the server does not implement this method (or the HTTP status was 404).
        public static let unimplemented = Code(rawValue: 12)
        /// 13: an invariant broke on the server, or an HTTP/2 protocol error.
        public static let `internal` = Code(rawValue: 13)
        /// 14: the service is unavailable now (connect failures, GOAWAY, 503): usually transient,
        /// worth retrying with backoff.
        public static let unavailable = Code(rawValue: 14)
        /// 15: unrecoverable data loss or corruption.
        public static let dataLoss = Code(rawValue: 15)
        /// 16: the call has no valid credentials (a missing or wrong key).
        public static let unauthenticated = Code(rawValue: 16)

        private static let names = [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
            "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
            "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
        ]

        /// The code's name as gRPC spells it (`UNAVAILABLE`), or `CODE_n` for an unknown number.
        public var description: String {
            Code.names.indices.contains(rawValue) ? Code.names[rawValue] : "CODE_\(rawValue)"
        }
    }

    /// The status code: the server's `grpc-status`, or the one mapped from a local failure.
    public var code: Code
    /// The status message, percent-decoded.
    public var message: String
    /// Response headers, when the server sent any.
    public var headers: [HeaderField]
    /// Trailing metadata (or the Trailers-Only headers).
    public var trailers: [HeaderField]
    /// The transport failure behind a locally produced status.
    public var cause: TransportError?

    /// An error from its parts, as the channel builds them (public for tests and other transports).
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

    /// `CODE: message` (`UNAVAILABLE: connect failed: …`), or only the code when there is no message.
    /// Never includes headers or metadata, so no key reaches a log through it.
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

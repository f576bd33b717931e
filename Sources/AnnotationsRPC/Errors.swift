import ClarifaiV2
import H2Transport
import ProtoWire

/// What every error of this package answers: may the same call be sent again?
///
/// ```swift
/// catch let error as any RetryableError where error.isRetryable { … }
/// ```
public protocol RetryableError: Error {
    /// True for conditions that pass (throttling, TRY_AGAIN, an unavailable server), where the
    /// same request may succeed later. Whether repeating it is *safe* depends on the call.
    var isRetryable: Bool { get }
}

/// Clarifai answered, with a status other than success (the gRPC call itself succeeded).
///
/// Its description carries the code, description and details, never the key.
public struct ClarifaiStatusError: RetryableError, Sendable, CustomStringConvertible {
    /// The response's status.
    public let status: Status
    /// For MIXED_STATUS (10010) and per-item failures: each annotation of the response with
    /// its own `status`, in request order.
    public let items: [Annotation]
    /// True when an earlier attempt of the same call may have reached the server.
    public internal(set) var afterRetry = false

    /// The error for a response's non-success `status`, with the response's per-item annotations.
    public init(status: Status, items: [Annotation] = []) {
        self.status = status
        self.items = items
    }

    /// The Clarifai status code (`status.code`), e.g. `.connThrottled` or `.mixedStatus`.
    public var code: StatusCode { status.code }
    /// The request id Clarifai gave the call (`status.reqID`), for support; empty when none.
    public var reqID: String { status.reqID }

    public var isRetryable: Bool {
        [.tryAgain, .connThrottled, .connExceedHourlyLimit].contains(status.code)
    }

    public var description: String {
        var text = "Clarifai status \(status.code)"
        if !status.description.isEmpty { text += ": \(status.description)" }
        if !status.details.isEmpty { text += " (\(status.details))" }
        if !status.reqID.isEmpty { text += " [req_id \(status.reqID)]" }
        return text
    }
}

/// A request refused before anything was sent.
public struct ValidationError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Where, e.g. `annotations[3].data.regions[0].region_info.bounding_box.top_row`.
    public let path: String
    /// What is wrong there, in words (`"must not be empty"`).
    public let problem: String

    /// An error at `path` (empty for the request as a whole) with its `problem`.
    public init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { path.isEmpty ? problem : "\(path): \(problem)" }

    /// The error for a broken rule of the V2 contract, with its text.
    public init(_ violation: Violation) {
        self.init(violation.path, violation.problem)
    }
}

extension ValidationError: RetryableError {
    public var isRetryable: Bool { false }
}

extension GRPCError: RetryableError {
    /// UNAVAILABLE (also what refused streams and lost connections map to) is worth retrying.
    public var isRetryable: Bool { code == .unavailable }
}

extension TransportError: RetryableError {}

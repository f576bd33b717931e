import H2Transport
import ProtoWire
import Testing

@testable import AnnotationsRPC

/// How the client judges a failed attempt (Sources/AnnotationsRPC/AnnotationsClient.swift):
/// `isWorthRetrying` (whether another attempt may succeed) and `surfaced` (what the caller
/// catches: a failure to reach the server as the `TransportError`, a status as the `GRPCError`).
@Suite struct RetryClassificationTests {
    enum Surfaced: Sendable {
        /// The error as it is.
        case itself
        /// The `TransportError` behind the `GRPCError`.
        case cause
    }

    struct Classified: Sendable, CustomStringConvertible {
        let error: any RetryableError & Sendable
        let worthRetrying: Bool
        let surfaced: Surfaced
        var description: String { "\(type(of: error)) \(error)" }

        init(_ error: any RetryableError & Sendable, retry worthRetrying: Bool, surfaces surfaced: Surfaced = .itself) {
            self.error = error
            self.worthRetrying = worthRetrying
            self.surfaced = surfaced
        }
    }

    /// A status made from a transport failure, as the channels make it.
    static func grpc(
        _ kind: TransportError.Kind, http2ErrorCode: UInt32? = nil, isRetryable: Bool = false
    ) -> GRPCError {
        GRPCError(TransportError(kind, "detail", http2ErrorCode: http2ErrorCode, isRetryable: isRetryable))
    }

    static let table: [Classified] = [
        // The server's statuses: only UNAVAILABLE is worth another attempt.
        Classified(GRPCError(code: .unavailable, message: "overloaded"), retry: true),
        Classified(GRPCError(code: .internal, message: "bug"), retry: false),
        Classified(GRPCError(code: .resourceExhausted, message: "quota"), retry: false),
        Classified(GRPCError(code: .unauthenticated, message: "bad key"), retry: false),
        Classified(GRPCError(code: .deadlineExceeded, message: ""), retry: false),
        Classified(GRPCError(code: .unknown, message: ""), retry: false),
        // The server was not reached: retried (every annotation call may be repeated), surfaced as
        // the transport failure.
        Classified(grpc(.connectFailed, isRetryable: true), retry: true, surfaces: .cause),
        Classified(grpc(.connectFailed), retry: true, surfaces: .cause),
        Classified(grpc(.connectionClosed), retry: true, surfaces: .cause),  // lost mid-call
        Classified(grpc(.connectionClosed, isRetryable: true), retry: true, surfaces: .cause),
        Classified(grpc(.goAway, isRetryable: true), retry: true, surfaces: .cause),
        // ... unless no attempt can cure it: the cause's own verdict decides.
        Classified(grpc(.tlsFailed), retry: false, surfaces: .cause),
        Classified(grpc(.tlsFailed, isRetryable: true), retry: true, surfaces: .cause),
        Classified(grpc(.alpnMismatch), retry: false, surfaces: .cause),
        Classified(grpc(.invalidEndpoint), retry: false, surfaces: .cause),
        Classified(grpc(.invalidProxy), retry: false, surfaces: .cause),
        Classified(grpc(.proxyFailed), retry: false, surfaces: .cause),
        Classified(grpc(.closed), retry: false, surfaces: .cause),
        // Local statuses stay statuses, judged by their code.
        Classified(grpc(.streamReset, http2ErrorCode: 0x7, isRetryable: true), retry: true),  // REFUSED_STREAM
        Classified(grpc(.streamReset, http2ErrorCode: 0x8), retry: false),  // CANCEL: CANCELLED
        Classified(grpc(.streamReset, http2ErrorCode: 0x2), retry: false),  // INTERNAL_ERROR: INTERNAL
        Classified(grpc(.deadlineExceeded), retry: false),
        Classified(grpc(.cancelled), retry: false),
        Classified(grpc(.responseTooLarge), retry: false),
        Classified(grpc(.protocolError), retry: false),
        Classified(grpc(.system), retry: true),  // UNAVAILABLE
        // Clarifai's statuses: only those that pass.
        Classified(ClarifaiStatusError(status: Status(code: .tryAgain)), retry: true),
        Classified(ClarifaiStatusError(status: Status(code: .connThrottled)), retry: true),
        Classified(ClarifaiStatusError(status: Status(code: .connExceedHourlyLimit)), retry: true),
        Classified(ClarifaiStatusError(status: Status(code: .mixedStatus)), retry: false),
        Classified(ClarifaiStatusError(status: Status(code: .badRequest)), retry: false),
        Classified(ClarifaiStatusError(status: Status(code: StatusCode(rawValue: 99_999))), retry: false),
        // Refused before sending: never.
        Classified(ValidationError("annotations[0].input_id", "must not be empty"), retry: false),
        // A transport error that is not wrapped (the REST client's) is its own verdict.
        Classified(TransportError(.connectFailed, "refused", isRetryable: true), retry: true),
        Classified(TransportError(.connectionClosed, "mid-call"), retry: false),
        Classified(TransportError(.tlsFailed, "certificate verify failed"), retry: false),
    ]

    @Test(arguments: table)
    func isWorthRetrying(_ classified: Classified) {
        #expect(AnnotationsClient.isWorthRetrying(classified.error) == classified.worthRetrying)
    }

    @Test(arguments: table)
    func surfaced(_ classified: Classified) throws {
        let surfaced = AnnotationsClient.surfaced(classified.error)
        switch classified.surfaced {
        case .itself:
            #expect(type(of: surfaced) == type(of: classified.error))
            #expect("\(surfaced)" == "\(classified.error)")
        case .cause:
            let cause = try #require((classified.error as? GRPCError)?.cause)
            let transport = try #require(surfaced as? TransportError)
            #expect(transport.kind == cause.kind)
            #expect(transport.description == cause.description)
            #expect(transport.isRetryable == cause.isRetryable)
        }
    }
}

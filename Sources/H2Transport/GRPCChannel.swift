import Foundation
import Synchronization

/// The response of a successful unary call.
public struct GRPCResponse: Sendable {
    public var message: [UInt8]
    public var headers: [HeaderField]
    public var trailers: [HeaderField]
}

/// gRPC unary calls to one endpoint over an `HTTP2Channel`: one shared HTTP/2 connection, or a
/// pool of them (`ConnectionConfiguration.maxConnections`), reconnecting with gRPC's connection
/// backoff when one fails or the server sends GOAWAY.
///
/// ```swift
/// let channel = try GRPCChannel(endpoint: Endpoint("https://api.clarifai.com"))
/// let response = try await channel.unary(
///     path: "/clarifai.api.V2/ListAnnotations", request: bytes,
///     metadata: [HeaderField("authorization", "Key \(pat)")], timeout: .seconds(30))
/// ```
public final class GRPCChannel: Sendable {
    public let endpoint: Endpoint
    public let configuration: ConnectionConfiguration

    /// The connections' pool (internal for tests).
    let http: HTTP2Channel

    public init(endpoint: Endpoint, configuration: ConnectionConfiguration = ConnectionConfiguration()) {
        self.endpoint = endpoint
        self.configuration = configuration
        http = HTTP2Channel(endpoint: endpoint, configuration: configuration)
    }

    /// The keepalive interval new connections use, after any "too_many_pings" back-off.
    public var currentKeepaliveInterval: Double? { http.currentKeepaliveInterval }

    /// Sends one request message and returns the response message.
    ///
    /// Throws `GRPCError` for every failure: the server's status, or a local one (deadline,
    /// cancellation, connection failure) with the transport error as `cause`. A call the
    /// server cannot have seen (REFUSED_STREAM, above a GOAWAY's last stream id) is sent again
    /// on another connection, as gRFC A6 allows (see `HTTP2Channel.send`).
    public func unary(
        path: String, request: [UInt8], metadata: [HeaderField] = [], timeout: Duration? = nil
    ) async throws(GRPCError) -> GRPCResponse {
        let deadline = timeout.map { ContinuousClock.now.advanced(by: $0) }
        var headers: [HeaderField] = []
        headers.reserveCapacity(metadata.count + 4)
        if let timeout {
            let (seconds, attoseconds) = timeout.components
            headers.append(HeaderField("grpc-timeout", GRPCWire.timeoutHeader(seconds: Double(seconds) + Double(attoseconds) / 1e18)))
        }
        headers.append(HeaderField("content-type", "application/grpc"))
        headers.append(HeaderField("te", "trailers"))
        headers.append(HeaderField("user-agent", configuration.userAgent))
        headers.append(contentsOf: metadata)
        let http = HTTP2Request(method: "POST", path: path, headers: headers, body: GRPCWire.frame(request))

        let response: HTTP2Response
        do {
            response = try await self.http.send(http, deadline: deadline)
        } catch {
            throw GRPCError(error)
        }
        return try GRPCChannel.interpret(response).get()
    }

    /// Closes the connection; calls in flight fail with UNAVAILABLE.
    public func close() {
        http.close()
    }

    // MARK: Response

    static func interpret(_ response: HTTP2Response) -> Result<GRPCResponse, GRPCError> {
        // Trailers-Only: the status rides in the only HEADERS frame.
        let statusFields = response.headersOnly ? response.headers : response.trailers
        guard let statusText = statusFields["grpc-status"] else {
            if response.status != 200 {
                return .failure(GRPCError(
                    code: GRPCError.code(forHTTPStatus: response.status),
                    message: "HTTP status \(response.status) without grpc-status", headers: response.headers
                ))
            }
            return .failure(GRPCError(code: .unknown, message: "response without grpc-status", headers: response.headers))
        }
        guard let rawCode = Int(statusText) else {
            return .failure(GRPCError(code: .unknown, message: "invalid grpc-status '\(statusText)'", headers: response.headers))
        }
        let code = GRPCError.Code(rawValue: rawCode)
        let trailers = response.headersOnly ? [] : response.trailers
        guard code == .ok else {
            return .failure(GRPCError(
                code: code, message: GRPCWire.percentDecode(statusFields["grpc-message"] ?? ""),
                headers: response.headersOnly ? [] : response.headers, trailers: statusFields
            ))
        }
        if let contentType = response.headers["content-type"], !contentType.hasPrefix("application/grpc") {
            return .failure(GRPCError(code: .unknown, message: "unexpected content-type '\(contentType)'"))
        }
        return GRPCWire.unframeSingle(response.body).map {
            GRPCResponse(message: $0, headers: response.headers, trailers: trailers)
        }
    }

}

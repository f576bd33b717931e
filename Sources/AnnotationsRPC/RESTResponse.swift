import ClarifaiV2
import H2Transport
import ProtoWire

/// Reading a REST answer.
enum RESTResponse {
    /// The typed answer of a REST call: the response decoded from its JSON body, or the error
    /// the HTTP status and body stand for.
    ///
    /// - A body with a Clarifai status is believed whatever the HTTP status (Clarifai sends
    ///   401 with 11008, 404 with 11101, 200 with 10010 MIXED_STATUS, …); the caller turns
    ///   any status but SUCCESS into `ClarifaiStatusError`.
    /// - A non-2xx answer without one (a proxy's 502 page, an empty 503) maps like gRPC's
    ///   HTTP-status table: 401 → UNAUTHENTICATED, 403 → PERMISSION_DENIED, 404 →
    ///   UNIMPLEMENTED, 429/502/503/504 → UNAVAILABLE (retried), others → UNKNOWN.
    /// - Fields the package does not know (a newer server's) are skipped, as JSON clients do.
    static func decode<Response: ProtoMessage>(_ http: HTTP2Response, as type: Response.Type) throws(GRPCError)
        -> Response
    {
        let decoded = http.body.isEmpty ? nil : try? decode(Response.self, http.body)
        let isSuccess = (200..<300).contains(http.status)
        if let decoded, isSuccess || (decoded as? any V2Response)?.status.map({ $0.code != .success }) == true {
            return decoded
        }
        guard isSuccess else {
            let snippet = String(decoding: http.body.prefix(200), as: UTF8.self)
            throw GRPCError(
                code: GRPCError.code(forHTTPStatus: http.status),
                message: "HTTP \(http.status) without a Clarifai status" + (snippet.isEmpty ? "" : ": \(snippet)"),
                headers: http.headers
            )
        }
        do {
            return try decode(Response.self, http.body)
        } catch {
            throw GRPCError(
                code: .internal, message: "undecodable \(Response.protoMessageName) JSON: \(error)",
                headers: http.headers)
        }
    }

    private static func decode<Response: ProtoMessage>(_ type: Response.Type, _ body: [UInt8]) throws -> Response {
        try JSONDecoding.$ignoresUnknownFields.withValue(true) { try Response(jsonUTF8: body) }
    }
}

import H2Transport

/// gzip for REST (RFC 9110 content codings): with compression on, a request body large enough
/// goes out `Content-Encoding: gzip` and the client asks for `Accept-Encoding: gzip`; an answer
/// that comes `Content-Encoding: gzip` is inflated, at most to the response size limit.
enum RESTCompression {
    /// Compresses the body (when `compressesBody`; never an empty one) and asks for compressed
    /// answers, as `compression` says.
    static func prepare(
        _ request: inout HTTP2Request, _ compression: MessageCompression, acceptsCompressed: Bool,
        compressesBody: Bool = true
    ) {
        guard let encoding = compression.encoding else { return }
        if acceptsCompressed { request.headers.append(HeaderField("accept-encoding", encoding)) }
        if compressesBody, !request.body.isEmpty, compression.compresses(request.body.count) {
            request.body = Gzip.compress(request.body)
            request.headers.append(HeaderField("content-encoding", encoding))
        }
    }

    /// The answer with its body inflated when it came gzip-compressed (the headers keep saying
    /// how it came). A body that inflates past `limit` is RESOURCE_EXHAUSTED, as an
    /// uncompressed one past the limit is; a broken one, or one in a coding never asked
    /// for, is a protocol error.
    static func inflated(_ response: HTTP2Response, limit: Int) throws(TransportError) -> HTTP2Response {
        // An empty body (a 204, an answer to HEAD) has nothing to inflate, whatever it says.
        guard let coding = response.headers["content-encoding"]?.lowercased(), coding != "identity",
            !response.body.isEmpty
        else {
            return response
        }
        guard coding == "gzip" else {
            throw TransportError(
                .protocolError, "response body in content coding '\(coding.prefix(40))', which was not asked for")
        }
        var inflated = response
        do {
            inflated.body = try Gzip.decompress(response.body, limit: limit)
        } catch {
            if case .tooLarge = error.kind {
                throw TransportError(.responseTooLarge, "the gzip body inflates to more than \(limit) bytes")
            }
            throw TransportError(.protocolError, "response body: \(error)")
        }
        return inflated
    }
}

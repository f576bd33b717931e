/// Entry points for the fuzzers of `make fuzz` (Sources/FuzzTargets); not part of the API.
@_spi(Fuzzing) public enum TransportFuzzing {
    /// The gRPC client's reading of a complete response: status, Trailers-Only, grpc-status and
    /// grpc-message, content-type, the length-prefixed message.
    public static func interpretGRPC(_ response: HTTP2Response) -> Result<[UInt8], GRPCError> {
        GRPCChannel.interpret(response).map(\.message)
    }

    /// The HTTP/1.1 client's reading of `bytes` arriving in pieces of `pieceSize`, then the end
    /// of the connection.
    public static func parseHTTP1Response(_ bytes: [UInt8], pieceSize: Int, maxBodySize: Int = 1 << 20) -> Result<HTTP2Response, TransportError> {
        var parser = HTTP1ResponseParser(maxBodySize: maxBodySize)
        var offset = 0
        do throws(TransportError) {
            while offset < bytes.count {
                let end = min(bytes.count, offset + max(1, pieceSize))
                bytes[offset..<end].withUnsafeBytes { parser.append($0) }
                offset = end
                if let (response, _) = try parser.parse() { return .success(response) }
            }
            return .success(try parser.endOfInput())
        } catch {
            return .failure(error)
        }
    }

    /// A response as the client sees it.
    public static func response(status: Int, headers: [HeaderField], body: [UInt8], trailers: [HeaderField], headersOnly: Bool) -> HTTP2Response {
        HTTP2Response(status: status, headers: headers, body: body, trailers: trailers, headersOnly: headersOnly)
    }
}

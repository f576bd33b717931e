import H2Transport
import ProtoWire

/// Reads the messages of a server-streaming call from whichever wire carries it: gRPC
/// messages, grpc-gateway's newline-delimited `{"result": …}` objects arriving over HTTP/2 or
/// HTTP/1.1, or an answer already read whole (an error page). One loop reads it; dropping it
/// before the end resets the HTTP/2 stream (or closes the HTTP/1.1 connection).
struct StreamReader<Message: ProtoMessage>: Sendable {
    private enum Source: Sendable {
        case grpc(GRPCMessageStream.AsyncIterator)
        /// The response is kept with its iterator: dropping it resets the stream.
        case lines(HTTP2ResponseStream.AsyncIterator, HTTP2ResponseStream)
        case whole([Message])
    }

    private var source: Source
    /// Bytes of lines not yet taken (from `lineStart`), searched for a line end up to `scanned`.
    private var buffer: [UInt8] = []
    private var lineStart = 0
    private var scanned = 0
    private let maxLineSize: Int

    init(grpc stream: GRPCMessageStream) {
        source = .grpc(stream.makeAsyncIterator())
        maxLineSize = .max
    }

    init(lines stream: HTTP2ResponseStream, maxLineSize: Int) {
        source = .lines(stream.makeAsyncIterator(), stream)
        self.maxLineSize = maxLineSize
    }

    /// A stream read whole: one message (an error answer).
    init(messages: [Message]) {
        source = .whole(messages.reversed())
        maxLineSize = .max
    }

    /// The next message; nil at the end of the stream.
    mutating func next() async throws(GRPCError) -> Message? {
        switch source {
        // Each case moves its state out of `source` before changing it: a copy left behind
        // would make every message copy the whole array or buffer.
        case .whole(var messages):
            source = .whole([])
            let message = messages.popLast()
            source = .whole(messages)
            return message
        case .grpc(var iterator):
            source = .whole([])
            defer { source = .grpc(iterator) }
            guard let bytes = try await iterator.next() else { return nil }
            do {
                return try Message(serializedBytes: bytes)
            } catch {
                throw GRPCError(code: .internal, message: "undecodable \(Message.protoMessageName): \(error)")
            }
        case .lines(var chunks, let response):
            source = .whole([])
            defer { source = .lines(chunks, response) }
            let headers = response.headers
            while true {
                // Lines are taken where they lie: consumed bytes leave the buffer once per chunk,
                // and bytes already searched are not searched again.
                if let end = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                    let line = Array(buffer[lineStart..<end])
                    lineStart = end + 1
                    scanned = lineStart
                    if let message = try Self.decode(line: line, headers: headers) { return message }
                    continue
                }
                scanned = buffer.count
                guard buffer.count - lineStart <= maxLineSize else {
                    throw GRPCError(
                        code: .resourceExhausted, message: "a streamed message of more than \(maxLineSize) bytes",
                        headers: headers
                    )
                }
                let chunk: [UInt8]?
                do {
                    chunk = try await chunks.next()
                } catch {
                    throw GRPCError(error)
                }
                buffer.removeSubrange(..<lineStart)
                scanned -= lineStart
                lineStart = 0
                guard let chunk else {
                    let rest = buffer
                    buffer = []
                    scanned = 0
                    return try Self.decode(line: rest, headers: headers)
                }
                buffer += chunk
            }
        }
    }

    /// One line of grpc-gateway's stream: `{"result": message}`, or `{"error": {code,
    /// message}}` for a stream that failed; nil for a blank line.
    private static func decode(line: [UInt8], headers: [HeaderField]) throws(GRPCError) -> Message? {
        guard line.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D) }) else { return nil }
        let members: [JSONValue.Member]
        do {
            guard case .object(let object) = try JSONValue.parse(line) else {
                throw GRPCError(code: .internal, message: "a streamed line is not a JSON object", headers: headers)
            }
            members = object
        } catch let error as GRPCError {
            throw error
        } catch {
            throw GRPCError(code: .internal, message: "a streamed line is not JSON: \(error)", headers: headers)
        }
        if let result = members.last(where: { $0.key == "result" })?.value {
            do {
                var message: Message?
                try JSONDecoding.$ignoresUnknownFields.withValue(true) { try result.protoMessage(into: &message) }
                return message ?? Message()
            } catch {
                throw GRPCError(
                    code: .internal, message: "undecodable \(Message.protoMessageName) JSON: \(error)", headers: headers
                )
            }
        }
        if case .object(let error)? = members.last(where: { $0.key == "error" })?.value {
            var code = GRPCError.Code.unknown
            var text = "the stream failed"
            for member in error {
                switch (member.key, member.value) {
                case ("code", .number(let number)): code = Int(number).map { GRPCError.Code(rawValue: $0) } ?? .unknown
                case ("message", .string(let message)): text = message
                default: break
                }
            }
            throw GRPCError(code: code, message: text, headers: headers)
        }
        throw GRPCError(code: .internal, message: "a streamed line has neither result nor error", headers: headers)
    }
}

import ClarifaiV2
import H2Transport
import ProtoWire
import Synchronization

/// The body of a server-streaming answer: the messages are encoded one at a time, as the
/// client's flow-control window lets the connection pull them, so a slow reader holds the
/// emulator back instead of making it buffer the whole stream.
enum StreamedBody {
    /// The request header that paces a stream: a pause of this many milliseconds (0…10 000)
    /// before each message, for tests of slow streams and deadlines (the Go peer reads the same).
    static let intervalHeaderName = "x-stream-interval-ms"

    /// The pause a request asks for, in seconds (0 when none or unreadable).
    static func interval(_ headers: [HeaderField]) -> Double {
        guard let value = headers[intervalHeaderName], let milliseconds = Double(value), milliseconds.isFinite else {
            return 0
        }
        return min(max(milliseconds, 0), 10_000) / 1000
    }

    static func source(
        _ responses: [any V2Response], interval: Double, trailers: [HeaderField],
        encode: @escaping @Sendable (any V2Response) -> [UInt8]
    ) -> ServerBodySource {
        // The next message, and whether its pause is over.
        let position = Mutex((next: 0, paused: false))
        return ServerBodySource { _ in
            position.withLock { position -> ServerBodySource.Next in
                guard position.next < responses.count else { return .end(trailers: trailers) }
                if interval > 0 && !position.paused {
                    position.paused = true
                    return .wait(seconds: max(interval, 0.001))
                }
                position.paused = false
                position.next += 1
                return .bytes(encode(responses[position.next - 1]))
            }
        }
    }
}

/// Whether a client compresses what it sends: gRPC request messages (`grpc-encoding: gzip`,
/// PROTOCOL-HTTP2.md) and REST request bodies (`Content-Encoding: gzip`); for a server (the
/// emulator's `compression`), its answers to clients that accept gzip. Off by default, as in
/// every gRPC stack: on a fast link compressing costs more than it saves.
///
/// With compression on, a client also asks for compressed answers (`grpc-accept-encoding:
/// gzip`, `Accept-Encoding: gzip`), and the server decides. A compressed answer is inflated
/// whatever this says (a server may compress unasked).
///
/// ```swift
/// var configuration = ConnectionConfiguration()
/// configuration.compression = .gzip                      // messages of 1 KiB or more
/// configuration.compression = .gzip(minimumSize: 256)
/// ```
public struct MessageCompression: Sendable, Equatable, CustomStringConvertible {
    /// The content coding sent (`gzip`), or nil for none.
    public let encoding: String?
    /// Messages smaller than this many bytes go uncompressed: the gzip header and trailer
    /// (18 bytes) and the work outweigh what a small message saves.
    public let minimumSize: Int

    /// Nothing is compressed.
    public static let none = MessageCompression(encoding: nil, minimumSize: 0)
    /// gzip for messages of 1 KiB or more.
    public static let gzip = MessageCompression.gzip(minimumSize: 1024)

    /// gzip for messages of `minimumSize` bytes or more (0: every message).
    public static func gzip(minimumSize: Int) -> MessageCompression {
        MessageCompression(encoding: "gzip", minimumSize: max(0, minimumSize))
    }

    /// `gzip` or `none` (as `--compression` takes them); nil for any other name.
    public init?(name: String) {
        switch name {
        case "gzip": self = .gzip
        case "none", "identity": self = .none
        default: return nil
        }
    }

    private init(encoding: String?, minimumSize: Int) {
        self.encoding = encoding
        self.minimumSize = minimumSize
    }

    /// Whether a message of `size` bytes is compressed.
    ///
    /// ```swift
    /// MessageCompression.gzip.compresses(4096)  // true
    /// ```
    public func compresses(_ size: Int) -> Bool { encoding != nil && size >= minimumSize }

    /// `gzip` (with its minimum size when not the default) or `none`.
    public var description: String {
        guard let encoding else { return "none" }
        return minimumSize == 1024 ? encoding : "\(encoding) (from \(minimumSize) bytes)"
    }
}

internal import CZlib

/// gzip (RFC 1952) through the system zlib: what gRPC message compression (`grpc-encoding:
/// gzip`) and HTTP's `Content-Encoding: gzip` mean.
///
/// Decompression takes a limit on the *decompressed* size and stops as soon as the output
/// would pass it, so a small message that inflates to gigabytes (a zip bomb) costs memory in
/// proportion to the limit, never to the size it claims.
///
/// ```swift
/// let compressed = Gzip.compress(message)
/// let message = try Gzip.decompress(compressed, limit: 4 << 20)
/// ```
public enum Gzip {
    /// Output is produced in steps of this many bytes (and never more than the limit allows).
    static let step = 64 << 10
    /// Input is handed to zlib in pieces of at most this many bytes (its counts are 32 bits).
    static let maxInputPiece = 1 << 30

    /// `bytes` as one gzip member, at zlib's default level.
    ///
    /// ```swift
    /// let body = Gzip.compress(Array(json.utf8))
    /// ```
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        // zlib keeps a pointer back to its stream: the stream must not move between calls.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        // Only a bad argument or no memory fails here; both are bugs or a dying process.
        guard czlib_deflate_init_gzip(stream, Z_DEFAULT_COMPRESSION) == Z_OK else {
            preconditionFailure("deflateInit2 failed: \(zlibMessage(stream.pointee))")
        }
        defer { deflateEnd(stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(bytes.count / 2 + 64, 1 << 20))
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: step)
        defer { scratch.deallocate() }
        bytes.withUnsafeBufferPointer { input in
            var offset = 0
            while true {
                refill(stream, from: input, at: &offset)
                let finishing = offset == input.count
                stream.pointee.next_out = scratch.baseAddress
                stream.pointee.avail_out = uInt(step)
                let status = deflate(stream, finishing ? Z_FINISH : Z_NO_FLUSH)
                output.append(
                    contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<(step - Int(stream.pointee.avail_out))]))
                if status == Z_STREAM_END { return }
                // Z_BUF_ERROR only says no progress was possible with this room: there is more next time.
                precondition(status == Z_OK || status == Z_BUF_ERROR, "deflate failed: \(status)")
            }
        }
        return output
    }

    /// The bytes of one gzip member, at most `limit` of them.
    ///
    /// - Throws: ``GzipError`` `.tooLarge` as soon as the output would exceed `limit` (a
    ///   negative limit counts as 0), `.malformed` for bytes that are not one complete gzip
    ///   member (a bad header or checksum, a truncated stream, bytes after its end).
    ///
    /// The output grows as it is produced, so it costs memory in proportion to what it
    /// inflates to, up to the limit (about twice the limit at most, as an array grows), never
    /// to what a bomb claims.
    ///
    /// ```swift
    /// do {
    ///     let message = try Gzip.decompress(payload, limit: configuration.maxResponseBodySize)
    /// } catch { print(error) }  // gzip: decompresses to more than 4194304 bytes
    /// ```
    public static func decompress(_ bytes: [UInt8], limit: Int) throws(GzipError) -> [UInt8] {
        let limit = max(0, limit)
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard czlib_inflate_init_gzip(stream) == Z_OK else {
            throw GzipError(.malformed("inflateInit2 failed: \(zlibMessage(stream.pointee))"))
        }
        defer { inflateEnd(stream) }
        var output: [UInt8] = []
        // zlib writes into one scratch step; each step is appended whole (a memcpy).
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: step)
        defer { scratch.deallocate() }
        let outcome: Result<Void, GzipError> = bytes.withUnsafeBufferPointer { input in
            var offset = 0
            while true {
                refill(stream, from: input, at: &offset)
                // One byte past the limit is room enough to learn that the limit is passed.
                let remaining = limit - output.count
                let room = remaining >= step ? step : remaining + 1
                stream.pointee.next_out = scratch.baseAddress
                stream.pointee.avail_out = uInt(room)
                let status = inflate(stream, Z_NO_FLUSH)
                let produced = room - Int(stream.pointee.avail_out)
                output.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<produced]))
                if output.count > limit { return .failure(GzipError(.tooLarge(limit: limit))) }
                let unread = Int(stream.pointee.avail_in) + (input.count - offset)
                switch status {
                case Z_STREAM_END:
                    guard unread == 0 else {
                        return .failure(GzipError(.malformed("\(unread) bytes after the end of the stream")))
                    }
                    return .success(())
                case Z_OK:
                    continue
                case Z_BUF_ERROR where unread == 0:
                    return .failure(GzipError(.malformed("truncated stream")))
                default:
                    return .failure(GzipError(.malformed(zlibMessage(stream.pointee, status: status))))
                }
            }
        }
        try outcome.get()
        return output
    }

    /// Hands zlib the next piece of `input` once it has taken the last one: its counts are
    /// 32 bits, so a larger input goes in pieces of at most ``maxInputPiece``.
    private static func refill(
        _ stream: UnsafeMutablePointer<z_stream>, from input: UnsafeBufferPointer<UInt8>, at offset: inout Int
    ) {
        guard stream.pointee.avail_in == 0, offset < input.count else { return }
        let piece = min(maxInputPiece, input.count - offset)
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + offset)
        stream.pointee.avail_in = uInt(piece)
        offset += piece
    }

    private static func zlibMessage(_ stream: z_stream, status: Int32? = nil) -> String {
        if let message = stream.msg { return String(cString: message) }
        return status.map { "zlib status \($0)" } ?? "zlib failure"
    }
}

/// Why ``Gzip/decompress(_:limit:)`` gave no bytes.
///
/// ```swift
/// if case .tooLarge(let limit) = error.kind { print("over \(limit) bytes") }
/// ```
public struct GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The output would be larger than `limit` bytes.
        case tooLarge(limit: Int)
        /// Not one complete gzip member, with zlib's reason.
        case malformed(String)
    }

    /// What went wrong.
    public let kind: Kind

    init(_ kind: Kind) { self.kind = kind }

    /// `gzip: decompresses to more than N bytes`, or `gzip: <zlib's reason>`.
    public var description: String {
        switch kind {
        case .tooLarge(let limit): "gzip: decompresses to more than \(limit) bytes"
        case .malformed(let reason): "gzip: \(reason)"
        }
    }
}

internal import CZlib

/// gzip (RFC 1952) through the system zlib: what gRPC message compression (`grpc-encoding:
/// gzip`) and HTTP's `Content-Encoding: gzip` mean.
///
/// Decompression takes a limit on the *decompressed* size and stops as soon as the output
/// would pass it, so a small message that inflates to gigabytes (a zip bomb) costs at most the
/// limit in memory, never the size it claims.
///
/// ```swift
/// let compressed = Gzip.compress(message)
/// let message = try Gzip.decompress(compressed, limit: 4 << 20)
/// ```
public enum Gzip {
    /// Output is produced in steps of this many bytes (and never more than the limit allows).
    static let step = 64 << 10

    /// `bytes` as one gzip member, at zlib's default level.
    ///
    /// ```swift
    /// let body = Gzip.compress(Array(json.utf8))
    /// ```
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        // Only a bad argument or no memory fails here; both are bugs or a dying process.
        guard czlib_deflate_init_gzip(&stream, Z_DEFAULT_COMPRESSION) == Z_OK else {
            preconditionFailure("deflateInit2 failed: \(zlibMessage(stream))")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        let written: Int = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                // deflateBound leaves room for all of it: one call finishes the member.
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate did not finish: \(status)")
                return out.count - Int(stream.avail_out)
            }
        }
        output.removeLast(output.count - written)
        return output
    }

    /// The bytes of one gzip member, at most `limit` of them.
    ///
    /// - Throws: ``GzipError`` `.tooLarge` as soon as the output would exceed `limit` (nothing
    ///   past it is allocated), `.malformed` for bytes that are not one complete gzip member
    ///   (a bad header or checksum, a truncated stream, bytes after its end).
    ///
    /// ```swift
    /// do {
    ///     let message = try Gzip.decompress(payload, limit: configuration.maxResponseBodySize)
    /// } catch { print(error) }  // gzip: decompresses to more than 4194304 bytes
    /// ```
    public static func decompress(_ bytes: [UInt8], limit: Int) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        guard czlib_inflate_init_gzip(&stream) == Z_OK else {
            throw GzipError(.malformed("inflateInit2 failed: \(zlibMessage(stream))"))
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        // zlib writes into one scratch step; each step is appended whole (a memcpy).
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: step)
        defer { scratch.deallocate() }
        let outcome: Result<Void, GzipError> = bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                // One byte past the limit is room enough to learn that the limit is passed.
                let remaining = limit - output.count
                let room = remaining >= step ? step : remaining + 1
                stream.next_out = scratch.baseAddress
                stream.avail_out = uInt(room)
                let status = inflate(&stream, Z_NO_FLUSH)
                let produced = room - Int(stream.avail_out)
                output.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<produced]))
                if output.count > limit { return .failure(GzipError(.tooLarge(limit: limit))) }
                switch status {
                case Z_STREAM_END:
                    guard stream.avail_in == 0 else {
                        return .failure(GzipError(.malformed("\(stream.avail_in) bytes after the end of the stream")))
                    }
                    return .success(())
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    return .failure(GzipError(.malformed("truncated stream")))
                default:
                    return .failure(GzipError(.malformed(zlibMessage(stream, status: status))))
                }
            }
        }
        try outcome.get()
        return output
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

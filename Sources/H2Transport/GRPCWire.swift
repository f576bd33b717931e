import Foundation

/// The pieces of gRPC's HTTP/2 mapping (grpc/grpc `doc/PROTOCOL-HTTP2.md`) that are pure
/// functions: message framing (the one framing in the package: the client, the server side and
/// the emulator all use it), `grpc-timeout`, `grpc-message` and `-bin` metadata.
///
/// ```swift
/// let body = GRPCWire.frame(message)                  // 5-byte prefix + message
/// let message = try GRPCWire.unframeSingle(body).get()
/// ```
public enum GRPCWire {
    /// 1-byte compressed flag + 4-byte big-endian length before every message.
    ///
    /// ```swift
    /// let payload = body.dropFirst(GRPCWire.messagePrefixSize)
    /// ```
    public static let messagePrefixSize = 5

    /// One length-prefixed message: flag 0 (uncompressed), the big-endian length, the bytes.
    /// Several framed messages written back to back make a streamed body.
    ///
    /// ```swift
    /// let body = GRPCWire.frame(first) + GRPCWire.frame(second)
    /// ```
    public static func frame(_ message: [UInt8]) -> [UInt8] {
        var framed = [UInt8]()
        framed.reserveCapacity(messagePrefixSize + message.count)
        appendFrame(of: message, to: &framed)
        return framed
    }

    /// One message gzip-compressed, flagged compressed (1), with its length prefix: for a
    /// stream whose `grpc-encoding` is gzip.
    ///
    /// ```swift
    /// let body = GRPCWire.frameCompressed(message)  // and the header grpc-encoding: gzip
    /// ```
    public static func frameCompressed(_ message: [UInt8]) -> [UInt8] {
        var framed = frame(Gzip.compress(message))
        framed[0] = 1
        return framed
    }

    /// Whether a `grpc-accept-encoding` (or `Accept-Encoding`) value lists gzip (names compared
    /// without case; `gzip;q=0` refuses it, as RFC 9110 says).
    ///
    /// ```swift
    /// GRPCWire.acceptsGzip("identity, deflate, gzip")  // true
    /// ```
    public static func acceptsGzip(_ value: String?) -> Bool {
        guard let value else { return false }
        return value.split(separator: ",").contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.first == "gzip" else { return false }
            let weight = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) }
            return (weight ?? 1) > 0
        }
    }

    /// Appends `message` with its prefix to `body`: many messages into one buffer, with no
    /// intermediate array per message.
    ///
    /// ```swift
    /// var body: [UInt8] = []
    /// for message in messages { GRPCWire.appendFrame(of: message, to: &body) }
    /// ```
    public static func appendFrame(of message: [UInt8], to body: inout [UInt8]) {
        let length = UInt32(message.count)
        body.append(0)
        body.append(UInt8(length >> 24))
        body.append(UInt8(length >> 16 & 0xff))
        body.append(UInt8(length >> 8 & 0xff))
        body.append(UInt8(length & 0xff))
        body.append(contentsOf: message)
    }

    /// What a client or server of this package advertises in `grpc-accept-encoding`: the
    /// compressed messages it can read besides uncompressed ones.
    public static let acceptedEncodings = "gzip"

    /// The single message of a body (a unary response, or a unary request as a server reads
    /// it), inflated when its flag says compressed and `encoding` (the `grpc-encoding` header)
    /// is gzip, or why there is not exactly one: INTERNAL for no message, a truncated one, one
    /// compressed without a known encoding, or more than one; RESOURCE_EXHAUSTED for one that
    /// inflates past `maxMessageSize`.
    ///
    /// ```swift
    /// switch GRPCWire.unframeSingle(request.body, encoding: request.headers["grpc-encoding"]) {
    /// case .success(let message): handle(message)
    /// case .failure(let error): answer(error.code, error.message)
    /// }
    /// ```
    public static func unframeSingle(
        _ body: [UInt8], encoding: String? = nil, maxMessageSize: Int = Int(UInt32.max)
    ) -> Result<[UInt8], GRPCError> {
        locateSingle(body, encoding: encoding, maxMessageSize: maxMessageSize).map { located in
            located.start == 0 ? located.storage : Array(located.storage[located.start...])
        }
    }

    /// `unframeSingle`'s judgment without copying the message out: the message is
    /// `storage[start...]`, either `body` itself behind its prefix or the inflated bytes.
    static func locateSingle(
        _ body: [UInt8], encoding: String?, maxMessageSize: Int
    ) -> Result<(storage: [UInt8], start: Int), GRPCError> {
        guard body.count >= messagePrefixSize else {
            let what = body.isEmpty ? "no message" : "a truncated message prefix"
            return .failure(GRPCError(code: .internal, message: "unary call: \(what)"))
        }
        guard body[0] <= 1 else {
            return .failure(GRPCError(code: .internal, message: "invalid message flag \(body[0])"))
        }
        let length = Int(body[1]) << 24 | Int(body[2]) << 16 | Int(body[3]) << 8 | Int(body[4])
        let available = body.count - messagePrefixSize
        if length > available {
            return .failure(GRPCError(code: .internal, message: "message truncated: \(available) of \(length) bytes"))
        }
        if length < available {
            return .failure(GRPCError(code: .internal, message: "unary call: more than one message"))
        }
        guard body[0] == 1 else { return .success((body, messagePrefixSize)) }
        return message(
            Array(body[messagePrefixSize...]), compressed: true, encoding: encoding, maxMessageSize: maxMessageSize
        ).map { ($0, 0) }
    }

    /// A received message as the application reads it: as it came with flag 0; with flag 1,
    /// inflated by `encoding` (only gzip is known), with `maxMessageSize` applied to what it
    /// inflates to, as grpc-core judges it.
    static func message(
        _ payload: [UInt8], compressed: Bool, encoding: String?, maxMessageSize: Int
    ) -> Result<[UInt8], GRPCError> {
        guard compressed else { return .success(payload) }
        guard let encoding, encoding != "identity" else {
            return .failure(GRPCError(code: .internal, message: "compressed message without a grpc-encoding"))
        }
        guard encoding == "gzip" else {
            return .failure(
                GRPCError(
                    code: .internal,
                    message: "message compressed with '\(encoding.prefix(40))', "
                        + "which was not offered (grpc-accept-encoding: \(acceptedEncodings))"))
        }
        do {
            return .success(try Gzip.decompress(payload, limit: maxMessageSize))
        } catch {
            if case .tooLarge = error.kind {
                return .failure(
                    GRPCError(
                        code: .resourceExhausted,
                        message: "compressed message inflates to more than the limit of \(maxMessageSize) bytes"))
            }
            return .failure(GRPCError(code: .internal, message: "compressed message: \(error)"))
        }
    }

    /// The message length a prefix declares, or why the message cannot be taken: a flag other
    /// than 0 or 1 is INTERNAL, a length above `maxMessageSize` RESOURCE_EXHAUSTED, as
    /// grpc-core judges them.
    static func declaredLength(
        flag: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8, maxMessageSize: Int
    ) -> Result<Int, GRPCError> {
        if flag > 1 {
            return .failure(GRPCError(code: .internal, message: "invalid message flag \(flag)"))
        }
        let length = Int(b1) << 24 | Int(b2) << 16 | Int(b3) << 8 | Int(b4)
        if length > maxMessageSize {
            return .failure(
                GRPCError(
                    code: .resourceExhausted,
                    message: "message of \(length) bytes is larger than the limit of \(maxMessageSize)"
                ))
        }
        return .success(length)
    }

    /// `grpc-timeout`: at most 8 digits and a unit, rounded up so a server never sees less time.
    static func timeoutHeader(seconds: Double) -> String {
        let units: [(Double, String)] = [
            (1e9, "n"), (1e6, "u"), (1e3, "m"), (1, "S"), (1.0 / 60, "M"), (1.0 / 3600, "H"),
        ]
        let clamped = max(seconds, 0)
        for (perSecond, unit) in units {
            let value = (clamped * perSecond).rounded(.up)
            if value <= 99_999_999 { return "\(Int(value))\(unit)" }
        }
        return "99999999H"
    }

    /// `grpc-message` as a server writes it: printable ASCII except `%` as it is, every other
    /// UTF-8 byte as `%XX`.
    ///
    /// ```swift
    /// GRPCWire.percentEncode("100% sure") // "100%25 sure"
    /// ```
    public static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if byte >= 0x20 && byte < 0x7f && byte != UInt8(ascii: "%") {
                encoded.append(byte)
            } else {
                encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// `grpc-message` is percent-encoded UTF-8; decoding never fails (bad escapes stay as they are).
    static func percentDecode(_ text: String) -> String {
        guard text.contains("%") else { return text }
        let bytes = Array(text.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexDigitValue(bytes[index + 1]), let low = hexDigitValue(bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }
}

extension HeaderField {
    /// Binary metadata: the name must end in `-bin`; the value goes out base64-encoded.
    public init(binary name: String, _ bytes: [UInt8]) {
        self.init(name, Data(bytes).base64EncodedString())
    }

    /// The bytes of a `-bin` header; padded and unpadded base64 are both accepted.
    public var binaryValue: [UInt8]? {
        var text = value
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text).map { [UInt8]($0) }
    }
}

import Foundation

/// The pieces of gRPC's HTTP/2 mapping (grpc/grpc `doc/PROTOCOL-HTTP2.md`) that are pure
/// functions: message framing, `grpc-timeout`, `grpc-message` and `-bin` metadata.
enum GRPCWire {
    /// 1-byte compressed flag + 4-byte big-endian length before every message.
    static let messagePrefixSize = 5

    static func frame(_ message: [UInt8]) -> [UInt8] {
        var framed = [UInt8]()
        framed.reserveCapacity(messagePrefixSize + message.count)
        let length = UInt32(message.count)
        framed.append(0)
        framed.append(UInt8(length >> 24))
        framed.append(UInt8(length >> 16 & 0xff))
        framed.append(UInt8(length >> 8 & 0xff))
        framed.append(UInt8(length & 0xff))
        framed.append(contentsOf: message)
        return framed
    }

    /// The single message of a unary response body, or why there is not exactly one.
    static func unframeSingle(_ body: [UInt8]) -> Result<[UInt8], GRPCError> {
        guard body.count >= messagePrefixSize else {
            let what = body.isEmpty ? "no response message" : "a truncated message prefix"
            return .failure(GRPCError(code: .internal, message: "unary call returned \(what)"))
        }
        if body[0] != 0 {
            return .failure(GRPCError(code: .internal, message: "compressed response, but no compression was negotiated"))
        }
        let length = Int(body[1]) << 24 | Int(body[2]) << 16 | Int(body[3]) << 8 | Int(body[4])
        let available = body.count - messagePrefixSize
        if length > available {
            return .failure(GRPCError(code: .internal, message: "response message truncated: \(available) of \(length) bytes"))
        }
        if length < available {
            return .failure(GRPCError(code: .internal, message: "unary call returned more than one message"))
        }
        return .success(Array(body[messagePrefixSize...]))
    }

    /// `grpc-timeout`: at most 8 digits and a unit, rounded up so a server never sees less time.
    static func timeoutHeader(seconds: Double) -> String {
        let units: [(Double, String)] = [(1e9, "n"), (1e6, "u"), (1e3, "m"), (1, "S"), (1.0 / 60, "M"), (1.0 / 3600, "H")]
        let clamped = max(seconds, 0)
        for (perSecond, unit) in units {
            let value = (clamped * perSecond).rounded(.up)
            if value <= 99_999_999 { return "\(Int(value))\(unit)" }
        }
        return "99999999H"
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
               let high = hexDigitValue(bytes[index + 1]), let low = hexDigitValue(bytes[index + 2]) {
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

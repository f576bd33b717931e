import Foundation
import ProtoWire

/// The JSON the subcommands print, in the shape of Clarifai's REST responses.
///
/// The typed client returns the annotations of a successful call, not the response's status,
/// so a success is printed with the status Clarifai's REST API gives it: 10000 "Ok".
enum Output {
    static var okStatus: Status { Status(code: .success, description: "Ok") }

    /// `{"status": {...}, "annotations": [...]}` (MultiAnnotationResponse).
    static func annotations(_ annotations: [Annotation]) -> String {
        var response = MultiAnnotationResponse()
        response.status = okStatus
        response.annotations = annotations
        return response.jsonString()
    }

    /// `{"status": {...}, "annotation": {...}}` (SingleAnnotationResponse).
    static func annotation(_ annotation: Annotation) -> String {
        var response = SingleAnnotationResponse()
        response.status = okStatus
        response.annotation = annotation
        return response.jsonString()
    }

    /// `{"status": {...}}` (BaseResponse).
    static func status() -> String {
        var response = BaseResponse()
        response.status = okStatus
        return response.jsonString()
    }
}

/// Buffered line output to a file descriptor (stdout or a file), flushed every 64 KiB.
final class LineWriter {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    func writeLine(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    func writeLine(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    /// The `errno` of the first failed write, if any.
    private(set) var failure: Int32?

    func flush() {
        guard !buffer.isEmpty else { return }
        if !writeAll(fd: fd, buffer) && failure == nil { failure = errno }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// `text` as a JSON string literal.
func jsonQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

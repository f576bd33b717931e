import Testing

@testable import H2Transport

/// `GRPCWire` (Sources/H2Transport/GRPCWire.swift): the message prefix, the `grpc-timeout`
/// value, the `grpc-message` percent-encoding, and the single message of a unary body, value by
/// value (grpc/grpc `doc/PROTOCOL-HTTP2.md`).
@Suite struct GRPCWireTests {
    // MARK: - Framing

    @Test func framesWithTheFiveBytePrefix() {
        #expect(GRPCWire.frame([]) == [0, 0, 0, 0, 0])
        #expect(GRPCWire.frame([7, 8, 9]) == [0, 0, 0, 0, 3, 7, 8, 9])
        #expect(Array(GRPCWire.frame([UInt8](repeating: 1, count: 0x01_02_03)).prefix(5)) == [0, 0, 1, 2, 3])
        var body: [UInt8] = []
        GRPCWire.appendFrame(of: [1], to: &body)
        GRPCWire.appendFrame(of: [2, 3], to: &body)
        #expect(body == [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 2, 2, 3])
        #expect(GRPCWire.messagePrefixSize == 5)
    }

    @Test func unframesASingleMessageOrSaysWhy() throws {
        #expect(try GRPCWire.unframeSingle([0, 0, 0, 0, 2, 4, 5]).get() == [4, 5])
        #expect(throws: GRPCError.self) { try GRPCWire.unframeSingle([]).get() }
        #expect(throws: GRPCError.self) { try GRPCWire.unframeSingle([0, 0, 0]).get() }
        #expect(throws: GRPCError.self) { try GRPCWire.unframeSingle([1, 0, 0, 0, 0]).get() }
        #expect(throws: GRPCError.self) { try GRPCWire.unframeSingle([0, 0, 0, 0, 2, 4]).get() }
        #expect(throws: GRPCError.self) { try GRPCWire.unframeSingle([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]).get() }
    }

    /// `grpc-message`: what a server writes and a client reads back (gRPC's percent-encoding).
    @Test func percentEncodesTheStatusMessageAndDecodesItBack() {
        #expect(GRPCWire.percentEncode("plain text: ok") == "plain text: ok")
        #expect(GRPCWire.percentEncode("100% sure") == "100%25 sure")
        #expect(GRPCWire.percentEncode("line\nnext") == "line%0Anext")
        #expect(GRPCWire.percentEncode("café") == "caf%C3%A9")
        for text in ["", "100% sure", "café ☕️ \u{0}\t%%", "%zz stays"] {
            #expect(GRPCWire.percentDecode(GRPCWire.percentEncode(text)) == text)
        }
        #expect(GRPCWire.percentDecode("%zz%4") == "%zz%4")
    }

    // MARK: - grpc-timeout

    /// `TimeoutValue` is at most 8 digits: the finest unit that fits, rounded up so that the
    /// server never sees less time than the client gives; nothing left is "0n".
    @Test(
        arguments: [
            (0, "0n"),
            (-0.0, "0n"),
            (-1, "0n"),  // a deadline already past
            (-.infinity, "0n"),
            (0.5e-9, "1n"),  // rounded up, never down to 0
            (1e-9, "1n"),
            (2.5e-7, "250n"),
            (1e-6, "1000n"),
            (0.001, "1000000n"),
            (0.05, "50000000n"),
            (0.1, "100000u"),  // 100000000n would be 9 digits
            (0.1 + 1e-9, "100001u"),  // 100000001 ns: the next microsecond up
            (1, "1000000u"),
            (1.5, "1500000u"),
            (1.1, "1100000u"),
            (100, "100000m"),
            (100_000, "100000S"),
            (99_999_999, "99999999S"),
            (100_000_000, "1666667M"),  // 1666666.67 minutes, rounded up
            (6e9, "1666667H"),
            (359_999_996_400, "99999999H"),  // the largest value there is
            (1e12, "99999999H"),  // clamped
            (.infinity, "99999999H"),
        ] as [(Double, String)])
    func timeoutHeader(seconds: Double, header: String) {
        #expect(GRPCWire.timeoutHeader(seconds: seconds) == header)
    }

    /// Whatever the duration, the value is 1 to 8 digits and one of the six units.
    @Test(arguments: [1e-12, 3e-9, 0.099_999_999, 0.7, 12.25, 86_400, 1e7, 3.15e9, 1e15, 1e300])
    func timeoutHeaderHasAtMostEightDigits(seconds: Double) {
        let header = GRPCWire.timeoutHeader(seconds: seconds)
        let digits = header.dropLast()
        #expect((1...8).contains(digits.count), "\(header)")
        #expect(digits.allSatisfy { $0.isASCII && $0.isNumber }, "\(header)")
        #expect(["n", "u", "m", "S", "M", "H"].contains(header.last), "\(header)")
    }

    // MARK: - grpc-message

    /// Printable ASCII but `%` (0x20…0x7E) as it is; every other UTF-8 byte as `%XX`, upper-case.
    @Test(
        arguments: [
            ("", ""),
            ("plain: ok (1/2) [x] ~_-", "plain: ok (1/2) [x] ~_-"),
            (" ", " "),
            ("%", "%25"),
            ("a%b", "a%25b"),
            ("%41", "%2541"),  // an escape in the text is not taken for one
            ("\u{0}", "%00"),
            ("\t", "%09"),
            ("\r\n", "%0D%0A"),
            ("\u{1F}", "%1F"),
            ("\u{7F}", "%7F"),
            ("é", "%C3%A9"),
            ("日", "%E6%97%A5"),
            ("😀", "%F0%9F%98%80"),
            ("caf\u{65}\u{301}", "cafe%CC%81"),  // a combining accent: its own bytes
        ] as [(String, String)])
    func percentEncode(text: String, encoded: String) {
        #expect(GRPCWire.percentEncode(text) == encoded)
        #expect(GRPCWire.percentDecode(encoded) == text)
    }

    /// Decoding never fails: lower-case hex is taken, a `%` without two hex digits stays as it
    /// is, and bytes that are not UTF-8 become U+FFFD (the spec forbids dropping the message).
    @Test(
        arguments: [
            ("", ""),
            ("no escapes", "no escapes"),
            ("%41%42", "AB"),
            ("%4a%4A", "JJ"),
            ("%", "%"),
            ("100%", "100%"),
            ("%4", "%4"),
            ("50%-off", "50%-off"),
            ("%zz", "%zz"),
            ("%4g", "%4g"),
            ("%g4", "%g4"),
            ("%%41", "%A"),
            ("%2541", "%41"),  // decoded once only
            ("a+b", "a+b"),  // not form encoding: '+' is a plus
            ("caf%C3%A9", "café"),
            ("café", "café"),  // raw UTF-8 passes through
            ("%E2%98%95", "☕"),
            ("%00", "\u{0}"),
            ("%FF", "\u{FFFD}"),
            ("%C3", "\u{FFFD}"),  // a truncated sequence
            ("%C3x", "\u{FFFD}x"),
            ("%C3%A", "\u{FFFD}%A"),
            ("%ED%A0%80", "\u{FFFD}\u{FFFD}\u{FFFD}"),  // a UTF-16 surrogate is not UTF-8
        ] as [(String, String)])
    func percentDecode(encoded: String, text: String) {
        #expect(GRPCWire.percentDecode(encoded) == text)
    }

    // MARK: - The message of a unary body

    enum Unframed: Sendable, Equatable {
        case message([UInt8])
        case refused(GRPCError.Code, String)
    }

    @Test(
        arguments: [
            ([0, 0, 0, 0, 0], .message([])),  // an empty message is a message
            ([0, 0, 0, 0, 2, 4, 5], .message([4, 5])),
            ([0, 0, 0, 1, 0] + [UInt8](repeating: 7, count: 256), .message([UInt8](repeating: 7, count: 256))),
            ([], .refused(.internal, "unary call: no message")),
            ([0], .refused(.internal, "unary call: a truncated message prefix")),
            ([0, 0, 0, 0], .refused(.internal, "unary call: a truncated message prefix")),
            ([1], .refused(.internal, "unary call: a truncated message prefix")),  // the length comes first
            // Flagged compressed, with no grpc-encoding (GRPCCompressionTests has the encodings).
            ([1, 0, 0, 0, 0], .refused(.internal, "compressed message without a grpc-encoding")),
            ([1, 0, 0, 0, 1, 9], .refused(.internal, "compressed message without a grpc-encoding")),
            ([0x80, 0, 0, 0, 0], .refused(.internal, "invalid message flag 128")),
            ([0, 0, 0, 0, 2, 4], .refused(.internal, "message truncated: 1 of 2 bytes")),
            ([0, 0, 0, 1, 0, 1], .refused(.internal, "message truncated: 1 of 256 bytes")),
            ([0, 0xff, 0xff, 0xff, 0xff], .refused(.internal, "message truncated: 0 of 4294967295 bytes")),
            ([0, 0, 0, 0, 0, 9], .refused(.internal, "unary call: more than one message")),  // a trailing byte
            ([0, 0, 0, 0, 1, 7, 0, 0, 0, 0, 1, 8], .refused(.internal, "unary call: more than one message")),
            ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], .refused(.internal, "unary call: more than one message")),
        ] as [([UInt8], Unframed)])
    func unframeSingle(body: [UInt8], expected: Unframed) {
        let unframed: Unframed =
            switch GRPCWire.unframeSingle(body) {
            case .success(let message): .message(message)
            case .failure(let error): .refused(error.code, error.message)
            }
        #expect(unframed == expected)
    }

    /// `frame` and `unframeSingle` are inverses, whatever the length's bytes hold.
    @Test(arguments: [0, 1, 127, 128, 255, 256, 65_535, 65_536, 70_000])
    func framesAndUnframesEveryLength(count: Int) throws {
        let message = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let body = GRPCWire.frame(message)
        #expect(body.count == GRPCWire.messagePrefixSize + count)
        #expect(Array(body.prefix(5)) == [0, 0, UInt8(count >> 16), UInt8(count >> 8 & 0xff), UInt8(count & 0xff)])
        #expect(try GRPCWire.unframeSingle(body).get() == message)
    }
}

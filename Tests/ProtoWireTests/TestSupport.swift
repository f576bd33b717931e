import Testing

@testable import ProtoWire

// Helpers for byte- and JSON-vector tests, in the style of swift-protobuf's test suite
// (`assertEncode([8, 1]) { $0.optionalInt32 = 1 }`). The expected bytes in the tests come
// from the official implementation (clarifai-grpc's Python classes on upb), never from
// this package's encoder.
//
// Note: closures with typed throws passed to `withUnsafeBytes` crash the Swift 6.3 SILGen;
// nothing here uses `withUnsafeBytes`, and every closure throws untyped.

// MARK: Bytes

/// Bytes from hex digits; whitespace is ignored: `hex("0a 04")` is `[0x0a, 0x04]`.
func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var high: UInt8?
    for scalar in text.unicodeScalars {
        let digit: UInt8
        switch scalar {
        case "0"..."9": digit = UInt8(scalar.value - 48)
        case "a"..."f": digit = UInt8(scalar.value - 87)
        case "A"..."F": digit = UInt8(scalar.value - 55)
        case " ", "\n", "\t", "\r": continue
        default: preconditionFailure("not a hex digit: \(scalar)")
        }
        if let pending = high {
            bytes.append(pending << 4 | digit)
            high = nil
        } else {
            high = digit
        }
    }
    precondition(high == nil, "odd number of hex digits")
    return bytes
}

/// `0a 04 74 72 65 65`: readable in failure messages.
func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    var text = ""
    for (index, byte) in bytes.enumerated() {
        if index > 0 { text.append(" ") }
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 15)])
    }
    return text
}

/// A message built in place: `make { (v: inout Video) in v.url = "…" }`.
func make<M: ProtoMessage>(_ build: (inout M) -> Void) -> M {
    var message = M()
    build(&message)
    return message
}

// MARK: Binary expectations

/// Builds a message, checks that it encodes to exactly `expected` (the official bytes),
/// then decodes `expected` and checks that it gives the built message back and re-encodes
/// to the same bytes.
///
/// - Parameter checkEquality: false for messages holding NaN, which is never equal to itself.
func expectEncode<M: ProtoMessage>(
    _ expected: [UInt8],
    checkEquality: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ build: (inout M) -> Void
) {
    var message = M()
    build(&message)
    #expect(
        hexString(message.serializedBytes()) == hexString(expected),
        "\(M.self).serializedBytes() differs from the official bytes",
        sourceLocation: sourceLocation)
    do {
        let decoded = try M(serializedBytes: expected)
        if checkEquality {
            #expect(
                decoded == message, "decoding the official bytes gives another message", sourceLocation: sourceLocation)
        }
        #expect(
            hexString(decoded.serializedBytes()) == hexString(expected),
            "decoding and re-encoding the official bytes changes them",
            sourceLocation: sourceLocation)
    } catch {
        Issue.record("decoding the official bytes failed: \(error)", sourceLocation: sourceLocation)
    }
}

/// Decodes input that the encoder never produces (unpacked floats, repeated fields, …),
/// checks it against the message `build` makes, and checks that it re-encodes to what the
/// official class re-serializes the same input to.
func expectDecode<M: ProtoMessage>(
    _ input: [UInt8],
    reencodesTo official: [UInt8],
    checkEquality: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ build: (inout M) -> Void
) {
    var expected = M()
    build(&expected)
    do {
        let decoded = try M(serializedBytes: input)
        if checkEquality {
            #expect(decoded == expected, "decoded message", sourceLocation: sourceLocation)
        }
        #expect(
            hexString(decoded.serializedBytes()) == hexString(official),
            "re-encoding differs from the official re-serialization",
            sourceLocation: sourceLocation)
    } catch {
        Issue.record("decoding failed: \(error)", sourceLocation: sourceLocation)
    }
}

/// Decodes `input` and checks that it re-encodes to `official` (what the official class
/// re-serializes it to), e.g. unknown fields moved to the end.
func expectReencode<M: ProtoMessage>(
    _ type: M.Type,
    _ input: [UInt8],
    _ official: [UInt8],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let decoded = try M(serializedBytes: input)
        #expect(
            hexString(decoded.serializedBytes()) == hexString(official),
            "re-encoding differs from the official re-serialization",
            sourceLocation: sourceLocation)
    } catch {
        Issue.record("decoding failed: \(error)", sourceLocation: sourceLocation)
    }
}

/// Checks that decoding fails with exactly this description (path and reason).
func expectDecodeFails<M: ProtoMessage>(
    _ type: M.Type,
    _ input: [UInt8],
    _ description: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let decoded = try M(serializedBytes: input)
        Issue.record("decoded without an error: \(decoded)", sourceLocation: sourceLocation)
    } catch {
        #expect(String(describing: error) == description, sourceLocation: sourceLocation)
    }
}

// MARK: JSON expectations

/// Parses JSON with the package's parser; records an issue and returns nil when it is invalid.
func parsedJSON(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue? {
    do {
        return try JSONValue.parse(Array(text.utf8))
    } catch {
        Issue.record("invalid JSON \(text): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// A form in which equal JSON compares equal: object members sorted by key, numbers by value
/// (`1`, `1.0` and `1e0` are the same number). Strings stay strings, so `"5"` ≠ `5`.
func canonicalJSON(_ value: JSONValue) -> JSONValue {
    switch value {
    case .null, .bool, .string:
        return value
    case .number(let text):
        guard let number = Double(text) else { return value }
        return .number(String(describing: number))
    case .array(let elements):
        return .array(elements.map(canonicalJSON))
    case .object(let members):
        return .object(
            members.map { JSONValue.Member($0.key, canonicalJSON($0.value)) }.sorted { $0.key < $1.key })
    }
}

/// Builds a message and checks that its JSON is `expected` up to member order and number
/// spelling; then reads the JSON back and checks that it gives the message again.
func expectJSON<M: ProtoMessage>(
    _ expected: String,
    roundTrip: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ build: (inout M) -> Void
) {
    var message = M()
    build(&message)
    let written = message.jsonString()
    guard let actual = parsedJSON(written, sourceLocation: sourceLocation),
        let wanted = parsedJSON(expected, sourceLocation: sourceLocation)
    else { return }
    #expect(
        canonicalJSON(actual) == canonicalJSON(wanted),
        "\(M.self).jsonString() is \(written)",
        sourceLocation: sourceLocation)
    guard roundTrip else { return }
    do {
        let back = try M(jsonString: written)
        #expect(back == message, "reading the written JSON back", sourceLocation: sourceLocation)
    } catch {
        Issue.record("reading the written JSON \(written) back failed: \(error)", sourceLocation: sourceLocation)
    }
}

/// Builds a message and checks its JSON text exactly.
func expectJSONText<M: ProtoMessage>(
    _ expected: String,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ build: (inout M) -> Void
) {
    var message = M()
    build(&message)
    #expect(message.jsonString() == expected, sourceLocation: sourceLocation)
}

/// Reads JSON and checks that it gives the message `build` makes.
func expectJSONDecode<M: ProtoMessage>(
    _ json: String,
    checkEquality: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ build: (inout M) -> Void
) {
    var expected = M()
    build(&expected)
    do {
        let decoded = try M(jsonString: json)
        if checkEquality {
            #expect(decoded == expected, sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("reading \(json) failed: \(error)", sourceLocation: sourceLocation)
    }
}

/// Reads JSON and checks it against `official`, the bytes the official parser
/// (`json_format.Parse`) makes of the same JSON: the message must encode to them, or, with
/// `sameBytes: false` (maps with several keys, whose order is free), equal their decoding.
func expectJSONDecode<M: ProtoMessage>(
    _ type: M.Type,
    _ json: String,
    official: [UInt8],
    sameBytes: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let decoded = try M(jsonString: json)
        if sameBytes {
            #expect(
                hexString(decoded.serializedBytes()) == hexString(official),
                "binary form of the JSON read differs from the official parser's",
                sourceLocation: sourceLocation)
            return
        }
        do {
            let reference = try M(serializedBytes: official)
            #expect(
                decoded == reference, "the JSON read differs from the official parser's", sourceLocation: sourceLocation
            )
        } catch {
            Issue.record("decoding the official bytes failed: \(error)", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("reading \(json) failed: \(error)", sourceLocation: sourceLocation)
    }
}

/// Checks that reading JSON fails with exactly this description (path and reason).
func expectJSONFails<M: ProtoMessage>(
    _ type: M.Type,
    _ json: String,
    _ description: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let decoded = try M(jsonString: json)
        Issue.record("read without an error: \(decoded)", sourceLocation: sourceLocation)
    } catch {
        #expect(String(describing: error) == description, sourceLocation: sourceLocation)
    }
}

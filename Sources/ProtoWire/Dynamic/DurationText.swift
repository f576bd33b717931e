/// The proto3 JSON text of `google.protobuf.Duration` (`"-1.500s"`) and of field-mask paths,
/// as `google.protobuf.json_format` writes and reads them.
enum DurationText {
    /// ±315,576,000,000 s (10,000 years), the range the Duration type allows.
    static let maxSeconds: Int64 = 315_576_000_000

    /// `seconds` and `nanos` (same sign) as `"1s"`, `"1.500s"`, `"-0.000001s"`; nil out of range.
    static func format(seconds: Int64, nanos: Int32) -> String? {
        // `magnitude`, not `abs`: Int64.min and Int32.min come from the wire as well and must not trap.
        guard seconds.magnitude <= maxSeconds.magnitude, nanos.magnitude < 1_000_000_000,
            !(seconds < 0 && nanos > 0), !(seconds > 0 && nanos < 0)
        else { return nil }
        let negative = seconds < 0 || nanos < 0
        var text = negative ? "-" : ""
        text += String(seconds.magnitude)
        let fraction = Int(nanos.magnitude)
        if fraction != 0 {
            let (digits, value) =
                fraction % 1_000_000 == 0
                ? (3, fraction / 1_000_000)
                : fraction % 1_000 == 0 ? (6, fraction / 1_000) : (9, fraction)
            let written = String(value)
            text += "." + String(repeating: "0", count: digits - written.count) + written
        }
        return text + "s"
    }

    /// Parses `[-]seconds[.fraction]s` with up to 9 fractional digits; nil when invalid.
    static func parse(_ text: String) -> (seconds: Int64, nanos: Int32)? {
        guard text.hasSuffix("s") else { return nil }
        var body = Substring(text.dropLast())
        let negative = body.hasPrefix("-")
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit),
            let seconds = Int64(whole), seconds <= maxSeconds
        else { return nil }
        var nanos: Int32 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= 9, fraction.allSatisfy(\.isASCIIDigit) else { return nil }
            nanos = Int32(fraction + String(repeating: "0", count: 9 - fraction.count))!
        }
        return negative ? (-seconds, -nanos) : (seconds, nanos)
    }

    /// A field-mask path in JSON: `display_name` → `displayName`; nil for a path JSON cannot
    /// carry (an upper-case letter, or `_` not followed by a lower-case letter).
    static func camelCasePath(_ path: String) -> String? {
        var result = ""
        var afterUnderscore = false
        for character in path {
            if character.isUppercase { return nil }
            if afterUnderscore {
                guard character.isLowercase else { return nil }
                result += character.uppercased()
                afterUnderscore = false
            } else if character == "_" {
                afterUnderscore = true
            } else {
                result.append(character)
            }
        }
        return afterUnderscore ? nil : result
    }

    /// The reverse: `displayName` → `display_name`; nil when the path holds an underscore.
    static func snakeCasePath(_ path: String) -> String? {
        var result = ""
        for character in path {
            if character == "_" { return nil }
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

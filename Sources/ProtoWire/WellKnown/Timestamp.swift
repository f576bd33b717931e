/// `google.protobuf.Timestamp`: seconds and nanoseconds since the Unix epoch, UTC.
///
/// In JSON it is an RFC 3339 string, `"2024-01-31T12:00:00.250Z"`.
public struct Timestamp: ProtoMessage, Hashable, Comparable {
    public static let protoMessageName = "google.protobuf.Timestamp"

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range the JSON form can express.
    static let minSeconds: Int64 = -62_135_596_800
    static let maxSeconds: Int64 = 253_402_300_799

    /// Whole seconds since 1970-01-01T00:00:00Z, negative before it (JSON can express years 1…9999 only).
    public var seconds: Int64 = 0  // int64 seconds = 1;
    /// The fraction of the second, in nanoseconds, 0…999,999,999 (also when `seconds` is negative).
    public var nanos: Int32 = 0  // int32 nanos = 2;
    /// Fields of `google.protobuf.Timestamp` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// The instant `seconds` (+ `nanos` nanoseconds) after the Unix epoch.
    public init(seconds: Int64, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.seconds, lhs.nanos) < (rhs.seconds, rhs.nanos)
    }

    public static func fieldName(_ number: Int) -> String? {
        switch number {
        case 1: "seconds"
        case 2: "nanos"
        default: nil
        }
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: seconds = try reader.readInt64(tag)
        case 2: nanos = try reader.readInt32(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeInt32(2, nanos)
        writer.writeInt64(1, seconds)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        let written: Void? = withRFC3339Bytes { writer.writeASCIIStringValue($0) }
        if written == nil { writer.writeStringValue(rfc3339) }
    }

    public mutating func mergeJSON(_ value: JSONValue) throws(JSONError) {
        guard let parsed = Timestamp(rfc3339: try value.protoString()) else {
            throw JSONError(.invalidTimestamp)
        }
        self = parsed
    }

    /// RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, as proto3 JSON prints it.
    public var rfc3339: String {
        if let text = withRFC3339Bytes({ String(decoding: $0, as: UTF8.self) }) { return text }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Timestamp.civil(fromDays: days)
        var text = Timestamp.pad(year, 4) + "-" + Timestamp.pad(month, 2) + "-" + Timestamp.pad(day, 2)
        text += "T" + Timestamp.pad(secondOfDay / 3600, 2) + ":" + Timestamp.pad(secondOfDay / 60 % 60, 2)
        text += ":" + Timestamp.pad(secondOfDay % 60, 2)
        if nanos != 0 {
            let fraction = Int64(nanos)
            if fraction % 1_000_000 == 0 {
                text += "." + Timestamp.pad(fraction / 1_000_000, 3)
            } else if fraction % 1_000 == 0 {
                text += "." + Timestamp.pad(fraction / 1_000, 6)
            } else {
                text += "." + Timestamp.pad(fraction, 9)
            }
        }
        return text + "Z"
    }

    /// `rfc3339`'s text, written into a stack buffer and lent to `body`, for the timestamps the
    /// JSON form can express (years 1…9999, nanos 0…999,999,999); nil for any other, which
    /// `rfc3339` spells out the slow way. JSON encoding built each timestamp from a dozen strings.
    func withRFC3339Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard seconds >= Timestamp.minSeconds, seconds <= Timestamp.maxSeconds,
            nanos >= 0, nanos < 1_000_000_000
        else { return nil }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Timestamp.civil(fromDays: days)
        // "9999-12-31T23:59:59.999999999Z" is 30 bytes.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 30) { buffer in
            var count = 0
            func digits(_ value: Int64, _ width: Int) {
                var rest = value
                for position in (count..<count + width).reversed() {
                    buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                count += width
            }
            func character(_ ascii: Unicode.Scalar) {
                buffer[count] = UInt8(ascii: ascii)
                count += 1
            }
            digits(year, 4)
            character("-")
            digits(month, 2)
            character("-")
            digits(day, 2)
            character("T")
            digits(secondOfDay / 3600, 2)
            character(":")
            digits(secondOfDay / 60 % 60, 2)
            character(":")
            digits(secondOfDay % 60, 2)
            if nanos != 0 {
                let fraction = Int64(nanos)
                character(".")
                if fraction % 1_000_000 == 0 {
                    digits(fraction / 1_000_000, 3)
                } else if fraction % 1_000 == 0 {
                    digits(fraction / 1_000, 6)
                } else {
                    digits(fraction, 9)
                }
            }
            character("Z")
            return body(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Parses RFC 3339 (`Z` or a `±hh:mm` offset, up to 9 fractional digits); nil when invalid
    /// or outside years 1…9999.
    public init?(rfc3339 text: String) {
        // Over the string's own bytes where it has them contiguous: copying them into an array
        // first cost an allocation per timestamp.
        let parsed =
            text.utf8.withContiguousStorageIfAvailable(Timestamp.parse(rfc3339:))
            ?? Array(text.utf8).withUnsafeBufferPointer(Timestamp.parse(rfc3339:))
        guard let parsed else { return nil }
        self = parsed
    }

    private static func parse(rfc3339 b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= b.count else { return nil }
            var value: Int64 = 0
            for byte in b[from..<from + count] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            year >= 1, (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var nanos: Int64 = 0
        if b[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < b.count, b[index] >= 48, b[index] <= 57 {
                guard digits < 9 else { return nil }
                nanos = nanos * 10 + Int64(b[index] - 48)
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { nanos *= 10 }
        }
        guard index < b.count else { return nil }
        var offset: Int64 = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == b.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == b.count, b[index + 3] == UInt8(ascii: ":"),
                let offsetHours = number(index + 1, 2), let offsetMinutes = number(index + 4, 2),
                offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offset = (offsetHours * 60 + offsetMinutes) * 60 * (b[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        let days = Timestamp.days(fromCivil: year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        guard seconds >= Timestamp.minSeconds, seconds <= Timestamp.maxSeconds else { return nil }
        return Timestamp(seconds: seconds, nanos: Int32(nanos))
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
    private static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

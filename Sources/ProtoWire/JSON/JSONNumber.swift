/// Fast conversion of JSON number text, exact where it applies.
enum JSONNumber {
    /// `Double(text)` for the common short decimal (`0.4231`, `-12`, `1.5e3`), or nil to leave
    /// the text to `Double(_:)` (which calls `strtod`: about a third of JSON decoding).
    ///
    /// Clinger's fast path: when the digits, read as an integer, are at most 2^53 and the decimal
    /// exponent is within ±22, both the integer and the power of ten are exact doubles, so one
    /// IEEE multiplication or division rounds correctly, to the very value `strtod` returns.
    /// Only plain JSON number syntax is taken; anything else returns nil.
    static func fastDouble(_ text: String) -> Double? {
        let result = text.utf8.withContiguousStorageIfAvailable { fastDouble($0) }
        return result ?? nil
    }

    static func fastDouble(_ utf8: UnsafeBufferPointer<UInt8>) -> Double? {
        let zero = UInt8(ascii: "0")
        var index = 0
        let count = utf8.count
        let negative = count > 0 && utf8[0] == UInt8(ascii: "-")
        if negative { index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        let integerStart = index
        while index < count, utf8[index] &- zero < 10 {
            mantissa = mantissa &* 10 &+ UInt64(utf8[index] &- zero)
            digits += 1
            index += 1
        }
        guard index > integerStart else { return nil }
        if index < count && utf8[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < count, utf8[index] &- zero < 10 {
                mantissa = mantissa &* 10 &+ UInt64(utf8[index] &- zero)
                digits += 1
                exponent -= 1
                index += 1
            }
            guard index > fractionStart else { return nil }
        }
        // 19 digits always fit in a UInt64 (so the wrapping arithmetic above never wrapped).
        guard digits <= 19, mantissa <= 1 << 53 else { return nil }
        if index < count && (utf8[index] == UInt8(ascii: "e") || utf8[index] == UInt8(ascii: "E")) {
            index += 1
            var exponentNegative = false
            if index < count && (utf8[index] == UInt8(ascii: "+") || utf8[index] == UInt8(ascii: "-")) {
                exponentNegative = utf8[index] == UInt8(ascii: "-")
                index += 1
            }
            let exponentStart = index
            var written = 0
            while index < count, utf8[index] &- zero < 10, index - exponentStart < 4 {
                written = written * 10 + Int(utf8[index] &- zero)
                index += 1
            }
            guard index > exponentStart else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == count, exponent >= -22, exponent <= 22 else { return nil }
        var value = Double(mantissa)
        if exponent > 0 {
            value *= powersOfTen[exponent]
        } else if exponent < 0 {
            value /= powersOfTen[-exponent]
        }
        return negative ? -value : value
    }

    /// 1e0 … 1e22, every one an exact double.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}

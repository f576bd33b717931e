/// Ids in the shape Clarifai assigns: 32 lower-case hex digits from the system's random source.
///
/// The client gives a new annotation its id before the first attempt (so that a retried post
/// cannot create a duplicate); the emulator gives one to annotations and regions posted without.
///
/// ```swift
/// let id = AnnotationID.make()  // "3f1c0a9e5b7d4c2e8a6f0b1d9c7e5a3b"
/// ```
public enum AnnotationID {
    /// A new id: 128 random bits as 32 lower-case hex digits, never repeating in practice.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex(generator.next() as UInt64) + hex(generator.next() as UInt64)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

import Testing

@testable import H2Transport

/// gzip through zlib, by byte vectors: what Python's `gzip` writes reads back, round trips of
/// every size, the limit on the inflated size (a zip bomb costs the limit, not its size), and
/// every malformed member refused with a reason.
struct GzipTests {
    /// `gzip.compress(b"hello", mtime=0)`.
    static let hello = hex("1f8b0800000000000203cb48cdc9c9070086a6103605000000")

    @Test func whatPythonWritesReadsBack() throws {
        #expect(try Gzip.decompress(Self.hello, limit: 5) == Array("hello".utf8))
    }

    @Test(arguments: [0, 1, 100, 65_536, 65_537, 1 << 20])
    func roundTrips(size: Int) throws {
        var generator = SplitMix64(seed: UInt64(size))
        let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next() % 7) }
        let compressed = Gzip.compress(bytes)
        #expect(compressed.prefix(2) == [0x1f, 0x8b])
        #expect(try Gzip.decompress(compressed, limit: size) == bytes)
    }

    @Test func theLimitIsOnTheInflatedSize() throws {
        let message = [UInt8](repeating: 7, count: 1000)
        let compressed = Gzip.compress(message)
        #expect(try Gzip.decompress(compressed, limit: 1000) == message)
        #expect(throws: GzipError(.tooLarge(limit: 999))) { try Gzip.decompress(compressed, limit: 999) }
        #expect(throws: GzipError(.tooLarge(limit: 0))) { try Gzip.decompress(compressed, limit: 0) }
    }

    @Test func aBombStopsAtTheLimit() throws {
        // 256 MiB of zeros in about 250 KB: refused after at most 1 MiB + one step of output.
        let bomb = Gzip.compress([UInt8](repeating: 0, count: 256 << 20))
        #expect(bomb.count < 300_000)
        let error = #expect(throws: GzipError.self) { try Gzip.decompress(bomb, limit: 1 << 20) }
        #expect(error?.description == "gzip: decompresses to more than 1048576 bytes")
    }

    @Test func aNegativeLimitCountsAsZero() {
        #expect(throws: GzipError(.tooLarge(limit: 0))) { try Gzip.decompress(Self.hello, limit: -5) }
        #expect(throws: GzipError(.tooLarge(limit: 0))) { try Gzip.decompress(Self.hello, limit: Int.min) }
    }

    @Test func aLimitOfIntMaxDoesNotOverflow() throws {
        #expect(try Gzip.decompress(Self.hello, limit: Int.max) == Array("hello".utf8))
    }

    static let malformed: [(String, [UInt8])] = [
        ("not gzip", hex("68656c6c6f")),
        ("truncated", Array(hello.dropLast(4))),
        ("header only", Array(hello.prefix(10))),
        ("bad checksum", Array(hello.dropLast(8)) + hex("00000000 05000000")),
        ("bytes after the end", hello + [0]),
        ("empty", []),
    ]

    @Test(arguments: GzipTests.malformed)
    func malformedMembersAreRefused(_ name: String, _ bytes: [UInt8]) {
        let error = #expect(throws: GzipError.self, "\(name)") { try Gzip.decompress(bytes, limit: 100) }
        guard case .malformed(let reason)? = error?.kind else {
            Issue.record("\(name): \(String(describing: error))")
            return
        }
        #expect(!reason.isEmpty)
    }
}

/// A small deterministic generator for test data.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Bytes from hex digits; spaces are ignored.
private func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace }.utf8)
    return stride(from: 0, to: digits.count, by: 2).map {
        UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
    }
}

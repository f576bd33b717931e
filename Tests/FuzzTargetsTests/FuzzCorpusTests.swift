import Foundation
import FuzzTargets
import ProtoWire
import Testing

/// Every seed of the fuzz corpus and every input a fuzzer saved (Tests/Fuzz/crashes/<target>/:
/// crashes, timeouts, out-of-memory inputs, kept after they were fixed) runs through its
/// target without crashing; the seeds of the codec targets also decode as the type their
/// first byte selects (so the seed generator's type order matches MessageTypes.all).
/// Serialized: the session target's loopback server holds one script at a time.
@Suite(.serialized)
struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func files(_ kind: String, _ target: FuzzTarget) -> [URL] {
        let directory = root.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsAndSavedInputsRunClean(_ target: FuzzTarget) async throws {
        let seeds = FuzzCorpusTests.files("corpus", target)
        #expect(seeds.count >= 6, "the seed corpus of \(target) is missing: run scripts/fuzz_seed_corpus.py")
        for file in seeds + FuzzCorpusTests.files("crashes", target) {
            await target.runAsync([UInt8](try Data(contentsOf: file)))
        }
    }

    @Test func dynamicSeedsReachTheMirror() throws {
        let directory = FuzzCorpusTests.root.appendingPathComponent("corpus/dynamic")
        let set = [UInt8](try Data(contentsOf: directory.appendingPathComponent("mirror-descriptor-set")))
        #expect(set == MirroredSchema.serializedDescriptorSet, "rerun scripts/fuzz_seed_corpus.py")
        let response = [UInt8](try Data(contentsOf: directory.appendingPathComponent("mirror-unknown-fields")))
        let type = try #require(MirroredSchema.messageType("clarifai.api.MultiAnnotationResponse"))
        let report = try DynamicMessage(serializedBytes: response, type: type)
            .unknownFieldReport(isModelled: MirroredSchema.isModelled)
        #expect(report.map { $0.path } == ["annotations[0].data.geo", "annotations[0].worker.model.#18", "#1000"])
    }

    @Test func codecSeedsSelectTheirOwnType() throws {
        for target in [FuzzTarget.decode, .json] {
            for file in FuzzCorpusTests.files("corpus", target) {
                let typeName = file.lastPathComponent.split(separator: "-").first.map(String.init) ?? ""
                let bytes = [UInt8](try Data(contentsOf: file))
                #expect(FuzzTarget.selectedTypeName(bytes) == typeName, "\(file.lastPathComponent)")
                #expect(FuzzTarget.decodes(target, bytes), "\(target) seed \(file.lastPathComponent) does not decode")
            }
        }
    }

    @Test func sessionSeedsReachTheClientsReadingOfTheAnswer() async {
        func outcome(_ name: String) async -> String {
            let file = FuzzCorpusTests.root.appendingPathComponent("corpus/session/\(name)")
            return await FuzzTarget.sessionOutcome((try? [UInt8](Data(contentsOf: file))) ?? [])
        }
        #expect(await outcome("full-answer") == "annotations 1")
        #expect(await outcome("trailers-only") == "grpc 14")
        let reset = await outcome("rst-stream")
        #expect(reset.contains("RST_STREAM"), "\(reset)")
        let pieces = await outcome("data-in-pieces")
        #expect(pieces == "annotations 1", "\(pieces)")
        #expect(await outcome("goaway").hasPrefix("transport"))
        let continuation = await outcome("continuation")
        #expect(continuation.hasPrefix("transport") || continuation.hasPrefix("grpc"), "\(continuation)")
    }

    /// The request seeds reach what they are named for: read, asked for 100-continue, or
    /// refused with their status (400 unless listed).
    @Test func requestSeedsAreReadOrRefusedAsNamed() throws {
        let read = [
            "get": 1, "post-content-length": 1, "post-chunked": 1, "expect-continue-body": 1,
            "expect-continue-chunked": 1,
            "pipelined": 4, "http10": 2, "empty-lines-before": 1, "connection-close-then-more": 2,
        ]
        let refused = [
            "smuggle-te-gzip-chunked": 501, "smuggle-chunk-size-overflow": 413, "http2-version": 505,
            "expect-other": 417,
            "body-too-large": 413, "chunked-too-large": 413, "head-too-large": 431,
        ]
        for file in FuzzCorpusTests.files("corpus", .request) {
            let name = file.lastPathComponent
            let outcome = FuzzTarget.requestOutcome([UInt8](try Data(contentsOf: file)))
            if name == "expect-continue-head" {
                #expect(outcome == ["100-continue"], "\(name)")
            } else if let count = read[name] {
                #expect(outcome == Array(repeating: "request", count: count), "\(name)")
            } else {
                #expect(outcome == ["refused \(refused[name] ?? 400)"], "\(name)")
            }
        }
    }
}

import AnnotationsObservability
import AnnotationsRPC
import Foundation
import Logging
import Metrics
import ProtoWire
import Testing
import Tracing

/// The example of README.md's section "Observability", word for word between the markers, so
/// that the build checks it compiles (it is never run: bootstrapping is once per process). The
/// placeholders of the README (`myMetricsFactory`, `myTracer`) are its parameters.
func readmeObservabilityExample(myMetricsFactory: any MetricsFactory, myTracer: any Instrument) async throws {
    // README begin
    LoggingSystem.bootstrap(StreamLogHandler.standardError)  // any swift-log back end
    MetricsSystem.bootstrap(myMetricsFactory)  // e.g. a Prometheus or StatsD factory
    InstrumentationSystem.bootstrap(myTracer)  // e.g. an OpenTelemetry tracer (W3C traceparent)

    var logger = Logger(label: "clarifai.annotations")
    logger.logLevel = .debug

    var configuration = ClientConfiguration()
    configuration.userAppID = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")
    configuration.observer = ObserverGroup(
        LoggingObserver(logger: logger),  // one record per event, with metadata
        MetricsObserver(),  // clarifai_annotations_calls_total{method,transport,outcome}, …
        TracingObserver(endpoint: configuration.endpoint)  // a span per call, its context sent with the request
    )
    let client = try AnnotationsClient(configuration: configuration)

    try await withSpan("import batch") { _ in  // the call's span is a child of this one
        _ = try await client.post([Annotation(inputID: "{YOUR_INPUT_ID}", concepts: ["tree": 1])])
    }
    // README end
}

extension ObservabilityTests {
    @Suite struct ReadmeExampleTests {
        /// README.md shows the code of `readmeObservabilityExample`, so that what compiles here is
        /// what readers copy.
        @Test func theReadmeShowsTheCompiledExample() throws {
            let here = URL(fileURLWithPath: #filePath)
            let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let source = try String(contentsOf: here, encoding: .utf8)
            let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
            let begin = try #require(source.range(of: "// README begin\n"))
            let end = try #require(source.range(of: "    // README end", range: begin.upperBound..<source.endIndex))
            let example = source[begin.upperBound..<end.lowerBound].split(
                separator: "\n", omittingEmptySubsequences: false
            )
            .map { $0.hasPrefix("    ") ? $0.dropFirst(4) : $0 }.joined(separator: "\n")
            let section = try #require(readme.range(of: "## Observability\n"))
            let block = try #require(readme.range(of: "```swift\n", range: section.upperBound..<readme.endIndex))
            let blockEnd = try #require(readme.range(of: "```\n", range: block.upperBound..<readme.endIndex))
            let shown = String(readme[block.upperBound..<blockEnd.lowerBound])
            let imports = ["AnnotationsObservability", "AnnotationsRPC", "Logging", "Metrics", "ProtoWire", "Tracing"]
            #expect(shown == imports.map { "import \($0)\n" }.joined() + "\n" + example)
        }
    }
}

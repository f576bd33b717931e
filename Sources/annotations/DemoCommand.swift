import AnnotationsEmulator
import AnnotationsRPC
import ArgumentParser
import ProtoWire
import SeedCatalog

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Every documented annotation call, through the typed gRPC client, against an embedded emulator.",
        discussion: """
            Starts the emulator on an ephemeral loopback port, then runs each request of the Clarifai \
            documentation pages (shared/seeds) through AnnotationsClient over gRPC, printing the call and \
            its answer as Clarifai's REST JSON, and a summary line. Exits non-zero if any call fails.

            Example: annotations demo
            """
    )

    @Flag(help: "Print only the summary line and failures.") var quiet = false

    func run() async throws {
        let emulator = try Emulator()
        defer { emulator.stop() }
        var configuration = ClientConfiguration()
        configuration.endpoint = emulator.endpoint
        configuration.key = "demo-key"
        configuration.userAppID = SeedScenarios.userAppID
        let client = try AnnotationsClient(configuration: configuration)
        defer { client.close() }
        if !quiet { print("emulator listening on \(emulator.endpoint) (gRPC and REST)\n") }

        var passed = 0
        var created = Set<String>()
        for scenario in SeedScenarios.all {
            // Patches, gets and deletes name annotations by id: create the ones not there yet,
            // as the documentation assumes they exist.
            for (inputID, annotationID) in scenario.referencedAnnotations where !created.contains(annotationID) {
                created.insert(annotationID)
                var setup = Annotation(id: annotationID, inputID: inputID, concepts: ["tree": 1])
                setup.data?.regions = [Region.existing(id: "{YOUR_REGION_ID}", concepts: ["tree": 1])]
                _ = try? await client.post([setup])
            }
            if !quiet { print("▶ \(scenario.method): \(scenario.title)\n  request  \(scenario.request.jsonString())") }
            do {
                let outcome = try await scenario.run(with: client)
                passed += 1
                if !quiet { print("  answer   \(outcome.json)\n") }
            } catch {
                print("  ✗ \(scenario.method) \(scenario.title): \(error)\n")
            }
        }
        print("\(passed) of \(SeedScenarios.all.count) documented annotation calls succeeded over gRPC against the emulator")
        if passed != SeedScenarios.all.count { throw ExitCode.failure }
    }
}

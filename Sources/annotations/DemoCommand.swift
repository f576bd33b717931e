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
    @OptionGroup var transport: TransportOption

    func run() async throws {
        let emulator = try Emulator()
        defer { emulator.stop() }
        var configuration = ClientConfiguration()
        configuration.endpoint = emulator.endpoint
        configuration.key = "demo-key"
        configuration.userAppID = SeedScenarios.userAppID
        configuration.transport = transport.transport
        let client = try AnnotationsClient(configuration: configuration)
        defer { client.close() }
        if !quiet { print("emulator listening on \(emulator.endpoint) (gRPC and REST); client over \(transport.transport.name)\n") }

        var passed = 0
        for (scenario, result) in await SeedScenarios.runAll(with: client) {
            if !quiet { print("▶ \(scenario.method): \(scenario.title)\n  request  \(scenario.request.jsonString())") }
            switch result {
            case .success(let outcome):
                passed += 1
                if !quiet { print("  answer   \(outcome.json)\n") }
            case .failure(let error):
                print("  ✗ \(scenario.method) \(scenario.title): \(error)\n")
            }
        }
        print("\(passed) of \(SeedScenarios.all.count) documented annotation calls succeeded over \(transport.transport.name) against the emulator")
        if passed != SeedScenarios.all.count { throw ExitCode.failure }
    }
}

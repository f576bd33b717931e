import AnnotationsEmulator
import AnnotationsRPC
import ArgumentParser
import Foundation
import H2Transport
import ProtoWire
import SeedCatalog

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Every documented annotation call, through the typed gRPC client, against an embedded emulator.",
        discussion: """
            Starts the emulator on an ephemeral loopback port, then runs each request of the Clarifai \
            documentation pages (shared/seeds) through AnnotationsClient over gRPC, printing the call and \
            its answer as Clarifai's REST JSON, and a summary line. When a call fails, exits with the \
            status of the worst failure (75 transport, then 69 API error, then 65).

            With --endpoint, runs them against that server instead (another emulator, or a proxy in \
            front of one) with the key of --pat (default: $CLARIFAI_PAT).

            Examples:
              annotations demo
              annotations demo --transport rest --endpoint https://localhost:8443 --ca-file ca.pem --pat K

            \(ExitStatus.demoHelp)
            """
    )

    @Flag(help: "Print only the summary line and failures.") var quiet = false
    @OptionGroup var transport: TransportOption
    @OptionGroup var proxy: ProxyOptions
    @Option(help: ArgumentHelp("Run the calls against this server instead of an embedded emulator.", valueName: "url"))
    var endpoint: String?
    @Option(
        help: ArgumentHelp(
            "Key for --endpoint (default: $CLARIFAI_PAT; other users can read a key given here in 'ps').",
            valueName: "key"))
    var pat: String?
    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp("PEM CA certificates to trust for --endpoint.", valueName: "pem"))
    var caFile: String?

    func validate() throws {
        if endpoint == nil, pat != nil || caFile != nil {
            throw ValidationError("--pat and --ca-file go with --endpoint")
        }
        if let endpoint {
            do { _ = try Endpoint(endpoint) } catch { throw ValidationError("--endpoint: \(error.message)") }
            try checkKey(pat ?? ClientConfiguration.environmentKey, from: pat != nil ? "--pat" : "CLARIFAI_PAT")
        }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("--ca-file: cannot read \(caFile)")
        }
    }

    func run() async throws {
        let emulator = endpoint == nil ? try Emulator() : nil
        defer { emulator?.stop() }
        var configuration = ClientConfiguration()
        configuration.endpoint = endpoint ?? emulator?.endpoint ?? ""
        configuration.key = endpoint == nil ? "demo-key" : (pat ?? ClientConfiguration.environmentKey)
        configuration.tls = TLSConfiguration(caFile: caFile)
        configuration.userAppID = SeedScenarios.userAppID
        configuration.transport = transport.transport
        // The embedded emulator is on loopback: never through a proxy the environment names.
        configuration.connection.proxy = endpoint == nil ? .none : try proxy.setting()
        let client = try AnnotationsClient(configuration: configuration)
        defer { client.close() }
        if !quiet {
            let server =
                emulator.map { "emulator listening on \($0.endpoint) (gRPC and REST)" }
                ?? "server \(configuration.endpoint)"
            print("\(server); client over \(transport.transport.name)\n")
        }

        var passed = 0
        var worstStatus = ExitStatus.success
        for (scenario, result) in await SeedScenarios.runAll(with: client) {
            if !quiet { print("▶ \(scenario.method): \(scenario.title)\n  request  \(scenario.request.jsonString())") }
            switch result {
            case .success(let outcome):
                passed += 1
                if !quiet { print("  answer   \(outcome.json)\n") }
            case .failure(let error):
                let status = Failure(error).status
                let rank: [Int32: Int] = [ExitStatus.transport: 3, ExitStatus.api: 2, ExitStatus.invalidInput: 1]
                if rank[status, default: 4] > rank[worstStatus, default: 0] { worstStatus = status }
                print("  ✗ \(scenario.method) \(scenario.title): \(error)\n")
            }
        }
        print(
            "\(passed) of \(SeedScenarios.all.count) documented annotation calls succeeded over \(transport.transport.name) against \(emulator == nil ? configuration.endpoint : "the emulator")"
        )
        if passed != SeedScenarios.all.count {
            throw ExitCode(worstStatus == ExitStatus.success ? ExitStatus.api : worstStatus)
        }
    }
}

import ArgumentParser
import ProtoWire
import SeedCatalog

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build every request of the documented scenarios, encode, decode, print as JSON."
    )

    func run() throws {
        var passed = 0
        for scenario in SeedScenarios.all {
            let (size, json, same) = try roundTrip(scenario.request)
            print("▶ \(scenario.method): \(scenario.title)  [\(size) bytes on the wire]")
            print("  \(json)")
            if same { passed += 1 } else { print("  ✗ the decoded message differs from the one built") }
        }
        print("\(passed) of \(SeedScenarios.all.count) documented requests encoded and decoded identically")
        if passed != SeedScenarios.all.count { throw ExitCode.failure }
    }

    private func roundTrip<M: ProtoMessage>(_ request: M) throws -> (Int, String, Bool) {
        let bytes = request.serializedBytes()
        let decoded = try M(serializedBytes: bytes)
        return (bytes.count, decoded.jsonString(), decoded == request)
    }
}

import ArgumentParser
import H2Transport

/// `--compression gzip|none`: whether a network subcommand compresses what it sends and asks
/// for compressed answers (gRPC request messages of 1 KiB or more once the server has said it
/// reads gzip, so a single call goes plain and only later calls of one command, such as
/// `import`'s batches, are compressed; REST request bodies, sent plain again after a 415), and
/// for `serve`, whether the emulator compresses its answers to clients that read gzip.
/// Compressed answers are read whatever it says.
struct CompressionOption: ParsableArguments {
    @Option(
        name: .customLong("compression"),
        help: ArgumentHelp(
            "gzip or none (default): compress messages of 1 KiB or more.", valueName: "gzip|none"))
    var name = "none"

    var compression: MessageCompression { MessageCompression(name: name) ?? .none }

    func validate() throws {
        guard MessageCompression(name: name) != nil else {
            throw ValidationError("--compression must be gzip or none, got '\(name.prefix(40))'")
        }
    }
}

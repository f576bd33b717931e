import AnnotationsRPC
import ArgumentParser
import Foundation

@main
struct AnnotationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotations",
        abstract: "Clarifai annotations over gRPC or REST, from the command line.",
        discussion: """
            The network subcommands (post, list, get, patch, delete, import, export, stream, review, \
            task-count, workers) share the \
            connection options: --endpoint (default https://api.clarifai.com; h2c://host:port for \
            plaintext), --pat (or $CLARIFAI_PAT), --user-id with --app-id, --ca-file, --insecure, \
            --timeout, -H 'name: value', --transport grpc|rest|rest-h1, --proxy URL or --no-proxy (by default \
            the proxy environment variables: grpc_proxy, https_proxy, no_proxy, …). Their output is JSON in the shape of \
            Clarifai's REST API, one object per line for streams, ready for jq.

            Example:
              export CLARIFAI_PAT=…
              annotations post --user-id me --app-id my-app \\
                  --input-id img1 --concept tree --concept water:0

            \(ExitStatus.help)

            wire, demo and bench list their exit statuses in their --help; serve's:
            \(ExitStatus.serveHelp)
            """,
        subcommands: [
            WireCommand.self, DemoCommand.self, ServeCommand.self, BenchCommand.self,
            PostCommand.self, ListCommand.self, GetCommand.self, PatchCommand.self, DeleteCommand.self,
            ImportCommand.self, ExportCommand.self, StreamCommand.self, ReviewCommand.self, TaskCountCommand.self,
            WorkersCommand.self,
        ]
    )

    /// The subcommands whose usage errors are reported in one line (the others keep
    /// ArgumentParser's report, with the usage).
    static let networkSubcommands: Set<String> = [
        "post", "list", "get", "patch", "delete", "import", "export", "stream", "review", "task-count", "workers",
    ]

    /// Runs the subcommand. ArgumentParser's own outcomes (help, usage errors: 64, `ExitCode`)
    /// go through as it reports them; any other error of any subcommand is reported in one line
    /// (the key redacted) and exits with its documented status (`Failure`), never with 1.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let subcommand = arguments.first ?? ""
        do {
            var command = try await asyncParseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure && networkSubcommands.contains(subcommand) {
                let text =
                    "annotations \(subcommand): usage error: \(message(for: error)) (see 'annotations \(subcommand) --help')"
                writeStandardError(redacted(text, secrets: secrets(in: arguments)))
                Foundation.exit(ExitStatus.usage)
            }
            // ArgumentParser answers `.failure` for an error it does not know: one of the tool's.
            guard code == .failure, !(error is ExitCode) else { exit(withError: error) }
            let failure = Failure(error)
            let text = "annotations \(subcommand): \(failure.kind): \(failure.message)"
            writeStandardError(redacted(text, secrets: secrets(in: arguments)))
            Foundation.exit(failure.status)
        }
    }

    /// Values on the command line (or in the environment) that may be keys, for usage errors,
    /// which are reported before the options are known.
    static func secrets(in arguments: [String]) -> [String] {
        var secrets = ClientConfiguration.environmentKey.map { [$0] } ?? []
        for (index, argument) in arguments.enumerated() {
            if argument.hasPrefix("--pat=") { secrets.append(String(argument.dropFirst("--pat=".count))) }
            if ["--pat", "-H", "--header"].contains(argument), index + 1 < arguments.count {
                secrets.append(arguments[index + 1])
                if let token = arguments[index + 1].split(separator: " ").last { secrets.append(String(token)) }
            }
        }
        return secrets
    }
}

import ArgumentParser

@main
struct AnnotationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotations",
        abstract: "Clarifai annotations over gRPC, from the command line.",
        discussion: """
            The network subcommands (post, list, get, patch, delete, import, export) share the \
            connection options: --endpoint (default https://api.clarifai.com; h2c://host:port for \
            plaintext), --pat (or $CLARIFAI_PAT), --user-id with --app-id, --ca-file, --insecure, \
            --timeout, -H 'name: value', --transport grpc. Their output is JSON in the shape of \
            Clarifai's REST API, one object per line for streams, ready for jq.

            Example:
              export CLARIFAI_PAT=…
              annotations post --user-id me --app-id my-app \\
                  --input-id img1 --concept tree --concept water:0

            \(ExitStatus.help)
            """,
        subcommands: [
            WireCommand.self, DemoCommand.self, ServeCommand.self,
            PostCommand.self, ListCommand.self, GetCommand.self, PatchCommand.self, DeleteCommand.self,
            ImportCommand.self, ExportCommand.self,
        ]
    )
}

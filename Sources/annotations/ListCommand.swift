import AnnotationsRPC
import ArgumentParser
import ProtoWire

/// `annotations list`: ListAnnotations, one page or every page.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List annotations (ListAnnotations), oldest first.",
        discussion: """
            Prints one page as {"status": …, "annotations": [...]} (the server's default page size \
            is 20), or with --every walks every page and prints one annotation per line (JSONL). \
            Without --all only user-created annotations are listed.

            Examples:
              annotations list --page 1 --per-page 10
              annotations list --all
              annotations list --input-id img1 --input-id img2
              annotations list --input-id img1 --id a1 --input-id img2 --id a2
              annotations list --user-id-filter alice --user-id-filter bob
              annotations list --model-version-id MV1
              annotations list --every --all | jq -r .id

            \(ExitStatus.help)
            """
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions

    @Option(help: ArgumentHelp("The page, from 1.", valueName: "n"))
    var page: UInt32?

    @Option(
        name: .customLong("per-page"),
        help: ArgumentHelp(
            "Annotations per page (server default 20; --every uses 128).", valueName: "n"))
    var perPage: UInt32?

    @Flag(help: "Walk every page (from --page, default 1) and print one annotation per line.")
    var every = false

    func validate() throws {
        if page == 0 { throw ValidationError("--page counts from 1") }
        if perPage == 0 { throw ValidationError("--per-page must be at least 1") }
    }

    mutating func run() async throws {
        let query = filters.query(page: page ?? 0, perPage: perPage ?? 0)
        let every = every
        try await connection.withClient { client in
            if every {
                let output = LineWriter(fd: 1)
                defer { output.flush() }
                for try await annotation in client.listAll(query) {
                    output.writeLine(annotation.jsonUTF8())
                }
            } else {
                print(Output.annotations(try await client.list(query)))
            }
        }
    }
}

import AnnotationsRPC
import ArgumentParser
import ProtoWire

/// `annotations get`: GetAnnotation.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print one annotation of one input (GetAnnotation).",
        discussion: """
            Prints {"status": …, "annotation": {…}}.

            Example:
              annotations get --input-id img1 --id 3f0c…

            \(ExitStatus.help)
            """
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Option(name: .customLong("input-id"), help: ArgumentHelp("The input.", valueName: "id"))
    var inputID: String

    @Option(name: .customLong("id"), help: ArgumentHelp("The annotation.", valueName: "id"))
    var id: String

    mutating func run() async throws {
        let (inputID, id) = (inputID, id)
        try await connection.withClient { client in
            let annotation = try await client.get(inputID: inputID, annotationID: id)
            print(Output.annotation(annotation))
        }
    }
}

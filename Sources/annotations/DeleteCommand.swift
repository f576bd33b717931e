import AnnotationsRPC
import ArgumentParser
import ProtoWire

/// `annotations delete`: DeleteAnnotation or DeleteAnnotations.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete annotations: one, pairs of ids and input ids, or all of some inputs.",
        discussion: """
            One --input-id and one --id delete that annotation (DeleteAnnotation). Several --id with \
            as many --input-id delete the pairs ids[i] of input_ids[i] (DeleteAnnotations). \
            --all-of-inputs with --input-id only deletes every annotation of those inputs, except \
            their input-level annotations. Prints {"status": …}.

            Examples:
              annotations delete --input-id img1 --id ANN
              annotations delete --id a1 --input-id img1 --id a2 --input-id img2
              annotations delete --input-id img1 --input-id img2 --all-of-inputs

            \(ExitStatus.help)
            """
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Option(name: .customLong("input-id"), help: ArgumentHelp("An input (repeatable).", valueName: "id"))
    var inputIDs: [String] = []

    @Option(
        name: .customLong("id"),
        help: ArgumentHelp(
            "An annotation, paired with the --input-id of the same rank (repeatable).", valueName: "id"))
    var ids: [String] = []

    @Flag(name: .customLong("all-of-inputs"), help: "Delete every annotation of the given inputs.")
    var allOfInputs = false

    func validate() throws {
        guard !inputIDs.isEmpty else { throw ValidationError("give --input-id") }
        if allOfInputs && !ids.isEmpty {
            throw ValidationError("--all-of-inputs deletes whole inputs: give no --id with it")
        }
        if !allOfInputs && ids.isEmpty {
            throw ValidationError(
                "give --id (one per --input-id), or --all-of-inputs to delete every annotation of the inputs")
        }
    }

    mutating func run() async throws {
        let (inputIDs, ids, allOfInputs) = (inputIDs, ids, allOfInputs)
        try await connection.withClient { client in
            if allOfInputs {
                try await client.delete(inputIDs: inputIDs)
            } else if ids.count == 1 && inputIDs.count == 1 {
                try await client.delete(inputID: inputIDs[0], annotationID: ids[0])
            } else {
                try await client.delete(ids: ids, inputIDs: inputIDs)
            }
            print(Output.status())
        }
    }
}

import AnnotationsRPC
import ArgumentParser
import ProtoWire

/// The filters of ListAnnotations, shared by `list` and `export`.
struct FilterOptions: ParsableArguments {
    @Option(
        name: .customLong("input-id"),
        help: ArgumentHelp("Only annotations of this input (repeatable).", valueName: "id"))
    var inputIDs: [String] = []

    @Option(
        name: .customLong("id"),
        help: ArgumentHelp(
            "Only this annotation, paired with the --input-id of the same rank (repeatable).", valueName: "id"))
    var ids: [String] = []

    @Option(
        name: .customLong("user-id-filter"),
        help: ArgumentHelp(
            "Only annotations created by this user (repeatable).", valueName: "id"))
    var userIDs: [String] = []

    @Option(
        name: .customLong("model-version-id"),
        help: ArgumentHelp(
            "Only annotations created by this model version (repeatable).", valueName: "id"))
    var modelVersionIDs: [String] = []

    @Option(
        name: .customLong("status"),
        help: ArgumentHelp(
            "Only annotations with this status, by number or name (repeatable).", valueName: "code"))
    var statuses: [StatusArgument] = []

    @Option(name: .customLong("task-id"), help: ArgumentHelp("Only annotations of this task.", valueName: "id"))
    var taskID: String?

    @Flag(name: .customLong("all"), help: "Include annotations created by models (list_all_annotations).")
    var listAllAnnotations = false

    func validate() throws {
        if !ids.isEmpty && ids.count != inputIDs.count {
            throw ValidationError("--id needs its input: give one --input-id per --id, in the same order")
        }
        for (name, values) in [
            ("--input-id", inputIDs), ("--id", ids), ("--user-id-filter", userIDs),
            ("--model-version-id", modelVersionIDs),
        ] where values.contains("") {
            throw ValidationError("\(name) must not be empty")
        }
    }

    func query(page: UInt32 = 0, perPage: UInt32 = 0) -> AnnotationQuery {
        AnnotationQuery(
            ids: ids, inputIDs: inputIDs, userIDs: userIDs, modelVersionIDs: modelVersionIDs,
            statuses: statuses.map(\.code), listAllAnnotations: listAllAnnotations, taskID: taskID ?? "",
            page: page, perPage: perPage
        )
    }
}

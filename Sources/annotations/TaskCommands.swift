import AnnotationsRPC
import ArgumentParser
import ProtoWire

/// `annotations review`: PatchAnnotationsStatus.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Set the status of a task's annotations (PatchAnnotationsStatus).",
        discussion: """
            Sets --to on the annotations of --task-id made by the --labeler users (all when none) \
            whose status is one of --from (any when none). Prints {"status": …, "user_ids": […], \
            "updated_count": n}. Over REST it needs --user-id and --app-id: the call's only \
            path names them.

            Example:
              annotations review --task-id task1 --to ANNOTATION_SUCCESS --from ANNOTATION_AWAITING_REVIEW

            \(ExitStatus.help)
            """
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Option(name: .customLong("task-id"), help: ArgumentHelp("The task.", valueName: "id"))
    var taskID: String

    @Option(name: .customLong("to"), help: ArgumentHelp("The new status, by number or name.", valueName: "code"))
    var to: StatusArgument

    @Option(
        name: .customLong("labeler"),
        help: ArgumentHelp("Only this labeler's annotations (repeatable).", valueName: "user-id"))
    var userIDs: [String] = []

    @Option(
        name: .customLong("from"),
        help: ArgumentHelp("Only annotations with this status (repeatable).", valueName: "code"))
    var from: [StatusArgument] = []

    mutating func run() async throws {
        let (taskID, to, userIDs, from) = (taskID, to.code, userIDs, from.map(\.code))
        try await connection.withClient { client in
            var response = try await client.patchAnnotationsStatus(taskID: taskID, to: to, userIDs: userIDs, from: from)
            response.status = Output.okStatus
            print(response.jsonString())
        }
    }
}

/// `annotations task-count`: GetTaskAnnotationCount.
struct TaskCountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task-count",
        abstract: "Print how many annotations of a task each worker has, by status (GetTaskAnnotationCount).",
        discussion: """
            Prints {"status": …, "app_id": …, "task_id": …, "counts": [{"user_id", "pending", \
            "awaiting_review", "success", "review_denied", "awaiting_consensus_review", "worker"}, …]}.

            Example:
              annotations task-count --task-id task1 --labeler ann

            \(ExitStatus.help)
            """
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Option(name: .customLong("task-id"), help: ArgumentHelp("The task.", valueName: "id"))
    var taskID: String

    @Option(
        name: .customLong("labeler"),
        help: ArgumentHelp("This user's counts (repeatable; with --model-version-id, the union).", valueName: "user-id")
    )
    var userIDs: [String] = []

    @Option(
        name: .customLong("model-version-id"),
        help: ArgumentHelp("Also this model version's counts (repeatable).", valueName: "id"))
    var modelVersionIDs: [String] = []

    mutating func run() async throws {
        let (taskID, userIDs, modelVersionIDs) = (taskID, userIDs, modelVersionIDs)
        try await connection.withClient { client in
            var response = try await client.taskAnnotationCount(
                taskID: taskID, userIDs: userIDs, modelVersionIDs: modelVersionIDs)
            response.status = Output.okStatus
            print(response.jsonString())
        }
    }
}

/// `annotations workers`: ListAnnotationWorkers.
struct WorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers",
        abstract:
            "Print the workers (users, models, workflows) that made the app's annotations (ListAnnotationWorkers).",
        discussion: """
            Prints {"status": …, "workers": [{"user": {…}} | {"model": {…}} | {"workflow": {…}}, …]}.

            Example:
              annotations workers --trusted-only --per-page 50

            \(ExitStatus.help)
            """
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Option(name: .customLong("page"), help: ArgumentHelp("The page, from 1.", valueName: "n"))
    var page: UInt32 = 1

    @Option(
        name: .customLong("per-page"), help: ArgumentHelp("Workers per page (0: the server's default).", valueName: "n")
    )
    var perPage: UInt32 = 0

    @Flag(name: .customLong("trusted-only"), help: "Only workers of trusted annotations.")
    var trustedOnly = false

    mutating func run() async throws {
        let (page, perPage, trustedOnly) = (page, perPage, trustedOnly)
        try await connection.withClient { client in
            var response = MultiWorkerResponse()
            response.workers = try await client.listAnnotationWorkers(
                page: page, perPage: perPage, trustedOnly: trustedOnly)
            response.status = Output.okStatus
            print(response.jsonString())
        }
    }
}

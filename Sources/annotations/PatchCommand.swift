import AnnotationsRPC
import ArgumentParser
import ProtoWire

/// `annotations patch`: PatchAnnotations with merge, overwrite or remove.
struct PatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patch",
        abstract: "Change annotations (PatchAnnotations) and print them as stored.",
        discussion: """
            Builds one annotation from the flags (--input-id and --id required; the same flags and \
            region rules as post), or sends the body of --json ({"annotations": [...], "action": …}; \
            --action overrides the body's action). merge adds the given concepts and regions, \
            overwrite replaces the annotation's data with the given data, remove deletes the given \
            concepts and regions (by id). Prints {"status": …, "annotations": [...]}.

            Examples:
              annotations patch --action merge --input-id img1 --id ANN \\
                  --concept apple
              annotations patch --action merge --input-id img1 --id ANN \\
                  --region-id REGION --region-concept apple
              annotations patch --action overwrite --input-id img1 --id ANN \\
                  --box 0.1,0.1,0.6,0.6 --region-id REGION --region-concept apple
              annotations patch --action remove --input-id img1 --id ANN \\
                  --concept apple
              annotations patch --action remove --input-id img1 --id ANN \\
                  --region-id REGION
              annotations patch --action merge --input-id img1 --id ANN \\
                  --status ANNOTATION_SUCCESS
              annotations patch --json patch.json

            \(ExitStatus.help)
            """
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Annotation") var flags: AnnotationFlags

    @Option(help: ArgumentHelp("How the patch applies: merge, overwrite or remove.", valueName: "action"))
    var action: ActionArgument?

    func validate() throws {
        if flags.jsonFile == nil {
            guard flags.id != nil else { throw ValidationError("give --id: the annotation to change (or --json FILE)") }
            guard action != nil else { throw ValidationError("give --action merge|overwrite|remove") }
        }
    }

    mutating func run() async throws {
        let flags = flags
        var annotations: [Annotation] = []
        var actionName = action?.rawValue ?? ""
        var bodyUserAppID: UserAppIDSet?
        try await reportingFailures(secrets: connection.secrets) {
            if let path = flags.jsonFile {
                let request = try decodeBody(PatchAnnotationsRequest.self, from: path)
                // The typed client has no parameter for it: refuse rather than drop it silently.
                if request.deleteIfEmptyData {
                    throw InputError("delete_if_empty_data is not supported by this client; remove it from the body")
                }
                annotations = request.annotations
                bodyUserAppID = request.userAppID
                if actionName.isEmpty { actionName = request.action }
            } else {
                annotations = [try flags.annotation()]
            }
        }
        if actionName.isEmpty {
            throw ValidationError("give --action merge|overwrite|remove (the body has no action)")
        }
        let patchAction = PatchAction(rawValue: actionName)
        try await connection.withClient(userAppID: bodyUserAppID) { client in
            guard let patchAction else {
                throw AnnotationsRPC.ValidationError("action", "'\(actionName)' is not merge, overwrite or remove")
            }
            let stored = try await client.patch(annotations, action: patchAction)
            print(Output.annotations(stored))
        }
    }
}

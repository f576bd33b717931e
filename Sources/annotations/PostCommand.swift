import AnnotationsRPC
import ArgumentParser
import ProtoWire

/// `annotations post`: PostAnnotations, from flags (one annotation) or a REST body.
struct PostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Add annotations (PostAnnotations) and print them as stored.",
        discussion: """
            Builds one annotation from the flags, or sends the body of --json (1…128 annotations, \
            as in Clarifai's cURL examples; its user_app_id is optional, and --user-id/--app-id \
            override it; use import for more than 128). Prints \
            {"status": …, "annotations": [...]} with the ids, statuses and timestamps the server stored. \
            An annotation without an id gets one before sending, so a retried call cannot add it twice.

            Regions: each --box, --polygon and --mask-file adds a region (boxes, then polygons, then \
            masks); every region gets all --region-concept concepts, while --concept concepts belong \
            to the whole input. Without geometry flags, each --region-id is an existing region.

            Examples:
              annotations post --input-id img1 --concept tree --concept water:0
              annotations post --input-id img1 --box 0,0,0.5,0.5 --region-concept tree
              annotations post --input-id img1 --polygon '0.1,0.1;0.1,0.9;0.9,0.5' \\
                  --region-concept bike
              annotations post --input-id img1 --region-id REGION_ID --region-concept tree
              annotations post --input-id img1 --mask-file mask.png --region-concept sky
              annotations post --input-id img1 --user-id-of-annotator other \\
                  --status ANNOTATION_PENDING
              annotations post --input-id img1 --concept tree \\
                  --annotation-info '{"task_id": "t1"}'
              annotations post --input-id img1 --concept tree \\
                  --embed-model-version-id EMBED_MODEL_VERSION_ID
              annotations post --json body.json     (--json - reads stdin)

            \(ExitStatus.help)
            """
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Annotation") var flags: AnnotationFlags

    mutating func run() async throws {
        let flags = flags
        var bodyUserAppID: UserAppIDSet?
        var annotations: [Annotation] = []
        try await reportingFailures(secrets: connection.secrets) {
            if let path = flags.jsonFile {
                let request = try decodeBody(PostAnnotationsRequest.self, from: path)
                annotations = request.annotations
                bodyUserAppID = request.userAppID
            } else {
                annotations = try flags.annotationsToPost()
            }
        }
        try await connection.withClient(userAppID: bodyUserAppID) { client in
            let stored = try await client.post(annotations)
            print(Output.annotations(stored))
        }
    }
}

import AnnotationsRPC
import ArgumentParser
import ProtoWire

/// `annotations stream`: StreamAnnotations.
struct StreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Print the annotations of a video input as the server streams them (StreamAnnotations).",
        discussion: """
            Prints one {"status": …, "annotation": {…}, "frame_fully_processed": …} object per \
            line, ordered by frame, as the messages arrive; --timeout bounds the whole stream.

            Example:
              annotations stream --input-id video1 --frame-number-start 100 --max-frames 60 --track-id t1

            \(ExitStatus.help)
            """
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Option(name: .customLong("input-id"), help: ArgumentHelp("The video input.", valueName: "id"))
    var inputID: String

    @Option(name: .customLong("track-id"), help: ArgumentHelp("Only this track (repeatable).", valueName: "id"))
    var trackIDs: [String] = []

    @Option(name: .customLong("frame-number-start"), help: ArgumentHelp("The first frame number.", valueName: "n"))
    var frameNumberStart: UInt32 = 0

    @Option(
        name: .customLong("frame-time-start"), help: ArgumentHelp("The first time, in milliseconds.", valueName: "ms"))
    var frameTimeStart: UInt64 = 0

    @Option(
        name: .customLong("max-frames"),
        help: ArgumentHelp("At most this many frame numbers (0: the server's maximum).", valueName: "n"))
    var maxFrames: UInt32 = 0

    @Option(
        name: .customLong("max-duration"),
        help: ArgumentHelp("At most this many milliseconds (0: the server's maximum).", valueName: "ms"))
    var maxDuration: UInt64 = 0

    @Option(
        name: .customLong("type"),
        help: ArgumentHelp(
            "Only this kind of data: tag, bounding-box, polygon, point, span or mask (repeatable).", valueName: "kind"))
    var types: [DataTypeArgument] = []

    @Option(name: .customLong("worker-user-id"), help: ArgumentHelp("Only annotations by this user.", valueName: "id"))
    var workerUserID: String?

    @Option(
        name: .customLong("min-prediction-score"),
        help: ArgumentHelp(
            "Only annotations with a concept whose metadata.prediction_score is at least this (0…1).",
            valueName: "score"))
    var minPredictionScore: Float = 0

    func validate() throws {
        guard (0...1).contains(minPredictionScore) else {
            throw ValidationError("--min-prediction-score: \(minPredictionScore) is outside [0, 1]")
        }
    }

    mutating func run() async throws {
        var request = StreamAnnotationsRequest()
        request.inputID = inputID
        request.trackIDs = trackIDs
        request.frameNumberStart = frameNumberStart
        request.frameTimeStart = frameTimeStart
        request.maxFrames = maxFrames
        request.maxDuration = maxDuration
        request.annotationType = AnnotationDataType(rawValue: types.reduce(0) { $0 | $1.type.rawValue })
        if let workerUserID { request.worker = Worker(.user(User(id: workerUserID))) }
        request.minPredictionScore = minPredictionScore
        try await connection.withClient { [request] client in
            let output = LineWriter(fd: 1)
            defer { output.flush() }
            for try await item in client.streamAnnotations(request) {
                var message = SingleStreamAnnotationResponse()
                message.status = Output.okStatus
                message.annotation = item.annotation
                message.frameFullyProcessed = item.frameFullyProcessed
                output.writeLine(message.jsonString())
                // Each message as it arrives: a reader of the pipe sees the stream, not a buffer.
                output.flush()
            }
        }
    }
}

/// `--type`: an `AnnotationDataType` by its CLI name.
struct DataTypeArgument: ExpressibleByArgument, Sendable {
    let type: AnnotationDataType

    static let names: [String: AnnotationDataType] = [
        "tag": .tag, "bounding-box": .boundingBox, "polygon": .polygon, "point": .point, "span": .span, "mask": .mask,
    ]

    init?(argument: String) {
        guard let type = Self.names[argument.lowercased()] else { return nil }
        self.type = type
    }
}

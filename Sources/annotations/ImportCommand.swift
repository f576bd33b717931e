import AnnotationsRPC
import ArgumentParser
import ClarifaiV2
import Foundation
import ProtoWire

/// `annotations import`: a JSONL file of annotations, posted in batches, resumable.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Post every annotation of a JSONL file: batched, concurrent, resumable.",
        discussion: """
            Each line of FILE is one annotation in Clarifai's REST shape, e.g. \
            {"input_id": "img1", "data": {"concepts": [{"id": "tree", "value": 1}]}} (blank lines \
            are ignored; export writes lines in this shape). Lines are posted in batches of \
            --batch-size (at most 128), --concurrency batches at a time over one connection.

            Resuming: each line without an id gets one, and the ids of a batch are written to the \
            checkpoint (default FILE.checkpoint) before the batch is sent; lines the server \
            confirmed are recorded there too. Run the same command again after a kill or a failure: \
            confirmed lines are skipped, the others are sent again with the same ids, and a line \
            whose id the server already holds (sent just before a kill) is found by listing it and \
            skipped, so nothing is stored twice. Failed lines may be fixed in place and the command \
            run again (they keep their ids), and lines may be appended; but a done line that changed \
            makes the next run refuse the file (the checkpoint holds a hash of each line; remove the \
            checkpoint to start over).

            Failures: each failed line is written to the rejects file (default FILE.rejects, \
            rewritten on each run) as {"line": n, "status": exit status, "error": text, "input": the \
            line}. A batch refused as a whole for one bad line is split until that line is found. \
            Lines refused before sending (not an annotation, an empty input_id, coordinates outside \
            [0, 1]) are rejected on their own. A transport or authentication failure stops the \
            import (resume later). A progress bar is drawn on stderr when it is a terminal; the last \
            line on stderr is always "imported N, failed M, skipped K (already done)".

            import exits with 0 when every line is imported or was already done; otherwise with \
            the status of the failure that stopped it, else of the worst failed line (75, then 69, \
            then 65). Batches run concurrently, so the server stores lines in no fixed order.

            Interrupting: on SIGINT (Ctrl-C) or SIGTERM, import sends no further batch, cancels \
            the calls in flight, prints the summary line and exits with 130 (SIGINT) or 143 \
            (SIGTERM). Lines in flight count neither as imported nor as failed: run the same \
            command again to resume. A second signal ends the process at once.

            FILE must be a regular file (it is read more than once); a checkpoint that is empty, \
            damaged or holds only its header is refused (65) rather than taken as a fresh start.

            Examples:
              annotations import annotations.jsonl --concurrency 8
              annotations import big.jsonl --checkpoint /tmp/big.ckpt \\
                  --rejects /tmp/big.rejects

            \(ExitStatus.help)
            """
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Argument(help: ArgumentHelp("One annotation per line, in Clarifai's REST JSON shape.", valueName: "file.jsonl"))
    var file: String

    @Option(help: ArgumentHelp("Batches in flight at once.", valueName: "n"))
    var concurrency = 4

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Annotations per call, 1…128.", valueName: "n"))
    var batchSize = 128

    @Option(help: ArgumentHelp("The checkpoint file (default: FILE.checkpoint).", valueName: "file"))
    var checkpoint: String?

    @Option(
        help: ArgumentHelp("Where failed lines go, each with its error (default: FILE.rejects).", valueName: "file"))
    var rejects: String?

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be in 1…64") }
        guard (1...128).contains(batchSize) else { throw ValidationError("--batch-size must be in 1…128") }
        var status = stat()
        guard stat(file, &status) == 0, FileManager.default.isReadableFile(atPath: file) else {
            throw ValidationError("cannot read \(file)")
        }
        // The file is read twice (checked against the checkpoint, then sent) and read again by
        // the run that resumes: a directory, a FIFO or a device cannot be.
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw ValidationError("\(file) is a directory: give a JSONL file")
        default:
            throw ValidationError(
                "\(file) is not a regular file (a pipe, a device or a socket): import reads its file more than "
                    + "once, to resume; save the lines to a file first")
        }
        if checkpoint == "" || rejects == "" { throw ValidationError("--checkpoint and --rejects must not be empty") }
    }

    mutating func run() async throws {
        let importer = Importer(
            file: file, checkpointPath: checkpoint ?? "\(file).checkpoint", rejectsPath: rejects ?? "\(file).rejects",
            concurrency: concurrency, batchSize: batchSize, secrets: connection.secrets
        )
        try await connection.withClient { client in
            let status = try await importer.run(client)
            if status != ExitStatus.success { throw ExitCode(status) }
        }
    }
}

/// One line on its way to the server.
struct PendingLine: Sendable {
    let line: Int
    let annotation: Annotation
    /// Sent by an earlier run with the same id: the server may hold it already.
    let resumed: Bool
}

/// What became of one line.
struct LineOutcome: Sendable {
    enum Kind: Sendable {
        case imported
        /// The server already held the line's annotation (an earlier run sent it).
        case alreadyStored
        /// `itemSpecific` is false for failures that would hit every line (transport, auth).
        case failed(Failure, itemSpecific: Bool)
    }

    let line: Int
    let kind: Kind
}

/// The work of `annotations import`; lives in the parent task, which alone writes the
/// checkpoint and the rejects file.
final class Importer {
    let file: String
    let checkpointPath: String
    let rejectsPath: String
    let concurrency: Int
    let batchSize: Int
    /// Never printed: the key and authorization values.
    let secrets: [String]

    private var imported = 0
    private var failed = 0
    private var skipped = 0
    private var worstStatus: Int32 = 0
    private var stop: Failure?
    /// The signal that interrupted the import (see `Interruption`).
    private var interrupted: Int32?
    /// The text of lines in flight, for the rejects file.
    private var texts: [Int: [UInt8]] = [:]
    private var rejectsFD: Int32 = -1
    private var progress = ProgressBar(total: 0, enabled: false)

    init(
        file: String, checkpointPath: String, rejectsPath: String, concurrency: Int, batchSize: Int, secrets: [String]
    ) {
        self.secrets = secrets
        self.file = file
        self.checkpointPath = checkpointPath
        self.rejectsPath = rejectsPath
        self.concurrency = concurrency
        self.batchSize = batchSize
    }

    deinit {
        if rejectsFD >= 0 { close(rejectsFD) }
    }

    /// What the task group of `run` hands back.
    private enum Event: Sendable {
        case outcomes([LineOutcome])
        case interrupted(Int32)
        case interruptionFinished
    }

    /// Imports the file; prints the summary line and returns the exit status (128 + the
    /// signal's number when SIGINT or SIGTERM stopped it).
    func run(_ client: AnnotationsClient) async throws -> Int32 {
        let interruption = Interruption()
        defer { interruption.finish() }
        let checkpoint = try ImportCheckpoint(path: checkpointPath, inputFile: file)
        let showProgress = isatty(2) == 1
        var total = 0
        if !checkpoint.assigned.isEmpty || showProgress {
            total = try verify(against: checkpoint)
        }
        progress = ProgressBar(total: total, enabled: showProgress)
        if unlink(rejectsPath) != 0 && errno != ENOENT {
            throw IOFailure.system("remove the old rejects file", rejectsPath)
        }

        let reader = try LineReader(path: file)
        var lineNumber = 0
        var exhausted = false
        try await withThrowingTaskGroup(of: Event.self) { group in
            group.addTask {
                guard let number = await interruption.wait() else { return .interruptionFinished }
                return .interrupted(number)
            }
            // Ends the watcher when the loop ends without a signal (or throws).
            defer { interruption.finish() }
            var running = 0
            while true {
                while running < concurrency && !exhausted && stop == nil && interrupted == nil
                    && interruption.received == nil
                {
                    var batch: [PendingLine] = []
                    var assignments: [(line: Int, assignment: ImportCheckpoint.Assignment)] = []
                    while batch.count < batchSize {
                        guard let bytes = reader.next() else {
                            exhausted = true
                            break
                        }
                        lineNumber += 1
                        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                        if checkpoint.done.contains(lineNumber) {
                            skipped += 1
                            progress.update(imported: imported, failed: failed, skipped: skipped)
                            continue
                        }
                        var annotation: Annotation
                        do {
                            annotation = try Annotation(jsonUTF8: bytes)
                        } catch {
                            let failure = Failure(
                                status: ExitStatus.invalidInput, kind: "invalid input",
                                message: "not an annotation in REST JSON: \(error)")
                            try reject(lineNumber, bytes, failure)
                            continue
                        }
                        // The rules the client enforces per call, per line so that one bad line
                        // does not sink its batch.
                        if let violation = AnnotationRules.violation(in: annotation, at: "") {
                            try reject(lineNumber, bytes, Failure(ValidationError(violation)))
                            continue
                        }
                        // A line sent before keeps its id, even when it was edited after failing.
                        let previous = checkpoint.assigned[lineNumber]
                        if let previous, annotation.id.isEmpty { annotation.id = previous.id }
                        if annotation.id.isEmpty { annotation.id = AnnotationID.make() }
                        let assignment = ImportCheckpoint.Assignment(id: annotation.id, hash: lineHash(bytes))
                        if assignment != previous { assignments.append((lineNumber, assignment)) }
                        batch.append(PendingLine(line: lineNumber, annotation: annotation, resumed: previous != nil))
                        texts[lineNumber] = bytes
                    }
                    if batch.isEmpty { break }
                    // The ids reach the disk before the batch reaches the server.
                    try checkpoint.recordAssigned(assignments)
                    let sending = batch
                    group.addTask { .outcomes(await Importer.send(sending, client: client)) }
                    running += 1
                }
                guard running > 0, let event = try await group.next() else { break }
                switch event {
                case .outcomes(let outcomes):
                    running -= 1
                    try absorb(outcomes, checkpoint: checkpoint)
                case .interrupted(let number):
                    interrupted = number
                    // The batches in flight end at once; the next run finds what the server stored.
                    group.cancelAll()
                case .interruptionFinished:
                    break
                }
            }
        }
        if interrupted == nil { interrupted = interruption.received }
        await closeAndSettle(client)  // the summary stays the last line, after any --verbose event
        progress.update(imported: imported, failed: failed, skipped: skipped, force: true)
        progress.finish()
        if let interrupted {
            writeStandardError(
                "annotations: interrupted by \(interrupted == SIGTERM ? "SIGTERM" : "SIGINT"); stopped after line "
                    + "\(lineNumber) of \(file): run the same command again to resume")
        } else if let stop {
            writeStandardError(
                redacted(
                    "annotations: \(stop.kind): \(stop.message); stopped after line \(lineNumber) of \(file): "
                        + "run the same command again to resume", secrets: secrets))
        }
        writeStandardError("imported \(imported), failed \(failed), skipped \(skipped) (already done)")
        if let interrupted { return 128 + interrupted }
        return stop?.status ?? (failed > 0 ? worstStatus : ExitStatus.success)
    }

    /// Checks that the lines the checkpoint records as done are still there, unchanged; returns
    /// the number of lines to process.
    private func verify(against checkpoint: ImportCheckpoint) throws -> Int {
        let reader = try LineReader(path: file)
        var number = 0
        var count = 0
        while let bytes = reader.next() {
            number += 1
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            count += 1
            if checkpoint.done.contains(number), checkpoint.assigned[number]?.hash != lineHash(bytes) {
                throw InputError(
                    "line \(number) of \(file) changed since checkpoint \(checkpoint.path) was written; "
                        + "remove the checkpoint to import the file afresh")
            }
        }
        if let beyond = checkpoint.done.first(where: { $0 > number }) {
            throw InputError(
                "\(file) has \(number) lines but checkpoint \(checkpoint.path) records line \(beyond); "
                    + "remove the checkpoint to import the file afresh")
        }
        return count
    }

    private func absorb(_ outcomes: [LineOutcome], checkpoint: ImportCheckpoint) throws {
        var done: [Int] = []
        for outcome in outcomes.sorted(by: { $0.line < $1.line }) {
            switch outcome.kind {
            case .imported:
                imported += 1
                done.append(outcome.line)
            case .alreadyStored:
                skipped += 1
                done.append(outcome.line)
            case .failed(_, itemSpecific: false) where interrupted != nil:
                // Cancelled by the interruption (or failed with it): neither done nor rejected,
                // the next run sends it again.
                break
            case .failed(let failure, let itemSpecific):
                try reject(outcome.line, texts[outcome.line] ?? [], failure)
                if !itemSpecific && stop == nil { stop = failure }
            }
            texts[outcome.line] = nil
        }
        try checkpoint.recordDone(done)
        progress.update(imported: imported, failed: failed, skipped: skipped)
    }

    /// Appends `{"line": n, "status": s, "error": "…", "input": <the line>}` to the rejects file.
    private func reject(_ line: Int, _ text: [UInt8], _ failure: Failure) throws {
        failed += 1
        let rank: [Int32: Int] = [ExitStatus.transport: 4, ExitStatus.api: 3, ExitStatus.invalidInput: 2]
        if rank[failure.status, default: 1] > rank[worstStatus, default: 0] { worstStatus = failure.status }
        if rejectsFD < 0 {
            rejectsFD = open(rejectsPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard rejectsFD >= 0 else { throw IOFailure.system("create", rejectsPath) }
        }
        let input =
            (try? JSONValue.parse(text)) != nil
            ? String(decoding: text, as: UTF8.self)
            : jsonQuoted(String(decoding: text, as: UTF8.self))
        let error = redacted("\(failure.kind): \(failure.message)", secrets: secrets)
        let record =
            "{\"line\":\(line),\"status\":\(failure.status),\"error\":\(jsonQuoted(error)),\"input\":\(input)}\n"
        guard writeAll(fd: rejectsFD, Array(record.utf8)) else { throw IOFailure.system("write", rejectsPath) }
        progress.update(imported: imported, failed: failed, skipped: skipped)
    }

    // MARK: Sending (in child tasks)

    /// Posts one batch. Lines sent by an earlier run are looked up first: those the server holds
    /// are done already and are not posted again.
    static func send(_ batch: [PendingLine], client: AnnotationsClient) async -> [LineOutcome] {
        var outcomes: [LineOutcome] = []
        var remaining = batch
        let resumed = batch.filter(\.resumed)
        if !resumed.isEmpty {
            do {
                let stored = try await storedIDs(of: resumed, client: client)
                outcomes = batch.filter { $0.resumed && stored.contains($0.annotation.id) }
                    .map { LineOutcome(line: $0.line, kind: .alreadyStored) }
                remaining = batch.filter { !($0.resumed && stored.contains($0.annotation.id)) }
            } catch {
                return batch.map { LineOutcome(line: $0.line, kind: .failed(Failure(error), itemSpecific: false)) }
            }
        }
        return outcomes + (await post(remaining, client: client))
    }

    /// The ids among `lines` that the server holds, looked up as (id, input id) pairs.
    private static func storedIDs(of lines: [PendingLine], client: AnnotationsClient) async throws -> Set<String> {
        var stored: Set<String> = []
        for start in stride(from: 0, to: lines.count, by: 128) {
            let chunk = lines[start..<min(start + 128, lines.count)]
            let query = AnnotationQuery(
                ids: chunk.map(\.annotation.id), inputIDs: chunk.map(\.annotation.inputID),
                perPage: UInt32(chunk.count))
            let wanted = Set(chunk.map { $0.annotation.id + "\u{0}" + $0.annotation.inputID })
            for annotation in try await client.list(query)
            where wanted.contains(annotation.id + "\u{0}" + annotation.inputID) {
                stored.insert(annotation.id)
            }
        }
        return stored
    }

    /// Posts lines with `postAll` (retries, and per-item resends after MIXED_STATUS, are its
    /// job). A batch refused as a whole for what may be one bad line is split in halves until
    /// the line is isolated.
    private static func post(_ lines: [PendingLine], client: AnnotationsClient) async -> [LineOutcome] {
        guard !lines.isEmpty else { return [] }
        let result = await client.postAll(lines.map(\.annotation), concurrency: 1)
        let stored = Set(result.succeeded.map(\.id))
        var errors: [String: any Error] = [:]
        for (annotation, error) in result.failed where errors[annotation.id] == nil { errors[annotation.id] = error }
        if lines.count > 1, stored.isEmpty, errors.count == lines.count,
            let error = result.failed.first?.error as? ClarifaiStatusError,
            error.code != .mixedStatus, isItemSpecific(error)
        {
            let half = lines.count / 2
            return await post(Array(lines[..<half]), client: client) + post(Array(lines[half...]), client: client)
        }
        // A line an earlier run sent, refused alone because its id is taken: when the server
        // now holds it for this input, that run's call arrived after this run looked the line
        // up (a stopped run's last requests can still be in the server's queue). An id taken by
        // another input stays a failure.
        if lines.count == 1, let line = lines.first, line.resumed,
            let error = errors[line.annotation.id] as? ClarifaiStatusError, error.isAlreadyExists,
            (try? await storedIDs(of: lines, client: client))?.contains(line.annotation.id) == true
        {
            return [LineOutcome(line: line.line, kind: .alreadyStored)]
        }
        return lines.map { line in
            let id = line.annotation.id
            if stored.contains(id) { return LineOutcome(line: line.line, kind: .imported) }
            guard let error = errors[id] else {
                let failure = Failure(
                    status: ExitStatus.api, kind: "API error", message: "the server did not return this annotation")
                return LineOutcome(line: line.line, kind: .failed(failure, itemSpecific: true))
            }
            return LineOutcome(
                line: line.line, kind: .failed(itemFailure(error, id: id), itemSpecific: isItemSpecific(error)))
        }
    }

    /// For a per-item failure (MIXED_STATUS), the item's own status; else the call's failure.
    private static func itemFailure(_ error: any Error, id: String) -> Failure {
        if let error = error as? ClarifaiStatusError, let status = error.items.first(where: { $0.id == id })?.status,
            status.code != .success
        {
            var message = "Clarifai status \(status.code)"
            if !status.description.isEmpty { message += ": \(status.description)" }
            if !status.details.isEmpty { message += " (\(status.details))" }
            message += " [call: \(error.code)]"
            return Failure(status: ExitStatus.api, kind: "API error", message: message)
        }
        return Failure(error)
    }

    /// Statuses that a bad annotation earns its whole call: worth splitting the batch to find it.
    private static let itemStatuses: Set<StatusCode> = [
        .connInvalidRequest, .annotationInvalidArgument, .inputDoesNotExist, .inputInvalidArgument, .failure,
        .mixedStatus,
    ]

    /// True for failures caused by the lines themselves; anything else (transport, key, quota,
    /// an unknown app…) would hit every line alike and stops the import.
    static func isItemSpecific(_ error: any Error) -> Bool {
        switch error {
        case is AnnotationsRPC.ValidationError, is InputError:
            return true
        case let error as ClarifaiStatusError:
            return itemStatuses.contains(error.code)
        default:
            return false
        }
    }
}

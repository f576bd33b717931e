import AnnotationsRPC
import ArgumentParser
import Foundation
import ProtoWire

/// `annotations export`: every page of a listing, as JSONL.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every annotation a listing matches as JSONL, one annotation per line.",
        discussion: """
            Takes the filters of list and walks every page. With --output the file appears only \
            when the export is complete (it is written under a temporary name, then renamed); the \
            lines can be given back to import.

            Examples:
              annotations export --all > annotations.jsonl
              annotations export --input-id img1 --output img1.jsonl

            \(ExitStatus.help)
            """
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions

    @Option(name: .customLong("per-page"), help: ArgumentHelp("Annotations per call.", valueName: "n"))
    var perPage: UInt32 = 128

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp(
        "Write to this file instead of stdout.", valueName: "file"))
    var output: String?

    func validate() throws {
        if perPage == 0 { throw ValidationError("--per-page must be at least 1") }
        if output == "" { throw ValidationError("--output must not be empty") }
    }

    mutating func run() async throws {
        let query = filters.query(page: 1, perPage: perPage)
        let output = output
        try await connection.withClient { client in
            guard let output else {
                let writer = LineWriter(fd: 1)
                defer { writer.flush() }
                for try await annotation in client.listAll(query) { writer.writeLine(annotation.jsonUTF8()) }
                return
            }
            let temporary = "\(output).partial-\(getpid())"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw IOFailure.system("create", temporary) }
            var complete = false
            defer {
                close(fd)
                if !complete { unlink(temporary) }
            }
            let writer = LineWriter(fd: fd)
            var count = 0
            for try await annotation in client.listAll(query) {
                writer.writeLine(annotation.jsonUTF8())
                count += 1
            }
            writer.flush()
            if let failure = writer.failure { errno = failure; throw IOFailure.system("write", temporary) }
            guard fsync(fd) == 0, rename(temporary, output) == 0 else {
                throw IOFailure.system("write", output)
            }
            complete = true
            writeStandardError("exported \(count) annotations to \(output)")
        }
    }
}

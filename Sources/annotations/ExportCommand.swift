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
            Takes the filters of list and walks every page. With --output a regular file appears \
            only when the export is complete (it is written under a temporary name in the same \
            directory, then renamed over it; through a symbolic link, the file the link points to is \
            replaced and the link kept). A FIFO, a device (/dev/stdout) or a socket is written \
            into as it is, line by line. The lines can be given back to import.

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

    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: ArgumentHelp(
            "Write to this file instead of stdout.", valueName: "file"))
    var output: String?

    func validate() throws {
        if perPage == 0 { throw ValidationError("--per-page must be at least 1") }
        if output == "" { throw ValidationError("--output must not be empty") }
        if let output, case .directory = OutputTarget(output) {
            throw ValidationError("--output: \(output) is a directory")
        }
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
            let count: Int
            switch OutputTarget(output) {
            case .regularFile(let path):
                count = try await ExportCommand.replace(path) { fd in
                    try await ExportCommand.write(client.listAll(query), to: fd, path)
                }
            case .special, .directory:
                // O_TRUNC does nothing to a FIFO or a device; O_CREAT creates a dangling link's file.
                let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0o644)
                guard fd >= 0 else { throw IOFailure.system("open", output) }
                defer { close(fd) }
                count = try await ExportCommand.write(client.listAll(query), to: fd, output)
            }
            writeStandardError("exported \(count) annotations to \(output)")
        }
    }

    /// Writes every annotation of `pages` to `fd` as JSONL; returns how many.
    private static func write(_ pages: AnnotationPages, to fd: Int32, _ path: String) async throws -> Int {
        let writer = LineWriter(fd: fd)
        var count = 0
        for try await annotation in pages {
            writer.writeLine(annotation.jsonUTF8())
            if let failure = writer.failure {
                errno = failure
                throw IOFailure.system("write", path)
            }
            count += 1
        }
        writer.flush()
        if let failure = writer.failure {
            errno = failure
            throw IOFailure.system("write", path)
        }
        return count
    }

    /// Runs `body` on a new file next to `path`, then renames it over `path`: `path` holds the
    /// old contents or the complete new ones, never a part.
    private static func replace(_ path: String, _ body: (Int32) async throws -> Int) async throws -> Int {
        let temporary = "\(path).partial-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IOFailure.system("create", temporary) }
        var complete = false
        defer {
            close(fd)
            if !complete { unlink(temporary) }
        }
        let count = try await body(fd)
        guard fsync(fd) == 0, rename(temporary, path) == 0 else { throw IOFailure.system("write", path) }
        complete = true
        return count
    }
}

/// What `export --output` writes to.
enum OutputTarget: Equatable {
    /// A regular file or a new one, at this path (a symbolic link resolved): replaced atomically.
    case regularFile(String)
    /// A FIFO, a device, a socket, or anything else that is not a regular file: written into.
    case special
    case directory

    init(_ path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            // A new file; through a dangling link it is created where the link points.
            var link = stat()
            self = lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK ? .special : .regularFile(path)
            return
        }
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            self = .directory
        case S_IFREG:
            // Replacing a link would cut it: the file it points to is replaced instead.
            guard let resolved = realpath(path, nil) else {
                self = .special
                return
            }
            defer { free(resolved) }
            self = .regularFile(String(cString: resolved))
        default:
            self = .special
        }
    }
}

import Foundation
import ProtoWire

/// The journal that makes `annotations import` resumable.
///
/// A JSON-lines file, only ever appended to, each record written and `fsync`ed before the
/// tool goes on:
///
/// ```
/// {"checkpoint":1,"file":"data.jsonl"}                       the header
/// {"ids":[[3,"5d2f…","9ab1c2d3e4f50617"],…]}                  [line, annotation id, FNV-1a hash of the line]
/// {"done":[3,4,…],"done_below":4}                            lines the server confirmed as stored
/// ```
///
/// An `ids` record is written **before** its batch is sent, so after a kill the next run sends
/// the same lines with the same ids: a line whose id the server already holds (its batch got
/// through, the answer was lost with the process) is found by listing those ids and counted
/// as done, never posted twice. `done_below` is informational: every line up to it is done.
/// The hashes tie the checkpoint to the file's contents: a changed line is refused.
final class ImportCheckpoint {
    struct Assignment: Equatable {
        let id: String
        let hash: String
    }

    let path: String
    /// Line number (from 1) → the id it was given and the hash of its text.
    private(set) var assigned: [Int: Assignment] = [:]
    /// Lines the server confirmed as stored.
    private(set) var done: Set<Int> = []
    private var fd: Int32 = -1
    /// Every line up to this one is done (a blank or failed line holds it back).
    private var doneBelow = 0

    /// The first record of every checkpoint.
    private let header: String

    /// Loads the checkpoint at `path` and opens it for appending; a missing one is created,
    /// with its header and the first ids, when the first batch is about to be sent.
    ///
    /// A checkpoint that exists holds its header and at least one ids record (both reach the
    /// disk in one file, renamed into place), so an empty one, one with only its header, or one
    /// whose first record is not the header was cut short or damaged: it is refused, naming
    /// it, rather than taken as a fresh start that would post again, with new ids, lines an
    /// earlier run may have stored.
    init(path: String, inputFile: String) throws {
        self.path = path
        header = "{\"checkpoint\":1,\"file\":\(jsonQuoted(inputFile))}"
        var status = stat()
        if stat(path, &status) != 0 {
            guard errno == ENOENT else { throw IOFailure.system("read the checkpoint", path) }
            return
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw InputError("checkpoint \(path) is not a regular file; give --checkpoint a file path")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IOFailure.system("read the checkpoint", path)
        }
        // A record torn by a kill can only be the unterminated tail: drop it.
        let bytes = [UInt8](data)
        let complete = (bytes.lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
        try load(Array(bytes[..<complete]))
        while done.contains(doneBelow + 1) { doneBelow += 1 }
        fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw IOFailure.system("open the checkpoint", path) }
        if complete < bytes.count, ftruncate(fd, off_t(complete)) != 0 {
            throw IOFailure.system("repair the checkpoint", path)
        }
    }
    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Records the ids given to lines, before they are sent.
    func recordAssigned(_ entries: [(line: Int, assignment: Assignment)]) throws {
        guard !entries.isEmpty else { return }
        let items = entries.map { "[\($0.line),\(jsonQuoted($0.assignment.id)),\(jsonQuoted($0.assignment.hash))]" }
        try append("{\"ids\":[\(items.joined(separator: ","))]}")
        for entry in entries { assigned[entry.line] = entry.assignment }
    }

    /// Records lines the server confirmed as stored.
    func recordDone(_ lines: [Int]) throws {
        guard !lines.isEmpty else { return }
        done.formUnion(lines)
        while done.contains(doneBelow + 1) { doneBelow += 1 }
        try append("{\"done\":[\(lines.sorted().map(String.init).joined(separator: ","))],\"done_below\":\(doneBelow)}")
    }

    private func append(_ record: String) throws {
        guard fd >= 0 else { return try create(first: record) }
        guard writeAll(fd: fd, Array((record + "\n").utf8)), fsync(fd) == 0 else {
            throw IOFailure.system("write the checkpoint", path)
        }
    }

    /// Writes the header and the first record under a temporary name, then renames it into
    /// place: the checkpoint never exists without both.
    private func create(first record: String) throws {
        let temporary = "\(path).new-\(getpid())"
        let out = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard out >= 0 else { throw IOFailure.system("create the checkpoint", temporary) }
        guard writeAll(fd: out, Array((header + "\n" + record + "\n").utf8)), fsync(out) == 0,
            rename(temporary, path) == 0
        else {
            let failure = IOFailure.system("write the checkpoint", path)
            close(out)
            unlink(temporary)
            throw failure
        }
        fd = out
        // The rename itself reaches the disk with the directory.
        let directory = open(
            (path as NSString).deletingLastPathComponent.isEmpty
                ? "."
                : (path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    private func load(_ bytes: [UInt8]) throws {
        let restart = "remove it to import the file afresh (lines an earlier run stored would be stored again)"
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var records = 0
        var idRecords = 0
        for (index, line) in lines.enumerated() where !line.isEmpty {
            guard let record = try? JSONValue.parse(Array(line)), case .object(let members) = record else {
                throw InputError("checkpoint \(path) is damaged at line \(index + 1); \(restart)")
            }
            records += 1
            if records == 1 {
                guard case .number(let version)? = members.first(where: { $0.key == "checkpoint" })?.value else {
                    throw InputError("checkpoint \(path) is damaged: line \(index + 1) is not its header; \(restart)")
                }
                guard version == "1" else {
                    throw InputError(
                        "checkpoint \(path) has version \(version), which this tool does not know: run the tool that wrote it"
                    )
                }
                continue
            }
            for member in members {
                switch (member.key, member.value) {
                case ("ids", .array(let entries)):
                    idRecords += 1
                    for entry in entries {
                        guard case .array(let fields) = entry, fields.count == 3,
                            case .number(let number) = fields[0], let line = Int(number), line >= 1,
                            case .string(let id) = fields[1], case .string(let hash) = fields[2]
                        else {
                            throw InputError("checkpoint \(path): bad ids record at line \(index + 1); \(restart)")
                        }
                        assigned[line] = Assignment(id: id, hash: hash)
                    }
                case ("done", .array(let entries)):
                    for entry in entries {
                        guard case .number(let number) = entry, let line = Int(number), line >= 1 else {
                            throw InputError("checkpoint \(path): bad done record at line \(index + 1); \(restart)")
                        }
                        done.insert(line)
                    }
                default:
                    continue
                }
            }
        }
        if records == 0 {
            throw InputError("checkpoint \(path) is empty: it was cut short or not written by import; \(restart)")
        }
        if idRecords == 0 {
            throw InputError("checkpoint \(path) holds only its header: it was cut short; \(restart)")
        }
        if let line = done.first(where: { assigned[$0] == nil }) {
            throw InputError("checkpoint \(path): line \(line) is done but has no id; \(restart)")
        }
    }
}

/// FNV-1a (64-bit) of a line, in hex: cheap, and enough to notice an edited file.
func lineHash(_ bytes: [UInt8]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// The lines of a file as raw bytes, without their line break (`\n` or `\r\n`).
final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0

    init(path: String) throws {
        guard let file = fopen(path, "rb") else { throw IOFailure.system("read", path) }
        self.file = file
    }

    deinit {
        free(buffer)
        fclose(file)
    }

    func next() -> [UInt8]? {
        let count = getline(&buffer, &capacity, file)
        guard count >= 0, let buffer else { return nil }
        var length = count
        if length > 0 && buffer[length - 1] == 0x0a { length -= 1 }
        if length > 0 && buffer[length - 1] == 0x0d { length -= 1 }
        return buffer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }
}

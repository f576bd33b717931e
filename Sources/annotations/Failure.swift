import AnnotationsRPC
import ArgumentParser
import Foundation
import H2Transport
import ProtoWire

/// The exit statuses of every subcommand (sysexits.h values, as curl-like tools use them).
enum ExitStatus {
    static let success: Int32 = 0
    /// Bad or missing flags: ArgumentParser's own errors and `ArgumentParser.ValidationError`.
    static let usage: Int32 = 64  // EX_USAGE
    /// Input refused before anything was sent (`AnnotationsRPC.ValidationError`, a bad JSON body).
    static let invalidInput: Int32 = 65  // EX_DATAERR
    /// The server answered with a failure: a Clarifai status, or a gRPC status of its own.
    static let api: Int32 = 69  // EX_UNAVAILABLE
    /// A local file (output, checkpoint, rejects, fixtures, plot) could not be read or written.
    static let ioError: Int32 = 74  // EX_IOERR
    /// The server could not be reached or the call did not complete: try again later. For
    /// `serve`: it could not listen (the port is taken, the address is not local) or load its
    /// TLS certificate.
    static let transport: Int32 = 75  // EX_TEMPFAIL
    /// An error the tool does not expect: a bug (it has no other status to give).
    static let internalError: Int32 = 70  // EX_SOFTWARE
    /// `import` stopped by SIGINT (Ctrl-C), after its summary line; 143 for SIGTERM (128 + the
    /// signal's number, as shells report a process a signal ended).
    static let interrupted: Int32 = 130

    /// The `--help` text shared by every network subcommand.
    static let help = """
        Exit status:
          0   success
          64  usage error: a bad or missing flag (nothing was sent)
          65  input refused before sending: a coordinate outside [0, 1], an
              empty id, a body or line that is not an annotation in REST JSON
          69  API error: Clarifai answered with a failure status (e.g. 11101
              not found, 11008 bad key), or the server ended the call with a
              gRPC status of its own
          74  a local file (output, checkpoint, rejects) could not be read or
              written
          75  transport error: connection refused, TLS failure, connection
              lost, gRPC UNAVAILABLE or DEADLINE_EXCEEDED (try again later)
          130 import interrupted by SIGINT (143: SIGTERM), after its summary
          70  internal error (a bug: please report it)
        Errors go to stderr in one line; the key is never printed.
        """

    /// The `--help` text of `wire`.
    static let wireHelp = """
        Exit status:
          0   success (with --batch: every line read, each failure reported in
              its output line)
          64  usage error: a bad or missing flag, an unknown --type
          65  the input is not a message of --type (binary or JSON)
          70  internal error (a bug: please report it)
        """

    /// The `--help` text of `serve`.
    static let serveHelp = """
        Exit status:
          0   stopped by SIGINT or SIGTERM
          64  usage error: a bad flag, a --fixtures line that is not an
              annotation, no openssl to make a certificate
          74  a file could not be read: --fixtures
          75  could not listen: the port is taken or the address is not local;
              or the TLS certificate or key could not be loaded
          70  internal error (a bug: please report it)
        """

    /// The `--help` text of `demo` and `bench`.
    static let demoHelp = """
        Exit status:
          0   success: every call succeeded (bench: every run had a call that
              succeeded)
          64  usage error: a bad or missing flag
          69  a call failed with an API error (bench: a run in which no call
              succeeded)
          74  a local file (bench --plot) could not be written
          75  a transport error, or the embedded emulator did not start
          70  internal error (a bug: please report it)
        """
}

/// Bad input found by the tool itself before sending (a JSON body that does not decode,
/// an import file that no longer matches its checkpoint): exit status 65.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A local file could not be written: exit status 74.
struct IOFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }

    /// The failure of a system call on `path`, with the system's reason.
    static func system(_ what: String, _ path: String) -> IOFailure {
        IOFailure("cannot \(what) \(path): \(String(cString: strerror(errno)))")
    }
}

/// What a failure means for the user: an exit status and a one-line message.
struct Failure {
    let status: Int32
    let kind: String
    let message: String

    init(status: Int32, kind: String, message: String) {
        self.status = status
        self.kind = kind
        self.message = message
    }

    /// Sorts any error of the client, the transport or the tool into one of the exit statuses.
    init(_ error: any Error) {
        switch error {
        case let error as AnnotationsRPC.ValidationError:
            self.init(status: ExitStatus.invalidInput, kind: "invalid request", message: error.description)
        case let error as InputError:
            self.init(status: ExitStatus.invalidInput, kind: "invalid input", message: error.description)
        case let error as ClarifaiStatusError:
            self.init(status: ExitStatus.api, kind: "API error", message: Failure.describe(error))
        case let error as GRPCError:
            if let cause = error.cause {
                self.init(status: ExitStatus.transport, kind: "transport error", message: "\(error.code): \(cause)")
            } else if error.code == .unavailable || error.code == .deadlineExceeded {
                self.init(status: ExitStatus.transport, kind: "transport error", message: "gRPC status \(error)")
            } else {
                self.init(status: ExitStatus.api, kind: "API error", message: "gRPC status \(error)")
            }
        case let error as TransportError:
            if error.kind == .invalidEndpoint || error.kind == .invalidProxy {
                self.init(status: ExitStatus.usage, kind: "usage error", message: error.description)
            } else {
                self.init(status: ExitStatus.transport, kind: "transport error", message: error.description)
            }
        case let error as IOFailure:
            self.init(status: ExitStatus.ioError, kind: "I/O error", message: error.description)
        case let error as JSONError:
            self.init(status: ExitStatus.invalidInput, kind: "invalid input", message: error.description)
        case let error as ToolError:
            self.init(status: ExitStatus.invalidInput, kind: "invalid input", message: error.description)
        case let error as BenchError:
            self.init(status: error.status, kind: "bench failed", message: error.description)
        case let error as CocoaError:
            // Foundation's file reads (`serve --fixtures`), whose text does not name the file.
            let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
            self.init(
                status: ExitStatus.ioError, kind: "I/O error",
                message: path.map { "cannot read \($0): \(error.localizedDescription)" } ?? error.localizedDescription)
        default:
            self.init(status: ExitStatus.internalError, kind: "internal error", message: "\(error)")
        }
    }

    /// The status, and for per-item failures (MIXED_STATUS) each failed item's own status.
    static func describe(_ error: ClarifaiStatusError) -> String {
        var text = error.description
        let failed = error.items.filter { item in
            guard let code = item.status?.code else { return false }
            return ![StatusCode.success, .annotationSuccess, .annotationPending].contains(code)
        }
        if !failed.isEmpty {
            let items = failed.prefix(5).map { item in
                "\(item.id.isEmpty ? item.inputID : item.id): \(item.status?.code.description ?? "?")"
            }
            text += "; failed items: " + items.joined(separator: ", ") + (failed.count > 5 ? ", …" : "")
        }
        return text
    }
}

/// Writes one line to stderr with `write(2)` (the C `stderr` global is not concurrency-safe).
func writeStandardError(_ line: String) {
    var bytes = Array(line.utf8)
    if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
    writeAll(fd: 2, bytes)
}

/// Writes every byte, retrying short writes and EINTR; false (with `errno` set) on failure.
@discardableResult
func writeAll(fd: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}

/// `text` on one line, with every secret replaced by `***`.
func redacted(_ text: String, secrets: [String]) -> String {
    var line = text.replacingOccurrences(of: "\r\n", with: " ")
        .replacingOccurrences(of: "\n", with: " ")
        .replacingOccurrences(of: "\r", with: " ")
    for secret in secrets where secret.count >= 3 {
        line = line.replacingOccurrences(of: secret, with: "***")
    }
    return line
}

/// Runs a subcommand's work; a failure is reported on stderr in one line (the key redacted)
/// and turned into its exit status. ArgumentParser's own errors go through unchanged.
func reportingFailures(secrets: [String], _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ArgumentParser.ValidationError {
        throw error
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch {
        let failure = Failure(error)
        writeStandardError("annotations: \(failure.kind): \(redacted(failure.message, secrets: secrets))")
        throw ExitCode(failure.status)
    }
}

import AnnotationsRPC
import ArgumentParser
import Foundation
import H2Transport
import ProtoWire

/// The exit statuses of the network subcommands (sysexits.h values, as curl-like tools use them).
enum ExitStatus {
    static let success: Int32 = 0
    /// Bad or missing flags: ArgumentParser's own errors and `ArgumentParser.ValidationError`.
    static let usage: Int32 = 64  // EX_USAGE
    /// Input refused before anything was sent (`AnnotationsRPC.ValidationError`, a bad JSON body).
    static let invalidInput: Int32 = 65  // EX_DATAERR
    /// The server answered with a failure: a Clarifai status, or a gRPC status of its own.
    static let api: Int32 = 69  // EX_UNAVAILABLE
    /// A local file (output, checkpoint, rejects) could not be written.
    static let ioError: Int32 = 74  // EX_IOERR
    /// The server could not be reached or the call did not complete: try again later.
    static let transport: Int32 = 75  // EX_TEMPFAIL

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
          74  a local file (output, checkpoint, rejects) could not be written
          75  transport error: connection refused, TLS failure, connection
              lost, gRPC UNAVAILABLE or DEADLINE_EXCEEDED (try again later)
        Errors go to stderr in one line; the key is never printed.
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
        default:
            self.init(status: 1, kind: "error", message: "\(error)")
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

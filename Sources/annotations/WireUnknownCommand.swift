import ArgumentParser
import Foundation
import ProtoWire

extension WireCommand {
    /// What a payload carries that the typed messages keep without reading: a newer server's fields.
    struct Unknown: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the fields of a binary message that the package does not model.",
            discussion: """
                Reads one message of --type (one of the package's own types) on stdin and prints \
                each field the typed messages keep as raw bytes, as `path  wire-type  N bytes`: \
                numbers the package's mirror does not declare (`annotations[0].data.#27`) and \
                declared fields of a type it does not model (`annotations[1].data.geo`). Sizes \
                include the tag. A summary goes to stderr.

                With --json: {"type", "unknown": [{"path", "number", "wire_type", "size", \
                "declared_name"?}]}. With --batch, each input line is one message in base64 and each \
                output line such an object, or {"error": <text>}.

                Example: annotations wire unknown --type clarifai.api.MultiAnnotationResponse < response.bin

                Exit status:
                  0   every field is modelled (with --batch: every line read)
                  1   the message has fields the package does not model (listed)
                  64  usage error: a bad or missing flag, an unknown --type
                  65  the input is not a message of --type
                """
        )

        @Option(name: .customLong("type"), help: "Full message name, e.g. clarifai.api.MultiAnnotationResponse.")
        var name: String
        @Flag(help: "One base64 message per line in, one JSON report per line out.") var batch = false
        @Flag(help: "The report as JSON.") var json = false

        func run() throws {
            let typed = try TypeOption.resolve(name)
            guard let type = MirroredSchema.messageType(name) else {
                throw ToolError("the package's mirror has no message \(name)")  // a bug: MessageTypes ⊆ mirror
            }
            if batch {
                while let line = readLine(strippingNewline: true) {
                    guard let bytes = Foundation.Data(base64Encoded: line) else {
                        print(errorLine("invalid base64 line"))
                        continue
                    }
                    do {
                        print(jsonReport(try report([UInt8](bytes), type: type, typed: typed)))
                    } catch {
                        print(errorLine("\(error)"))
                    }
                }
                return
            }
            let fields: [UnknownField]
            do {
                fields = try report([UInt8](FileHandle.standardInput.readDataToEndOfFile()), type: type, typed: typed)
            } catch {
                throw ToolError("\(error)")
            }
            if json {
                print(jsonReport(fields))
            } else {
                for field in fields {
                    print(field.declaredName == nil ? field.description : "\(field.description)  (not modelled)")
                }
            }
            let count = fields.count
            FileHandle.standardError.write(
                Foundation.Data(
                    (count == 0
                        ? "every field of this \(name) is modelled\n"
                        : "\(count) field\(count == 1 ? "" : "s") of this \(name) not modelled by the package\n").utf8))
            if count > 0 { throw ExitCode(1) }
        }

        /// The typed decoder must accept the bytes too: the report is about what it keeps.
        private func report(_ bytes: [UInt8], type: MessageType, typed: any ProtoMessage.Type) throws -> [UnknownField]
        {
            _ = try typed.init(serializedBytes: bytes)
            return try DynamicMessage(serializedBytes: bytes, type: type)
                .unknownFieldReport(isModelled: MirroredSchema.isModelled)
        }

        private func jsonReport(_ fields: [UnknownField]) -> String {
            let entries: [[String: Any]] = fields.map { field in
                var entry: [String: Any] = [
                    "path": field.path, "number": field.number, "wire_type": field.wireType.name, "size": field.size,
                ]
                if let name = field.declaredName { entry["declared_name"] = name }
                return entry
            }
            return jsonText(["type": name, "unknown": entries])
        }
    }
}

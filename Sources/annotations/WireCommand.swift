import ArgumentParser
import ClarifaiV2
import Foundation
import ProtoWire

struct WireCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wire",
        abstract: "Convert messages between the protobuf wire format and Clarifai's JSON.",
        discussion: ExitStatus.wireHelp,
        subcommands: [Decode.self, Encode.self, Unknown.self, Diff.self, Schema.self, Methods.self]
    )

    /// The contract as data: what a compatibility test compares with the official descriptors.
    struct Methods: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the V2 methods this package speaks, one JSON object per line.",
            discussion: """
                Each line: {"name", "grpc_path", "request", "response", "server_streaming", "verb", \
                "paths" (the REST binding and its additional bindings, in order), "body" ("*" or "")}.

                Example: annotations wire methods | jq -r .grpc_path
                """
        )

        func run() throws {
            for method in V2.all {
                let line: [String: Any] = [
                    "name": method.name, "grpc_path": method.grpcPath,
                    "request": method.requestType.protoMessageName, "response": method.responseType.protoMessageName,
                    "server_streaming": method.kind == .serverStreaming, "verb": method.restVerb.lowercased(),
                    "paths": method.restTemplates.map(\.description), "body": method.restBody,
                ]
                print(jsonText(line))
            }
        }
    }

    struct TypeOption: ParsableArguments {
        @Option(
            name: .customLong("type"),
            help: """
                Full message name, e.g. clarifai.api.MultiAnnotationResponse: one of the package's own \
                types, or with --descriptor-set any message of the set.
                """)
        var name: String

        func resolve() throws -> any ProtoMessage.Type { try TypeOption.resolve(name) }

        /// One of the package's own types, by full name; a usage error listing them otherwise.
        static func resolve(_ name: String) throws -> any ProtoMessage.Type {
            guard let type = MessageTypes.named(name) else {
                let known = MessageTypes.all.map { $0.protoMessageName }.sorted().joined(separator: ", ")
                throw ValidationError("unknown message type '\(name)'; known types: \(known)")
            }
            return type
        }
    }

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Binary message on stdin → JSON on stdout.",
            discussion: """
                With --batch, each input line is one message in base64 and each output line is \
                {"binary": <base64 of the re-encoded message>, "json": <the message>} or {"error": <text>}.

                Example: annotations wire decode --type clarifai.api.MultiAnnotationResponse < response.bin

                With --descriptor-set, any message of the set, in proto3 JSON as json_format writes it:
                annotations wire decode --descriptor-set clarifai.pb --type clarifai.api.Model < model.bin

                \(ExitStatus.wireHelp)
                """
        )

        @OptionGroup var type: TypeOption
        @OptionGroup var descriptors: DescriptorSetOptions
        @Flag(help: "One base64 message per line in, one JSON result per line out.") var batch = false

        func run() throws {
            if let path = descriptors.path {
                return try runDynamic(try descriptors.messageType(type.name, at: path))
            }
            let type = try type.resolve()
            if batch {
                while let line = readLine(strippingNewline: true) {
                    print(decodeLine(line, as: type))
                }
            } else {
                let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
                do {
                    print(try decode(input, as: type).1)
                } catch {
                    throw ToolError("\(error)")
                }
            }
        }

        private func runDynamic(_ type: MessageType) throws {
            let options = descriptors.jsonOptions
            func decode(_ bytes: [UInt8]) throws -> ([UInt8], String) {
                let message = try DynamicMessage(serializedBytes: bytes, type: type)
                return (message.serializedBytes(), try message.jsonString(options: options))
            }
            guard batch else {
                do {
                    print(try decode([UInt8](FileHandle.standardInput.readDataToEndOfFile())).1)
                } catch {
                    throw ToolError("\(error)")
                }
                return
            }
            while let line = readLine(strippingNewline: true) {
                guard let bytes = Foundation.Data(base64Encoded: line) else {
                    print(errorLine("invalid base64 line"))
                    continue
                }
                do {
                    let (binary, json) = try decode([UInt8](bytes))
                    print(#"{"binary":"\#(Foundation.Data(binary).base64EncodedString())","json":\#(json)}"#)
                } catch {
                    print(errorLine("\(error)"))
                }
            }
        }

        private func decodeLine(_ line: String, as type: any ProtoMessage.Type) -> String {
            guard let bytes = Foundation.Data(base64Encoded: line) else { return errorLine("invalid base64 line") }
            do {
                let (binary, json) = try decode([UInt8](bytes), as: type)
                return #"{"binary":"\#(Foundation.Data(binary).base64EncodedString())","json":\#(json)}"#
            } catch {
                return errorLine("\(error)")
            }
        }

        private func decode<M: ProtoMessage>(_ bytes: [UInt8], as type: M.Type) throws -> ([UInt8], String) {
            let message = try M(serializedBytes: bytes)
            return (message.serializedBytes(), message.jsonString())
        }
    }

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "JSON message on stdin → binary on stdout.",
            discussion: """
                With --batch, each input line is one JSON message and each output line is \
                {"binary": <base64>} or {"error": <text>}.

                Example: echo '{"annotations":[{"input_id":"i1"}]}' | \
                annotations wire encode --type clarifai.api.PostAnnotationsRequest > request.bin

                With --descriptor-set, any message of the set, from proto3 JSON as json_format reads it:
                echo '{"id":"m1"}' | annotations wire encode --descriptor-set clarifai.pb --type clarifai.api.Model

                \(ExitStatus.wireHelp)
                """
        )

        @OptionGroup var type: TypeOption
        @OptionGroup var descriptors: DescriptorSetOptions
        @Flag(help: "One JSON message per line in, one base64 result per line out.") var batch = false

        func run() throws {
            if let path = descriptors.path {
                let type = try descriptors.messageType(type.name, at: path)
                let options = descriptors.jsonOptions
                return try run { json throws in
                    try DynamicMessage(jsonUTF8: json, type: type, options: options).serializedBytes()
                }
            }
            let type = try type.resolve()
            try run { json throws in try encode(json, as: type) }
        }

        /// Reads stdin (or its lines) and writes what `encode` makes of it.
        private func run(_ encode: ([UInt8]) throws -> [UInt8]) throws {
            if batch {
                while let line = readLine(strippingNewline: true) {
                    do {
                        let binary = try encode(Array(line.utf8))
                        print(#"{"binary":"\#(Foundation.Data(binary).base64EncodedString())"}"#)
                    } catch {
                        print(errorLine("\(error)"))
                    }
                }
            } else {
                let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
                do {
                    FileHandle.standardOutput.write(Foundation.Data(try encode(input)))
                } catch {
                    throw ToolError("\(error)")
                }
            }
        }

        private func encode<M: ProtoMessage>(_ json: [UInt8], as type: M.Type) throws -> [UInt8] {
            try M(jsonUTF8: json).serializedBytes()
        }
    }
}

/// One JSON object on one line, keys sorted, slashes as they are: the form of every `wire`
/// report (`methods`, `unknown --json`, `diff --json`). The objects hold only strings,
/// numbers, booleans, arrays and objects, which always serialize.
func jsonText(_ object: [String: Any]) -> String {
    let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data ?? Foundation.Data("{}".utf8), as: UTF8.self)
}

/// `{"error": "<text>"}` with the text escaped as a JSON string.
func errorLine(_ text: String) -> String {
    var value = ProtoValue(.string(text))
    value.unknownFields = []
    return #"{"error":\#(value.jsonString())}"#
}

/// Input that is not a message of the type asked for: reported on stderr in one line, exit
/// status 65 (see `Failure`).
struct ToolError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

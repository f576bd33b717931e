import ArgumentParser
import Foundation
import ProtoWire

/// `--descriptor-set FILE` and its JSON flags: `wire decode|encode` for any message of a
/// `FileDescriptorSet` (`protoc -o`, or the descriptors the official Python package carries),
/// through ``DynamicMessage``, instead of the package's own typed messages.
struct DescriptorSetOptions: ParsableArguments {
    @Option(
        name: .customLong("descriptor-set"),
        help: "A serialized FileDescriptorSet: --type then names any message in it.")
    var path: String?

    @Flag(
        name: .customLong("proto-field-names"),
        help: "With --descriptor-set: JSON keys as in the .proto (input_id), not lowerCamelCase (inputId).")
    var protoFieldNames = false

    @Flag(
        name: .customLong("plain-json"),
        help: "With --descriptor-set: ignore Clarifai's cl_show_if_empty/cl_default_float (json_format exactly).")
    var plainJSON = false

    var jsonOptions: DynamicJSONOptions {
        DynamicJSONOptions(preservesProtoFieldNames: protoFieldNames, honoursClarifaiOptions: !plainJSON)
    }

    func validate() throws {
        if path == nil && (protoFieldNames || plainJSON) {
            throw ValidationError("--proto-field-names and --plain-json need --descriptor-set")
        }
    }

    /// The message type `name` in the set at `path`: an unreadable file is an I/O error, a set
    /// that does not decode or resolve and a type it does not hold are usage errors.
    func messageType(_ name: String, at path: String) throws -> MessageType {
        let set = try DescriptorSetOptions.load(path)
        guard let type = set.messageType(name) else {
            let shortName = name.split(separator: ".").last.map(String.init) ?? name
            let similar = shortName.isEmpty ? [] : set.messageTypeNames.filter { $0.hasSuffix("." + shortName) }
            let hint = similar.isEmpty ? "" : "; did you mean \(similar.prefix(5).joined(separator: ", "))?"
            throw ValidationError("--descriptor-set \(path) has no message type '\(name)'\(hint)")
        }
        return type
    }

    /// The set at `path`, for `--descriptor-set` and `--base`: an unreadable file is an I/O error
    /// (74), bytes that are not a set that resolves a usage error (64).
    static func load(_ path: String, flag: String = "--descriptor-set") throws -> DescriptorSet {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IOFailure("cannot read the descriptor set \(path)")
        }
        do {
            return try DescriptorSet(serializedBytes: [UInt8](data))
        } catch {
            let text = "\(error)"
            // protoc leaves the imported files out unless asked, and their types then name nothing.
            let hint = text.contains("unresolved type") ? " (write the set with protoc --include_imports)" : ""
            throw ValidationError("\(flag) \(path): \(text)\(hint)")
        }
    }
}

import ArgumentParser
import Foundation
import ProtoWire

extension WireCommand {
    /// The package's own schema as data: the mirror of `protos/` as a `FileDescriptorSet`.
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the package's mirror of the official definitions as a FileDescriptorSet.",
            discussion: """
                The descriptor set of protos/ (\(MirroredSchema.release), the messages, enums and V2 \
                bindings the package mirrors), as `protoc --include_imports -o` writes it, without \
                descriptor.proto. It is what `wire unknown` and `wire diff` compare with.

                Example: annotations wire schema > mirror.pb && \
                protoc --decode=google.protobuf.FileDescriptorSet google/protobuf/descriptor.proto < mirror.pb
                """
        )

        func run() throws {
            guard isatty(STDOUT_FILENO) == 0 else {
                throw ValidationError("the descriptor set is binary: redirect stdout to a file (> mirror.pb)")
            }
            FileHandle.standardOutput.write(Foundation.Data(MirroredSchema.serializedDescriptorSet))
        }
    }
}

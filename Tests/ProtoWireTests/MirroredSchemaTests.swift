import ProtoWire
import Testing

/// The embedded mirror of protos/ against the typed messages: every type the package models is
/// in it, field by field with the names the typed messages use, and the fields it declares but
/// the typed messages keep as raw bytes are exactly those whose type it declares empty.
/// (Tests/Compat/test_schema_tools.py checks it byte for byte against protoc's output.)
struct MirroredSchemaTests {
    @Test func theEmbeddedSetDecodesAndHoldsEveryTypedMessage() throws {
        let set = try FileDescriptorSet(serializedBytes: MirroredSchema.serializedDescriptorSet)
        #expect(set.file.contains { $0.name == "clarifai/api/resources.proto" })
        #expect(!set.file.contains { $0.name == "google/protobuf/descriptor.proto" })
        for type in MessageTypes.all {
            #expect(MirroredSchema.messageType(type.protoMessageName) != nil, "\(type.protoMessageName)")
        }
    }

    @Test(arguments: MessageTypes.all.map { $0.protoMessageName })
    func everyMirroredFieldHasTheTypedMessagesName(_ name: String) throws {
        let typed = try #require(MessageTypes.named(name))
        let mirrored = try #require(MirroredSchema.messageType(name))
        for field in mirrored.fields {
            #expect(typed.fieldName(field.number) == field.name, "\(name).\(field.name) = \(field.number)")
        }
    }

    @Test func theMessagesDeclaredInPartAreThePartialAndTheEmptyOnes() {
        let partial: Set = [
            "clarifai.api.User", "clarifai.api.Model", "clarifai.api.Workflow", "clarifai.api.ModelVersion",
            "clarifai.api.WorkflowVersion",
        ]
        let empty = Set(
            MirroredSchema.descriptorSet.messageTypeNames.filter {
                MirroredSchema.messageType($0)?.fields.isEmpty == true
            })
        #expect(empty.contains("clarifai.api.Geo") && empty.contains("clarifai.api.status.RedirectInfo"))
        #expect(empty.count == 14)
        #expect(MirroredSchema.messagesDeclaredInPart == partial.union(empty))
        // A partial message knows the official names of fields the mirror leaves out (error paths).
        #expect(
            Model.fieldName(5) == "output_info"
                && MirroredSchema.messageType("clarifai.api.Model")?
                    .field(number: 5) == nil
        )
    }

    @Test func fieldsOfATypeDeclaredEmptyAreTheOnlyOnesNotModelled() throws {
        var notModelled: [String] = []
        for name in MessageTypes.all.map({ $0.protoMessageName }) {
            let type = try #require(MirroredSchema.messageType(name))
            for field in type.fields where !MirroredSchema.isModelled(field) {
                notModelled.append("\(name).\(field.name)")
            }
        }
        #expect(
            notModelled.sorted() == [
                "clarifai.api.Audio.audio_info", "clarifai.api.Concept.extra_info",
                "clarifai.api.Concept.keypoint_info",
                "clarifai.api.Concept.visibility", "clarifai.api.Data.clusters", "clarifai.api.Data.colors",
                "clarifai.api.Data.geo", "clarifai.api.Data.hits", "clarifai.api.Data.ndarray",
                "clarifai.api.Data.parts",
                "clarifai.api.Data.time_segments", "clarifai.api.Text.text_info", "clarifai.api.Video.video_info",
                "clarifai.api.status.Status.redirect_info",
            ])
    }

    @Test func theMirrorComparedWithItselfHasNoChange() {
        let diff = SchemaDiff(
            from: MirroredSchema.descriptorSet, to: MirroredSchema.descriptorSet,
            notMirrored: MirroredSchema.messagesDeclaredInPart)
        #expect(diff.changes.isEmpty)
        #expect(!diff.isBreaking)
    }
}

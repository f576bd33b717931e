import ProtoWire
import Testing

/// `SchemaDiff` from the mirror to a copy of it changed on purpose: each change is reported once,
/// as what it is, and only breaking changes make the diff breaking.
struct SchemaDiffTests {
    /// The mirror's files, to change.
    static func mirrorFiles() throws -> FileDescriptorSet {
        try FileDescriptorSet(serializedBytes: MirroredSchema.serializedDescriptorSet)
    }

    /// The mirror with `change` applied to the top-level message `message` of `file`.
    static func changing(
        _ message: String, in file: String = "clarifai/api/resources.proto",
        _ change: (inout DescriptorProto) -> Void
    ) throws -> FileDescriptorSet {
        var set = try mirrorFiles()
        let fileIndex = try #require(set.file.firstIndex { $0.name == file })
        let index = try #require(set.file[fileIndex].messageType.firstIndex { $0.name == message })
        change(&set.file[fileIndex].messageType[index])
        return set
    }

    static func diff(_ set: FileDescriptorSet) throws -> [SchemaChange] {
        SchemaDiff(
            from: MirroredSchema.descriptorSet, to: try DescriptorSet(set),
            notMirrored: MirroredSchema.messagesDeclaredInPart
        ).changes
    }

    static func field(_ name: String, of message: DescriptorProto) -> Int {
        message.field.firstIndex { $0.name == name }!
    }

    @Test func aRenumberedFieldIsOneBreakingChange() throws {
        let set = try Self.changing("Annotation") { $0.field[Self.field("input_id", of: $0)].number = 99 }
        #expect(
            try Self.diff(set) == [
                SchemaChange(
                    .fieldRenumbered, "clarifai.api.Annotation.input_id",
                    from: "2", to: "99")
            ])
    }

    @Test func aRetypedFieldShowsBothTypes() throws {
        let set = try Self.changing("Concept") { $0.field[Self.field("value", of: $0)].type = .double }
        let changes = try Self.diff(set)
        #expect(changes == [SchemaChange(.fieldRetyped, "clarifai.api.Concept.value", from: "float", to: "double")])
        #expect(changes.allSatisfy { $0.isBreaking })
        let repeated = try Self.changing("Annotation") { $0.field[Self.field("id", of: $0)].label = .repeated }
        #expect(
            try Self.diff(repeated) == [
                SchemaChange(
                    .fieldRetyped, "clarifai.api.Annotation.id",
                    from: "string", to: "repeated string")
            ])
    }

    @Test func aRemovedFieldAndAnAddedOne() throws {
        let set = try Self.changing("Annotation") { message in
            message.field.remove(at: Self.field("created_at", of: message))
            message.field.append(FieldDescriptorProto(name: "reviewed", number: 40, type: .bool))
        }
        let changes = try Self.diff(set)
        #expect(
            changes == [
                SchemaChange(.fieldRemoved, "clarifai.api.Annotation.created_at", from: "#8 google.protobuf.Timestamp"),
                SchemaChange(.fieldAdded, "clarifai.api.Annotation.reviewed", to: "#40 bool"),
            ])
        #expect(changes.map { $0.isBreaking } == [true, false])
        #expect(
            changes[0].description
                == "breaking    field removed          clarifai.api.Annotation.created_at: #8 google.protobuf.Timestamp"
        )
    }

    @Test func aFieldAddedToAMessageDeclaredInPartIsNotMirroredByDesign() throws {
        let set = try Self.changing("Model") {
            $0.field.append(FieldDescriptorProto(name: "notes", number: 18, type: .string))
        }
        #expect(try Self.diff(set) == [SchemaChange(.fieldNotMirrored, "clarifai.api.Model.notes", to: "#18 string")])
        let empty = try Self.changing("Geo") {
            $0.field.append(FieldDescriptorProto(name: "radius", number: 2, type: .float))
        }
        #expect(try Self.diff(empty).map { $0.kind } == [.fieldNotMirrored])
    }

    @Test func aRenamedFieldBreaksJSON() throws {
        let set = try Self.changing("Annotation") { message in
            let index = Self.field("input_id", of: message)
            message.field[index].name = "input"
            message.field[index].jsonName = "input"
        }
        #expect(
            try Self.diff(set) == [
                SchemaChange(
                    .fieldRenamed, "clarifai.api.Annotation.input_id",
                    from: "input_id (JSON inputId)", to: "input (JSON input)")
            ])
    }

    @Test func clarifaisJSONOptions() throws {
        let set = try Self.changing("Concept") { message in
            let value = Self.field("value", of: message)
            message.field[value].options?.clDefaultFloat = 0
            let id = Self.field("id", of: message)
            message.field[id].options = FieldOptions(clShowIfEmpty: true)
        }
        let changes = try Self.diff(set)
        #expect(
            changes == [
                SchemaChange(.fieldEncodingChanged, "clarifai.api.Concept.id", from: "plain", to: "cl_show_if_empty"),
                SchemaChange(
                    .fieldDefaultChanged, "clarifai.api.Concept.value", from: "cl_default_float 1.0",
                    to: "cl_default_float 0.0"),
            ])
        #expect(changes.map { $0.isBreaking } == [false, true])
    }

    @Test func aRemovedMessageAndAMessageMovedIntoAOneof() throws {
        var set = try Self.changing("Annotation") { message in
            message.oneofDecl = [OneofDescriptorProto(name: "source")]
            message.field[Self.field("user_id", of: message)].oneofIndex = 0
        }
        let file = try #require(set.file.firstIndex { $0.name == "clarifai/api/resources.proto" })
        set.file[file].messageType.removeAll { $0.name == "Span" }
        // RegionInfo.span refers to Span: it goes too, or the set does not resolve.
        let regionInfo = try #require(set.file[file].messageType.firstIndex { $0.name == "RegionInfo" })
        set.file[file].messageType[regionInfo].field.removeAll { $0.name == "span" }
        #expect(
            try Self.diff(set) == [
                SchemaChange(
                    .fieldRetyped, "clarifai.api.Annotation.user_id", from: "string",
                    to: "optional string (oneof source)"),
                SchemaChange(.fieldRemoved, "clarifai.api.RegionInfo.span", from: "#7 clarifai.api.Span"),
                SchemaChange(.messageRemoved, "clarifai.api.Span"),
            ])
    }

    @Test func enumValuesRemovedRenamedRenumberedAndAdded() throws {
        var set = try Self.mirrorFiles()
        let file = try #require(set.file.firstIndex { $0.name == "clarifai/api/resources.proto" })
        let type = try #require(set.file[file].enumType.firstIndex { $0.name == "AnnotationDataType" })
        var values = set.file[file].enumType[type].value
        values.removeAll { $0.name == "MASK" }
        values[values.firstIndex { $0.name == "TAG" }!].name = "CLASSIFICATION"
        values[values.firstIndex { $0.name == "SPAN" }!].number = 1000
        values.append(EnumValueDescriptorProto(name: "TRACK", number: 2048))
        set.file[file].enumType[type].value = values
        let changes = try Self.diff(set)
        let name = "clarifai.api.AnnotationDataType"
        #expect(
            changes == [
                SchemaChange(.enumValueRenamed, name + ".TAG", from: "TAG", to: "CLASSIFICATION"),
                SchemaChange(.enumValueRenumbered, name + ".SPAN", from: "16", to: "1000"),
                SchemaChange(.enumValueRemoved, name + ".MASK", from: "32"),
                SchemaChange(.enumValueAdded, name + ".TRACK", to: "2048"),
            ])
        #expect(changes.map { $0.isBreaking } == [true, true, true, false])
    }

    @Test func methodsAndBindings() throws {
        var set = try Self.mirrorFiles()
        let file = try #require(set.file.firstIndex { $0.name == "clarifai/api/service.proto" })
        var methods = set.file[file].service[0].method
        methods.removeAll { $0.name == "DeleteAnnotation" }
        let get = methods.firstIndex { $0.name == "GetAnnotation" }!
        methods[get].serverStreaming = true
        let list = methods.firstIndex { $0.name == "ListAnnotations" }!
        methods[list].options?.http?.path = "/v3/annotations"
        methods[list].options?.http?.additionalBindings = []
        let post = methods.firstIndex { $0.name == "PostAnnotations" }!
        var extra = HTTPBinding()
        extra.verb = "PUT"
        extra.path = "/v2/annotations/bulk"
        extra.body = "*"
        methods[post].options?.http?.additionalBindings.append(extra)
        set.file[file].service[0].method = methods
        let changes = try Self.diff(set)
        let users = "/v2/users/{user_app_id.user_id}/apps/{user_app_id.app_id}"
        #expect(
            changes == [
                SchemaChange(
                    .methodRetyped, "clarifai.api.V2.GetAnnotation",
                    from: "clarifai.api.GetAnnotationRequest → clarifai.api.SingleAnnotationResponse",
                    to: "clarifai.api.GetAnnotationRequest → stream clarifai.api.SingleAnnotationResponse"),
                SchemaChange(
                    .bindingChanged, "clarifai.api.V2.ListAnnotations", from: "GET \(users)/annotations",
                    to: "GET /v3/annotations"),
                SchemaChange(.bindingRemoved, "clarifai.api.V2.ListAnnotations", from: "GET /v2/annotations"),
                SchemaChange(.bindingAdded, "clarifai.api.V2.PostAnnotations", to: "PUT /v2/annotations/bulk body *"),
                SchemaChange(.methodRemoved, "clarifai.api.V2.DeleteAnnotation"),
            ])
        #expect(changes.map { $0.isBreaking } == [true, true, true, false, true])
    }

    @Test func aFieldWhoseNumberAnotherFieldTookIsRemovedNotRenamed() throws {
        let set = try Self.changing("Annotation") { message in
            message.field.remove(at: Self.field("id", of: message))
            message.field[Self.field("input_id", of: message)].number = 1
        }
        #expect(
            try Self.diff(set) == [
                SchemaChange(.fieldRemoved, "clarifai.api.Annotation.id", from: "#1 string"),
                SchemaChange(.fieldRenumbered, "clarifai.api.Annotation.input_id", from: "2", to: "1"),
            ])
    }

    @Test func droppingAnAliasRemovesItAndAddingOneAddsIt() throws {
        var aliased = try Self.mirrorFiles()
        let file = try #require(aliased.file.firstIndex { $0.name == "clarifai/api/resources.proto" })
        let type = try #require(aliased.file[file].enumType.firstIndex { $0.name == "AnnotationDataType" })
        aliased.file[file].enumType[type].value.append(EnumValueDescriptorProto(name: "CLASSIFICATION", number: 1))
        let withAlias = try DescriptorSet(aliased)
        let name = "clarifai.api.AnnotationDataType.CLASSIFICATION"
        #expect(
            SchemaDiff(from: withAlias, to: MirroredSchema.descriptorSet).changes
                == [SchemaChange(.enumValueRemoved, name, from: "1")])
        #expect(
            SchemaDiff(from: MirroredSchema.descriptorSet, to: withAlias).changes
                == [SchemaChange(.enumValueAdded, name, to: "1")])
    }

    @Test(arguments: [-1, 1, 7])
    func aOneofIndexThatNamesNoOneofIsRefused(_ index: Int32) throws {
        let set = try Self.changing("Annotation") { message in
            message.oneofDecl = [OneofDescriptorProto(name: "only")]
            message.field[Self.field("id", of: message)].oneofIndex = index
        }
        let error = #expect(throws: DescriptorError.self) { try DescriptorSet(set) }
        #expect(error.map { "\($0)" }?.contains("oneof index") == true)
    }

    @Test func everyKindHasANameAndASeverity() {
        let compatible = SchemaChange.Kind.allCases.filter { !$0.isBreaking }
        #expect(compatible == [.fieldAdded, .fieldNotMirrored, .fieldEncodingChanged, .enumValueAdded, .bindingAdded])
        #expect(SchemaChange.Kind.fieldRenumbered.title == "field renumbered")
    }
}

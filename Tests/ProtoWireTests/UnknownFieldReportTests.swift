import ProtoWire
import Testing

/// `unknownFieldReport(isModelled:)` on byte vectors, with the mirror's rule: what the typed
/// messages keep as raw bytes, where it is and how big.
struct UnknownFieldReportTests {
    func report(_ bytes: [UInt8], as name: String) throws -> [UnknownField] {
        let type = try #require(MirroredSchema.messageType(name))
        return try DynamicMessage(serializedBytes: bytes, type: type)
            .unknownFieldReport(isModelled: MirroredSchema.isModelled)
    }

    @Test func aFullyModelledMessageReportsNothing() throws {
        // Annotation { id "a", input_id "i", data { concepts [{ id "c", value 1 }] } }
        let bytes = hex("0a0161 120169 1a0a 1a08 0a0163 1d 0000803f")
        #expect(try report(bytes, as: "clarifai.api.Annotation") == [])
    }

    @Test func undeclaredNumbersAreReportedWithTheirPathWireTypeAndSize() throws {
        // Annotation { data { concepts [{ id "c", #99 varint 300 }] }, #1000 fixed32, #20 length 2 }
        let bytes = hex("1a08 1a06 0a0163 98 06 01   c5 3e 01020304   a2 01 02 6869")
        let fields = try report(bytes, as: "clarifai.api.Annotation")
        #expect(
            fields == [
                UnknownField(path: "data.concepts[0].#99", number: 99, wireType: .varint, size: 3),
                UnknownField(path: "#1000", number: 1000, wireType: .fixed32, size: 6),
                UnknownField(path: "#20", number: 20, wireType: .lengthDelimited, size: 5),
            ])
        #expect(fields[1].description == "#1000  fixed32  6 bytes")
    }

    @Test func aDeclaredFieldOfATypeDeclaredEmptyIsReportedWholeByName() throws {
        // Data { geo { geo_point { longitude 3 } }, colors [{ raw_hex "#f" }, {}] }
        let bytes = hex("3207 0a05 0d00004040   3a04 0a02 2366   3a00")
        let fields = try report(bytes, as: "clarifai.api.Data")
        #expect(
            fields == [
                UnknownField(path: "geo", number: 6, wireType: .lengthDelimited, size: 9, declaredName: "geo"),
                UnknownField(path: "colors[0]", number: 7, wireType: .lengthDelimited, size: 6, declaredName: "colors"),
                UnknownField(path: "colors[1]", number: 7, wireType: .lengthDelimited, size: 2, declaredName: "colors"),
            ])
    }

    @Test func aMapEntryIsNamedByItsKeyAndAPartialMessagesOtherFieldsAreUnknown() throws {
        // Image { hosted_image_info { "small": { width 3, #9 varint 1 } } }
        let image = hex("3a0d 0a05736d616c6c 1204 0803 4801")
        #expect(
            try report(image, as: "clarifai.api.Image") == [
                UnknownField(path: #"hosted_image_info["small"].value.#9"#, number: 9, wireType: .varint, size: 2)
            ])
        // Worker { model { id "m", notes "n" (official #18, not mirrored) } }
        let worker = hex("1207 0a016d 92 01 016e")
        #expect(
            try report(worker, as: "clarifai.api.Worker") == [
                UnknownField(path: "model.#18", number: 18, wireType: .lengthDelimited, size: 4)
            ])
    }

    @Test func theReportIsWhatTheTypedMessagesKeep() throws {
        // MultiAnnotationResponse { annotations [{ id "a", #30 varint 7 }] } then #1000 varint 1.
        let bytes = hex("1206 0a0161 f001 07   c03e 01")
        let typed = try MultiAnnotationResponse(serializedBytes: bytes)
        #expect(typed.unknownFields == hex("c03e 01"))
        #expect(typed.annotations.first?.unknownFields == hex("f001 07"))
        #expect(
            try report(bytes, as: "clarifai.api.MultiAnnotationResponse").map { $0.path }
                == ["annotations[0].#30", "#1000"])
    }
}

import ProtoWire
import Testing

/// `JSONDecoding.ignoresUnknownFields`: strict by default, lenient when asked, at every depth.
struct JSONUnknownFieldTests {
    let text =
        #"{"id":"a","new_top":{"x":[1]},"data":{"concepts":[{"id":"c","value":0.5,"new_deep":null,"more":"x"}]},"worker":{"user":{"id":"u"}}}"#

    @Test func strictByDefaultWithThePathOfTheUnknownKey() {
        #expect { try Annotation(jsonString: text) } throws: { error in
            (error as? JSONError)?.reason == .unknownField && (error as? JSONError)?.path == "Annotation.new_top"
        }
    }

    @Test func unknownKeysAndBinaryOnlyFieldsAreSkippedWhenAsked() throws {
        let annotation = try JSONDecoding.$ignoresUnknownFields.withValue(true) { try Annotation(jsonString: text) }
        #expect(annotation.id == "a")
        #expect(annotation.data?.concepts.map(\.id) == ["c"])
        #expect(annotation.data?.concepts.first?.value == 0.5)
        // Known fields still have to be right.
        #expect(throws: JSONError.self) {
            try JSONDecoding.$ignoresUnknownFields.withValue(true) { try Annotation(jsonString: #"{"id":5}"#) }
        }
    }
}

import AnnotationsRPC
import ProtoWire
import Testing

extension NetworkTests {
    /// Every rule refuses the call before anything is sent.
    @Suite(.timeLimit(.minutes(2)))
    struct ValidationTests {
        private func refusal(_ call: (AnnotationsClient) async throws -> Void) async throws -> ValidationError? {
            let server = try V2Server()
            defer { #expect(server.records().isEmpty, "a refused request went out") }
            do {
                try await call(try server.client())
                return nil
            } catch let error as ValidationError {
                return error
            }
        }

        private func annotations(_ count: Int) -> [Annotation] {
            (0..<count).map { Annotation(id: "a\($0)", inputID: "i\($0)", concepts: ["tree": 1]) }
        }

        @Test func noAnnotations() async throws {
            #expect(
                try await refusal { _ = try await $0.post([]) }?.description
                    == "annotations: 0 annotations; a call takes 1…128")
        }

        @Test func moreThan128Annotations() async throws {
            #expect(try await refusal { _ = try await $0.post(annotations(129)) }?.path == "annotations")
            #expect(
                try await refusal { _ = try await $0.patch(annotations(129), action: .merge) }?.path == "annotations")
        }

        @Test func emptyInputID() async throws {
            let error = try await refusal { _ = try await $0.post([Annotation(inputID: "", concepts: ["tree": 1])]) }
            #expect(error?.path == "annotations[0].input_id")
        }

        @Test func patchNeedsIDs() async throws {
            var items = annotations(3)
            items[2].id = ""
            #expect(
                try await refusal { _ = try await $0.patch(items, action: .overwrite) }?.path == "annotations[2].id")
        }

        @Test func coordinatesOutsideTheImage() async throws {
            let fine = Annotation(inputID: "i", regions: [.boundingBox(top: 0.1, left: 0.2, bottom: 0.3, right: 0.4)])
            let box = Annotation(inputID: "i", regions: [.boundingBox(top: 0.1, left: 0.2, bottom: 1.5, right: 0.4)])
            let error = try await refusal { _ = try await $0.post([fine, box]) }
            #expect(
                error?.description
                    == "annotations[1].data.regions[0].region_info.bounding_box.bottom_row: 1.5 is outside [0, 1]: "
                    + "region coordinates are fractions of the image's height and width")
            let polygon = Annotation(inputID: "i", regions: [.polygon(points: [(0.1, 0.1), (0.2, -0.1), (0.3, 0.3)])])
            #expect(
                try await refusal { _ = try await $0.post([polygon]) }?.path
                    == "annotations[0].data.regions[0].region_info.polygon.points[1].col")
        }

        @Test func oneRegionPerAnnotation() async throws {
            let two = Annotation(
                inputID: "i",
                regions: [
                    .boundingBox(top: 0.1, left: 0.2, bottom: 0.3, right: 0.4),
                    .boundingBox(top: 0.5, left: 0.2, bottom: 0.6, right: 0.4),
                ])
            let error = try await refusal { _ = try await $0.post([two]) }
            #expect(
                error?.description
                    == "annotations[0].data.regions: 2 regions; each annotation should contain at most one region; "
                    + "label several regions with one annotation each")
        }

        @Test func unequalIDPairs() async throws {
            let error = try await refusal { try await $0.delete(ids: ["a", "b"], inputIDs: ["i"]) }
            #expect(error?.description == "ids: 2 ids but 1 input_ids; they go in pairs")
            #expect(
                try await refusal { _ = try await $0.list(AnnotationQuery(ids: ["a"], inputIDs: [])) }?.path == "ids")
        }

        @Test func emptyIDs() async throws {
            #expect(try await refusal { try await $0.delete(ids: ["a", ""], inputIDs: ["i", "j"]) }?.path == "ids[1]")
            #expect(try await refusal { try await $0.delete(inputIDs: []) }?.path == "input_ids")
            #expect(try await refusal { try await $0.delete(inputID: "i", annotationID: "") }?.path == "annotation_id")
            #expect(try await refusal { _ = try await $0.get(inputID: "", annotationID: "a") }?.path == "input_id")
        }
    }
}

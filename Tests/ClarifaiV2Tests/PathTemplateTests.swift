import ClarifaiV2
import Testing

struct PathTemplateTests {
    @Test func matchesLiteralsAndBindsVariables() {
        let template = PathTemplate("/v2/users/{user_app_id.user_id}/apps/{user_app_id.app_id}/annotations")
        #expect(template.variables == ["user_app_id.user_id", "user_app_id.app_id"])
        #expect(
            template.match(["v2", "users", "me", "apps", "a", "annotations"]) == [
                "user_app_id.user_id": "me", "user_app_id.app_id": "a",
            ])
        #expect(template.match(["v2", "users", "me", "apps", "a", "inputs"]) == nil)
        #expect(template.match(["v2", "users", "me", "apps", "a"]) == nil)
    }

    @Test func expandsWithEscapedValuesAndRefusesEmptyOnes() {
        let template = PathTemplate("/v2/inputs/{input_id}/annotations/{annotation_id}")
        #expect(template.expand { $0 == "input_id" ? "in/put" : "an?n" } == "/v2/inputs/in%2Fput/annotations/an%3Fn")
        #expect(template.expand { $0 == "input_id" ? "" : "a" } == nil)
    }
}

import ClarifaiV2
import ProtoWire
import Testing

/// The V2 contract (`V2.all`) is the mirror's `service V2`, method for method: the same names,
/// types, streaming and REST bindings, so `wire diff` on the mirror speaks for the contract.
struct MirroredServiceTests {
    static let service: ServiceDescriptorProto? = MirroredSchema.descriptorSet.files
        .first { $0.name == "clarifai/api/service.proto" }?.service.first { $0.name == "V2" }

    @Test func theServiceHasTheContractsMethods() throws {
        let service = try #require(Self.service)
        #expect(service.method.map(\.name).sorted() == V2.all.map(\.name).sorted())
    }

    @Test(arguments: V2.all.map(\.name))
    func aMethodMatchesTheContract(_ name: String) throws {
        let method = try #require(V2.method(named: name))
        let mirrored = try #require(Self.service?.method.first { $0.name == name })
        #expect(mirrored.inputType == "." + method.requestType.protoMessageName)
        #expect(mirrored.outputType == "." + method.responseType.protoMessageName)
        #expect(mirrored.serverStreaming == (method.kind == .serverStreaming))
        #expect(!mirrored.clientStreaming)
        let http = try #require(mirrored.options?.http)
        #expect(http.verb == method.restVerb)
        #expect(http.body == method.restBody)
        #expect(([http.path] + http.additionalBindings.map(\.path)) == method.restTemplates.map(\.description))
        #expect(http.additionalBindings.allSatisfy { $0.verb == http.verb && $0.body == http.body })
    }
}

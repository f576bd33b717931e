import H2Transport
import ProtoWire

/// Entry point for the fuzzers of `make fuzz` (Sources/FuzzTargets); not part of the API.
@_spi(Fuzzing) public enum RESTFuzzing {
    /// The REST client's reading of an answer: the response, or the error it stands for.
    public static func decode<Response: ProtoMessage>(_ response: HTTP2Response, as type: Response.Type) -> Result<
        Response, GRPCError
    > {
        do throws(GRPCError) {
            return .success(try RESTResponse.decode(response, as: type))
        } catch {
            return .failure(error)
        }
    }
}

/// The REST bindings of the annotation RPCs (the `google.api.http` options of the official
/// `V2` service), each also under `/v2/users/{user_id}/apps/{app_id}/…`.
struct RESTRoute: Equatable {
    var method: EmulatorMethod
    /// `user_id`, `app_id`, `input_id`, `annotation_id` from the path.
    var pathParameters: [String: String]

    init(method: EmulatorMethod, pathParameters: [String: String] = [:]) {
        self.method = method
        self.pathParameters = pathParameters
    }

    /// The route of `httpMethod path` (path without the query), or nil when there is none.
    init?(httpMethod: String, path: Substring) {
        var segments = path.split(separator: "/").map { String($0).removingPercentEncoding() }
        guard segments.first == "v2" else { return nil }
        segments.removeFirst()
        var parameters: [String: String] = [:]
        if segments.count >= 4, segments[0] == "users", segments[2] == "apps" {
            parameters["user_id"] = segments[1]
            parameters["app_id"] = segments[3]
            segments.removeFirst(4)
        }
        let method: EmulatorMethod
        switch (httpMethod, segments.count) {
        case ("POST", 1) where segments[0] == "annotations": method = .postAnnotations
        case ("GET", 1) where segments[0] == "annotations": method = .listAnnotations
        case ("PATCH", 1) where segments[0] == "annotations": method = .patchAnnotations
        case ("DELETE", 1) where segments[0] == "annotations": method = .deleteAnnotations
        case ("DELETE", 2) where segments == ["inputs", "annotations"]: method = .deleteAnnotations
        case ("GET", 4) where segments[0] == "inputs" && segments[2] == "annotations",
             ("DELETE", 4) where segments[0] == "inputs" && segments[2] == "annotations":
            method = httpMethod == "GET" ? .getAnnotation : .deleteAnnotation
            parameters["input_id"] = segments[1]
            parameters["annotation_id"] = segments[3]
        default:
            return nil
        }
        self.init(method: method, pathParameters: parameters)
    }

    /// `a=1&b=x+y` → [("a", "1"), ("b", "x y")], in order, percent-escapes resolved.
    static func queryItems(_ query: Substring) -> [(name: String, value: String)] {
        query.split(separator: "&").filter { !$0.isEmpty }.map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding(plusIsSpace: true)
            let value = parts.count > 1 ? String(parts[1]).removingPercentEncoding(plusIsSpace: true) : ""
            return (name, value)
        }
    }
}

extension String {
    /// `%XX` decoding for path segments and query values (`+` is a space in queries only).
    func removingPercentEncoding(plusIsSpace: Bool = false) -> String {
        guard contains("%") || (plusIsSpace && contains("+")) else { return self }
        var bytes: [UInt8] = []
        var rest = Array(utf8)[...]
        while let byte = rest.popFirst() {
            if byte == UInt8(ascii: "%"), rest.count >= 2,
               let value = UInt8(String(decoding: rest.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                rest = rest.dropFirst(2)
            } else {
                bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

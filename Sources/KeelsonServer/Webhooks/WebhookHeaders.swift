/// Request headers looked up by name without regard to case, as HTTP names them.
struct WebhookHeaders {
    private let values: [String: String]

    init(_ headers: [String: String]) {
        values = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    subscript(name: String) -> String? {
        values[name.lowercased()]
    }
}

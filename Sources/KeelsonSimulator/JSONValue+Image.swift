import KeelsonKubernetes
import KeelsonManifests

extension JSONValue {
    /// A pod template (`{metadata, spec: {containers: […]}}`) with the named container's image replaced.
    func replacingImage(of container: String, with image: String) -> JSONValue {
        guard case .object(let template) = self, case .object(let spec)? = template["spec"],
            case .array(let containers)? = spec["containers"]
        else { return self }
        let edited = containers.map { entry -> JSONValue in
            guard case .object(let fields) = entry, fields["name"]?.stringValue == container else { return entry }
            return .object(fields.setting("image", to: .string(image)))
        }
        return .object(template.setting("spec", to: .object(spec.setting("containers", to: .array(edited)))))
    }
}

extension JSONObject {
    /// This object with `key` set to `value`.
    func setting(_ key: String, to value: JSONValue) -> JSONObject {
        JSONObject(map { ($0.key, $0.value) }.filter { $0.0 != key } + [(key, value)])
    }
}

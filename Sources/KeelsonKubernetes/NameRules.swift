/// Kubernetes' name formats (`k8s.io/apimachinery/pkg/util/validation`).
public enum NameRules {
    /// Why `name` is not a DNS-1123 subdomain (object names), or `nil` when it is one.
    public static func subdomainProblem(_ name: String) -> String? {
        if name.utf8.count > 253 { return "must be no more than 253 characters, found \(name.utf8.count)" }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.allSatisfy({ isLabel($0) }) else {
            return
                "expected a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. 'my-app.v2'), found \"\(name)\""
        }
        return nil
    }

    /// Why `name` is not a DNS-1123 label (namespaces, container names), or `nil` when it is one.
    public static func labelProblem(_ name: String) -> String? {
        if name.utf8.count > 63 { return "must be no more than 63 characters, found \(name.utf8.count)" }
        guard isLabel(Substring(name)) else {
            return
                "expected a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. 'web-1'), found \"\(name)\""
        }
        return nil
    }

    /// Why `name` is not a DNS-1035 label (Service names), or `nil` when it is one.
    public static func dns1035Problem(_ name: String) -> String? {
        if let problem = labelProblem(name) { return problem }
        guard let first = name.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return "expected a DNS-1035 label: must start with a lowercase letter (e.g. 'web'), found \"\(name)\""
        }
        return nil
    }

    private static func isLabel(_ label: Substring) -> Bool {
        let bytes = Array(label.utf8)
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63 else { return false }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return isAlphanumeric(first) && isAlphanumeric(last)
            && bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }
}

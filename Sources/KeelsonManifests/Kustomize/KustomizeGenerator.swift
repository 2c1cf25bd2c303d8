import Foundation
import KeelsonKubernetes

/// kustomize's ConfigMap and Secret generators: an object from `literals`, `files` and `envs`
/// (kustomize's `api/kv` and `api/internal/generators`).
enum KustomizeGenerator {
    /// Why a generator could not make its object.
    struct Failure: Error {
        let message: String
    }

    /// Where a `files` entry's key and file come from: `key=path`, or `path` keyed by its file name.
    static func fileSource(_ source: String) throws(Failure) -> (key: String, path: String) {
        let parts = source.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1: return (String(source.split(separator: "/").last ?? ""), source)
        case 2 where parts[0].isEmpty: throw Failure(message: "expected a key before = in \"\(source)\"")
        case 2 where parts[1].isEmpty: throw Failure(message: "expected a file path after = in \"\(source)\"")
        case 2: return (parts[0], parts[1])
        default: throw Failure(message: "expected key=path, found more than one = in \"\(source)\"")
        }
    }

    /// The generated object.
    ///
    /// - Parameters:
    ///   - generator: The entry.
    ///   - options: Its options merged with the kustomization's `generatorOptions`.
    ///   - envFiles: The bytes of each `envs` file, in order.
    ///   - files: The bytes of each `files` entry, in order.
    static func object(
        _ generator: Kustomization.Generator, options: Kustomization.GeneratorOptions, envFiles: [[UInt8]],
        files: [[UInt8]]
    ) throws(Failure) -> JSONValue {
        var pairs: [(key: String, value: [UInt8])] = []
        for file in envFiles { pairs += try envPairs(file) }
        for literal in generator.literals { pairs.append(try literalPair(literal)) }
        for (source, contents) in zip(generator.files, files) {
            pairs.append((try fileSource(source).key, trimmingTrailingSpaces(contents)))
        }
        var data: [(String, JSONValue)] = []
        var binaryData: [(String, JSONValue)] = []
        var seen: Set<String> = []
        for (key, value) in pairs {
            guard seen.insert(key).inserted else {
                throw Failure(message: "the key \(key) is given more than once in \(generator.name)")
            }
            guard isValidKey(key) else {
                throw Failure(message: "expected keys of letters, digits, '-', '_' and '.', found \"\(key)\"")
            }
            let isText = ManifestParser.firstInvalidUTF8Offset(value) == nil
            switch generator.kind {
            case .secret: data.append((key, .string(base64(value))))
            case .configMap where isText: data.append((key, .string(String(decoding: value, as: UTF8.self))))
            case .configMap: binaryData.append((key, .string(base64(value))))
            }
        }
        var object: [(String, JSONValue)] = [
            ("apiVersion", .string("v1")), ("kind", .string(generator.kind.rawValue)),
            ("metadata", metadata(generator, options)),
        ]
        if !data.isEmpty { object.append(("data", .object(JSONObject(data)))) }
        if !binaryData.isEmpty { object.append(("binaryData", .object(JSONObject(binaryData)))) }
        if generator.kind == .secret { object.append(("type", .string(generator.type ?? "Opaque"))) }
        if options.immutable == true { object.append(("immutable", .bool(true))) }
        return .object(JSONObject(object))
    }

    private static func metadata(
        _ generator: Kustomization.Generator, _ options: Kustomization.GeneratorOptions
    ) -> JSONValue {
        var metadata: [(String, JSONValue)] = [("name", .string(generator.name))]
        if let namespace = generator.namespace, !namespace.isEmpty {
            metadata.append(("namespace", .string(namespace)))
        }
        if !options.labels.isEmpty {
            metadata.append(("labels", .object(JSONObject(options.labels.map { ($0.key, .string($0.value)) }))))
        }
        if !options.annotations.isEmpty {
            metadata.append(
                ("annotations", .object(JSONObject(options.annotations.map { ($0.key, .string($0.value)) }))))
        }
        return .object(JSONObject(metadata))
    }

    /// `key=value`; quotes around the value are dropped.
    private static func literalPair(_ literal: String) throws(Failure) -> (key: String, value: [UInt8]) {
        guard let equals = literal.firstIndex(of: "="), equals != literal.startIndex else {
            throw Failure(message: "expected key=value, found \"\(literal)\"")
        }
        let value = literal[literal.index(after: equals)...].trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        return (String(literal[..<equals]), Array(value.utf8))
    }

    /// The `KEY=value` lines of an env file; blank lines and `#` comments are skipped.
    private static func envPairs(_ contents: [UInt8]) throws(Failure) -> [(key: String, value: [UInt8])] {
        var pairs: [(key: String, value: [UInt8])] = []
        var lines = contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if contents.last == UInt8(ascii: "\n") { lines.removeLast() }
        for (number, raw) in lines.enumerated() {
            var line = raw
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if number == 0, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
            guard ManifestParser.firstInvalidUTF8Offset(Array(line)) == nil else {
                throw Failure(message: "line \(number + 1) of an env file is not UTF-8 text")
            }
            let text = String(decoding: line, as: UTF8.self).drop(while: \.isWhitespace)
            guard let first = text.first, first != "#" else { continue }
            guard let equals = text.firstIndex(of: "=") else {
                throw Failure(
                    message:
                        "line \(number + 1) of an env file: \(text) has no value; Keelson does not read values from its own environment"
                )
            }
            let key = String(text[..<equals])
            guard isEnvironmentName(key) else {
                throw Failure(message: "line \(number + 1) of an env file: expected a variable name, found \"\(key)\"")
            }
            pairs.append((key, Array(text[text.index(after: equals)...].utf8)))
        }
        return pairs
    }

    /// File contents with spaces and tabs before each line break removed, as kustomize does.
    private static func trimmingTrailingSpaces(_ contents: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(contents.count)
        var pending: [UInt8] = []
        for byte in contents {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): pending.append(byte)
            case UInt8(ascii: "\n"):
                pending.removeAll()
                result.append(byte)
            default:
                result += pending
                pending.removeAll()
                result.append(byte)
            }
        }
        return result + pending
    }

    /// Base64 broken into lines of 70 characters, each ended by a line break, when longer than one line.
    private static func base64(_ bytes: [UInt8]) -> String {
        let encoded = Data(bytes).base64EncodedString()
        guard encoded.count >= 70 else { return encoded }
        var lines = ""
        var rest = Substring(encoded)
        while !rest.isEmpty {
            lines += rest.prefix(70) + "\n"
            rest = rest.dropFirst(70)
        }
        return lines
    }

    private static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.count <= 253 && key != "." && key != ".." && key.unicodeScalars.allSatisfy(isKeyScalar)
    }

    private static func isKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-_.".unicodeScalars.contains(scalar))
    }

    private static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy(isKeyScalar)
    }
}

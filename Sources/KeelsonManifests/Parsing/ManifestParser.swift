import KeelsonKubernetes
import Yams

/// Parses the bytes of one manifest file: UTF-8 check, YAML (JSON is parsed as YAML), documents, objects.
///
/// Pure: the result depends on the bytes only, which is what makes caching by blob id sound.
enum ManifestParser {
    /// The most values one file may expand to, guarding against alias bombs.
    static let maximumNodes = 1_000_000

    static func parse(_ contents: [UInt8]) -> ParsedFile {
        let parsed = documents(contents)
        var issues = parsed.issues
        var objects: [KubeObject] = []
        for document in parsed.documents {
            var decoder = ObjectDecoder()
            decoder.decodeDocument(document)
            issues.append(decoder.issues)
            objects += decoder.objects
        }
        return ParsedFile(objects: objects, issues: issues)
    }

    /// The YAML documents of a file, without deciding what they hold: what kustomize reads its inputs with.
    ///
    /// Documents with problems (keys JSON cannot hold, alias bombs) are left out and reported in the issues;
    /// documents before a syntax error are kept.
    static func documents(_ contents: [UInt8]) -> ParsedDocuments {
        var issues = FileIssues()
        if let offset = firstInvalidUTF8Offset(contents) {
            let line = contents[..<offset].reduce(into: 1) { count, byte in if byte == UInt8(ascii: "\n") { count += 1 }
            }
            issues.error(
                line: line, field: "",
                "expected UTF-8 text, found invalid byte 0x\(String(contents[offset], radix: 16, uppercase: true)) at byte offset \(offset); save the file as UTF-8",
                .encoding)
            return ParsedDocuments(documents: [], issues: issues)
        }
        var bytes = contents[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let text = String(decoding: bytes, as: UTF8.self)
        var documents: [SourceNode] = []
        var remainingNodes = maximumNodes
        do {
            // The basic resolver (no rules): Yams would otherwise run regular expressions to resolve every mapping key
            // for its duplicate-key check; scalars are resolved by ScalarResolver instead. An explicit encoding
            // spares Yams reading the process environment for its default on every file.
            let parser = try Parser(yaml: text, resolver: .basic, encoding: .utf8)
            while let root = try parser.nextRoot() {
                var conversion = SourceNode.Conversion(remainingNodes: remainingNodes)
                let document = SourceNode(root, conversion: &conversion)
                remainingNodes = max(conversion.remainingNodes, 1)
                issues.append(conversion.issues)
                if conversion.issues.isEmpty { documents.append(document) }
            }
        } catch let error as YamlError {
            let (line, message) = describe(error, in: text)
            issues.error(line: line, field: "", message, .syntax)
        } catch {
            issues.error(line: nil, field: "", "expected valid YAML: \(error)", .syntax)
        }
        return ParsedDocuments(documents: documents, issues: issues)
    }

    private static func describe(_ error: YamlError, in text: String) -> (line: Int?, message: String) {
        func context(_ context: YamlError.Context?) -> String {
            guard let context else { return "" }
            return " (\(context.text) at line \(context.mark.line))"
        }
        switch error {
        case .scanner(let ctx, let problem, let mark, _), .parser(let ctx, let problem, let mark, _),
            .composer(let ctx, let problem, let mark, _):
            return (mark.line, "expected valid YAML: \(problem)\(context(ctx))")
        case .duplicatedKeysInMapping(let duplicates, let ctx):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return (ctx.mark.line, "expected unique keys in a mapping, found \(keys) more than once")
        case .reader(let problem, let offset, _, _):
            let line = offset.map { offset in
                text.prefix(offset).reduce(into: 1) { count, character in if character == "\n" { count += 1 } }
            }
            return (line, "expected valid YAML text: \(problem)")
        default:
            return (nil, "expected valid YAML: \(error)")
        }
    }

    /// The offset of the first byte that is not part of a well-formed UTF-8 sequence, or `nil`.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return index
            }
            guard index + 1 < count, (lower...upper).contains(bytes[index + 1]) else { return index }
            for offset in 2..<length {
                guard index + offset < count, (0x80...0xBF).contains(bytes[index + offset]) else { return index }
            }
            index += length
        }
        return nil
    }
}

import Foundation
import Yams

/// `keelson.yaml`: the daemon's settings as a file. Every key is optional; flags and environment
/// variables win over it. Unknown keys are refused by name, so a typo never silently does nothing.
public struct DaemonConfiguration: Codable, Sendable, Equatable {
    public var listen: String?
    public var interval: String?
    public var concurrency: Int?
    public var simSpeed: Double?
    public var webhookSecretFile: String?
    public var apiTokenFile: String?
    public var alertTokenFile: String?
    public var maxConnections: Int?
    public var alertLabel: String?
    public var rollbackWindow: String?
    public var alertSettle: String?
    public var alertExpiry: String?
    public var logFormat: String?

    public init() {}

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case listen, interval, concurrency, simSpeed, webhookSecretFile, apiTokenFile, alertTokenFile, maxConnections,
            alertLabel, rollbackWindow, alertSettle, alertExpiry, logFormat
    }

    /// Reads `path`.
    ///
    /// - Throws: ``DaemonConfigurationError`` naming the file and the key or value at fault.
    public static func load(_ path: String) throws -> DaemonConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DaemonConfigurationError(path: path, problem: "cannot be read: \(error.localizedDescription)")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw DaemonConfigurationError(path: path, problem: "is not valid YAML: \(error)")
        }
        guard let node else { return DaemonConfiguration() }
        guard let mapping = node.mapping else {
            throw DaemonConfigurationError(path: path, problem: "expected a mapping of settings at the top")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        for key in mapping.keys {
            guard let name = key.string, known.contains(name) else {
                throw DaemonConfigurationError(
                    path: path,
                    problem: "line \(key.mark?.line ?? 0): unknown setting \"\(key.string ?? "?")\" (known: "
                        + known.sorted().joined(separator: ", ") + ")")
            }
        }
        do {
            return try YAMLDecoder().decode(DaemonConfiguration.self, from: node)
        } catch let DecodingError.typeMismatch(type, context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw DaemonConfigurationError(path: path, problem: "\(key): expected \(type)")
        } catch {
            throw DaemonConfigurationError(path: path, problem: "\(error)")
        }
    }
}

/// Why `keelson.yaml` was refused.
public struct DaemonConfigurationError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let problem: String

    public var description: String { "\(path): \(problem)" }
}

import Foundation

/// An application with its status: what `keelson status -o json` prints and the daemon's API serves.
public struct ApplicationView: Encodable, Sendable {
    public let name: String
    public let application: Application
    public let status: ApplicationStatus

    public init(_ application: Application, status: ApplicationStatus) {
        self.name = application.name
        self.application = application.redacted
        self.status = status
    }

    /// JSON as Keelson prints it for scripts: sorted keys, pretty, dates in ISO 8601 with milliseconds.
    public static func json(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = ApplicationStore.dateEncoding
        return try encoder.encode(value)
    }
}

import Foundation
import KeelsonCore

/// Colour for people at a terminal: only when standard output is a TTY, never when `NO_COLOR` is set.
enum Style {
    static let enabled = isatty(STDOUT_FILENO) == 1 && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty

    static func sync(_ status: SyncStatus) -> String {
        paint(status.rawValue, status == .synced ? green : status == .outOfSync ? yellow : grey)
    }

    static func health(_ status: HealthStatus) -> String {
        let colour =
            switch status {
            case .healthy: green
            case .progressing: blue
            case .suspended, .unknown, .notAssessed: grey
            case .missing: yellow
            case .degraded: red
            }
        return paint(status.rawValue, colour)
    }

    static func outcome(_ outcome: HistoryEntry.Outcome) -> String {
        let colour =
            switch outcome {
            case .succeeded: green
            case .running: blue
            case .failed: red
            case .rolledBack: yellow
            }
        return paint(outcome.rawValue, colour)
    }

    static func bold(_ text: String) -> String { paint(text, "1") }

    /// The characters a terminal shows of `text` (colour codes take no room).
    static func visibleCount(_ text: String) -> Int {
        guard text.contains("\u{1B}") else { return text.count }
        return text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression).count
    }

    private static let green = "32"
    private static let yellow = "33"
    private static let red = "31"
    private static let blue = "34"
    private static let grey = "90"

    private static func paint(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

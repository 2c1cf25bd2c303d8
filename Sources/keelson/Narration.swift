import Foundation
import KeelsonGit
import KeelsonKubernetes

/// Sentences and tables people read.
enum Narration {
    static func describe(_ fetch: FetchResult, elapsed: Duration) -> String {
        let time = milliseconds(elapsed)
        guard fetch.downloaded else {
            return "the remote has not moved: nothing downloaded (\(time))"
        }
        let move: String
        switch (fetch.previous, fetch.forced) {
        case (nil, _): move = "cloned"
        case (let previous?, true): move = "force-pushed \(previous.short) → \(fetch.commit.short)"
        case (let previous?, false): move = "moved \(previous.short) → \(fetch.commit.short)"
        }
        return "\(move): received \(fetch.receivedObjects) objects, \(bytes(fetch.receivedBytes)) (\(time))"
    }

    /// `90s`, `10m`, `2h`: a duration as people write it.
    static func duration(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        if seconds >= 3600, seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds >= 60, seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        if count < 1024 * 1024 { return String(format: "%.1f KiB", Double(count) / 1024) }
        return String(format: "%.1f MiB", Double(count) / 1024 / 1024)
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f ms", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }

    /// One line per object: kind, name, and for Deployments replicas and images.
    static func objectTable(_ objects: [KubeObject], indent: String = "") -> String {
        let rows =
            [["KIND", "NAMESPACE", "NAME", "DETAIL"]]
            + objects.map { object in
                var detail = ""
                if let deployment = object.deployment {
                    let images = deployment.template.containers.map(\.image).joined(separator: ", ")
                    detail = "replicas=\(deployment.replicas) images=\(images)"
                }
                return [object.kind, object.namespace ?? "-", object.name, detail]
            }
        return table(rows, indent: indent)
    }

    static func table(_ rows: [[String]], indent: String = "") -> String {
        guard let columns = rows.first?.count else { return "" }
        let widths = (0..<columns).map { column in rows.map { Style.visibleCount($0[column]) }.max() ?? 0 }
        return rows.map { row in
            indent
                + row.enumerated().map { index, cell in
                    index == columns - 1
                        ? cell : cell + String(repeating: " ", count: widths[index] - Style.visibleCount(cell))
                }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

import Logging
import ServiceLifecycle

/// Logs a warning when the daemon's open files pass 80 % of its limit (and a notice when they
/// fall back), checked every `period`: running out stalls fetches and database writes.
struct OpenFilesWatch: Service {
    let logger: Logger
    var period: Duration = .seconds(10)
    static let warningShare = 0.8

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var warned = false
            while !Task.isCancelled {
                let process = ProcessMetrics.current()
                if let open = process.openFileDescriptors, let limit = process.maxFileDescriptors, limit > 0 {
                    let high = open > limit * Self.warningShare
                    if high != warned {
                        if high {
                            logger.warning(
                                "\(Int(open)) files open, more than 80 % of the limit of \(Int(limit)) (ulimit -n)")
                        } else {
                            logger.notice("\(Int(open)) files open, back under 80 % of the limit of \(Int(limit))")
                        }
                        warned = high
                    }
                }
                // Cancellation ends the sleep early and the loop with it.
                try? await Task.sleep(for: period)
            }
        }
    }
}

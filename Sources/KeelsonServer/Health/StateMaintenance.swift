import KeelsonCore
import Logging
import ServiceLifecycle

/// Keeps the daemon's SQLite files bounded: every `period`, and once a minute after start, each
/// database's WAL is checkpointed and truncated and its free pages given back (history retention
/// and the simulator's event cap delete rows; this returns their space).
public struct StateMaintenance: Service {
    /// A database, by its file name, and how to compact it.
    public struct Database: Sendable {
        public var file: String
        public var compact: @Sendable () async throws -> DurableDatabase.Compaction

        public init(file: String, compact: @escaping @Sendable () async throws -> DurableDatabase.Compaction) {
            self.file = file
            self.compact = compact
        }
    }

    let databases: [Database]
    let logger: Logger
    let firstRun: Duration
    let period: Duration

    public init(
        databases: [Database], logger: Logger, firstRun: Duration = .seconds(60), period: Duration = .seconds(3600)
    ) {
        self.databases = databases
        self.logger = logger
        self.firstRun = firstRun
        self.period = period
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var wait = firstRun
            // Cancellation ends the sleep early, and the loop with it.
            while (try? await Task.sleep(for: wait)) != nil {
                for database in databases { await compact(database) }
                wait = period
            }
        }
    }

    private func compact(_ database: Database) async {
        do {
            let compaction = try await database.compact()
            if compaction.freedPages > 0 {
                let how = compaction.vacuumed ? " (rewritten with VACUUM)" : ""
                logger.info("\(database.file): \(compaction.freedPages) free pages given back\(how)")
            }
        } catch {
            logger.error("\(database.file): could not be compacted: \(error)")
        }
    }
}

import Foundation
import KeelsonGit

/// Wall time, CPU time (user + system of this process) and peak resident memory of repeated runs.
public struct Measurement: Codable, Sendable {
    /// One run.
    public struct Sample: Codable, Sendable {
        public var wallSeconds: Double
        public var cpuSeconds: Double
        /// The process's peak RSS during the run, in MiB (the peak is reset before each run).
        public var peakRSSMiB: Double
    }

    public var name: String
    public var samples: [Sample]

    public var medianWall: Double { Self.percentile(samples.map(\.wallSeconds), 0.5) }
    public var p95Wall: Double { Self.percentile(samples.map(\.wallSeconds), 0.95) }
    public var medianCPU: Double { Self.percentile(samples.map(\.cpuSeconds), 0.5) }
    public var peakRSS: Double { samples.map(\.peakRSSMiB).max() ?? 0 }

    /// Runs `body` `repeats` times; `prepare` runs before each, outside the measurement.
    public static func measure(
        _ name: String, repeats: Int, prepare: () async throws -> Void = {}, _ body: () async throws -> Void
    ) async throws -> Measurement {
        var samples: [Sample] = []
        for _ in 0..<repeats {
            try await prepare()
            resetPeakRSS()
            let cpu = cpuSeconds()
            let started = ContinuousClock.now
            try await body()
            let wall = ContinuousClock.now - started
            samples.append(
                Sample(
                    wallSeconds: seconds(wall),
                    cpuSeconds: cpuSeconds() - cpu, peakRSSMiB: peakRSSMiB()))
        }
        return Measurement(name: name, samples: samples)
    }

    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((fraction * Double(sorted.count - 1)).rounded(.up))
        return sorted[min(rank, sorted.count - 1)]
    }

    /// User plus system CPU seconds of this process (all threads) so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Resets the kernel's peak-RSS mark (`VmHWM`) of this process (Linux: `5` to `clear_refs`).
    static func resetPeakRSS() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// Hands the heap memory freed so far back to the system (``ProcessHeap/trim()``), so that a
    /// peak measured next starts from what is alive, not from what an earlier run freed and malloc kept.
    static func trimHeap() {
        ProcessHeap.trim()
    }

    /// `VmHWM` of this process in MiB.
    static func peakRSSMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The standard `process_*` metrics of Prometheus' client libraries (CPU time, memory, file
/// descriptors, start time), read from `/proc/self` at each scrape. Absent where `/proc` is.
struct ProcessMetrics {
    var cpuSeconds: Double?
    var residentBytes: Double?
    var virtualBytes: Double?
    var startTime: Double?
    var openFileDescriptors: Double?
    var maxFileDescriptors: Double?

    /// This process, as of now.
    static func current() -> ProcessMetrics {
        var metrics = ProcessMetrics()
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        // The fields after the command name, which is in parentheses and may hold spaces (proc(5)).
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // fields[0] is field 3 (state): utime is field 14, stime 15, starttime 22, vsize 23, rss 24.
            func field(_ number: Int) -> Double? { fields.count > number - 3 ? Double(fields[number - 3]) : nil }
            if let user = field(14), let system = field(15) { metrics.cpuSeconds = (user + system) / ticks }
            metrics.virtualBytes = field(23)
            metrics.residentBytes = field(24).map { $0 * pageSize }
            if let started = field(22), let boot = bootTime() { metrics.startTime = boot + started / ticks }
        }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            metrics.openFileDescriptors = Double(descriptors.count)
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { metrics.maxFileDescriptors = Double(limit.rlim_cur) }
        return metrics
    }

    /// The boot time, in Unix seconds (`btime` of `/proc/stat`).
    private static func bootTime() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return stat.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) }
    }

    /// In Prometheus' text format.
    func exposition() -> String {
        let families: [(String, String, String, Double?)] = [
            ("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", cpuSeconds),
            ("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", residentBytes),
            ("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", virtualBytes),
            (
                "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
                startTime
            ),
            ("process_open_fds", "gauge", "Number of open file descriptors.", openFileDescriptors),
            ("process_max_fds", "gauge", "Maximum number of open file descriptors.", maxFileDescriptors),
        ]
        return families.compactMap { name, type, help, value in
            value.map { "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(Self.format($0))\n" }
        }.joined()
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

import ArgumentParser

/// A duration written as people write them: `90s`, `5m`, `1h`, or plain seconds.
struct TimeLimit: ExpressibleByArgument {
    let duration: Duration

    init?(argument: String) {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        let (digits, unit) =
            units.first { argument.hasSuffix($0.0) }.map { (argument.dropLast($0.0.count), $0.1) }
            ?? (Substring(argument), 1000)
        guard let value = Int64(digits), value > 0 else { return nil }
        let (milliseconds, overflow) = value.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        duration = .milliseconds(milliseconds)
        self.text = argument
    }

    private let text: String

    /// Whole seconds, rounded up.
    var seconds: Int {
        let (whole, fraction) = duration.components
        return Int(whole) + (fraction > 0 ? 1 : 0)
    }

    var defaultValueDescription: String { text }
}

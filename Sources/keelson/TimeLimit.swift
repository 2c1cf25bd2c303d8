import ArgumentParser

/// A duration written as people write them: `90s`, `5m`, `1h`, or plain seconds.
struct TimeLimit: ExpressibleByArgument {
    let duration: Duration

    init?(argument: String) {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, milliseconds) in units where argument.hasSuffix(suffix) {
            guard let value = Int64(argument.dropLast(suffix.count)), value > 0 else { return nil }
            duration = .milliseconds(value * milliseconds)
            return
        }
        guard let seconds = Int64(argument), seconds > 0 else { return nil }
        duration = .seconds(seconds)
    }

    static var defaultValueDescription: String { "e.g. 90s, 5m" }
}

extension SimulatedCluster {
    /// Runs the clock in real time for a daemon: one simulated second (one controller sync) every
    /// `1 / speed` real seconds, the seconds due saved together at most every 100 ms. Returns when
    /// the task is cancelled, after the batch in progress is saved whole.
    ///
    /// - Parameter speed: Simulated seconds per real second (1 is real time); more than zero.
    public func runClock(speed: Double) async throws {
        precondition(speed > 0, "the clock's speed must be positive")
        let clock = ContinuousClock()
        let start = clock.now
        var passed = 0
        while !Task.isCancelled {
            let due = Int(start.duration(to: clock.now) / .seconds(1) * speed) - passed
            if due > 0 {
                try advance(seconds: due)
                passed += due
            }
            let nextSecond = start + .seconds(Double(passed + 1) / speed)
            // Cancellation ends the sleep early and the loop with it.
            try? await Task.sleep(until: max(nextSecond, clock.now + .milliseconds(100)), clock: clock)
        }
    }
}

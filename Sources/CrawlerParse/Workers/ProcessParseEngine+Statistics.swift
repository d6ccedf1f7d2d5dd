extension ProcessParseEngine {
    /// Counters, for tests and the benchmark.
    public struct Statistics: Sendable, Hashable {
        /// Worker processes started, replacements included.
        public var workersStarted = 0
        /// Workers that died or were killed while pages were in flight.
        public var workersLost = 0
        /// Bodies sent through shared memory (`Configuration.sharedBodyBytes`).
        public var sharedBodies = 0
        /// Bodies sent down the pipe: empty ones, ones too big for the ring or sent while it
        /// was full, and all of them when there is no ring.
        public var pipedBodies = 0
        /// Pages sent again after their worker died (every page it had not answered).
        public var retries = 0
    }
}

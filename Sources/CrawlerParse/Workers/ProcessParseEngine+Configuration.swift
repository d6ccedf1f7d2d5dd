import CrawlerCore
import Foundation

extension ProcessParseEngine {
    /// How workers are started and watched.
    public struct Configuration: Sendable {
        /// The binary with the hidden `worker` subcommand; default: this process's own.
        public var executablePath: String = ProcessParseEngine.ownExecutablePath
        /// Arguments before the worker's flags (the subcommand's name).
        public var subcommand: [String] = ["worker"]
        /// The number of worker processes.
        public var workers: Int
        /// Seconds of CPU time one page may use before its worker ends itself (the worker's
        /// own CPU clock, so a busy machine does not time out a healthy page).
        public var timeoutSeconds: Double
        /// Seconds of wall-clock time a worker may go without answering before the parent
        /// kills it: the watchdog for a worker that stops without using CPU. Nil: the default
        /// `effectiveWatchdogSeconds`.
        public var watchdogSeconds: Double?
        /// Pages given to a worker and not yet answered: its answer batch and a quarter more,
        /// so it parses those while the driver reads the batch and sends the next. More would
        /// not keep it busier: pages sent ahead overflow the pipe (a 1 MiB pipe holds about 25
        /// spliced 30 KB pages) and make the driver wait for room, and they are committed to
        /// one worker, which then finishes a level of the crawl well after the others.
        public var maxInFlightPerWorker: Int = ParseWorker.Settings().answerBatch * 5 / 4
        /// Settings passed to each worker (anchor text bound, memory limit, test hooks).
        public var worker = ParseWorker.Settings()
        /// Bytes of shared memory each worker slot has for the bodies it has in flight (a
        /// `BodyRing`); 0 sends every body down the pipe. 4 MiB holds a full batch of pages
        /// up to 200 KB each; bigger pages, or a ring full of them, take the pipe.
        public var sharedBodyBytes: Int = 4 << 20

        /// The watchdog in force: `watchdogSeconds`, or by default three times the timeout and
        /// at least the timeout plus 30 s, generous enough that only a stuck worker meets it
        /// on a loaded machine.
        public var effectiveWatchdogSeconds: Double {
            watchdogSeconds ?? max(3 * timeoutSeconds, timeoutSeconds + 30)
        }

        /// The configuration `options` ask for.
        public init(options: ParseOptions) {
            workers = max(1, options.workers)
            timeoutSeconds = options.timeoutSeconds
            worker.maxAnchorTextLength = options.maxAnchorTextLength
        }
    }
}

import CrawlerCore
import CrawlerSystem
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Parses in long-lived worker processes (the hidden `crawler worker` subcommand), HTML in and
/// parsed pages out over pipes in length-prefixed binary frames (`WireFormat`).
///
/// Each worker has a driver thread in the parent that owns it: it takes jobs from the shared
/// queue (at most `maxInFlightPerWorker` at once, so the worker never waits between pages),
/// writes and reads with `poll`, and watches the clock. Workers write their answers in
/// batches (`ParseWorker.Settings.answerBatch`), so a driver wakes once per batch, not once
/// per page. A page's body goes to the worker through shared memory (`BodyRing`): copied once,
/// by the parent, and parsed where it lies; a body that does not fit goes down the pipe
/// without a copy in this process (`PendingWrites`). Answers are decoded where they were read
/// (`FrameDecoder`).
///
/// The drivers are also a task executor (`preferredTaskExecutor`, `DriverExecutor`): a task
/// that prefers it is resumed with its page on the driver that read the answer and runs there
/// until it asks for its next page, so handing pages back wakes no other thread. A driver
/// sleeps in `poll` on its pipes and an eventfd, which is signalled for tasks sent to the
/// executor from other threads and, when the driver has room, for pages queued from them.
///
/// A worker that crashes, uses more than `timeoutSeconds` of CPU time on one page (its own
/// CPU timer ends it: `PageCPUTimer`), goes `effectiveWatchdogSeconds` of wall-clock time
/// without answering, or exceeds its memory limit is ended and replaced. Every page it had been sent and had not answered is a suspect: suspects are
/// sent again one at a time, so a second failure is pinned on the right page, which is then
/// recorded as a `ParseError`; the innocent ones just parse. So each page gets one retry on a
/// fresh worker, as before batching. Every job's continuation is resumed exactly once: it is
/// owned by exactly one queue or driver at a time.
public final class ProcessParseEngine: ParseEngine, Sendable {
    /// Where the engine says what went wrong with a worker (the library itself never prints).
    static let logger = Logger(label: "crawler.parse.workers")

    /// This process's executable, as `/proc/self/exe` points to it.
    public static var ownExecutablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "/proc/self/exe"
    }

    public let configuration: Configuration
    let queue: WorkQueue<Work>
    /// Runs the tasks that prefer it on the drivers (`preferredTaskExecutor`).
    let executor: DriverExecutor
    /// Drivers still running; the last to leave stops the executor.
    private let runningDrivers: Atomic<Int>
    /// The running workers' pids by slot, and the counters.
    private let registry = Mutex<(pids: [Int: pid_t], statistics: Statistics)>(([:], Statistics()))

    /// Starts the workers' driver threads (workers themselves start on first use).
    public init(_ configuration: Configuration) throws {
        guard FileManager.default.isExecutableFile(atPath: configuration.executablePath) else {
            throw SpawnError("the parse worker executable \(configuration.executablePath) does not exist or is not executable; reinstall the crawler, or pass the path of a crawler binary")
        }
        // Writing to a dead worker must be an EPIPE error, not the end of the crawler.
        signal(SIGPIPE, SIG_IGN)
        self.configuration = configuration
        queue = WorkQueue(consumers: configuration.workers)
        executor = try DriverExecutor(drivers: configuration.workers)
        runningDrivers = Atomic(configuration.workers)
        for slot in 0..<configuration.workers {
            let thread = Thread { [self] in
                // Named for `top -H` and profilers (Foundation does not pass the name to Linux).
                try? Posix.setThreadName("parse-driver-\(slot)")
                var driver = WorkerDriver(engine: self, slot: slot)
                driver.run()
            }
            thread.start()
        }
    }

    /// A convenience: the engine `options` ask for.
    public convenience init(options: ParseOptions, executablePath: String? = nil) throws {
        var configuration = Configuration(options: options)
        if let executablePath { configuration.executablePath = executablePath }
        try self.init(configuration)
    }

    public var model: ParseModel { .processes }

    /// The drivers' executor: a task that prefers it (`Task(executorPreference:)`,
    /// `addTask(executorPreference:)`) is resumed with its page on the driver that read the
    /// answer and runs there until it suspends again, instead of waking a thread of Swift's
    /// global pool for every page. Its other awaits work as usual.
    public var preferredTaskExecutor: (any TaskExecutor)? { executor }

    public func parse(_ job: ParseJob) async -> Result<ParsedPage, ParseError> {
        await withCheckedContinuation { continuation in enqueue(Work(job: job, continuation: continuation)) }
    }

    /// Sends the job's body to a worker and waits for an empty answer, without parsing:
    /// the cost of the pipes and the framing alone (for the benchmark).
    public func roundTrip(_ job: ParseJob) async {
        _ = await withCheckedContinuation { continuation in enqueue(Work(job: job, echoOnly: true, continuation: continuation)) }
    }

    private func enqueue(_ work: Work) {
        if let refused = queue.put(work) {
            refused.continuation.resume(returning: .failure(.workerCrashed(url: refused.job.url.string, reason: "the parse engine was shut down")))
            return
        }
        // A driver asking for a page (a task it is running) takes it on its next round; from
        // elsewhere, the drivers sleeping with room are woken.
        if executor.currentLocal == nil { executor.wakeWanting() }
    }

    /// The pids of the running workers (for tests that kill one).
    public var workerProcessIDs: [pid_t] {
        registry.withLock { registry in registry.pids.keys.sorted().compactMap { registry.pids[$0] } }
    }

    /// Counters so far.
    public var currentStatistics: Statistics {
        registry.withLock { $0.statistics }
    }

    public func shutdown() async {
        queue.stop()
        executor.wakeAll()
        await awaitBlocking { [queue] in queue.waitUntilConsumersFinish() }
    }

    // MARK: For the drivers

    func record(_ update: (inout Statistics) -> Void) {
        registry.withLock { update(&$0.statistics) }
    }

    func setWorker(_ pid: pid_t?, slot: Int) {
        registry.withLock { $0.pids[slot] = pid }
    }

    /// A driver leaves; the last one hands the executor's remaining work to Dispatch.
    func driverFinished() {
        queue.consumerFinished()
        if runningDrivers.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { executor.stop() }
    }
}

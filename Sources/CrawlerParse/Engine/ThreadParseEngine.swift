import CrawlerCore
import CrawlerSystem
import Foundation

/// Parses on a fixed pool of dedicated OS threads (not the Swift cooperative pool) fed by one
/// queue. Swift has no GIL, so this scales to the cores; each parse has its own libxml2 context.
///
/// Under a backlog a thread takes up to `batch` pages at once and hands their results back
/// together. Every result resumes a waiting task, and a resume wakes a thread of the
/// cooperative pool, which on a busy machine means a context switch on a core that was
/// parsing; handing results back together wakes it once for the batch. When only a few
/// pages wait, the threads share them, so a batch never makes a thread idle or a page wait
/// behind work another thread could have done.
public final class ThreadParseEngine: ParseEngine, Sendable {
    private typealias Work = (job: ParseJob, continuation: CheckedContinuation<Result<ParsedPage, ParseError>, Never>)

    private let extractor: LinkExtractor
    private let queue: WorkQueue<Work>
    /// The number of threads.
    public let threadCount: Int
    /// The most pages a thread takes at once (and hands back together).
    public let batch: Int

    /// The default `batch`. On 2 cores, 8 cut context switches from 2.3 to 0.8 per page and
    /// raised the 2-thread speedup from about 1.75x to 1.85x inline (`crawler bench-parse`);
    /// a page waits for at most 7 others, a millisecond or two.
    public static let defaultBatch = 8

    /// Starts `options.workers` threads.
    public init(options: ParseOptions, batch: Int = ThreadParseEngine.defaultBatch) {
        extractor = LinkExtractor(options: options)  // initializes libxml2 before any thread starts
        threadCount = max(1, options.workers)
        self.batch = max(1, batch)
        queue = WorkQueue(consumers: threadCount)
        for index in 0..<threadCount {
            let thread = Thread { [self] in
                // Named for `top -H` and profilers (Foundation does not pass the name to Linux).
                try? Posix.setThreadName("parse-thread-\(index)")
                runLoop()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    public var model: ParseModel { .threads }

    public func parse(_ job: ParseJob) async -> Result<ParsedPage, ParseError> {
        await withCheckedContinuation { continuation in
            // After shutdown there is no thread left: parse on the caller's.
            if let refused = queue.put((job, continuation)) { refused.continuation.resume(returning: extractor.extract(refused.job)) }
        }
    }

    private func runLoop() {
        while let taken = queue.take(limit: batch, wait: true, sharers: threadCount) {
            let results = taken.map { extractor.extract($0.job) }
            for (work, result) in zip(taken, results) { work.continuation.resume(returning: result) }
        }
        queue.consumerFinished()
    }

    public func shutdown() async {
        queue.stop()
        await awaitBlocking { [queue] in queue.waitUntilConsumersFinish() }
    }
}

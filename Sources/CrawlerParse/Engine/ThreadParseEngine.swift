import CLibXML2
import CrawlerCore
import Foundation

/// Parses on a fixed pool of dedicated OS threads (not the Swift cooperative pool) fed by one
/// queue. Swift has no GIL, so this scales to the cores; each parse has its own libxml2 context.
public final class ThreadParseEngine: ParseEngine, Sendable {
    private typealias Work = (job: ParseJob, continuation: CheckedContinuation<Result<ParsedPage, ParseError>, Never>)

    private let extractor: LinkExtractor
    private let queue: WorkQueue<Work>
    /// The number of threads.
    public let threadCount: Int

    /// Starts `options.workers` threads.
    public init(options: ParseOptions) {
        extractor = LinkExtractor(options: options)  // initializes libxml2 before any thread starts
        threadCount = max(1, options.workers)
        queue = WorkQueue(consumers: threadCount)
        for index in 0..<threadCount {
            let thread = Thread { [self] in
                // Named for `top -H` and profilers (Foundation does not pass the name to Linux).
                _ = cxml_set_thread_name("parse-thread-\(index)")
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
        while let taken = queue.take(limit: 1, wait: true) {
            for work in taken { work.continuation.resume(returning: extractor.extract(work.job)) }
        }
        queue.consumerFinished()
    }

    public func shutdown() async {
        queue.stop()
        await awaitBlocking { [queue] in queue.waitUntilConsumersFinish() }
    }
}

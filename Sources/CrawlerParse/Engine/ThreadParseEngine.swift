import CrawlerCore
import Foundation

/// Parses on a fixed pool of dedicated OS threads (not the Swift cooperative pool) fed by one
/// queue. Swift has no GIL, so this scales to the cores; each parse has its own libxml2 context.
public final class ThreadParseEngine: ParseEngine, @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `condition`.
    private typealias Work = (job: ParseJob, continuation: CheckedContinuation<Result<ParsedPage, ParseError>, Never>)

    private let extractor: LinkExtractor
    private let condition = NSCondition()
    private var queue: [Work] = []
    private var queueHead = 0
    private var stopping = false
    private var running = 0
    /// The number of threads.
    public let threadCount: Int

    /// Starts `options.workers` threads.
    public init(options: ParseOptions) {
        extractor = LinkExtractor(options: options)  // initializes libxml2 before any thread starts
        threadCount = max(1, options.workers)
        running = threadCount
        for index in 0..<threadCount {
            let thread = Thread { [self] in self.runLoop() }
            thread.name = "parse-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    public var model: ParseModel { .threads }

    public func parse(_ job: ParseJob) async -> Result<ParsedPage, ParseError> {
        await withCheckedContinuation { continuation in enqueue((job, continuation)) }
    }

    private func enqueue(_ work: Work) {
        condition.lock()
        if stopping {
            condition.unlock()
            work.continuation.resume(returning: extractor.extract(work.job))
            return
        }
        queue.append(work)
        condition.signal()
        condition.unlock()
    }

    private func runLoop() {
        while true {
            condition.lock()
            while queueHead == queue.count, !stopping { condition.wait() }
            if queueHead == queue.count {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let work = queue[queueHead]
            queueHead += 1
            if queueHead > 1024, queueHead * 2 > queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            condition.unlock()
            work.continuation.resume(returning: extractor.extract(work.job))
        }
    }

    public func shutdown() async {
        beginStopping()
        await awaitBlocking { [self] in waitUntilStopped() }
    }

    private func beginStopping() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func waitUntilStopped() {
        condition.lock()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}

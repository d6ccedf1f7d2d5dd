import CLibXML2
import CrawlerCore
import Foundation

/// Parses on a fixed pool of dedicated OS threads (not the Swift cooperative pool) fed by one
/// queue. Swift has no GIL, so this scales to the cores; each parse has its own libxml2 context.
///
/// The threads are also a task executor (`preferredTaskExecutor`). A task that prefers it runs
/// on a parse thread, and its `parse` calls parse right there, on that thread, with nothing
/// handed over: the crawl's page tasks and the benchmarks' feeders do this.
///
/// A caller on any other thread queues its page. Under a backlog a thread takes up to `batch`
/// pages at once and hands their results back together: every result resumes a waiting task,
/// and a resume wakes a thread of the cooperative pool, which on a busy machine means a
/// context switch on a core that was parsing; handing results back together wakes it once for
/// the batch. When only a few pages wait, the threads share them, so a batch never makes a
/// thread idle or a page wait behind work another thread could have done.
public final class ThreadParseEngine: ParseEngine, Sendable {
    private typealias Work = (job: ParseJob, continuation: CheckedContinuation<Result<ParsedPage, ParseError>, Never>)

    private let extractor: LinkExtractor
    private let queue: WorkQueue<ThreadWork>
    private let executor: ParseThreadExecutor
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
        executor = ParseThreadExecutor(queue: queue)
        for index in 0..<threadCount {
            let thread = Thread { [self] in
                // Named for `top -H` and profilers (Foundation does not pass the name to Linux).
                _ = cxml_set_thread_name("parse-thread-\(index)")
                executor.registerCurrentThread()
                runLoop()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    public var model: ParseModel { .threads }

    /// The parse threads as an executor: a task that prefers it parses on the thread it runs on.
    public var preferredTaskExecutor: (any TaskExecutor)? { executor }

    public func parse(_ job: ParseJob) async -> Result<ParsedPage, ParseError> {
        // Already on a parse thread (a task that prefers the executor): parse here.
        if executor.isCurrentThread { return extractor.extract(job) }
        return await withCheckedContinuation { continuation in
            // After shutdown there is no thread left: parse on the caller's.
            if case .parse(let refused, let waiting)? = queue.put(.parse(job, continuation)) { waiting.resume(returning: extractor.extract(refused)) }
        }
    }

    private func runLoop() {
        // A task's job is taken alone: it may run for long (until the task suspends), and
        // work taken with it would wait for it while another thread idles.
        while let taken = queue.take(limit: batch, wait: true, sharers: threadCount, batchable: ThreadWork.isPage) {
            var parsed: [(Work, Result<ParsedPage, ParseError>)] = []
            for item in taken {
                switch item {
                case .parse(let job, let continuation): parsed.append(((job, continuation), extractor.extract(job)))
                case .task(let job): job.runSynchronously(on: executor.asUnownedTaskExecutor())
                }
            }
            for (work, result) in parsed { work.continuation.resume(returning: result) }
        }
        queue.consumerFinished()
    }

    public func shutdown() async {
        queue.stop()
        await awaitBlocking { [queue] in queue.waitUntilConsumersFinish() }
    }
}

/// What a parse thread takes from the queue: a page from a caller on another thread, or a
/// job of a task that prefers the threads' executor.
enum ThreadWork: Sendable {
    case parse(ParseJob, CheckedContinuation<Result<ParsedPage, ParseError>, Never>)
    case task(UnownedJob)

    /// Whether `work` is a page (pages are taken in batches, tasks one at a time).
    static func isPage(_ work: ThreadWork) -> Bool {
        if case .parse = work { return true }
        return false
    }
}

/// The thread engine's threads as a task executor: jobs go to the same queue as pages, and a
/// thread runs them where it takes them. Once the engine is shut down, jobs run on Dispatch's
/// threads, so a task that still prefers the executor is never stranded.
final class ParseThreadExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `queue` is thread-safe and `key` is set in init and only read after.
    private let queue: WorkQueue<ThreadWork>
    /// Set (to a non-nil marker) on this executor's threads.
    private let key: pthread_key_t

    init(queue: WorkQueue<ThreadWork>) {
        self.queue = queue
        var key = pthread_key_t()
        // Only fails when the process has used up its keys (PTHREAD_KEYS_MAX, 1024).
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed: \(String(cString: strerror(errno)))")
        self.key = key
    }

    deinit { pthread_key_delete(key) }

    func enqueue(_ job: consuming ExecutorJob) {
        if case .task(let refused)? = queue.put(.task(UnownedJob(job))) {
            DispatchQueue.global().async { refused.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }

    /// Marks the calling thread as one of this executor's.
    func registerCurrentThread() {
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
    }

    /// Whether the calling thread is one of this executor's.
    var isCurrentThread: Bool { pthread_getspecific(key) != nil }
}

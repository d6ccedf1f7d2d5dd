import CCurl
import CrawlerCore
import CrawlerSystem
import Foundation

/// A fixed pool of OS threads (Foundation `Thread`s, i.e. pthreads, not GCD), each blocking in
/// `curl_easy_perform` on its own easy handle, reused so its connections stay alive. With one
/// thread it is the `sequential` baseline.
///
/// Tasks hand work over through a `TransferRegistry` under an `NSCondition`; a cancelled task
/// is resumed at once and its transfer stopped at curl's next progress callback.
final class ThreadPoolFetchEngine: FetchEngine, @unchecked Sendable {
    // @unchecked Sendable: every `var` is guarded by `condition`; each easy handle is owned by
    // the one pool thread that created it and never leaves it.
    let model: FetchModel
    private let options: FetchOptions
    /// The cookie jar every transfer shares, if the crawl keeps cookies.
    private let cookies: CookieShare?
    /// Guards every `var` below.
    private let condition = NSCondition()
    private var registry = TransferRegistry<TransferWaiter>()
    private var liveThreads: Int
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []

    init(options: FetchOptions, threadCount: Int, model: FetchModel) {
        CurlGlobal.ensureInitialized()  // before any worker thread exists
        self.options = options
        cookies = options.cookieJar.map(CookieShare.init)
        self.model = model
        self.liveThreads = threadCount
        for index in 0..<threadCount {
            // The thread holds the engine until shutdown lets it exit.
            let name = "fetch-\(model)-\(index)"
            let thread = Thread { [self] in
                try? Posix.setThreadName(name)
                runWorker()
            }
            thread.name = name
            thread.start()
        }
    }

    func fetch(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError> {
        await fetch(url, bodyLimit: .page(options))
    }

    func fetch(_ url: NormalizedURL, bodyLimit: BodyLimit) async -> Result<FetchResponse, FetchError> {
        let id = condition.withLock { registry.reserveID() }
        let abortFlag = AbortFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let waiter = TransferWaiter(continuation: continuation, abortFlag: abortFlag, url: url, bodyLimit: bodyLimit)
                let action = condition.withLock {
                    let action = registry.submit(id, url: url, waiter: waiter)
                    if case .queued = action { condition.signal() }
                    return action
                }
                if case .reject(let waiter) = action { waiter.resumeCancelled() }
            }
        } onCancel: {
            let action = condition.withLock { registry.cancel(id) }
            if case .resumeCancelled(let waiter, _) = action { waiter.resumeCancelled() }
        }
    }

    func shutdown() async {
        let waiters = condition.withLock {
            let waiters = registry.shutdown()
            condition.broadcast()
            return waiters
        }
        for waiter in waiters { waiter.resumeCancelled() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = condition.withLock {
                if liveThreads == 0 { return true }
                exitWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func runWorker() {
        // Created and freed on this thread; the handle never meets another thread.
        let transfer = CurlTransfer(options: options, cookies: cookies)
        while let job = nextJob() {
            transfer.prepare(job.url, abortFlag: job.waiter.abortFlag, bodyLimit: job.waiter.bodyLimit)
            let result = transfer.performBlocking()
            let waiter = condition.withLock { registry.complete(job.id) }
            waiter?.continuation.resume(returning: result)
        }
        withExtendedLifetime(transfer) {}
        let waiters = condition.withLock {
            liveThreads -= 1
            guard liveThreads == 0 else { return [CheckedContinuation<Void, Never>]() }
            defer { exitWaiters = [] }
            return exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Blocks until there is work; nil once shut down.
    private func nextJob() -> (id: UInt64, url: NormalizedURL, waiter: TransferWaiter)? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if registry.isShutDown { return nil }
            if let job = registry.takeNext() { return job }
            condition.wait()
        }
    }
}

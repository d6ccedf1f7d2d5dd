import CCurl
import CrawlerCore
import CrawlerSystem
import Foundation

/// Structured concurrency over curl's multi interface: any number of tasks `await` transfers
/// that ONE event-loop thread drives with `curl_multi_perform` + `curl_multi_poll`.
///
/// Tasks hand work over under a lock and wake the loop with `curl_multi_wakeup` (the one multi
/// call that is thread-safe); each transfer resumes its own continuation. Cancelling a task
/// resumes it at once with `.cancelled` and has the loop remove its easy handle.
final class MultiFetchEngine: FetchEngine, @unchecked Sendable {
    // @unchecked Sendable: every `var` is guarded by `lock`; the multi handle and the easy
    // handles belong to the loop thread, other threads only call the thread-safe curl_multi_wakeup.
    let model = FetchModel.async
    private let options: FetchOptions
    /// The cookie jar every transfer shares, if the crawl keeps cookies.
    private let cookies: CookieShare?
    /// Owned by the loop thread; other threads only call `curl_multi_wakeup`, and only under
    /// `lock` while not shut down (so never after the loop has freed it).
    private let multi: UnsafeMutableRawPointer
    /// Guards every `var` below.
    private let lock = NSLock()
    private var registry = TransferRegistry<TransferWaiter>()
    /// Running transfers whose tasks were cancelled: the loop removes their handles.
    private var cancelledRunning: [UInt64] = []
    /// A wakeup was sent and the loop has not yet taken the work: further ones would only
    /// cost a syscall each (measured: `send` on curl's wakeup socket was 2% of the client's time).
    private var wakeupPending = false
    private var loopExited = false
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []

    init(options: FetchOptions) {
        CurlGlobal.ensureInitialized()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.options = options
        cookies = options.cookieJar.map(CookieShare.init)
        self.multi = multi
        let thread = Thread { [self] in
            try? Posix.setThreadName("fetch-async-loop")
            runLoop()
        }
        thread.name = "fetch-async-loop"
        thread.start()
    }

    func fetch(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError> {
        await fetch(url, bodyLimit: .page(options))
    }

    func fetch(_ url: NormalizedURL, bodyLimit: BodyLimit) async -> Result<FetchResponse, FetchError> {
        let id = lock.withLock { registry.reserveID() }
        let abortFlag = AbortFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let waiter = TransferWaiter(continuation: continuation, abortFlag: abortFlag, url: url, bodyLimit: bodyLimit)
                let action = lock.withLock {
                    let action = registry.submit(id, url: url, waiter: waiter)
                    if case .queued = action { wakeLoop() }
                    return action
                }
                if case .reject(let waiter) = action { waiter.resumeCancelled() }
            }
        } onCancel: {
            let action = lock.withLock {
                let action = registry.cancel(id)
                if case .resumeCancelled(_, wasRunning: true) = action {
                    cancelledRunning.append(id)
                    wakeLoop()
                }
                return action
            }
            if case .resumeCancelled(let waiter, _) = action { waiter.resumeCancelled() }
        }
    }

    func shutdown() async {
        let waiters = lock.withLock {
            if registry.isShutDown { return [TransferWaiter]() }
            let waiters = registry.shutdown()
            curl_multi_wakeup(multi)  // unconditionally: the loop must see the shutdown
            return waiters
        }
        for waiter in waiters { waiter.resumeCancelled() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = lock.withLock {
                if loopExited { return true }
                exitWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Call under `lock`, while not shut down.
    private func wakeLoop() {
        guard !wakeupPending else { return }
        wakeupPending = true
        curl_multi_wakeup(multi)
    }

    // MARK: The loop thread

    private func runLoop() {
        var running: [UInt64: CurlTransfer] = [:]
        var idByHandle: [UnsafeMutableRawPointer: UInt64] = [:]
        /// Finished handles kept for reuse (no re-setup of the constant options).
        var idle: [CurlTransfer] = []

        func remove(_ id: UInt64) -> CurlTransfer? {
            guard let transfer = running.removeValue(forKey: id) else { return nil }
            curl_multi_remove_handle(multi, transfer.handle)
            idByHandle[transfer.handle] = nil
            return transfer
        }

        while true {
            let (added, cancelled, stop) = lock.withLock {
                defer {
                    cancelledRunning = []
                    wakeupPending = false
                }
                return (registry.takeAll(), cancelledRunning, registry.isShutDown)
            }
            for id in cancelled {
                if let transfer = remove(id) { idle.append(transfer) }
            }
            if stop { break }
            for job in added {
                let transfer = idle.popLast() ?? CurlTransfer(options: options, cookies: cookies)
                transfer.prepare(job.url, abortFlag: job.waiter.abortFlag, bodyLimit: job.waiter.bodyLimit)
                curl_multi_add_handle(multi, transfer.handle)
                running[job.id] = transfer
                idByHandle[transfer.handle] = job.id
            }

            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            var finished: [(id: UInt64, result: Result<FetchResponse, FetchError>)] = []
            var queuedMessages: Int32 = 0
            while let message = curl_multi_info_read(multi, &queuedMessages) {
                // Read the message before removing its handle: removal invalidates it.
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                    let id = idByHandle[easy]
                else { continue }
                let code = message.pointee.data.result
                guard let transfer = remove(id) else { continue }
                finished.append((id, transfer.finish(code)))
                idle.append(transfer)
            }
            if !finished.isEmpty {
                // One lock round for all of this iteration's completions, resumed outside it.
                let waiters = lock.withLock { finished.map { registry.complete($0.id) } }
                for (waiter, done) in zip(waiters, finished) { waiter?.continuation.resume(returning: done.result) }
            }
            // Sleeps until a socket is ready, curl's next timeout, or a wakeup.
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }

        for id in Array(running.keys) { _ = remove(id) }
        running = [:]
        idle = []  // frees the easy handles (before the multi, as curl requires)
        let waiters = lock.withLock {
            curl_multi_cleanup(multi)
            loopExited = true
            defer { exitWaiters = [] }
            return exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

import CCurl
import CrawlerCore
import CrawlerSystem
import Foundation
import Synchronization

/// Structured concurrency over curl's multi interface: any number of tasks `await` transfers
/// that ONE event-loop thread drives with `curl_multi_perform` + `curl_multi_poll`.
///
/// Tasks hand work over under a lock and wake the loop with `curl_multi_wakeup` (the one multi
/// call that is thread-safe); each transfer resumes its own continuation. Cancelling a task
/// resumes it at once with `.cancelled` and has the loop remove its easy handle.
final class MultiFetchEngine: FetchEngine, Sendable {
    let model = FetchModel.async
    private let options: FetchOptions
    /// The cookie jar every transfer shares, if the crawl keeps cookies.
    private let cookies: CookieShare?
    /// Owned by the loop thread; other threads only call `curl_multi_wakeup`, and only inside
    /// `state`'s lock while not shut down (so never after the loop has freed it).
    private let multi: MultiHandle
    /// Everything the tasks and the loop thread share, behind one lock the compiler checks.
    private let state = Mutex(State())

    private struct State {
        var registry = TransferRegistry<TransferWaiter>()
        /// Running transfers whose tasks were cancelled: the loop removes their handles.
        var cancelledRunning: [UInt64] = []
        /// A wakeup was sent and the loop has not yet taken the work: further ones would only
        /// cost a syscall each (`send` on curl's wakeup socket showed in profiles of
        /// `crawler bench --phase fetch --fetch-models async` at 0 ms latency).
        var wakeupPending = false
        var loopExited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []

        /// Wakes the loop, unless a wakeup is already on its way. Call while not shut down.
        mutating func wakeLoop(_ multi: MultiHandle) {
            guard !wakeupPending else { return }
            wakeupPending = true
            curl_multi_wakeup(multi.pointer)
        }
    }

    /// curl's multi handle, which is a plain pointer and so not `Sendable`.
    ///
    /// `@unchecked` is sound because of how `MultiFetchEngine` uses it: the loop thread alone
    /// calls every multi function but one; `curl_multi_wakeup`, the one libcurl documents as
    /// callable from any thread, is called by other threads only inside `state`'s lock and
    /// only while the registry is not shut down; and the loop frees the handle inside that
    /// same lock, after the shutdown, so no wakeup can reach a freed handle.
    private struct MultiHandle: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
    }

    init(options: FetchOptions) {
        CurlGlobal.ensureInitialized()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.options = options
        cookies = options.cookieJar.map(CookieShare.init)
        self.multi = MultiHandle(pointer: multi)
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
        let id = state.withLock { $0.registry.reserveID() }
        let abortFlag = AbortFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let waiter = TransferWaiter(continuation: continuation, abortFlag: abortFlag, url: url, bodyLimit: bodyLimit)
                let action = state.withLock { state in
                    let action = state.registry.submit(id, url: url, waiter: waiter)
                    if case .queued = action { state.wakeLoop(multi) }
                    return action
                }
                if case .reject(let waiter) = action { waiter.resumeCancelled() }
            }
        } onCancel: {
            let action = state.withLock { state in
                let action = state.registry.cancel(id)
                if case .resumeCancelled(_, wasRunning: true) = action {
                    state.cancelledRunning.append(id)
                    state.wakeLoop(multi)
                }
                return action
            }
            if case .resumeCancelled(let waiter, _) = action { waiter.resumeCancelled() }
        }
    }

    func shutdown() async {
        let waiters = state.withLock { state in
            if state.registry.isShutDown { return [TransferWaiter]() }
            let waiters = state.registry.shutdown()
            curl_multi_wakeup(multi.pointer)  // unconditionally: the loop must see the shutdown
            return waiters
        }
        for waiter in waiters { waiter.resumeCancelled() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state in
                if state.loopExited { return true }
                state.exitWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    // MARK: The loop thread

    private func runLoop() {
        let multi = multi.pointer
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
            let (added, cancelled, stop) = state.withLock { state in
                defer {
                    state.cancelledRunning = []
                    state.wakeupPending = false
                }
                return (state.registry.takeAll(), state.cancelledRunning, state.registry.isShutDown)
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
                let waiters = state.withLock { state in finished.map { state.registry.complete($0.id) } }
                for (waiter, done) in zip(waiters, finished) { waiter?.continuation.resume(returning: done.result) }
            }
            // Sleeps until a socket is ready, curl's next timeout, or a wakeup.
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }

        for id in Array(running.keys) { _ = remove(id) }
        running = [:]
        idle = []  // frees the easy handles (before the multi, as curl requires)
        let waiters = state.withLock { state in
            curl_multi_cleanup(multi)
            state.loopExited = true
            defer { state.exitWaiters = [] }
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

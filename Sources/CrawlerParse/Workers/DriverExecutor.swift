import CrawlerSystem
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A task executor whose threads are the process engine's drivers, so that the tasks waiting
/// for parsed pages run where the pages arrive (`ProcessParseEngine.preferredTaskExecutor`).
///
/// Resumed from a driver, a task waiting for its page would otherwise go to Swift's global
/// pool: a futex wake-up of a pool thread, which on 2 busy cores preempts a worker or a
/// driver, and the page's answer, built on the driver, freed on another thread. A task that
/// prefers this executor is resumed on the driver's own list instead, and runs there right
/// after the driver has decoded the batch, until it asks for its next page (which the driver
/// then sends) or suspends on something else.
///
/// A job enqueued from any other thread goes to a shared inbox and wakes one driver, in
/// turn. Once the engine is shut down, jobs run on Dispatch's threads, so a task that still
/// prefers this executor is never stranded.
///
/// The executor also wakes the drivers for pages queued from other threads, but only the
/// drivers that said they have room (`wantsWork`): a driver whose worker has its fill of
/// pages sleeps on until its answers arrive.
final class DriverExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `inbox` is a Mutex; `key` and `wakeDescriptors` are set in init and only read
    // after; each `Local` is touched only by its own driver thread (found through `key`).

    /// What one driver thread keeps for itself: the jobs enqueued from its own thread (so no
    /// lock), and its slot.
    final class Local {
        var jobs: [UnownedJob] = []
        let slot: Int
        init(slot: Int) { self.slot = slot }
    }

    private let inbox = Mutex<(jobs: [UnownedJob], stopped: Bool)>(([], false))
    /// One eventfd per driver: readable when it should look at the inbox and the engine's queue.
    let wakeDescriptors: [Int32]
    private let key: pthread_key_t
    /// Bit `slot` set while that driver sleeps with room for more pages.
    private let wanting = Atomic<UInt64>(0)
    /// Bit `slot` set once that driver has left (it takes no more jobs).
    private let gone = Atomic<UInt64>(0)
    /// The driver the next inbox job wakes.
    private let nextToWake = Atomic<Int>(0)

    /// An executor for `drivers` driver threads.
    init(drivers: Int) throws(SpawnError) {
        var key = pthread_key_t()
        do {
            // pthread_key_create returns its error number (it does not set errno).
            try Posix.checkingReturnedError("pthread_key_create") { pthread_key_create(&key, nil) }
        } catch {
            throw SpawnError("cannot set up the parse drivers' thread-local storage", cause: error)
        }
        var descriptors: [Int32] = []
        for _ in 0..<drivers {
            do {
                descriptors.append(try Posix.eventfd())
            } catch {
                for open in descriptors { close(open) }
                pthread_key_delete(key)
                throw SpawnError("cannot create the eventfd that wakes a parse driver", cause: error)
            }
        }
        self.key = key
        wakeDescriptors = descriptors
    }

    deinit {
        for descriptor in wakeDescriptors { close(descriptor) }
        pthread_key_delete(key)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if let local = currentLocal {
            local.jobs.append(job)
            return
        }
        let stopped = inbox.withLock { inbox in
            if !inbox.stopped { inbox.jobs.append(job) }
            return inbox.stopped
        }
        if stopped {
            runOnDispatch(job)
        } else {
            wakeOne()
        }
    }

    /// Wakes one driver for a job in the inbox: one that sleeps with room (so it is idle),
    /// else the next in turn that has not left.
    private func wakeOne() {
        let count = wakeDescriptors.count
        let idle = wanting.load(ordering: .sequentiallyConsistent)
        if idle != 0 {
            Posix.signalEventfd(wakeDescriptors[Int(idle.trailingZeroBitCount)])
            return
        }
        let left = gone.load(ordering: .acquiring)
        let start = nextToWake.add(1, ordering: .relaxed).oldValue
        for offset in 0..<count {
            let slot = (start + offset) % count
            if slot < 64, left & (UInt64(1) << UInt64(slot)) != 0 { continue }
            Posix.signalEventfd(wakeDescriptors[slot])
            return
        }
    }

    /// The calling driver thread's `Local`, or nil on any other thread.
    var currentLocal: Local? {
        guard let pointer = pthread_getspecific(key) else { return nil }
        return Unmanaged<Local>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Makes the calling thread driver `local.slot` (the driver keeps `local` alive).
    func register(_ local: Local) {
        pthread_setspecific(key, Unmanaged.passUnretained(local).toOpaque())
    }

    /// The calling driver leaves: it takes no more jobs.
    func unregister(_ local: Local) {
        pthread_setspecific(key, nil)
        if local.slot < 64 { gone.bitwiseOr(UInt64(1) << UInt64(local.slot), ordering: .releasing) }
    }

    /// Wakes every driver (each looks at the inbox and the queue).
    func wakeAll() {
        for descriptor in wakeDescriptors { Posix.signalEventfd(descriptor) }
    }

    /// Says whether driver `slot` is about to sleep with room for more pages. A driver sets it
    /// before it looks at the queue one last time and sleeps, and clears it when it wakes, so
    /// a page queued in between is never missed: either the driver sees it, or the page's
    /// sender sees the bit (both sides order their write before their read).
    func setWantsWork(_ wants: Bool, slot: Int) {
        guard slot < 64 else { return }  // more drivers than bits: they are always woken
        let bit = UInt64(1) << UInt64(slot)
        if wants {
            wanting.bitwiseOr(bit, ordering: .sequentiallyConsistent)
        } else {
            wanting.bitwiseAnd(~bit, ordering: .sequentiallyConsistent)
        }
    }

    /// Wakes the drivers that sleep with room for more pages (after a page was queued), but
    /// `except`.
    func wakeWanting(except: Int? = nil) {
        let mask = wanting.load(ordering: .sequentiallyConsistent)
        for (slot, descriptor) in wakeDescriptors.enumerated() where slot != except && (slot >= 64 || mask & (UInt64(1) << UInt64(slot)) != 0) {
            Posix.signalEventfd(descriptor)
        }
    }

    /// Runs the jobs the calling driver enqueued and those in the inbox, as they are now;
    /// returns how many ran. Jobs those enqueue wait for the next call, so the driver gets
    /// back to its worker in between (it polls without sleeping while `local.jobs` is not
    /// empty).
    @discardableResult
    func runPending(_ local: Local) -> Int {
        var batch = local.jobs
        local.jobs.removeAll(keepingCapacity: true)
        batch += inbox.withLock { inbox in
            defer { inbox.jobs.removeAll() }
            return inbox.jobs
        }
        for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        return batch.count
    }

    /// From now on, jobs from other threads run on Dispatch's threads; the ones already in the
    /// inbox go there too. Called by the last driver to leave.
    func stop() {
        let left = inbox.withLock { inbox in
            inbox.stopped = true
            defer { inbox.jobs.removeAll() }
            return inbox.jobs
        }
        for job in left { runOnDispatch(job) }
    }

    /// Runs `job` on one of Dispatch's threads (once no driver is left to run it).
    private func runOnDispatch(_ job: UnownedJob) {
        DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

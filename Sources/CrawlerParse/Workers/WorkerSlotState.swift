/// What one worker slot decides, without processes, pipes or a clock of its own: which of
/// its pages to send, which were lost with a worker and are suspects, which have failed twice
/// and are given up, and when its worker is overdue. `WorkerDriver` owns one, feeds it what
/// happened (pages taken, sent, answered, a worker started, ready or lost) with the time it
/// happened, and does what it answers; the tests drive it with made-up instants.
///
/// The rules: pages are answered in the order they were sent. When a worker is lost, every
/// page it had been sent and had not answered is a suspect (it may be the one that killed
/// it): suspects are sent again one at a time, to a fresh worker, so a second loss is pinned
/// on the right page, which is then given up; pages not yet sent are not suspects. While a
/// suspect is in the slot the slot takes no new pages (they would wait for it while another
/// slot idles). The watchdog counts from the worker's last sign of life: its start, its
/// ready frame, its last answer, or pages given to an idle slot.
struct WorkerSlotState<Page> {
    /// A page in the slot and the number of workers lost while it was sent and unanswered.
    struct Entry {
        var page: Page
        var failures = 0
    }

    /// The slot's pages, oldest first; the first `sentCount` have been sent to the worker.
    private(set) var entries: [Entry] = []
    private(set) var sentCount = 0
    /// The worker's last sign of life, as far as the slot can tell.
    private(set) var lastProgress: ContinuousClock.Instant
    /// The most pages the slot holds at once.
    let capacity: Int

    /// An empty slot holding at most `capacity` pages, its clock started at `now`.
    init(capacity: Int, now: ContinuousClock.Instant) {
        self.capacity = max(1, capacity)
        lastProgress = now
    }

    var isEmpty: Bool { entries.isEmpty }

    /// Whether a suspect of a lost worker is in the slot (pages then go one at a time).
    var isIsolating: Bool { entries.contains { $0.failures > 0 } }

    /// Pages the slot can take now: none while it isolates a suspect.
    var room: Int { isIsolating ? 0 : max(0, capacity - entries.count) }

    /// The oldest page sent and not answered: the one the next answer must be for.
    var oldestSent: Page? { sentCount > 0 ? entries.first?.page : nil }

    /// Takes `pages`; an idle slot's watchdog starts counting now.
    mutating func take(_ pages: some Sequence<Page>, now: ContinuousClock.Instant) {
        let wasEmpty = entries.isEmpty
        entries.append(contentsOf: pages.lazy.map { Entry(page: $0) })
        if wasEmpty, !entries.isEmpty { lastProgress = now }
    }

    /// The pages to send now, marked sent: every page not sent yet, or, while isolating, the
    /// next one only once the worker has answered everything before it.
    mutating func pagesToSend() -> [Page] {
        let end = isIsolating ? max(sentCount, 1) : entries.count
        guard sentCount < end, end <= entries.count else { return [] }
        defer { sentCount = end }
        return entries[sentCount..<end].map(\.page)
    }

    /// A fresh worker started: nothing is sent to it yet.
    mutating func workerStarted(now: ContinuousClock.Instant) {
        sentCount = 0
        lastProgress = now
    }

    /// The worker said it is ready: the watchdog counts from here, not from its spawn.
    mutating func workerReady(now: ContinuousClock.Instant) {
        lastProgress = now
    }

    /// The worker answered the oldest page sent, which leaves the slot; nil if it had been
    /// sent nothing (an answer nobody asked for).
    mutating func answered(now: ContinuousClock.Instant) -> Page? {
        guard sentCount > 0, !entries.isEmpty else { return nil }
        sentCount -= 1
        lastProgress = now
        return entries.removeFirst().page
    }

    /// When the watchdog gives up on a silent worker.
    func deadline(watchdog: Duration) -> ContinuousClock.Instant { lastProgress + watchdog }

    /// The outcome of a lost worker.
    struct Loss {
        /// Pages lost with a worker for the second time: record them as failed.
        var failed: [Page] = []
        /// Suspects kept to be sent again, alone.
        var retried = 0
    }

    /// The worker is gone: its unanswered pages become suspects, and those that already were
    /// are given up. Nothing is sent to the next worker yet.
    mutating func workerLost() -> Loss {
        var loss = Loss()
        var kept: [Entry] = []
        kept.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            guard index < sentCount else {
                kept.append(entry)
                continue
            }
            var suspect = entry
            suspect.failures += 1
            if suspect.failures >= 2 {
                loss.failed.append(suspect.page)
            } else {
                kept.append(suspect)
                loss.retried += 1
            }
        }
        entries = kept
        sentCount = 0
        return loss
    }

    /// No worker could be started: every page leaves the slot, to be failed.
    mutating func removeAll() -> [Page] {
        defer {
            entries.removeAll()
            sentCount = 0
        }
        return entries.map(\.page)
    }
}

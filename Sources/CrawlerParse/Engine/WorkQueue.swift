import Foundation

/// The queue between a pool engine's callers and its threads: callers put work in from any
/// task, the engine's threads take it out (blocking while it is empty), and shutdown waits
/// until every thread has found the queue empty and left.
final class WorkQueue<Item: Sendable>: @unchecked Sendable {
    // @unchecked: every stored property is read and written only while holding `condition`.
    private let condition = NSCondition()
    private var items: [Item] = []
    private var head = 0
    private var stopping = false
    private var consumers: Int

    /// A queue taken from by `consumers` threads, each of which calls `consumerFinished` when
    /// `take` tells it to stop.
    init(consumers: Int) {
        self.consumers = consumers
    }

    /// Adds `item`; returns it back, not queued, once the queue is stopping.
    func put(_ item: Item) -> Item? {
        condition.lock()
        defer { condition.unlock() }
        if stopping { return item }
        items.append(item)
        condition.signal()
        return nil
    }

    /// Up to `limit` items, oldest first. With `wait`, blocks while the queue is empty and
    /// returns nil once it is stopping and empty (the consumer should finish); without, returns
    /// what is there at once, maybe nothing. When fewer items wait than `sharers` times
    /// `limit`, takes only a `sharers`th of them, so the end of a run is spread over the consumers.
    func take(limit: Int, wait: Bool, sharers: Int = 1) -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while wait, head == items.count, !stopping { condition.wait() }
        let waiting = items.count - head
        if waiting == 0 { return stopping && wait ? nil : [] }
        let count = min(limit, waiting, max(1, waiting / max(1, sharers)))
        let taken = Array(items[head..<(head + count)])
        head += count
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return taken
    }

    /// Items waiting.
    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return items.count - head
    }

    /// Whether the queue is stopping and empty: a consumer that does not block in `take`
    /// leaves when this is true.
    var isFinished: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping && head == items.count
    }

    /// Called by each consumer as it leaves.
    func consumerFinished() {
        condition.lock()
        consumers -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Refuses new items and wakes the consumers, which finish what is queued, then leave.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until every consumer has left (after `stop`).
    func waitUntilConsumersFinish() {
        condition.lock()
        while consumers > 0 { condition.wait() }
        condition.unlock()
    }
}

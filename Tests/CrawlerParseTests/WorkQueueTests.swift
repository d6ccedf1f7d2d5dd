import Foundation
import Synchronization
import Testing

@testable import CrawlerParse

/// The queue between the pool engines' callers and their threads or drivers.
@Suite struct WorkQueueTests {
    @Test func takesTheOldestFirstUpToTheLimit() throws {
        let queue = WorkQueue<Int>(consumers: 1)
        for item in 1...5 { #expect(queue.put(item) == nil) }
        #expect(try #require(queue.take(limit: 3, wait: false)) == [1, 2, 3])
        #expect(try #require(queue.take(limit: 3, wait: false)) == [4, 5])
        #expect(try #require(queue.take(limit: 3, wait: false)) == [])
    }

    @Test func aShortQueueIsSharedBetweenTheConsumers() throws {
        let queue = WorkQueue<Int>(consumers: 2)
        for item in 1...20 { _ = queue.put(item) }
        // A backlog: a whole batch.
        #expect(try #require(queue.take(limit: 8, wait: false, sharers: 2)) == Array(1...8))
        // 12 left, fewer than 2 batches: half of them, so the other consumer gets the rest.
        #expect(try #require(queue.take(limit: 8, wait: false, sharers: 2)) == Array(9...14))
        #expect(try #require(queue.take(limit: 8, wait: false, sharers: 2)) == Array(15...17))
        // Never nothing while something waits.
        #expect(try #require(queue.take(limit: 8, wait: false, sharers: 2)) == [18])
        #expect(try #require(queue.take(limit: 8, wait: false, sharers: 2)) == [19])
        #expect(try #require(queue.take(limit: 8, wait: false, sharers: 2)) == [20])
    }

    @Test func aWaitingConsumerWakesWhenWorkArrives() async throws {
        let queue = WorkQueue<Int>(consumers: 1)
        let taken = await withCheckedContinuation { (done: CheckedContinuation<[Int]?, Never>) in
            Thread { done.resume(returning: queue.take(limit: 4, wait: true)) }.start()
            Thread {
                usleep(20_000)  // the consumer is (most likely) waiting by now; either way it must get the item
                _ = queue.put(42)
            }.start()
        }
        #expect(taken == [42])
    }

    @Test func stoppingRefusesNewWorkButLetsQueuedWorkDrain() throws {
        let queue = WorkQueue<Int>(consumers: 1)
        _ = queue.put(1)
        _ = queue.put(2)
        queue.stop()
        #expect(queue.put(3) == 3, "work put after stop comes back to the caller")
        #expect(try #require(queue.take(limit: 10, wait: true)) == [1, 2])
        #expect(queue.take(limit: 10, wait: true) == nil, "stopped and empty: the consumer should leave")
        #expect(try #require(queue.take(limit: 10, wait: false)) == [], "a non-waiting take is never told to leave")
    }

    @Test func shutdownWaitsForEveryConsumerToLeave() async {
        let queue = WorkQueue<Int>(consumers: 3)
        let processed = Mutex(0)
        for _ in 0..<3 {
            Thread {
                while let items = queue.take(limit: 2, wait: true) {
                    usleep(1_000)
                    processed.withLock { $0 += items.count }
                }
                queue.consumerFinished()
            }.start()
        }
        for item in 0..<50 { _ = queue.put(item) }
        queue.stop()
        await awaitBlocking { queue.waitUntilConsumersFinish() }
        #expect(processed.withLock { $0 } == 50, "every item queued before stop was taken before the consumers left")
    }
}

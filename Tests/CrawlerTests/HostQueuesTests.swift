import CrawlerCore
import Testing
@testable import Crawler

/// The scheduler's host queues as a state machine: no clock, no I/O, instants passed in.
struct HostQueuesTests {
    let t0 = ContinuousClock.now

    func entries(_ host: Int, _ paths: [String], depth: Int = 0) -> [FrontierEntry] {
        paths.map { FrontierEntry(url: FakeWeb.url($0, host: host), depth: depth) }
    }

    /// Hosts take turns: a host with many URLs cannot starve one with a few.
    @Test func hostsTakeTurns() {
        var queues = HostQueues(perHostWindow: 8, maxHosts: 10)
        queues.add(entries(2, ["/a", "/b", "/c"]), host: "big", asked: 8)
        queues.add(entries(3, ["/x"]), host: "small", asked: 8)
        var order: [String] = []
        while let next = queues.next(now: t0) {
            order.append(next.host)
            queues.started(host: next.host)
        }
        #expect(order == ["big", "small", "big", "big"])
        #expect(queues.windowCount == 0)
        #expect(queues.hostCount == 0, "hosts with nothing claimed and nothing more in the store leave memory")
    }

    /// A host that must wait is set aside until its instant, and others go meanwhile.
    @Test func aTimedHostComesBackAtItsInstant() {
        var queues = HostQueues(perHostWindow: 8, maxHosts: 10)
        queues.add(entries(2, ["/a", "/b"]), host: "slow", asked: 2)
        queues.add(entries(3, ["/x"]), host: "fast", asked: 8)
        let first = queues.next(now: t0)!
        #expect(first.host == "slow")
        queues.wait(host: "slow", until: t0 + .seconds(2))
        #expect(queues.timedCount == 1)
        #expect(queues.earliestTimed == t0 + .seconds(2))
        #expect(queues.next(now: t0)?.host == "fast")
        queues.started(host: "fast")
        #expect(queues.next(now: t0 + .seconds(1)) == nil, "not before its instant")
        let again = queues.next(now: t0 + .seconds(2))
        #expect(again?.host == "slow" && again?.entry == first.entry, "the same URL, still first in its queue")
    }

    /// A blocked host (all slots busy, or robots.txt in flight) is asked again when a request ends.
    @Test func aBlockedHostIsAskedAgainWhenARequestEnds() {
        var queues = HostQueues(perHostWindow: 8, maxHosts: 10)
        queues.add(entries(2, ["/a"]), host: "h", asked: 1)
        _ = queues.next(now: t0)
        queues.block(host: "h")
        #expect(queues.next(now: t0) == nil)
        #expect(queues.blockedCount == 1)
        queues.requestFinished()
        #expect(queues.blockedCount == 0)
        #expect(queues.next(now: t0)?.host == "h")
    }

    /// Refills ask for hosts whose window runs low and whose store queue may hold more, once
    /// each until the claim comes back; an empty answer marks the host exhausted unless a
    /// commit may have queued URLs it did not see; new URLs in the store wake it again.
    @Test func refillsAskOnlyWhereTheStoreMayHaveMore() {
        var queues = HostQueues(perHostWindow: 4, maxHosts: 3)
        queues.add(entries(2, ["/a"]), host: "a", asked: 4)      // fewer than asked: exhausted
        queues.add(entries(3, ["/x", "/y", "/z", "/w"]), host: "b", asked: 4)
        queues.add(entries(4, ["/m"]), host: "c", asked: nil)    // unknown: may have more
        let first = queues.refills()
        #expect(first.hosts == ["c": 3])
        #expect(first.discover == 0, "three hosts in memory of at most three")
        #expect(queues.refills().hosts.isEmpty, "c's claim is on its way")
        queues.refillFailed(host: "c", exhausted: false)
        #expect(queues.refills().hosts == ["c": 3], "a commit may have queued URLs that claim missed")
        queues.refillFailed(host: "c", exhausted: true)
        #expect(queues.refills().hosts.isEmpty)
        queues.storeQueued(hosts: ["c", "unknown"])
        #expect(queues.refills().hosts == ["c": 3])
    }

    /// Stopping hands back every claimed URL not started, wherever its host waits.
    @Test func drainReturnsEveryURLNotStarted() {
        var queues = HostQueues(perHostWindow: 8, maxHosts: 10)
        queues.add(entries(2, ["/a", "/b"]), host: "a", asked: 8)
        queues.add(entries(3, ["/x"]), host: "b", asked: 8)
        _ = queues.next(now: t0)
        queues.wait(host: "a", until: t0 + .seconds(60))
        let drained = queues.drain()
        #expect(Set(drained.map(\.url.path)) == ["/a", "/b", "/x"])
        #expect(queues.windowCount == 0 && queues.hostCount == 0 && queues.timedCount == 0)
    }
}

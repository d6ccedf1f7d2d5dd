import Testing

@testable import CrawlerParse

/// The worker slot's decisions, driven with made-up instants and no processes: what is sent,
/// what becomes a suspect, what is given up, and when the watchdog fires.
@Suite struct WorkerSlotStateTests {
    let start = ContinuousClock.now

    func at(_ seconds: Double) -> ContinuousClock.Instant { start + .seconds(seconds) }

    @Test func pagesGoOutTogetherAndComeBackInOrder() {
        var slot = WorkerSlotState<String>(capacity: 4, now: start)
        #expect(slot.room == 4)
        slot.take(["a", "b", "c"], now: at(0))
        #expect(slot.room == 1)
        #expect(slot.oldestSent == nil, "nothing is sent before pagesToSend")
        #expect(slot.pagesToSend() == ["a", "b", "c"])
        #expect(slot.pagesToSend() == [], "a page is sent once")
        slot.take(["d", "e"], now: at(0))
        #expect(slot.entries.count == 5, "the slot holds what it is given; room is what it asks for")
        #expect(slot.pagesToSend() == ["d", "e"])
        var answers: [String] = []
        while let page = slot.answered(now: at(1)) { answers.append(page) }
        #expect(answers == ["a", "b", "c", "d", "e"])
        #expect(slot.isEmpty && slot.room == 4)
    }

    @Test func anAnswerWithNothingSentIsRefused() {
        var slot = WorkerSlotState<String>(capacity: 4, now: start)
        #expect(slot.answered(now: at(0)) == nil)
        slot.take(["a"], now: at(0))
        #expect(slot.answered(now: at(0)) == nil, "taken but not sent")
        #expect(slot.entries.map(\.page) == ["a"])
    }

    @Test func aLostWorkersUnansweredPagesAreSuspectsSentAlone() {
        var slot = WorkerSlotState<String>(capacity: 8, now: start)
        slot.take(["a", "b", "c"], now: at(0))
        #expect(slot.pagesToSend() == ["a", "b", "c"])
        #expect(slot.answered(now: at(0)) == "a")
        slot.take(["d"], now: at(0))  // taken, not sent: not a suspect
        let loss = slot.workerLost()
        #expect(loss.failed == [] && loss.retried == 2)
        #expect(slot.entries.map(\.failures) == [1, 1, 0])
        #expect(slot.isIsolating && slot.room == 0, "no new pages while isolating")
        slot.workerStarted(now: at(1))
        // One at a time: the next only once the one before is answered.
        #expect(slot.pagesToSend() == ["b"])
        #expect(slot.pagesToSend() == [])
        #expect(slot.answered(now: at(1)) == "b")
        #expect(slot.pagesToSend() == ["c"])
        #expect(slot.answered(now: at(1)) == "c")
        #expect(!slot.isIsolating && slot.room == 7, "the suspects are settled")
        #expect(slot.pagesToSend() == ["d"])
    }

    @Test func aSuspectLostAgainIsGivenUpAndOnlyIt() {
        var slot = WorkerSlotState<String>(capacity: 8, now: start)
        slot.take(["a", "b", "c"], now: at(0))
        _ = slot.pagesToSend()
        _ = slot.workerLost()
        slot.workerStarted(now: at(1))
        #expect(slot.pagesToSend() == ["a"])
        #expect(slot.answered(now: at(1)) == "a")
        #expect(slot.pagesToSend() == ["b"])
        let second = slot.workerLost()  // alone on the worker: b is the culprit
        #expect(second.failed == ["b"] && second.retried == 0)
        #expect(slot.entries.map(\.page) == ["c"])
        slot.workerStarted(now: at(2))
        #expect(slot.pagesToSend() == ["c"], "c is still a suspect, sent alone")
        #expect(slot.room == 0)
    }

    @Test func aWorkerLostWithNothingSentSuspectsNothing() {
        var slot = WorkerSlotState<String>(capacity: 8, now: start)
        slot.take(["a", "b"], now: at(0))
        let loss = slot.workerLost()
        #expect(loss.failed == [] && loss.retried == 0)
        #expect(!slot.isIsolating && slot.pagesToSend() == ["a", "b"])
    }

    @Test func theWatchdogCountsFromTheLastSignOfLife() {
        let watchdog = Duration.seconds(30)
        var slot = WorkerSlotState<String>(capacity: 8, now: start)
        slot.workerStarted(now: at(0))
        #expect(slot.deadline(watchdog: watchdog) == at(30))
        slot.workerReady(now: at(2))  // a slow start does not count against the first page
        #expect(slot.deadline(watchdog: watchdog) == at(32))
        slot.take(["a", "b"], now: at(5))  // an idle slot starts counting when pages arrive
        #expect(slot.deadline(watchdog: watchdog) == at(35))
        slot.take(["c"], now: at(6))  // a busy one does not
        #expect(slot.deadline(watchdog: watchdog) == at(35))
        _ = slot.pagesToSend()
        _ = slot.answered(now: at(20))
        #expect(slot.deadline(watchdog: watchdog) == at(50), "each answer is progress")
    }

    @Test func noWorkerMeansEveryPageLeaves() {
        var slot = WorkerSlotState<String>(capacity: 8, now: start)
        slot.take(["a", "b"], now: at(0))
        _ = slot.pagesToSend()
        slot.take(["c"], now: at(0))
        #expect(slot.removeAll() == ["a", "b", "c"])
        #expect(slot.isEmpty && slot.oldestSent == nil && slot.pagesToSend() == [])
    }
}

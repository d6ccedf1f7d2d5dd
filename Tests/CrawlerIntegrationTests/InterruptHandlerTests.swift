import Foundation
import Testing
@testable import crawler

/// The action installed for `signalNumber`, as a number: 0 is SIG_DFL, 1 is SIG_IGN on Linux.
private func installedAction(_ signalNumber: Int32) -> Int {
    var action = sigaction()
    sigaction(signalNumber, nil, &action)
    return unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
}

/// Process-wide signal state, so one test at a time.
@Suite(.serialized) struct InterruptHandlerTests {
    /// After a crawl, Ctrl-C must do what it always does: the handler gives SIGINT and SIGTERM
    /// back their default action at once (no dispatch source installing its handler later).
    @Test func cancellingTheInterruptHandlerRestoresTheDefaultAction() {
        let handler = InterruptHandler {}
        #expect(installedAction(SIGINT) > 1)
        #expect(installedAction(SIGTERM) > 1)
        handler.cancel()
        #expect(installedAction(SIGINT) == 0)
        #expect(installedAction(SIGTERM) == 0)
    }

    /// The first SIGINT runs the interrupt action (once), and the process goes on.
    @Test func theFirstInterruptRunsTheAction() async {
        let interrupted = DispatchSemaphore(value: 0)
        let handler = InterruptHandler { interrupted.signal() }
        kill(getpid(), SIGINT)  // to the process, as Ctrl-C is (pool threads block it)
        let result = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: interrupted.wait(timeout: .now() + 10)) }.start()
        }
        #expect(result == .success)
        handler.cancel()
        #expect(installedAction(SIGINT) == 0)
    }
}

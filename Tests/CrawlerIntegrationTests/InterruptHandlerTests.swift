import Foundation
import Testing
@testable import crawler

/// The action installed for `signalNumber`, as a number: 0 is SIG_DFL, 1 is SIG_IGN on Linux.
private func installedAction(_ signalNumber: Int32) -> Int {
    var action = sigaction()
    sigaction(signalNumber, nil, &action)
    return unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
}

/// After a crawl, Ctrl-C must do what it always does: the handler gives SIGINT and SIGTERM back.
@Test func cancellingTheInterruptHandlerRestoresTheDefaultAction() {
    let handler = InterruptHandler {}
    #expect(installedAction(SIGINT) == 1)
    handler.cancel()
    #expect(installedAction(SIGINT) == 0)
    #expect(installedAction(SIGTERM) == 0)
}

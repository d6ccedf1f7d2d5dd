import Foundation
import Synchronization

/// Turns Ctrl-C (SIGINT) and SIGTERM into cancellation of one task, so a crawl stops cleanly:
/// work in flight is finished or returned to the frontier. A second Ctrl-C exits at once.
final class InterruptHandler {
    private let sources: [any DispatchSourceSignal]
    private let count = SignalCount()

    /// Starts catching the signals; `onInterrupt` runs on the first one.
    init(onInterrupt: @escaping @Sendable () -> Void) {
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            sources.append(source)
        }
        self.sources = sources
        for source in sources {
            source.setEventHandler { [count] in
                let seen = count.value.add(1, ordering: .relaxed).newValue
                if seen == 1 {
                    FileHandle.standardError.write(Data("\nStopping: finishing pages in flight (Ctrl-C again to quit at once)…\n".utf8))
                    onInterrupt()
                } else {
                    exit(130)
                }
            }
            source.resume()
        }
    }

    /// Stops catching the signals and gives them back their default action, so Ctrl-C after
    /// the crawl (during the demo's exports, say) stops the program as usual.
    func cancel() {
        for source in sources { source.cancel() }
        for signalNumber in [SIGINT, SIGTERM] { signal(signalNumber, SIG_DFL) }
    }
}

/// How many interrupt signals arrived; shared with the signal handlers.
private final class SignalCount: Sendable {
    let value = Atomic<Int>(0)
}

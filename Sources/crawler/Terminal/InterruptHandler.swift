import CrawlerSystem
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Turns Ctrl-C (SIGINT) and SIGTERM into cancellation of one task, so a crawl stops cleanly:
/// work in flight is finished or returned to the frontier. A second signal exits at once.
/// Either way the exit status is the shells' 128 + the first signal's number: 130 for Ctrl-C,
/// 143 for SIGTERM (`exitStatus`).
///
/// A plain signal handler and a pipe ("self-pipe"), not a dispatch signal source: libdispatch
/// installs its own handler for a signal source later, on its own thread, so a source could
/// not promise that cancelling gives Ctrl-C back its default action; a `signal` call can.
/// The handler only counts, writes one byte and, the second time, calls `_exit`, which are
/// safe in a signal handler; a thread of ours reads the byte and runs `onInterrupt`.
final class InterruptHandler: Sendable {
    private let readFD: Int32
    private let writeFD: Int32
    private let watcherDone = DispatchSemaphore(value: 0)

    /// Starts catching the signals; `onInterrupt` runs on the first one.
    init(onInterrupt: @escaping @Sendable () -> Void) {
        // Without a pipe (out of descriptors) the handler still counts signals; only the
        // first one's clean stop is lost.
        (readFD, writeFD) = (try? Posix.pipe()) ?? (-1, -1)
        InterruptSignals.arm(writeFD: writeFD)
        for signalNumber in [SIGINT, SIGTERM] { signal(signalNumber, interruptSignalHandler) }
        let (readFD, done) = (readFD, watcherDone)
        let watcher = Thread {
            var byte: UInt8 = 0
            var interrupted = false
            while true {
                // End of file or an error: cancel() closed the pipe.
                guard case .processed(let count)? = try? Posix.read(readFD, into: &byte, count: 1), count > 0 else { break }
                if !interrupted {
                    interrupted = true
                    FileHandle.standardError.write(Data("\nStopping: finishing pages in flight (Ctrl-C again to quit at once)…\n".utf8))
                    onInterrupt()
                }
            }
            done.signal()
        }
        watcher.start()
    }

    /// The first signal caught, if any.
    var signalNumber: Int32? {
        let number = InterruptSignals.first.load(ordering: .sequentiallyConsistent)
        return number > 0 ? number : nil
    }

    /// The status to exit with after the interrupt: 128 + the first signal's number.
    var exitStatus: Int32 { 128 + (signalNumber ?? SIGINT) }

    /// Stops catching the signals and gives them back their default action, so Ctrl-C after
    /// the crawl (during the demo's exports, say) stops the program as usual.
    func cancel() {
        for signalNumber in [SIGINT, SIGTERM] { signal(signalNumber, SIG_DFL) }
        InterruptSignals.disarm()
        close(writeFD)
        if readFD >= 0 { watcherDone.wait() }
        close(readFD)
    }
}

/// What the signal handler may touch: atomics only, set up before it is installed.
private enum InterruptSignals {
    static let count = Atomic<Int>(0)
    static let first = Atomic<Int32>(0)
    static let writeFD = Atomic<Int32>(-1)

    static func arm(writeFD descriptor: Int32) {
        count.store(0, ordering: .sequentiallyConsistent)
        first.store(0, ordering: .sequentiallyConsistent)
        writeFD.store(descriptor, ordering: .sequentiallyConsistent)
    }

    static func disarm() {
        writeFD.store(-1, ordering: .sequentiallyConsistent)
    }
}

/// The handler itself: the first signal is recorded and wakes the watcher thread; the second
/// exits with 128 + the first one's number (130 for Ctrl-C, 143 for SIGTERM, as shells report them).
private func interruptSignalHandler(_ signalNumber: Int32) {
    // The interrupted code may be about to read errno (a Posix call checking for EINTR).
    let savedErrno = errno
    defer { errno = savedErrno }
    _ = InterruptSignals.first.compareExchange(expected: 0, desired: signalNumber, ordering: .sequentiallyConsistent)
    if InterruptSignals.count.add(1, ordering: .sequentiallyConsistent).newValue > 1 {
        _exit(128 + InterruptSignals.first.load(ordering: .sequentiallyConsistent))
    }
    let descriptor = InterruptSignals.writeFD.load(ordering: .sequentiallyConsistent)
    if descriptor >= 0 {
        // write(2) itself, not Posix.write: only async-signal-safe calls here, and no error
        // to build or throw (a full pipe already holds a byte that wakes the watcher).
        var byte: UInt8 = 1
        _ = write(descriptor, &byte, 1)
    }
}

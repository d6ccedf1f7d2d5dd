import Crawler
import CrawlerCore
import Foundation
import Synchronization

/// The progress of a long crawl on standard error: on a terminal, one line redrawn in place a
/// few times a second; otherwise (a log, a pipe) a plain line every few seconds.
final class ProgressLine: Sendable {
    private struct State {
        var lastDraw: ContinuousClock.Instant?
        var drawn = false
    }

    /// Whether anything is printed at all.
    let enabled: Bool
    /// Standard error is a terminal: the line is redrawn in place.
    let onTerminal: Bool
    private let state = Mutex(State())
    private let interval: Duration

    /// A progress line, redrawn on a terminal, printed every 5 seconds elsewhere.
    init(enabled: Bool = true, onTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.enabled = enabled
        self.onTerminal = onTerminal
        interval = onTerminal ? .milliseconds(250) : .seconds(5)
        // In a log, the first line comes after one interval, not at the first page.
        if !onTerminal { state.withLock { $0.lastDraw = .now } }
    }

    /// Redraws the line if a quarter second has passed since the last draw.
    func update(_ progress: CrawlProgress) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let due = state.withLock { state -> Bool in
            if let last = state.lastDraw, now - last < interval { return false }
            state.lastDraw = now
            state.drawn = true
            return true
        }
        guard due else { return }
        let text = Self.text(progress)
        FileHandle.standardError.write(Data((onTerminal ? "\r\u{1B}[K" + text : text + "\n").utf8))
    }

    /// True once an interval has passed since the last time it said so (for callers that print
    /// their own records).
    func isDue() -> Bool {
        let now = ContinuousClock.now
        return state.withLock { state -> Bool in
            if let last = state.lastDraw, now - last < interval { return false }
            state.lastDraw = now
            return true
        }
    }

    /// Erases the line on a terminal so that another message starts on a clean line; the next
    /// update draws it again.
    func clear() {
        guard enabled, onTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// The line: pages done, the queue, transfers really running, hosts busy and waiting.
    static func text(_ progress: CrawlProgress) -> String {
        var text = "\(Formatting.count(progress.pagesDone)) pages, \(Formatting.rate(progress.pagesPerSecond)) pages/s, \(Formatting.count(progress.queued)) queued"
        text += ", \(progress.inFlight) transfers, \(progress.parsing) parsing"
        if progress.archiving > 0 { text += ", \(progress.archiving) archiving" }
        text += ", \(Formatting.count(progress.hostsActive)) hosts (\(Formatting.count(progress.hostsWaiting)) waiting)"
        text += ", \(Formatting.count(progress.errors)) errors, \(Formatting.seconds(progress.elapsedSeconds))"
        return text
    }

    /// Erases the line so the summary starts on a clean line.
    func finish() {
        guard enabled, onTerminal, state.withLock({ $0.drawn }) else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

import Crawler
import CrawlerCore
import Foundation
import Synchronization

/// The live progress line of a long crawl, redrawn in place on standard error a few times a
/// second, and only when standard error is a terminal (never in logs or pipes).
final class ProgressLine: Sendable {
    private struct State {
        var lastDraw: ContinuousClock.Instant?
        var drawn = false
    }

    /// Whether the line is drawn at all (standard error is a terminal).
    let enabled: Bool
    private let state = Mutex(State())
    private static let interval = Duration.milliseconds(250)

    /// A progress line; silent unless standard error is a terminal.
    init(enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.enabled = enabled
    }

    /// Redraws the line if a quarter second has passed since the last draw.
    func update(_ progress: CrawlProgress) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let due = state.withLock { state -> Bool in
            if let last = state.lastDraw, now - last < Self.interval { return false }
            state.lastDraw = now
            state.drawn = true
            return true
        }
        guard due else { return }
        var text = "\(Formatting.count(progress.pagesDone)) pages, \(Formatting.count(progress.queued)) queued"
        text += ", \(Formatting.rate(progress.pagesPerSecond)) pages/s, \(progress.inFlight) in flight, \(Formatting.count(progress.errors)) errors, \(Formatting.seconds(progress.elapsedSeconds))"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    /// Erases the line so the summary starts on a clean line.
    func finish() {
        guard enabled, state.withLock({ $0.drawn }) else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

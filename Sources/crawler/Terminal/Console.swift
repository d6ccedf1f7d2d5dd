import Crawler
import Foundation

/// What the CLI writes for a person, and the plumbing every command shares.
enum Console {
    /// A warning on standard error; the command goes on.
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    /// Runs a crawl session with a live progress line, turning Ctrl-C and SIGTERM into a clean
    /// stop. `stopStatus` is the exit status for an interrupted crawl: 130 after Ctrl-C (SIGINT),
    /// 143 after SIGTERM.
    static func runInterruptibly(_ session: CrawlSession) async throws -> (result: CrawlSession.Result, stopStatus: Int32) {
        let progressLine = ProgressLine()
        // Without a terminal there is no line to draw, so the crawl is not asked for progress.
        let draw: @Sendable (CrawlProgress) -> Void = { progressLine.update($0) }
        let progress = progressLine.enabled ? draw : nil
        var session = session
        if session.notice == nil { session.notice = { warn($0) } }
        let task = Task { [session] in try await session.run(progress: progress) }
        let interrupts = InterruptHandler { task.cancel() }
        defer { interrupts.cancel() }
        do {
            let result = try await task.value
            progressLine.finish()
            return (result, interrupts.exitStatus)
        } catch {
            progressLine.finish()
            throw error
        }
    }
}

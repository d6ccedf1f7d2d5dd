import Crawler
import Foundation
import Logging

/// What the CLI writes for a person, and the plumbing every command shares.
enum Console {
    /// A warning on standard error; the command goes on.
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    /// Runs a crawl session with its progress on standard error as `output` says, turning
    /// Ctrl-C and SIGTERM into a clean stop. `stopStatus` is the exit status for an interrupted
    /// crawl: 130 after Ctrl-C (SIGINT), 143 after SIGTERM.
    static func runInterruptibly(_ session: CrawlSession, output: CrawlOutput = CrawlOutput()) async throws -> (result: CrawlSession.Result, stopStatus: Int32) {
        var session = session
        if session.notice == nil { session.notice = { message in if !output.quiet { warn(message) } } }
        return try await runInterruptibly(output: output) { [session] progress, failure in
            try await session.run(progress: progress, failure: failure)
        }
    }

    /// Runs a crawl (any store's session) with the progress display `output` asks for,
    /// cancelling it on Ctrl-C or SIGTERM; returns its result and the exit status a stop means.
    static func runInterruptibly(
        output: CrawlOutput,
        _ run: @escaping @Sendable ((@Sendable (CrawlProgress) -> Void)?, (@Sendable (PageFailure) -> Void)?) async throws -> CrawlSession.Result
    ) async throws -> (result: CrawlSession.Result, stopStatus: Int32) {
        let reporter = CrawlReporter(output: output)
        let task = Task { try await run(reporter.progress, reporter.failure) }
        let interrupts = InterruptHandler { task.cancel() }
        defer { interrupts.cancel() }
        do {
            let result = try await task.value
            reporter.finish()
            return (result, interrupts.exitStatus)
        } catch {
            reporter.finish()
            throw error
        }
    }
}

/// What a running crawl reports on standard error: the progress line (text) or progress
/// records (JSON) every few seconds, and with `--verbose` or JSON each failed page.
struct CrawlReporter: Sendable {
    private let line: ProgressLine?
    private let ticks: ProgressLine?
    private let logger: Logger?
    private let reportsFailures: Bool

    init(output: CrawlOutput) {
        switch (output.quiet, output.format) {
        case (true, _):
            (line, ticks, logger) = (nil, nil, nil)
        case (false, .text):
            (line, ticks, logger) = (ProgressLine(), nil, LogHandlers.text(label: "crawler"))
        case (false, .json):
            // Records every 5 seconds, whether or not standard error is a terminal.
            (line, ticks, logger) = (nil, ProgressLine(onTerminal: false), LogHandlers.json(label: "crawler"))
        }
        reportsFailures = !output.quiet && (output.verbose || output.format == .json)
    }

    /// The progress callback for the pipeline; nil when nothing is shown.
    var progress: (@Sendable (CrawlProgress) -> Void)? {
        if let line { return { line.update($0) } }
        guard let ticks, let logger else { return nil }
        return { progress in
            guard ticks.isDue() else { return }
            logger.info("progress", metadata: [
                "pages": "\(progress.pagesDone)", "pagesPerSecond": .stringConvertible(progress.pagesPerSecond),
                "queued": "\(progress.queued)", "transfers": "\(progress.inFlight)", "parsing": "\(progress.parsing)", "archiving": "\(progress.archiving)",
                "hostsActive": "\(progress.hostsActive)", "hostsWaiting": "\(progress.hostsWaiting)",
                "errors": "\(progress.errors)", "elapsedSeconds": .stringConvertible(progress.elapsedSeconds),
            ])
        }
    }

    /// The failed-page callback; nil unless failures are reported.
    var failure: (@Sendable (PageFailure) -> Void)? {
        guard reportsFailures, let logger else { return nil }
        let line = line
        return { failure in
            line?.clear()
            logger.warning("page failed", metadata: ["kind": "\(failure.kind)", "url": "\(failure.url)", "reason": "\(failure.message)"])
        }
    }

    /// Erases the progress line before the summary.
    func finish() { line?.finish() }
}

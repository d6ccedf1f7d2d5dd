import ArgumentParser

/// How much a crawl says while it runs, and in which form (`crawl` and `demo`).
struct OutputArguments: ParsableArguments {
    @Flag(help: "No progress and no per-page messages; at the end, only the one-line result.")
    var quiet = false

    @Flag(help: "Also report every page that failed or was skipped, as it happens (on standard error).")
    var verbose = false

    @Option(name: .customLong("log-format"), help: "Progress and messages on standard error as text (a line redrawn on a terminal, a line every 5 s elsewhere) or json (JSON lines: one record per progress tick and per failed page).")
    var logFormat: LogFormat = .text

    func validate() throws {
        if quiet, verbose { throw ValidationError("--quiet and --verbose contradict each other; pick one") }
    }

    /// The choice these flags describe.
    var output: CrawlOutput { CrawlOutput(quiet: quiet, verbose: verbose, format: logFormat) }
}

/// What a crawl writes while it runs (`OutputArguments` as values).
struct CrawlOutput: Sendable {
    var quiet = false
    var verbose = false
    var format: LogFormat = .text
}

/// The form of what a crawl writes on standard error while it runs.
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

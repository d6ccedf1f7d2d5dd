import ArgumentParser
import CrawlerCore

/// The parse phase's flags, shared by `crawl`, `demo` and `bench`.
struct ParseArguments: ParsableArguments {
    @Option(name: .customLong("parse"), help: "Where parsing runs: inline, threads or processes.")
    var model: ParseModel = ParseOptions().model

    @Option(name: .customLong("parse-workers"), help: "Parser threads or worker processes (default: one per core).")
    var workers: Int = ParseOptions().workers

    @Option(name: .customLong("parse-timeout"), help: "Seconds of CPU time a worker may spend on one page before it is replaced (a worker silent for 3x as long, and at least 30 s more, is killed).")
    var timeout: Double = ParseOptions().timeoutSeconds

    func validate() throws {
        try FlagRange.check(workers, "--parse-workers", in: 1...Self.maximumWorkers, unit: "(4 per core, at least 64)")
        try FlagRange.check(timeout, "--parse-timeout", in: 0.001...FlagRange.maximumSeconds)
    }

    /// The most parse workers (threads or processes) a crawl may start: 4 per core, at least 64.
    /// More only adds memory and context switches: parsing is bound by the cores.
    static var maximumWorkers: Int { max(64, 4 * ProcessInfoCores.activeProcessorCount) }

    /// The options these flags describe.
    var options: ParseOptions {
        var options = ParseOptions()
        options.model = model
        options.workers = workers
        options.timeoutSeconds = timeout
        return options
    }
}

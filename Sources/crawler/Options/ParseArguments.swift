import ArgumentParser
import CrawlerCore

/// The parse phase's flags, shared by `crawl`, `demo` and `bench`.
struct ParseArguments: ParsableArguments {
    @Option(name: .customLong("parse"), help: "Where parsing runs: inline, threads or processes.")
    var model: ParseModel = ParseOptions().model

    @Option(name: .customLong("parse-workers"), help: "Parser threads or worker processes (default: one per core).")
    var workers: Int = ParseOptions().workers

    @Option(name: .customLong("parse-timeout"), help: "Seconds a worker may spend on one page before it is killed and replaced.")
    var timeout: Double = ParseOptions().timeoutSeconds

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--parse-workers must be at least 1") }
        guard timeout > 0 else { throw ValidationError("--parse-timeout must be more than 0 seconds") }
    }

    /// The options these flags describe.
    var options: ParseOptions {
        var options = ParseOptions()
        options.model = model
        options.workers = workers
        options.timeoutSeconds = timeout
        return options
    }
}

import ArgumentParser
import CrawlerParse

/// `crawler worker`: a parse worker process, started by the `processes` parse engine with
/// pipes on stdin and stdout. Hidden: users never run it themselves.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Parse HTML pages framed on stdin; write parsed pages framed on stdout (internal).",
        shouldDisplay: false
    )

    @Option(help: "Cut anchor text longer than this many characters.")
    var maxAnchorTextLength = ParseWorker.Settings().maxAnchorTextLength

    @Option(name: .customLong("memory-limit-mb"), help: "Address-space limit of this worker in MiB (0: none).")
    var memoryLimitMegabytes = ParseWorker.Settings().memoryLimitMegabytes

    @Option(help: "Answers written together (the parent wakes once per batch).")
    var answerBatch = ParseWorker.Settings().answerBatch

    @Option(name: .customLong("answer-delay-ms"), help: "The longest a finished answer waits for its batch, in milliseconds.")
    var answerDelayMilliseconds = ParseWorker.Settings().answerDelayMilliseconds

    @Option(name: .customLong("body-ring-fd"), help: "A descriptor of shared memory the parent puts page bodies in.")
    var bodyRingDescriptor: Int32?

    @Option(name: .customLong("parse-timeout-cpu"), help: "The most CPU time in seconds one page may use before this worker ends itself (0: no limit).")
    var cpuTimeoutSeconds = ParseWorker.Settings().cpuTimeoutSeconds

    @Flag(help: "Honour the test faults (crash, hang, exhaust memory, slow, spin) that tests put in requests.")
    var enableTestHooks = false

    func run() throws {
        var settings = ParseWorker.Settings()
        settings.maxAnchorTextLength = maxAnchorTextLength
        settings.memoryLimitMegabytes = memoryLimitMegabytes
        settings.enableTestHooks = enableTestHooks
        settings.answerBatch = answerBatch
        settings.answerDelayMilliseconds = answerDelayMilliseconds
        settings.bodyRingDescriptor = bodyRingDescriptor
        settings.cpuTimeoutSeconds = cpuTimeoutSeconds
        let status = ParseWorker.run(settings)
        if status != 0 { throw ExitCode(status) }
    }
}

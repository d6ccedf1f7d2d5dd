import CrawlerCore

/// Where a crawl's time went, measured, not guessed: CPU seconds by stage from the kernel's
/// clocks, waiting summed over pages by cause, and the stage that bounds the crawl named from
/// how busy each one was. CPU is CPU and waiting is waiting: a page that waited 50 ms for the
/// network used none of a core meanwhile.
public struct TimeAccounting: Sendable, Hashable, Codable {
    /// CPU of the fetch engine's threads (`fetch-…`: libcurl, TLS, decompression).
    public var fetchCPU = 0.0
    /// CPU of parsing: the parse threads, or the worker processes and their drivers, or the
    /// inline calls.
    public var parseCPU = 0.0
    /// Of `parseCPU`, the part used in worker processes.
    public var parseWorkersCPU = 0.0
    /// CPU of the store's writer running the commits' statements.
    public var storeCPU = 0.0
    /// The rest of this process: the scheduler, the tasks, robots.txt, the progress line.
    public var otherCPU = 0.0

    /// Summed over transfers: waiting for the network (every hop's transfer time).
    public var networkWait = 0.0
    /// Summed over pages: inside the fetch but not transferring (a redirect hop or a retry
    /// waiting its host's turn, a back-off, robots.txt fetched again).
    public var fetchPolitenessWait = 0.0
    /// Summed over pages: claimed into the scheduler's window until the fetch started (its
    /// host's turn: delay, Crawl-delay, `--per-host`; or a free transfer slot).
    public var windowWait = 0.0
    /// Summed over pages: the parse's wall time beyond the parse CPU (waiting for a free parser,
    /// handing the page over, IPC).
    public var parseWait = 0.0
    /// Wall time of the commits (they run in the background, one at a time).
    public var storeWall = 0.0

    /// `--fetch-concurrency`.
    public var transferSlots = 1
    /// Parse threads or worker processes (1 inline).
    public var parsers = 1
    /// Cores of the machine.
    public var cores = 1
    /// Wall-clock seconds of the run.
    public var elapsed = 0.0
    /// Summed over pages: a transfer slot held (the fetch's whole wall time).
    public var transferSlotSeconds = 0.0

    /// An empty account.
    public init() {}

    /// CPU of this process and its workers.
    public var totalCPU: Double { fetchCPU + parseCPU + storeCPU + otherCPU }

    /// How busy each stage was, as a fraction of what it could do in the run's wall time.
    public var utilization: [(stage: String, busy: Double)] {
        guard elapsed > 0 else { return [] }
        return [
            ("transfers", transferSlotSeconds / (Double(max(1, transferSlots)) * elapsed)),
            ("parsing", parseCPU / (Double(max(1, min(parsers, cores))) * elapsed)),
            ("the store", storeWall / elapsed),
            (Self.cpuStage, totalCPU / (Double(max(1, cores)) * elapsed)),
        ]
    }

    /// The name of the whole CPU among `utilization`'s stages (the others are the pipeline's).
    public static let cpuStage = "the CPU"

    /// How busy a stage must be to bound the crawl: below, the crawl waited on politeness or
    /// ran short of queued URLs.
    public static let saturated = 0.8

    /// The stage that bounds a crawl whose stages were this busy (`utilization`'s, or medians
    /// of several runs'): the busiest of transfers, parsing and the store when it was saturated
    /// (parse CPU is part of the CPU, so naming the stage says more than naming the cores);
    /// else the CPU when it was; else none (nil).
    public static func bounding(_ stages: [(stage: String, busy: Double)]) -> (stage: String, busy: Double)? {
        if let stage = stages.filter({ $0.stage != cpuStage }).max(by: { $0.busy < $1.busy }), stage.busy >= saturated { return stage }
        if let cpu = stages.first(where: { $0.stage == cpuStage }), cpu.busy >= saturated { return cpu }
        return nil
    }

    /// The stage that bounds the crawl, in a sentence (`bounding`), or, when none was
    /// saturated, the busiest and how busy it was.
    public var bound: String {
        let stages = utilization
        guard let busiest = stages.max(by: { $0.busy < $1.busy }) else { return "nothing measured" }
        guard let bounding = Self.bounding(stages) else {
            return "no stage was saturated (the busiest, \(busiest.stage), \(Formatting.percent(busiest.busy, of: 1)) of its capacity): the crawl waited on politeness, for queued URLs, or for cores other processes were using"
        }
        let percent = Formatting.percent(bounding.busy, of: 1)
        switch bounding.stage {
        case "transfers": return "transfers: the \(transferSlots) slots of --fetch-concurrency were busy \(percent) of the time; more in flight would go faster if the hosts allow it"
        case "parsing": return "parsing: \(min(parsers, cores)) parser(s) busy \(percent) of the time"
        case "the store": return "the store: its writer was busy \(percent) of the time"
        default: return "the CPU: \(cores) cores busy \(percent) of the time (fetching, parsing and the rest together)"
        }
    }
}

/// A reading of the CPU clocks the accounting compares: this process, its fetch and parse
/// threads (named `fetch-…`, `parse-…`), and the parse worker processes.
struct StageCPU {
    var process: Double
    var fetchThreads: Double
    var parseThreads: Double
    var workers: Double

    /// Reads the clocks now.
    init(parser: any PageParser) {
        process = CPUTime.process()
        fetchThreads = CPUTime.threads(namedWithPrefix: "fetch-")
        parseThreads = CPUTime.threads(namedWithPrefix: "parse-")
        // Workers running now, plus those that ended and were waited for (replaced ones).
        workers = CPUTime.processes(parser.workerProcessIDs) + CPUTime.endedChildren()
    }
}

extension TimeAccounting {
    /// Fills in the CPU by stage between two readings; `parseCPU` already holds the inline
    /// parse calls' CPU (summed per page) and `storeCPU` the commits'; `parseWait` holds the
    /// summed parse wall time, from which the parse CPU is taken off.
    mutating func measureCPU(from start: StageCPU, to end: StageCPU) {
        fetchCPU = max(0, end.fetchThreads - start.fetchThreads)
        let parseThreads = max(0, end.parseThreads - start.parseThreads)
        parseWorkersCPU = max(0, end.workers - start.workers)
        let inlineParse = parseCPU
        parseCPU = inlineParse + parseThreads + parseWorkersCPU
        otherCPU = max(0, end.process - start.process - fetchCPU - parseThreads - inlineParse - storeCPU)
        parseWait = max(0, parseWait - parseCPU)
        cores = ProcessInfoCores.activeProcessorCount
    }
}

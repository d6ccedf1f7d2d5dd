import CrawlerCore
import CrawlerParse
import Foundation
import SAXCeiling

#if canImport(Glibc)
import Glibc
#endif

/// What one parse benchmark run measured.
public struct ParseBenchmarkResult: Sendable, Hashable, Codable {
    /// What ran: `inline`, `threads`, `processes`, `processes-pipes` (processes with every
    /// body sent down the pipe, no shared ring), a ceiling (`c-sax`, `c-push`, `c-tree`), or
    /// bare threads (`c-push` or `extractor` at more than one worker: `ParseBenchmark.runBare`).
    public var engine: String
    /// Threads or worker processes (1 for inline and the single-threaded C ceilings).
    public var workers: Int
    /// Pages parsed per pass.
    public var pages: Int
    /// Body bytes per pass.
    public var bytes: Int
    /// Links found per pass (for the ceilings: raw hrefs collected).
    public var links: Int
    /// Wall-clock seconds of the best pass.
    public var wallSeconds: Double
    /// User + system CPU seconds of the best pass: this process plus its worker processes.
    public var cpuSeconds: Double
    /// For `processes`: the part of `cpuSeconds` spent in this process (the drivers that feed
    /// the workers and decode their answers, and the tasks waiting for them); the rest is
    /// the workers'.
    public var parentCPUSeconds: Double?
    /// Body megabytes (10^6 bytes) parsed per wall second.
    public var megabytesPerSecond: Double { Double(bytes) / 1e6 / max(wallSeconds, 1e-9) }
    /// Pages parsed per wall second.
    public var pagesPerSecond: Double { Double(pages) / max(wallSeconds, 1e-9) }
    /// CPU microseconds per page.
    public var cpuMicrosecondsPerPage: Double { cpuSeconds / Double(max(pages, 1)) * 1e6 }
    /// `parentCPUSeconds` per page, in microseconds.
    public var parentCPUMicrosecondsPerPage: Double? { parentCPUSeconds.map { $0 / Double(max(pages, 1)) * 1e6 } }
    /// For `processes`: wall microseconds per page of a round trip to a worker without parsing
    /// (the body out through the shared ring, or the pipe for `processes-pipes`, its request
    /// frame down the pipe, an empty answer back), at `workers` workers.
    public var ipcMicrosecondsPerPage: Double?
}

/// The parse phase alone over a corpus held in memory, link resolution and normalization
/// included. Inline runs on one thread page after page; threads and processes are fed by
/// `feederTasks` tasks at once, which keeps their workers busy; the tasks prefer the engine's
/// `preferredTaskExecutor`, as the crawl's page tasks do. Each figure is the best of `passes` passes
/// after one warm-up pass (which also starts the worker processes).
public enum ParseBenchmark {
    /// The engine name of a processes run whose bodies all go down the pipes.
    public static let pipesOnlyEngine = "processes-pipes"
    /// The engine name of a processes run whose feeding tasks run on Swift's global pool,
    /// not on the drivers' executor: what the executor earns.
    public static let globalPoolEngine = "processes-pool"

    /// Measures one engine; for processes with `sharedBodies` false, with every body sent
    /// down the pipes instead of through the shared ring (`pipesOnlyEngine`), and with
    /// `onDrivers` false, with the feeding tasks on Swift's global pool (`globalPoolEngine`).
    public static func run(model: ParseModel, workers: Int, corpus: ParseCorpus, passes: Int = 3, options: ParseOptions = ParseOptions(), workerExecutable: URL? = nil, sharedBodies: Bool = true, onDrivers: Bool = true) async throws -> ParseBenchmarkResult {
        var options = options
        options.model = model
        options.workers = model == .inline ? 1 : workers
        let engine: any ParseEngine
        if model == .processes, !sharedBodies {
            var configuration = ProcessParseEngine.Configuration(options: options)
            if let workerExecutable { configuration.executablePath = workerExecutable.path }
            configuration.sharedBodyBytes = 0
            engine = try ProcessParseEngine(configuration)
        } else {
            engine = try makeParseEngine(options, workerExecutable: workerExecutable)
        }
        var best: (wall: Double, cpu: Double, parentCPU: Double, links: Int)?
        var ipc: Double?
        let executor = onDrivers ? engine.preferredTaskExecutor : nil
        _ = await parseAll(corpus.jobs, engine: engine, on: executor)  // warm-up
        for _ in 0..<max(1, passes) {
            let workerPIDs = (engine as? ProcessParseEngine)?.workerProcessIDs ?? []
            let cpuBefore = cpuSeconds(including: workerPIDs)
            let parentCPUBefore = cpuSeconds(including: [])
            let start = ContinuousClock.now
            let links = await parseAll(corpus.jobs, engine: engine, on: executor)
            let wall = seconds(ContinuousClock.now - start)
            let cpu = cpuSeconds(including: workerPIDs) - cpuBefore
            let parentCPU = cpuSeconds(including: []) - parentCPUBefore
            if best == nil || wall < best!.wall { best = (wall, cpu, parentCPU, links) }
        }
        if let processes = engine as? ProcessParseEngine {
            for _ in 0..<max(1, passes) {
                let start = ContinuousClock.now
                _ = await feed(corpus.jobs, on: executor) { job in
                    await processes.roundTrip(job)
                    return 0
                }
                let perPage = seconds(ContinuousClock.now - start) / Double(max(1, corpus.jobs.count)) * 1e6
                ipc = min(ipc ?? perPage, perPage)
            }
        }
        await engine.shutdown()
        let name =
            if model == .processes, !sharedBodies { pipesOnlyEngine }
            else if model == .processes, !onDrivers { globalPoolEngine }
            else { model.rawValue }
        return ParseBenchmarkResult(
            engine: name, workers: options.workers, pages: corpus.jobs.count, bytes: corpus.byteCount, links: best!.links,
            wallSeconds: best!.wall, cpuSeconds: best!.cpu, parentCPUSeconds: model == .processes ? best!.parentCPU : nil,
            ipcMicrosecondsPerPage: ipc)
    }

    /// The libxml2 variants a ceiling can run.
    public enum CeilingVariant: String, CaseIterable, Sendable {
        /// The SAX pull parser (`htmlParseDocument` with SAX callbacks).
        case sax = "c-sax"
        /// The SAX push parser (`htmlParseChunk`): what `LinkExtractor` uses, so the ceiling it is held to.
        case push = "c-push"
        /// libxml2's tree (`htmlCtxtReadMemory`) walked for the same attributes.
        case tree = "c-tree"
    }

    /// Plain C driving libxml2 over the same corpus, collecting raw hrefs only: the speed a
    /// Swift extractor on one core is measured against. Its `links` counts every raw href,
    /// `mailto:` and `javascript:` included, so it is higher than the engines'.
    public static func runCeiling(_ variant: CeilingVariant = .sax, corpus: ParseCorpus, passes: Int = 3) -> ParseBenchmarkResult {
        let bodies = corpus.jobs.map { job -> UnsafeMutablePointer<UInt8> in
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, job.body.count))
            copy.initialize(from: job.body, count: job.body.count)
            return copy
        }
        defer { for body in bodies { body.deallocate() } }
        let pointers: [UnsafePointer<UInt8>?] = bodies.map { UnsafePointer($0) }
        let lengths = corpus.jobs.map { $0.body.count }
        var best: (wall: Double, cpu: Double, links: Int)?
        for pass in 0...max(1, passes) {
            let cpuBefore = cpuSeconds(including: [])
            let start = ContinuousClock.now
            let result: sax_ceiling_result = pointers.withUnsafeBufferPointer { bodiesBuffer in
                lengths.withUnsafeBufferPointer { lengthBuffer in
                    switch variant {
                    case .sax: sax_ceiling_run_sax(bodiesBuffer.baseAddress, lengthBuffer.baseAddress, corpus.jobs.count)
                    case .push: sax_ceiling_run_push(bodiesBuffer.baseAddress, lengthBuffer.baseAddress, corpus.jobs.count)
                    case .tree: sax_ceiling_run_tree(bodiesBuffer.baseAddress, lengthBuffer.baseAddress, corpus.jobs.count)
                    }
                }
            }
            let wall = seconds(ContinuousClock.now - start)
            let cpu = cpuSeconds(including: []) - cpuBefore
            if pass > 0, best == nil || wall < best!.wall { best = (wall, cpu, result.hrefs) }  // pass 0 warms up
        }
        return ParseBenchmarkResult(
            engine: variant.rawValue, workers: 1, pages: corpus.jobs.count, bytes: corpus.byteCount, links: best!.links,
            wallSeconds: best!.wall, cpuSeconds: best!.cpu, ipcMicrosecondsPerPage: nil)
    }

    /// The whole matrix: the C ceilings, then the bare threads (`runBare`) at each worker count
    /// above 1, then each engine at each worker count, then processes without the shared ring
    /// (`pipesOnlyEngine`) and with their tasks on the global pool (`globalPoolEngine`) at each
    /// count above 1.
    public static func runAll(corpus: ParseCorpus, workerCounts: [Int] = [1, 2, 4], passes: Int = 3, workerExecutable: URL? = nil) async throws -> [ParseBenchmarkResult] {
        var results = CeilingVariant.allCases.map { runCeiling($0, corpus: corpus, passes: passes) }
        results.append(try await run(model: .inline, workers: 1, corpus: corpus, passes: passes))
        for work in BareWork.allCases {
            for threads in workerCounts where threads > 1 {
                results.append(runBare(work, threads: threads, corpus: corpus, passes: passes))
            }
        }
        for model in [ParseModel.threads, .processes] {
            for workers in workerCounts {
                results.append(try await run(model: model, workers: workers, corpus: corpus, passes: passes, workerExecutable: workerExecutable))
            }
        }
        for workers in workerCounts where workers > 1 {
            results.append(try await run(model: .processes, workers: workers, corpus: corpus, passes: passes, workerExecutable: workerExecutable, sharedBodies: false))
        }
        for workers in workerCounts where workers > 1 {
            results.append(try await run(model: .processes, workers: workers, corpus: corpus, passes: passes, workerExecutable: workerExecutable, onDrivers: false))
        }
        return results
    }

    /// A Markdown table of results, with speed relative to the inline engine and to the C
    /// ceiling on the same libxml2 parser as the extractor (push SAX).
    public static func markdownTable(_ results: [ParseBenchmarkResult]) -> String {
        let inline = results.first { $0.engine == "inline" }
        let ceiling = results.first { $0.engine == CeilingVariant.push.rawValue }
        var lines = [
            "| engine | workers | MB/s | pages/s | links/pass | CPU µs/page | vs inline | vs C push SAX | IPC µs/page |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for result in results {
            let vsInline = inline.map { String(format: "%.2fx", result.pagesPerSecond / $0.pagesPerSecond) } ?? "-"
            let vsCeiling = ceiling.map { String(format: "%.0f%%", result.pagesPerSecond / $0.pagesPerSecond * 100) } ?? "-"
            let ipc = result.ipcMicrosecondsPerPage.map { String(format: "%.0f", $0) } ?? "-"
            var cpu = String(format: "%.0f", result.cpuMicrosecondsPerPage)
            if let parent = result.parentCPUMicrosecondsPerPage { cpu += String(format: " (parent %.0f)", parent) }
            lines.append(String(format: "| %@ | %d | %.1f | %.0f | %d | %@ | %@ | %@ | %@ |", result.engine, result.workers, result.megabytesPerSecond, result.pagesPerSecond, result.links, cpu, vsInline, vsCeiling, ipc))
        }
        return lines.joined(separator: "\n")
    }

    /// How many tasks feed a pool engine at once: as many as the crawl's default number of
    /// pages in flight, each taking the next page as soon as its last one is parsed.
    public static let feederTasks = 64

    /// Parses every job; returns the number of links found. Inline runs one page after
    /// another on this task. The pools are fed by `feederTasks` tasks, as the crawl feeds
    /// them from its pages in flight (not by one task per page of the corpus, whose creation
    /// and bookkeeping would be measured with the engine).
    private static func parseAll(_ jobs: [ParseJob], engine: any ParseEngine, on executor: (any TaskExecutor)?) async -> Int {
        if engine.model == .inline {
            var links = 0
            for job in jobs { links += (try? await engine.parse(job).get())?.links.count ?? 0 }
            return links
        }
        return await feed(jobs, on: executor) { job in (try? await engine.parse(job).get())?.links.count ?? 0 }
    }

    /// Runs `body` on every job from `feederTasks` tasks, each taking the next job when its
    /// last is done; returns the sum of what `body` returned. The tasks prefer `executor`,
    /// as the crawl's page tasks prefer their parse engine's.
    private static func feed(_ jobs: [ParseJob], on executor: (any TaskExecutor)? = nil, _ body: @escaping @Sendable (ParseJob) async -> Int) async -> Int {
        let next = SharedCounter()
        return await withTaskGroup(of: Int.self) { group in
            for _ in 0..<min(feederTasks, jobs.count) {
                group.addTask(executorPreference: executor) {
                    var total = 0
                    while case let index = next.takeNext(), index < jobs.count { total += await body(jobs[index]) }
                    return total
                }
            }
            return await group.reduce(0, +)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// CPU seconds of this process (`getrusage`) and of the given child processes
    /// (`ProcessMeter.cpuSeconds(ofProcesses:)`) so far.
    static func cpuSeconds(including children: [pid_t]) -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let own = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return own + ProcessMeter.cpuSeconds(ofProcesses: children)
    }
}

import Crawler
import CrawlerCore
import Foundation
import SyntheticWeb

/// The report's conclusion, derived from its figures and nothing else: the same figures give
/// the same sentences, other figures other sentences (a test checks the advice flips).
public enum Conclusions {
    /// Within this ratio two settings are called level.
    static let levelRatio = 1.05

    /// The corpus the docs sentences are about; every other corpus (mixed, given) is the main one.
    static let docsCorpus = SiteProfile.docs.rawValue

    /// The conclusion sentences: a warning when the machine was busy, fetch, parse, end to end
    /// (on the mixed web or the given pages), processes against threads on documentation pages,
    /// then the advice for this machine.
    public static func derive(fetch: [FetchRow], parse: [ParseRow], crawl: [CrawlRow], cores: Int, loadAverage: Double? = nil) -> [String] {
        var sentences: [String] = []
        let docsParse = parse.filter { $0.corpus == docsCorpus }
        let docsCrawl = crawl.filter { $0.corpus == docsCorpus }
        let parse = parse.filter { $0.corpus != docsCorpus }
        let crawl = crawl.filter { $0.corpus != docsCorpus }
        if let loadAverage, loadAverage > Double(cores) / 2, !(fetch.isEmpty && parse.isEmpty && crawl.isEmpty && docsParse.isEmpty && docsCrawl.isEmpty) {
            sentences.append("Caution: the machine was already busy when the bench started (load \(String(format: "%.1f", loadAverage)) on \(cores) cores); other work shared the cores, so these figures understate each model and may rank the CPU-bound ones differently. Run it again on an idle machine.")
        }
        let fetchChoice = fetchConclusion(fetch, into: &sentences)
        let parseChoice = parseConclusion(parse, cores: cores, into: &sentences)
        crawlConclusion(crawl, into: &sentences)
        docsConclusion(parse: docsParse, crawl: docsCrawl, cores: cores, into: &sentences)
        var advice: [String] = []
        if let fetchChoice { advice.append("fetch with \(fetchChoice)") }
        if let parseChoice { advice.append("parse with \(parseChoice)") }
        if !advice.isEmpty { sentences.append("On this machine: " + advice.joined(separator: ", ") + ".") }
        return sentences
    }

    // MARK: - Fetch

    /// Sentences about the fetch rows; returns the advised setting ("async at 256 in flight (at
    /// 50 ms latency)").
    static func fetchConclusion(_ rows: [FetchRow], into sentences: inout [String]) -> String? {
        guard !rows.isEmpty else { return nil }
        // The I/O-bound case is the highest latency measured; given URLs have one unknown latency.
        let latency = rows.compactMap(\.latencyMs).max()
        let atLatency = rows.filter { $0.latencyMs == latency }
        guard let best = atLatency.max(by: { $0.pagesPerSecond.median < $1.pagesPerSecond.median }) else { return nil }
        let condition = latency.map { "At \($0) ms latency" } ?? "On the given URLs"
        var sentence = "\(condition), \(best.model) reached \(rate(best.pagesPerSecond.median)) pages/s at \(best.inFlight) in flight on \(Int(best.threads.median)) thread\(best.threads.median == 1 ? "" : "s")"
        var choice = best.model
        let rivals = atLatency.filter { $0.model != best.model && $0.model != .sequential && $0.inFlight == best.inFlight }
        if let rival = rivals.max(by: { $0.pagesPerSecond.median < $1.pagesPerSecond.median }) {
            let ratio = best.pagesPerSecond.median / max(rival.pagesPerSecond.median, 1e-9)
            let cpu = best.cpuSecondsPer1000Pages.median / max(rival.cpuSecondsPer1000Pages.median, 1e-9)
            let cpuWords = cpu <= 1 ? "\(percent(1 - cpu)) less CPU per page" : "\(percent(cpu - 1)) more CPU per page"
            if ratio < levelRatio {
                sentence += ", level with \(rival.model) at the same concurrency (\(times(ratio))) and using \(cpuWords)"
                // Level on speed: the cheaper one in CPU is the better choice.
                if cpu > 1 { choice = rival.model }
            } else {
                sentence += ", \(times(ratio)) \(rival.model) at the same concurrency, using \(cpuWords)"
            }
            sentence += " (\(rival.model): \(Int(rival.threads.median)) threads)"
        }
        if let sequential = atLatency.first(where: { $0.model == .sequential }), best.model != .sequential {
            sentence += "; sequential managed \(rate(sequential.pagesPerSecond.median)) pages/s"
        }
        sentences.append(sentence + ".")
        let bestP99 = best.latencyP99Ms.median
        if let latency, latency > 0 {
            sentences.append("There the \(best.model) engine's p99 latency was \(millis(bestP99)) against the server's \(latency) ms: \(bestP99 > 2 * Double(latency) ? "transfers queued on the client" : "the client kept up").")
        }
        if let zero = rows.filter({ $0.latencyMs == 0 }).max(by: { $0.pagesPerSecond.median < $1.pagesPerSecond.median }), latency != 0 {
            sentences.append("With no latency (loopback, so CPU-bound), \(zero.model) was fastest: \(rate(zero.pagesPerSecond.median)) pages/s at \(zero.inFlight) in flight, \(String(format: "%.2f", zero.cpuSecondsPer1000Pages.median)) CPU s per 1,000 pages.")
        }
        let atChoice = atLatency.filter { $0.model == choice }.max { $0.pagesPerSecond.median < $1.pagesPerSecond.median }
        // In-flight advice holds at the latency it was measured at: say which.
        let at = latency.map { " (at \($0) ms latency)" } ?? " (on the given URLs)"
        return "\(choice)\(atChoice.map { " at \($0.inFlight) in flight" } ?? "")\(at)"
    }

    // MARK: - Parse

    /// Sentences about the parse rows; returns the advised setting ("threads at 2 workers").
    static func parseConclusion(_ rows: [ParseRow], cores: Int, into sentences: inout [String]) -> String? {
        guard let inline = rows.first(where: { $0.model == .inline }) else { return nil }
        let parallel = rows.filter { $0.model != .inline }
        guard !parallel.isEmpty else {
            sentences.append("Inline parsing ran at \(rate(inline.pagesPerSecond.median)) pages/s (\(String(format: "%.1f", inline.megabytesPerSecond.median)) MB/s) on one core.")
            return "inline"
        }
        let workers = comparedWorkers(parallel, cores: cores)
        let threads = parallel.first { $0.model == .threads && $0.workers == workers }
        let processes = parallel.first { $0.model == .processes && $0.workers == workers }
        switch (threads, processes) {
        case (let threads?, let processes?):
            let ratio = threads.pagesPerSecond.median / max(processes.pagesPerSecond.median, 1e-9)
            let ipc = processes.ipcMicrosecondsPerPage.map { " and skip the \(micros($0))/page a round trip to a worker costs" } ?? ""
            var sentence = "At \(workers) worker\(workers == 1 ? "" : "s") processes parsed \(times(processes.speedup.median)) inline and threads \(times(threads.speedup.median))"
            if ratio >= 1 / levelRatio, ratio <= levelRatio {
                sentence += ": with no GIL, threads match processes\(ipc)"
            } else if ratio > levelRatio {
                sentence += ": with no GIL, threads beat processes by \(percent(ratio - 1))\(ipc)"
            } else {
                sentence += ": processes beat threads by \(percent(1 / ratio - 1)), round trips to the workers included; Swift has no GIL, so something else holds the threads back on this machine"
            }
            sentences.append(sentence + ".")
        case (let only?, nil), (nil, let only?):
            sentences.append("At \(workers) worker\(workers == 1 ? "" : "s") \(only.model) parsed \(times(only.speedup.median)) inline.")
        case (nil, nil):
            break
        }
        let best = parallel.max { $0.pagesPerSecond.median < $1.pagesPerSecond.median }!
        var sentence = "The fastest parse was \(best.model) at \(best.workers) workers: \(rate(best.pagesPerSecond.median)) pages/s, \(String(format: "%.1f", best.megabytesPerSecond.median)) MB/s, \(times(best.speedup.median)) inline, efficiency \(percent(best.efficiency)) of the ideal \(best.workers)x"
        let oversubscribed = parallel.filter { $0.model == best.model && $0.workers > cores }.max { $0.workers < $1.workers }
        if let oversubscribed, oversubscribed.workers != best.workers {
            sentence += "; \(oversubscribed.workers) workers on \(cores) cores gave \(times(oversubscribed.speedup.median))"
        }
        // Advise the fewest workers of that model that came level with the best: more workers
        // than that only cost memory (and, for processes, start-ups) for noise.
        let enough = parallel.filter { $0.model == best.model && $0.pagesPerSecond.median * levelRatio >= best.pagesPerSecond.median }.min { $0.workers < $1.workers } ?? best
        if enough.workers != best.workers {
            sentence += "; \(enough.workers) worker\(enough.workers == 1 ? "" : "s") came level with it (\(rate(enough.pagesPerSecond.median)) pages/s)"
        }
        sentences.append(sentence + ".")
        if best.speedup.median < levelRatio || enough.speedup.median < levelRatio {
            return "inline (no parallel model beat it here)"
        }
        return "\(best.model) at \(enough.workers) worker\(enough.workers == 1 ? "" : "s")"
    }

    /// The worker count threads and processes are compared at: the largest both measured that
    /// fits the cores.
    static func comparedWorkers(_ parallel: [ParseRow], cores: Int) -> Int {
        let threadWorkers = Set(parallel.filter { $0.model == .threads }.map(\.workers))
        let processWorkers = Set(parallel.filter { $0.model == .processes }.map(\.workers))
        let common = threadWorkers.intersection(processWorkers)
        let fitting = common.filter { $0 <= cores }
        return fitting.max() ?? common.min() ?? parallel.map(\.workers).filter { $0 <= cores }.max() ?? parallel[0].workers
    }

    // MARK: - End to end

    static func crawlConclusion(_ rows: [CrawlRow], into sentences: inout [String]) {
        guard let best = rows.max(by: { $0.pagesPerSecond.median < $1.pagesPerSecond.median }) else { return }
        var sentence = "End to end, \(best.pairing) crawled fastest at \(rate(best.pagesPerSecond.median)) pages/s, \(boundClause(best)), using \(String(format: "%.2f", best.stageCPU.total)) CPU s per 1,000 pages"
        if rows.count > 1 {
            var counts: [String: Int] = [:]
            for row in rows { counts[row.bottleneck, default: 0] += 1 }
            let summary = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) in \($0.value)" }.joined(separator: ", ")
            sentence += "; bound of the \(rows.count) crawls: \(summary)"
        }
        if let slowest = rows.min(by: { $0.pagesPerSecond.median < $1.pagesPerSecond.median }), slowest != best {
            sentence += "; the slowest, \(slowest.pairing), ran at \(rate(slowest.pagesPerSecond.median)) pages/s, \(boundClause(slowest))"
        }
        sentences.append(sentence + ".")
    }

    /// "bound by parsing (busy 97%)", or, when no stage was saturated, what the busiest was.
    /// Where the embedded web's CPU was measured, the CPU's figure includes it, and says so.
    static func boundClause(_ row: CrawlRow) -> String {
        guard let busiest = row.busiest else { return "with no time accounting" }
        let webCounted = row.stageCPU.web != nil
        let cpuNote = webCounted ? ", the embedded web's use included" : ""
        guard let busy = row.busy[row.bottleneck] else {
            guard webCounted, let cpu = row.busy[TimeAccounting.cpuStage] else {
                return "bound by no stage of the crawler (the busiest, \(busiest.stage), was busy \(percent(busiest.busy)): it waited on politeness, for URLs, or for cores other processes used, such as the embedded web's)"
            }
            let busiestPart = busiest.stage == TimeAccounting.cpuStage
                ? "the busiest, the CPU\(cpuNote), was busy \(percent(cpu))"
                : "the busiest, \(busiest.stage), was busy \(percent(busiest.busy)); the CPU\(cpuNote), \(percent(cpu))"
            return "bound by no stage (\(busiestPart)): it waited on politeness, for URLs, or for cores used outside the bench"
        }
        return "bound by \(row.bottleneck) (busy \(percent(busy))\(row.bottleneck == TimeAccounting.cpuStage ? cpuNote : ""))"
    }

    // MARK: - Documentation pages

    /// Processes against threads on the docs corpus: parsing alone at the compared workers, and
    /// end to end for every processes pairing with a threads pairing at the same fetch settings
    /// and workers. Nothing is said where the docs rows lack either model.
    static func docsConclusion(parse: [ParseRow], crawl: [CrawlRow], cores: Int, into sentences: inout [String]) {
        let parallel = parse.filter { $0.model != .inline }
        if !parallel.isEmpty {
            let workers = comparedWorkers(parallel, cores: cores)
            if let threads = parallel.first(where: { $0.model == .threads && $0.workers == workers }),
                let processes = parallel.first(where: { $0.model == .processes && $0.workers == workers })
            {
                let ratio = processes.pagesPerSecond.median / max(threads.pagesPerSecond.median, 1e-9)
                sentences.append("On documentation pages, parsing alone at \(workers) worker\(workers == 1 ? "" : "s"), processes ran at \(times(ratio)) threads (\(verdict(ratio))): processes \(times(processes.speedup.median)) inline, threads \(times(threads.speedup.median)).")
            }
        }
        var clauses: [String] = []
        for processes in crawl where processes.pairing.parseModel == .processes {
            var same = processes.pairing
            same.parseModel = .threads
            guard let threads = crawl.first(where: { $0.pairing == same }) else { continue }
            let ratio = processes.pagesPerSecond.median / max(threads.pagesPerSecond.median, 1e-9)
            clauses.append("\(processes.pairing) ran at \(times(ratio)) \(threads.pairing) (\(verdict(ratio)); \(rate(processes.pagesPerSecond.median)) against \(rate(threads.pagesPerSecond.median)) pages/s)")
        }
        if !clauses.isEmpty { sentences.append("On documentation pages, end to end, " + clauses.joined(separator: "; ") + ".") }
    }

    /// "level", "faster" or "slower" for a ratio, level within `levelRatio`.
    static func verdict(_ ratio: Double) -> String {
        if ratio >= 1 / levelRatio, ratio <= levelRatio { return "level" }
        return ratio > 1 ? "faster" : "slower"
    }

    // MARK: - Words for numbers

    static func rate(_ value: Double) -> String { value >= 100 ? Formatting.count(Int(value.rounded())) : String(format: "%.1f", value) }
    static func times(_ ratio: Double) -> String { String(format: "%.2fx", ratio) }
    static func percent(_ fraction: Double) -> String { String(format: "%.0f%%", fraction * 100) }
    static func millis(_ value: Double) -> String { value >= 10 ? String(format: "%.0f ms", value) : String(format: "%.1f ms", value) }
    static func micros(_ value: Double) -> String { value >= 10 ? String(format: "%.0f µs", value) : String(format: "%.1f µs", value) }
}

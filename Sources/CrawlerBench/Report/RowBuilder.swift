import Crawler
import CrawlerCore

/// Turns raw measurements into report rows: speedups against the inline baseline, IPC cost,
/// the crawl's CPU by stage, its waiting by cause and the stage that bounded it. Pure
/// functions, so tests can feed them figures.
public enum RowBuilder {
    /// Parse rows of one corpus from each setting's runs on it; speedups are against inline at
    /// 1 worker on the same corpus (call once per corpus).
    public static func parseRows(_ measured: [(model: ParseModel, workers: Int, runs: [ParseMeasurement])], corpus: String) -> [ParseRow] {
        let inlineRate = measured.first(where: { $0.model == .inline }).flatMap { Spread($0.runs.map(\.pagesPerSecond))?.median }
        return measured.compactMap { entry in
            guard let first = entry.runs.first, let rate = Spread(entry.runs.map(\.pagesPerSecond)) else { return nil }
            let baseline = inlineRate ?? rate.median
            let speedup = Spread(entry.runs.map { $0.pagesPerSecond / max(baseline, 1e-9) })!
            let ipc = entry.model == .processes ? Spread(entry.runs.compactMap(\.ipcMicrosecondsPerPage))?.median : nil
            return ParseRow(
                corpus: corpus, model: entry.model, workers: entry.workers, pages: first.pages, bytes: first.bytes, pagesPerSecond: rate,
                megabytesPerSecond: Spread(entry.runs.map(\.megabytesPerSecond))!, speedup: speedup,
                efficiency: speedup.median / Double(max(entry.workers, 1)),
                cpuSecondsPer1000Pages: Spread(entry.runs.map { $0.cpuSeconds / Double(max($0.pages, 1)) * 1000 })!,
                ipcMicrosecondsPerPage: ipc, runs: entry.runs)
        }
    }

    /// A crawl row, from each run's own time accounting (`TimeAccounting`): CPU by stage per
    /// 1,000 pages, waiting by cause per page, how busy each stage was, and the stage that bounded
    /// the crawl. Figures are medians over the runs that carry an accounting.
    public static func crawlRow(pairing: CrawlPairing, corpus: String, runs: [CrawlMeasurement]) -> CrawlRow? {
        guard let wall = Spread(runs.map(\.wallSeconds)) else { return nil }
        let accounted = runs.compactMap { run in run.accounting.map { (pages: Double(max(run.pages, 1)), account: $0, web: run.webCPUSeconds) } }
        func median(_ value: (TimeAccounting) -> Double) -> Double { Spread(accounted.map { value($0.account) })?.median ?? 0 }
        // Seconds per 1,000 pages, or (the same number) milliseconds per page.
        func perThousand(_ value: (TimeAccounting) -> Double) -> Double { Spread(accounted.map { value($0.account) / $0.pages * 1000 })?.median ?? 0 }
        // The web's CPU only when every run measured it (a median of some runs would mislead).
        let webPerThousand = accounted.compactMap { run in run.web.map { $0 / run.pages * 1000 } }
        let stageCPU = CrawlStageCPU(
            fetch: perThousand(\.fetchCPU), parse: perThousand(\.parseCPU), parseWorkers: perThousand(\.parseWorkersCPU),
            store: perThousand(\.storeCPU), other: perThousand(\.otherCPU),
            web: webPerThousand.count == accounted.count ? Spread(webPerThousand)?.median : nil)
        let waiting = CrawlWaiting(
            network: perThousand(\.networkWait), hostTurn: perThousand { $0.windowWait + $0.fetchPolitenessWait }, parser: perThousand(\.parseWait))
        var busy: [String: Double] = [:]
        for stage in accounted.first?.account.utilization.map(\.stage) ?? [] {
            busy[stage] = median { account in account.utilization.first { $0.stage == stage }?.busy ?? 0 }
        }
        if stageCPU.web != nil, busy[TimeAccounting.cpuStage] != nil {
            // The cores are the machine's: the embedded web's CPU took them from the crawl too.
            // (Measured over the child's whole life, a little longer than the crawl it divides by.)
            busy[TimeAccounting.cpuStage] = Spread(accounted.filter { $0.account.elapsed > 0 }.map { run in
                (run.account.totalCPU + (run.web ?? 0)) / (Double(max(1, run.account.cores)) * run.account.elapsed)
            })?.median
        }
        let bottleneck = TimeAccounting.bounding(busy.sorted { $0.key < $1.key }.map { (stage: $0.key, busy: $0.value) })?.stage ?? "none"
        return CrawlRow(
            corpus: corpus, pairing: pairing, pages: Spread(runs.map { Double($0.pages) })!, pagesPerSecond: Spread(runs.map(\.pagesPerSecond))!, wallSeconds: wall,
            cpuSecondsPer1000Pages: Spread(runs.map { $0.cpuSeconds / Double(max($0.pages, 1)) * 1000 })!,
            stageCPU: stageCPU, waiting: waiting, busy: busy, bottleneck: bottleneck, runs: runs)
    }
}

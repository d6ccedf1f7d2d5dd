import CrawlerCore

/// Turns raw measurements into report rows: speedups against the inline baseline, IPC cost,
/// the crawl's time split and its bottleneck. Pure functions, so tests can feed them figures.
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

    /// A crawl row. `ipcMicrosecondsPerPage` comes from the parse experiment (nil: not measured,
    /// counted as 0); `cores` bounds how many inline parses can run at once.
    public static func crawlRow(pairing: CrawlPairing, corpus: String, runs: [CrawlMeasurement], ipcMicrosecondsPerPage: Double?, cores: Int) -> CrawlRow? {
        guard let wall = Spread(runs.map(\.wallSeconds)) else { return nil }
        func median(_ values: [Double]) -> Double { Spread(values)?.median ?? 0 }
        let parsed = median(runs.map { Double($0.parsed) })
        let parseTotal = median(runs.map(\.parseSeconds))
        let ipc = pairing.parseModel == .processes ? min(parseTotal, parsed * (ipcMicrosecondsPerPage ?? 0) / 1e6) : 0
        let fetchWait = median(runs.map(\.fetchSeconds))
        let store = median(runs.map(\.storeSeconds))
        // Capacity: transfers in flight for fetch; workers for threads and processes; the
        // concurrency the pipeline gives inline parsing, bounded by the cores it runs on.
        let fetchCapacity = Double(pairing.fetchModel == .sequential ? 1 : pairing.fetchConcurrency)
        let parseCapacity = Double(pairing.parseModel == .inline ? max(1, min(cores, pairing.fetchConcurrency)) : pairing.parseWorkers)
        let seconds = max(wall.median, 1e-9)
        let utilization = [
            "fetch": fetchWait / (fetchCapacity * seconds),
            "parse": parseTotal / (parseCapacity * seconds),
            "store": store / seconds,
        ]
        let bottleneck = utilization.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
        return CrawlRow(
            corpus: corpus, pairing: pairing, pages: Spread(runs.map { Double($0.pages) })!, pagesPerSecond: Spread(runs.map(\.pagesPerSecond))!, wallSeconds: wall,
            fetchWaitSeconds: fetchWait, parseSeconds: parseTotal - ipc, ipcSeconds: ipc, storeSeconds: store,
            cpuSecondsPer1000Pages: Spread(runs.map { $0.cpuSeconds / Double(max($0.pages, 1)) * 1000 })!,
            utilization: utilization, bottleneck: bottleneck, runs: runs)
    }
}

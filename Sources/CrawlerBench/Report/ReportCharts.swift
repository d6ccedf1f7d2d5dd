import CrawlerCore
import SyntheticWeb

/// The report's charts, built from its rows: file name and SVG text.
public enum ReportCharts {
    /// Every chart the report has figures for, in reading order.
    public static func all(_ report: BenchReport) -> [(fileName: String, title: String, svg: String)] {
        var charts: [(String, String, String)] = []
        let latencies = Array(Set(report.fetch.map { $0.latencyMs ?? -1 })).sorted()
        for latency in latencies {
            let rows = report.fetch.filter { ($0.latencyMs ?? -1) == latency }
            let condition = latency < 0 ? "given URLs" : "\(latency) ms latency"
            let title = "Fetch throughput, \(condition)"
            let inFlight = Set(rows.map { Double($0.inFlight) }).sorted()
            let series = FetchModel.allCases.compactMap { model -> LineChart.Series? in
                let measured = rows.filter { $0.model == model }
                let points = measured.map { (x: Double($0.inFlight), y: $0.pagesPerSecond.median) }
                // The sequential engine has one transfer whatever the setting: a reference line.
                if model == .sequential, let rate = points.first?.y {
                    return LineChart.Series(name: "sequential (1 at a time)", points: inFlight.map { (x: $0, y: rate) }, dashed: true, color: SVG.palette[0])
                }
                let ranges = measured.map { (x: Double($0.inFlight), low: $0.pagesPerSecond.min, high: $0.pagesPerSecond.max) }
                return points.isEmpty ? nil : LineChart.Series(name: model.rawValue, points: points, ranges: ranges)
            }
            let chart = LineChart(title: title, xLabel: "transfers in flight", yLabel: "pages/s (median; whiskers: min to max)", logTwoX: true, series: series)
            charts.append((latency < 0 ? "fetch-throughput.svg" : "fetch-throughput-\(latency)ms.svg", title, chart.render()))
        }
        // One chart per corpus: each corpus's speedups are against its own inline. The mixed web's
        // (or the given pages') keeps the file name it always had.
        for corpus in corpora(report.parse.map(\.corpus)) {
            let rows = report.parse.filter { $0.corpus == corpus }
            var series = [ParseModel.threads, .processes].compactMap { model -> LineChart.Series? in
                let measured = rows.filter { $0.model == model }
                let points = measured.map { (x: Double($0.workers), y: $0.speedup.median) }
                let ranges = measured.map { (x: Double($0.workers), low: $0.speedup.min, high: $0.speedup.max) }
                return points.isEmpty ? nil : LineChart.Series(name: model.rawValue, points: points, ranges: ranges)
            }
            let workers = Set(rows.map { Double($0.workers) } + [1]).sorted()
            series.append(LineChart.Series(name: "ideal (= workers)", points: workers.map { (x: $0, y: $0) }, dashed: true, color: "#444444"))
            series.append(LineChart.Series(name: "inline (1x)", points: workers.map { (x: $0, y: 1) }, dashed: true, color: "#aaaaaa"))
            let title = "Parse speedup against inline, \(corpus) corpus"
            let cores = report.machine.cores
            let chart = LineChart(
                title: title, xLabel: "workers (threads or processes)", yLabel: "speedup (x inline, median; whiskers: min to max)", logTwoX: false, series: series,
                mark: (x: Double(cores), label: "\(cores) core\(cores == 1 ? "" : "s")"))
            charts.append((isMain(corpus) ? "parse-speedup.svg" : "parse-speedup-\(corpus).svg", title, chart.render()))
        }
        if !report.crawl.isEmpty {
            // Two charts, each honest about what it ranks: the crawl's speed (pages/s, so the
            // slowest crawl has the shortest bar), and what a page cost in CPU, by stage.
            let labelCorpus = Set(report.crawl.map(\.corpus)).count > 1
            func bar(_ row: CrawlRow, _ segments: [Double]) -> StackedBarChart.Bar {
                // Three short lines (fetch half, parse half, corpus) fit under narrow bars.
                let pairing = row.pairing
                let lines = ["\(pairing.fetchModel):\(pairing.fetchConcurrency)", "+\(pairing.parseModel):\(pairing.parseWorkers)"] + (labelCorpus ? [row.corpus] : [])
                return StackedBarChart.Bar(label: labelCorpus ? "\(row.pairing) on \(row.corpus)" : row.pairing.description, segments: segments, lines: lines)
            }
            let speedTitle = "End-to-end crawl speed"
            let speed = StackedBarChart(
                title: speedTitle, yLabel: "pages/s (median; whiskers: min to max)", segmentNames: ["pages/s"],
                bars: report.crawl.map { row in
                    var speed = bar(row, [row.pagesPerSecond.median])
                    speed.range = (row.pagesPerSecond.min, row.pagesPerSecond.max)
                    return speed
                })
            charts.append(("crawl-throughput.svg", speedTitle, speed.render()))
            // The embedded web's CPU, where measured, as a last segment: the cores it took were
            // the crawl's too (the table gives it apart from the crawler's total).
            let withWeb = report.crawl.contains { $0.stageCPU.web != nil }
            let cpuTitle = withWeb ? "End-to-end CPU per 1,000 pages, by stage, and the embedded web's" : "End-to-end CPU per 1,000 pages, by stage"
            let cpu = StackedBarChart(
                title: cpuTitle, yLabel: "CPU seconds per 1,000 pages",
                segmentNames: ["fetch threads", "parse (crawler process)", "parse (worker processes)", "store writer", "rest of the process"]
                    + (withWeb ? ["embedded web (server)"] : []),
                bars: report.crawl.map { row in
                    let stage = row.stageCPU
                    return bar(row, [stage.fetch, max(0, stage.parse - stage.parseWorkers), stage.parseWorkers, stage.store, stage.other]
                        + (withWeb ? [stage.web ?? 0] : []))
                })
            charts.append(("crawl-cpu-split.svg", cpuTitle, cpu.render()))
        }
        return charts
    }

    /// The corpora named in `names`, in the order first met.
    static func corpora(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }

    /// The corpus whose charts keep their original file names: the mixed web or the given pages.
    static func isMain(_ corpus: String) -> Bool { corpus == SiteProfile.mixed.rawValue || corpus == BenchReport.givenCorpus }
}

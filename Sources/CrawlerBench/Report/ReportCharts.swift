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
                let points = rows.filter { $0.model == model }.map { (x: Double($0.inFlight), y: $0.pagesPerSecond.median) }
                // The sequential engine has one transfer whatever the setting: a reference line.
                if model == .sequential, let rate = points.first?.y {
                    return LineChart.Series(name: "sequential (1 at a time)", points: inFlight.map { (x: $0, y: rate) }, dashed: true, color: SVG.palette[0])
                }
                return points.isEmpty ? nil : LineChart.Series(name: model.rawValue, points: points)
            }
            let chart = LineChart(title: title, xLabel: "transfers in flight", yLabel: "pages/s (median)", logTwoX: true, series: series)
            charts.append((latency < 0 ? "fetch-throughput.svg" : "fetch-throughput-\(latency)ms.svg", title, chart.render()))
        }
        // One chart per corpus: each corpus's speedups are against its own inline. The mixed web's
        // (or the given pages') keeps the file name it always had.
        for corpus in corpora(report.parse.map(\.corpus)) {
            let rows = report.parse.filter { $0.corpus == corpus }
            var series = [ParseModel.threads, .processes].compactMap { model -> LineChart.Series? in
                let points = rows.filter { $0.model == model }.map { (x: Double($0.workers), y: $0.speedup.median) }
                return points.isEmpty ? nil : LineChart.Series(name: model.rawValue, points: [(x: 1, y: 1)].filter { _ in !points.contains { $0.x == 1 } } + points)
            }
            let workers = Set(rows.map { Double($0.workers) } + [1]).sorted()
            series.append(LineChart.Series(name: "ideal (= workers)", points: workers.map { (x: $0, y: $0) }, dashed: true, color: "#444444"))
            series.append(LineChart.Series(name: "inline (1x)", points: workers.map { (x: $0, y: 1) }, dashed: true, color: "#aaaaaa"))
            let title = "Parse speedup against inline, \(corpus) corpus"
            let chart = LineChart(title: title, xLabel: "workers (threads or processes)", yLabel: "speedup (x inline, median)", logTwoX: false, series: series)
            charts.append((isMain(corpus) ? "parse-speedup.svg" : "parse-speedup-\(corpus).svg", title, chart.render()))
        }
        if !report.crawl.isEmpty {
            let title = "End-to-end time split per page"
            let labelCorpus = Set(report.crawl.map(\.corpus)).count > 1
            let bars = report.crawl.map { row in
                let pages = max(row.pages.median, 1)
                // Three short lines (fetch half, parse half, corpus) fit under narrow bars.
                let pairing = row.pairing
                let lines = ["\(pairing.fetchModel):\(pairing.fetchConcurrency)", "+\(pairing.parseModel):\(pairing.parseWorkers)"] + (labelCorpus ? [row.corpus] : [])
                return StackedBarChart.Bar(
                    label: labelCorpus ? "\(row.pairing) on \(row.corpus)" : row.pairing.description,
                    segments: [row.fetchWaitSeconds, row.parseSeconds, row.ipcSeconds, row.storeSeconds].map { $0 / pages * 1000 }, lines: lines)
            }
            let chart = StackedBarChart(title: title, yLabel: "ms per page (summed over pages)", segmentNames: ["fetch wait", "parse", "IPC (estimated)", "store"], bars: bars)
            charts.append(("crawl-time-split.svg", title, chart.render()))
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

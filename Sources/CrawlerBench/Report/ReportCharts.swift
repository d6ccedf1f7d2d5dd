import CrawlerCore

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
        if !report.parse.isEmpty {
            var series = [ParseModel.threads, .processes].compactMap { model -> LineChart.Series? in
                let points = report.parse.filter { $0.model == model }.map { (x: Double($0.workers), y: $0.speedup.median) }
                return points.isEmpty ? nil : LineChart.Series(name: model.rawValue, points: [(x: 1, y: 1)].filter { _ in !points.contains { $0.x == 1 } } + points)
            }
            let workers = Set(report.parse.map { Double($0.workers) } + [1]).sorted()
            series.append(LineChart.Series(name: "ideal (= workers)", points: workers.map { (x: $0, y: $0) }, dashed: true, color: "#444444"))
            series.append(LineChart.Series(name: "inline (1x)", points: workers.map { (x: $0, y: 1) }, dashed: true, color: "#aaaaaa"))
            let title = "Parse speedup against inline"
            let chart = LineChart(title: title, xLabel: "workers (threads or processes)", yLabel: "speedup (x inline, median)", logTwoX: false, series: series)
            charts.append(("parse-speedup.svg", title, chart.render()))
        }
        if !report.crawl.isEmpty {
            let title = "End-to-end time split per page"
            let bars = report.crawl.map { row in
                let pages = max(row.pages.median, 1)
                return StackedBarChart.Bar(
                    label: row.pairing.description,
                    segments: [row.fetchWaitSeconds, row.parseSeconds, row.ipcSeconds, row.storeSeconds].map { $0 / pages * 1000 })
            }
            let chart = StackedBarChart(title: title, yLabel: "ms per page (summed over pages)", segmentNames: ["fetch wait", "parse", "IPC (estimated)", "store"], bars: bars)
            charts.append(("crawl-time-split.svg", title, chart.render()))
        }
        return charts
    }
}

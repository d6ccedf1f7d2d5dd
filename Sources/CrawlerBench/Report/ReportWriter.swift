import Foundation

/// Writes a report's files into a folder: `report.md`, `report.json`, one SVG per chart, `index.html`.
public enum ReportWriter {
    /// Writes every file; returns their URLs, `index.html` last.
    @discardableResult
    public static func write(_ report: BenchReport, to directory: URL) throws -> [URL] {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw BenchError.input("cannot create \(directory.path): \(error.localizedDescription); pass --out a folder you can write to")
        }
        var written: [URL] = []
        func save(_ text: String, _ name: String) throws {
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            written.append(url)
        }
        let charts = ReportCharts.all(report)
        for chart in charts { try save(chart.svg, chart.fileName) }
        try save(MarkdownReport.render(report, chartFiles: charts.map(\.fileName)), "report.md")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try save(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n", "report.json")
        try save(HTMLIndex.render(report, charts: charts.map { ($0.fileName, $0.title) }), "index.html")
        return written
    }
}

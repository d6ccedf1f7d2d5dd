import Foundation

/// `index.html`: the whole report on one page, offline: the machine, every table, the charts
/// and the conclusion (charts referenced by relative path, no external CSS or JavaScript).
public enum HTMLIndex {
    /// The page for `report` with `charts` (file name and title) shown where the report lists them.
    public static func render(_ report: BenchReport, charts: [(fileName: String, title: String)]) -> String {
        var markdown = MarkdownReport.render(report, chartFiles: charts.map(\.fileName))
        // Captions: the charts' titles instead of their file names.
        for chart in charts { markdown = markdown.replacingOccurrences(of: "![\(chart.fileName)](", with: "![\(chart.title)](") }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Crawler bench \(SVG.escape(report.startedAt))</title>
            <style>body{font-family:Helvetica,Arial,sans-serif;max-width:1200px;margin:2em auto;color:#222;line-height:1.45}
            figure{margin:1.5em 0}img{max-width:100%;border:1px solid #ddd}li{margin:.3em 0}
            table{border-collapse:collapse;font-size:13px;margin:1em 0}th,td{border:1px solid #ddd;padding:3px 6px}th{background:#f4f4f4}
            code{background:#f4f4f4;padding:0 3px}</style>
            </head><body>

            """ + MarkdownHTML.render(markdown)
            + "<p>Every figure: <a href=\"report.md\">report.md</a> (the same tables) and <a href=\"report.json\">report.json</a> (raw runs).</p>\n</body></html>\n"
    }
}

/// `index.html`: the conclusion and every chart on one page, offline (charts referenced by
/// relative path, no external CSS or JavaScript).
public enum HTMLIndex {
    /// The page for `report` with `charts` (file name and title) beside it.
    public static func render(_ report: BenchReport, charts: [(fileName: String, title: String)]) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Crawler bench \(SVG.escape(report.startedAt))</title>
            <style>body{font-family:Helvetica,Arial,sans-serif;max-width:980px;margin:2em auto;color:#222;line-height:1.45}
            figure{margin:1.5em 0}img{max-width:100%;border:1px solid #ddd}li{margin:.3em 0}small{color:#666}</style>
            </head><body>
            <h1>Crawler bench: fetching against parsing</h1>
            <p><small>\(SVG.escape(report.startedAt)) · \(report.machine.cores) cores, \(SVG.escape(report.machine.cpuModel)) · \(SVG.escape(report.machine.operatingSystem)) · \(SVG.escape(report.machine.swiftCompiler)) · libcurl \(SVG.escape(report.machine.libcurlVersion)) · libxml2 \(SVG.escape(report.machine.libxml2Version))</small></p>
            <h2>Conclusion</h2>
            <ul>

            """
        for sentence in report.conclusions { html += "<li>\(SVG.escape(sentence))</li>\n" }
        html += "</ul>\n<h2>Charts</h2>\n"
        for chart in charts {
            html += "<figure><img src=\"\(SVG.escape(chart.fileName))\" alt=\"\(SVG.escape(chart.title))\"><figcaption>\(SVG.escape(chart.title))</figcaption></figure>\n"
        }
        html += "<p>Every figure: <a href=\"report.md\">report.md</a> (tables) and <a href=\"report.json\">report.json</a> (raw runs).</p>\n</body></html>\n"
        return html
    }
}

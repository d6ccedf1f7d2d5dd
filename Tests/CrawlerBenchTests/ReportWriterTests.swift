import CrawlerCore
import Foundation
import Testing
@testable import CrawlerBench

@Test func reportWriterWritesEveryFileAndTheJSONRoundTrips() throws {
    let pairing = CrawlPairing(fetchModel: .async, fetchConcurrency: 64, parseModel: .processes, parseWorkers: 2)
    let fetch = Fixtures.fetchRows(asyncRate: 1840, threadsRate: 1400)
    let parse = Fixtures.parseRows(threadsRate: 1950, processesRate: 1900)
    let crawl = [try #require(RowBuilder.crawlRow(pairing: pairing, corpus: "mixed", runs: [Fixtures.crawlMeasurement(wall: 10, slotSeconds: 128, parseCPU: 18, storeWall: 1, workersCPU: 15)]))]
    let report = BenchReport(
        schemaVersion: BenchSchema.version, startedAt: "2026-01-01T00:00:00Z", durationSeconds: 60, machine: .current(), loadAverageAtStart: 0.2, loadAverageAtEnd: 1.5, plan: .quick(cores: 2),
        source: "test figures", isolation: "none", fetch: fetch, parse: parse, crawl: crawl,
        conclusions: Conclusions.derive(fetch: fetch, parse: parse, crawl: crawl, cores: 2))
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-writer-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let files = try ReportWriter.write(report, to: directory).map(\.lastPathComponent)
    #expect(Set(files) == ["fetch-throughput-0ms.svg", "fetch-throughput-50ms.svg", "parse-speedup.svg", "crawl-throughput.svg", "crawl-cpu-split.svg", "report.md", "report.json", "index.html"])
    let decoded = try JSONDecoder().decode(BenchReport.self, from: Data(contentsOf: directory.appendingPathComponent("report.json")))
    #expect(decoded == report)
    let markdown = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
    for section in ["## Machine", "## Fetch alone (I/O-bound)", "## Parse alone (CPU-bound)", "## End to end", "## Conclusion"] { #expect(markdown.contains(section)) }
    let index = try String(contentsOf: directory.appendingPathComponent("index.html"), encoding: .utf8)
    for file in files where file.hasSuffix(".svg") { #expect(index.contains("src=\"\(file)\"")) }
    #expect(!index.contains("http://") && !index.contains("https://"))
    // The page shows the tables too, not only the conclusion: one per experiment and the machine's.
    #expect(index.components(separatedBy: "<table>").count - 1 == 4)
    #expect(index.contains("<th>pairing</th>") && index.contains("<td style=\"text-align:right\">"))
}

@Test func markdownBecomesHTMLForTheReportsSubset() {
    let html = MarkdownHTML.render("""
        # Title
        A line with **bold**, `code` & <angle>.

        | name | value |
        |---|---:|
        | a \\| b | 1 |

        - one
        - two
        ![A chart](chart.svg)
        """)
    #expect(html.contains("<h1>Title</h1>"))
    #expect(html.contains("<p>A line with <strong>bold</strong>, <code>code</code> &amp; &lt;angle&gt;.</p>"))
    #expect(html.contains("<th>name</th><th style=\"text-align:right\">value</th>"))
    #expect(html.contains("<td>a | b</td><td style=\"text-align:right\">1</td>"))
    #expect(html.contains("<ul>\n<li>one</li>\n<li>two</li>\n</ul>"))
    #expect(html.contains("<figure><img src=\"chart.svg\" alt=\"A chart\"></figure>"))
    // A cell with a backslash and a pipe keeps both, through the Markdown table and its HTML.
    let cell = MarkdownHTML.render(MarkdownReport.table(["what"], [[#"C:\dir | x"#]]))
    #expect(cell.contains(#"<td>C:\dir | x</td>"#), "\(cell)")
    // A lone * (a glob) is text, even with a backtick later on the line.
    #expect(MarkdownHTML.render("from /proc/PID/task/*/schedstat, read by `ProcessMeter`")
        == "<p>from /proc/PID/task/*/schedstat, read by <code>ProcessMeter</code></p>\n")
}

@Test func twoCorporaGetACorpusColumnAParseChartEachAndLabelledBars() throws {
    let threads = CrawlPairing(fetchModel: .async, fetchConcurrency: 64, parseModel: .threads, parseWorkers: 2)
    let parse = Fixtures.parseRows(threadsRate: 1950, processesRate: 1900) + Fixtures.parseRows(threadsRate: 600, processesRate: 450, inlineRate: 300, corpus: "docs")
    let crawl = try ["mixed", "docs"].map { corpus in
        try #require(RowBuilder.crawlRow(pairing: threads, corpus: corpus, runs: [Fixtures.crawlMeasurement(wall: 10, slotSeconds: 128, parseCPU: 18, storeWall: 1)]))
    }
    let report = BenchReport(
        schemaVersion: BenchSchema.version, startedAt: "2026-01-01T00:00:00Z", durationSeconds: 60, machine: .current(), loadAverageAtStart: 0.2, loadAverageAtEnd: 1.5, plan: .quick(cores: 2),
        source: "test figures", isolation: "none", fetch: [], parse: parse, crawl: crawl,
        conclusions: Conclusions.derive(fetch: [], parse: parse, crawl: crawl, cores: 2))
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-writer-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let files = try ReportWriter.write(report, to: directory).map(\.lastPathComponent)
    #expect(Set(files) == ["parse-speedup.svg", "parse-speedup-docs.svg", "crawl-throughput.svg", "crawl-cpu-split.svg", "report.md", "report.json", "index.html"])
    let index = try String(contentsOf: directory.appendingPathComponent("index.html"), encoding: .utf8)
    for file in files where file.hasSuffix(".svg") { #expect(index.contains("src=\"\(file)\"")) }

    let markdown = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
    // Fixtures: 200 pages of 25,000 bytes with 30 links each, in both corpora.
    #expect(markdown.contains("Corpus: mixed: 200 pages, 4.8 MiB, 30 links per page; docs: 200 pages, 4.8 MiB, 30 links per page;"))
    #expect(markdown.contains("| corpus | model | workers |"))
    #expect(markdown.contains("| docs | threads | 2 | 600 |"))
    #expect(markdown.contains("| mixed | threads | 2 | 1950 |"))
    #expect(markdown.contains("| corpus | pairing | pages |"))
    #expect(markdown.contains("| docs | async:64+threads:2 | 200 |"))

    for chart in ["crawl-throughput.svg", "crawl-cpu-split.svg"] {
        let bars = try #require(XMLCheck.parse(try String(contentsOf: directory.appendingPathComponent(chart), encoding: .utf8)))
        #expect(bars.texts.contains("async:64+threads:2 on docs") && bars.texts.contains("async:64+threads:2 on mixed"))
    }
    // Speed is pages/s (the fastest has the tallest bar); CPU is CPU seconds per 1,000 pages by stage.
    let speed = try String(contentsOf: directory.appendingPathComponent("crawl-throughput.svg"), encoding: .utf8)
    #expect(speed.contains(">20.0</text>"), "each bar is labelled with its pages/s")
    let cpu = try String(contentsOf: directory.appendingPathComponent("crawl-cpu-split.svg"), encoding: .utf8)
    #expect(cpu.contains("parse (crawler process): 90.000") && cpu.contains("fetch threads: 1.000"))
    #expect(markdown.contains("**parsing** 90%"))
    let docsChart = try #require(XMLCheck.parse(try String(contentsOf: directory.appendingPathComponent("parse-speedup-docs.svg"), encoding: .utf8)))
    #expect(docsChart.texts.contains("Parse speedup against inline, docs corpus"))
}

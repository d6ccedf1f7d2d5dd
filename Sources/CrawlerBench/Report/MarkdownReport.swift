import Crawler
import CrawlerCore
import Foundation

/// `report.md`: the machine, one table per experiment, the conclusion, and how it was measured.
public enum MarkdownReport {
    /// The Markdown text of `report`.
    public static func render(_ report: BenchReport, chartFiles: [String] = []) -> String {
        var lines: [String] = []
        lines.append("# Crawler bench: fetching against parsing")
        lines.append("")
        lines.append("Started \(report.startedAt), took \(Formatting.seconds(report.durationSeconds)). Pages: \(report.source). Each point measured \(report.plan.repeats) time\(report.plan.repeats == 1 ? "" : "s"): median, with min–max in brackets.")
        lines.append("")
        lines.append("## Machine")
        lines.append("")
        let machine = report.machine
        lines.append(table(["what", "value"], [
            ["cores", "\(machine.cores)"], ["CPU", machine.cpuModel], ["memory", Formatting.bytes(Int(clamping: machine.memoryBytes))],
            ["OS", machine.operatingSystem], ["compiler", machine.swiftCompiler], ["build", machine.optimizedBuild ? "release (optimized)" : "debug (figures not comparable with a release build)"],
            ["libcurl", machine.libcurlVersion], ["libxml2", machine.libxml2Version],
            ["load average (1 min) at start / end", [report.loadAverageAtStart, report.loadAverageAtEnd].map { $0.map { String(format: "%.2f", $0) } ?? "-" }.joined(separator: " / ")],
        ], numericFrom: 2))
        if !report.fetch.isEmpty {
            lines.append("## Fetch alone (I/O-bound)")
            lines.append("")
            let rows = report.fetch.map { row in
                [row.latencyMs.map { "\($0) ms" } ?? "-", row.model.rawValue, "\(row.inFlight)", "\(row.urls)", spread(row.pagesPerSecond, 0),
                 fixed(row.latencyP50Ms.median, 1), fixed(row.latencyP90Ms.median, 1), fixed(row.latencyP99Ms.median, 1), fixed(row.latencyMaxMs.median, 1),
                 spread(row.cpuSecondsPer1000Pages, 3), fixed(row.peakRSSMiB.median, 1), "\(Int(row.threads.median))"]
            }
            lines.append(table(["latency", "model", "in flight", "URLs", "pages/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "CPU s / 1,000 pages", "peak RSS MiB", "threads"], rows, numericFrom: 2))
        }
        if !report.parse.isEmpty {
            lines.append("## Parse alone (CPU-bound)")
            lines.append("")
            lines.append("Corpus: " + corpusSummaries(report.parse).joined(separator: "; ") + "; each held in memory, its speedups against its own inline.\n")
            let rows = report.parse.map { row in
                [row.corpus, row.model.rawValue, "\(row.workers)", spread(row.pagesPerSecond, 0), spread(row.megabytesPerSecond, 1), spread(row.speedup, 2),
                 String(format: "%.0f%%", row.efficiency * 100), "\(row.workers)x", spread(row.cpuSecondsPer1000Pages, 3),
                 row.ipcMicrosecondsPerPage.map { fixed($0, 1) } ?? "-"]
            }
            lines.append(table(["corpus", "model", "workers", "pages/s", "MB/s", "speedup", "efficiency", "ideal", "CPU s / 1,000 pages", "IPC µs/page"], rows, numericFrom: 2))
        }
        if !report.crawl.isEmpty {
            lines.append("## End to end (fetch → parse → SQLite)")
            lines.append("")
            let rows = report.crawl.map { row -> [String] in
                let errors = Spread(row.runs.map { Double($0.errors) })?.median ?? 0
                let kinds = (row.runs.first?.errorsByKind ?? [:]).sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                let cpu = row.stageCPU
                let parse = fixed(cpu.parse, 2) + (cpu.parseWorkers > 0 ? " (\(fixed(cpu.parseWorkers, 2)) in workers)" : "")
                let wait = row.waiting
                let bound: String
                if let busy = row.busy[row.bottleneck] {
                    bound = "**\(row.bottleneck)** \(fixed(busy * 100, 0))%"
                } else {
                    bound = row.busiest.map { "none (busiest: \($0.stage) \(fixed($0.busy * 100, 0))%)" } ?? "-"
                }
                return [row.corpus, row.pairing.description, "\(Int(row.pages.median))", "\(Int(errors))\(kinds.isEmpty ? "" : " (\(kinds))")", spread(row.pagesPerSecond, 1), spread(row.wallSeconds, 2),
                        fixed(cpu.fetch, 2), parse, fixed(cpu.store, 2), fixed(cpu.other, 2), fixed(cpu.total, 2), cpu.web.map { fixed($0, 2) } ?? "-",
                        fixed(wait.network, 1), fixed(wait.hostTurn, 1), fixed(wait.parser, 1), bound]
            }
            lines.append(table(["corpus", "pairing", "pages", "errors (kinds of the first run)", "pages/s", "wall s",
                                "CPU fetch", "CPU parse", "CPU store", "CPU rest", "CPU total", "CPU web",
                                "wait network ms/page", "wait for a slot or host's turn ms/page", "wait for a parser ms/page", "bound by (busy)"], rows, numericFrom: 2))
            lines.append("CPU is in CPU seconds per 1,000 pages, from each stage's own clocks: the fetch threads, parsing (inline calls, parse threads, or the worker processes and their drivers), the store's writer, and the rest of the crawler process; CPU web is not the crawler's but the embedded web's, serving it on the same cores (the bench's own process, measured around each run). Waiting is wall time summed over pages and divided by the pages: pages overlap, so it adds up to more than the wall time per page, and a page that waits uses no CPU. A stage bounds the crawl when it was busy at least \(fixed(TimeAccounting.saturated * 100, 0))% of the run: transfers (slots of --fetch-concurrency held), parsing (parse CPU over min(parsers, cores)), the store (its commits' wall time); failing those, the CPU (all of it over the cores, the embedded web's use included where measured).\n")
        }
        if !chartFiles.isEmpty {
            lines.append("## Charts")
            lines.append("")
            for file in chartFiles { lines.append("![\(file)](\(file))") }
            lines.append("")
        }
        lines.append("## Conclusion")
        lines.append("")
        for sentence in report.conclusions { lines.append("- \(sentence)") }
        lines.append("")
        lines.append("## How this was measured")
        lines.append("")
        lines.append("- Isolation: \(report.isolation).")
        lines.append("- Fetch: each URL fetched once by `in flight` tasks through a bare engine (no robots, no per-host limit, no retries); latency from request to response in an HdrHistogram (3 significant digits). With latency, a point fetches about 12 rounds of its in-flight transfers (at least 48 URLs). The sequential engine is measured at 1 in flight only.")
        lines.append("- Parse: `ParseBenchmark` over a corpus built in memory before the clock starts, one warm-up pass (which starts the workers) then \(ParsePointRunner.passes) timed passes per run, the fastest kept; inline parses page after page; threads and processes are fed by \(ParseBenchmark.feederTasks) tasks, each sending its next page as soon as its last is parsed, as a crawl's pages in flight do (for processes the tasks prefer the drivers' executor, as the crawl's page tasks do). CPU includes the worker processes' (their threads' time on the CPU from /proc/PID/task/*/schedstat, exact where /proc/PID/stat counts 10 ms ticks, read while they run, so their start-up is not counted). IPC: a round trip to a worker without parsing (the body through the shared ring, the frames through the pipes), per page, at the same workers.")
        lines.append("- End to end: `CrawlSession` into a fresh SQLite database per run, on the embedded web the per-host limit is raised to the in-flight count so the engines, not politeness, are measured (given URLs keep the polite default). CPU by stage and waiting by cause are the crawl's own time accounting (the summary `crawler crawl` prints): the stages' threads' and worker processes' CPU clocks read at the start and the end, waiting summed over pages.")
        lines.append("- The embedded synthetic web (SwiftNIO, one event loop per core) runs in the bench's own process: it shares the machine's cores with the point being measured, so the bench's CPU during each crawl is reported apart (CPU web) and counted in the CPU's busy figure, never in the crawler's own.")
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// "mixed: 400 pages, 9.8 MB, 21 links per page", one per corpus in the order measured
    /// (from its first row: every setting parses the same pages).
    static func corpusSummaries(_ rows: [ParseRow]) -> [String] {
        var seen: Set<String> = []
        return rows.compactMap { row in
            guard seen.insert(row.corpus).inserted else { return nil }
            let links = Int((Double(row.runs.first?.links ?? 0) / Double(max(row.pages, 1))).rounded())
            return "\(row.corpus): \(Formatting.count(row.pages, "page")), \(Formatting.bytes(row.bytes)), \(Formatting.count(links, "link")) per page"
        }
    }

    static func spread(_ value: Spread, _ decimals: Int) -> String {
        if value.samples.count == 1 { return fixed(value.median, decimals) }
        return "\(fixed(value.median, decimals)) (\(fixed(value.min, decimals))–\(fixed(value.max, decimals)))"
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

    static func table(_ header: [String], _ rows: [[String]], numericFrom: Int = 1) -> String {
        var text = "| " + header.joined(separator: " | ") + " |\n"
        text += "|" + header.indices.map { $0 >= numericFrom ? "---:|" : "---|" }.joined() + "\n"
        // A backslash and a pipe in a cell are escaped, so the table keeps its columns and the text.
        for row in rows { text += "| " + row.map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
        return text
    }
}

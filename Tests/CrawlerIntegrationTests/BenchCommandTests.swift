import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `crawler bench --quick --repeat 1` end to end: every file written, every figure measured.
@Suite(.serialized) struct BenchCommandTests {
    @Test func quickBenchWritesAReportOfMeasuredFigures() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-command-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await CrawlerRun.run(["bench", "--quick", "--repeat", "1", "--out", directory.path])
        try #require(run.status == 0, "crawler bench failed: \(run.stderr)")
        #expect(run.stdout.contains("On this machine:"))

        // report.md: every section, no placeholder.
        let markdown = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
        for section in ["## Machine", "## Fetch alone (I/O-bound)", "## Parse alone (CPU-bound)", "## End to end", "## Conclusion", "## How this was measured"] {
            #expect(markdown.contains(section), "report.md lacks \(section)")
        }
        for placeholder in ["NaN", " nan", " inf", "TODO", "placeholder"] { #expect(!markdown.contains(placeholder), "report.md has \(placeholder)") }

        // report.json: the schema version, and figures that were measured.
        let data = try Data(contentsOf: directory.appendingPathComponent("report.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["schemaVersion"] as? Int == 3)
        Self.expectFiniteNumbers(json, path: "report")
        let plan = try #require(json["plan"] as? [String: Any])
        let inFlight = try #require(plan["inFlight"] as? [Int])
        let latencies = try #require(plan["latenciesMs"] as? [Int])
        let workers = try #require(plan["parseWorkers"] as? [Int])
        let parsePages = try #require(plan["parsePages"] as? Int)
        let crawlPages = try #require(plan["crawlPages"] as? Int)
        let pairings = try #require(plan["crawlPairings"] as? [Any])
        // Both corpora by default, each with its own parse rows and crawls.
        let corpora = try #require(plan["corpora"] as? [String])
        #expect(corpora == ["mixed", "docs"])
        let fetch = try #require(json["fetch"] as? [[String: Any]])
        // Every latency × (sequential at 1, threads and async at every in-flight count).
        #expect(fetch.count == latencies.count * (1 + 2 * inFlight.count))
        for row in fetch {
            let runs = try #require(row["runs"] as? [[String: Any]])
            #expect(runs.count == 1)
            for run in runs {
                #expect(run["pages"] as? Int == row["urls"] as? Int, "every URL fetched once")
                #expect((run["pagesPerSecond"] as? Double ?? 0) > 0)
                #expect((run["peakRSSBytes"] as? Int ?? 0) > 0)
                #expect((run["threads"] as? Int ?? 0) > 0)
                let latency = try #require(run["latency"] as? [String: Double])
                #expect((latency["p50"] ?? 0) > 0 && (latency["p50"] ?? 0) <= (latency["max"] ?? 0))
            }
        }
        let parse = try #require(json["parse"] as? [[String: Any]])
        let perCorpus = ["inline"] + workers.map { _ in "threads" } + workers.map { _ in "processes" }
        #expect(parse.map { $0["model"] as? String } == corpora.flatMap { _ in perCorpus })
        #expect(parse.map { $0["corpus"] as? String } == corpora.flatMap { corpus in perCorpus.map { _ in corpus } })
        for row in parse {
            #expect(row["pages"] as? Int == parsePages)
            #expect(((row["speedup"] as? [String: Any])?["median"] as? Double ?? 0) > 0)
            let runs = try #require(row["runs"] as? [[String: Any]])
            for run in runs {
                #expect((run["links"] as? Int ?? 0) >= parsePages, "synthetic pages have links")
                #expect((run["cpuSeconds"] as? Double ?? 0) > 0)
            }
        }
        let crawl = try #require(json["crawl"] as? [[String: Any]])
        #expect(crawl.count == pairings.count * corpora.count)
        for row in crawl {
            for run in try #require(row["runs"] as? [[String: Any]]) {
                #expect(run["pages"] as? Int == crawlPages, "the crawl stops at --crawl-pages")
                let parsed = run["parsed"] as? Int ?? 0
                let errors = run["errors"] as? Int ?? -1
                // The synthetic web has non-HTML resources and broken links on purpose: each is a counted error.
                #expect(parsed > crawlPages / 2 && parsed <= crawlPages)
                #expect(errors == (run["errorsByKind"] as? [String: Int] ?? [:]).values.reduce(0, +))
                #expect((run["fetchSeconds"] as? Double ?? 0) > 0 && (run["parseSeconds"] as? Double ?? 0) > 0)
            }
            #expect(["transfers", "parsing", "the store", "the CPU", "none"].contains(row["bottleneck"] as? String ?? ""))
            // CPU by stage from the crawl's own clocks: fetching and parsing both used some.
            let stageCPU = try #require(row["stageCPU"] as? [String: Double])
            #expect((stageCPU["fetch"] ?? 0) > 0 && (stageCPU["parse"] ?? 0) > 0)
        }
        let conclusions = try #require(json["conclusions"] as? [String])
        #expect(conclusions.count >= 4)

        // SVG charts: well-formed XML, referenced by index.html.
        let index = try String(contentsOf: directory.appendingPathComponent("index.html"), encoding: .utf8)
        let svgs = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".svg") }.sorted()
        #expect(svgs == ["crawl-cpu-split.svg", "crawl-throughput.svg", "fetch-throughput-0ms.svg", "fetch-throughput-50ms.svg", "parse-speedup-docs.svg", "parse-speedup.svg"])
        for svg in svgs {
            let parser = XMLParser(data: try Data(contentsOf: directory.appendingPathComponent(svg)))
            #expect(parser.parse(), "\(svg) is not well-formed XML")
            #expect(index.contains("src=\"\(svg)\""), "index.html does not show \(svg)")
        }
        for sentence in conclusions { #expect(index.contains(sentence.replacingOccurrences(of: "&", with: "&amp;"))) }

        // --from-report draws the same report again from its JSON, measuring nothing.
        let redrawn = directory.appendingPathComponent("redrawn")
        let redraw = try await CrawlerRun.run(["bench", "--from-report", directory.appendingPathComponent("report.json").path, "--out", redrawn.path])
        #expect(redraw.status == 0, "\(redraw.stderr)")
        for file in ["report.md", "report.json", "index.html"] + svgs {
            #expect(try Data(contentsOf: redrawn.appendingPathComponent(file)) == Data(contentsOf: directory.appendingPathComponent(file)), "\(file) differs")
        }
        // A report of another schema is refused with what to do.
        let old = directory.appendingPathComponent("old.json")
        try Data(#"{"schemaVersion": 2}"#.utf8).write(to: old)
        let refused = try await CrawlerRun.run(["bench", "--from-report", old.path, "--out", redrawn.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("has report schema 2; this crawler draws schema 3 only: run the bench again"), "\(refused.stderr)")
        // Measuring flags beside it would be ignored: refused, named.
        let mixed = try await CrawlerRun.run(["bench", "--from-report", old.path, "--quick", "--workers", "1,2"])
        #expect(mixed.status != 0)
        #expect(mixed.stderr.contains("--from-report redraws a report without measuring; leave out --quick, --workers"), "\(mixed.stderr)")
    }

    /// Every number in the JSON is finite, and none of the measured ones is negative.
    static func expectFiniteNumbers(_ value: Any, path: String) {
        switch value {
        case let dictionary as [String: Any]:
            for (key, item) in dictionary { expectFiniteNumbers(item, path: "\(path).\(key)") }
        case let array as [Any]:
            for (offset, item) in array.enumerated() { expectFiniteNumbers(item, path: "\(path)[\(offset)]") }
        case let number as NSNumber:
            #expect(number.doubleValue.isFinite, "\(path) is not finite")
            #expect(number.doubleValue >= 0, "\(path) is negative")
        default:
            break
        }
    }

    /// 'web' is another name for 'mixed': given both, the corpus is measured once (one list in
    /// the JSON, as for a single corpus, not a map keyed by corpus).
    @Test func oneCorpusNamedTwiceIsMeasuredOnce() async throws {
        let run = try await CrawlerRun.run(["bench-parse", "--corpus", "mixed,web", "--pages", "4", "--workers", "1", "--passes", "1", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        #expect(json is [Any], "\(run.stdout.prefix(200))")
    }

    @Test func badListsSayWhichFlag() async throws {
        let run = try await CrawlerRun.run(["bench", "--in-flight", "1,many"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("invalid for '--in-flight <in-flight>': 'many' is not a valid value"), "\(run.stderr)")
        let models = try await CrawlerRun.run(["bench", "--fetch-models", "async,fibers"])
        #expect(models.status != 0)
        #expect(models.stderr.contains("'fibers' is not a valid value; pass sequential, threads or async"), "\(models.stderr)")
        let workers = try await CrawlerRun.run(["bench-parse", "--workers", "1,0"])
        #expect(workers.status != 0)
        #expect(workers.stderr.contains("--workers must be at least 1 and at most 1024; got 0"), "\(workers.stderr)")
    }
}

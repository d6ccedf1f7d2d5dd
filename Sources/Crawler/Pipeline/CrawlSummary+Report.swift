import CrawlerCore

extension CrawlSummary {
    /// The summary a person reads at the end of a crawl: totals, where the time went, errors by kind.
    public func report() -> String {
        var lines: [String] = []
        lines.append("Crawled \(Formatting.count(pages, "page")) on \(Formatting.count(hosts, "host")) in \(Formatting.seconds(elapsedSeconds)) (\(Formatting.rate(pagesPerSecond)) pages/s)")
        lines.append("  fetched \(Formatting.count(fetched)), parsed \(Formatting.count(parsed)), links \(Formatting.count(links)), received \(Formatting.bytes(bytes))")
        if requeued > 0 { lines.append("  resumed: \(Formatting.count(requeued)) pages an earlier run had in flight were fetched again") }
        lines.append("")
        if let accounting {
            lines.append(contentsOf: accounting.report())
        } else {
            let phases = [("fetch (wall time of the fetch calls)", fetchSeconds), ("parse (wall time of the parse calls)", parseSeconds), ("store (SQLite commits)", storeSeconds)]
            var time = TextTable(["phase", "seconds (summed over pages)"], alignments: [.left, .right])
            for (name, seconds) in phases { time.append([name, Formatting.decimal(seconds, places: 2)]) }
            lines.append(time.render(indent: "  "))
        }
        lines.append("")
        if errorsByKind.isEmpty {
            lines.append("  no errors, nothing skipped")
        } else {
            var errors = TextTable(["error or skip", "pages"], alignments: [.left, .right])
            for (kind, count) in errorsByKind.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                errors.append([kind, Formatting.count(count)])
            }
            lines.append(errors.render(indent: "  "))
        }
        return lines.joined(separator: "\n")
    }
}

extension TimeAccounting {
    /// Two tables a person reads (CPU by stage; waiting by cause) and the bound in a sentence.
    func report() -> [String] {
        let coreSeconds = Double(cores) * elapsed
        var cpu = TextTable(["CPU by stage", "CPU seconds", "share of \(cores) cores × \(Formatting.seconds(elapsed))"], alignments: [.left, .right, .right])
        let stages: [(String, Double)] = [
            ("fetch threads (libcurl)", fetchCPU),
            (parseWorkersCPU > 0 ? "parse (\(Formatting.decimal(parseWorkersCPU, places: 2)) s in worker processes)" : "parse", parseCPU),
            ("store writer (SQLite)", storeCPU),
            ("the rest of this process (scheduler, tasks, …)", otherCPU),
            ("total", totalCPU),
        ]
        for (name, seconds) in stages { cpu.append([name, Formatting.decimal(seconds, places: 2), Formatting.percent(seconds, of: coreSeconds)]) }
        var waits = TextTable(["waiting, summed over pages", "seconds"], alignments: [.left, .right])
        waits.append(["for the network (transfers)", Formatting.decimal(networkWait, places: 2)])
        waits.append(["in the scheduler's window (host's turn or a free slot)", Formatting.decimal(windowWait, places: 2)])
        waits.append(["inside fetches for a host's turn (redirects, retries, robots.txt)", Formatting.decimal(fetchPolitenessWait, places: 2)])
        waits.append(["for a parser (queue, hand-over, IPC)", Formatting.decimal(parseWait, places: 2)])
        waits.append(["store commits (in the background)", Formatting.decimal(storeWall, places: 2)])
        return [cpu.render(indent: "  "), "", waits.render(indent: "  "), "", "  bound: \(bound)"]
    }
}

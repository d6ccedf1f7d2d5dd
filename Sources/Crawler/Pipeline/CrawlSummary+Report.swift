import CrawlerCore

extension CrawlSummary {
    /// The summary a person reads at the end of a crawl: totals, where the time went, errors by kind.
    public func report() -> String {
        var lines: [String] = []
        lines.append("Crawled \(Formatting.count(pages, "page")) on \(Formatting.count(hosts, "host")) in \(Formatting.seconds(elapsedSeconds)) (\(Formatting.rate(pagesPerSecond)) pages/s)")
        lines.append("  fetched \(Formatting.count(fetched)), parsed \(Formatting.count(parsed)), links \(Formatting.count(links)), received \(Formatting.bytes(bytes))")
        if requeued > 0 { lines.append("  resumed: \(Formatting.count(requeued)) pages an earlier run had in flight were fetched again") }
        lines.append("")
        let phases = [("fetch (waiting for the network)", fetchSeconds), ("parse (CPU, IPC included)", parseSeconds), ("store (SQLite commits)", storeSeconds)]
        let total = phases.map(\.1).reduce(0, +)
        var time = TextTable(["phase", "seconds (summed over pages)", "share"], alignments: [.left, .right, .right])
        for (name, seconds) in phases { time.append([name, Formatting.decimal(seconds, places: 2), Formatting.percent(seconds, of: total)]) }
        lines.append(time.render(indent: "  "))
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

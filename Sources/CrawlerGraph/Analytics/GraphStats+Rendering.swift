import Foundation

extension GraphStats {
    /// The report `crawler stats` prints: a summary, then one aligned table per breakdown.
    public func renderText() -> String {
        typealias F = ReportFormat
        var text = "Crawl database \(database)\n"
        text += "  pages    \(F.count(totals.pages)) (\(F.count(totals.withStatus)) with an HTTP status, \(F.count(totals.withError)) with an error)\n"
        text += "  links    \(F.count(totals.links)) distinct (\(F.count(totals.linkOccurrences)) counting duplicates on a page)\n"
        text += "  urls     \(F.count(totals.urls)) on \(F.count(totals.hosts)) hosts; \(F.bytes(totals.bytes)) downloaded\n"
        text += "  frontier \(F.count(frontier.queued)) queued, \(F.count(frontier.inFlight)) in flight, \(F.count(frontier.done)) done\n"
        text += "  runs     \(runs)" + (lastRunOutcome.map { ", the last \($0)" } ?? "") + "\n"
        text += "  time     fetch \(F.decimal(phaseSeconds.fetchTotal, places: 1)) s (mean \(F.decimal(phaseSeconds.fetchMean, places: 4)) s), "
        text += "parse \(F.decimal(phaseSeconds.parseTotal, places: 1)) s (mean \(F.decimal(phaseSeconds.parseMean, places: 4)) s)\n"

        func section(_ title: String, _ column: String, _ counts: [LabeledCount], total: Int) {
            guard !counts.isEmpty else { return }
            var table = TextTable([(column, .left), ("pages", .right), ("share", .right)])
            for count in counts { table.add([F.clip(count.label, 60), F.count(count.pages), F.percent(count.pages, of: total)]) }
            text += "\n\(title)\n" + table.render()
        }
        section("Pages by status", "status", byStatus, total: totals.pages)
        section("Pages by error", "error", byError, total: totals.pages)
        section("Pages by content type", "content type", byContentType, total: totals.withStatus)
        section("Pages by host (top \(byHost.count))", "host", byHost, total: totals.pages)

        if !depthHistogram.isEmpty {
            var table = TextTable([("depth", .right), ("pages", .right), ("share", .right), ("", .left)])
            let most = depthHistogram.map(\.pages).max() ?? 1
            for entry in depthHistogram {
                let bar = String(repeating: "#", count: max(1, entry.pages * 40 / max(most, 1)))
                table.add([String(entry.depth), F.count(entry.pages), F.percent(entry.pages, of: totals.pages), bar])
            }
            text += "\nPages by depth\n" + table.render()
        }

        func ranking(_ title: String, _ pages: [RankedPage]) {
            guard !pages.isEmpty else { return }
            var table = TextTable([("#", .right), ("in-links", .right), ("pagerank", .right), ("url", .left), ("title", .left)])
            for (rank, page) in pages.enumerated() {
                table.add([String(rank + 1), F.count(page.inDegree), F.decimal(page.pagerank, places: 6),
                           F.clip(page.url, 70), F.clip(page.title ?? "", 40)])
            }
            text += "\n\(title)\n" + table.render()
        }
        ranking("Most linked pages", topByInDegree)
        ranking("Highest PageRank", topByPageRank)

        text += "\nGraph\n"
        text += "  nodes \(F.count(graph.nodes)) (pages and never-fetched link targets), edges \(F.count(graph.edges))\n"
        text += "  PageRank: \(graph.pagerankIterations) iterations, " + (graph.pagerankConverged ? "converged\n" : "not converged (stopped at the limit)\n")
        text += "  strongly connected components: \(F.count(graph.components)); largest \(F.count(graph.largestComponent)) nodes"
        text += " (\(F.percent(graph.largestComponent, of: graph.nodes))); \(F.count(graph.singletonComponents)) single nodes\n"
        if graph.largestComponentSizes.count > 1 {
            text += "  largest sizes: " + graph.largestComponentSizes.map(F.count).joined(separator: ", ") + "\n"
        }
        return text
    }

    /// The same statistics as pretty-printed JSON (keys sorted), for `crawler stats --json`.
    public func renderJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}

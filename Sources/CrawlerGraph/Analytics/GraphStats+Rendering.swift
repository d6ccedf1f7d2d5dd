import Foundation
import CrawlerCore

extension GraphStats {
    /// The report `crawler stats` prints: a summary, then one aligned table per breakdown.
    public func renderText() -> String {
        typealias F = Formatting
        var text = "Crawl database \(database)\n"
        text += "  pages    \(F.count(totals.pages)) (\(F.count(totals.withStatus)) with an HTTP status, \(F.count(totals.withError)) with an error)\n"
        text += "  links    \(F.count(totals.links)) distinct (\(F.count(totals.linkOccurrences)) counting duplicates on a page)\n"
        text += "  urls     \(F.count(totals.urls)) on \(F.count(totals.hosts)) hosts; \(F.bytes(totals.bytes)) downloaded\n"
        text += "  frontier \(F.count(frontier.queued)) queued, \(F.count(frontier.inFlight)) in flight, \(F.count(frontier.done)) done\(frontier.parked > 0 ? ", \(F.count(frontier.parked)) beyond --max-depth" : "")\n"
        text += "  runs     \(runs)" + (lastRunOutcome.map { ", the last \($0)" } ?? "") + "\n"
        text += "  time     fetch \(F.decimal(phaseSeconds.fetchTotal, places: 1)) s (mean \(F.decimal(phaseSeconds.fetchMean, places: 4)) s), "
        text += "parse \(F.decimal(phaseSeconds.parseTotal, places: 1)) s (mean \(F.decimal(phaseSeconds.parseMean, places: 4)) s)\n"

        func section(_ title: String, _ column: String, _ counts: [LabeledCount], total: Int) {
            guard !counts.isEmpty else { return }
            var table = TextTable([column, "pages", "share"], alignments: [.left, .right, .right])
            for count in counts { table.append([F.clip(count.label, 60), F.count(count.pages), F.percent(Double(count.pages), of: Double(total), places: 1)]) }
            text += "\n\(title)\n" + table.render(indent: "  ") + "\n"
        }
        section("Pages by status", "status", byStatus, total: totals.pages)
        section("Pages by error", "error", byError, total: totals.pages)
        section("Pages by content type", "content type", byContentType, total: totals.withStatus)
        section("Pages by host (top \(byHost.count))", "host", byHost, total: totals.pages)

        if !depthHistogram.isEmpty {
            var table = TextTable(["depth", "pages", "share", ""], alignments: [.right, .right, .right, .left])
            let most = depthHistogram.map(\.pages).max() ?? 1
            for entry in depthHistogram {
                let bar = String(repeating: "#", count: max(1, entry.pages * 40 / max(most, 1)))
                table.append([String(entry.depth), F.count(entry.pages), F.percent(Double(entry.pages), of: Double(totals.pages), places: 1), bar])
            }
            text += "\nPages by depth\n" + table.render(indent: "  ") + "\n"
        }

        func ranking(_ title: String, _ pages: [RankedPage]) {
            guard !pages.isEmpty else { return }
            var table = TextTable(["#", "in-links", "pagerank", "url", "title"], alignments: [.right, .right, .right, .left, .left])
            for (rank, page) in pages.enumerated() {
                table.append([String(rank + 1), F.count(page.inDegree), F.decimal(page.pagerank, places: 6),
                           F.clip(page.url, 70), F.clip(page.title ?? "", 40)])
            }
            text += "\n\(title)\n" + table.render(indent: "  ") + "\n"
        }
        ranking("Most linked pages", topByInDegree)
        ranking("Highest PageRank", topByPageRank)

        text += "\nGraph\n"
        text += "  nodes \(F.count(graph.nodes)) (pages and never-fetched link targets), edges \(F.count(graph.edges))\n"
        text += "  PageRank: \(graph.pagerankIterations) iterations, " + (graph.pagerankConverged ? "converged\n" : "not converged (stopped at the limit)\n")
        text += "  strongly connected components: \(F.count(graph.components)); largest \(F.count(graph.largestComponent)) nodes"
        text += " (\(F.percent(Double(graph.largestComponent), of: Double(graph.nodes), places: 1))); \(F.count(graph.singletonComponents)) single nodes\n"
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

import CrawlerCore
import CrawlerGraph
import Foundation

/// A crawl on PostgreSQL as `crawler stats` and `crawler export` read it: copied from one
/// consistent snapshot into a private SQLite file (streamed, a batch at a time), so every
/// statistic and every export format has one implementation, the SQLite store's. The file lives
/// in a folder this creates under the temporary directory and deletes afterwards; nothing else
/// is touched.
public enum PostgresSnapshot {
    /// Copies the crawl at `location`, then runs `body` with the copy and the fleet's nodes.
    public static func with<T>(_ location: PostgresLocation, _ body: (GraphStore, [FleetNode]) throws -> T) async throws -> T {
        let store = try await PostgresGraphStore.open(location)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crawler-snapshot-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        } catch {
            await store.close()
            throw error
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy: GraphStore
        let nodes: [FleetNode]
        do {
            copy = try GraphStore(path: folder.appendingPathComponent("snapshot.sqlite").path)
            try await store.copySnapshot(into: copy)
            nodes = try await store.fleetNodes()
            await store.close()
        } catch {
            await store.close()
            throw error
        }
        return try body(copy, nodes)
    }
}

extension FleetNode {
    /// Still crawling: it has not left, and renewed its heartbeat within the last minute (a
    /// node renews every third of its lease, 10 s by default).
    public func isActive(now: Date = Date()) -> Bool {
        leftAt == nil && now.timeIntervalSince(lastSeen) < 60
    }
}

/// The fleet's nodes as a table a person scans.
public func renderFleet(_ nodes: [FleetNode], now: Date = Date()) -> String {
    guard !nodes.isEmpty else { return "Fleet: no node has joined" }
    let formatter = ISO8601DateFormatter()
    let rows = nodes.map { node -> [String] in
        let state = node.isActive(now: now) ? "crawling" : node.leftAt == nil ? "silent \(Int(now.timeIntervalSince(node.lastSeen))) s" : "left"
        return [String(node.id), node.name, formatter.string(from: node.startedAt), state, String(node.pages), String(node.leases)]
    }
    let header = ["node", "name", "started", "state", "pages", "leases"]
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { column, cell in
            column == 4 || column == 5 ? String(repeating: " ", count: widths[column] - cell.count) + cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }
    let active = nodes.filter { $0.isActive(now: now) }.count
    let leases = Formatting.count(nodes.map(\.leases).reduce(0, +), "host lease")
    return (["Fleet: \(Formatting.count(nodes.count, "node")) seen, \(active) crawling, \(leases) held", line(header)] + rows.map(line)).joined(separator: "\n")
}

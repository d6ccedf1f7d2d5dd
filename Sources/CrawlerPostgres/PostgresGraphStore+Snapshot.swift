import Foundation
import CrawlerGraph
import PostgresNIO

extension PostgresGraphStore {
    /// Every page row. Holds them all in memory: for checks on small crawls, not for exports.
    public func storedPages() async throws -> [StoredPage] {
        try await rows("""
            SELECT u.url, p.depth, p.status, p.error_kind, r.url, p.content_type
            FROM pages p JOIN urls u ON u.id = p.url_id LEFT JOIN urls r ON r.id = p.redirect_target_id
            ORDER BY u.url
            """).map { row in
            let (url, depth, status, errorKind, redirect, contentType) = try row.decode((String, Int, Int?, String?, String?, String?).self)
            return StoredPage(url: url, depth: depth, status: status, errorKind: errorKind, redirectTarget: redirect, contentType: contentType)
        }
    }

    /// Every link row (one per source, target and kind). Holds them all in memory: for checks
    /// on small crawls.
    public func storedLinks() async throws -> [StoredLink] {
        try await rows("""
            SELECT s.url, t.url, l.kind, l.rel, l.nofollow, l.count
            FROM links l JOIN urls s ON s.id = l.source_id JOIN urls t ON t.id = l.target_id
            ORDER BY s.url, t.url, l.kind
            """).map { row in
            let (source, target, kind, rel, nofollow, count) = try row.decode((String, String, String, String?, Bool, Int).self)
            return StoredLink(source: source, target: target, kind: kind, rel: rel, nofollow: nofollow, count: count)
        }
    }
}

/// A node of the fleet, as `crawler stats` shows it.
public struct FleetNode: Sendable, Hashable, Codable {
    public var id: Int64
    /// Host name and process id.
    public var name: String
    public var startedAt: Date
    public var lastSeen: Date
    /// When it left (cleanly, or declared gone when it stopped renewing); nil: still in the fleet.
    public var leftAt: Date?
    /// Pages it stored.
    public var pages: Int
    /// Host leases it holds now.
    public var leases: Int
}

extension PostgresGraphStore {
    /// Copies the crawl into `target` (a new SQLite crawl database) from one consistent
    /// snapshot (a REPEATABLE READ, read-only transaction: nodes may be writing meanwhile),
    /// table by table, streaming rows in batches: memory holds one batch, not the crawl.
    public func copySnapshot(into target: GraphStore) async throws {
        do {
            try await client.withConnection { [logger] connection in
                try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
                do {
                    for table in SnapshotTable.allCases {
                        var batch: [[SnapshotValue]] = []
                        let sql = "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.rawValue)"
                        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
                            batch.append(try Self.values(row))
                            if batch.count == 4096 {
                                try target.importRows(table, batch)
                                batch.removeAll(keepingCapacity: true)
                            }
                        }
                        try target.importRows(table, batch)
                    }
                    try await connection.query("COMMIT", logger: logger)
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        } catch {
            throw Self.translate(error, location: location)
        }
    }

    /// A row's values by their PostgreSQL types (booleans as 0 and 1, as SQLite stores them).
    private static func values(_ row: PostgresRow) throws -> [SnapshotValue] {
        try row.map { cell in
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2: return .integer(Int64(try cell.decode(Int16.self)))
            case .int4: return .integer(Int64(try cell.decode(Int32.self)))
            case .int8: return .integer(try cell.decode(Int64.self))
            case .float4, .float8: return .real(try cell.decode(Double.self))
            case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
            default: return .text(try cell.decode(String.self))
            }
        }
    }

    /// Every node that ever joined, with the leases each holds now.
    public func fleetNodes() async throws -> [FleetNode] {
        try await rows("""
            SELECT n.id, n.name, extract(epoch FROM n.started_at)::float8, extract(epoch FROM n.seen_at)::float8,
                   extract(epoch FROM n.left_at)::float8, n.pages,
                   (SELECT count(*) FROM hosts h WHERE h.lease_node = n.id AND h.lease_until > now())
            FROM nodes n ORDER BY n.id
            """).map { row in
            let (id, name, started, seen, left, pages, leases) = try row.decode((Int64, String, Double, Double, Double?, Int, Int).self)
            return FleetNode(
                id: id, name: name, startedAt: Date(timeIntervalSince1970: started), lastSeen: Date(timeIntervalSince1970: seen),
                leftAt: left.map { Date(timeIntervalSince1970: $0) }, pages: pages, leases: leases)
        }
    }
}

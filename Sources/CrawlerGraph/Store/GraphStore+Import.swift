import GRDB

/// A value of a row copied into a SQLite crawl database from another store.
public enum SnapshotValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        }
    }
}

/// The tables a snapshot of another store fills, in an order that keeps every reference
/// valid, each with the columns every store has.
public enum SnapshotTable: String, CaseIterable, Sendable {
    case hosts, urls, runs, pages, links, frontier

    /// The columns copied, in the order a row's values come in.
    public var columns: [String] {
        switch self {
        case .hosts: ["id", "name"]
        case .urls: ["id", "url", "host_id"]
        case .runs: ["id", "settings", "fetch_model", "parse_model", "started_at", "ended_at", "outcome"]
        case .pages:
            ["url_id", "run_id", "depth", "status", "content_type", "bytes", "title", "canonical_url", "noindex",
             "redirect_target_id", "error_kind", "error_message", "fetch_seconds", "parse_seconds", "fetched_at", "nofollow"]
        case .links: ["source_id", "target_id", "kind", "rel", "nofollow", "anchor", "count"]
        case .frontier: ["seq", "url_id", "host_id", "depth", "state", "discovered_by"]
        }
    }
}

extension GraphStore {
    /// Appends rows to `table` (each row's values in `table.columns` order), ids as given: for
    /// a snapshot of another store (PostgreSQL) written into a new database, which `stats` and
    /// `export` then read as they read any crawl.
    public func importRows(_ table: SnapshotTable, _ rows: [[SnapshotValue]]) throws {
        guard !rows.isEmpty else { return }
        let columns = table.columns
        let sql = "INSERT INTO \(table.rawValue) (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
        try write { db, _ in
            let statement = try db.cachedStatement(sql: sql)
            for row in rows {
                precondition(row.count == columns.count, "a \(table.rawValue) row needs \(columns.count) values")
                try statement.execute(arguments: StatementArguments(row.map(\.databaseValue)))
            }
        }
    }
}

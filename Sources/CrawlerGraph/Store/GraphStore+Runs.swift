import CrawlerCore
import Foundation
import GRDB

extension GraphStore {
    /// Records the start of a crawl run with its settings (encoded as JSON, keys sorted) and
    /// concurrency models; pass the id to `commit(_:run:)` and `endRun(_:outcome:)`.
    public func beginRun(
        settings: some Encodable, fetchModel: FetchModel? = nil, parseModel: ParseModel? = nil, startedAt: Date = Date()
    ) throws -> CrawlRunID {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(settings), as: UTF8.self)
        return try write { db, _ in
            try db.execute(
                sql: "INSERT INTO runs (settings, fetch_model, parse_model, started_at) VALUES (?, ?, ?, ?)",
                arguments: [json, fetchModel?.rawValue, parseModel?.rawValue, startedAt.timeIntervalSince1970])
            return CrawlRunID(rawValue: db.lastInsertedRowID)
        }
    }

    /// Records how a run ended.
    public func endRun(_ run: CrawlRunID, outcome: CrawlOutcome, endedAt: Date = Date()) throws {
        try write { db, _ in
            try db.execute(sql: "UPDATE runs SET ended_at = ?, outcome = ? WHERE id = ?",
                           arguments: [endedAt.timeIntervalSince1970, outcome.rawValue, run.rawValue])
        }
    }

    /// Every run, oldest first.
    public func runs() throws -> [CrawlRun] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, settings, fetch_model, parse_model, started_at, ended_at, outcome FROM runs ORDER BY id")
                .map { row in
                    CrawlRun(
                        id: CrawlRunID(rawValue: row[0]), settingsJSON: row[1], fetchModel: row[2], parseModel: row[3],
                        startedAt: Date(timeIntervalSince1970: row[4]),
                        endedAt: (row[5] as Double?).map(Date.init(timeIntervalSince1970:)),
                        outcome: (row[6] as String?).flatMap(CrawlOutcome.init(rawValue:)))
                }
        }
    }
}

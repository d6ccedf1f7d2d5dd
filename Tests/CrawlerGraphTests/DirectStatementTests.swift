import GRDB
import Testing

@testable import CrawlerGraph

/// The commit path's statements bind typed values straight to SQLite: each Swift value must
/// arrive as the SQLite value GRDB would have stored, and errors must be GRDB's.
@Suite struct DirectStatementTests {
    private func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, b INTEGER, d REAL, s TEXT, n TEXT, UNIQUE (s))")
        }
        return queue
    }

    @Test func everyValueArrivesAsGRDBWouldStoreIt() throws {
        let queue = try database()
        try queue.write { db in
            let insert = try DirectStatement(db, sql: "INSERT INTO t (i, b, d, s, n) VALUES (?, ?, ?, ?, ?)")
            try insert.execute(Int64.max, true, 0.25, "café ü 🕸", String?.none)
            try insert.execute(-3, false, -1.5, "", String?.some("x"))
            // A long string, past any small-string form.
            try insert.execute(7, false, 0.0, String(repeating: "long text ", count: 100), Int?.none)
        }
        let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT i, b, d, s, n, typeof(s), typeof(n) FROM t ORDER BY id") }
        #expect(rows.count == 3)
        #expect(rows[0]["i"] == Int64.max)
        #expect(rows[0]["b"] == 1)
        #expect(rows[0]["d"] == 0.25)
        #expect(rows[0]["s"] == "café ü 🕸")
        #expect(rows[0][6] == "null", "nil binds NULL")
        #expect(rows[1]["i"] == -3)
        #expect(rows[1]["b"] == 0)
        #expect(rows[1][5] == "text", "an empty string stays text, not NULL")
        #expect(rows[1]["s"] == "")
        #expect(rows[1]["n"] == "x")
        #expect(rows[2]["s"] == String(repeating: "long text ", count: 100))
    }

    @Test func fetchReadsTheFirstRowAndEndsTheRead() throws {
        let queue = try database()
        try queue.write { db in
            let insert = try DirectStatement(db, sql: "INSERT INTO t (i, s) VALUES (?, ?)")
            for i in 1...3 { try insert.execute(i, "row \(i)") }
            let select = try DirectStatement(db, sql: "SELECT i, s FROM t WHERE i >= ? ORDER BY i")
            let first = try select.fetchOne(2) { row in (row.int(0), row.text(1)) }
            #expect(first?.0 == 2)
            #expect(first?.1 == "row 2")
            #expect(try select.fetchOne(9) { $0.int(0) } == nil)
            #expect(try DirectStatement(db, sql: "SELECT i FROM t WHERE s = ?").fetchInt64("row 3") == 3)
            #expect(try DirectStatement(db, sql: "SELECT d FROM t WHERE s = ?").fetchInt64("row 3") == nil, "NULL reads as nil")
            // A read left open would lock the table: dropping it proves every read ended.
            try db.execute(sql: "DROP TABLE t")
        }
    }

    /// A string is bound whole, a NUL byte inside included, and read back whole.
    @Test func textWithANulByteIsKeptWhole() throws {
        let queue = try database()
        try queue.write { db in
            try DirectStatement(db, sql: "INSERT INTO t (i, s) VALUES (?, ?)").execute(1, "before\u{0}after")
            #expect(try DirectStatement(db, sql: "SELECT length(CAST(s AS BLOB)) FROM t").fetchInt64() == 12)
            #expect(try DirectStatement(db, sql: "SELECT s FROM t").fetchOne { $0.text(0) } == "before\u{0}after")
        }
    }

    /// The commit path and GRDB share the connection's statement cache: the same SQL run by one,
    /// then the other, then the first again, gives each its own arguments' answer.
    @Test func aCachedStatementServesGRDBAndDirectCallsAlike() throws {
        let queue = try database()
        try queue.write { db in
            try db.execute(sql: "INSERT INTO t (i, s) VALUES (1, 'one'), (2, 'two'), (3, 'three')")
            let sql = "SELECT i FROM t WHERE s = ?"
            #expect(try Int64.fetchOne(db.cachedStatement(sql: sql), arguments: ["two"]) == 2)
            #expect(try DirectStatement(db, sql: sql).fetchInt64("three") == 3)
            #expect(try Int64.fetchOne(db.cachedStatement(sql: sql), arguments: ["one"]) == 1)
            #expect(try DirectStatement(db, sql: sql).fetchInt64("none") == nil)
            #expect(try Int64.fetchAll(db.cachedStatement(sql: sql), arguments: ["three"]) == [3])
        }
    }

    @Test func aFailureIsGRDBsErrorAndTheStatementWorksAgain() throws {
        let queue = try database()
        try queue.write { db in
            let insert = try DirectStatement(db, sql: "INSERT INTO t (s) VALUES (?)")
            try insert.execute("same")
            let error = try #require(throws: DatabaseError.self) { try insert.execute("same") }
            #expect(error.resultCode == .SQLITE_CONSTRAINT)
            #expect(error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE)
            #expect(error.sql == "INSERT INTO t (s) VALUES (?)")
            try insert.execute("other")
        }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 2)
    }
}

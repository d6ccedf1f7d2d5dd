import GRDB
import GRDBSQLite

/// One of GRDB's cached statements run with typed values bound straight to SQLite: the
/// commit path's statements, run a few hundred times per page.
///
/// GRDB's `execute(arguments:)` turns every argument into an existential
/// `DatabaseValueConvertible`, then a `DatabaseValue` array, and binds it through one nested
/// closure per value. On a documentation page (300+ links), that took more of the writer's CPU
/// than SQLite itself. Here the values are a parameter pack of concrete types, bound with one
/// `sqlite3_bind_*` call each. Measured by the micro-benchmark "Store insert (batch of 100 docs
/// pages, 300+ links each)" (`make microbench`).
///
/// Only for statements that run inside a transaction GRDB opened (`GraphStore.write`) and do not
/// begin or end one: GRDB's per-statement bookkeeping is skipped, which is only right for
/// statements that leave the transaction state as they found it. Skipped with it: transaction
/// observers and `ValueObservation` (the store registers none; one added later would not see
/// these statements' changes), and GRDB's eviction of a failed statement from its cache (a
/// statement here is reset before each use instead). Errors are GRDB's own
/// `DatabaseError` with SQLite's extended code, so `GraphStore.storeError` maps them as any
/// other (a full disk is `.diskFull`), and GRDB rolls the transaction back.
struct DirectStatement {
    private let statement: Statement
    private var handle: SQLiteStatement { statement.sqliteStatement }

    /// The statement for `sql`, from the connection's statement cache.
    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
    }

    /// Runs the statement with `values` bound to its parameters, in order, to its end.
    func execute<each Value: SQLiteBindable>(_ values: repeat each Value) throws {
        try bind(repeat each values)
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW { code = sqlite3_step(handle) }
        guard code == SQLITE_DONE else { throw failure(code) }
    }

    /// The first row's first column as an integer, nil when there is no row (or it is NULL).
    func fetchInt64<each Value: SQLiteBindable>(_ values: repeat each Value) throws -> Int64? {
        try fetchOne(repeat each values) { row in row.isNull(0) ? nil : row.int64(0) } ?? nil
    }

    /// `read` applied to the first row, nil when there is no row.
    func fetchOne<each Value: SQLiteBindable, Result>(_ values: repeat each Value, read: (DirectRow) -> Result) throws -> Result? {
        try bind(repeat each values)
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }  // ends the read, whatever was read
        switch code {
        case SQLITE_ROW: return read(DirectRow(handle: handle))
        case SQLITE_DONE: return nil
        default: throw failure(code)
        }
    }

    private func bind<each Value: SQLiteBindable>(_ values: repeat each Value) throws {
        var count: CInt = 0
        for _ in repeat each values { count += 1 }
        precondition(count == sqlite3_bind_parameter_count(handle), "\(statement.sql) takes \(sqlite3_bind_parameter_count(handle)) values, given \(count)")
        // A statement that failed last time reports that failure again here; it was thrown then.
        sqlite3_reset(handle)
        var index: CInt = 0
        for value in repeat each values {
            index += 1
            let code = value.bind(to: handle, at: index)
            guard code == SQLITE_OK else { throw failure(code) }
        }
    }

    private func failure(_ code: CInt) -> DatabaseError {
        let connection = sqlite3_db_handle(handle)
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        let message = connection.map { String(cString: sqlite3_errmsg($0)) }
        sqlite3_reset(handle)
        return DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: statement.sql)
    }
}

/// The current row of a `DirectStatement`, valid only inside its `read` closure.
struct DirectRow {
    fileprivate let handle: SQLiteStatement

    /// Column `index` (from 0) as an integer (0 for NULL).
    func int64(_ index: CInt) -> Int64 { sqlite3_column_int64(handle, index) }

    /// Column `index` as an `Int` (0 for NULL).
    func int(_ index: CInt) -> Int { Int(sqlite3_column_int64(handle, index)) }

    /// Column `index` as text, nil for NULL (all of it: a NUL byte inside does not end it).
    func text(_ index: CInt) -> String? {
        guard let bytes = sqlite3_column_text(handle, index) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, index))), as: UTF8.self)
    }

    /// Whether column `index` is NULL.
    func isNull(_ index: CInt) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }
}

/// A Swift value a `DirectStatement` binds to a parameter with one `sqlite3_bind_*` call.
protocol SQLiteBindable {
    /// Binds `self` to parameter `index` (from 1); SQLite's result code.
    func bind(to statement: SQLiteStatement, at index: CInt) -> CInt
}

extension Int64: SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: CInt) -> CInt { sqlite3_bind_int64(statement, index, self) }
}

extension Int: SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: CInt) -> CInt { sqlite3_bind_int64(statement, index, Int64(self)) }
}

extension Bool: SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: CInt) -> CInt { sqlite3_bind_int64(statement, index, self ? 1 : 0) }
}

extension Double: SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: CInt) -> CInt { sqlite3_bind_double(statement, index, self) }
}

extension String: SQLiteBindable {
    /// All of the string's UTF-8, a NUL byte inside included (GRDB binds up to the first NUL).
    /// Past SQLite's length limit, SQLite answers `SQLITE_TOOBIG`, thrown as any error.
    func bind(to statement: SQLiteStatement, at index: CInt) -> CInt {
        var text = self
        return text.withUTF8 { bytes in
            // SQLITE_TRANSIENT: SQLite copies the bytes, so the binding outlives this closure.
            // An empty buffer may have no address, and a NULL address would bind NULL, not "".
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            let encoding = UInt8(SQLITE_UTF8)
            guard let base = bytes.baseAddress else { return sqlite3_bind_text64(statement, index, "", 0, transient, encoding) }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text64(statement, index, $0, sqlite3_uint64(bytes.count), transient, encoding)
            }
        }
    }
}

extension Optional: SQLiteBindable where Wrapped: SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: CInt) -> CInt {
        switch self {
        case .some(let value): value.bind(to: statement, at: index)
        case .none: sqlite3_bind_null(statement, index)
        }
    }
}

import CrawlerCore
import CrawlerGraph
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The link-graph store on PostgreSQL: the same frontier, pages, links and runs as the SQLite
/// store (`GraphStore`), shared by any number of crawler processes (nodes) on any number of
/// machines. See `PostgresSchema` for the tables and `PostgresCrawlStore` for the fleet's rules.
///
/// All statements run through PostgresNIO's connection pool; batches travel as arrays or one
/// JSON document, so a commit of 64 pages is a handful of round trips, not one per row.
public final class PostgresGraphStore: Sendable {
    /// Where the database is (printable: no password).
    public let location: PostgresLocation
    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger = Logger(label: "crawler.postgres")

    private init(location: PostgresLocation, client: PostgresClient) {
        self.location = location
        self.client = client
        self.runner = Task { await client.run() }
    }

    /// Connects, creates the schema on first use and migrates an older one. Throws
    /// `PostgresStoreError` with what to do next: unreachable, login refused, a newer schema,
    /// a database holding other tables.
    public static func open(_ location: PostgresLocation) async throws -> PostgresGraphStore {
        try await check(location)
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.maximumConnections = 8
        let store = PostgresGraphStore(location: location, client: PostgresClient(configuration: configuration))
        do {
            try await store.migrate()
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// Stops the connection pool.
    public func close() async {
        runner.cancel()
        _ = await runner.result
    }

    /// TLS when the server offers it, as libpq's default `sslmode=prefer` (which does not verify
    /// the certificate either).
    private static var tls: PostgresClient.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return .prefer(configuration)
    }

    /// One connection made by hand first, so an unreachable server or a refused login fails at
    /// once with a clear error (the pool would retry in the background).
    private static func check(_ location: PostgresLocation) async throws {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(10)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: Logger(label: "crawler.postgres.check"))
            try await connection.close()
        } catch {
            throw translate(error, location: location)
        }
    }

    /// A PostgresNIO error as a `PostgresStoreError` a person can act on.
    static func translate(_ error: any Error, location: PostgresLocation) -> any Error {
        if error is PostgresStoreError || error is CancellationError { return error }
        guard let psql = error as? PSQLError else { return PostgresStoreError.server(String(describing: error)) }
        if let state = psql.serverInfo?[.sqlState] {
            let message = psql.serverInfo?[.message] ?? state
            switch state {
            case "28P01", "28000": return PostgresStoreError.authentication(location.description, message)
            case "3D000": return PostgresStoreError.server("\(message); create it first (createdb -h \(location.host) -p \(location.port) \(location.database))")
            default: return PostgresStoreError.server("\(message) (SQLSTATE \(state))")
            }
        }
        switch psql.code {
        case .authMechanismRequiresPassword:
            return PostgresStoreError.authentication(location.description, "the server asks for a password")
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            let underlying = psql.underlying.map { String(describing: $0) } ?? String(describing: psql.code)
            return PostgresStoreError.unreachable(location.description, underlying)
        default:
            return PostgresStoreError.server(String(describing: psql.code))
        }
    }

    /// Runs `body` in one transaction, again when the server aborted it for a deadlock or a
    /// serialization failure (two nodes touching the same rows in another order): the
    /// transaction rolled back, so running it again stores nothing twice.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    try await connection.query("BEGIN", logger: logger)
                    do {
                        let result = try await body(connection)
                        try await connection.query("COMMIT", logger: logger)
                        return result
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        throw error
                    }
                }
            } catch let error as PSQLError where attempt < 20 && Self.isRetryable(error) {
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...20) * attempt))
            } catch {
                throw Self.translate(error, location: location)
            }
        }
    }

    static func isRetryable(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001" || state == "23505"
    }

    /// One statement outside a transaction, its rows collected.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        do {
            var rows: [PostgresRow] = []
            for try await row in try await client.query(query, logger: logger) { rows.append(row) }
            return rows
        } catch {
            throw Self.translate(error, location: location)
        }
    }

    /// Creates or migrates the schema, one node at a time (an advisory lock), and refuses a
    /// database of a newer crawler or of someone else's tables.
    private func migrate() async throws {
        try await transaction { [location, logger] connection in
            try await connection.query("SELECT pg_advisory_xact_lock(5357435200)", logger: logger)
            var tables: Set<String> = []
            for try await name in try await connection.query(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()", logger: logger
            ).decode(String.self) { tables.insert(name) }
            var version = 0
            if tables.contains("crawler_schema") {
                for try await found in try await connection.query("SELECT version FROM crawler_schema", logger: logger).decode(Int.self) { version = found }
            } else if !tables.isEmpty {
                throw PostgresStoreError.notACrawlerDatabase(location.description)
            }
            if version > PostgresSchema.currentVersion {
                throw PostgresStoreError.newerSchema(found: version, supported: PostgresSchema.currentVersion, location: location.description)
            }
            for migration in PostgresSchema.migrations.dropFirst(version) {
                for statement in migration.split(separator: ";\n") where !statement.allSatisfy(\.isWhitespace) {
                    try await connection.query(PostgresQuery(unsafeSQL: String(statement)), logger: logger)
                }
            }
        }
    }

    /// The schema version the database is at.
    public func schemaVersion() async throws -> Int {
        try await rows("SELECT version FROM crawler_schema").first?.decode(Int.self) ?? 0
    }

    // MARK: Runs

    /// Records the start of a run by `node` with its settings (JSON, keys sorted). With
    /// `first`, the run starts the crawl: it is recorded only if the database holds no run
    /// yet (the table locked meanwhile, so of two nodes started at once as first, one is
    /// refused with `alreadyCrawled` and joins instead).
    public func beginRun(settings: some Encodable, node: NodeID?, fetchModel: FetchModel?, parseModel: ParseModel?, first: Bool = false) async throws -> CrawlRunID {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(settings), as: UTF8.self)
        let started = Date().timeIntervalSince1970
        let (nodeID, fetch, parse) = (node?.rawValue, fetchModel?.rawValue, parseModel?.rawValue)
        let id: Int64? = try await transaction { [logger] connection in
            if first { try await connection.query("LOCK TABLE runs IN SHARE ROW EXCLUSIVE MODE", logger: logger) }
            for try await id in try await connection.query("""
                INSERT INTO runs (node_id, settings, fetch_model, parse_model, started_at)
                SELECT \(nodeID), \(json), \(fetch), \(parse), \(started)
                WHERE NOT \(first) OR NOT EXISTS (SELECT 1 FROM runs) RETURNING id
                """, logger: logger).decode(Int64.self) { return id }
            return nil
        }
        guard let id else { throw PostgresStoreError.alreadyCrawled(location.description) }
        return CrawlRunID(rawValue: id)
    }

    /// Records how a run ended.
    public func endRun(_ run: CrawlRunID, outcome: CrawlOutcome) async throws {
        _ = try await rows("UPDATE runs SET ended_at = \(Date().timeIntervalSince1970), outcome = \(outcome.rawValue) WHERE id = \(run.rawValue)")
    }

    /// Every run, oldest first.
    public func runs() async throws -> [CrawlRun] {
        try await rows("SELECT id, settings, fetch_model, parse_model, started_at, ended_at, outcome FROM runs ORDER BY id").map { row in
            let (id, settings, fetch, parse, started, ended, outcome) = try row.decode((Int64, String, String?, String?, Double, Double?, String?).self)
            return CrawlRun(
                id: CrawlRunID(rawValue: id), settingsJSON: settings, fetchModel: fetch, parseModel: parse,
                startedAt: Date(timeIntervalSince1970: started), endedAt: ended.map(Date.init(timeIntervalSince1970:)),
                outcome: outcome.flatMap(CrawlOutcome.init(rawValue:)))
        }
    }

    /// Whether any URL was ever queued: a started crawl has seeded its frontier.
    public func hasFrontier() async throws -> Bool {
        try await rows("SELECT EXISTS (SELECT 1 FROM frontier)")[0].decode(Bool.self)
    }

    /// Pages stored, by every node.
    public func pageCount() async throws -> Int {
        try await rows("SELECT count(*) FROM pages")[0].decode(Int.self)
    }
}

/// A crawler process of the fleet, as numbered in the `nodes` table.
public struct NodeID: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

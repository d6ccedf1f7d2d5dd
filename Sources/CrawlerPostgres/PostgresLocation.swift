import Foundation

/// Where a crawl's PostgreSQL database is: a libpq-style URL
/// `postgres://USER@HOST:PORT/DBNAME` (also `postgresql://`). The password is never part of
/// it: it comes from `PGPASSWORD` or the user's `~/.pgpass` (or `PGPASSFILE`), as with psql,
/// and is never printed or stored.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    /// The password found for it (nil: none; the server may trust the connection).
    public var password: String?

    /// True when `argument` names a PostgreSQL database rather than a SQLite file.
    public static func isPostgres(_ argument: String) -> Bool {
        argument.hasPrefix("postgres://") || argument.hasPrefix("postgresql://")
    }

    /// Parses `url`; the password is looked up in `environment` (`PGPASSWORD`, `PGPASSFILE`,
    /// `HOME`) unless the URL carries one, which is refused (it would end up in shell history
    /// and process listings).
    public init(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isPostgres(url), let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw PostgresStoreError.badLocation(url, "expected postgres://USER@HOST:PORT/DBNAME")
        }
        if components.password != nil {
            throw PostgresStoreError.badLocation(Self.redacted(url), "put the password in PGPASSWORD or ~/.pgpass, not in the URL")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresStoreError.badLocation(url, "name the database: postgres://USER@HOST:PORT/DBNAME")
        }
        self.user = components.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        self.host = host
        self.port = components.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
        self.password = environment["PGPASSWORD"] ?? Self.passwordFromFile(
            path: environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" },
            host: host, port: self.port, database: self.database, user: self.user)
        if components.query != nil || components.fragment != nil {
            throw PostgresStoreError.badLocation(url, "options after ? are not supported; use postgres://USER@HOST:PORT/DBNAME")
        }
    }

    /// The URL without any password: safe to print and to store.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "postgres://…" }
        if components.password != nil { components.password = "…" }
        return components.string ?? "postgres://…"
    }

    /// The first matching line of a `.pgpass` file (`host:port:database:user:password`, `*`
    /// matching anything, `\:` and `\\` escaped), as libpq reads it.
    static func passwordFromFile(path: String?, host: String, port: Int, database: String, user: String) -> String? {
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = splitEscaped(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 || ($0 == "localhost" && ($1 == "127.0.0.1" || $1 == "::1")) }) {
                return fields[4]
            }
        }
        return nil
    }

    private static func splitEscaped(_ line: String) -> [String] {
        var fields: [String] = [], current = "", escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":", fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}

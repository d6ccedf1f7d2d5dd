import CrawlerPostgres
import Foundation
import TestSupport

/// A private PostgreSQL server for one test: `initdb` in a temporary folder (as the `postgres`
/// user when the tests run as root, since PostgreSQL refuses root), listening on a free
/// loopback port with password (SCRAM) logins, stopped and deleted by `stop()`.
struct PostgresCluster: Sendable {
    static let user = "crawler"
    static let password = "crawler-test-password"

    let directory: URL
    let port: Int
    let binaries: URL

    /// The environment a client of this server needs (the password in PGPASSWORD).
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = Self.password
        return environment
    }

    /// `postgres://crawler@127.0.0.1:PORT/NAME`.
    func url(database: String) -> String { "postgres://\(Self.user)@127.0.0.1:\(port)/\(database)" }

    /// The location of `database`, with the password as a client would find it.
    func location(database: String) throws -> PostgresLocation {
        try PostgresLocation(url(database: database), environment: environment)
    }

    static func start() async throws -> PostgresCluster {
        let binaries = try findBinaries()
        let directory = try temporaryDirectory("crawler-pg")
        let passwordFile = directory.appendingPathComponent("pwfile")
        try Self.password.write(to: passwordFile, atomically: true, encoding: .utf8)
        let asRoot = getuid() == 0
        if asRoot { try await run(URL(fileURLWithPath: "/bin/chown"), ["-R", "postgres:postgres", directory.path]) }
        let data = directory.appendingPathComponent("data").path
        try await runAsServerUser(asRoot, binaries.appendingPathComponent("initdb"), [
            "-D", data, "-U", user, "--pwfile", passwordFile.path, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C",
        ])
        let port = try freePort()
        try await runAsServerUser(asRoot, binaries.appendingPathComponent("pg_ctl"), [
            "-D", data, "-l", directory.appendingPathComponent("log").path, "-w", "-t", "120", "start", "-o",
            "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
        ])
        return PostgresCluster(directory: directory, port: port, binaries: binaries)
    }

    /// Creates an empty database.
    func createDatabase(_ name: String) async throws {
        try await Self.run(binaries.appendingPathComponent("createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", Self.user, name], environment: environment)
    }

    /// Runs SQL through psql; returns its output (unaligned, tuples only).
    @discardableResult
    func psql(_ database: String, _ sql: String) async throws -> String {
        try await Self.run(binaries.appendingPathComponent("psql"), [
            "-h", "127.0.0.1", "-p", String(port), "-U", Self.user, "-d", database, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql,
        ], environment: environment).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the server at once and deletes its folder.
    func stop() async {
        let asRoot = getuid() == 0
        _ = try? await Self.runAsServerUser(asRoot, binaries.appendingPathComponent("pg_ctl"), [
            "-D", directory.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop",
        ])
        try? FileManager.default.removeItem(at: directory)
    }

    private static func findBinaries() throws -> URL {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        guard let newest = versions.compactMap(Int.init).max() else {
            throw ClusterError("PostgreSQL's server is not installed (no /usr/lib/postgresql/N/bin): run make test, which installs Debian's postgresql")
        }
        return root.appendingPathComponent(String(newest)).appendingPathComponent("bin")
    }

    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw ClusterError("no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func runAsServerUser(_ asRoot: Bool, _ executable: URL, _ arguments: [String]) async throws {
        if asRoot {
            try await run(URL(fileURLWithPath: "/usr/sbin/runuser"), ["-u", "postgres", "--", executable.path] + arguments)
        } else {
            try await run(executable, arguments)
        }
    }

    @discardableResult
    private static func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) async throws -> String {
        let finished = try await ChildProcess.run(executable, arguments, environment: environment)
        guard finished.status == 0, !finished.signaled else {
            throw ClusterError("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) failed (\(finished.status)): \(finished.standardError)\(finished.standardOutput)")
        }
        return finished.standardOutput
    }
}

struct ClusterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

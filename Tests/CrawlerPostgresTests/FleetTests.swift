import CrawlerCore
import CrawlerGraph
import CrawlerPostgres
import Foundation
import SyntheticWeb
import TestSupport
import Testing

@testable import crawler

/// The crawl on PostgreSQL, end to end: real `crawler` processes against a private PostgreSQL
/// server and the synthetic web, checked against its answer key.
@Suite(.serialized)
struct FleetTests {
    static let web = SyntheticWebConfig(seed: 42, hosts: 3, pages: 90, meanPageKB: 8, port: 0)

    /// The stored crawl against the answer key (the demo's check); empty when they match exactly.
    static func differences(_ store: PostgresGraphStore, key: AnswerKey) async throws -> [String] {
        let check = AnswerKeyCheck(key: key, pages: try await store.storedPages(), links: try await store.storedLinks())
        return check.isExact ? [] : [check.report]
    }

    static func crawler(_ arguments: [String], cluster: PostgresCluster) throws -> ChildProcess {
        try ChildProcess(CrawlerBinary.url, arguments, environment: cluster.environment)
    }

    /// Waits (up to two minutes) until `sql` answers at least `count`.
    static func waitFor(_ cluster: PostgresCluster, _ database: String, _ sql: String, atLeast count: Int) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(120)
        var seen = 0
        while ContinuousClock.now < deadline {
            seen = Int((try? await cluster.psql(database, sql)) ?? "") ?? 0
            if seen >= count { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return seen
    }

    /// Runs `body` with a private PostgreSQL server holding an empty database `database` and a
    /// synthetic web of `config`; stops both however it ends.
    static func withFleet(_ database: String, web config: SyntheticWebConfig, _ body: (PostgresCluster, SyntheticWebServer) async throws -> Void) async throws {
        let cluster = try await PostgresCluster.start()
        do {
            let server = try await SyntheticWebServer.start(config)
            do {
                try await cluster.createDatabase(database)
                try await body(cluster, server)
            } catch {
                Issue.record(error)
            }
            try await server.shutdown()
        } catch {
            Issue.record(error)
        }
        await cluster.stop()
    }

    /// A first node seeds the crawl and `nodes - 1` more join it, all started at once (the
    /// joining nodes wait for the crawl to be seeded). Waits for every node to end.
    static func crawlWithFleet(_ nodes: Int, _ cluster: PostgresCluster, _ server: SyntheticWebServer, _ database: String, _ options: [String]) async throws -> [ChildProcess.Finished] {
        let common = ["--db", cluster.url(database: database)] + options
        let first = try crawler(["crawl"] + server.seedURLs.map(\.string) + common, cluster: cluster)
        let others = try (1..<nodes).map { _ in try crawler(["crawl", "--join"] + common, cluster: cluster) }
        var runs = [await first.finish()]
        for other in others { runs.append(await other.finish()) }
        return runs
    }

    @Test func oneNodeFindsExactlyTheAnswerKey() async throws {
        try await Self.withFleet("one", web: Self.web) { cluster, server in
            let runs = try await Self.crawlWithFleet(1, cluster, server, "one", ["--fetch-concurrency", "8"])
            #expect(runs[0].status == 0, "\(runs[0].standardError)")
            #expect(!runs[0].standardOutput.contains(PostgresCluster.password) && !runs[0].standardError.contains(PostgresCluster.password))
            let store = try await PostgresGraphStore.open(try cluster.location(database: "one"))
            let differences = try await Self.differences(store, key: server.answerKey())
            #expect(differences.isEmpty, "\(differences)")
            #expect(try await store.schemaVersion() == PostgresSchema.currentVersion)
            await store.close()
            // The stored settings never hold the password.
            #expect(try await !cluster.psql("one", "SELECT string_agg(settings, '') FROM runs").contains(PostgresCluster.password))

            // stats: the same figures as the database, and the fleet.
            let pages = Int(try await cluster.psql("one", "SELECT count(*) FROM pages")) ?? -1
            let stats = try await Self.crawler(["stats", "--json", "--db", cluster.url(database: "one")], cluster: cluster).finish()
            #expect(stats.status == 0, "\(stats.standardError)")
            let object = try JSONSerialization.jsonObject(with: Data(stats.standardOutput.utf8)) as? [String: Any] ?? [:]
            #expect((object["totals"] as? [String: Any])?["pages"] as? Int == pages)
            #expect(object["lastRunOutcome"] as? String == "completed")
            let fleet = object["fleet"] as? [[String: Any]] ?? []
            #expect(fleet.count == 1 && fleet.first?["pages"] as? Int == pages, "\(fleet)")
            let table = try await Self.crawler(["stats", "--db", cluster.url(database: "one")], cluster: cluster).finish()
            #expect(table.standardOutput.contains("Fleet: 1 node seen, 0 crawling, 0 host leases held"), "\(table.standardOutput)")

            // export: one line per distinct (source, target) pair, streamed from the snapshot.
            let edges = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-\(UUID().uuidString).tsv")
            defer { try? FileManager.default.removeItem(at: edges) }
            let export = try await Self.crawler(["export", "--db", cluster.url(database: "one"), "--format", "edgelist", "--output", edges.path], cluster: cluster).finish()
            #expect(export.status == 0, "\(export.standardError)")
            let lines = try String(contentsOf: edges, encoding: .utf8).split(separator: "\n").count
            #expect(lines == Int(try await cluster.psql("one", "SELECT count(*) FROM (SELECT DISTINCT source_id, target_id FROM links) pairs")), "\(export.standardOutput)")
        }
    }

    /// Three nodes on one crawl: the answer key exactly, every page fetched once, each node's
    /// page count true, and --per-host held across the fleet (one host is leased by one node at
    /// a time).
    @Test func threeNodesFindExactlyTheAnswerKey() async throws {
        var config = Self.web
        config.pages = 300
        config.latencyMs = 20
        try await Self.withFleet("three", web: config) { cluster, server in
            let runs = try await Self.crawlWithFleet(3, cluster, server, "three", ["--fetch-concurrency", "8", "--per-host", "2", "--lease", "5"])
            for run in runs { #expect(run.status == 0, "\(run.standardError)") }
            let store = try await PostgresGraphStore.open(try cluster.location(database: "three"))
            let differences = try await Self.differences(store, key: server.answerKey())
            #expect(differences.isEmpty, "\(differences)")
            await store.close()
            #expect(try await cluster.psql("three", "SELECT count(*) FROM nodes") == "3")
            #expect(try await cluster.psql("three", "SELECT sum(pages) = (SELECT count(*) FROM pages) FROM nodes") == "t")
            let stats = server.requestStats
            for (host, figures) in stats.hosts {
                #expect(figures.maxInFlight <= 2, "\(host): \(figures.maxInFlight) requests at once")
            }
            #expect(stats.repeatedRequests.filter { !$0.hasSuffix("/robots.txt") }.isEmpty, "\(stats.repeatedRequests.prefix(5))")
        }
    }

    /// --per-host and --delay across three nodes, as the synthetic web counts requests: a host
    /// handed from one node to another waits out the delay first. The mean gap, not the
    /// shortest: a loaded machine can hold one request's send back (see `PolitenessTests`); a
    /// handover without the delay would pull the mean of a host's dozen gaps under the bound.
    @Test func politenessHoldsAcrossTheFleet() async throws {
        let config = SyntheticWebConfig(seed: 5, hosts: 3, pages: 36, meanPageKB: 2, port: 0, latencyMs: 20)
        try await Self.withFleet("polite", web: config) { cluster, server in
            let runs = try await Self.crawlWithFleet(3, cluster, server, "polite", ["--fetch-concurrency", "8", "--per-host", "2", "--delay", "400", "--lease", "5"])
            for run in runs { #expect(run.status == 0, "\(run.standardError)") }
            let stats = server.requestStats
            #expect(stats.hosts.count == 3)
            for (host, figures) in stats.hosts {
                #expect(figures.maxInFlight <= 2, "\(host): \(figures.maxInFlight) requests at once")
                #expect(figures.requests > 5)
                #expect((figures.meanGapSeconds ?? 0) >= 0.36, "\(host): requests arrived \(figures.meanGapSeconds ?? 0) s apart on average")
            }
            // More than one node fetched: the fleet shared the hosts.
            #expect(try await Int(cluster.psql("polite", "SELECT count(*) FROM nodes WHERE pages > 0")) ?? 0 >= 2)
        }
    }

    /// A node killed with SIGKILL midway: its leases lapse, its in-flight URLs go back to the
    /// queue, and the node left finishes the crawl to the answer key.
    @Test func aKilledNodesWorkIsFinishedByTheOthers() async throws {
        var config = Self.web
        config.pages = 400
        config.latencyMs = 30
        try await Self.withFleet("kill", web: config) { cluster, server in
            let common = ["--db", cluster.url(database: "kill"), "--fetch-concurrency", "4", "--per-host", "1", "--lease", "3"]
            let victim = try Self.crawler(["crawl"] + server.seedURLs.map(\.string) + common, cluster: cluster)
            _ = try await Self.waitFor(cluster, "kill", "SELECT count(*) FROM runs", atLeast: 1)
            let survivor = try Self.crawler(["crawl", "--join"] + common, cluster: cluster)
            // Killed once both hold work: the victim has stored some pages and holds URLs in flight.
            let stored = try await Self.waitFor(cluster, "kill", "SELECT count(*) FROM pages WHERE node_id = 1", atLeast: 20)
            victim.send(SIGKILL)
            let killed = await victim.finish()
            #expect(killed.signaled, "the first node ended before the kill (\(stored) pages): \(killed.standardError)")
            let run = await survivor.finish()
            #expect(run.status == 0, "\(run.standardError)")
            let store = try await PostgresGraphStore.open(try cluster.location(database: "kill"))
            let differences = try await Self.differences(store, key: server.answerKey())
            #expect(differences.isEmpty, "\(differences)")
            #expect(try await store.frontierCounts().inFlight == 0)
            await store.close()
        }
    }

    @Test func aWrongPasswordAnUnreachableServerAndANewerSchemaSayWhatToDo() async throws {
        let cluster = try await PostgresCluster.start()
        do {
            try await cluster.createDatabase("errors")
            var wrong = cluster.environment
            wrong["PGPASSWORD"] = "not-the-password"
            let refused = await (try ChildProcess(CrawlerBinary.url, ["crawl", "http://127.0.0.1:9/", "--db", cluster.url(database: "errors")], environment: wrong)).finish()
            #expect(refused.status != 0)
            #expect(refused.standardError.contains("refused the login"), "\(refused.standardError)")
            #expect(!refused.standardError.contains("not-the-password"))

            let closedPort = try PostgresLocation("postgres://crawler@127.0.0.1:1/errors", environment: cluster.environment)
            await #expect(throws: PostgresStoreError.self) { _ = try await PostgresGraphStore.open(closedPort) }
            let unreachable = try await Self.crawler(["crawl", "http://127.0.0.1:9/", "--db", "postgres://crawler@127.0.0.1:1/errors"], cluster: cluster).finish()
            #expect(unreachable.status != 0)
            #expect(unreachable.standardError.contains("cannot reach PostgreSQL"), "\(unreachable.standardError)")

            let store = try await PostgresGraphStore.open(try cluster.location(database: "errors"))
            await store.close()
            try await cluster.psql("errors", "UPDATE crawler_schema SET version = 99")
            let newer = try await Self.crawler(["crawl", "http://127.0.0.1:9/", "--db", cluster.url(database: "errors")], cluster: cluster).finish()
            #expect(newer.status != 0)
            #expect(newer.standardError.contains("schema version 99"), "\(newer.standardError)")

            let join = try await Self.crawler(["crawl", "--join", "--db", cluster.url(database: "empty")], cluster: cluster).finish()
            #expect(join.status != 0)
            // A database where no crawl starts: the joining node waits --join-wait seconds, then says so.
            try await cluster.createDatabase("nocrawl")
            let alone = try await Self.crawler(["crawl", "--join", "--join-wait", "1", "--db", cluster.url(database: "nocrawl")], cluster: cluster).finish()
            #expect(alone.status != 0)
            #expect(alone.standardError.contains("waiting up to 1 s"), "\(alone.standardError)")
            #expect(alone.standardError.contains("no crawl to join (waited 1 s"), "\(alone.standardError)")
        } catch {
            Issue.record(error)
        }
        await cluster.stop()
    }
}

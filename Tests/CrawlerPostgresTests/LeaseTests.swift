import CrawlerCore
import CrawlerGraph
import CrawlerPostgres
import Foundation
import TestSupport
import Testing

/// The lease rules in the database, step by step and without waiting on any clock: one node per
/// host, a host handed back stays untaken for the per-host delay (by every node), and a node
/// holding nothing of a host gives its lease up at its next claim.
@Suite(.serialized)
struct LeaseTests {
    static let first = NormalizedURL("http://127.0.0.1:8080/a")!
    static let second = NormalizedURL("http://127.0.0.1:8080/b")!

    /// Runs `body` with a store over the empty database `name` of a private server; closes
    /// and stops both however it ends.
    static func withStore(_ name: String, _ body: (PostgresCluster, PostgresGraphStore) async throws -> Void) async throws {
        let cluster = try await PostgresCluster.start()
        do {
            try await cluster.createDatabase(name)
            let store = try await PostgresGraphStore.open(try cluster.location(database: name))
            do {
                try await body(cluster, store)
            } catch {
                Issue.record(error)
            }
            await store.close()
        } catch {
            Issue.record(error)
        }
        await cluster.stop()
    }

    /// Claims for `node` by discovery only, holding `holding`; the URLs it got.
    static func discover(_ store: PostgresGraphStore, _ node: NodeID, handover: Double, holding: Set<String> = []) async throws -> [String] {
        try await store.claim(
            node: node, hosts: [:], discover: 4, perHost: 1, known: [], leaseSeconds: 60, handoverSeconds: handover, holding: holding
        ).values.flatMap { $0.map(\.url.string) }
    }

    @Test(arguments: [3600.0, 0])
    func aHandedBackHostWaitsOutTheDelay(handover: Double) async throws {
        try await Self.withStore("lease") { cluster, store in
            _ = try await store.seed([Self.first, Self.second])
            let a = try await store.join(name: "a"), b = try await store.join(name: "b")
            #expect(try await Self.discover(store, a, handover: handover) == [Self.first.string])
            // Leased by a, which holds a URL of it: nothing for b.
            #expect(try await Self.discover(store, b, handover: handover, holding: []).isEmpty)
            // a holds nothing of the host any more: its next claim hands the lease back ...
            let again = try await Self.discover(store, a, handover: handover, holding: [])
            let host = try await cluster.psql("lease", "SELECT coalesce(lease_node::text, 'none') FROM hosts")
            if handover > 0 {
                // ... and no node, a included, takes it before the delay is over.
                #expect(again.isEmpty)
                #expect(host == "none")
                #expect(try await Self.discover(store, b, handover: handover).isEmpty)
            } else {
                // ... and with no delay, the host is free at once (a took it again here).
                #expect(again == [Self.second.string])
                #expect(host == "\(a.rawValue)")
            }
        }
    }

    /// A node that leased every host while alone gets refills for its fair share only once a
    /// second node joins: the hosts past its share run dry, it lets them go at its next claim,
    /// and the new node leases them.
    @Test func aNodePastItsShareLetsHostsGoToANewNode() async throws {
        try await Self.withStore("share") { cluster, store in
            let hosts = (1...4).map { "127.0.0.\($0):8080" }
            _ = try await store.seed(hosts.flatMap { [NormalizedURL("http://\($0)/a")!, NormalizedURL("http://\($0)/b")!] })
            let a = try await store.join(name: "a")
            #expect(try await Self.discover(store, a, handover: 0).count == 4)
            let b = try await store.join(name: "b")
            // Two live nodes, four hosts with work: a's share is two, the two of lowest id.
            let refill = try await store.claim(
                node: a, hosts: Dictionary(uniqueKeysWithValues: hosts.map { ($0, 1) }), discover: 0, perHost: 1, known: Set(hosts),
                leaseSeconds: 60, handoverSeconds: 0, holding: Set(hosts))
            #expect(Set(refill.keys) == Set(hosts.prefix(2)))
            #expect(refill.values.allSatisfy { $0.map(\.url.path) == ["/b"] })
            // Nothing of the other two held any more: a's next claim lets them go, b takes them.
            _ = try await store.claim(
                node: a, hosts: [:], discover: 4, perHost: 1, known: Set(hosts), leaseSeconds: 60, handoverSeconds: 0, holding: Set(hosts.prefix(2)))
            #expect(Set(try await Self.discover(store, b, handover: 0)) == Set(hosts.suffix(2).map { "http://\($0)/b" }))
            let leases = try await cluster.psql("share", "SELECT string_agg(lease_node::text, ',' ORDER BY id) FROM hosts")
            #expect(leases == "\(a.rawValue),\(a.rawValue),\(b.rawValue),\(b.rawValue)")
        }
    }

    /// Of two nodes started as the first of one crawl, whichever records its run second is
    /// refused (and told to join): two runs both starting the crawl never happen.
    @Test func onlyOneNodeStartsTheCrawl() async throws {
        try await Self.withStore("first") { cluster, store in
            let a = try await store.join(name: "a"), b = try await store.join(name: "b")
            func start(_ node: NodeID, _ seed: String) async -> Result<CrawlRunID, any Error> {
                do {
                    return .success(try await store.beginRun(settings: ["seed": seed], node: node, fetchModel: nil, parseModel: nil, first: true))
                } catch {
                    return .failure(error)
                }
            }
            async let one = start(a, "a")
            async let two = start(b, "b")
            let results = await [one, two]
            #expect(results.filter { (try? $0.get()) != nil }.count == 1)
            for case .failure(let error) in results { #expect("\(error)".contains("--join"), "\(error)") }
            #expect(try await store.runs().count == 1)
            // A joining node's run is recorded whatever runs there are.
            _ = try await store.beginRun(settings: ["seed": "c"], node: b, fetchModel: nil, parseModel: nil)
            #expect(try await store.runs().count == 2)
        }
    }

    /// A node that stopped renewing: its claimed URLs count as work left until it is reaped
    /// (so no other node ends the crawl meanwhile); reaping puts them back in the queue; and
    /// the node, if it comes back, learns from its heartbeat that it must stop.
    @Test func aSilentNodesWorkIsNeverForgotten() async throws {
        try await Self.withStore("silent") { cluster, store in
            _ = try await store.seed([Self.first])
            let a = try await store.join(name: "a"), b = try await store.join(name: "b")
            #expect(try await Self.discover(store, a, handover: 0) == [Self.first.string])
            try await cluster.psql("silent", "UPDATE nodes SET seen_at = now() - interval '1 hour' WHERE id = \(a.rawValue)")
            // Silent for an hour but not yet reaped: its URL is still work left.
            let before = try await store.fleetWork(node: b)
            #expect(before.queued == 0 && before.inFlightElsewhere == 1)
            #expect(try await store.reapDeadNodes(leaseSeconds: 60, handoverSeconds: 0) == 1)
            let after = try await store.fleetWork(node: b)
            #expect(after.queued == 1 && after.inFlightElsewhere == 0)
            #expect(try await store.heartbeat(a, leaseSeconds: 60) == false)
            #expect(try await store.heartbeat(b, leaseSeconds: 60) == true)
            #expect(try await Self.discover(store, b, handover: 0) == [Self.first.string])
        }
    }
}

import CrawlerCore
import CrawlerGraph
import Foundation
import PostgresNIO

/// The fleet's rules, all in the database and all on the server's clock:
/// - a node is alive while it renews its heartbeat (`nodes.seen_at`) within the lease time;
/// - a node fetches a host only while it holds the host's lease (`hosts.lease_node`,
///   `lease_until`), taken with `FOR UPDATE SKIP LOCKED` so two nodes never take one host;
/// - a node takes at most its fair share of the hosts with work (hosts with queued URLs or a
///   live lease, over live nodes), so hosts spread over the fleet as evenly as their queues allow;
/// - a dead node's leases lapse, and its in-flight URLs go back to the queue (`reapDeadNodes`).
extension PostgresGraphStore {
    /// Registers this process as a node of the fleet.
    public func join(name: String) async throws -> NodeID {
        let row = try await rows("INSERT INTO nodes (name) VALUES (\(name)) RETURNING id")
        return NodeID(rawValue: try row[0].decode(Int64.self))
    }

    /// Renews `node`'s heartbeat and every lease it holds, for `leaseSeconds` more. Returns
    /// false, renewing nothing, when the node was declared gone meanwhile (it stalled longer
    /// than its lease): its URLs went back to the queue and its hosts may be another node's
    /// now, so it must stop.
    public func heartbeat(_ node: NodeID, leaseSeconds: Double) async throws -> Bool {
        try await transaction { [logger] connection in
            var alive = false
            for try await _ in try await connection.query(
                "UPDATE nodes SET seen_at = now() WHERE id = \(node.rawValue) AND left_at IS NULL RETURNING id", logger: logger
            ) { alive = true }
            guard alive else { return false }
            try await connection.query(
                "UPDATE hosts SET lease_until = now() + make_interval(secs => \(leaseSeconds)) WHERE lease_node = \(node.rawValue)", logger: logger)
            return true
        }
    }

    /// A node leaving cleanly: its in-flight URLs back to the queue, its leases given up (no
    /// node takes them for `handoverSeconds`, the per-host delay).
    public func leave(_ node: NodeID, handoverSeconds: Double) async throws {
        try await transaction { [logger] connection in
            try await connection.query("UPDATE frontier SET state = 0, node_id = NULL WHERE state = 1 AND node_id = \(node.rawValue)", logger: logger)
            try await connection.query(
                "UPDATE hosts SET lease_node = NULL, lease_until = NULL, free_at = now() + make_interval(secs => \(handoverSeconds)) WHERE lease_node = \(node.rawValue)",
                logger: logger)
            try await connection.query("UPDATE nodes SET left_at = now() WHERE id = \(node.rawValue)", logger: logger)
        }
    }

    /// Nodes that stopped renewing for longer than `leaseSeconds` are declared gone: their
    /// in-flight URLs go back to the queue and their leases are cleared. Returns how many URLs
    /// went back. Any node may run it; running it twice changes nothing.
    @discardableResult
    public func reapDeadNodes(leaseSeconds: Double, handoverSeconds: Double) async throws -> Int {
        try await transaction { [logger] connection in
            var dead: [Int64] = []
            for try await id in try await connection.query("""
                UPDATE nodes SET left_at = now()
                WHERE left_at IS NULL AND seen_at < now() - make_interval(secs => \(leaseSeconds)) RETURNING id
                """, logger: logger).decode(Int64.self) { dead.append(id) }
            guard !dead.isEmpty else { return 0 }
            var requeued = 0
            for try await _ in try await connection.query(
                "UPDATE frontier SET state = 0, node_id = NULL WHERE state = 1 AND node_id = ANY(\(dead)) RETURNING seq", logger: logger
            ) { requeued += 1 }
            try await connection.query(
                "UPDATE hosts SET lease_node = NULL, lease_until = NULL, free_at = now() + make_interval(secs => \(handoverSeconds)) WHERE lease_node = ANY(\(dead))",
                logger: logger)
            return requeued
        }
    }

    /// Claims work for `node`'s host queues in one transaction (see `CrawlStore.claim`): renews
    /// or takes the lease of each named host and claims up to `wanted[host]` of its queued URLs
    /// (a host leased by another live node gives none), then takes the leases of up to
    /// `discover` more hosts with queued work (shallowest first, never one of `known`, never
    /// past this node's fair share) and claims up to `perHost` URLs of each.
    ///
    /// `holding` names the hosts of which the node has URLs claimed and not yet committed: it
    /// keeps their leases. Every other lease it holds is handed back first (a host it finished
    /// with, or named here and found empty), so a lease lives exactly as long as the node has
    /// work of that host, and the heartbeat never keeps a host from the rest of the fleet.
    ///
    /// A node holding more than its fair share (nodes joined after it leased its hosts) gets
    /// no refill for the hosts past its share: their windows run dry, the node lets them go,
    /// and the nodes that joined lease them. Without this a node that started alone would keep
    /// every host until each ran out of URLs, and the nodes that joined would wait for nothing.
    public func claim(
        node: NodeID, hosts wanted: [String: Int], discover: Int, perHost: Int, known: Set<String>, leaseSeconds: Double,
        handoverSeconds: Double, holding: Set<String>
    ) async throws -> [String: [FrontierEntry]] {
        try await transaction { [logger] connection in
            let me = node.rawValue
            try await connection.query("""
                UPDATE hosts SET lease_node = NULL, lease_until = NULL, free_at = now() + make_interval(secs => \(handoverSeconds))
                WHERE lease_node = \(me) AND NOT (name = ANY(\(Array(holding.union(wanted.keys)))))
                """, logger: logger)
            var limits: [Int64: Int] = [:]
            var names: [Int64: String] = [:]
            let share = try await Self.fairShare(connection, node: me, leaseSeconds: leaseSeconds, logger: logger)
            // Past its share (nodes joined since it took its hosts), a node refills only its
            // first `share` hosts by id: the others drain, the node lets them go, and the nodes
            // below their share lease them. Always the same hosts, so no more are shed than needed.
            let shed = Array(share.leases.dropFirst(share.share))
            let named = wanted.filter { $0.value > 0 }
            if !named.isEmpty {
                for try await (id, name) in try await connection.query("""
                    UPDATE hosts SET lease_node = \(me), lease_until = now() + make_interval(secs => \(leaseSeconds))
                    WHERE name = ANY(\(Array(named.keys))) AND NOT (id = ANY(\(shed))) AND (lease_node = \(me) OR (
                        (lease_node IS NULL OR lease_until + make_interval(secs => \(handoverSeconds)) < now()) AND (free_at IS NULL OR free_at <= now())))
                    RETURNING id, name
                    """, logger: logger).decode((Int64, String).self)
                {
                    limits[id] = named[name]
                    names[id] = name
                }
            }
            if discover > 0, perHost > 0 {
                // Named hosts may have been leased just now.
                let left = share.share - Set(share.leases).union(names.keys).count
                let count = min(discover, left)
                if count > 0 {
                    var picked: [Int64] = []
                    for try await (id, name) in try await connection.query("""
                        SELECT h.id, h.name FROM hosts h
                        WHERE (h.lease_node = \(me) OR (
                            (h.lease_node IS NULL OR h.lease_until + make_interval(secs => \(handoverSeconds)) < now()) AND (h.free_at IS NULL OR h.free_at <= now())))
                          AND NOT (h.name = ANY(\(Array(known) + Array(wanted.keys))))
                          AND EXISTS (SELECT 1 FROM frontier f WHERE f.host_id = h.id AND f.state = 0)
                        ORDER BY (SELECT f.depth FROM frontier f WHERE f.host_id = h.id AND f.state = 0 ORDER BY f.depth LIMIT 1), h.id
                        LIMIT \(count) FOR UPDATE OF h SKIP LOCKED
                        """, logger: logger).decode((Int64, String).self)
                    {
                        picked.append(id)
                        limits[id] = perHost
                        names[id] = name
                    }
                    if !picked.isEmpty {
                        try await connection.query("""
                            UPDATE hosts SET lease_node = \(me), lease_until = now() + make_interval(secs => \(leaseSeconds)) WHERE id = ANY(\(picked))
                            """, logger: logger)
                    }
                }
            }
            var claimed: [String: [(seq: Int64, entry: FrontierEntry)]] = [:]
            if !limits.isEmpty {
                let ids = Array(limits.keys)
                let counts = ids.map { limits[$0]! }
                for try await (host, seq, depth, url) in try await connection.query("""
                    WITH picked AS (
                        SELECT f.seq FROM unnest(\(ids)::bigint[], \(counts)::bigint[]) AS w(host_id, n)
                        CROSS JOIN LATERAL (
                            SELECT seq FROM frontier WHERE host_id = w.host_id AND state = 0 ORDER BY depth, seq LIMIT w.n
                        ) f
                    )
                    UPDATE frontier f SET state = 1, node_id = \(me) FROM picked, urls u
                    WHERE f.seq = picked.seq AND u.id = f.url_id AND f.state = 0
                    RETURNING f.host_id, f.seq, f.depth, u.url
                    """, logger: logger).decode((Int64, Int64, Int, String).self)
                {
                    guard let name = names[host] else { continue }
                    // A URL that no longer parses is retired below, not retried forever.
                    guard let normalized = NormalizedURL(url) else {
                        try await connection.query("UPDATE frontier SET state = 2 WHERE seq = \(seq)", logger: logger)
                        continue
                    }
                    claimed[name, default: []].append((seq, FrontierEntry(url: normalized, depth: depth)))
                }
            }
            // Named hosts with nothing left and nothing of theirs in flight here: hand the lease back.
            let drained = names.filter { wanted[$0.value] != nil && claimed[$0.value] == nil && !holding.contains($0.value) }.map(\.key)
            if !drained.isEmpty {
                try await connection.query(
                    "UPDATE hosts SET lease_node = NULL, lease_until = NULL, free_at = now() + make_interval(secs => \(handoverSeconds)) WHERE id = ANY(\(drained)) AND lease_node = \(me)",
                    logger: logger)
            }
            return claimed.mapValues { $0.sorted { ($0.entry.depth, $0.seq) < ($1.entry.depth, $1.seq) }.map(\.entry) }
        }
    }

    /// `node`'s fair share of the hosts with work (queued URLs or a live lease) over the live
    /// nodes, and the live leases it holds.
    private static func fairShare(_ connection: PostgresConnection, node: Int64, leaseSeconds: Double, logger: Logger) async throws -> FairShare {
        for try await (nodes, busy, mine) in try await connection.query("""
            SELECT
                (SELECT count(*) FROM nodes WHERE left_at IS NULL AND seen_at > now() - make_interval(secs => \(leaseSeconds))),
                (SELECT count(*) FROM hosts h WHERE (h.lease_node IS NOT NULL AND h.lease_until > now())
                    OR EXISTS (SELECT 1 FROM frontier f WHERE f.host_id = h.id AND f.state = 0)),
                array(SELECT id FROM hosts WHERE lease_node = \(node) AND lease_until > now() ORDER BY id)
            """, logger: logger).decode((Int, Int, [Int64]).self)
        {
            return FairShare(share: (busy + max(1, nodes) - 1) / max(1, nodes), leases: mine)
        }
        return FairShare(share: 0, leases: [])
    }

    /// A node's fair share of the hosts, and the hosts it holds the leases of, by id.
    private struct FairShare {
        var share: Int
        var leases: [Int64]
    }

    /// Puts claimed URLs that were never started back in the queue.
    public func release(_ urls: [NormalizedURL], node: NodeID) async throws {
        guard !urls.isEmpty else { return }
        let strings = urls.map(\.string)
        // In a transaction, so a deadlock with another node's commit is retried.
        try await transaction { [logger] connection in
            _ = try await connection.query("""
                UPDATE frontier f SET state = 0, node_id = NULL FROM urls u
                WHERE u.url = ANY(\(strings)) AND f.url_id = u.id AND f.state = 1 AND f.node_id = \(node.rawValue)
                """, logger: logger)
        }
    }

    /// Work left anywhere in the crawl: URLs queued, and URLs in flight on other nodes that
    /// have not left. A node that died counts until it is reaped (its URLs then go back to
    /// the queue), so no node ends the crawl while a dead node's URLs are still claimed.
    public func fleetWork(node: NodeID) async throws -> (queued: Int, inFlightElsewhere: Int) {
        let row = try await rows("""
            SELECT (SELECT count(*) FROM frontier WHERE state = 0),
                   (SELECT count(*) FROM frontier f JOIN nodes n ON n.id = f.node_id
                    WHERE f.state = 1 AND f.node_id <> \(node.rawValue) AND n.left_at IS NULL)
            """)[0]
        let (queued, elsewhere) = try row.decode((Int, Int).self)
        return (queued, elsewhere)
    }

    /// The frontier's size by state.
    public func frontierCounts() async throws -> FrontierCounts {
        let row = try await rows("""
            SELECT count(*) FILTER (WHERE state = 0), count(*) FILTER (WHERE state = 1),
                   count(*) FILTER (WHERE state = 2), count(*) FILTER (WHERE state = 3) FROM frontier
            """)[0]
        let (queued, inFlight, done, parked) = try row.decode((Int, Int, Int, Int).self)
        return FrontierCounts(queued: queued, inFlight: inFlight, done: done, parked: parked)
    }

    /// Pages stored per host, by the whole fleet.
    public func fetchedPagesPerHost() async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try await rows("SELECT h.name, count(*) FROM pages p JOIN urls u ON u.id = p.url_id JOIN hosts h ON h.id = u.host_id GROUP BY h.name") {
            let (name, count) = try row.decode((String, Int).self)
            result[name] = count
        }
        return result
    }
}

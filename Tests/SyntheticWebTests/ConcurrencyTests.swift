import CrawlerCore
import Testing
@testable import SyntheticWeb

@Suite("Concurrency") struct ConcurrencyTests {
    @Test func servesTwoHundredConcurrentKeepAliveConnections() async throws {
        var config = TestWeb.config()
        // Each request is held a second: 200 connections opened on loopback take milliseconds,
        // so at least half are open at once even when a loaded machine stretches that many
        // times (300 ms was a thin margin there).
        config.latencyMs = 1000
        try await TestWeb.with(config) { server in
            let urls = server.model.contentPageURLs
            let responses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for number in 0..<200 {
                    let first = urls[number % urls.count]
                    let second = urls[(number * 7 + 1) % urls.count]
                    guard first.authority == second.authority else {
                        group.addTask { [try await server.get(first).status, try await server.get(first).status] }
                        continue
                    }
                    group.addTask {
                        let exchange = try await HTTPTestClient.send(
                            first.host, port: server.port,
                            requests: [("GET", first.pathAndQuery, first.authority), ("GET", second.pathAndQuery, second.authority)],
                            keepAlive: true)
                        return exchange.responses.map(\.status)
                    }
                }
                var all: [[Int]] = []
                for try await statuses in group { all.append(statuses) }
                return all
            }
            #expect(responses.count == 200)
            #expect(responses.allSatisfy { $0 == [200, 200] })
            let stats = server.requestStats
            #expect(stats.totalRequests == 400)
            let maxOpen = stats.hosts.values.map(\.maxOpenConnections).reduce(0, +)
            #expect(maxOpen >= 100, "connections open at once across hosts: \(maxOpen)")
        }
    }
}

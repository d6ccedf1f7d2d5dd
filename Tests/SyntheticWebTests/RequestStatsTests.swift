import CrawlerCore
import Testing
@testable import SyntheticWeb

@Suite("Request statistics") struct RequestStatsTests {
    @Test func countsRequestsPathsAndConcurrencyPerHost() async throws {
        var config = TestWeb.config()
        // Each request is held 2 s, many times what starting 12 takes on a loaded machine.
        config.latencyMs = 2000
        try await TestWeb.with(config) { server in
            let home = server.seedURLs[1]
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 { group.addTask { try await server.get(home).status } }
                for try await status in group { #expect(status == 200) }
            }
            _ = try await server.get(home.resolve("/robots.txt")!)
            let stats = server.requestStats[home.authority]
            #expect(stats.requests == 13)
            #expect(stats.maxInFlight >= 6, "12 concurrent requests with 2 s latency; saw \(stats.maxInFlight)")
            #expect(stats.inFlight == 0)
            #expect(stats.requestsPerPath["/"] == 12)
            #expect(stats.requestsPerPath["/robots.txt"] == 1)
            #expect(server.requestStats[server.seedURLs[0].authority].requests == 0)
            #expect(server.requestStats.repeatedRequests == ["\(home.authority)/"])
            server.resetStats()
            #expect(server.requestStats.totalRequests == 0)
        }
    }
}

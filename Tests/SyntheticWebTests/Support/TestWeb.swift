import CrawlerCore
import SyntheticWeb

/// Small webs for tests: each test starts its own server on a free port and shuts it down.
enum TestWeb {
    static func config(seed: UInt64 = 7, hosts: Int = 3, pages: Int = 60, faults: Bool = false) -> SyntheticWebConfig {
        SyntheticWebConfig(seed: seed, hosts: hosts, pages: pages, meanPageKB: 6, port: 0, faults: faults, slowResponseSeconds: 0.5)
    }

    /// Runs `body` with a started server, shutting it down afterwards whatever happens.
    static func with<T: Sendable>(_ config: SyntheticWebConfig, _ body: (SyntheticWebServer) async throws -> T) async throws -> T {
        let server = try await SyntheticWebServer.start(config)
        do {
            let result = try await body(server)
            try await server.shutdown()
            return result
        } catch {
            try? await server.shutdown()
            throw error
        }
    }
}

extension SyntheticWebServer {
    /// GET a URL of this web over real HTTP.
    func get(_ url: NormalizedURL, method: String = "GET") async throws -> HTTPTestClient.Response {
        try await HTTPTestClient.get(url.host, port: port, path: url.pathAndQuery, method: method)
    }
}

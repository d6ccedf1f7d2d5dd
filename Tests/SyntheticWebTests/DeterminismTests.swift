import CrawlerCore
import Testing
@testable import SyntheticWeb

@Suite("Determinism") struct DeterminismTests {
    @Test func sameSeedServesTheSameBytes() async throws {
        let config = TestWeb.config()
        let first = try await TestWeb.with(config) { server in
            try await server.model.contentPageURLs.prefix(20).asyncMap { try await server.get($0).body }
        }
        let second = try await TestWeb.with(config) { server in
            try await server.model.contentPageURLs.prefix(20).asyncMap { try await server.get($0).body }
        }
        // The port differs between the two servers and absolute links carry it, so compare with the port masked.
        #expect(first.count == 20)
        #expect(first.map(Self.maskPorts) == second.map(Self.maskPorts))
    }

    @Test func sameConfigAndPortGiveIdenticalModels() {
        let config = TestWeb.config()
        let first = SiteModel(config: config, port: 18080)
        let second = SiteModel(config: config, port: 18080)
        #expect(first.contentPageURLs == second.contentPageURLs)
        for url in first.contentPageURLs { #expect(first.body(for: url) == second.body(for: url)) }
        #expect(first.answerKey().links == second.answerKey().links)
    }

    @Test func differentSeedGivesADifferentWeb() {
        let first = SiteModel(config: TestWeb.config(seed: 1), port: 18080)
        let second = SiteModel(config: TestWeb.config(seed: 2), port: 18080)
        #expect(first.contentPageURLs != second.contentPageURLs)
        #expect(first.body(for: first.seedURLs[0]) != second.body(for: second.seedURLs[0]))
    }

    @Test func pageSizesAreLongTailedAroundTheMean() {
        var config = TestWeb.config(pages: 600)
        config.meanPageKB = 24
        let model = SiteModel(config: config, port: 18080)
        let sizes = model.contentPageURLs.map { model.body(for: $0)!.count }
        let mean = Double(sizes.reduce(0, +)) / Double(sizes.count)
        #expect(mean > 24 * 1024 * 0.6 && mean < 24 * 1024 * 1.6, "mean page size \(mean)")
        #expect(sizes.max()! > 3 * 24 * 1024, "a long tail")
    }

    static func maskPorts(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).replacing(/:0?\d{2,5}\//, with: ":PORT/")
    }
}

extension Sequence where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

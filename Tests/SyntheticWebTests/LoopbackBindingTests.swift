import CrawlerCore
import Foundation
import Testing
@testable import SyntheticWeb

@Suite("Binding") struct LoopbackBindingTests {
    @Test func bindsOnlyLoopbackAddressesOnOnePort() async throws {
        try await TestWeb.with(TestWeb.config(faults: true)) { server in
            let expected = (0..<4).map { "127.0.0.\($0 + 1):\(server.port)" }
            #expect(server.listeningAddresses == expected)
            // Nothing of ours listens on the wildcard address: /proc/net/tcp lists listeners (state 0A)
            // as hex address:port; 00000000 would be 0.0.0.0.
            // procfs files report size 0, so read to the end rather than by the reported size.
            let handle = try #require(FileHandle(forReadingAtPath: "/proc/net/tcp"))
            let table = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
            let portHex = String(format: "%04X", server.port)
            let listeners = table.split(separator: "\n").dropFirst().compactMap { line -> String? in
                let fields = line.split(separator: " ")
                guard fields.count > 3, fields[3] == "0A", fields[1].hasSuffix(":" + portHex) else { return nil }
                return String(fields[1].prefix(8))
            }
            #expect(listeners.count == 4)
            #expect(!listeners.contains("00000000"))
            #expect(listeners.allSatisfy { $0.hasSuffix("7F") }, "little-endian 127.x.x.x")
        }
    }

    @Test func offsiteHostIsLinkedButRefused() async throws {
        try await TestWeb.with(TestWeb.config()) { server in
            let offsiteHost = server.hostAddress(server.model.layout.offsiteHostIndex)
            let key = server.answerKey()
            let offsite = key.pages.filter { $0.url.host == offsiteHost }
            #expect(!offsite.isEmpty)
            #expect(offsite.allSatisfy { !$0.fetched && $0.notFetchedReason == "scope" && $0.expected == .failure("refused") })
            let first = try #require(offsite.first).url
            var refused = false
            do { _ = try await server.get(first) } catch { refused = true }
            #expect(refused)
            var any = FrontierOptions()
            any.scope = .any
            let withAnyScope = server.answerKey(frontier: any).pages.filter { $0.url.host == offsiteHost }
            let fetchedCount = withAnyScope.filter { $0.fetched }.count
            #expect(fetchedCount > 0)
            #expect(withAnyScope.allSatisfy { $0.fetched || $0.notFetchedReason == "nofollow" })
        }
    }

    @Test func aTakenPortSaysWhatToDo() async throws {
        try await TestWeb.with(TestWeb.config()) { server in
            var config = TestWeb.config()
            config.port = server.port
            await #expect(throws: SyntheticWebError.portInUse(address: "127.0.0.1", port: server.port)) {
                _ = try await SyntheticWebServer.start(config)
            }
            #expect(SyntheticWebError.portInUse(address: "127.0.0.1", port: 1).description.contains("--port 0"))
        }
    }

    @Test func boundedLifeStopsTheServer() async throws {
        var config = TestWeb.config()
        config.maxSeconds = 0.3
        config.latencyMs = 2000
        let server = try await SyntheticWebServer.start(config)
        // A request still waiting for its response when the time is up is cut off.
        let host = server.seedURLs[0].host
        let port = server.port
        let cutOff = Task { try await HTTPTestClient.get(host, port: port, path: "/") }
        await server.waitUntilStopped()
        let result = await cutOff.result
        var failed = false
        if case .failure = result { failed = true }
        #expect(failed, "the connection was closed without a response")
        await #expect(throws: (any Error).self) { _ = try await server.get(server.seedURLs[0]) }
        try await server.shutdown()
    }
}

import CrawlerCore
import Testing
@testable import Crawler

struct FrontierPolicyTests {
    static let seeds = [NormalizedURL("http://127.0.0.2:8080/")!, NormalizedURL("https://www.example.co.uk/")!]

    func policy(_ configure: (inout FrontierOptions) -> Void = { _ in }) throws -> FrontierPolicy {
        var options = FrontierOptions()
        configure(&options)
        return try FrontierPolicy(options: options, seeds: Self.seeds)
    }

    @Test(arguments: [
        (CrawlScope.host, "http://127.0.0.2:8080/a", true),
        (.host, "http://127.0.0.2:9090/a", false),
        (.host, "http://127.0.0.3:8080/a", false),
        (.host, "https://www.example.co.uk/x", true),
        (.host, "https://docs.example.co.uk/x", false),
        (.domain, "https://docs.example.co.uk/x", true),
        (.domain, "https://example.com/x", false),
        (.any, "https://example.com/x", true),
    ])
    func scope(scope: CrawlScope, url: String, inScope: Bool) throws {
        let policy = try policy { $0.scope = scope }
        #expect(policy.isInScope(NormalizedURL(url)!) == inScope)
        #expect((policy.rejection(of: NormalizedURL(url)!, depth: 1) == .scope) == !inScope)
    }

    @Test func depthAndLengthGuards() throws {
        let policy = try policy { $0.maxDepth = 2; $0.maxURLLength = 40 }
        #expect(policy.rejection(of: NormalizedURL("http://127.0.0.2:8080/a")!, depth: 2) == nil)
        #expect(policy.rejection(of: NormalizedURL("http://127.0.0.2:8080/a")!, depth: 3) == .depth)
        #expect(policy.rejection(of: NormalizedURL("http://127.0.0.2:8080/" + String(repeating: "a", count: 30))!, depth: 1) == .urlLength)
    }

    @Test func includeExcludeAndNofollow() throws {
        let policy = try policy { $0.include = ["/docs/"]; $0.exclude = ["\\.pdf$"] }
        #expect(policy.rejection(of: NormalizedURL("http://127.0.0.2:8080/docs/a")!, depth: 1) == nil)
        #expect(policy.rejection(of: NormalizedURL("http://127.0.0.2:8080/blog/a")!, depth: 1) == .notIncluded)
        #expect(policy.rejection(of: NormalizedURL("http://127.0.0.2:8080/docs/a.pdf")!, depth: 1) == .excluded)
        #expect(policy.rejection(of: NormalizedURL("http://127.0.0.2:8080/docs/a")!, depth: 1, nofollow: true) == .nofollow)
        let following = try self.policy { $0.followNofollow = true }
        #expect(following.rejection(of: NormalizedURL("http://127.0.0.2:8080/docs/a")!, depth: 1, nofollow: true) == nil)
    }

    @Test func badPatternSaysWhichFlag() {
        #expect(throws: FrontierPolicyError.badPattern(flag: "--exclude", pattern: "(")) {
            try self.policy { $0.exclude = ["("] }
        }
    }

    @Test(arguments: [("www.example.com", "example.com"), ("a.b.example.co.uk", "example.co.uk"), ("127.0.0.2", "127.0.0.2"), ("localhost", "localhost")])
    func registrableDomain(host: String, domain: String) {
        #expect(FrontierPolicy.registrableDomain(of: host) == domain)
    }
}

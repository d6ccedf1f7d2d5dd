import CrawlerCore
import Foundation
import TestSupport
import Testing

@testable import CrawlerFetch

/// The committed libFuzzer corpus of `Fuzz/Targets/FuzzRobots.swift`, replayed: every file is
/// parsed and matched against its last line without a crash.
struct RobotsFuzzCorpusTests {
    @Test func robotsCorpusParses() throws {
        let inputs = try FuzzCorpus.inputs("robots")
        #expect(inputs.count >= 10)
        var parsedRules = 0
        for input in inputs {
            let text = String(decoding: input, as: UTF8.self)
            let path = text.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? "/"
            let rules = RobotsRules(parsing: text, userAgent: "SwiftCrawler")
            _ = rules.allows(path.hasPrefix("/") ? path : "/" + path)
            if !rules.rules.isEmpty { parsedRules += 1 }
        }
        // The corpus exercises the parser: some files hold rules for this crawler.
        #expect(parsedRules > 0)
    }
}

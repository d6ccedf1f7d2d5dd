import Foundation
import TestSupport
import Testing
@testable import CrawlerGraph

@Suite struct CSVInjectionTests {
    /// OWASP "CSV Injection": a cell a spreadsheet would run as a formula starts with a quote.
    @Test func csvCellsThatLookLikeFormulasAreDefused() throws {
        for text in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            let cell = Escaping.csv(text)
            #expect(cell.hasPrefix("\"'"), "\(text.debugDescription) → \(cell.debugDescription)")
        }
        #expect(Escaping.csv("a-b") == "a-b")
        #expect(Escaping.csv("=\"x\"") == "\"'=\"\"x\"\"\"")
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        try store.commit([page("http://a.test/", title: "=HYPERLINK(\"http://evil.test\")", links: [])])
        try store.export(format: .csv, level: .page, to: directory.file("g.csv"))
        let nodes = try String(contentsOfFile: directory.file("g.nodes.csv"), encoding: .utf8)
        #expect(nodes.contains("\"'=HYPERLINK(\"\"http://evil.test\"\")\""), "\(nodes)")
    }
}

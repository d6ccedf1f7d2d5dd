import CrawlerCore
import Foundation
import Testing
@testable import CrawlerBench

@Test func aParsePointOverAFolderParsesEveryHTMLFile() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-corpus-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("nested"), withIntermediateDirectories: true)
    for (index, name) in ["a.html", "nested/b.html", "nested/c.HTML"].enumerated() {
        let html = "<html><body>" + (0...index).map { "<a href=\"/page\($0).html\">link \($0)</a>" }.joined() + "</body></html>"
        try Data(html.utf8).write(to: directory.appendingPathComponent(name))
    }
    try Data("not a page".utf8).write(to: directory.appendingPathComponent("notes.txt"))
    #expect(try CorpusDirectory.htmlFiles(at: directory.path) == ["a.html", "nested/b.html", "nested/c.HTML"])

    for model in [ParseModel.inline, .threads] {
        let answer = try await PointExecutor.measureHere(.parse(ParsePoint(model: model, workers: 2, corpus: .directory(directory.path))))
        guard case .parse(let measured) = answer else { Issue.record("not a parse measurement"); return }
        #expect(measured.pages == 3)
        #expect(measured.links == 1 + 2 + 3)
        #expect(measured.pagesPerSecond > 0 && measured.wallSeconds > 0)
    }
}

@Test func aFolderWithoutPagesSaysWhatToPass() throws {
    #expect(throws: BenchError.self) { try CorpusDirectory.htmlFiles(at: "/nonexistent-\(UUID().uuidString)") }
}

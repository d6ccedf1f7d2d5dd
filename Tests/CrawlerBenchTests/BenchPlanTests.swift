import CrawlerCore
import Foundation
import SyntheticWeb
import Testing
@testable import CrawlerBench

@Test func bothPresetsMeasureTheMixedWebAndDocumentationPages() throws {
    for plan in [BenchPlan.standard(cores: 2), .quick(cores: 2)] {
        #expect(plan.corpora == [.mixed, .docs])
        try plan.validate()
    }
}

@Test func aPlanWithoutCorporaOrWithOneTwiceSaysWhatToPass() {
    var plan = BenchPlan.quick(cores: 2)
    plan.corpora = []
    #expect(throws: BenchError.self) { try plan.validate() }
    plan.corpora = [.docs, .docs]
    #expect(throws: BenchError.self) { try plan.validate() }
}

@Test func docsPagesKeepTheirProfileSizeAndTheMixedWebThePlans() throws {
    let runner = BenchRunner(plan: .quick(cores: 2), source: .embedded, executor: .inProcess(workerExecutable: nil), scratchDirectory: FileManager.default.temporaryDirectory)
    let mixed = runner.web(pages: 10)
    #expect(mixed.profile == .mixed && mixed.meanPageKB == Double(runner.plan.meanPageKB))
    let docs = runner.web(pages: 10, profile: .docs)
    #expect(docs.profile == .docs && docs.meanPageKB == SiteProfile.docs.defaultMeanPageKB)
    #expect(docs.config(latencyMs: 0).profile == .docs)
    // A measuring child process rebuilds the same web from the JSON.
    let decoded = try JSONDecoder().decode(EmbeddedWeb.self, from: JSONEncoder().encode(docs))
    #expect(decoded == docs)
}

@Test func givenPagesAreOneCorpus() {
    let runner = BenchRunner(plan: .quick(cores: 2), source: .corpus(directory: "/tmp"), executor: .inProcess(workerExecutable: nil), scratchDirectory: FileManager.default.temporaryDirectory)
    #expect(runner.corpusProfiles.map(BenchRunner.corpusName) == ["given"])
    let embedded = BenchRunner(plan: .quick(cores: 2), source: .embedded, executor: .inProcess(workerExecutable: nil), scratchDirectory: FileManager.default.temporaryDirectory)
    #expect(embedded.corpusProfiles.map(BenchRunner.corpusName) == ["mixed", "docs"])
}

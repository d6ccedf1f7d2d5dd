// Micro-benchmarks of the crawler's hot paths, so a slowdown shows in numbers:
// `make microbench` (or `swift package benchmark`). Compare against a saved baseline with
// `swift package benchmark baseline update main` then `swift package benchmark baseline compare main`.
import Benchmark
import CrawlerArchive
import CrawlerBench
import CrawlerCore
import CrawlerGraph
import CrawlerParse
import Foundation
import SyntheticWeb

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], maxDuration: .seconds(2), maxIterations: 10_000)

    // MARK: URL normalization (every link of every page goes through it)

    let base = NormalizedURL("http://www.example.com/docs/guide/index.html")!
    let references = [
        "../api/Index.HTML?b=2&a=1#part", "/Search?q=caf%C3%A9&page=3", "HTTP://WWW.Example.COM:80/a/./b/../c",
        "//cdn.example.org/static/app.js", "page%7e2.html", "https://example.com/über/straße?x=ü",
        "mailto:someone@example.com", "  /spaced path/with spaces  ", "?only=query", "#fragment-only",
    ]
    Benchmark("URL normalization (10 references against a base)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            for reference in references { blackHole(NormalizedURL.normalize(reference, relativeTo: base)) }
        }
    }

    // MARK: Link extraction (libxml2 SAX + resolution + normalization)

    let corpus = ParseCorpus.generated(pageCount: 20, averageBytes: 30_000)
    let extractor = LinkExtractor()
    Benchmark("Link extraction (one 30 KB page)", configuration: .init(scalingFactor: .one)) { benchmark in
        for iteration in benchmark.scaledIterations {
            blackHole(extractor.extract(corpus.jobs[iteration % corpus.jobs.count]))
        }
    }

    // Documentation pages: about 100 KB and 300+ links each, most of them a repeated sidebar
    // of `../` links (the synthetic web's docs profile).
    // 500 pages, so each host's sidebar lists 240 (the first 20 are measured).
    let docs = ParseCorpus(jobs: Array(ParseCorpus.syntheticWeb(pageCount: 500, meanPageKB: 100, profile: .docs).jobs.prefix(20)))
    Benchmark("Link extraction (one 100 KB docs page, 300+ links)", configuration: .init(scalingFactor: .one)) { benchmark in
        for iteration in benchmark.scaledIterations {
            blackHole(extractor.extract(docs.jobs[iteration % docs.jobs.count]))
        }
    }

    let docsPage = parsedPages0(docs, extractor)
    Benchmark("Frame round trip (a docs page out, its 300+ links back)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(WireRoundTrip.requestFrame(for: docs.jobs[0]))
            blackHole(try? WireRoundTrip.decodeResponse(WireRoundTrip.responseFrame(for: docsPage)))
        }
    }

    // MARK: Frame encoding (the pipes of the processes parse model, both directions)

    let framedJob = corpus.jobs[0]
    let framedPage = parsedPages0(corpus, extractor)
    Benchmark("Frame round trip (a 30 KB page out, its parsed links back)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(WireRoundTrip.requestFrame(for: framedJob))
            blackHole(try? WireRoundTrip.decodeResponse(WireRoundTrip.responseFrame(for: framedPage)))
        }
    }

    // MARK: WARC encoding (what --warc adds per page, off the crawl's threads)

    // A page's three records (response, request, metadata with its outlinks), each digested and
    // compressed into a gzip member of its own. The encoder is never told a page was written, so
    // every page is a response, never a revisit.
    let encoder = WARCEncoder()
    let archivedPages = corpus.jobs.map { job in
        let outlinks = ((try? extractor.extract(job).get())?.links ?? []).map { ArchivedPage.Outlink(target: $0.target.string, kind: $0.kind.rawValue) }
        let exchange = HTTPExchange(
            url: job.url, startedAt: 1_764_954_245, ipAddress: "127.0.0.1",
            requestHeader: Array("GET \(job.url.string) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n".utf8),
            responseHeader: Array("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(job.body.count)\r\n\r\n".utf8),
            payload: job.body)
        return ArchivedPage(exchanges: [exchange], outlinks: outlinks)
    }
    Benchmark("WARC encode (one 30 KB page: digests and three gzip members)", configuration: .init(scalingFactor: .one)) { benchmark in
        for iteration in benchmark.scaledIterations {
            blackHole(try? encoder.encode(archivedPages[iteration % archivedPages.count]))
        }
    }

    // MARK: Store inserts (a batch of 100 pages with their links, one transaction)

    let parsedPages = corpus.jobs.compactMap { try? extractor.extract($0).get() }
    let parsedDocs = docs.jobs.compactMap { try? extractor.extract($0).get() }
    for (name, pages) in [("Store insert (batch of 100 pages with links)", parsedPages), ("Store insert (batch of 100 docs pages, 300+ links each)", parsedDocs)] {
        Benchmark(name, configuration: .init(scalingFactor: .one, maxIterations: 200)) { benchmark in
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("crawler-microbench-\(UUID().uuidString).sqlite").path
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            do {
                let store = try GraphStore(path: path)
                var batchNumber = 0
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    batchNumber += 1
                    let records = (0..<100).map { index -> PageRecord in
                        let page = pages[index % pages.count]
                        let url = NormalizedURL("http://site\(index % 8).test/batch\(batchNumber)/page\(index).html")!
                        return PageRecord(url: url, depth: 1, status: 200, contentType: "text/html", bytes: 30_000, title: page.title, links: page.links)
                    }
                    blackHole(try store.commit(records))
                }
                benchmark.stopMeasurement()
            } catch {
                benchmark.error("the store failed: \(error)")
            }
        }
    }
}

/// The first page of the corpus, parsed (the frame benchmark's payload).
private func parsedPages0(_ corpus: ParseCorpus, _ extractor: LinkExtractor) -> ParsedPage {
    (try? extractor.extract(corpus.jobs[0]).get()) ?? ParsedPage(url: corpus.jobs[0].url)
}

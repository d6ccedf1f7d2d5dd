import Foundation
import Testing
@testable import CrawlerBench

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses XML and collects element names and text, failing on malformed input.
final class XMLCheck: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var texts: [String] = []
    private var pending = ""

    static func parse(_ text: String) -> XMLCheck? {
        let check = XMLCheck()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = check
        return parser.parse() ? check : nil
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        flush()
        elements.append(elementName)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        flush()
    }

    // The parser may hand one text node over in pieces (at each entity): join them.
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        pending += string
    }

    private func flush() {
        let trimmed = pending.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { texts.append(trimmed) }
        pending = ""
    }
}

@Test func lineChartIsWellFormedWithAxesLegendAndLog2Ticks() throws {
    let chart = LineChart(
        title: "Fetch <throughput> & more", xLabel: "transfers in flight", yLabel: "pages/s", logTwoX: true,
        series: [
            .init(name: "async", points: [(1, 20), (16, 300), (256, 1840)], ranges: [(1, 18, 21), (16, 290, 310), (256, 1700, 1900)]),
            .init(name: "threads", points: [(1, 19), (256, 1400)]),
            .init(name: "ideal", points: [(1, 20), (256, 5120)], dashed: true),
        ])
    let check = try #require(XMLCheck.parse(chart.render()))
    #expect(check.elements.first == "svg")
    // Measured points are markers (5, and 2 in the legend), not joined by lines; only the
    // reference line is a polyline.
    #expect(check.elements.filter { $0 == "circle" }.count == 7)
    #expect(check.elements.filter { $0 == "polyline" }.count == 1)
    // One whisker per range given, and the axis reaches the highest run.
    #expect(check.elements.filter { $0 == "path" }.count == 3)
    let joined = check.texts.joined(separator: "|")
    #expect(joined.contains("Fetch <throughput> & more"))
    #expect(joined.contains("transfers in flight (log2 scale)"))
    #expect(joined.contains("pages/s"))
    for tick in ["1", "2", "4", "8", "16", "32", "64", "128", "256"] { #expect(check.texts.contains(tick)) }
    #expect(check.texts.contains("async") && check.texts.contains("threads"))
    #expect(check.texts.contains("6,000"), "the reference line reaches 5,120")
}

@Test func theAxisReachesTheHighestRun() throws {
    // The median is 1,840 but one run reached 2,600: the axis must show the whole whisker.
    let chart = LineChart(
        title: "t", xLabel: "x", yLabel: "y", logTwoX: true,
        series: [.init(name: "async", points: [(1, 20), (256, 1840)], ranges: [(256, 1500, 2600)])])
    let check = try #require(XMLCheck.parse(chart.render()))
    #expect(check.texts.contains("3,000"))
}

@Test func speedupChartsMarkTheCores() throws {
    let chart = LineChart(
        title: "speedup", xLabel: "workers", yLabel: "x inline", logTwoX: false,
        series: [.init(name: "threads", points: [(1, 1), (2, 1.9), (4, 1.9)])], mark: (x: 2, label: "2 cores"))
    let check = try #require(XMLCheck.parse(chart.render()))
    #expect(check.texts.contains("2 cores"))
}

@Test func stackedBarsAreWellFormedWithOneRectPerSegment() throws {
    let chart = StackedBarChart(title: "split", yLabel: "ms per page", segmentNames: ["fetch", "parse", "store"],
                                bars: [.init(label: "a", segments: [3, 1, 0.5]), .init(label: "b", segments: [1, 2, 0])])
    let check = try #require(XMLCheck.parse(chart.render()))
    // 5 non-zero segments, 3 legend boxes, 1 background.
    #expect(check.elements.filter { $0 == "rect" }.count == 9)
    #expect(check.texts.contains("ms per page"))
}

@Test func niceTicksCoverTheMaximumInRoundSteps() {
    #expect(SVG.niceTicks(upTo: 1840) == [0, 500, 1000, 1500, 2000])
    #expect(SVG.niceTicks(upTo: 1.9) == [0, 0.5, 1, 1.5, 2])
    let fallback = SVG.niceTicks(upTo: 0)
    #expect(fallback.first == 0 && fallback.last == 1 && fallback.count == 6)
}

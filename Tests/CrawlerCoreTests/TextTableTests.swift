import Testing
@testable import CrawlerCore

struct TextTableTests {
    @Test func alignsColumns() {
        var table = TextTable(["kind", "pages"], alignments: [.left, .right])
        table.append(["timeout", "3"])
        table.append(["too-large", "12"])
        #expect(table.render() == """
            kind       pages
            ---------  -----
            timeout        3
            too-large     12
            """)
    }

    @Test(arguments: [(0, "0"), (999, "999"), (1000, "1,000"), (1234567, "1,234,567"), (-4321, "-4,321")])
    func formatsCounts(value: Int, text: String) {
        #expect(Formatting.count(value) == text)
    }

    @Test func formatsDecimalsWithoutALocale() {
        #expect(Formatting.decimal(0.0004999, places: 3) == "0.000")
        #expect(Formatting.decimal(2.5, places: 0) == "3")
        #expect(Formatting.decimal(-1.25, places: 1) == "-1.3")
        #expect(Formatting.percent(1, of: 3, places: 1) == "33.3%")
        #expect(Formatting.percent(1, of: 0) == "-")
        #expect(Formatting.bytes(3 * 1024 * 1024 + 200_000) == "3.2 MiB")
        #expect(Formatting.clip("a\tb", 10) == "a b")
        #expect(Formatting.clip("abcdefghij", 5) == "abcd…")
    }

    @Test func formatsBytesAndSeconds() {
        #expect(Formatting.bytes(512) == "512 bytes")
        #expect(Formatting.bytes(1536) == "1.5 KiB")
        #expect(Formatting.seconds(0.0421) == "0.042 s")
        #expect(Formatting.seconds(65) == "1 m 05 s")
        #expect(Formatting.percent(1, of: 4) == "25%")
    }
}

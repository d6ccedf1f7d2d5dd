import Testing
@testable import CrawlerBench

@Test(arguments: [
    ([3.0], 3.0, 3.0, 3.0),
    ([5.0, 1.0, 3.0], 3.0, 1.0, 5.0),
    ([4.0, 1.0, 3.0, 2.0], 2.5, 1.0, 4.0),
    ([2.0, 2.0, 9.0], 2.0, 2.0, 9.0),
])
func spreadIsMedianWithMinAndMax(samples: [Double], median: Double, min: Double, max: Double) throws {
    let spread = try #require(Spread(samples))
    #expect(spread.median == median)
    #expect(spread.min == min)
    #expect(spread.max == max)
    #expect(spread.samples == samples)
}

@Test func spreadOfNothingIsNil() {
    #expect(Spread([]) == nil)
}

@Test func relativeRangeIsRangeOverMedian() throws {
    #expect(try #require(Spread([90, 100, 110])).relativeRange == 0.2)
}

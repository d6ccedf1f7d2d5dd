import Testing
@testable import Crawler

/// How often an idle node asks its fleet for work: quickly at first (a node that just joined,
/// or a fleet about to finish), then backing off to a bound, so an idle node never polls in a
/// busy loop nor waits long after work appears.
struct FleetPollingTests {
    @Test func pollsBackOffFromAtOnceToTheBound() {
        var delays: [Duration] = []
        var delay = Duration.zero
        for _ in 0..<8 {
            delay = FleetPolling.delay(after: delay)
            delays.append(delay)
        }
        #expect(delays.first == FleetPolling.first)
        #expect(zip(delays, delays.dropFirst()).allSatisfy { $0 <= $1 }, "never shorter than the one before: \(delays)")
        #expect(delays.allSatisfy { $0 > .zero && $0 <= FleetPolling.longest })
        #expect(delays.last == FleetPolling.longest)
        // A poll that found work starts the sequence again (the pipeline sets zero).
        #expect(FleetPolling.delay(after: .zero) == FleetPolling.first)
    }
}

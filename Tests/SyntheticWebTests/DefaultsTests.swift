import Testing
@testable import SyntheticWeb

@Test func defaultPortIsUnprivileged() {
    #expect(SyntheticWebDefaults.port > 1024)
}

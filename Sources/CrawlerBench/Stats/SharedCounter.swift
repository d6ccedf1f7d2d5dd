import Synchronization

/// An integer shared by the tasks of one measured point (the next job's index, a peak).
final class SharedCounter: Sendable {
    private let value: Atomic<Int>

    init(_ initial: Int = 0) { value = Atomic(initial) }

    /// Returns the current value and adds one.
    func takeNext() -> Int { value.add(1, ordering: .relaxed).oldValue }

    /// Raises the value to `candidate` if it is larger.
    func raise(to candidate: Int) {
        var current = value.load(ordering: .relaxed)
        while candidate > current {
            let (exchanged, original) = value.compareExchange(expected: current, desired: candidate, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// The value now.
    var current: Int { value.load(ordering: .relaxed) }
}

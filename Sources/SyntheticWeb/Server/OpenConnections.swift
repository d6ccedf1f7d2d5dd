import NIOConcurrencyHelpers
import NIOCore

/// The accepted connections still open, so a server that stops after `maxSeconds` can close
/// keep-alive connections too, not only its listeners.
final class OpenConnections: Sendable {
    private let box = NIOLockedValueBox(State())

    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var accepted = 0
        var closed = false
    }

    /// Numbers and remembers a new connection until it closes; closes it at once when the server has stopped.
    func register(_ channel: any Channel) -> Int {
        let key = ObjectIdentifier(channel)
        let (number, closed) = box.withLockedValue { state in
            state.accepted += 1
            if !state.closed { state.channels[key] = channel }
            return (state.accepted, state.closed)
        }
        if closed {
            channel.close(promise: nil)
        } else {
            channel.closeFuture.whenComplete { _ in
                _ = self.box.withLockedValue { $0.channels.removeValue(forKey: key) }
            }
        }
        return number
    }

    /// Closes every open connection and refuses new ones.
    func closeAll() {
        let channels = box.withLockedValue { state in
            state.closed = true
            return Array(state.channels.values)
        }
        for channel in channels { channel.close(promise: nil) }
    }
}

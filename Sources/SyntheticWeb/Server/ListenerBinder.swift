import NIOCore
import NIOPosix

/// Binds one listener per address, all on the same port. With port 0 the first address gets a
/// free port from the system and the others are bound to it; if one of them has it taken, all
/// are closed and another port is tried.
struct ListenerBinder: Sendable {
    let group: MultiThreadedEventLoopGroup
    /// Loopback addresses only ("127.0.0.x"); never the wildcard address.
    let addresses: [String]
    let initializer: @Sendable (any Channel) -> EventLoopFuture<Void>

    /// Attempts at finding a port free on every address.
    static let attempts = 20

    func bind(port: Int) async throws -> (port: Int, listeners: [any Channel]) {
        precondition(addresses.allSatisfy { $0.hasPrefix("127.") }, "the synthetic web binds loopback addresses only")
        if port != 0 { return (port, try await bindAll(port: port, firstChannel: nil)) }
        for _ in 0..<Self.attempts {
            let first = try await bindOne(address: addresses[0], port: 0)
            guard let chosen = first.localAddress?.port else {
                try? await first.close()
                continue
            }
            do {
                return (chosen, try await bindAll(port: chosen, firstChannel: first))
            } catch SyntheticWebError.portInUse {
                continue
            }
        }
        throw SyntheticWebError.noFreePort(attempts: Self.attempts)
    }

    private func bindAll(port: Int, firstChannel: (any Channel)?) async throws -> [any Channel] {
        var channels: [any Channel] = firstChannel.map { [$0] } ?? []
        do {
            for address in addresses.dropFirst(channels.count) {
                channels.append(try await bindOne(address: address, port: port))
            }
            return channels
        } catch {
            for channel in channels { try? await channel.close() }
            throw error
        }
    }

    private func bindOne(address: String, port: Int) async throws -> any Channel {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer(initializer)
        do {
            return try await bootstrap.bind(host: address, port: port).get()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw SyntheticWebError.portInUse(address: address, port: port)
        } catch {
            throw SyntheticWebError.bindFailed(address: address, port: port, message: "\(error)")
        }
    }
}

import Foundation
import SyntheticWeb
import TestSupport
import Testing

@testable import CrawlerParse

#if canImport(Glibc)
import Glibc
#endif

/// A worker must inherit nothing but its stdin, stdout and stderr. SwiftNIO accepts and libcurl
/// opens sockets without close-on-exec, so a worker spawned while they are open would otherwise
/// hold them: a connection the parent closes stays open in the worker, and a close meant as a
/// reset (the fault host's `/reset`, SO_LINGER 0) is not the last close, so no RST is sent and
/// the client waits for the rest of the body until its timeout.
@Suite struct WorkerInheritanceTests {
    @Test func aWorkerInheritsNoDescriptorBeyondStdio() async throws {
        // Neither is close-on-exec, like the sockets NIO accepts and curl connects.
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let fileFD = open("/dev/null", O_RDONLY)
        try #require(socketFD >= 0 && fileFD >= 0)
        defer {
            close(socketFD)
            close(fileFD)
        }
        // A child that stops itself once started: posix_spawn returns once it has exec'd, but
        // the dynamic loader then opens (and closes) its libraries, and a loaded machine was
        // caught at that moment (fd 3). Stopped, it has only what it inherited.
        let worker = try WorkerProcess.spawn(executable: "/bin/sh", arguments: ["-c", "kill -STOP $$"])
        defer { _ = worker.end(force: true) }
        var stopped = false
        for _ in 0..<1500 where !stopped {
            try await Task.sleep(for: .milliseconds(20))
            stopped = processState(worker.pid) == "T"
        }
        try #require(stopped, "the child never stopped itself")
        let inherited = try openDescriptors(of: worker.pid)
        #expect(inherited.subtracting([0, 1, 2]).isEmpty, "the worker holds descriptors \(inherited.sorted()) of its parent")
    }

    @Test func resetStaysAResetAfterAWorkerIsSpawned() async throws {
        let config = SyntheticWebConfig(seed: 7, hosts: 1, pages: 10, meanPageKB: 2, port: 0, faults: true, slowResponseSeconds: 0.5)
        let server = try await SyntheticWebServer.start(config)
        do {
            try await resetAfterSpawning(server, faultHost: server.hostAddress(config.hosts))
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    private func resetAfterSpawning(_ server: SyntheticWebServer, faultHost: String) async throws {
        let connection = try LoopbackConnection(address: faultHost, port: server.port)
        let host = "\(faultHost):\(server.port)"

        // A keep-alive connection, open on the server side while the worker is spawned
        // (the crawler's first requests race its workers' start the same way).
        try connection.send("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")
        // Blocking reads, each on a thread of its own (not the cooperative pool's); the
        // deadlines only bound a failure: a working server answers in milliseconds.
        let home = await onOwnThread { connection.readResponse(deadlineSeconds: 10) }
        #expect(home.status == 200 && home.complete, "the fault host's home page: \(home)")
        let worker = try WorkerProcess.spawn(executable: "/bin/sleep", arguments: ["30"])
        defer { _ = worker.end(force: true) }

        try connection.send("GET /reset HTTP/1.1\r\nHost: \(host)\r\n\r\n")
        let reset = await onOwnThread { connection.readResponse(deadlineSeconds: 10) }
        #expect(reset.status == 200 && !reset.complete)
        #expect(reset.end == .error(ECONNRESET), "expected a reset mid-body, got \(reset)")
    }
}

/// The descriptors open in process `pid`.
private func openDescriptors(of pid: pid_t) throws -> Set<Int32> {
    let names = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
    return Set(names.compactMap { Int32($0) })
}

/// One blocking loopback TCP connection (close-on-exec itself), read with a deadline.
private final class LoopbackConnection: Sendable {
    let fd: Int32

    struct Response: CustomStringConvertible {
        enum End: Equatable { case stillOpen, endOfStream, error(Int32), deadline }
        var status = 0
        var contentLength = 0
        var bodyBytes = 0
        var complete: Bool { bodyBytes == contentLength }
        var end = End.stillOpen
        var description: String { "status \(status), \(bodyBytes)/\(contentLength) body bytes, \(end)" }
    }

    struct SocketError: Error { let call: String; let code: Int32 }

    init(address: String, port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError(call: "socket", code: errno) }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, address, &sin.sin_addr)
        let result = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw SocketError(call: "connect", code: errno)
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw SocketError(call: "send", code: errno) }
    }

    /// Reads one response (by its Content-Length), or less if the connection ends or the
    /// deadline passes first.
    func readResponse(deadlineSeconds: Double) -> Response {
        let deadline = Date().addingTimeInterval(deadlineSeconds)
        var response = Response()
        var buffer: [UInt8] = []
        var headerEnd: Int?
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            if let headerEnd, buffer.count - headerEnd >= response.contentLength { break }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                response.end = .deadline
                break
            }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, Int32(remaining * 1000) + 1) == 0 { continue }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 {
                response.end = .endOfStream
                break
            }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                response.end = .error(errno)
                break
            }
            buffer += chunk[0..<count]
            if headerEnd == nil, let end = Self.headerEnd(buffer) {
                headerEnd = end
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                let lines = head.split(separator: "\r\n")
                response.status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
                for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
                    response.contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
        if let headerEnd { response.bodyBytes = min(buffer.count - headerEnd, response.contentLength) }
        return response
    }

    private static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count
        where bytes[index - 3] == 13 && bytes[index - 2] == 10 && bytes[index - 1] == 13 && bytes[index] == 10 {
            return index + 1
        }
        return nil
    }
}

import CLibXML2
import CrawlerCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The worker process's side: reads request frames on stdin, parses, writes response frames
/// on stdout, until stdin reaches end-of-file. Run by the hidden `crawler worker` subcommand.
public enum ParseWorker {
    /// How a worker is started (the subcommand's flags).
    public struct Settings: Sendable {
        /// Anchor text bound (`ParseOptions.maxAnchorTextLength`).
        public var maxAnchorTextLength: Int = ParseOptions().maxAnchorTextLength
        /// Address-space limit (RLIMIT_AS) in MiB; 0 for none.
        public var memoryLimitMegabytes: Int = 1024
        /// Honour `ParseJob.testFault`. Off in production: the flag is only passed by tests.
        public var enableTestHooks: Bool = false

        /// The defaults.
        public init() {}

        /// The worker's command-line arguments after the subcommand name.
        var arguments: [String] {
            var arguments = ["--max-anchor-text-length", String(maxAnchorTextLength), "--memory-limit-mb", String(memoryLimitMegabytes)]
            if enableTestHooks { arguments.append("--enable-test-hooks") }
            return arguments
        }
    }

    /// Serves requests until stdin closes; returns the exit status.
    public static func run(_ settings: Settings) -> Int32 {
        // Die with the parent, even if it is killed -9 (and if it already died, go now).
        let parent = getppid()
        _ = cxml_set_parent_death_signal(SIGKILL)
        if getppid() != parent { return 0 }
        _ = cxml_exit_on_out_of_memory()
        if settings.memoryLimitMegabytes > 0 {
            let bytes = rlim_t(settings.memoryLimitMegabytes) << 20
            var limit = rlimit(rlim_cur: bytes, rlim_max: bytes)
            _ = setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
        }
        var options = ParseOptions()
        options.maxAnchorTextLength = settings.maxAnchorTextLength
        let extractor = LinkExtractor(options: options)
        var decoder = FrameDecoder()
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count == 0 { return 0 }
            if count < 0 {
                if errno == EINTR { continue }
                return 1
            }
            chunk.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            do {
                while let payload = try decoder.nextPayload() {
                    let response = respond(to: try WireReader.request(from: payload), extractor: extractor, settings: settings)
                    var writer = WireWriter()
                    writer.write(response)
                    guard writeAll(writer.bytes, to: 1) else { return 1 }
                }
            } catch {
                FileHandle.standardError.write(Data("crawler worker: \(error); exiting\n".utf8))
                return 2
            }
        }
    }

    static func respond(to request: WorkerRequest, extractor: LinkExtractor, settings: Settings) -> WorkerResponse {
        switch request {
        case .echo(let id, _):
            return .echoed(id: id)
        case .parse(let id, let job):
            if settings.enableTestHooks, let fault = job.testFault {
                switch fault {
                case .crash: abort()
                case .hang: while true { sleep(1000) }
                case .exhaustMemory: cxml_exhaust_memory()
                }
            }
            return .parsed(id: id, result: extractor.extract(job))
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}

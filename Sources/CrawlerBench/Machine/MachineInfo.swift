import CrawlerCore
import CrawlerFetch
import CrawlerParse
import Foundation

/// The machine a bench ran on, recorded with its figures: without it the figures mean little.
public struct MachineInfo: Sendable, Hashable, Codable {
    /// Cores the crawler may use.
    public var cores: Int
    /// The CPU's model name (`/proc/cpuinfo`), or "unknown".
    public var cpuModel: String
    /// Physical memory in bytes.
    public var memoryBytes: UInt64
    /// The operating system (`PRETTY_NAME` of `/etc/os-release`), or "unknown".
    public var operatingSystem: String
    /// The Swift compiler the crawler was built with, as far as `#if compiler` tells (no toolchain is needed at run time).
    public var swiftCompiler: String
    /// Whether the binary was built with optimizations (a debug build's figures are not comparable).
    public var optimizedBuild: Bool
    /// The libcurl the fetch engines run on.
    public var libcurlVersion: String
    /// The libxml2 the parse engines run on.
    public var libxml2Version: String

    /// A machine description.
    public init(cores: Int, cpuModel: String, memoryBytes: UInt64, operatingSystem: String, swiftCompiler: String, optimizedBuild: Bool, libcurlVersion: String, libxml2Version: String) {
        self.cores = cores
        self.cpuModel = cpuModel
        self.memoryBytes = memoryBytes
        self.operatingSystem = operatingSystem
        self.swiftCompiler = swiftCompiler
        self.optimizedBuild = optimizedBuild
        self.libcurlVersion = libcurlVersion
        self.libxml2Version = libxml2Version
    }

    /// This machine, now.
    public static func current() -> MachineInfo {
        MachineInfo(
            cores: ProcessInfoCores.activeProcessorCount, cpuModel: cpuModelName(), memoryBytes: ProcessInfo.processInfo.physicalMemory,
            operatingSystem: operatingSystemName(), swiftCompiler: compilerVersion, optimizedBuild: isOptimized,
            libcurlVersion: LibcurlInfo.version, libxml2Version: LibXML2Info.version)
    }

    /// The compiler's version range, fixed at compile time.
    static var compilerVersion: String {
        #if compiler(>=6.5)
            "Swift 6.5 or later"
        #elseif compiler(>=6.4)
            "Swift 6.4"
        #elseif compiler(>=6.3)
            "Swift 6.3"
        #elseif compiler(>=6.2)
            "Swift 6.2"
        #else
            "Swift before 6.2"
        #endif
    }

    static var isOptimized: Bool {
        #if DEBUG
            false
        #else
            true
        #endif
    }

    static func cpuModelName() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") { return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        return "unknown"
    }

    static func operatingSystemName() -> String {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return "unknown"
    }
}

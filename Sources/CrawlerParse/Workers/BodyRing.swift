import CrawlerSystem

#if canImport(Glibc)
import Glibc
#endif

/// Shared memory that carries page bodies to one worker, so a body is never copied through a
/// pipe: the parent copies it into the ring once, the request frame says where it lies, and
/// the worker parses it there, in its read-only mapping of the same memory.
///
/// The ring is a memfd, mapped read-write in the parent and passed to each worker the slot
/// starts as descriptor 3. Space is handed out first in, first out: a worker answers its
/// pages in the order it got them, so a body's space is freed when its answer arrives, and
/// the oldest body still in flight always marks the end of the free run. A body that does not
/// fit (a huge page, or a ring full of bodies in flight) goes down the pipe as before.
///
/// Owned by one driver thread, like the worker it feeds.
final class BodyRing {
    /// The memfd (close-on-exec in the parent; each worker gets it as descriptor 3).
    let descriptor: Int32
    /// Bytes in the ring.
    let capacity: Int
    private let base: UnsafeMutableRawPointer
    /// The bodies in flight, oldest first: `extents[firstExtent...]`.
    private var extents: [Range<Int>] = []
    private var firstExtent = 0
    /// Where the next body goes, if it fits before the end or the oldest body in flight.
    private var next = 0

    /// Body offsets are kept to cache-line boundaries, so two bodies never share a line.
    static let alignment = 64

    /// A ring of `capacity` bytes, or an error if the system has no memfd or will not map it
    /// (the engine then sends bodies down the pipes).
    init(capacity: Int) throws(SpawnError) {
        precondition(capacity > 0)
        // Above 3, so spawning a worker never overwrites it before copying it to the worker's 3.
        let descriptor: Int32
        do {
            descriptor = try WorkerProcess.clearOfChildDescriptors(try Posix.memfdCreate(name: "crawler-page-bodies"))
        } catch {
            throw SpawnError("cannot create the shared memory for page bodies", cause: error)
        }
        let base: UnsafeMutableRawPointer
        do {
            try Posix.ftruncate(descriptor, size: capacity)
            base = try Posix.mapShared(descriptor, size: capacity, writable: true)
        } catch {
            close(descriptor)
            throw SpawnError("cannot map \(capacity) bytes of shared memory for page bodies", cause: error)
        }
        self.descriptor = descriptor
        self.capacity = capacity
        self.base = base
    }

    deinit {
        munmap(base, capacity)
        close(descriptor)
    }

    /// Bodies in the ring now.
    var count: Int { extents.count - firstExtent }

    /// Copies `body` into the ring and returns where it lies, or nil if it does not fit now.
    func store(_ body: [UInt8]) -> Range<Int>? {
        guard !body.isEmpty, let start = place(body.count) else { return nil }
        body.withUnsafeBytes { (base + start).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        let extent = start..<(start + body.count)
        extents.append(extent)
        next = (extent.upperBound + Self.alignment - 1) / Self.alignment * Self.alignment
        return extent
    }

    /// Frees the oldest body in the ring (its page was answered).
    func releaseOldest() {
        precondition(firstExtent < extents.count, "no body in the ring to release")
        firstExtent += 1
        if firstExtent == extents.count {
            reset()
        } else if firstExtent >= 64, firstExtent * 2 >= extents.count {
            extents.removeFirst(firstExtent)
            firstExtent = 0
        }
    }

    /// Frees every body (their worker is gone, and reaped: nothing reads the ring).
    func reset() {
        extents.removeAll(keepingCapacity: true)
        firstExtent = 0
        next = 0
    }

    /// Where `size` bytes fit: at `next`, or back at the start when the free run at the end
    /// is too short; nil if neither is free.
    private func place(_ size: Int) -> Int? {
        guard firstExtent < extents.count else { return size <= capacity ? 0 : nil }
        let oldest = extents[firstExtent].lowerBound
        if next > oldest {
            // Bodies in flight lie in oldest..<next: free are next..<capacity and 0..<oldest.
            if size <= capacity - next { return next }
            return size <= oldest ? 0 : nil
        }
        // Wrapped: free is next..<oldest only.
        return size <= oldest - next ? next : nil
    }
}

/// A worker's read-only view of its slot's `BodyRing`.
final class SharedBodies {
    private let base: UnsafeRawPointer
    private let size: Int

    /// Maps the ring passed as `descriptor`, or throws if it is not a ring.
    init(descriptor: Int32) throws(WireFormatError) {
        let status: stat
        do {
            status = try Posix.fstat(descriptor)
        } catch {
            throw WireFormatError(description: "descriptor \(descriptor) is not a shared body ring", cause: error)
        }
        guard status.st_size > 0 else {
            throw WireFormatError(description: "descriptor \(descriptor) is not a shared body ring: it is empty")
        }
        let base: UnsafeMutableRawPointer
        do {
            base = try Posix.mapShared(descriptor, size: Int(status.st_size), writable: false)
        } catch {
            throw WireFormatError(description: "cannot map the shared body ring", cause: error)
        }
        close(descriptor)  // the mapping keeps the memory
        self.base = UnsafeRawPointer(base)
        self.size = Int(status.st_size)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }

    /// The bytes at `range`; a range outside the ring is a malformed request.
    func bytes(_ range: Range<Int>) throws(WireFormatError) -> UnsafeRawBufferPointer {
        guard range.lowerBound >= 0, range.upperBound <= size else {
            throw WireFormatError(description: "body at \(range) lies outside the \(size)-byte shared ring")
        }
        return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }
}

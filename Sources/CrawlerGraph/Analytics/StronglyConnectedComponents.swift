/// The strongly connected components of a `LinkGraph`, found by Tarjan's algorithm run
/// iteratively (an explicit stack instead of recursion, so a 100,000-node chain cannot
/// overflow the thread's stack).
public struct StronglyConnectedComponents: Sendable {
    /// The component of each node, numbered in the order Tarjan completes them (a component
    /// comes before every component that reaches it).
    public let componentOfNode: [Int32]
    /// The size of each component.
    public let sizes: [Int]

    /// Number of components.
    public var count: Int { sizes.count }

    /// Finds the components of `graph`.
    public init(graph: LinkGraph) {
        let count = graph.nodeCount
        let unvisited: Int32 = -1
        var index = [Int32](repeating: unvisited, count: count)
        var lowLink = [Int32](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var component = [Int32](repeating: -1, count: count)
        var sizes: [Int] = []
        var stack: [Int32] = []
        // Each frame: a node and the position of the next successor to look at.
        var frames: [(node: Int, next: Int)] = []
        var counter: Int32 = 0

        for root in 0..<count where index[root] == unvisited {
            index[root] = counter
            lowLink[root] = counter
            counter += 1
            stack.append(Int32(root))
            onStack[root] = true
            frames.append((root, Int(graph.offsets[root])))

            while let frame = frames.last {
                let node = frame.node
                if frame.next < Int(graph.offsets[node + 1]) {
                    frames[frames.count - 1].next += 1
                    let successor = Int(graph.targets[frame.next])
                    if index[successor] == unvisited {
                        index[successor] = counter
                        lowLink[successor] = counter
                        counter += 1
                        stack.append(Int32(successor))
                        onStack[successor] = true
                        frames.append((successor, Int(graph.offsets[successor])))
                    } else if onStack[successor] {
                        lowLink[node] = min(lowLink[node], index[successor])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last {
                    lowLink[parent.node] = min(lowLink[parent.node], lowLink[node])
                }
                if lowLink[node] == index[node] {
                    let id = Int32(sizes.count)
                    var size = 0
                    while let member = stack.popLast() {
                        onStack[Int(member)] = false
                        component[Int(member)] = id
                        size += 1
                        if Int(member) == node { break }
                    }
                    sizes.append(size)
                }
            }
        }
        componentOfNode = component
        self.sizes = sizes
    }
}

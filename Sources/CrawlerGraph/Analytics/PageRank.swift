/// PageRank scores of a `LinkGraph`'s nodes.
public struct PageRank: Sendable {
    /// The score of each node (index as in the graph); they sum to 1.
    public let scores: [Double]
    /// Power iterations run.
    public let iterations: Int
    /// Whether the L1 change fell below the tolerance before the iteration limit.
    public let converged: Bool

    /// Computes PageRank by power iteration: damping `damping`, teleport uniform over all nodes,
    /// the rank of dangling nodes (no out-links) spread evenly over all nodes, each distinct
    /// edge one vote (duplicate links on a page count once). Stops when the L1 change between
    /// two iterations is below `tolerance`, or after `maxIterations`. Matches NetworkX's
    /// `pagerank(G, alpha=damping, weight=None)`.
    public init(graph: LinkGraph, damping: Double = 0.85, tolerance: Double = 1e-9, maxIterations: Int = 100) {
        let count = graph.nodeCount
        guard count > 0 else {
            scores = []
            iterations = 0
            converged = true
            return
        }
        let uniform = 1.0 / Double(count)
        var rank = [Double](repeating: uniform, count: count)
        var next = [Double](repeating: 0, count: count)
        var iteration = 0
        var isConverged = false
        while iteration < maxIterations {
            iteration += 1
            var danglingMass = 0.0
            for index in 0..<count { next[index] = 0 }
            for node in 0..<count {
                let successors = graph.successors(of: node)
                if successors.isEmpty {
                    danglingMass += rank[node]
                    continue
                }
                let share = damping * rank[node] / Double(successors.count)
                for target in successors { next[Int(target)] += share }
            }
            let base = (1 - damping) * uniform + damping * danglingMass * uniform
            var change = 0.0
            for index in 0..<count {
                next[index] += base
                change += abs(next[index] - rank[index])
            }
            swap(&rank, &next)
            if change < tolerance {
                isConverged = true
                break
            }
        }
        scores = rank
        iterations = iteration
        converged = isConverged
    }
}

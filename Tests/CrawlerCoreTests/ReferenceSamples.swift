/// Random references for differential tests: `count` concatenations of up to 15 of `pieces`
/// (awkward fragments of URLs), the same ones for the same `seed`.
func randomReferences(from pieces: [String], seed: UInt64, count: Int = 20_000) -> [String] {
    var random = seed
    var samples: [String] = []
    samples.reserveCapacity(count)
    for _ in 0..<count {
        var text = ""
        random = random &* 6364136223846793005 &+ 1442695040888963407
        let length = Int(random >> 60)
        for step in 0..<length {
            let index = Int((random >> UInt64(step * 5 % 59)) % UInt64(pieces.count))
            text += pieces[index]
        }
        samples.append(text)
    }
    return samples
}

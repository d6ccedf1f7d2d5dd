import ArgumentParser
import Foundation

/// A list option written `--workers 1,2,4`: each item is parsed by its type's own
/// `ExpressibleByArgument`, at argument-parsing time (`@Option(transform: CommaList.of(Int.self))`),
/// so a bad item stops the command before it runs, with argument-parser's message naming the
/// option and this one naming the item and the values accepted.
enum CommaList {
    /// The `transform:` for a comma-separated list of `Value`s.
    static func of<Value: ExpressibleByArgument>(_: Value.Type) -> @Sendable (String) throws -> [Value] {
        { text in
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !items.isEmpty else { throw ValidationError("give at least one value") }
            return try items.map { item in
                guard let value = Value(argument: item) else {
                    let accepted = Value.allValueStrings
                    let hint = accepted.isEmpty ? "" : "; pass \(Self.either(accepted)), comma-separated"
                    throw ValidationError("'\(item)' is not a valid value\(hint)")
                }
                return value
            }
        }
    }

    /// "a, b or c".
    static func either(_ words: [String]) -> String {
        guard let last = words.last, words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " or " + last
    }
}

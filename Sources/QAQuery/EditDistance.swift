/// Levenshtein distance over characters, case-insensitive: for "did you mean" suggestions.
/// Done in Swift because the names are few and fuzzystrmatch needs a superuser to install.
enum EditDistance {
    static func between(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = Array(repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// The candidate nearest to `value`, if it is near enough to be a plausible slip: within a third of
    /// the longer name, or a candidate that starts with or contains what was typed ("oakfield" → "Oakfield Academy").
    static func suggestion(for value: String, among candidates: [String]) -> String? {
        let typed = value.lowercased().trimmedSpaces
        guard !typed.isEmpty else { return nil }
        var best: (name: String, score: Int)?
        for name in candidates {
            let key = name.lowercased()
            var score = between(typed, key)
            if key.contains(typed) { score = min(score, 1) }
            // Compare with the name's prefix too, so a misspelt first word of a long name still matches.
            let prefix = String(key.prefix(typed.count))
            score = min(score, between(typed, prefix) + 1)
            let limit = max(2, max(typed.count, key.count) / 3)
            guard score <= limit else { continue }
            if best == nil || score < best?.score ?? Int.max { best = (name, score) }
        }
        return best?.name
    }
}

extension StringProtocol {
    /// The text without leading and trailing white space.
    var trimmedSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}

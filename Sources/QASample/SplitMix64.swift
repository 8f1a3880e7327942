/// The seeded pseudo-random generator behind every sample file (SplitMix64, Steele et al. 2014).
/// Bounded integers and doubles are derived here with plain integer arithmetic rather than the
/// standard library's `random(in:using:)`, whose algorithm may change between toolchains:
/// the same seed must give the same file on every machine and Swift version.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A fresh generator for one purpose, so adding draws to one part of the sample
    /// does not shift every value in another.
    mutating func split() -> SplitMix64 { SplitMix64(seed: next()) }

    /// Uniform in `0..<bound` (multiply-high; the bias is below 2^-40 for our bounds).
    mutating func below(_ bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Uniform in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// Uniform in `[0, 1)`.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// Roughly normal with mean 0 and the given spread: the sum of four uniforms, rescaled
    /// (Irwin–Hall). Uses only arithmetic, so it is bit-identical on every platform.
    mutating func normal(spread: Double = 1) -> Double {
        let sum = unit() + unit() + unit() + unit()
        return (sum - 2) * 1.7320508075688772 * spread
    }

    mutating func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[below(items.count)]
    }
}

/// Cumulative weights for drawing one of several items in proportion to its weight.
struct WeightedChoice<Item: Sendable>: Sendable {
    let items: [Item]
    private let cumulative: [Double]

    init(_ weighted: [(Item, Double)]) {
        items = weighted.map(\.0)
        var total = 0.0
        cumulative = weighted.map { total += max(0, $0.1); return total }
    }

    var isEmpty: Bool { items.isEmpty }

    func draw(_ rng: inout SplitMix64) -> Item? {
        guard let total = cumulative.last, total > 0 else { return rng.pick(items) }
        let target = rng.unit() * total
        // Binary search for the first edge above the target (schools can number in the hundreds).
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return items[low]
    }
}

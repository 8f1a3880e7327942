/// Small-group suppression (policy section 3; UK official statistics mark a suppressed cell `c`).
///
/// Primary: a group whose ratings come from fewer than `minimum` distinct staff members, or that has fewer than
/// `minimum` ratings, is suppressed. Secondary: cells are linked by sums that a reader can form from what is
/// shown (a trust row per standard and the school rows under it, ...). Within every linked set, exactly one
/// suppressed cell could be recovered by subtraction, so the shown cell with the smallest n is suppressed too;
/// this repeats until no linked set has a suppressed cell as its only unknown (a cell not published for another
/// reason, `hide`, counts as unknown).
public struct Suppression: Sendable {
    /// A row of a dataset.
    public struct Cell: Hashable, Sendable {
        public var dataset: String
        public var row: Int

        public init(_ dataset: String, _ row: Int) {
            self.dataset = dataset
            self.row = row
        }
    }

    public let minimum: Int
    public private(set) var suppressed: Set<Cell> = []
    /// Cells not published for another reason (not small): unknown to a reader, but needing no protection.
    public private(set) var hidden: Set<Cell> = []
    private var sizes: [Cell: Int] = [:]
    private var order: [Cell: Int] = [:]
    private var linkedSets: [[Cell]] = []

    public init(minimum: Int) { self.minimum = minimum }

    public var enabled: Bool { minimum > 0 }

    /// Registers a group with its number of ratings and distinct staff; applies the primary rule.
    public mutating func add(_ cell: Cell, ratings: Int, staff: Int?) {
        order[cell] = order.count
        sizes[cell] = ratings
        if enabled && (ratings < minimum || (staff ?? 0) < minimum) { suppressed.insert(cell) }
    }

    /// Marks a group as not published (for example a CPD group under the threshold): a reader cannot see it, so
    /// it hides a suppressed cell in the same sum as well as a suppressed cell would, but it is not itself protected.
    public mutating func hide(_ cell: Cell) {
        if !suppressed.contains(cell) { hidden.insert(cell) }
    }

    /// Declares cells linked by one sum (a total and its parts, or two sets of parts of one total).
    public mutating func link(_ cells: [Cell]) {
        if cells.count > 1 { linkedSets.append(cells) }
    }

    /// Applies secondary suppression until every linked set has zero or at least two suppressed cells.
    public mutating func complete() {
        guard enabled else { return }
        var changed = true
        while changed {
            changed = false
            for set in linkedSets {
                let unknown = set.filter { suppressed.contains($0) || hidden.contains($0) }
                guard unknown.count == 1, let only = unknown.first, suppressed.contains(only) else { continue }
                let candidates = set.filter { !suppressed.contains($0) && !hidden.contains($0) }
                let next = candidates.min { a, b in
                    (sizes[a] ?? 0, order[a] ?? 0) < (sizes[b] ?? 0, order[b] ?? 0)
                }
                if let next {
                    suppressed.insert(next)
                    changed = true
                }
            }
        }
    }

    public func isSuppressed(_ cell: Cell) -> Bool { suppressed.contains(cell) }

    /// The linked sets, for tests that check no suppressed cell is recoverable.
    public var links: [[Cell]] { linkedSets }
}

import QACore

/// Generates a deterministic synthetic sample of evidence records: the same parameters and seed
/// always give the same records, in the same order, on any machine, whatever today's date.
public struct SampleGenerator: Sendable {
    public let parameters: SampleParameters
    let trust: SampleTrust
    private let recordSeed: SplitMix64

    public init(_ parameters: SampleParameters) {
        self.parameters = parameters
        var root = SplitMix64(seed: parameters.seed)
        // Separate streams: the trust does not change when more records are asked for.
        var trustRNG = root.split()
        recordSeed = root.split()
        trust = SampleTrust(schools: max(1, parameters.schools), rng: &trustRNG)
    }

    /// The records, generated lazily as the sequence is iterated.
    public func records() -> EvidenceSample {
        EvidenceSample(trust: trust, records: parameters.records, rng: recordSeed)
    }

    /// How many schools and members of staff the synthetic trust has.
    public var schoolCount: Int { trust.schools.count }
    public var staffCount: Int { trust.staff.count }
}

/// A lazily generated sample; each iteration starts again from the seed and yields the same records.
public struct EvidenceSample: Sequence, Sendable {
    let trust: SampleTrust
    let records: Int
    let rng: SplitMix64

    public var underestimatedCount: Int { Swift.max(0, records) }

    public func makeIterator() -> Iterator { Iterator(stream: EvidenceStream(trust: trust, records: records, rng: rng)) }

    public struct Iterator: IteratorProtocol {
        var stream: EvidenceStream
        public mutating func next() -> EvidenceRecord? { stream.next() }
    }
}

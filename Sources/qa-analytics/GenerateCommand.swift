import ArgumentParser
import QASample

/// `qa-analytics generate`: realistic synthetic evidence for trying the tool, tests and benchmarks.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write realistic synthetic evidence records (same seed, same file; every record valid).",
        discussion: """
            The format follows the extension of --out: .csv (wide CSV) or .jsonl / .ndjson (JSON Lines).
            Example: qa-analytics generate --schools 12 --records 50000 --seed 7 --out sample.csv
            """)

    @Option(help: "Number of schools in the synthetic trust.")
    var schools = 8

    @Option(help: "Number of evidence records.")
    var records = 10_000

    @Option(help: "Random seed: the same seed gives the same file.")
    var seed: UInt64 = 1

    @Flag(help: "Spell ratings in the many ways real exports do (Gold, g*, green, A ...).")
    var variedSpellings = false

    @Option(help: ArgumentHelp("The file to write (.csv, .jsonl or .ndjson).", valueName: "file"))
    var out: String

    func validate() throws {
        guard schools >= 1 else { throw ValidationError("--schools must be at least 1") }
        guard records >= 0 else { throw ValidationError("--records must not be negative") }
        guard SampleFormat(path: out) != nil else { throw ValidationError("--out must end in .csv, .jsonl or .ndjson") }
    }

    func run() throws {
        let summary = try SampleWriter.write(
            SampleParameters(schools: schools, records: records, seed: seed, variedSpellings: variedSpellings), to: out)
        print("wrote \(summary.records) records (\(summary.schools) schools, \(summary.staff) staff, \(summary.bytes) bytes) to \(out)")
    }
}

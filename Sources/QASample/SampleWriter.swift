/// Why a sample could not be written.
public enum SampleWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidParameters(String)
    case unknownFormat(path: String)
    case cannotOpen(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidParameters(let why): "invalid sample parameters: \(why)"
        case .unknownFormat(let path): "cannot tell the format of \(path): use a .csv, .jsonl or .ndjson file name"
        case .cannotOpen(let path, let reason): "cannot open \(path) for writing: \(reason)"
        case .writeFailed(let path, let reason): "writing \(path) failed: \(reason)"
        }
    }
}

/// What was written.
public struct SampleSummary: Sendable, Hashable {
    public let records: Int
    public let bytes: Int
    public let schools: Int
    public let staff: Int
    public let format: SampleFormat
}

/// Writes a generated sample to a file, record by record through a 1 MiB buffer.
public enum SampleWriter {
    /// The format is taken from the file name (`.csv`, `.jsonl`, `.ndjson`).
    public static func write(_ parameters: SampleParameters, to path: String) throws(SampleWriteError) -> SampleSummary {
        guard let format = SampleFormat(path: path) else { throw .unknownFormat(path: path) }
        return try write(parameters, to: path, format: format)
    }

    public static func write(
        _ parameters: SampleParameters, to path: String, format: SampleFormat
    ) throws(SampleWriteError) -> SampleSummary {
        guard parameters.schools >= 1 else { throw .invalidParameters("at least one school is needed") }
        guard parameters.records >= 0 else { throw .invalidParameters("the number of records cannot be negative") }
        let generator = SampleGenerator(parameters)
        var spelling = parameters.variedSpellings ? RatingSpelling.varied(seed: parameters.seed) : .codes
        let output = try OutputFile(path: path)
        var count = 0
        do {
            if format == .csv {
                output.buffer.appendText(EvidenceCSV.header)
                output.buffer.appendByte("\n")
            }
            for record in generator.records() {
                switch format {
                case .csv: EvidenceCSV.append(record, spelling: &spelling, to: &output.buffer)
                case .jsonLines: EvidenceJSONLines.append(record, spelling: &spelling, to: &output.buffer)
                }
                output.buffer.appendByte("\n")
                count += 1
                try output.flushIfFull()
            }
            try output.close()
        } catch {
            output.discard()
            throw error
        }
        return SampleSummary(records: count, bytes: output.bytesWritten, schools: generator.schoolCount,
                             staff: generator.staffCount, format: format)
    }
}

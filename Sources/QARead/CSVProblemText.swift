import QACore

/// Plain-English descriptions of CSV structure problems.
enum CSVProblemText {
    static func describe(_ problem: CSVRowProblem, header: [String]) -> String {
        switch problem {
        case .unclosedQuote(let line):
            "quoted field opened on line \(line) is never closed; add the closing quote (\")"
        case .tooManyFields(let count, let limit):
            "the row has \(count) fields, more than the limit of \(limit); "
                + (header.isEmpty ? "" : "the header has \(header.count); ")
                + "check for stray commas"
        case .recordTooLong(let limit):
            "the row is longer than \(ByteCount.describe(limit)) in total; shorten its text"
        case .fieldTooLong(let index, let limit):
            "\(columnName(index, header: header) ?? "field \(index + 1)") is longer than \(ByteCount.describe(limit)); "
                + "shorten it (or raise the limit)"
        case .nulByte(let index):
            "\(columnName(index, header: header) ?? "field \(index + 1)") contains a NUL byte (character code 0), "
                + "which cannot be stored; remove it"
        }
    }

    static func columnName(_ index: Int, header: [String]) -> String? {
        index < header.count ? String(header[index].trimmingSpaces()) : nil
    }
}

enum ByteCount {
    /// `1 MiB`, `512 KiB`, `300 bytes`.
    static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}

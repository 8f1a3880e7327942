import QACore

/// The wide CSV layout of evidence records: RFC 4180, UTF-8 without BOM, LF line endings.
/// Tests of other modules can use it to write fixture files.
public enum EvidenceCSV {
    public static let columns: [String] = [
        "evidence_id", "school", "school_urn", "staff_id", "staff_name", "staff_role", "observer",
        "activity", "subject", "date", "verbal_feedback_date", "written_feedback_date", "year_groups", "cohorts",
    ] + Standard.allCases.map { "S\($0.number)" } + ["strengths", "areas_for_development", "next_steps", "deep_dive_id"]

    /// The header line, without a line ending.
    public static let header: String = columns.joined(separator: ",")

    /// One record as a CSV line, without a line ending.
    public static func row(for record: EvidenceRecord) -> String {
        var bytes: [UInt8] = []
        var spelling = RatingSpelling.codes
        append(record, spelling: &spelling, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A whole file: header and records, each line ending in LF.
    public static func file(for records: some Sequence<EvidenceRecord>) -> String {
        var bytes: [UInt8] = []
        bytes.appendText(header)
        bytes.appendByte("\n")
        var spelling = RatingSpelling.codes
        for record in records {
            append(record, spelling: &spelling, to: &bytes)
            bytes.appendByte("\n")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func append(_ r: EvidenceRecord, spelling: inout RatingSpelling, to out: inout [UInt8]) {
        field(r.evidenceID, &out); comma(&out)
        field(r.school, &out); comma(&out)
        field(r.schoolURN, &out); comma(&out)
        field(r.staffID, &out); comma(&out)
        field(r.staffName, &out); comma(&out)
        field(r.staffRole, &out); comma(&out)
        field(r.observer, &out); comma(&out)
        out.appendText(r.activity.code); comma(&out)
        field(r.subject, &out); comma(&out)
        out.appendISO(r.date); comma(&out)
        if let d = r.verbalFeedbackDate { out.appendISO(d) }
        comma(&out)
        if let d = r.writtenFeedbackDate { out.appendISO(d) }
        comma(&out)
        for (i, year) in r.yearGroups.enumerated() {
            if i > 0 { out.appendByte(";") }
            out.appendText(year.description)
        }
        comma(&out)
        var cohorts = ""
        for (i, cohort) in r.cohorts.enumerated() {
            if i > 0 { cohorts += ";" }
            cohorts += cohort.name
        }
        field(cohorts, &out); comma(&out)
        for standard in Standard.allCases {
            if let rating = r.ratings[standard] { out.appendText(spelling.text(for: rating)) }
            comma(&out)
        }
        field(r.strengths, &out); comma(&out)
        field(r.areasForDevelopment, &out); comma(&out)
        field(r.nextSteps, &out); comma(&out)
        field(r.deepDiveID, &out)
    }

    @inline(__always) private static func comma(_ out: inout [UInt8]) { out.append(UInt8(ascii: ",")) }

    private static func field(_ text: String?, _ out: inout [UInt8]) {
        if let text { field(text, &out) }
    }

    /// Quotes a field only when it holds a comma, a quote, CR or LF; quotes inside are doubled.
    private static func field(_ text: String, _ out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            let needsQuotes = bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            guard needsQuotes else { out.append(contentsOf: bytes); return }
            out.append(0x22)
            for b in bytes {
                if b == 0x22 { out.append(0x22) }
                out.append(b)
            }
            out.append(0x22)
        }
    }
}

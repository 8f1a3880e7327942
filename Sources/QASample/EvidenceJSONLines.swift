import QACore

/// Evidence records as JSON Lines: one object per line with the CSV's snake_case keys,
/// ratings as `{"1": "G", "5": "A"}` and year groups and cohorts as arrays. Absent values are `null`.
public enum EvidenceJSONLines {
    /// One record as a JSON object, without a line ending.
    public static func line(for record: EvidenceRecord) -> String {
        var bytes: [UInt8] = []
        var spelling = RatingSpelling.codes
        append(record, spelling: &spelling, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A whole file: one line per record, each ending in LF.
    public static func file(for records: some Sequence<EvidenceRecord>) -> String {
        var bytes: [UInt8] = []
        var spelling = RatingSpelling.codes
        for record in records {
            append(record, spelling: &spelling, to: &bytes)
            bytes.appendByte("\n")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func append(_ r: EvidenceRecord, spelling: inout RatingSpelling, to out: inout [UInt8]) {
        out.appendText("{\"evidence_id\":"); string(r.evidenceID, &out)
        out.appendText(",\"school\":"); string(r.school, &out)
        out.appendText(",\"school_urn\":"); string(r.schoolURN, &out)
        out.appendText(",\"staff_id\":"); string(r.staffID, &out)
        out.appendText(",\"staff_name\":"); string(r.staffName, &out)
        out.appendText(",\"staff_role\":"); string(r.staffRole, &out)
        out.appendText(",\"observer\":"); string(r.observer, &out)
        out.appendText(",\"activity\":"); string(r.activity.code, &out)
        out.appendText(",\"subject\":"); string(r.subject, &out)
        out.appendText(",\"date\":"); date(r.date, &out)
        out.appendText(",\"verbal_feedback_date\":"); date(r.verbalFeedbackDate, &out)
        out.appendText(",\"written_feedback_date\":"); date(r.writtenFeedbackDate, &out)
        out.appendText(",\"year_groups\":[")
        for (i, year) in r.yearGroups.enumerated() {
            if i > 0 { out.appendByte(",") }
            string(year.description, &out)
        }
        out.appendText("],\"cohorts\":[")
        for (i, cohort) in r.cohorts.enumerated() {
            if i > 0 { out.appendByte(",") }
            string(cohort.name, &out)
        }
        out.appendText("],\"ratings\":{")
        var first = true
        for standard in Standard.allCases {
            guard let rating = r.ratings[standard] else { continue }
            if !first { out.appendByte(",") }
            first = false
            out.appendByte("\"")
            out.appendText(String(standard.number))
            out.appendText("\":")
            string(spelling.text(for: rating), &out)
        }
        out.appendText("},\"strengths\":"); string(r.strengths, &out)
        out.appendText(",\"areas_for_development\":"); string(r.areasForDevelopment, &out)
        out.appendText(",\"next_steps\":"); string(r.nextSteps, &out)
        out.appendText(",\"deep_dive_id\":"); string(r.deepDiveID, &out)
        out.appendByte("}")
    }

    private static func date(_ value: CalendarDate?, _ out: inout [UInt8]) {
        guard let value else { out.appendText("null"); return }
        out.appendByte("\"")
        out.appendISO(value)
        out.appendByte("\"")
    }

    private static func string(_ value: String?, _ out: inout [UInt8]) {
        guard let value else { out.appendText("null"); return }
        string(value, &out)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string: quotes, backslashes and control characters escaped; other UTF-8 kept as it is.
    private static func string(_ value: String, _ out: inout [UInt8]) {
        var value = value
        out.append(0x22)
        value.withUTF8 { bytes in
            // Most text needs no escaping: copy it in one go.
            guard bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
                out.append(contentsOf: bytes)
                return
            }
            for b in bytes {
                switch b {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                case 0x00..<0x20:
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
                default: out.append(b)
                }
            }
        }
        out.append(0x22)
    }
}

import Postgres
import QACore
import QARead

/// The temporary table each load streams its rows into with COPY, before the set-based merge.
/// Accepted records (kind `a`) carry every field; rejected rows (kind `r`) carry the reason and the
/// original text, so PostgreSQL holds the whole file's accounting in one place.
enum StagingTable {
    static let create: SQL = """
        CREATE TEMP TABLE stage (
            kind                  "char" NOT NULL,
            line                  integer NOT NULL,
            evidence_id           text,
            school                text,
            school_urn            text,
            staff_id              text,
            staff_name            text,
            staff_role            text,
            observer              text,
            activity              text,
            subject               text,
            activity_date         date,
            verbal_feedback_date  date,
            written_feedback_date date,
            year_groups           smallint[],
            cohorts               text[],
            s1 qa.ragg, s2 qa.ragg, s3 qa.ragg, s4 qa.ragg, s5 qa.ragg, s6 qa.ragg,
            s7 qa.ragg, s8 qa.ragg, s9 qa.ragg, s10 qa.ragg, s11 qa.ragg, s12 qa.ragg,
            strengths             text,
            areas_for_development text,
            next_steps            text,
            deep_dive_id          text,
            warning               text,
            reject_column         text,
            reject_reason         text,
            original              text
        ) ON COMMIT DROP
        """

    static let copy: SQL = "COPY stage FROM STDIN"

    /// One accepted record as a COPY row, in the table's column order.
    static func write(_ record: EvidenceRecord, line: Int, warning: String?, to writer: inout CopyWriter) throws {
        try writer.field("a")
        writer.field(line)
        try writer.field(record.evidenceID)
        try writer.field(record.school)
        try writer.field(record.schoolURN)
        try writer.field(record.staffID)
        try writer.field(record.staffName)
        try writer.field(record.staffRole)
        try writer.field(record.observer)
        try writer.field(record.activity.code)
        try writer.field(record.subject)
        writer.field(record.date)
        writer.field(record.verbalFeedbackDate)
        writer.field(record.writtenFeedbackDate)
        writer.field(integers: record.yearGroups.map(\.number))
        try writer.field(texts: record.cohorts.map(\.name))
        // Twelve columns, s1 ... s12, from the record's few ratings (no lookup per standard).
        var labels = [String?](repeating: nil, count: Standard.allCases.count)
        for (standard, rating) in record.ratings { labels[standard.number - 1] = rating.databaseLabel }
        for label in labels { try writer.field(label) }
        try writer.field(record.strengths)
        try writer.field(record.areasForDevelopment)
        try writer.field(record.nextSteps)
        try writer.field(record.deepDiveID)
        try writer.field(warning)
        try writer.field(String?.none)
        try writer.field(String?.none)
        try writer.field(String?.none)
        try writer.endRow()
    }

    /// One rejected row: where, why, and the row as written.
    static func write(_ reject: Reject, evidenceID: String?, original: String, to writer: inout CopyWriter) throws {
        try writer.field("r")
        writer.field(reject.line)
        try writer.field(evidenceID.map(withoutNUL))
        // school ... warning: 30 empty columns.
        for _ in 0..<30 { try writer.field(String?.none) }
        try writer.field(reject.column.map(withoutNUL))
        try writer.field(withoutNUL(reject.reason))
        try writer.field(withoutNUL(original))
        try writer.endRow()
    }

    /// PostgreSQL text cannot hold NUL; a rejected row may contain one (that may be why it was rejected).
    static func withoutNUL(_ text: String) -> String {
        text.utf8.contains(0) ? String(text.unicodeScalars.filter { $0 != "\u{0}" }.map(Character.init)) : text
    }
}

extension CopyWriter {
    /// A date as PostgreSQL reads it (`YYYY-MM-DD`), or NULL.
    mutating func field(_ date: CalendarDate?) {
        guard let date else { null(); return }
        field(year: date.year, month: date.month, day: date.day)
    }
}

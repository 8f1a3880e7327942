import Foundation
import Logging
import Postgres
import QACore
import QALoad
import QARead
import TestSupport

let evidenceHeader = "evidence_id,school,school_urn,staff_id,staff_name,staff_role,observer,activity,subject,date,verbal_feedback_date,written_feedback_date,year_groups,cohorts,S1,S2,S3,S4,S5,S6,S7,S8,S9,S10,S11,S12,strengths,areas_for_development,next_steps,deep_dive_id"

/// A row of the wide CSV with sensible defaults; `ratings` maps standard number to the cell's text.
func evidenceRow(
    _ id: String, school: String = "Oakfield Academy", staff: String = "T001", staffName: String = "Ann Smith",
    observer: String = "Head", activity: String = "lesson_visit", subject: String = "Maths", date: String = "2023-03-14",
    verbal: String = "", written: String = "", yearGroups: String = "", cohorts: String = "",
    ratings: [Int: String] = [1: "G", 7: "A"], strengths: String = "", deepDive: String = ""
) -> String {
    let cells = (1...12).map { ratings[$0] ?? "" }
    return ([id, school, "", staff, staffName, "Class teacher", observer, activity, subject, date, verbal, written,
             yearGroups, cohorts] + cells + [strengths, "", "", deepDive]).joined(separator: ",")
}

/// Writes a file in a fresh temporary folder and returns its path.
func writeEvidenceFile(_ text: String, name: String = "evidence.csv") throws -> String {
    let folder = try RepositoryPaths.temporaryFolder("load")
    let path = folder.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

func csvFile(_ rows: [String], name: String = "evidence.csv") throws -> String {
    try writeEvidenceFile(([evidenceHeader] + rows).joined(separator: "\n") + "\n", name: name)
}

let fixedToday = CalendarDate(year: 2026, month: 11, day: 29) ?? CalendarDate(daysSinceEpoch: 20_000)

func loadOptions(
    snapshot: Bool = false, dryRun: Bool = false, maxRejects: RejectLimit = .percent(10), lockTimeout: Double = 30,
    source: String = "standards-tracker", today: CalendarDate = fixedToday
) -> LoadOptions {
    LoadOptions(
        source: source, snapshot: snapshot, dryRun: dryRun, maxRejects: maxRejects, lockTimeout: lockTimeout,
        read: ReadOptions(today: today))
}

func load(_ path: String, into connection: Connection, _ options: LoadOptions = loadOptions()) throws -> LoadReport {
    try Loader(connection: connection, logger: Logger(label: "test")).load(path: path, options: options)
}

extension Connection {
    func count(_ sql: SQL) throws -> Int {
        try query(sql).single().decode("n", as: Int.self)
    }

    /// Every evidence, rating and dimension row as text: equal fingerprints mean an unchanged database.
    func fingerprint() throws -> String {
        try query("""
            SELECT md5(coalesce((SELECT string_agg(e::text, '|' ORDER BY evidence_pk) FROM qa.evidence e), '')
                    || coalesce((SELECT string_agg(r::text, '|' ORDER BY evidence_pk, standard) FROM qa.rating r), '')
                    || coalesce((SELECT string_agg(s::text, '|' ORDER BY school_id) FROM qa.school s), '')
                    || coalesce((SELECT string_agg(s::text, '|' ORDER BY staff_id) FROM qa.staff s), '')
                    || coalesce((SELECT string_agg(h::text, '|' ORDER BY history_id) FROM qa.evidence_history h), '')) AS f
            """).single().decode("f")
    }
}

import QACore

/// The columns of an evidence file, in canonical order.
public enum EvidenceColumn: Int, CaseIterable, Sendable, Hashable {
    case evidenceID, school, schoolURN, staffID, staffName, staffRole, observer
    case activity, subject, date, verbalFeedbackDate, writtenFeedbackDate
    case yearGroups, cohorts
    case s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12
    case strengths, areasForDevelopment, nextSteps, deepDiveID

    /// The header name the sample generator writes (`evidence_id`, `S5`, ...).
    public var canonicalName: String {
        if let standard { return "S\(standard.number)" }
        switch self {
        case .evidenceID: return "evidence_id"
        case .school: return "school"
        case .schoolURN: return "school_urn"
        case .staffID: return "staff_id"
        case .staffName: return "staff_name"
        case .staffRole: return "staff_role"
        case .observer: return "observer"
        case .activity: return "activity"
        case .subject: return "subject"
        case .date: return "date"
        case .verbalFeedbackDate: return "verbal_feedback_date"
        case .writtenFeedbackDate: return "written_feedback_date"
        case .yearGroups: return "year_groups"
        case .cohorts: return "cohorts"
        case .strengths: return "strengths"
        case .areasForDevelopment: return "areas_for_development"
        case .nextSteps: return "next_steps"
        default: return "deep_dive_id"
        }
    }

    /// The standard a rating column rates.
    public var standard: Standard? {
        guard rawValue >= EvidenceColumn.s1.rawValue, rawValue <= EvidenceColumn.s12.rawValue else { return nil }
        return Standard(number: rawValue - EvidenceColumn.s1.rawValue + 1)
    }

    public static func rating(_ standard: Standard) -> EvidenceColumn {
        EvidenceColumn(rawValue: EvidenceColumn.s1.rawValue + standard.number - 1) ?? .s1
    }

    /// Columns a file must have.
    public static let required: [EvidenceColumn] = [.evidenceID, .school, .activity, .date]

    /// Finds the column a header name means, ignoring case, spaces, underscores and hyphens:
    /// `Evidence ID`, `evidence_id` and `EvidenceId` are one column; `S5` and `Standard 5` are another.
    public init?(header: some StringProtocol) {
        guard let column = EvidenceColumn.byKey[EvidenceColumn.key(header)] else { return nil }
        self = column
    }

    /// A header name reduced to lower case without spaces, underscores and hyphens.
    static func key(_ header: some StringProtocol) -> String {
        let utf8 = header.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII fast path: JSON keys are looked up on every line.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(utf8.count)
            for b in utf8 where b != 0x20 && b != 0x5F && b != 0x2D && !(0x09...0x0D).contains(b) {
                bytes.append((0x41...0x5A).contains(b) ? b + 0x20 : b)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(header.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" })
    }

    private static let byKey: [String: EvidenceColumn] = {
        var table: [String: EvidenceColumn] = [:]
        for column in EvidenceColumn.allCases {
            table[key(column.canonicalName)] = column
            if let standard = column.standard { table["standard\(standard.number)"] = column }
        }
        return table
    }()
}

/// The header row of an evidence CSV.
public enum EvidenceColumns {
    /// The canonical header, in order: evidence_id, school, school_urn, staff_id, staff_name, staff_role,
    /// observer, activity, subject, date, verbal_feedback_date, written_feedback_date, year_groups, cohorts,
    /// S1 ... S12, strengths, areas_for_development, next_steps, deep_dive_id.
    public static let canonicalHeader: [String] = EvidenceColumn.allCases.map(\.canonicalName)
}

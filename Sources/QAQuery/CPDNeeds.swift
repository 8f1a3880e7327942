import Postgres

/// `query cpd-needs`: where support is needed, for staff, for subjects and schools, and across the trust.
public struct CPDNeeds: Sendable {
    public var filter: Filter
    /// The Amber+Red share, in percent, at or above which a subject or school is flagged on a standard.
    public var threshold: Double
    /// The fewest ratings a subject or school needs on a standard before its share is judged.
    public var minimumRatings: Int
    public var preference: CountSource.Preference
    /// Whether the levels may share one read of the counts in a temporary table (`sharedCounts`). `run` turns it
    /// off inside a read-only transaction, such as the export's, where PostgreSQL creates no tables.
    public var sharesCounts = true

    public static let supportProgramme = "support candidate: informal support programme (six-week cycle)"

    public init(
        filter: Filter = Filter(), threshold: Double = 40, minimumRatings: Int = 10,
        preference: CountSource.Preference = .automatic
    ) {
        self.filter = filter
        self.threshold = threshold
        self.minimumRatings = minimumRatings
        self.preference = preference
    }

    /// Where the staff level reads its Amber and Red ratings: the narrowest source that can answer the filter.
    public enum StaffSource: Sendable, Equatable {
        /// qa.support_evidence_term (SQL/013): already grouped per term, staff member, standard and school.
        case terms
        /// qa.support_evidence_cohort_term (SQL/027): the same under each cohort.
        case cohortTerms
        /// qa.support_evidence_year_group_term (SQL/027): the same under each year group.
        case yearGroupTerms
        /// A range of dates (`TermRange`) whose filter, less its dates, one of the three term tables answers: its
        /// whole terms from that table, the rest of its days from qa.support_evidence.
        case wholeTermsAndRatings
        /// qa.support_evidence (SQL/012): one row per rating, with the facts of its record it can be filtered by
        /// (its cohorts and year groups since SQL/022).
        case ratings
        /// qa.rating joined to its records: when summaries are not wanted.
        case baseTables
    }

    /// The fields qa.support_evidence_term keeps: a filter on these alone is answered from it.
    static let supportTermFields: Set<Field> = [.staff, .standard, .academicYear, .term]
    /// The fields qa.support_evidence keeps of each Amber and Red rating's record.
    static let supportEvidenceFields: Set<Field> = [
        .school, .subject, .staff, .standard, .activity, .date, .academicYear, .term, .cohort, .yearGroup,
    ]

    public var staffSource: StaffSource {
        guard preference == .automatic else { return .baseTables }
        if let table = CPDNeeds.termTable(for: filter.fields) { return table }
        if staffTermRange != nil { return .wholeTermsAndRatings }
        if filter.fields.isSubset(of: CPDNeeds.supportEvidenceFields) { return .ratings }
        return .baseTables
    }

    /// The term table that answers a filter on `fields`, if one does.
    static func termTable(for fields: Set<Field>) -> StaffSource? {
        if fields.isSubset(of: supportTermFields) { return .terms }
        // One cohort or one year group (not both: each table has only its own) beside the term table's fields.
        if fields.subtracting([.cohort]).isSubset(of: supportTermFields) { return .cohortTerms }
        if fields.subtracting([.yearGroup]).isSubset(of: supportTermFields) { return .yearGroupTerms }
        return nil
    }

    /// The filter's dates read as whole terms and the days left over (`TermRange`), when a term table answers the
    /// rest of the filter: a year's flags from the term table took 0.3 s at 3 million records, against 1.3 s for
    /// 1 September to 31 March from qa.support_evidence (663,000 Amber and Red ratings sorted and grouped).
    var staffTermRange: TermRange? {
        guard preference == .automatic, filter.fields.contains(.date),
              CPDNeeds.termTable(for: filter.withoutDates.fields) != nil else { return nil }
        return TermRange(for: filter)
    }

    /// The order of the evidence ids behind a flag: term by term, and within a term by school, date and id. It is
    /// the order qa.support_evidence_term keeps each term's ids in, so a year's lists are joined, not sorted.
    static let evidenceOrder: SQL = "x.academic_year, x.term, x.school_id, x.activity_date, x.evidence_id"

    /// Staff with at least two Amber or Red ratings on a standard, from at least two records, at least one Red
    /// (policy 8.8). A record rates a standard once (the primary key of qa.rating), and the filter is applied to
    /// records (a cohort or year group matches a record naming it), so each rating counted is one record's:
    /// two are two records, and the evidence ids need no DISTINCT. Most Reds first. A staff member whose row the
    /// reader may not see (a school leader, for someone now at another school) shows as a pseudonym.
    public var staffSQL: SQL {
        let flags: SQL
        switch staffSource {
        case .terms, .cohortTerms, .yearGroupTerms:
            flags = CPDNeeds.termFlags(from: supportTermTable + " x" + filter.whereClause(level: .rating))
        case .wholeTermsAndRatings:
            flags = staffTermRange.map(wholeTermsAndRatingsFlags) ?? CPDNeeds.flags(from: "qa.support_evidence x"
                + filter.whereClause(level: .supportRating))
        case .ratings:
            // A row per rating with its record's cohorts and year groups (SQL/022).
            flags = CPDNeeds.flags(from: "qa.support_evidence x" + filter.whereClause(level: .supportRating))
        case .baseTables:
            let (records, ratings) = filter.recordsThenRatings
            // Each record's Amber and Red ratings looked up by the rating table's key: a cohort's share of a term is
            // guessed at half its records, and for that many PostgreSQL hashed all 3.7 million Amber and Red
            // ratings at 3 million records (one term for SEND: 1.1 s, 0.34-0.38 s looked up; OFFSET 0 keeps the
            // lookup from becoming that join again). The outer OFFSET 0 keeps the lookups in the order the records
            // are read, which is the order of the rating table too: sorted by staff member first, to save the sort
            // after, each lookup went to another page (two years for SEND at 3 million records: 2.4 s of lookups,
            // 0.65 s in the records' order).
            flags = CPDNeeds.flags(
                from: "(SELECT x.staff_id, r.standard, r.rating, x.evidence_id, x.academic_year, x.term, x.school_id,"
                    + " x.activity_date FROM " + evidenceSource(observer: false)
                    + " CROSS JOIN LATERAL (SELECT r.standard, r.rating FROM qa.rating r WHERE " + ratings
                    + " AND r.rating IN ('amber', 'red') OFFSET 0) r"
                    + records.whereClause(level: .evidence, and: ["x.staff_id IS NOT NULL"]) + " OFFSET 0) x")
        }
        return "WITH g AS (" + flags + ")"
            + """
             SELECT s.name AS school, coalesce(t.name, t.external_id, qa.staff_pseudonym(g.staff_id)) AS staff,
                    g.standard, g.red, g.amber, g.evidence_ids
               FROM g LEFT JOIN qa.staff t ON t.staff_id = g.staff_id
               LEFT JOIN qa.school s ON s.school_id = t.school_id
              ORDER BY g.red DESC, g.red + g.amber DESC, staff, g.standard
            """
    }

    /// The term table the staff level reads (a closed list): 013's, or 027's under each cohort or year group, whose
    /// cohort or year group is a column (the filter's `.rating` level).
    private var supportTermTable: SQL {
        switch CPDNeeds.termTable(for: filter.withoutDates.fields) {
        case .cohortTerms: "qa.support_evidence_cohort_term"
        case .yearGroupTerms: "qa.support_evidence_year_group_term"
        default: "qa.support_evidence_term"
        }
    }

    /// The flags among rows grouped as the term tables' are (SQL/013), `source` aliased x: their counts added up and
    /// their ids joined. Each row's ids are an array's text form without its braces: joined with commas, in the order
    /// of the subquery, they are the text form of the flag's array (the client reads that text either way). The order
    /// comes from the sorted subquery, with no ORDER BY in string_agg: PostgreSQL 15 sorts each group again for that,
    /// which cost a year's staff level 0.13 s of its 0.3 s at 3 million records. Nothing between the subquery and the
    /// grouping can reorder its rows (no join), and the tests compare these lists with the explicitly ordered ones of
    /// the other sources.
    static func termFlags(from source: SQL) -> SQL {
        "SELECT x.staff_id, x.standard, sum(x.red) AS red, sum(x.amber) AS amber,"
            + " '{' || string_agg(x.evidence_ids, ',') || '}' AS evidence_ids"
            + " FROM (SELECT * FROM " + source + " ORDER BY " + termRowKey + ") x"
            + " GROUP BY x.staff_id, x.standard HAVING sum(x.red) + sum(x.amber) >= 2 AND sum(x.red) >= 1"
    }

    /// A term table's key, in the order its rows are joined into flags.
    static let termRowKey: SQL = "x.staff_id, x.standard, x.academic_year, x.term, x.school_id"

    /// The flags of a range of dates: the term table's rows of its whole terms, and the rows of its other days (its
    /// terms that are not whole, each read by the term index) grouped from qa.support_evidence as the loads group the
    /// term table's (SQL/013), all added up as for `.terms`. Grouped before they are joined: a row per rating, each id
    /// put in the table's text form alone, cost 1.4 s for 1 October to 31 December at 3 million records.
    private func wholeTermsAndRatingsFlags(_ range: TermRange) -> SQL {
        let key = CPDNeeds.termRowKey
        var parts: [SQL] = [
            "SELECT " + key + ", x.red, x.amber, x.evidence_ids FROM " + supportTermTable + " x"
                + filter.withoutDates.whereClause(level: .rating, and: [range.inWholeTerms("x")]),
        ]
        for (conditions, inTerm) in range.endTermFilters(filter) {
            parts.append(
                "SELECT " + key + ", (count(*) FILTER (WHERE x.rating = 'red'))::integer,"
                    + " (count(*) FILTER (WHERE x.rating = 'amber'))::integer,"
                    + " qa.array_items_text(array_agg(x.evidence_id ORDER BY x.activity_date, x.evidence_id))"
                    + " FROM qa.support_evidence x" + inTerm.whereClause(level: .supportRating, and: conditions)
                    + " GROUP BY " + key)
        }
        return CPDNeeds.termFlags(from: "(" + SQL.joined(parts, separator: "\n UNION ALL\n ") + ") x")
    }

    /// The flags among Amber and Red ratings `source` (aliased x) lists one row each, with their ids in order.
    /// The order comes from a sorted subquery, as for `.terms`: an ORDER BY inside array_agg made PostgreSQL 15
    /// sort each group again (three months by dates at 3 million records: 0.33 s of the staff level's 0.43 s,
    /// against 0.2 s for the sorted rows).
    static func flags(from source: SQL) -> SQL {
        "SELECT x.staff_id, x.standard,"
            + " count(*) FILTER (WHERE x.rating = 'red') AS red, count(*) FILTER (WHERE x.rating = 'amber') AS amber,"
            + " array_agg(x.evidence_id) AS evidence_ids"
            // The columns named: qa.support_evidence has the record's arrays too, which the sort need not carry.
            + " FROM (SELECT x.staff_id, x.standard, x.rating, x.evidence_id, x.academic_year, x.term, x.school_id,"
            + " x.activity_date FROM " + source + " ORDER BY x.staff_id, x.standard, " + evidenceOrder + ") x"
            + " GROUP BY x.staff_id, x.standard"
            + " HAVING count(*) >= 2 AND count(*) FILTER (WHERE x.rating = 'red') >= 1"
    }

    /// The counts per school, subject and standard the subject, school and trust levels all add up, when the
    /// filter leaves the trust's counts equal to the local ones (no school, subject or staff filter) and needs more
    /// than the rating summary: read once into a temporary table instead of once per level. From the base tables,
    /// three months by dates at 3 million records took 1.1 s a read; a term's cohort or year group is a scan of
    /// its summary, 0.25 s a read (five reads: 1.28 -> 0.3 s).
    var sharedCounts: RatingCounts? {
        guard sharesCounts else { return nil }
        let counts = RatingCounts(dimensions: [.school, .subject, .standard], filter: filter, preference: preference)
        // The rating summary answers each level by its index on year and term, in milliseconds.
        if case .summary(.ratingSummary) = counts.source { return nil }
        return trustFilter == filter ? counts : nil
    }

    /// The statements that fill the shared counts' temporary table (a table left by an earlier run goes first),
    /// and the one that drops it; nil when the levels read their counts themselves.
    var sharedCountsTable: (fill: [SQL], drop: SQL)? {
        guard let counts = sharedCounts else { return nil }
        return (["DROP TABLE IF EXISTS pg_temp.cpd_counts", "CREATE TEMP TABLE cpd_counts AS " + counts.sql],
                "DROP TABLE pg_temp.cpd_counts")
    }

    /// The statements `run` runs, in order: what `--explain` prints.
    public func statements(staffLevel: Bool = true) -> [SQL] {
        let levels = [groupSQL(bySubject: true), groupSQL(bySubject: false), trustSQL]
        let staff = staffLevel ? [staffSQL] : []
        guard let table = sharedCountsTable else { return staff + levels }
        return staff + table.fill + levels + [table.drop]
    }

    /// Counts by `dims` (school, subject, standard or fewer) added up from the shared counts.
    static func fromShared(_ dims: [String]) -> SQL {
        let keys = dims.map { "c." + quotedIdentifier($0) }.joined(separator: ", ")
        return SQL(verbatim: "SELECT \(keys), sum(c.red)::bigint AS red, sum(c.amber)::bigint AS amber,"
            + " sum(c.green)::bigint AS green, sum(c.gold)::bigint AS gold FROM pg_temp.cpd_counts c GROUP BY \(keys)")
    }

    /// Per school (`bySubject` false) or per subject within a school: standards whose Amber+Red share is at
    /// least the threshold, with at least the minimum number of ratings, beside the trust's share.
    public func groupSQL(bySubject: Bool) -> SQL {
        let dims: [Dimension] = bySubject ? [.school, .subject, .standard] : [.school, .standard]
        let local: SQL, trust: SQL
        if sharedCounts != nil {
            local = Self.fromShared(dims.map(\.name))
            trust = Self.fromShared(["standard"])
        } else {
            local = RatingCounts(dimensions: dims, filter: filter, preference: preference).sql
            trust = RatingCounts(dimensions: [.standard], filter: trustFilter, preference: preference).sql
        }
        let subject: SQL = bySubject ? "coalesce(su.name, 'unspecified')" : "NULL::text"
        let subjectJoin: SQL = bySubject ? " LEFT JOIN qa.subject su ON su.subject_id = g.subject" : ""
        // Names by join, not a subquery per row: one term at 3 million records is 10,000 groups before the
        // threshold, and a lookup each cost 0.15 s.
        return "WITH g AS (" + local + "), t AS (" + trust + ")"
            + """
             SELECT sc.name AS school, \(subject) AS subject,
                    g.standard, n.n, g.amber + g.red AS amber_red,
                    round(100.0 * (g.amber + g.red) / n.n, 1) AS amber_red_pct,
                    round(100.0 * (t.amber + t.red) / (t.gold + t.green + t.amber + t.red), 1) AS trust_amber_red_pct,
                    round(100.0 * (g.amber + g.red) / n.n
                          - 100.0 * (t.amber + t.red) / (t.gold + t.green + t.amber + t.red), 1) AS gap_pct
               FROM g CROSS JOIN LATERAL (SELECT g.gold + g.green + g.amber + g.red AS n) n
               JOIN t ON t.standard = g.standard
               LEFT JOIN qa.school sc ON sc.school_id = g.school
            """ + subjectJoin + "\n" + """
              WHERE n.n >= \(minimumRatings) AND 100.0 * (g.amber + g.red) / n.n >= \(threshold)
              ORDER BY gap_pct DESC, amber_red_pct DESC, school, subject, g.standard
            """
    }

    /// The whole trust in the same window: the filter without school, subject and staff, so a school's
    /// share is compared with the trust's, not with itself.
    var trustFilter: Filter {
        var f = filter
        f.school = nil
        f.subject = nil
        f.staff = nil
        return f
    }

    /// The standards ranked by their Amber+Red share across the trust: whole-trust training priorities.
    public var trustSQL: SQL {
        let trust = sharedCounts != nil ? Self.fromShared(["standard"])
            : RatingCounts(dimensions: [.standard], filter: trustFilter, preference: preference).sql
        return "WITH g AS (" + trust + ")"
            + """
             SELECT rank() OVER (ORDER BY (g.amber + g.red)::float8 / n.n DESC) AS rank,
                    g.standard, n.n, g.amber + g.red AS amber_red,
                    round(100.0 * (g.amber + g.red) / n.n, 1) AS amber_red_pct
               FROM g CROSS JOIN LATERAL (SELECT g.gold + g.green + g.amber + g.red AS n) n
              WHERE n.n > 0
              ORDER BY rank, g.standard
            """
    }

    /// Runs every level; `staffLevel: false` skips the staff level (names, and the slowest statement), as the
    /// aggregate-only export does.
    ///
    /// Outside a transaction the staff level runs on a second connection (`SecondReader`) beside the other levels,
    /// both reading one snapshot: each statement keeps the server's two cores busy for only part of its time (its
    /// final grouping and sorting run in one process), and side by side they overlap. At 3 million records,
    /// cpd-needs from 15 February to 14 May took 0.95 s in PostgreSQL one statement after another, and 0.75 s
    /// side by side. Inside a caller's transaction (the export's) the levels run one after another, and so does the
    /// staff level when no second connection can be opened.
    public func run(on connection: Connection, staffLevel: Bool = true) throws -> CPDNeedsResult {
        guard staffLevel, !connection.inTransaction else {
            return try runLevels(on: connection, staffLevel: staffLevel)
        }
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        var second: SecondReader<[StaffNeed]>?
        do {
            let snapshot: String = try connection.query("SELECT pg_export_snapshot() AS id").single().decode("id")
            let staffSQL = self.staffSQL
            second = try SecondReader.start(conninfo: connection.conninfo, snapshot: snapshot) { other in
                try CPDNeeds.staffNeeds(other.query(staffSQL))
            }
            var result = try runLevels(on: connection, staffLevel: false)
            result.staff = try second?.wait { try CPDNeeds.staffNeeds(connection.query(staffSQL)) } ?? []
            try connection.execute("COMMIT")
            return result
        } catch {
            // The second connection finishes (or fails) on its own; waited for so that nothing outlives the call.
            _ = try? second?.wait()
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// The staff level's rows as flags. Columns are found once and read by position (a year at 3 million records
    /// is 56,000 flags, and finding each by name in each row was a sixth of the time to read them); a value that
    /// is NULL where none may be is `decode(at:)`'s error.
    static func staffNeeds(_ result: QueryResult) throws -> [StaffNeed] {
        let school = try result.position(of: "school"), staff = try result.position(of: "staff"),
            standard = try result.position(of: "standard"), red = try result.position(of: "red"),
            amber = try result.position(of: "amber"), ids = try result.position(of: "evidence_ids")
        var schools = RepeatedText(column: school)
        return try result.rows.map { row in
            StaffNeed(
                school: schools.text(in: row), staff: try row.text(at: staff) ?? row.decode(at: staff),
                standard: try row.integer(at: standard) ?? row.decode(at: standard),
                red: try row.integer(at: red) ?? row.decode(at: red), amber: try row.integer(at: amber) ?? row.decode(at: amber),
                evidence: TextList(arrayText: try row.text(at: ids) ?? row.decode(at: ids)))
        }
    }

    /// Every level on one connection, one after another.
    func runLevels(on connection: Connection, staffLevel: Bool) throws -> CPDNeedsResult {
        if sharedCounts != nil,
           try connection.query("SELECT current_setting('transaction_read_only') = 'on' AS ro").single().decode("ro") {
            var each = self
            each.sharesCounts = false
            return try each.runLevels(on: connection, staffLevel: staffLevel)
        }
        let staff = try !staffLevel ? [] : CPDNeeds.staffNeeds(connection.query(staffSQL))
        func groups(_ bySubject: Bool) throws -> [GroupNeed] {
            try connection.query(groupSQL(bySubject: bySubject)).rows.map { row in
                GroupNeed(
                    school: try row.decode("school"), subject: try row.decode("subject"),
                    standard: try row.decode("standard"), n: try row.decode("n"),
                    amberRed: try row.decode("amber_red"), amberRedPct: try row.decode("amber_red_pct"),
                    trustAmberRedPct: try row.decode("trust_amber_red_pct"), gapPct: try row.decode("gap_pct"))
            }
        }
        let table = sharedCountsTable
        for statement in table?.fill ?? [] { try connection.execute(statement) }
        // Dropped even when a level fails, so that the connection (the export's, say) can ask again.
        defer { if let table { _ = try? connection.execute(table.drop) } }
        let subjects = try groups(true), schools = try groups(false)
        let trust = try connection.query(trustSQL).rows.map { row in
            TrustPriority(
                rank: try row.decode("rank"), standard: try row.decode("standard"), n: try row.decode("n"),
                amberRed: try row.decode("amber_red"), amberRedPct: try row.decode("amber_red_pct"))
        }
        return CPDNeedsResult(staff: staff, subjects: subjects, schools: schools, trust: trust)
    }

    /// All levels in one table with a `level` column (staff, subject, school, trust).
    public func table(_ result: CPDNeedsResult) -> ResultTable {
        let columns = [
            "level", "school", "subject", "staff", "standard", "n", "red", "amber", "amber_red", "amber_red_pct",
            "trust_amber_red_pct", "gap_pct", "rank", "action", "evidence_ids",
        ].map { Column($0, rating: $0 == "red" ? .red : $0 == "amber" ? .amber : nil) }
        var rows: [[Value]] = []
        func opt(_ s: String?) -> Value { s.map(Value.text) ?? .null }
        func pct(_ d: Double) -> Value { .decimal(d, places: 1) }
        for s in result.staff {
            rows.append([
                .text("staff"), opt(s.school), .null, .text(s.staff), .integer(s.standard), .integer(s.red + s.amber),
                .integer(s.red), .integer(s.amber), .integer(s.red + s.amber), .null, .null, .null, .null,
                .text(CPDNeeds.supportProgramme), .list(s.evidence),
            ])
        }
        for (level, list) in [("subject", result.subjects), ("school", result.schools)] {
            for g in list {
                rows.append([
                    .text(level), .text(g.school), opt(g.subject), .null, .integer(g.standard), .integer(g.n), .null,
                    .null, .integer(g.amberRed), pct(g.amberRedPct), pct(g.trustAmberRedPct), pct(g.gapPct), .null,
                    .text("\(level) support on standard \(g.standard)"), .null,
                ])
            }
        }
        for t in result.trust {
            rows.append([
                .text("trust"), .null, .null, .null, .integer(t.standard), .integer(t.n), .null, .null,
                .integer(t.amberRed), pct(t.amberRedPct), .null, .null, .integer(t.rank), .null, .null,
            ])
        }
        return ResultTable(columns: columns, rows: rows)
    }
}

public struct CPDNeedsResult: Sendable, Equatable, Codable {
    public var staff: [StaffNeed]
    public var subjects: [GroupNeed]
    public var schools: [GroupNeed]
    public var trust: [TrustPriority]
}

/// A staff member who is a support candidate on a standard, with the records behind the flag.
public struct StaffNeed: Sendable, Equatable, Codable {
    public var school: String?
    public var staff: String
    public var standard: Int
    public var red, amber: Int
    /// The evidence ids behind the flag, kept as PostgreSQL sent them (`TextList`).
    public var evidence: TextList
    public var evidenceIDs: [String] { evidence.items }
}

/// A subject in a school (subject set) or a school (subject nil) flagged on a standard.
public struct GroupNeed: Sendable, Equatable, Codable {
    public var school: String
    public var subject: String?
    public var standard: Int
    public var n, amberRed: Int
    public var amberRedPct, trustAmberRedPct: Double
    /// The flagged share less the trust's share on the standard, in percentage points.
    public var gapPct: Double

    public init(school: String, subject: String?, standard: Int, n: Int, amberRed: Int, amberRedPct: Double, trustAmberRedPct: Double, gapPct: Double) {
        self.school = school
        self.subject = subject
        self.standard = standard
        self.n = n
        self.amberRed = amberRed
        self.amberRedPct = amberRedPct
        self.trustAmberRedPct = trustAmberRedPct
        self.gapPct = gapPct
    }
}

public struct TrustPriority: Sendable, Equatable, Codable {
    public var rank: Int
    public var standard: Int
    public var n, amberRed: Int
    public var amberRedPct: Double
}

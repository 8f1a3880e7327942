import Foundation
import Testing
import TestSupport

/// The `qa-analytics query` commands, through the built binary.
@Suite struct QueryCommandTests {
    @Test func distributionAsJSON() throws {
        let f = try standardFixture()
        let result = try runTool(["query", "distribution", "--by", "standard", "--standard", "1", "--format", "json",
                                  "--database", f.conninfo])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            [
              {"standard": 1, "n": 3, "gold": 1, "green": 1, "amber": 0, "red": 1, "gold_pct": 33.3, "green_pct": 33.3, \
            "amber_pct": 0.0, "red_pct": 33.3, "mean_score": 2.67, "good_or_better_pct": 66.7}
            ]

            """)
    }

    @Test func anInjectionAttemptGetsTheNoMatchMessageAndChangesNothing() throws {
        let f = try standardFixture()
        let before = try f.count("qa.rating")
        for option in ["--school", "--subject", "--cohort", "--staff"] {
            let result = try runTool(["query", "distribution", option, "x'; DROP TABLE qa.rating; --", "--database", f.conninfo])
            #expect(result.status == 64)
            #expect(result.stderr.contains("named \"x'; DROP TABLE qa.rating; --\""), "\(result.stderr)")
        }
        for option in ["--standard", "--activity", "--term", "--academic-year", "--year-group", "--from", "--to", "--as-of"] {
            let result = try runTool(["query", "cpd-needs", option, "x'; DROP TABLE qa.rating; --", "--database", f.conninfo])
            #expect(result.status == 64, "\(option): \(result.stderr)")
        }
        #expect(try f.count("qa.rating") == before)
        let typo = try runTool(["query", "feedback", "--school", "Oakfeild", "--database", f.conninfo])
        #expect(typo.stderr == "error: no school named \"Oakfeild\"; did you mean \"Oakfield Academy\"?\n")
    }

    @Test func explainPrintsTheSQLAndItsParametersWithoutADatabase() throws {
        let result = try runTool(["query", "distribution", "--by", "school", "--school", "Oakfield", "--explain",
                                  "--database", "host=/nonexistent"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("FROM qa.rating_school_summary x"))
        #expect(result.stdout.hasSuffix("-- parameters: $1 = 'Oakfield';\n"))
    }

    /// With no period, cpd-needs looks at the term containing today (or --as-of); --all-time at every record.
    @Test func cpdNeedsLooksAtThisTermUnlessGivenAPeriod() throws {
        let f = try standardFixture()
        let dan = try f.staff("Dan Dale", school: 1)
        try f.record("D1", school: 1, subject: 1, staff: dan, date: "2023-01-09", ratings: [9: .red])
        try f.record("D2", school: 1, subject: 1, staff: dan, date: "2023-01-16", ratings: [9: .amber])
        try f.refresh()
        func staffRows(_ options: [String]) throws -> [String] {
            let result = try runTool(["query", "cpd-needs", "--format", "csv", "--database", f.conninfo] + options)
            #expect(result.status == 0, "\(options): \(result.stderr)")
            return result.stdout.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("staff,") || $0.hasPrefix("trust,") }.map(String.init)
        }
        // Spring 2022/23: Dan's two records; Ann's Red (E2) has no second weak rating this term.
        let spring = [
            "staff,Oakfield Academy,,Dan Dale,9,2,1,1,2,,,,,support candidate: informal support programme (six-week cycle),D1;D2",
            "trust,,,,6,1,,,1,100.0,,,1,,", "trust,,,,9,2,,,2,100.0,,,1,,", "trust,,,,5,2,,,1,50.0,,,3,,",
            "trust,,,,1,1,,,0,0.0,,,4,,",
        ]
        #expect(try staffRows(["--as-of", "2023-02-01"]) == spring)
        #expect(try staffRows(["--academic-year", "2022/23", "--term", "spring"]) == spring)
        // Every record: Ann's Amber (E1, autumn) and Red (E2, spring) on standard 5 flag her too.
        let all = try staffRows(["--all-time"])
        #expect(all.filter { $0.hasPrefix("staff,") }.map { $0.split(separator: ",", omittingEmptySubsequences: false)[3] } == ["Ann Archer", "Dan Dale"])
        // Today is years after the fixture's records: nothing to show, and no error.
        #expect(try staffRows([]) == [])
        let explain = try runTool(["query", "cpd-needs", "--as-of", "2023-02-01", "--explain", "--database", "host=/nonexistent"])
        #expect(explain.stdout.contains("FROM qa.support_evidence_term x WHERE x.academic_year = qa.academic_year_of($1::date) AND x.term = qa.term_of($2::date)"))
        #expect(explain.stdout.contains("-- parameters: $1 = '2023-02-01', $2 = '2023-02-01';"))
        for options in [["--all-time", "--academic-year", "2022/23"], ["--as-of", "2023-02-01", "--term", "spring"],
                        ["--as-of", "2023-02-01", "--all-time"]] {
            let refused = try runTool(["query", "cpd-needs", "--database", f.conninfo] + options)
            #expect(refused.status == 64, "\(options)")
            #expect(refused.stderr.contains("Error: --a"), "\(refused.stderr)")
        }
    }

    /// With no period, triangulation too looks at the term containing today (or --as-of); --all-time at every
    /// record. Autumn: Ann's lesson visit (E1) and a work scrutiny agree on standard 1; spring: a lesson visit's
    /// Green beside E2's Red on standard 5 conflicts.
    @Test func triangulationLooksAtThisTermUnlessGivenAPeriod() throws {
        let f = try standardFixture()
        let oak = 1, maths = 1
        try f.record("T1", school: oak, subject: maths, staff: nil, activity: .workScrutiny, date: "2022-11-01", ratings: [1: .gold])
        try f.record("T2", school: oak, subject: maths, staff: nil, date: "2023-02-06", ratings: [5: .green])
        try f.refresh()
        func rows(_ options: [String]) throws -> [String] {
            let result = try runTool(["query", "triangulation", "--format", "csv", "--database", f.conninfo] + options)
            #expect(result.status == 0, "\(options): \(result.stderr)")
            // term, standard and verdict of each row after the header
            return result.stdout.split(whereSeparator: \.isNewline).dropFirst().map { line in
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                return "\(fields[4]) \(fields[5]) \(fields[fields.count - 1])"
            }
        }
        #expect(try rows(["--as-of", "2023-02-01"]) == ["spring 5 conflict"])
        #expect(try rows(["--academic-year", "2022/23", "--term", "spring"]) == ["spring 5 conflict"])
        #expect(try rows(["--all-time"]) == ["autumn 1 agree", "spring 5 conflict"])
        #expect(try rows(["--academic-year", "2022/23"]) == ["autumn 1 agree", "spring 5 conflict"])
        // Today is years after the fixture's records: nothing to show, and no error.
        #expect(try rows([]) == [])
        let explain = try runTool(["query", "triangulation", "--as-of", "2023-02-01", "--explain", "--database", "host=/nonexistent"])
        #expect(explain.stdout.contains("x.academic_year = qa.academic_year_of($1::date) AND x.term = qa.term_of($2::date)"))
        for options in [["--all-time", "--from", "2022-09-01"], ["--as-of", "2023-02-01", "--academic-year", "2022/23"],
                        ["--as-of", "2023-02-01", "--all-time"]] {
            let refused = try runTool(["query", "triangulation", "--database", f.conninfo] + options)
            #expect(refused.status == 64, "\(options)")
            #expect(refused.stderr.contains("Error: --a"), "\(refused.stderr)")
        }
    }

    @Test func everyQueryRunsInEveryFormat() throws {
        let f = try standardFixture()
        for query in [["distribution", "--by", "cohort,year_group"], ["cpd-needs"], ["feedback", "--as-of", "2023-06-01"],
                      ["triangulation"], ["trend", "--by", "subject"], ["coverage", "--as-of", "2023-03-20"]] {
            for format in ["table", "csv", "json"] {
                let result = try runTool(["query"] + query + ["--format", format, "--database", f.conninfo])
                #expect(result.status == 0, "\(query) \(format): \(result.stderr)")
                #expect(!result.stdout.isEmpty)
            }
        }
    }
}

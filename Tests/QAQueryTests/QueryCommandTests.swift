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
        for option in ["--standard", "--activity", "--term", "--academic-year", "--year-group", "--from", "--to"] {
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

import Postgres
import QACore
import QAQuery
import Testing
import TestSupport

@Suite struct FilterTests {
    static let injection = "x'; DROP TABLE qa.rating; --"

    @Test func aNameThatMatchesNothingIsReportedWithTheNearestName() throws {
        let f = try standardFixture()
        #expect(throws: QueryError.noMatch(what: "school", value: "Oakfeild", suggestion: "Oakfield Academy")) {
            try FilterCheck.check(Filter(school: "Oakfeild"), on: f.connection)
        }
        #expect("\(QueryError.noMatch(what: "school", value: "Oakfeild", suggestion: "Oakfield Academy"))"
                == "no school named \"Oakfeild\"; did you mean \"Oakfield Academy\"?")
        #expect(throws: QueryError.noMatch(what: "subject", value: "Mathz", suggestion: "Maths")) {
            try FilterCheck.check(Filter(subject: "Mathz"), on: f.connection)
        }
        #expect(throws: QueryError.noMatch(what: "staff member", value: "Ann Archre", suggestion: "Ann Archer")) {
            try FilterCheck.check(Filter(staff: "Ann Archre"), on: f.connection)
        }
        #expect(throws: QueryError.noMatch(what: "cohort", value: "Girsl", suggestion: "Girls")) {
            try FilterCheck.check(Filter(cohort: "Girsl"), on: f.connection)
        }
        #expect(throws: QueryError.noMatch(what: "evidence for year group", value: "Y11", suggestion: nil)) {
            try FilterCheck.check(Filter(yearGroup: .group(YearGroup(number: 11)!)), on: f.connection)
        }
        #expect(throws: QueryError.noMatch(what: "standard", value: "Assesment", suggestion: "Assessment")) {
            try FilterParsing.standard("Assesment")
        }
        #expect(throws: QueryError.noMatch(what: "dimension", value: "scool", suggestion: "school")) {
            try Dimension.list(parsing: "standard,scool")
        }
        try FilterCheck.check(
            Filter(school: "OAKFIELD academy", subject: "maths", cohort: "send", yearGroup: .group(YearGroup(number: 7)!),
                   staff: "t001"), on: f.connection)
    }

    @Test func anInjectionAttemptInEveryFilterMatchesNothingAndChangesNothing() throws {
        let f = try standardFixture()
        let before = try f.count("qa.rating")
        let text = FilterTests.injection
        let named = [Filter(school: text), Filter(subject: text), Filter(cohort: text), Filter(staff: text)]
        for filter in named {
            #expect(throws: QueryError.self) { try FilterCheck.check(filter, on: f.connection) }
            // Run anyway: the value is a bound parameter, so it simply matches nothing.
            for preference in [CountSource.Preference.automatic, .baseTables] {
                #expect(try Distribution(by: [.standard], filter: filter, preference: preference).run(on: f.connection).isEmpty)
            }
            #expect(try CPDNeeds(filter: filter).run(on: f.connection).staff.isEmpty)
            #expect(try FeedbackTimeliness(filter: filter).run(on: f.connection).isEmpty)
            for preference in [CountSource.Preference.automatic, .baseTables] {
                #expect(try Triangulation(filter: filter, preference: preference).run(on: f.connection).isEmpty)
            }
            #expect(try Trend(filter: filter).run(on: f.connection).isEmpty)
        }
        #expect(throws: QueryError.self) { try FilterParsing.standard(text) }
        #expect(throws: QueryError.self) { try FilterParsing.activity(text) }
        #expect(throws: QueryError.self) { try FilterParsing.term(text) }
        #expect(throws: QueryError.self) { try FilterParsing.academicYear(text) }
        #expect(throws: QueryError.self) { try FilterParsing.yearGroup(text) }
        #expect(throws: QueryError.self) { try FilterParsing.date(text, option: "--from") }
        #expect(throws: QueryError.self) { try Dimension.list(parsing: text) }
        #expect(try f.count("qa.rating") == before)
        // The user's text never appears in the statement, only among its parameters.
        let sql = Distribution(by: [.school], filter: Filter(school: text)).sql
        #expect(!sql.text.contains("DROP"))
        #expect(sql.parameters == [text])
    }
}

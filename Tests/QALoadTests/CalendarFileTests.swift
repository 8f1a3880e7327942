import Foundation
import Postgres
import QACore
import QALoad
import Testing
import TestSupport

@Suite struct CalendarFileTests {
    @Test func termsAndClosuresAreStoredAndMoveRatingsBetweenTerms() throws {
        let connection = try TestDatabase.create().connect()
        // 5 April 2024 is in the default summer term (April), but in this trust's spring term.
        _ = try load(try csvFile([evidenceRow("EV1", date: "05/04/2024", ratings: [1: "G"])]), into: connection)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.rating_summary WHERE term = 'summer'") == 1)
        let path = try writeEvidenceFile("""
            type,name,start,end
            term,autumn,2023-09-04,2023-12-20
            term,Spring,08/01/2024,2024-04-12
            term,summer,2024-04-15,2024-07-23
            closure,INSET day,2023-09-04,2023-09-04
            closure,October half term,2023-10-23,2023-10-27

            """, name: "calendar.csv")
        let calendar = try CalendarFile.read(path: path)
        #expect(calendar.terms.count == 3)
        #expect(calendar.terms[1].term == .spring)
        #expect(calendar.terms[1].academicYear == AcademicYear(startYear: 2023))
        #expect(try calendar.store(on: connection) == 6)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.closure_day") == 6)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.rating_summary WHERE term = 'spring'") == 1)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.rating_summary WHERE term = 'summer'") == 0)
        // Working days skip the half-term closure: Fri 20 Oct to Mon 30 Oct is one working day.
        #expect(try connection.count("SELECT qa.working_days_between('2023-10-20', '2023-10-30') AS n") == 1)
    }

    @Test func everyProblemIsListedWithItsLineAndNothingIsStored() throws {
        let path = try writeEvidenceFile("""
            type,name,start,end
            term,winter,2023-09-04,2023-12-20
            term,autumn,2023-09-04,31/02/2023
            closure,Snow,2024-02-02,2024-02-01
            holiday,Easter,2024-03-29,2024-04-12

            """, name: "calendar.csv")
        let error = #expect(throws: CalendarFile.Problems.self) { try CalendarFile.read(path: path) }
        #expect(error?.lines == [
            "calendar.csv:2: term \"winter\" must be autumn, spring or summer",
            "calendar.csv:3: end \"31/02/2023\" is not a date (2023-09-04 or 04/09/2023)",
            "calendar.csv:4: end 2024-02-01 is before start 2024-02-02",
            "calendar.csv:5: type \"holiday\" must be term or closure",
        ])
    }
}

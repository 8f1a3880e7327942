import QACore
import QAQuery
import Testing

@Suite struct TriangulationTests {
    @Test func ratingsSideBySideWithAgreeMixedOrConflict() throws {
        let f = try Fixture()
        let oak = try f.school("Oakfield Academy"), river = try f.school("Riverside School")
        let maths = try f.subject("Maths")
        let ann = try f.staff("Ann Archer", school: oak), cara = try f.staff("Cara Cole", school: river)
        try f.record("T1", school: oak, subject: maths, staff: ann, date: "2023-05-02", deepDive: "DD1", ratings: [5: .red, 6: .green])
        try f.record("T2", school: oak, subject: maths, staff: nil, activity: .workScrutiny, date: "2023-05-03", deepDive: "DD1",
                     ratings: [5: .green, 6: .gold, 7: .amber])
        try f.record("T3", school: oak, subject: maths, staff: nil, activity: .pupilDiscussion, date: "2023-05-03", deepDive: "DD1",
                     ratings: [5: .amber, 6: .green, 7: .green])
        try f.record("T4", school: oak, subject: maths, staff: ann, date: "2023-05-03", deepDive: "DD1", ratings: [6: .amber])
        try f.record("N1", school: river, subject: maths, staff: cara, date: "2022-11-01", ratings: [1: .green])
        try f.record("N2", school: river, subject: maths, staff: nil, activity: .workScrutiny, date: "2022-11-02",
                     ratings: [1: .gold, 2: .red])
        // Another term is another group: a single activity there cannot be triangulated.
        try f.record("N3", school: river, subject: maths, staff: cara, date: "2023-01-10", ratings: [1: .red])
        try f.record("N4", school: river, subject: maths, staff: nil, activity: .workScrutiny, date: "2022-11-03",
                     withdrawn: true, ratings: [1: .red])
        let rows = try Triangulation().run(on: f.connection)
        #expect(rows == [
            TriangulationRow(deepDive: "DD1", school: "Oakfield Academy", subject: "Maths", academicYear: "2022/23", term: "summer",
                             standard: 5, ratings: ["lesson_visit": "Red", "work_scrutiny": "Green", "pupil_discussion": "Amber"],
                             verdict: "conflict"),
            TriangulationRow(deepDive: "DD1", school: "Oakfield Academy", subject: "Maths", academicYear: "2022/23", term: "summer",
                             standard: 6, ratings: ["lesson_visit": "Amber-Green", "work_scrutiny": "Gold", "pupil_discussion": "Green"],
                             verdict: "mixed"),
            TriangulationRow(deepDive: "DD1", school: "Oakfield Academy", subject: "Maths", academicYear: "2022/23", term: "summer",
                             standard: 7, ratings: ["work_scrutiny": "Amber", "pupil_discussion": "Green"], verdict: "agree"),
            TriangulationRow(deepDive: nil, school: "Riverside School", subject: "Maths", academicYear: "2022/23", term: "autumn",
                             standard: 1, ratings: ["lesson_visit": "Green", "work_scrutiny": "Gold"], verdict: "agree"),
        ])
        let table = Triangulation().table(rows)
        #expect(table.columns.map(\.name) == [
            "deep_dive", "school", "subject", "academic_year", "term", "standard", "lesson_visit", "work_scrutiny",
            "pupil_discussion", "verdict",
        ])
        #expect(try Triangulation(filter: Filter(school: "riverside school")).run(on: f.connection).count == 1)
    }
}


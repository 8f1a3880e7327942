import Postgres
import QACore
import QARead

/// A trust's own calendar: term dates and closure days (INSET days, bank holidays, holidays).
///
/// CSV with the header `type,name,start,end`:
///
///     type,name,start,end
///     term,autumn,2023-09-04,2023-12-20
///     term,spring,08/01/2024,28/03/2024
///     closure,INSET day,2023-09-04,2023-09-04
///     closure,October half term,2023-10-23,2023-10-27
///
/// A term's academic year is the one its start date falls in. A closure covers every day from start to
/// end. Loading replaces the terms it names and adds its closure days; it is all or nothing.
public struct CalendarFile: Sendable, Equatable {
    public struct TermDates: Sendable, Equatable {
        public var academicYear: AcademicYear
        public var term: Term
        public var starts: CalendarDate
        public var ends: CalendarDate
    }

    public struct Closure: Sendable, Equatable {
        public var reason: String
        public var starts: CalendarDate
        public var ends: CalendarDate
    }

    public var terms: [TermDates] = []
    public var closures: [Closure] = []

    /// Every problem found, each with its line; the file is refused if there is any.
    public struct Problems: Error, CustomStringConvertible {
        public var lines: [String]
        public var description: String { "the calendar file was not loaded:\n" + lines.joined(separator: "\n") }
    }

    public static func read(path: String) throws -> CalendarFile {
        let parser = try CSVParser(path: path)
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let header = try parser.next() else { throw Problems(lines: ["\(file): the file is empty"]) }
        let names = header.fields.map { $0.trimmingSpaces().lowercased() }
        guard names == ["type", "name", "start", "end"] else {
            throw Problems(lines: ["\(file):1: the header must be type,name,start,end (found \(header.fields.joined(separator: ",")))"])
        }
        var calendar = CalendarFile()
        var problems: [String] = []
        while let row = try parser.next() {
            let where_ = "\(file):\(row.line)"
            guard row.problem == nil, row.fields.count == 4 else {
                problems.append("\(where_): expected 4 fields: type,name,start,end")
                continue
            }
            let type = row.fields[0].trimmingSpaces().lowercased(), name = String(row.fields[1].trimmingSpaces())
            guard case .success(let start) = CalendarDate.parse(row.fields[2]) else {
                problems.append("\(where_): start \"\(row.fields[2])\" is not a date (2023-09-04 or 04/09/2023)")
                continue
            }
            guard case .success(let end) = CalendarDate.parse(row.fields[3]) else {
                problems.append("\(where_): end \"\(row.fields[3])\" is not a date (2023-09-04 or 04/09/2023)")
                continue
            }
            guard end >= start else {
                problems.append("\(where_): end \(end) is before start \(start)")
                continue
            }
            switch type {
            case "term":
                guard let term = Term(parsing: name) else {
                    problems.append("\(where_): term \"\(name)\" must be autumn, spring or summer")
                    continue
                }
                let year = AcademicYear(containing: start)
                guard end <= year.lastDay else {
                    problems.append("\(where_): the \(term.rawValue) term runs past 31 August, into the next academic year")
                    continue
                }
                if calendar.terms.contains(where: { $0.academicYear == year && $0.term == term }) {
                    problems.append("\(where_): the \(term.rawValue) term of \(year) is listed twice")
                    continue
                }
                calendar.terms.append(TermDates(academicYear: year, term: term, starts: start, ends: end))
            case "closure":
                guard end.daysSinceEpoch - start.daysSinceEpoch <= 366 else {
                    problems.append("\(where_): a closure longer than a year is almost certainly a typing mistake")
                    continue
                }
                calendar.closures.append(Closure(reason: name.isEmpty ? "closure" : name, starts: start, ends: end))
            default:
                problems.append("\(where_): type \"\(type)\" must be term or closure")
            }
        }
        if !problems.isEmpty { throw Problems(lines: problems) }
        return calendar
    }

    /// Stores the calendar and rebuilds the summaries (term dates decide which term a rating counts in).
    /// Returns the number of closure days stored.
    @discardableResult
    public func store(on connection: Connection) throws -> Int {
        try connection.transaction {
            for t in terms {
                try connection.execute("""
                    INSERT INTO qa.term_date (academic_year, term, starts_on, ends_on)
                    VALUES (\(t.academicYear.startYear), \(t.term.rawValue), \(t.starts.iso)::date, \(t.ends.iso)::date)
                    ON CONFLICT (academic_year, term) DO UPDATE SET starts_on = excluded.starts_on, ends_on = excluded.ends_on
                    """)
            }
            var days = 0
            for c in closures {
                days += try connection.execute("""
                    INSERT INTO qa.closure_day (day, reason)
                    SELECT d::date, \(c.reason) FROM generate_series(\(c.starts.iso)::date, \(c.ends.iso)::date, interval '1 day') AS d
                    ON CONFLICT (day) DO UPDATE SET reason = excluded.reason
                    """)
            }
            // New term dates move records between terms: refreshing recomputes the stored terms and the summaries.
            if !terms.isEmpty { try connection.execute("SELECT qa.refresh_summaries()") }
            return days
        }
    }
}

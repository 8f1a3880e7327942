import ArgumentParser
import QACheck

/// `qa-analytics check`: data-quality checks to run after a load.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run data-quality checks on the loaded evidence and the load history (read-only).",
        discussion: """
            Each check is a query that returns the rows failing it; a failing check
            prints its count and up to --examples of those rows.

            Checks, with their level:
              load_freshness (error): a source's last successful load is older than
                --max-age-hours, or it has never loaded successfully
              row_count_drop (warn): the latest successful load of a source read more
                than --max-drop percent fewer rows than the previous one
              unfinished_loads (warn): a load failed, was aborted or was interrupted
                after the last successful load of its source
              feedback_before_activity (error): feedback dated before its activity
              staff_at_two_schools_on_one_day (warn): one member of staff rated at
                two schools on the same day
              too_many_standards_rated (warn): a lesson visit rating more than 4
                standards
              unrated_evidence (warn): a record rating no standard (informal
                feedback excepted)

            Exit codes: 0 every check passed; 2 only warn-level checks failed;
            1 an error-level check failed, or the checks could not be run;
            64 usage error.

            Examples:
              qa-analytics check
              qa-analytics check --max-age-hours 80 --format json
            """)

    @Option(help: ArgumentHelp("Print the results as text or json.", valueName: "format"))
    var format: CheckOutputFormat = .text

    @Option(help: ArgumentHelp("A source whose last successful load is older than this fails load_freshness.", valueName: "hours"))
    var maxAgeHours: Double = 36

    @Option(help: ArgumentHelp("row_count_drop warns when a load reads more than this percentage fewer rows than the previous one.", valueName: "percent"))
    var maxDrop: Double = 20

    @Option(help: ArgumentHelp("Failing rows to show per check.", valueName: "n"))
    var examples = 10

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard maxAgeHours.isFinite, maxAgeHours > 0 else { throw ValidationError("--max-age-hours must be more than 0") }
        guard maxDrop.isFinite, (0...100).contains(maxDrop) else { throw ValidationError("--max-drop must be a percentage from 0 to 100") }
        guard examples >= 0 else { throw ValidationError("--examples must not be negative") }
    }

    func run() throws {
        let logger = database.makeLogger()
        let connection = try database.connect(logger: logger)
        let report = try CheckRunner(connection: connection, exampleLimit: examples)
            .run(settings: CheckSettings(maxAgeHours: maxAgeHours, maxDropPercent: maxDrop))
        switch format {
        case .text: print(CheckTextReport.render(report))
        case .json: print(try CheckJSONReport.render(report))
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}

enum CheckOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

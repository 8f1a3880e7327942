import Foundation
import Postgres
import QAStore
import Testing
import TestSupport

@Suite struct MigrationTests {
    @Test func migrateAppliesEverythingOnceThenNothing() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let migrations = try Migration.bundled()
        #expect(migrations.map(\.version) == Array(1...migrations.count))
        let first = try Migrator(migrations: migrations).migrate(connection)
        #expect(first.applied == migrations.map(\.name))
        #expect(first.alreadyApplied == 0)
        let second = try Migrator(migrations: migrations).migrate(connection)
        #expect(second.applied == [])
        #expect(second.alreadyApplied == migrations.count)
        let recorded = try connection.query("SELECT count(*) AS n FROM public.qa_schema_migration").single()
        #expect(try recorded.decode("n", as: Int.self) == migrations.count)
    }

    /// Autovacuum comes after 1% of any table's rows change (SQL/019), so the summaries a nightly load touches are
    /// tidied and their statistics renewed before the morning's questions: every table of the schema, including
    /// those of later migrations.
    @Test func everyTableIsVacuumedAfterOnePercentChanges() throws {
        let connection = try TestDatabase.create(migrated: true).connect()
        let tables = try connection.query("""
            SELECT c.relname::text AS name, coalesce(array_to_string(c.reloptions, ' '), '') AS options
              FROM pg_class c WHERE c.relnamespace = 'qa'::regnamespace AND c.relkind = 'r' ORDER BY 1
            """).map { (try $0.decode("name", as: String.self), try $0.decode("options", as: String.self)) }
        #expect(tables.count == 50)
        for (name, options) in tables {
            for setting in ["autovacuum_vacuum_scale_factor=0.01", "autovacuum_vacuum_insert_scale_factor=0.01",
                            "autovacuum_analyze_scale_factor=0.01"] {
                #expect(options.split(separator: " ").contains(Substring(setting)), "\(name): \(options)")
            }
        }
        // The month summaries keep their room for updates (SQL/016, SQL/017), as do 034's and 035's.
        #expect(tables.first { $0.0 == "rating_month_summary" }?.1.contains("fillfactor=85") == true)
        #expect(tables.filter { $0.0.hasPrefix("rating_cohort_") || $0.0.hasPrefix("rating_year_group_") }
                    .filter { $0.1.contains("fillfactor=85") }.count == 6)
    }

    @Test func aChangedMigrationFileIsRefused() throws {
        let connection = try TestDatabase.create(migrated: true).connect()
        var migrations = try Migration.bundled()
        let changed = migrations[1]
        migrations[1] = Migration(version: changed.version, name: changed.name, sql: changed.sql + "\n-- edited\n")
        let error = #expect(throws: MigrationError.self) { try Migrator(migrations: migrations).migrate(connection) }
        #expect(error == .changedAfterApplied(version: changed.version, name: changed.name))
    }

    @Test func aMigrationThatFailsLeavesNoTrace() throws {
        let connection = try TestDatabase.create(migrated: true).connect()
        let broken = try Migration.bundled() + [Migration(version: 999, name: "999_broken", sql: "CREATE TABLE qa.half (n int); SELECT 1/0;")]
        #expect(throws: PostgresError.self) { try Migrator(migrations: broken).migrate(connection) }
        let half = try connection.query("SELECT to_regclass('qa.half') IS NULL AS gone").single()
        #expect(try half.decode("gone", as: Bool.self))
        let recorded = try connection.query("SELECT count(*) AS n FROM public.qa_schema_migration WHERE version = 999").single()
        #expect(try recorded.decode("n", as: Int.self) == 0)
    }

    @Test func referenceDataFollowsThePolicy() throws {
        let connection = try TestDatabase.create().connect()
        let standards = try connection.query("SELECT number, short_name FROM qa.standard ORDER BY number")
        #expect(standards.rowCount == 12)
        #expect(try standards[4].decode("short_name", as: String.self) == "Ambitious curriculum")
        let order = try connection.query("""
            SELECT 'red'::qa.ragg < 'amber' AND 'amber'::qa.ragg < 'green' AND 'green'::qa.ragg < 'gold' AS ordered,
                   qa.ragg_score('gold') AS gold, qa.ragg_score('red') AS red,
                   (SELECT count(*) FROM qa.activity_type) AS activities
            """).single()
        #expect(try order.decode("ordered", as: Bool.self))
        #expect(try order.decode("gold", as: Int.self) == 4)
        #expect(try order.decode("red", as: Int.self) == 1)
        #expect(try order.decode("activities", as: Int.self) == 8)
    }

    @Test func termsAndWorkingDaysInSQL() throws {
        let connection = try TestDatabase.create().connect()
        let row = try connection.query("""
            SELECT qa.term_of('2023-12-31') AS dec, qa.term_of('2024-01-01') AS jan, qa.term_of('2024-03-31') AS mar,
                   qa.term_of('2024-04-01') AS apr, qa.term_of('2024-08-31') AS aug,
                   qa.academic_year_of('2024-08-31') AS ay_aug, qa.academic_year_of('2024-09-01') AS ay_sep,
                   qa.working_days_between('2023-03-10', '2023-03-13') AS fri_to_mon,
                   qa.working_days_between('2023-03-13', '2023-03-20') AS one_week
            """).single()
        #expect(try row.decode("dec", as: String.self) == "autumn")
        #expect(try row.decode("jan", as: String.self) == "spring")
        #expect(try row.decode("mar", as: String.self) == "spring")
        #expect(try row.decode("apr", as: String.self) == "summer")
        #expect(try row.decode("aug", as: String.self) == "summer")
        #expect(try row.decode("ay_aug", as: Int.self) == 2023)
        #expect(try row.decode("ay_sep", as: Int.self) == 2024)
        #expect(try row.decode("fri_to_mon", as: Int.self) == 1)
        #expect(try row.decode("one_week", as: Int.self) == 5)
        try connection.execute("INSERT INTO qa.closure_day (day, reason) VALUES ('2023-03-15', 'INSET day')")
        try connection.execute("""
            INSERT INTO qa.term_date VALUES (2023, 'spring', '2024-01-08', '2024-03-28'), (2023, 'summer', '2024-04-15', '2024-07-19')
            """)
        let after = try connection.query("""
            SELECT qa.working_days_between('2023-03-13', '2023-03-20') AS one_week,
                   qa.term_of('2024-04-05') AS easter, qa.term_of('2024-04-15') AS summer_start
            """).single()
        #expect(try after.decode("one_week", as: Int.self) == 4)
        #expect(try after.decode("easter", as: String.self) == "spring")
        #expect(try after.decode("summer_start", as: String.self) == "summer")
    }
}

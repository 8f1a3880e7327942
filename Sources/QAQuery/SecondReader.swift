import Foundation
import Postgres

/// Runs some of a question's statements on a second connection, on the other core, while the first connection
/// runs the rest. The second connection adopts the first one's exported snapshot (`pg_export_snapshot`), so
/// both halves answer from the same moment of the data even if a load commits meanwhile.
///
/// At a million records the export spent most of its time in two statements over the base tables (staff
/// counts by cohort and by year group); running them beside the others took it from 12 s to 10 s on 2 cores.
/// cpd-needs runs its staff level this way (`CPDNeeds.run`).
public final class SecondReader<Answer: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<Answer, any Error>?

    /// Starts `work` on a new thread with its own connection, opened with `conninfo` and set to `snapshot`.
    /// The snapshot id is written into `SET TRANSACTION SNAPSHOT`, which takes no parameters, so it must have
    /// the form PostgreSQL gives it: hex digits and dashes.
    public static func start(
        conninfo: String, snapshot: String, _ work: @escaping @Sendable (Connection) throws -> Answer
    ) throws -> SecondReader<Answer> {
        let hexOrDash = snapshot.utf8.allSatisfy { $0 == UInt8(ascii: "-") || ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 70) }
        guard !snapshot.isEmpty, hexOrDash else {
            throw PostgresError(kind: .decoding, message: "PostgreSQL returned an unexpected snapshot id \"\(snapshot)\"")
        }
        let reader = SecondReader<Answer>()
        let thread = Thread {
            reader.outcome = Result {
                let connection = try Connection(conninfo)
                try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                try connection.execute(SQL(verbatim: "SET TRANSACTION SNAPSHOT '\(snapshot)'"))
                try QuerySettings.apply(to: connection)
                let answer = try work(connection)
                try connection.execute("COMMIT")
                return answer
            }
            reader.done.signal()
        }
        thread.start()
        return reader
    }

    /// The answer, or when the second connection failed (a login that may not open one, CONNECTION LIMIT 1, or an
    /// error there) `fallback`'s: the caller's own connection asks instead, in the same snapshot, and fails there if
    /// the statements fail everywhere.
    public func wait(otherwise fallback: () throws -> Answer) throws -> Answer {
        do {
            return try wait()
        } catch {
            return try fallback()
        }
    }

    /// The answer, once the work has finished; rethrows its error.
    public func wait() throws -> Answer {
        done.wait()
        done.signal()
        guard let outcome else {
            throw PostgresError(kind: .connection, message: "the second reader finished without an answer")
        }
        return try outcome.get()
    }
}

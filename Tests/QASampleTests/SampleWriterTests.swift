import Foundation
import Testing
@testable import QASample

@Suite struct SampleWriterTests {
    @Test func formatFollowsTheExtension() {
        #expect(SampleFormat(path: "out/sample.csv") == .csv)
        #expect(SampleFormat(path: "SAMPLE.CSV") == .csv)
        #expect(SampleFormat(path: "a.jsonl") == .jsonLines)
        #expect(SampleFormat(path: "a.ndjson") == .jsonLines)
        #expect(SampleFormat(path: "a.json") == nil)
        #expect(SampleFormat(path: "csv") == nil)
        #expect(SampleFormat(path: "dir.csv/file") == nil)
    }

    @Test func summaryCountsRecordsBytesSchoolsAndStaff() throws {
        let p = SampleParameters(schools: 3, records: 123, seed: 3)
        let (data, summary) = try SampleFiles.write(p, ext: "csv")
        let generator = SampleGenerator(p)
        #expect(summary == SampleSummary(records: 123, bytes: data.count, schools: 3,
                                         staff: generator.staffCount, format: .csv))
        #expect(summary.staff == generator.trust.staff.count)
    }

    @Test func zeroRecordsWritesOnlyTheHeader() throws {
        let (data, summary) = try SampleFiles.write(SampleParameters(schools: 1, records: 0, seed: 1), ext: "csv")
        #expect(summary.records == 0)
        #expect(String(decoding: data, as: UTF8.self) == EvidenceCSV.header + "\n")
    }

    @Test func badParametersAndPathsAreReported() {
        #expect(throws: SampleWriteError.invalidParameters("at least one school is needed")) {
            try SampleWriter.write(SampleParameters(schools: 0, records: 1, seed: 1), to: SampleFiles.temporaryPath("csv"))
        }
        #expect(throws: SampleWriteError.unknownFormat(path: "/tmp/x.txt")) {
            try SampleWriter.write(SampleParameters(), to: "/tmp/x.txt")
        }
        #expect {
            try SampleWriter.write(SampleParameters(records: 1), to: "/nonexistent-dir/x.csv")
        } throws: { error in
            guard case .cannotOpen(let path, _)? = error as? SampleWriteError else { return false }
            return path == "/nonexistent-dir/x.csv"
        }
    }

    @Test func aFileLargerThanTheBufferIsWrittenWhole() throws {
        // About 3 MiB: several flushes of the 1 MiB buffer.
        let p = SampleParameters(schools: 4, records: 10_000, seed: 12)
        let (data, summary) = try SampleFiles.write(p, ext: "csv")
        #expect(data.count > 3 * OutputFile.bufferSize)
        #expect(summary.bytes == data.count)
        #expect(String(decoding: data, as: UTF8.self) == EvidenceCSV.file(for: SampleGenerator(p).records()))
    }
}

import Foundation
import Testing
import TestSupport

/// The commands' help reads as paragraphs: the argument parser wraps each line of a discussion to the width
/// itself, so a discussion written with its own line breaks came out with short lines in mid-sentence
/// ("... or\nPGDATABASE),\nevery command uses ...").
@Suite struct HelpTextTests {
    @Test(arguments: [[], ["query"], ["load"], ["access"], ["export"], ["query", "cpd-needs"], ["query", "distribution"]])
    func discussionsWrapAsParagraphs(command: [String]) throws {
        let help = try runTool(command + ["--help"])
        #expect(help.status == 0)
        // The paragraphs between the overview and the usage or examples, each wrapped at 80 columns: every line
        // but a paragraph's last reaches well past half the width.
        let text = help.stdout
        let start = try #require(text.range(of: "\n\n")?.upperBound)
        let end = [text.range(of: "\nExamples:"), text.range(of: "\nUSAGE:")].compactMap { $0?.lowerBound }.min()
        let discussion = text[start..<(try #require(end))]
        let paragraphs = discussion.components(separatedBy: "\n\n").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        #expect(!paragraphs.isEmpty, "\(command)")
        for paragraph in paragraphs {
            let lines = paragraph.split(separator: "\n")
            for line in lines.dropLast() {
                #expect(line.count >= 55, "\(command): \"\(line)\" in\n\(paragraph)")
            }
        }
    }

    @Test func theOverviewNamesTheDatabaseSettingsInOneSentence() throws {
        let help = try runTool(["--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(help.contains("PGSERVICE or PGDATABASE), every command uses a local PostgreSQL cluster"))
    }
}

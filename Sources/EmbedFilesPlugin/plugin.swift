import Foundation
import PackagePlugin

/// Embeds the package's `SQL/*.sql` migrations (for QAStore) or `Dashboards/` templates (for QAExport)
/// into the target as a generated Swift file.
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let (folder, suffixes, typeName): (String, [String], String) =
            target.name == "QAStore" ? ("SQL", [".sql"], "EmbeddedMigrations") : ("Dashboards", [".html", ".json", ".css", ".js"], "EmbeddedDashboardFiles")
        let directory = context.package.directoryURL.appending(path: folder)
        let inputs = try FileManager.default.subpathsOfDirectory(atPath: directory.path)
            .filter { name in suffixes.contains { name.hasSuffix($0) } }
            .sorted()
            .map { directory.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "\(typeName).swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) \(folder) files into \(target.name)",
                executable: try context.tool(named: "embed-files").url,
                arguments: [output.path, typeName] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}

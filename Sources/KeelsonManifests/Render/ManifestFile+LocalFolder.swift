import Foundation
import KeelsonKubernetes

extension ManifestFile {
    /// Reads the manifest files of a local folder (recursively) or a single local file.
    ///
    /// Paths in the result are relative to `path` (`/`-separated; a single file gets its own name),
    /// sorted, and have no blob id, so the renderer keys its cache by a hash of their contents.
    /// Hidden files and folders and files the renderer would skip anyway are not read, and neither
    /// is a symbolic link that leads outside the folder (an error, as in a repository).
    ///
    /// - Parameter path: A folder or a file on disk.
    /// - Returns: The files to hand to ``ManifestRenderer/render(_:)``.
    /// - Throws: ``ManifestError`` when the path does not exist or a file cannot be read.
    public static func loadLocal(at path: String) throws(ManifestError) -> [ManifestFile] {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ManifestError(
                location: SourceLocation(file: path, line: nil), field: "",
                message: "expected a folder or a manifest file, found nothing at this path", category: .unreadable)
        }
        let root = URL(fileURLWithPath: path)
        guard isDirectory.boolValue else {
            return [try read(root, as: root.lastPathComponent)]
        }
        guard let enumerator = fileManager.enumerator(atPath: path) else {
            throw ManifestError(
                location: SourceLocation(file: path, line: nil), field: "",
                message: "expected a readable folder", category: .unreadable)
        }
        let realRoot = root.resolvingSymlinksInPath().path
        var files: [ManifestFile] = []
        while let relative = enumerator.nextObject() as? String {
            let type = enumerator.fileAttributes?[.type] as? FileAttributeType
            if type == .typeDirectory {
                // Hidden folders such as .git can be large; do not walk them at all.
                if relative.split(separator: "/").last?.hasPrefix(".") == true { enumerator.skipDescendants() }
                continue
            }
            guard type == .typeRegular || type == .typeSymbolicLink, ManifestPath(relative) != .skipped else {
                continue
            }
            let url = root.appendingPathComponent(relative)
            if type == .typeSymbolicLink {
                // As in a repository: a link is read only when it leads to a file inside the folder.
                // Its target is named, never read or quoted.
                let target = url.resolvingSymlinksInPath().path
                guard target.hasPrefix(realRoot + "/") else {
                    let written = (try? fileManager.destinationOfSymbolicLink(atPath: url.path)) ?? "?"
                    throw ManifestError(
                        location: SourceLocation(file: relative, line: nil), field: "",
                        message: "a symbolic link to \(written), outside \(path): not read; "
                            + "copy the file into the folder instead", category: .unreadable)
                }
            }
            files.append(try read(url, as: relative))
        }
        return files.sorted { JSONObject.precedes($0.path, $1.path) }
    }

    private static func read(_ url: URL, as relativePath: String) throws(ManifestError) -> ManifestFile {
        do {
            return ManifestFile(path: relativePath, contents: Array(try Data(contentsOf: url)))
        } catch {
            throw ManifestError(
                location: SourceLocation(file: relativePath, line: nil), field: "",
                message: "expected a readable file: \(error.localizedDescription)", category: .unreadable)
        }
    }
}

public import Foundation
import Storage

/// What a configuration needs before a process can start, checked without the network and without changing
/// anything on disk: `AetheriaApplication.build` runs it first, and `aetheria check-config` runs exactly it, so
/// a configuration that the check accepts is one that `aetheria run` accepts (Discord and Redis aside).
public enum StartupCheck {
    /// Throws the first problem, naming the key and its environment variable.
    public static func validate(_ configuration: AetheriaConfiguration) throws(AetheriaApplication.StartupError) {
        guard configuration.discordToken != nil else {
            throw .init(description: "discord.token (DISCORD_TOKEN) is not set")
        }
        if let url = configuration.redisURL {
            do {
                _ = try RedisConfiguration(url: url)
            } catch {
                throw .init(description: "storage.redisURL: \(error)")
            }
            return
        }
        try validateDataDirectory(configuration.dataDirectory)
    }

    /// The SQLite store's folder must be a writable folder, or creatable: its nearest existing ancestor is a
    /// writable folder.
    private static func validateDataDirectory(_ directory: String) throws(AetheriaApplication.StartupError) {
        let key = "storage.dataDirectory (AETHERIA_DATA_DIR)"
        var candidate = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        while !FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) {
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { break }
            candidate = parent
        }
        guard isDirectory.boolValue else {
            throw .init(description: "\(key): cannot create \(directory): \(candidate.path) is not a folder")
        }
        guard FileManager.default.isWritableFile(atPath: candidate.path) else {
            let target = URL(fileURLWithPath: directory).standardizedFileURL.path
            let what = candidate.path == target ? "write in" : "create"
            throw .init(description: "\(key): cannot \(what) \(directory): \(candidate.path) is not writable")
        }
    }
}

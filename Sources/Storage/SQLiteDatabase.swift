import CSQLite
import Foundation
import NIOPosix
import Synchronization

/// One SQLite file (WAL mode), the embedded default store when no Redis is configured. Every call runs on a
/// one-thread pool, so SQLite's blocking I/O never occupies the cooperative pool and statements are
/// serialised without locks of our own.
public final class SQLiteDatabase: Sendable {
    public let path: String
    private let threadPool: NIOThreadPool
    private let handle: ConnectionHandle
    private let isShutDown = Mutex(false)

    /// The raw connection, only touched on the database's thread.
    final class ConnectionHandle: @unchecked Sendable {
        let pointer: OpaquePointer
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
    }

    public struct SQLiteError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { "SQLite: \(message)" }
    }

    /// Opens (creating if needed) the database file at `path` and its directory.
    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var pointer: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &pointer, flags, nil) == SQLITE_OK, let pointer else {
            let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let pointer { sqlite3_close(pointer) }
            throw SQLiteError(message: "\(path): \(message)")
        }
        handle = ConnectionHandle(pointer)
        threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        try Self.execute(pointer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;")
    }

    public func shutdown() async {
        let first = isShutDown.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        try? await threadPool.shutdownGracefully()
        sqlite3_close(handle.pointer)
    }

    /// Creates what a store needs if it is not there yet (`CREATE TABLE IF NOT EXISTS …`).
    func prepareSchema(_ sql: String) async throws {
        try await withConnection { try Self.execute($0, sql) }
    }

    /// Runs `body` with the connection on the database thread.
    func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (OpaquePointer) throws -> Result
    ) async throws
        -> Result
    {
        let handle = self.handle
        return try await threadPool.runIfActive { try body(handle.pointer) }
    }

    /// Runs `body` as one transaction: committed when it returns, rolled back when it throws.
    static func transaction<Result>(_ connection: OpaquePointer, _ body: () throws -> Result) throws -> Result {
        try execute(connection, "BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute(connection, "COMMIT")
            return result
        } catch {
            try? execute(connection, "ROLLBACK")
            throw error
        }
    }

    static func execute(_ connection: OpaquePointer, _ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(connection, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "error"
            sqlite3_free(error)
            throw SQLiteError(message: message)
        }
    }

    /// A prepared statement with positional bindings, stepped to completion; returns the rows.
    static func query(_ connection: OpaquePointer, _ sql: String, _ bindings: [SQLiteValue]) throws -> [[SQLiteValue]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw SQLiteError(message: String(cString: sqlite3_errmsg(connection)))
        }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (index, value) in bindings.enumerated() {
            let position = Int32(index + 1)
            switch value {
            case .null: sqlite3_bind_null(statement, position)
            case .integer(let integer): sqlite3_bind_int64(statement, position, integer)
            case .text(let text): sqlite3_bind_text(statement, position, text, -1, transient)
            case .blob(let bytes):
                _ = bytes.withUnsafeBytes { buffer in
                    sqlite3_bind_blob(statement, position, buffer.baseAddress, Int32(buffer.count), transient)
                }
            }
        }
        var rows: [[SQLiteValue]] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw SQLiteError(message: String(cString: sqlite3_errmsg(connection))) }
            rows.append(
                (0..<sqlite3_column_count(statement)).map { column in
                    switch sqlite3_column_type(statement, column) {
                    case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
                    case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, column)))
                    case SQLITE_BLOB:
                        let count = Int(sqlite3_column_bytes(statement, column))
                        guard count > 0, let base = sqlite3_column_blob(statement, column) else { return .blob([]) }
                        return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
                    default: return .null
                    }
                })
        }
        return rows
    }
}

/// A value bound to or read from SQLite.
enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])

    var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }
}

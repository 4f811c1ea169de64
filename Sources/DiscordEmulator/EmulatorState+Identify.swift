import DiscordModels
import Foundation

/// What the gateway does with an IDENTIFY or RESUME.
enum SessionOutcome: Sendable, Equatable {
    /// The session was created or resumed and its frames are queued on the connection.
    case accepted(sessionID: String)
    case invalidSession(resumable: Bool)
    case close(GatewayCloseCode)
}

extension EmulatorState {
    /// Validates an IDENTIFY in Discord's order and, when it passes, starts a session: READY, then one
    /// GUILD_CREATE per guild on the shard.
    mutating func identify(
        _ identify: GatewayIdentify, connection: GatewayConnection, resumeURL: String, now: Double
    ) -> SessionOutcome {
        purgeExpiredSessions(now: now)
        func record(_ accepted: Bool, _ outcome: String) {
            records.append(
                EmulatorRecords.Identify(shard: identify.shard, at: now, accepted: accepted, outcome: outcome),
                to: \.identifies)
        }
        guard !tokenRevoked, identify.token == configuration.botToken else {
            record(false, "4004 authentication failed")
            return .close(.authenticationFailed)
        }
        guard GatewayIntents.allDefined.isSuperset(of: identify.intents) else {
            record(false, "4013 invalid intents")
            return .close(.invalidIntents)
        }
        let privileged = identify.intents.intersection(.privileged)
        guard configuration.enabledPrivilegedIntents.isSuperset(of: privileged) else {
            record(false, "4014 disallowed intents")
            return .close(.disallowedIntents)
        }
        let shardID: Int
        let shardCount: Int
        if let shard = identify.shard {
            guard shard.count == 2, shard[1] >= 1, shard[0] >= 0, shard[0] < shard[1] else {
                record(false, "4010 invalid shard")
                return .close(.invalidShard)
            }
            (shardID, shardCount) = (shard[0], shard[1])
        } else {
            (shardID, shardCount) = (0, 1)
        }
        let guildsOnShard = guilds.keys.filter { DiscordModels.shardID(for: $0, shardCount: shardCount) == shardID }
        guard guildsOnShard.count <= configuration.maximumGuildsPerShard else {
            record(false, "4011 sharding required")
            return .close(.shardingRequired)
        }
        let bucket = shardID % max(1, configuration.maxConcurrency)
        if let last = gateway.identifyBuckets[bucket], now - last < configuration.identifyWindow.seconds {
            record(false, "op 9: identify bucket \(bucket) is busy")
            return .invalidSession(resumable: false)
        }
        if now >= gateway.sessionStartsResetAt {
            gateway.sessionStarts = 0
            gateway.sessionStartsResetAt = now + 86_400
        }
        guard gateway.sessionStarts < configuration.sessionStartLimit else {
            // Discord terminates every session and resets the token of a bot that exceeds its budget.
            record(false, "4004 session start limit exceeded: token reset")
            tokenRevoked = true
            closeAllConnections(code: .authenticationFailed)
            return .close(.authenticationFailed)
        }
        gateway.identifyBuckets[bucket] = now
        gateway.sessionStarts += 1
        record(true, "READY")

        let sessionID = Self.randomHex(bytes: 16)
        let largeThreshold = min(250, max(50, identify.largeThreshold ?? 50))
        var session = GatewaySessionRecord(
            id: sessionID, shard: identify.shard, intents: identify.intents, largeThreshold: largeThreshold)
        session.connection = connection
        gateway.sessions[sessionID] = session
        connection.sessionID = sessionID

        let ready = GatewayReady(
            user: botUser.asCurrentUser, guilds: guildsOnShard.sorted().map { Guild(id: $0, unavailable: true) },
            sessionId: sessionID, resumeGatewayUrl: resumeURL, shard: identify.shard,
            application: .init(id: applicationID, flags: 0))
        let readyData = (try? DiscordJSON.makeEncoder().encode(ready)) ?? Data("{}".utf8)
        deliver(event: "READY", payload: Array(readyData), toSession: sessionID)
        if identify.intents.contains(.guilds) {
            for guildID in guildsOnShard.sorted() {
                guard let guild = guilds[guildID] else { continue }
                let payload = guildCreatePayload(guild, intents: identify.intents, largeThreshold: largeThreshold)
                deliver(event: "GUILD_CREATE", payload: payload, toSession: sessionID)
            }
        }
        return .accepted(sessionID: sessionID)
    }

    /// Resumes a session: replays every dispatch after `seq` with its original sequence number, then RESUMED.
    mutating func resume(
        _ resume: GatewayResume, connection: GatewayConnection, viaResumeURL: Bool, now: Double
    ) -> SessionOutcome {
        purgeExpiredSessions(now: now)
        func record(_ accepted: Bool, replayed: Int) {
            records.append(
                EmulatorRecords.Resume(
                    sessionID: resume.sessionId, fromSequence: resume.seq, replayed: replayed, accepted: accepted,
                    at: now), to: \.resumes)
        }
        guard !tokenRevoked, resume.token == configuration.botToken else {
            record(false, replayed: 0)
            return .close(.authenticationFailed)
        }
        guard var session = gateway.sessions[resume.sessionId] else {
            record(false, replayed: 0)
            return .invalidSession(resumable: false)
        }
        guard resume.seq <= session.sequence, resume.seq >= 0 else {
            record(false, replayed: 0)
            return .close(.invalidSequence)
        }
        guard resume.seq >= session.oldestResumableSequence else {
            // The dispatches after `seq` are no longer kept: the client must start a new session.
            gateway.sessions[resume.sessionId] = nil
            record(false, replayed: 0)
            return .invalidSession(resumable: false)
        }
        if let previous = session.connection, previous !== connection {
            previous.sessionID = nil
            previous.close(code: .unknownError)
        }
        session.connection = connection
        session.disconnectedAt = nil
        connection.sessionID = session.id
        let missed = session.replay.filter { $0.sequence > resume.seq }
        for entry in missed {
            connection.send(entry.frame)
        }
        gateway.sessions[session.id] = session
        record(true, replayed: missed.count)
        deliver(event: "RESUMED", payload: Array("{}".utf8), toSession: session.id)
        return .accepted(sessionID: session.id)
    }

    /// Called when a connection ends. A session closed with 1000/1001 ends; otherwise it stays resumable.
    mutating func connectionClosed(_ connection: GatewayConnection, invalidateSession: Bool, now: Double) {
        gateway.connections[ObjectIdentifier(connection)] = nil
        faults.silencedConnections.remove(ObjectIdentifier(connection))
        guard let sessionID = connection.sessionID, var session = gateway.sessions[sessionID],
            session.connection === connection
        else { return }
        if invalidateSession {
            gateway.sessions[sessionID] = nil
            return
        }
        session.connection = nil
        session.disconnectedAt = now
        gateway.sessions[sessionID] = session
    }

    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
            .joined()
    }
}

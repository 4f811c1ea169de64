import DiscordModels
import Foundation

extension EmulatorState {
    /// Sends one dispatch to one session: next sequence number, kept for replay, written if connected.
    mutating func deliver(event: String, payload: [UInt8], toSession sessionID: String) {
        guard gateway.sessions[sessionID] != nil else { return }
        ExchangeRecorder.shared?.recordDispatch(event: event, payload: payload)
        let replayLimit = configuration.replayBufferLimit
        // Modified in place: a copy of the session would copy its replay buffer (up to 50,000 frames) on
        // every event, which made the firehose cost ~270 µs per event (found with `perf record`).
        func append(to session: inout GatewaySessionRecord) {
            session.sequence += 1
            let frame = GatewayDispatch.frame(event: event, sequence: session.sequence, payload: payload)
            session.replay.append((session.sequence, frame))
            if session.replay.count > replayLimit {
                // Trim in chunks so the cost of removeFirst is amortised.
                session.replay.removeFirst(max(1, replayLimit / 8))
            }
            session.connection?.send(frame)
        }
        append(to: &gateway.sessions[sessionID]!)
    }

    /// Dispatches a guild event to every session whose shard carries the guild and whose intents allow it.
    mutating func dispatch(_ dispatch: GatewayDispatch, guildID: GuildID?) {
        // Only the routing facts are read here: holding a copy of a session record while `deliver` appends to
        // it would keep its replay buffer shared, and every append would copy the whole buffer.
        let recipients = gateway.sessions.compactMap { sessionID, session -> (String, GatewayIntents)? in
            if let guildID {
                guard session.covers(guildID) else { return nil }
            } else {
                // Events without a guild travel on shard 0 only.
                guard session.shardID == 0 else { return nil }
            }
            if let intent = dispatch.intent, !session.intents.contains(intent) { return nil }
            return (sessionID, session.intents)
        }
        for (sessionID, intents) in recipients {
            let payload =
                intents.contains(.messageContent)
                ? dispatch.payload : (dispatch.payloadWithoutContent ?? dispatch.payload)
            deliver(event: dispatch.event, payload: payload, toSession: sessionID)
        }
    }

    /// The GUILD_CREATE payload for one guild as a session with `intents` receives it.
    func guildCreatePayload(_ guild: EmulatedGuild, intents: GatewayIntents, largeThreshold: Int) -> [UInt8] {
        let memberCount = guild.members.count
        let large = memberCount > largeThreshold
        // Without GUILD_PRESENCES (or in a large guild) the member list holds only the bot itself.
        let memberIDs: [UserID] =
            intents.contains(.guildPresences) && !large
            ? guild.members.keys.sorted() : (guild.members[botID] == nil ? [] : [botID])
        var payload = Guild(
            id: guild.id, name: guild.name, ownerId: guild.ownerID, roles: guild.sortedRoles,
            channels: guild.sortedChannels, members: memberIDs.compactMap { guild.member($0, users: users) },
            memberCount: memberCount, joinedAt: guild.joinedAt)
        payload.large = large
        let guildData = (try? DiscordJSON.makeEncoder().encode(payload)) ?? Data("{}".utf8)
        return Array(Self.addingGuildExtras(to: guildData))
    }

    /// Fields every full guild object carries that Aetheria does not model, so client libraries that
    /// require them decode GUILD_CREATE as they would Discord's.
    static func addingGuildExtras(to guildJSON: Data) -> Data {
        let extras =
            #","emojis":[],"stickers":[],"voice_states":[],"presences":[],"stage_instances":[],"#
            + #""guild_scheduled_events":[],"soundboard_sounds":[],"afk_channel_id":null,"afk_timeout":300,"#
            + #""verification_level":0,"default_message_notifications":1,"explicit_content_filter":0,"#
            + #""mfa_level":0,"application_id":null,"system_channel_id":null,"system_channel_flags":0,"#
            + #""rules_channel_id":null,"max_members":500000,"vanity_url_code":null,"description":null,"#
            + #""banner":null,"splash":null,"discovery_splash":null,"premium_tier":0,"#
            + #""premium_subscription_count":0,"public_updates_channel_id":null,"max_video_channel_users":25,"#
            + #""nsfw_level":0,"premium_progress_bar_enabled":false,"safety_alerts_channel_id":null,"#
            + #""incidents_data":null,"nsfw":false,"home_header":null,"region":"deprecated","#
            + #""widget_enabled":false,"widget_channel_id":null,"max_presences":null,"#
            + #""max_stage_video_channel_users":50,"lazy":true,"owner":false}"#
        var data = guildJSON
        guard data.last == UInt8(ascii: "}") else { return data }
        data.removeLast()
        data.append(contentsOf: extras.utf8)
        return data
    }

    /// Closes every connection of the bot, as Discord does when it resets a token.
    mutating func closeAllConnections(code: GatewayCloseCode) {
        for connection in gateway.connections.values {
            connection.close(code: code)
        }
    }

    /// Forgets sessions that can no longer be resumed, so memory stays bounded.
    mutating func purgeExpiredSessions(now: Double) {
        let window = configuration.resumeWindow.seconds
        gateway.sessions = gateway.sessions.filter { _, session in
            guard let disconnectedAt = session.disconnectedAt else { return true }
            return now - disconnectedAt < window
        }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

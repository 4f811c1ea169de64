import DiscordGateway
import DiscordModels
import Foundation
import ZlibStream

extension FuzzTarget {
    static let gatewayTargets: [FuzzTarget] = [
        FuzzTarget(name: "gateway-envelope", summary: "the byte scan of every gateway frame (op, s, t, guild_id)") {
            bytes in
            guard let envelope = GatewayEnvelope.scan(bytes), let range = envelope.payloadRange else { return }
            precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "payload range outside the frame")
            _ = GuildRouter<NoHandler>.isOutage(bytes[range])
            _ = GuildRouter<NoHandler>.topLevelID(bytes[range])
        },
        FuzzTarget(name: "guild-create", summary: "the hand-written GUILD_CREATE decoder to GuildSnapshot") { bytes in
            guard let snapshot = GuildCreateDecoder.decode(bytes) else { return }
            for role in snapshot.roles { _ = snapshot.name(of: role) }
            for channel in snapshot.channels {
                _ = snapshot.name(of: channel)
                _ = snapshot.overwrites(of: channel)
            }
            _ = snapshot.estimatedHeapBytes
        },
        FuzzTarget(name: "gateway-json", summary: "INTERACTION_CREATE, MESSAGE_* and READY payloads, decoded") {
            bytes in
            let data = Data(bytes)
            if let interaction = try? DiscordJSON.decode(Interaction.self, from: data) {
                _ = interaction.member?.permissions
                _ = interaction.data?.customId
            }
            if let message = try? DiscordJSON.decode(Message.self, from: data) {
                _ = DiscordTimestamp.date(from: message.timestamp)
                _ = message.id.date
            }
            _ = try? DiscordJSON.decode(Channel.self, from: data)
            _ = try? DiscordJSON.decode(GatewayHello.self, from: data)
        },
        FuzzTarget(name: "zlib-stream", summary: "the zlib-stream inflater, fed frames split at 0xFF") { bytes in
            guard let inflater = try? ZlibInflater(maximumMessageSize: 1 << 20) else { return }
            for frame in parts(bytes, count: 8) {
                do {
                    _ = try inflater.append(frame + ZlibInflater.syncFlushSuffix)
                } catch {
                    return  // a corrupt stream ends the connection
                }
            }
        },
        FuzzTarget(name: "session-machine", summary: "the gateway session machine fed random event sequences") {
            bytes in
            GatewaySessionFuzzer.run(bytes)
        },
    ]
}

/// A router type parameter for the static helpers.
final class NoHandler: GuildEventHandling {
    func handle(_ envelope: GatewayEnvelope, frame: [UInt8]) {}
}

/// Interprets bytes as a sequence of things that happen to a shard and checks what the machine asks for
/// stays sane: every timer bounded, never a negative delay.
enum GatewaySessionFuzzer {
    static func run(_ bytes: [UInt8]) {
        let configuration = GatewaySessionMachine.Configuration(
            shard: ShardIdentity(id: 0, count: 1), gatewayURL: "wss://gateway.discord.gg")
        var machine = GatewaySessionMachine(configuration: configuration)
        var now = ContinuousClock.now
        var index = 0
        func next() -> Int {
            defer { index += 1 }
            return index < bytes.count ? Int(bytes[index]) : 0
        }
        func wide() -> Int {
            (0..<8).reduce(0) { value, _ in value << 8 | next() }
        }
        while index < bytes.count {
            let actions: [GatewaySessionMachine.Action]
            switch next() % 14 {
            case 0: actions = machine.start()
            case 1: actions = machine.socketOpened()
            case 2: actions = machine.receivedHello(interval: .milliseconds(wide()), jitter: Double(next()) / 255)
            case 3: actions = machine.identifyPermitGranted()
            case 4: actions = machine.receivedDispatch(sequence: wide(), ready: nil, resumed: false)
            case 5:
                actions = machine.receivedDispatch(sequence: next(), ready: ("s", "wss://x.discord.gg"), resumed: false)
            case 6: actions = machine.receivedDispatch(sequence: nil, ready: nil, resumed: true)
            case 7: actions = machine.heartbeatDue(now: now)
            case 8: actions = machine.receivedHeartbeatAck(now: now)
            case 9: actions = machine.receivedHeartbeatRequest(now: now)
            case 10: actions = machine.receivedReconnect()
            case 11: actions = machine.receivedInvalidSession(resumable: next() % 2 == 0)
            case 12:
                actions = machine.socketClosed(
                    code: UInt16(truncatingIfNeeded: wide()), randomFraction: Double(next()) / 255)
            default: actions = machine.readyTimeoutFired()
            }
            now = now + .milliseconds(next() * 100)
            for action in actions {
                switch action {
                case .scheduleHeartbeat(let delay), .scheduleReconnect(let delay), .scheduleReadyTimeout(let delay):
                    precondition(delay >= .zero && delay <= .seconds(600), "a timer outside 0...600 s: \(delay)")
                default: break
                }
            }
        }
    }
}

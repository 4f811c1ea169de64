/// A gateway opcode. A struct rather than an enum so that an opcode Discord adds tomorrow still decodes.
public struct GatewayOpcode: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    public static let dispatch = GatewayOpcode(rawValue: 0)
    public static let heartbeat = GatewayOpcode(rawValue: 1)
    public static let identify = GatewayOpcode(rawValue: 2)
    public static let presenceUpdate = GatewayOpcode(rawValue: 3)
    public static let voiceStateUpdate = GatewayOpcode(rawValue: 4)
    public static let resume = GatewayOpcode(rawValue: 6)
    public static let reconnect = GatewayOpcode(rawValue: 7)
    public static let requestGuildMembers = GatewayOpcode(rawValue: 8)
    public static let invalidSession = GatewayOpcode(rawValue: 9)
    public static let hello = GatewayOpcode(rawValue: 10)
    public static let heartbeatAck = GatewayOpcode(rawValue: 11)
    public static let requestSoundboardSounds = GatewayOpcode(rawValue: 31)
    public static let requestChannelInfo = GatewayOpcode(rawValue: 43)

    /// Opcodes a client may send.
    public static let clientOpcodes: Set<GatewayOpcode> = [
        .heartbeat, .identify, .presenceUpdate, .voiceStateUpdate, .resume, .requestGuildMembers,
        .requestSoundboardSounds, .requestChannelInfo,
    ]

    public var description: String { String(rawValue) }
}

import DiscordModels
import Foundation
import Testing
import TicketCore
import TicketTestSupport

@Suite("Ticket numbers and stored values from outside are checked, never trusted")
struct HostileStoredValueTests {
    @Test(
        "markers with numbers beyond any real ticket are not markers",
        arguments: [
            "aetheria:ticket:9223372036854775807:1", "aetheria:ticket:9223372036854775806:1",
            "aetheria:ticket:99999999999999999999:1", "aetheria:ticket:-1:1", "aetheria:ticket:0:1",
            "aetheria:ticket:1000000000:1", "aetheria:ticket:5:99999999999999999999999", "aetheria:ticket:5:0",
            "aetheria:ticket:+5:1",
        ])
    func forgedMarkers(_ topic: String) {
        #expect(TicketMarker(topic: topic) == nil)
    }

    @Test("the largest real ticket number still reads")
    func largestMarker() {
        #expect(TicketMarker(topic: "x aetheria:ticket:999999999:7")?.ticketNumber == Ticket.maximumNumber)
    }

    @Test("reconciling a channel whose topic claims the largest number keeps numbering finite")
    func reconcileLargestNumber() {
        var tickets = GuildTickets()
        let result = tickets.reconcile(
            channels: [
                (id: 900, name: "forged", marker: TicketMarker(ticketNumber: Ticket.maximumNumber, openerID: 5))
            ],
            now: Date())
        #expect(result.adopted.count == 1)
        #expect(tickets.nextTicketNumber == Ticket.maximumNumber + 1)
        guard
            case .create(let ticket) = tickets.requestOpen(
                openerID: 6, openerName: "next", interaction: nil, now: Date())
        else {
            Issue.record("a member can still open a ticket")
            return
        }
        #expect(ticket.number == Ticket.maximumNumber + 1)
    }

    static func snapshot(_ mutate: (inout [String: Any]) -> Void) throws -> [UInt8] {
        var guild = try #require(
            JSONSerialization.jsonObject(
                with: Data(GuildTicketsCodec.encode(GuildTickets()))) as? [String: Any])
        var inner = try #require(guild["guild"] as? [String: Any])
        mutate(&inner)
        guild["guild"] = inner
        return Array(try JSONSerialization.data(withJSONObject: guild))
    }

    @Test(
        "well-formed snapshots with numbers that would trap later are refused as corrupt",
        arguments: [
            "nextTicketNumber", "config.types.0.maximumOpenTicketsPerUser", "analytics.opened",
            "config.types.0.deleteDelaySeconds", "config.types.0.id", "config.panels.0.colour",
            "config.types.0.questions.0.maximumLength", "settingsRevisionStorage",
        ])
    func trappingSnapshotNumbers(_ path: String) throws {
        let bytes = try Self.snapshot { guild in
            var config = TicketConfig()
            config.types[0].questions = [TicketQuestion(label: "Why?")]
            let encoded = try? JSONSerialization.jsonObject(with: JSONEncoder().encode(config))
            guild["config"] = encoded
            guild =
                Self.setting(Int.max, at: path.split(separator: ".").map(String.init)[...], in: guild) as? [String: Any]
                ?? guild
        }
        #expect(throws: SnapshotFormatError.self) { try GuildTicketsCodec.decode(bytes, guildID: 1) }
    }

    /// `value` at a dotted path of objects and array indices.
    private static func setting(_ value: Any, at path: ArraySlice<String>, in node: Any) -> Any {
        guard let key = path.first else { return value }
        if var array = node as? [Any], let index = Int(key), array.indices.contains(index) {
            array[index] = setting(value, at: path.dropFirst(), in: array[index])
            return array
        }
        var object = node as? [String: Any] ?? [:]
        object[key] = setting(value, at: path.dropFirst(), in: object[key] ?? [String: Any]())
        return object
    }

    @Test("a snapshot whose analytics day is Int.min is refused as corrupt (abs(Int.min) would trap)")
    func dayAtIntMin() throws {
        let bytes = try Self.snapshot { guild in
            var analytics = guild["analytics"] as? [String: Any] ?? [:]
            analytics["days"] = [["day": Int.min, "opened": 1, "closed": 0, "resolutionSeconds": 0]]
            guild["analytics"] = analytics
        }
        #expect(throws: SnapshotFormatError.self) { try GuildTicketsCodec.decode(bytes, guildID: 1) }
    }

    @Test("a snapshot whose dates are absurd is refused as corrupt")
    func absurdDates() throws {
        var tickets = GuildTickets()
        _ = tickets.requestOpen(openerID: 1, openerName: "a", interaction: nil, now: Date(timeIntervalSince1970: 1e15))
        #expect(throws: SnapshotFormatError.self) {
            try GuildTicketsCodec.decode(GuildTicketsCodec.encode(tickets), guildID: 1)
        }
    }

    @Test("a pending settings change beyond the stored revision, or with endless lines, is refused as corrupt")
    func forgedSettingsChange() throws {
        for (revision, lines) in [(7, 1), (1, 10_000)] {
            let bytes = try Self.snapshot { guild in
                guild["settingsRevisionStorage"] = 1
                guild["pendingSettingsChangeStorage"] = [
                    "revision": revision, "changes": Array(repeating: "x", count: lines),
                ]
            }
            #expect(throws: SnapshotFormatError.self) { try GuildTicketsCodec.decode(bytes, guildID: 1) }
        }
    }

    @Test("a normal snapshot still round-trips")
    func normalSnapshot() throws {
        var tickets = GuildTickets()
        _ = tickets.requestOpen(
            openerID: 1, openerName: "a", interaction: nil, now: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(try GuildTicketsCodec.decode(GuildTicketsCodec.encode(tickets), guildID: 1) == tickets)
    }
}

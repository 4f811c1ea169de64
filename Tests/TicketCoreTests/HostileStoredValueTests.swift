import DiscordModels
import Foundation
import Testing
import TicketCore

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
            "nextTicketNumber", "config.maximumOpenTicketsPerUser", "analytics.opened", "config.deleteDelaySeconds",
            "settingsRevisionStorage",
        ])
    func trappingSnapshotNumbers(_ path: String) throws {
        let bytes = try Self.snapshot { guild in
            let parts = path.split(separator: ".").map(String.init)
            if parts.count == 1 {
                guild[parts[0]] = Int.max
            } else {
                var inner = guild[parts[0]] as? [String: Any] ?? [:]
                inner[parts[1]] = Int.max
                guild[parts[0]] = inner
            }
        }
        #expect(throws: SnapshotFormatError.self) { try GuildTicketsCodec.decode(bytes, guildID: 1) }
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

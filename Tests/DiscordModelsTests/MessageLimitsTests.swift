import DiscordModels
import Testing

/// Messages the bot builds are fitted to Discord's limits, counted in code points as Discord counts.
@Suite("Messages fit Discord's limits")
struct MessageLimitsTests {
    static let thumb = "👍🏽"  // one Character, two code points

    @Test("a cut counts code points, keeps whole code points and marks the cut")
    func cut() {
        #expect(MessageRequest.cut("short", to: 10) == "short")
        let text = String(repeating: Self.thumb, count: 10)  // 20 code points
        let cut = MessageRequest.cut(text, to: 7)
        #expect(cut.unicodeScalars.count == 7 && cut.hasSuffix(MessageRequest.cutMark))
        #expect(MessageRequest.cut(text, to: 0).isEmpty)
    }

    @Test("every embed text within its limit, all embeds within 6,000, at most 10 embeds and 25 fields")
    func embeds() {
        let long = String(repeating: Self.thumb, count: 3_000)
        var embed = Embed(title: long, description: long, footer: .init(text: long), author: .init(name: long))
        embed.fields = (0..<30).map { _ in .init(name: long, value: long) }
        let message = MessageRequest(content: long, embeds: Array(repeating: embed, count: 12)).fittingDiscordLimits()
        #expect((message.content ?? "").unicodeScalars.count == Message.Limits.content)
        let embeds = message.embeds ?? []
        #expect(embeds.count == Embed.Limits.embedsPerMessage)
        #expect(embeds.reduce(0) { $0 + MessageRequest.total(of: $1) } <= Embed.Limits.totalCharacters)
        for embed in embeds {
            #expect((embed.fields ?? []).count == Embed.Limits.fields)
            #expect((embed.title ?? "").unicodeScalars.count <= Embed.Limits.title)
            #expect((embed.description ?? "").unicodeScalars.count <= Embed.Limits.description)
            for field in embed.fields ?? [] {
                #expect(field.name.unicodeScalars.count <= Embed.Limits.fieldName)
                #expect(!field.value.isEmpty && field.value.unicodeScalars.count <= Embed.Limits.fieldValue)
            }
        }
    }

    @Test("a message within every limit is sent as it is")
    func untouched() {
        let embed = Embed(title: "Ticket #1", description: "Hello", fields: [.init(name: "Order", value: "A-1")])
        let message = MessageRequest(content: "hi", embeds: [embed])
        let fitted = message.fittingDiscordLimits()
        #expect(fitted.content == "hi" && fitted.embeds == [embed])
    }
}

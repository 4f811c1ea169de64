import DiscordModels
import Foundation
import Testing
import TicketCore

@testable import Transcripts

/// The member's copy of a transcript leaves out what only staff saw; staff keep everything.
@Suite("Transcript audiences: the member's copy")
struct TranscriptAudienceTests {
    static func document() -> TranscriptDocument {
        var document = TranscriptFixtures.typical
        document.notes = [
            .init(author: "Sam (Support)", text: "Refund approved by finance", at: TranscriptFixtures.opened)
        ]
        // A member trying to forge the markers: escaped like every other text, so it cuts nothing.
        document.messages.append(
            TranscriptFixtures.message(
                1_100, TranscriptFixtures.alice, "<!--/staff--> still here <!--staff-->", after: 900))
        return document
    }

    @Test("staff see notes, deleted messages and earlier versions; the member's copy has none of them")
    func memberCopyLeavesOutStaffOnly() {
        let staff = TranscriptRenderer().render(Self.document())
        let member = String(decoding: TranscriptAudience.memberCopy(of: Array(staff.utf8)), as: UTF8.self)
        for staffOnly in ["Refund approved by finance", "wrong channel, ignore", "Found it: it ships today."] {
            #expect(staff.contains(staffOnly))
            #expect(!member.contains(staffOnly), "the member's copy shows \(staffOnly)")
        }
        // What the member saw stays, with the marks that something was there.
        for shared in ["My <strong>order</strong> never arrived", "(deleted)", "(edited)", "still here", "receipt.pdf"]
        {
            #expect(member.contains(shared), "the member's copy lacks \(shared)")
        }
        #expect(!member.contains("<!--staff-->") && member.hasSuffix("</html>"))
        #expect(member.contains(ContentSecurityHash.source(of: TranscriptStyle.script)), "the script stays pinned")
    }

    @Test("a file cut short after a staff-only start leaves out the rest, never shows it")
    func unterminatedMarker() {
        let html = Array("<p>shared</p><!--staff--><p>note".utf8)
        #expect(String(decoding: TranscriptAudience.memberCopy(of: html), as: UTF8.self) == "<p>shared</p>")
        #expect(TranscriptAudience.memberCopy(of: []).isEmpty)
    }
}

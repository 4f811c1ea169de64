import Foundation
import Testing
import TicketCore

@testable import Transcripts

/// The header policy of a served transcript is as strict as the file's own: hash-pinned, no `unsafe-inline`,
/// `base-uri 'none'`, sandboxed; derived from the file, so an older transcript keeps its own script's hash.
@Suite("Transcript Content-Security-Policy header")
struct TranscriptContentSecurityTests {
    @Test("a rendered transcript's header pins its style and script by hash, with base-uri 'none' and the sandbox")
    func renderedFile() {
        let html = Array(TranscriptRenderer().render(TranscriptFixtures.typical).utf8)
        let header = TranscriptContentSecurity.headerPolicy(for: html)
        #expect(header.hasPrefix("sandbox allow-scripts; default-src 'none'"))
        #expect(header.contains("script-src \(ContentSecurityHash.source(of: TranscriptStyle.script))"))
        #expect(header.contains("base-uri 'none'") && header.contains("form-action 'none'"))
        #expect(header.hasSuffix("frame-ancestors 'self'"))
        #expect(!header.contains("unsafe-inline"))
    }

    @Test("an older transcript keeps the script hash it was rendered with")
    func olderScript() {
        let oldHash = "'sha256-" + String(repeating: "A", count: 43) + "='"
        let html = Array(
            "<!doctype html><html><head><meta http-equiv=Content-Security-Policy content=\"default-src 'none'; img-src data:; style-src \(oldHash); script-src \(oldHash); base-uri 'none'; form-action 'none'\">"
                .utf8)
        #expect(TranscriptContentSecurity.headerPolicy(for: html).contains("script-src \(oldHash)"))
    }

    @Test("a file whose policy is missing, loosened or malformed gets the strictest header, never a looser one")
    func hostileFiles() {
        let loosened = [
            "<p>no policy at all</p>",
            "<meta http-equiv=Content-Security-Policy content=\"default-src *; script-src 'unsafe-inline'; base-uri 'none'\">",
            "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; script-src https://evil.example; base-uri 'none'\">",
            "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; script-src 'sha256-x'; base-uri 'none'\">",
            "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; script-src 'none'\">",
            "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; report-uri /x; script-src 'none'; base-uri 'none'",
        ]
        for html in loosened {
            #expect(
                TranscriptContentSecurity.headerPolicy(for: Array(html.utf8)) == TranscriptContentSecurity.strictest,
                "\(html)")
        }
        #expect(TranscriptContentSecurity.headerPolicy(for: []) == TranscriptContentSecurity.strictest)
    }
}

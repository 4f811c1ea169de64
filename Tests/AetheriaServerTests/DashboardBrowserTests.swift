import AetheriaServer
import DiscordModels
import EmulatorTestSupport
import Foundation
import Testing
import TicketCore

@Suite("The dashboard in headless Chromium")
struct DashboardBrowserTests {
    @Test("log in through OAuth2, change the staff role, watch a ticket open and close live, read its transcript")
    func staffJourney() async throws {
        try await DashboardTests.run { harness, client, fixture in
            let browser = try await HeadlessChromium.launch()
            defer { browser.close() }
            _ = try await harness.discord.control(
                .POST, "/oauth/default-user", json: #"{"user_id":"\#(fixture.admin)"}"#)

            try await browser.navigate(client.base + "/login")
            try await browser.waitUntil("document.body.innerText.includes('Your servers')")
            try await browser.screenshot("1-servers")

            // Change the staff role on the configuration form, as an admin would.
            let guild = "/guilds/\(fixture.guildID)"
            let newRole = try #require(fixture.guild.roles.first { $0.name == "Veteran" || $0.name == "Member" })
            try await browser.navigate(client.base + guild + "/config/types/1")
            _ = try await browser.evaluate(
                "Array.from(document.getElementById('staff_roles').options).forEach(function(o){o.selected = o.value === '\(newRole.id)'}); document.querySelector('form.card').submit(); true"
            )
            try await browser.waitUntil("document.body.innerText.includes('Saved.')")
            try await browser.screenshot("2-configuration-saved")
            #expect(
                await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.config.defaultType.staffRoleIDs == [
                    newRole.id
                ])

            // The analytics page follows a ticket live (server-sent events), without a reload.
            try await browser.navigate(client.base + guild)
            let before = try await browser.evaluate("document.getElementById('n-active').textContent").stringValue
            #expect(before == "0")
            let panel = try await harness.postPanel(fixture)
            let channel = try await harness.openTicket(fixture, panel: panel, as: fixture.members[0])
            try await browser.waitUntil("document.getElementById('n-active').textContent === '1'")
            try await browser.screenshot("3-ticket-open")
            try await harness.post("Browser test: my order is late", in: channel.id, as: fixture.members[0])
            let welcome = try await harness.welcome(in: channel.id)
            _ = try await harness.click("aetheria:ticket:close", on: welcome.id, in: channel.id, as: fixture.members[0])
            try await browser.waitUntil(
                "document.getElementById('n-active').textContent === '0' && document.getElementById('n-closed').textContent === '1'"
            )
            try await browser.screenshot("4-ticket-closed")

            // The transcript: listed, viewable in its sandboxed frame, and readable on its own.
            try await browser.navigate(client.base + guild + "/transcripts")
            try await browser.waitUntil("document.body.innerText.includes('#1')")
            try await browser.navigate(client.base + guild + "/transcripts/1")
            #expect(
                try await browser.evaluate("document.querySelector('iframe').getAttribute('sandbox')").stringValue
                    == "allow-scripts")
            try await Task.sleep(for: .milliseconds(500))
            try await browser.screenshot("5-transcript-viewer")
            try await browser.navigate(client.base + guild + "/transcripts/1/raw")
            try await browser.waitUntil("document.body.innerText.includes('Browser test: my order is late')")
            // The transcript's own search works offline.
            _ = try await browser.evaluate(
                "var q = document.getElementById('q'); q.value = 'order is late'; q.dispatchEvent(new Event('input')); true"
            )
            let visible = try await browser.evaluate(
                "Array.from(document.querySelectorAll('.m')).filter(function (m) { return !m.hidden }).length")
            #expect(visible.intValue == 1)
            try await browser.screenshot("6-transcript-search")
        }
    }
}

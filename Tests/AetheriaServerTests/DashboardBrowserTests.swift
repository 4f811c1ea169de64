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
            // The median is exact (seconds, from the stored transcript), not the histogram's 5-minute estimate.
            try await browser.waitUntil("/^\\d+ s$/.test(document.getElementById('n-median').textContent)")
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

    @Test(
        "setting up a large server: add a type with questions and a live welcome preview, a select-menu panel, post it; screenshots for docs/tickets.md"
    )
    func largeServerSetup() async throws {
        try await DashboardTests.run { harness, client, fixture in
            let browser = try await HeadlessChromium.launch()
            defer { browser.close() }
            _ = try await harness.discord.control(
                .POST, "/oauth/default-user", json: #"{"user_id":"\#(fixture.admin)"}"#)
            try await browser.navigate(client.base + "/login")
            try await browser.waitUntil("document.body.innerText.includes('Your servers')")
            let guild = "/guilds/\(fixture.guildID)"

            // A second ticket type, from the configuration page's button.
            try await browser.navigate(client.base + guild + "/config")
            _ = try await browser.evaluate(
                #"document.querySelector('form[action$="/config/types"] button').click(); true"#)
            try await browser.waitUntil("location.pathname.endsWith('/config/types/2')")
            _ = try await browser.evaluate(
                """
                document.getElementById('name').value = 'Billing';
                document.getElementById('emoji').value = '💳';
                document.getElementById('summary').value = 'Payments, invoices and refunds';
                Array.from(document.getElementById('staff_roles').options).forEach(function (o) {
                  o.selected = o.value === '\(fixture.staffRole)' });
                document.getElementById('category_1').value = '\(fixture.category)';
                document.getElementById('name_template').value = '{type}-{number}';
                document.getElementById('name_template').dispatchEvent(new Event('input'));
                document.querySelector('input[name="question_label[]"]').value = 'Order number';
                var w = document.getElementById('welcome_text');
                w.value = 'Thanks! **Billing** answers within a day.';
                w.dispatchEvent(new Event('input')); true
                """)
            // The preview is the server's own markdown rendering, fetched as the admin types.
            try await browser.waitUntil(
                "document.getElementById('welcome-preview').innerHTML.includes('<strong>Billing</strong>')")
            #expect(
                try await browser.evaluate("document.getElementById('name-preview').textContent").stringValue
                    == "billing-0042")
            _ = try await browser.evaluate("document.getElementById('name_template').scrollIntoView(); true")
            try await browser.screenshot("large-1-ticket-type")
            _ = try await browser.evaluate("document.querySelector('form.card').submit(); true")
            try await browser.waitUntil("document.body.innerText.includes('Saved.')")
            let billing = try #require(
                await harness.bot.guilds.overview(of: fixture.guildID)?.tickets.config.existingType(2))
            #expect(billing.name == "Billing" && billing.staffRoleIDs == [fixture.staffRole])
            #expect(billing.questions.map(\.label) == ["Order number"] && billing.categoryIDs == [fixture.category])

            // The panel offers both types in a select menu, then is posted in #support.
            try await browser.navigate(client.base + guild + "/config/panels/1")
            _ = try await browser.evaluate(
                """
                document.getElementById('title').value = 'How can we help?';
                document.getElementById('layout').value = 'select_menu';
                document.querySelectorAll('input[name="types[]"]').forEach(function (c) { c.checked = true });
                document.querySelector('form.card').submit(); true
                """)
            try await browser.waitUntil("document.body.innerText.includes('Saved.')")
            _ = try await browser.evaluate(
                #"document.getElementById('channel').value = '\#(fixture.supportChannel)'; document.querySelector('form[action$="/post"]').submit(); true"#
            )
            try await browser.waitUntil("document.body.innerText.includes('Posted.')")
            try await browser.screenshot("large-2-panel")
            try await eventually("the select-menu panel is in #support") {
                try await harness.messages(in: fixture.supportChannel).contains {
                    $0.embeds.first?.title == "How can we help?"
                        && $0.components?.first?.components?.first?.options?.map(\.label) == ["Support", "Billing"]
                }
            }
            try await browser.navigate(client.base + guild + "/config")
            try await browser.waitUntil("document.body.innerText.includes('Billing')")
            let overview = try await browser.evaluate("document.body.innerText").stringValue ?? ""
            #expect(overview.contains("@Support Team") && overview.contains("#support"), "names, not IDs")
            try await browser.screenshot("large-3-configuration")
        }
    }
}

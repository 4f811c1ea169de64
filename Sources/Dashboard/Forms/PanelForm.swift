import DiscordModels
import Foundation
package import TicketCore

/// A panel's form as the browser posts it (see `TicketTypeForm` for the conventions).
package struct PanelForm: Decodable, Sendable {
    package var name: String?
    package var title: String?
    package var text: String?
    package var colour: String?
    package var imageURL: String?
    package var layout: String?
    package var types: [String]?

    enum CodingKeys: String, CodingKey {
        case name, title, text, colour
        case imageURL = "image_url"
        case layout, types
    }

    package func applied(to panel: TicketPanel) -> (panel: TicketPanel, problems: [TicketConfigProblem]) {
        var panel = panel
        var reader = FormFieldReader(scope: .panel(panel.id))
        panel.name = FormFieldReader.text(name) ?? ""
        panel.title = FormFieldReader.text(title) ?? ""
        panel.text = FormFieldReader.text(text) ?? ""
        if let colour = FormFieldReader.text(colour) {
            // `<input type=color>` posts `#rrggbb`.
            let digits = colour.hasPrefix("#") ? colour.dropFirst() : Substring(colour)
            if digits.count == 6, let value = Int(digits, radix: 16) {
                panel.colour = value
            } else {
                reader.fail(.colour, "must be a colour like #5865F2")
            }
        }
        panel.imageURL = FormFieldReader.text(imageURL)
        panel.layout = layout.flatMap(TicketPanel.Layout.init(rawValue:)) ?? panel.layout
        panel.typeIDs = (types ?? []).prefix(50).compactMap { text in
            guard let id = OutsideNumber.integer(text, in: TicketType.idRange) else {
                reader.fail(.panelTypes, "choose types from the list")
                return nil
            }
            return id
        }
        return (panel, reader.problems)
    }
}

/// "Post this panel" as the browser posts it.
package struct PanelPostForm: Decodable, Sendable {
    package var channel: String?
}

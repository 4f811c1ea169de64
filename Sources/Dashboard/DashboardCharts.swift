import Foundation
import TicketCore
import Transcripts

/// Charts drawn on the server as SVG: readable without JavaScript, with a `<title>` per bar or point so
/// browsers show the value as a tooltip, and axis labels in text.
enum DashboardCharts {
    struct Point {
        var label: String
        var value: Double
    }

    /// The last `days` UTC days, oldest first, with every day present (zero when nothing happened).
    static func dailySeries(
        _ analytics: TicketAnalytics, days: Int, today: Int, value: (TicketAnalytics.Day) -> Double
    ) -> [Point] {
        let byDay = Dictionary(analytics.days.map { ($0.day, $0) }, uniquingKeysWith: { $1 })
        return (0..<days).map { offset in
            let day = today - (days - 1 - offset)
            return Point(label: label(day), value: byDay[day].map(value) ?? 0)
        }
    }

    /// Active tickets at the end of each day, rebuilt backwards from today's count and the daily opened and
    /// closed counters (no history scan needed).
    static func activeSeries(_ analytics: TicketAnalytics, activeNow: Int, days: Int, today: Int) -> [Point] {
        let byDay = Dictionary(analytics.days.map { ($0.day, $0) }, uniquingKeysWith: { $1 })
        var active = Double(activeNow)
        var points: [Point] = []
        for offset in 0..<days {
            let day = today - offset
            points.append(Point(label: label(day), value: max(0, active)))
            if let entry = byDay[day] { active -= Double(entry.opened - entry.closed) }
        }
        return points.reversed()
    }

    static func label(_ day: Int) -> String {
        let date = Date(timeIntervalSince1970: Double(day) * 86_400)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.month, .day], from: date)
        return String(format: "%02d-%02d", parts.month ?? 1, parts.day ?? 1)
    }

    static func bars(_ points: [Point], title: String, unit: String) -> String {
        let width = 600.0
        let height = 160.0
        let top = max(1, points.map(\.value).max() ?? 1)
        let slot = width / Double(max(1, points.count))
        var svg =
            "<svg class=chart viewBox=\"0 0 \(Int(width)) \(Int(height + 20))\" role=img aria-label=\"\(HTMLEscaping.escape(title))\">"
        for (index, point) in points.enumerated() {
            let barHeight = point.value / top * (height - 10)
            let x = Double(index) * slot + 1
            svg +=
                "<rect x=\"\(format(x))\" y=\"\(format(height - barHeight))\" width=\"\(format(slot - 2))\" height=\"\(format(barHeight))\">"
            svg += "<title>\(HTMLEscaping.escape(point.label)): \(format(point.value)) \(unit)</title></rect>"
        }
        svg += axis(points, slot: slot, height: height, top: top)
        return svg + "</svg>"
    }

    static func line(_ points: [Point], title: String, unit: String) -> String {
        let width = 600.0
        let height = 160.0
        let top = max(1, points.map(\.value).max() ?? 1)
        let slot = width / Double(max(1, points.count))
        let coordinates = points.enumerated().map { index, point in
            (Double(index) * slot + slot / 2, height - point.value / top * (height - 10))
        }
        var svg =
            "<svg class=chart viewBox=\"0 0 \(Int(width)) \(Int(height + 20))\" role=img aria-label=\"\(HTMLEscaping.escape(title))\">"
        svg += "<polyline points=\"\(coordinates.map { "\(format($0.0)),\(format($0.1))" }.joined(separator: " "))\"/>"
        for (index, point) in points.enumerated() {
            svg += "<circle cx=\"\(format(coordinates[index].0))\" cy=\"\(format(coordinates[index].1))\" r=3>"
            svg += "<title>\(HTMLEscaping.escape(point.label)): \(format(point.value)) \(unit)</title></circle>"
        }
        svg += axis(points, slot: slot, height: height, top: top)
        return svg + "</svg>"
    }

    private static func axis(_ points: [Point], slot: Double, height: Double, top: Double) -> String {
        var svg = "<text x=\"2\" y=\"10\">\(format(top))</text>"
        // A label every week, and the last day unless it would collide with the weekly one before it.
        for (index, point) in points.enumerated()
        where index % 7 == 0 || (index == points.count - 1 && index % 7 >= 3) {
            svg +=
                "<text x=\"\(format(Double(index) * slot))\" y=\"\(format(height + 15))\">\(HTMLEscaping.escape(point.label))</text>"
        }
        return svg
    }

    static func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }
}

import Foundation

/// A latency CDF of every run side by side, as a self-contained SVG: latency on a log axis,
/// the share of calls at or below it on the other; one colour per wire, one dash pattern per
/// concurrency (and pool size and observer, when the runs vary those).
enum BenchPlot {
    private static let colours = [
        "grpc": "#1f77b4", "rest-h2": "#d62728", "rest-h1": "#2ca02c", "urlsession": "#9467bd",
    ]
    private static let dashes = ["", "8 4", "2 3", "12 4 2 4", "4 4", "16 4", "2 6", "8 2 2 2"]

    static func svg(_ report: BenchReport) -> String {
        let width = 1040.0
        let height = 560.0
        let left = 80.0
        let right = 300.0
        let top = 50.0
        let bottom = 60.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let series = report.results.map { ($0, BenchReport.cdf($0.latency)) }.filter { !$0.1.isEmpty }
        let values = series.flatMap { $0.1.map(\.micros) }
        let low = pow(10, floor(log10(max(1, values.min() ?? 10))))
        let high = pow(10, ceil(log10(max(low * 10, values.max() ?? 1000))))
        func x(_ micros: Double) -> Double {
            left + (log10(max(micros, low)) - log10(low)) / (log10(high) - log10(low)) * plotWidth
        }
        func y(_ fraction: Double) -> Double { top + (1 - fraction) * plotHeight }

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="13">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="28" font-size="16" font-weight="bold">\(escaped(title(report)))</text>

            """
        // Grid and axes: decades on x, tenths on y.
        var decade = low
        while decade <= high * 1.0001 {
            svg += line(x(decade), top, x(decade), top + plotHeight, "#ddd")
            svg +=
                "<text x=\"\(f(x(decade)))\" y=\"\(f(top + plotHeight + 20))\" text-anchor=\"middle\">\(label(decade))</text>\n"
            for minor in 2...9 where decade * Double(minor) < high {
                svg += line(x(decade * Double(minor)), top, x(decade * Double(minor)), top + plotHeight, "#f2f2f2")
            }
            decade *= 10
        }
        for tenth in 0...10 {
            let fraction = Double(tenth) / 10
            svg += line(left, y(fraction), left + plotWidth, y(fraction), "#ddd")
            svg += "<text x=\"\(f(left - 8))\" y=\"\(f(y(fraction) + 4))\" text-anchor=\"end\">\(tenth * 10)%</text>\n"
        }
        svg +=
            "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#333\"/>\n"
        svg +=
            "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 15))\" text-anchor=\"middle\">latency per call (µs, log scale)</text>\n"
        svg +=
            "<text transform=\"translate(22 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">calls at or below (cumulative)</text>\n"

        // One dash pattern per (concurrency, pool, observer): the runs of one wire differ in those.
        var variants: [String] = []
        for result in report.results where !variants.contains(result.variant) { variants.append(result.variant) }
        for (index, (result, points)) in series.enumerated() {
            let colour = colours[result.target] ?? "#555"
            let dash = dashes[(variants.firstIndex(of: result.variant) ?? 0) % dashes.count]
            // A step function: each latency bucket raises the share of calls.
            var path = "M \(f(x(points[0].micros))) \(f(y(0)))"
            var previous = 0.0
            for point in points {
                path += " L \(f(x(point.micros))) \(f(y(previous))) L \(f(x(point.micros))) \(f(y(point.fraction)))"
                previous = point.fraction
            }
            svg +=
                "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>\n"
            let legendY = top + 10 + Double(index) * 22
            let legendX = left + plotWidth + 16
            svg +=
                "<line x1=\"\(f(legendX))\" y1=\"\(f(legendY))\" x2=\"\(f(legendX + 34))\" y2=\"\(f(legendY))\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>\n"
            let median = BenchReport.grouped(Double(result.latency.valueAtPercentile(50)))
            svg +=
                "<text x=\"\(f(legendX + 42))\" y=\"\(f(legendY + 4))\">\(escaped(result.label)) (p50 \(median) µs)</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    private static func title(_ report: BenchReport) -> String {
        let what =
            report.call == .list
            ? "list (per_page \(report.perPage))" : "\(report.call.rawValue) (\(report.annotationsPerCall) per call)"
        return "Latency CDF: \(what), \(report.endpoint)"
    }

    private static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ colour: String) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(colour)\"/>\n"
    }

    private static func label(_ micros: Double) -> String {
        switch micros {
        case ..<1000: "\(Int(micros)) µs"
        case ..<1_000_000: "\(Int(micros / 1000)) ms"
        default: "\(Int(micros / 1_000_000)) s"
        }
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}

using System.Globalization;
using System.Net;
using System.Text;

namespace OrleansFleet.Bench;

/// <summary>
/// A grouped horizontal bar chart of events per second, written as plain SVG: no native drawing library is needed,
/// so it renders the same on a headless CI machine as on a laptop, and it diffs as text.
/// </summary>
public static class SvgChart
{
    /// <summary>Renders the report's throughput, one group per variant, one bar per shape.</summary>
    public static string Render(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = report.Results.Where(r => r.Failure is null).ToList();
        var variants = rows.Select(r => r.Name).Distinct().ToList();
        var shapes = rows.Select(r => r.Shape).Distinct().ToList();
        string[] colors = ["#4e79a7", "#f28e2b"];
        const int labelWidth = 470, plotWidth = 520, bar = 14, top = 50;
        var groupHeight = (bar * Math.Max(1, shapes.Count)) + 12;
        var height = top + (variants.Count * groupHeight) + 40;
        var max = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(r => r.EventsPerSecond));
        var inv = CultureInfo.InvariantCulture;

        var svg = new StringBuilder();
        svg.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + plotWidth + 220}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(inv, $"<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">OrleansFleet benchmark: events/s ({WebUtility.HtmlEncode(report.Settings.Mode)}, {report.Settings.Devices:N0} devices, ≥ {report.Settings.Events:N0} measured events/row)</text>\n");
        for (var s = 0; s < shapes.Count; s++)
        {
            svg.Append(inv, $"<rect x=\"{labelWidth + (s * 90)}\" y=\"30\" width=\"10\" height=\"10\" fill=\"{colors[s % colors.Length]}\"/><text x=\"{labelWidth + (s * 90) + 14}\" y=\"39\">{shapes[s]}</text>\n");
        }

        for (var v = 0; v < variants.Count; v++)
        {
            var y = top + (v * groupHeight);
            svg.Append(inv, $"<text x=\"{labelWidth - 8}\" y=\"{y + (groupHeight / 2)}\" text-anchor=\"end\">{WebUtility.HtmlEncode(variants[v])}</text>\n");
            for (var s = 0; s < shapes.Count; s++)
            {
                var row = rows.FirstOrDefault(r => r.Name == variants[v] && r.Shape == shapes[s]);
                if (row is null)
                {
                    continue;
                }

                var width = Math.Max(1, row.EventsPerSecond / max * plotWidth);
                var by = y + (s * bar);
                svg.Append(inv, $"<rect x=\"{labelWidth}\" y=\"{by}\" width=\"{width:F1}\" height=\"{bar - 2}\" fill=\"{colors[s % colors.Length]}\"/>");
                var raw = rows.FirstOrDefault(r => r.Key == Raw.RawOrleansVariant.MemoryKey && r.Shape == row.Shape);
                var ratio = TargetEvaluator.RatioTo(row, raw) is { } x && row.Key != Raw.RawOrleansVariant.MemoryKey ? $" ({x:F2}× raw)" : "";
                svg.Append(inv, $"<text x=\"{labelWidth + width + 4:F1}\" y=\"{by + bar - 4}\" font-size=\"11\">{row.EventsPerSecond:N0}{(row.TimedOut ? " timed out" : "")}{ratio}</text>\n");
            }
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }
}

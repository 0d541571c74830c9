namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>One plot written next to results.json: its title, its PNG and SVG file names, and the SVG itself (the HTML report inlines it).</summary>
internal sealed record RenderedPlot(string Title, string PngFile, string SvgFile, string Svg);

using ScottPlot;
using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Parent.Plots;

/// <summary>A figure of each side (sender, receiver) per row as pairs of bars: CPU % of a core, or allocated bytes per message.</summary>
internal static class PerSideBarsPlot
{
    public static Plot Of(string title, string unit, IReadOnlyList<(string Label, PerSide<double> Figure)> rows)
    {
        var plot = new Plot();
        Color sender = Colors.SteelBlue;
        Color receiver = Colors.DarkOrange;
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (int index = 0; index < rows.Count; index++)
        {
            double centre = index * 3;
            bars.Add(new Bar { Position = centre - 0.5, Value = rows[index].Figure.Sender, FillColor = sender });
            bars.Add(new Bar { Position = centre + 0.5, Value = rows[index].Figure.Receiver, FillColor = receiver });
            ticks.Add(new Tick(centre, rows[index].Label, isMajor: true));
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Margins(bottom: 0);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "sender", FillColor = sender });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "receiver", FillColor = receiver });
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title(title);
        plot.YLabel(unit);
        return plot;
    }
}

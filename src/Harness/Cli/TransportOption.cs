using System.CommandLine;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Cli;

/// <summary>`--transport`, the one transport `serve` and `send` run.</summary>
internal static class TransportOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--transport") { Description = $"One of: {string.Join(", ", EnumNames.All<TransportKind>())}.", Required = true };
        option.AcceptOnlyFromAmong([.. EnumNames.All<TransportKind>()]);
        return option;
    }

    public static TransportKind Read(ParseResult parse, Option<string> option) => EnumNames.Parse<TransportKind>(parse.GetValue(option)!);
}

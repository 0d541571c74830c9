using System.Text.Json;

namespace ShmIpc.Harness.Protocol;

/// <summary>
/// The names of a setting's values: exactly what <see cref="ProtocolJson"/> writes for them (camelCase, or a
/// member's <c>JsonStringEnumMemberName</c>), which are also the names users type. One rule for the command line,
/// the settings a child gets and results.json.
/// </summary>
internal static class EnumNames
{
    /// <summary>Every value's name, in declaration order.</summary>
    public static IReadOnlyList<string> All<TEnum>()
        where TEnum : struct, Enum => Names<TEnum>.All;

    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        foreach ((TEnum candidate, string name) in Names<TEnum>.Entries)
        {
            if (EqualityComparer<TEnum>.Default.Equals(candidate, value))
            {
                return name;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {typeof(TEnum).Name}");
    }

    /// <summary>The value named <paramref name="text"/> (any case); false with an error naming it and the allowed names.</summary>
    public static bool TryParse<TEnum>(string text, out TEnum value, out string error)
        where TEnum : struct, Enum
    {
        foreach ((TEnum candidate, string name) in Names<TEnum>.Entries)
        {
            if (string.Equals(name, text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                error = "";
                return true;
            }
        }
        value = default;
        error = $"'{text}' is not one of: {string.Join(", ", Names<TEnum>.All)}";
        return false;
    }

    /// <summary>The value named <paramref name="text"/>, which the command line has already checked.</summary>
    public static TEnum Parse<TEnum>(string text)
        where TEnum : struct, Enum =>
        TryParse(text, out TEnum value, out string error) ? value : throw new ArgumentException(error, nameof(text));

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly (TEnum Value, string Name)[] Entries =
            [.. Enum.GetValues<TEnum>().Select(value => (value, JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(value, ProtocolJson.Options))!))];

        public static readonly IReadOnlyList<string> All = [.. Entries.Select(entry => entry.Name)];
    }
}

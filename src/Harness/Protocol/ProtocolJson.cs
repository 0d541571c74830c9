using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShmIpc.Harness.Protocol;

/// <summary>
/// How the harness writes JSON: the settings a child is started with, the events it sends back, and (indented, with
/// every field) results.json. Property names are camelCase; the names are the documented field names. Enums are
/// written by name (<see cref="EnumNames"/>) and read only by name: a value that is not one fails, it never
/// becomes a default.
/// </summary>
internal static class ProtocolJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShmIpc.Harness.Protocol;

/// <summary>
/// How the harness writes JSON: the settings a child is started with, the events it sends back, and (indented, with
/// every field) results.json. Property names are camelCase; the names are the documented field names.
/// </summary>
internal static class ProtocolJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

using System.Text.Json;

namespace ShmIpc.Harness.Protocol;

/// <summary>
/// The command line a parent starts a child with, and the child's command reads:
/// <c>child receiver --settings JSON</c>, or <c>child sender --settings JSON --endpoint WHERE</c> with the endpoint
/// the receiver reported when it was ready.
/// </summary>
internal static class ChildArguments
{
    public const string Command = "child";
    public const string ReceiverRole = "receiver";
    public const string SenderRole = "sender";
    public const string SettingsOption = "--settings";
    public const string EndpointOption = "--endpoint";

    public static IReadOnlyList<string> ForReceiver(RunSettings settings) =>
        [Command, ReceiverRole, SettingsOption, JsonSerializer.Serialize(settings, ProtocolJson.Options)];

    public static IReadOnlyList<string> ForSender(RunSettings settings, string endpoint) =>
        [Command, SenderRole, SettingsOption, JsonSerializer.Serialize(settings, ProtocolJson.Options), EndpointOption, endpoint];

    /// <summary>The settings of a <see cref="SettingsOption"/> value.</summary>
    public static RunSettings ReadSettings(string json) =>
        JsonSerializer.Deserialize<RunSettings>(json, ProtocolJson.Options) ?? throw new ArgumentException("empty settings", nameof(json));
}

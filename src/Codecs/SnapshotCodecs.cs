using ShmIpc.Codecs.Raw;

namespace ShmIpc.Codecs;

/// <summary>
/// The codecs by name. <see cref="Get"/> returns a NEW instance on every call because codecs keep
/// reusable scratch state and are not thread-safe: take one per thread.
/// </summary>
public static class SnapshotCodecs
{
    /// <summary>Every registered name, in the order reports list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [RawSnapshotCodec.CodecName];

    /// <summary>A new instance of the codec called <paramref name="name"/> (case-insensitive).</summary>
    public static ISnapshotCodec Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToUpperInvariant() switch
        {
            "RAW" => new RawSnapshotCodec(),
            _ => throw new ArgumentException($"unknown codec '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
        };
    }

    /// <summary>A new instance of every codec, in <see cref="Names"/> order.</summary>
    public static IReadOnlyList<ISnapshotCodec> CreateAll() => [.. Names.Select(Get)];
}

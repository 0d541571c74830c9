using System.Globalization;
using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Cli;

/// <summary>
/// Parses the values users type (16k, 50k, max, 10s, 0,1). Each Try method returns false with a
/// message that names the allowed forms; the command line turns it into an error naming the option.
/// </summary>
internal static class OptionValues
{
    /// <summary>A payload size (<see cref="TryParseByteCount"/>), at least one instrument's 128 bytes.</summary>
    public static bool TryParseSize(string text, out int bytes, out string error)
    {
        if (!TryParseByteCount(text, out bytes, out error))
        {
            return false;
        }
        if (bytes < RunSettings.BytesPerInstrument)
        {
            error = $"'{text}' is out of range: payloads go from {RunSettings.BytesPerInstrument} bytes (one instrument) to 16m";
            return false;
        }
        return true;
    }

    /// <summary>Bytes: a whole number with an optional k (KiB) or m (MiB) suffix (16k = 16,384), from 0 to 16m.</summary>
    public static bool TryParseByteCount(string text, out int bytes, out string error)
    {
        bytes = 0;
        error = $"'{text}' is not a size: use bytes or a number with k or m, e.g. 0, 1k, 16k, 64k";
        string trimmed = text.Trim().ToLowerInvariant();
        long multiplier = 1;
        if (trimmed.EndsWith("kb", StringComparison.Ordinal) || trimmed.EndsWith("mb", StringComparison.Ordinal))
        {
            trimmed = trimmed[..^1];
        }
        if (trimmed.EndsWith('k'))
        {
            multiplier = 1024;
            trimmed = trimmed[..^1];
        }
        else if (trimmed.EndsWith('m'))
        {
            multiplier = 1024 * 1024;
            trimmed = trimmed[..^1];
        }
        if (!long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            return false;
        }
        long total = value * multiplier;
        if (total > 16 * 1024 * 1024)
        {
            error = $"'{text}' is out of range: at most 16m";
            return false;
        }
        bytes = (int)total;
        return true;
    }

    /// <summary>Messages per second: a number (50000, 50k, 1.5m) or "max" for flat out (null).</summary>
    public static bool TryParseRate(string text, out double? messagesPerSecond, out string error)
    {
        messagesPerSecond = null;
        error = $"'{text}' is not a rate: use messages per second (e.g. 50000 or 50k) or 'max'";
        string trimmed = text.Trim().ToLowerInvariant();
        if (trimmed is "max" or "flat-out" or "unlimited")
        {
            return true;
        }
        double multiplier = 1;
        if (trimmed.EndsWith('k'))
        {
            multiplier = 1_000;
            trimmed = trimmed[..^1];
        }
        else if (trimmed.EndsWith('m'))
        {
            multiplier = 1_000_000;
            trimmed = trimmed[..^1];
        }
        if (!double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)
            || value * multiplier < 1 || value * multiplier > 50_000_000)
        {
            return false;
        }
        messagesPerSecond = value * multiplier;
        return true;
    }

    /// <summary>A duration: 10s, 500ms, 100us, 2m, 1.5s, or plain seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        error = $"'{text}' is not a duration: use e.g. 100us, 500ms, 10s or 2m";
        string trimmed = text.Trim().ToLowerInvariant();
        double unitSeconds = 1;
        if (trimmed.EndsWith("us", StringComparison.Ordinal) || trimmed.EndsWith("µs", StringComparison.Ordinal))
        {
            unitSeconds = 1e-6;
            trimmed = trimmed[..^2];
        }
        else if (trimmed.EndsWith("ms", StringComparison.Ordinal))
        {
            unitSeconds = 0.001;
            trimmed = trimmed[..^2];
        }
        else if (trimmed.EndsWith('s'))
        {
            trimmed = trimmed[..^1];
        }
        else if (trimmed.EndsWith('m'))
        {
            unitSeconds = 60;
            trimmed = trimmed[..^1];
        }
        if (!double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)
            || value < 0 || value * unitSeconds > 24 * 3600)
        {
            return false;
        }
        duration = TimeSpan.FromSeconds(value * unitSeconds);
        return true;
    }

    /// <summary>A comma-separated list, each item one of <paramref name="allowed"/>, no repeats.</summary>
    public static bool TryParseList(string text, IReadOnlyList<string> allowed, out IReadOnlyList<string> items, out string error)
    {
        var parsed = new List<string>();
        items = parsed;
        error = "";
        foreach (string raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string item = raw.ToLowerInvariant();
            if (!allowed.Contains(item))
            {
                error = $"'{raw}' is not one of: {string.Join(", ", allowed)}";
                return false;
            }
            if (!parsed.Contains(item))
            {
                parsed.Add(item);
            }
        }
        if (parsed.Count == 0)
        {
            error = $"name at least one of: {string.Join(", ", allowed)}";
            return false;
        }
        return true;
    }

    /// <summary>CPU pinning: "auto" (the first two CPUs this process may use, when there are two or more), "none", or "S,R".</summary>
    public static bool TryParsePin(string text, out (int Sender, int Receiver)? cpus, out string error)
    {
        cpus = null;
        IReadOnlyList<int> allowed = CpuAffinity.AllowedCpus();
        error = $"'{text}' is not a CPU pair: use 'auto', 'none' or SENDER,RECEIVER (e.g. 0,1) from the CPUs this process may use: {string.Join(",", allowed)}";
        string trimmed = text.Trim().ToLowerInvariant();
        if (trimmed == "none")
        {
            return true;
        }
        if (trimmed == "auto")
        {
            if (allowed.Count >= 2)
            {
                cpus = (allowed[0], allowed[1]);
            }
            return true;
        }
        string[] parts = trimmed.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int sender)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int receiver)
            || !allowed.Contains(sender) || !allowed.Contains(receiver))
        {
            return false;
        }
        cpus = (sender, receiver);
        return true;
    }
}

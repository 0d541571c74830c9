namespace ShmIpc.ShmRing;

/// <summary>Validates ring names and maps them to /dev/shm paths; nothing here touches the file system.</summary>
internal static class SegmentName
{
    public const int MaxLength = 200;

    /// <summary>Every ring file is /dev/shm/shmring.NAME, so a valid name can never leave /dev/shm.</summary>
    public const string Directory = "/dev/shm";
    public const string FilePrefix = "shmring.";

    public static string ToPath(string name)
    {
        Validate(name);
        return $"{Directory}/{FilePrefix}{name}";
    }

    public static void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxLength)
        {
            throw new ArgumentException($"ring name must be 1 to {MaxLength} characters, got {name.Length}", nameof(name));
        }

        foreach (char character in name)
        {
            if (!char.IsAsciiLetterOrDigit(character) && character is not ('.' or '_' or '-'))
            {
                throw new ArgumentException(
                    $"ring name '{name}' contains '{character}'; only A-Z a-z 0-9 . _ - are allowed", nameof(name));
            }
        }

        if (name.Contains("..", StringComparison.Ordinal) || name == ".")
        {
            throw new ArgumentException($"ring name '{name}' must not be '.' or contain '..'", nameof(name));
        }
    }
}

namespace ShmIpc.Harness;

/// <summary>Entry point of the <c>harness</c> command.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("harness: not built yet (see issue 5)");
        return args.Length == 0 ? 2 : 2;
    }
}

using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// One child of a row (<see cref="Child"/>: "sender", "receiver", or "consumer N" of a broadcast): what it held before
/// its transport was created and after it was disposed, and what of the difference <see cref="LeakCheck"/>'s rule
/// calls a leak (<see cref="Leaks"/>, e.g. "3 sockets at the end, 0 at start").
/// </summary>
internal sealed record ChildLeakCheck(string Child, ChildResources Start, ChildResources End)
{
    public IReadOnlyList<string> Leaks => LeakCheck.LeaksBetween(Start, End);

    public bool Leaked => Leaks.Count > 0;
}

using System.Diagnostics;
using System.Threading.Channels;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Orchestration;

/// <summary>
/// One sender or receiver process started from this executable. Its control events arrive on a
/// channel; everything else it prints is kept (the last lines) to explain a failure. Disposing
/// it closes its stdin (the child's signal to stop) and kills it if it does not exit in time.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int KeptOutputLines = 20;
    private readonly Process _process;
    private readonly Channel<ControlEvent> _events = Channel.CreateUnbounded<ControlEvent>();
    private readonly Queue<string> _lastOutput = new();
    private readonly string _role;

    private ChildProcess(string role, Process process, IReadOnlyDictionary<string, string> runtimeEnvironment)
    {
        _role = role;
        _process = process;
        RuntimeEnvironment = runtimeEnvironment;
    }

    /// <summary>
    /// Every <c>DOTNET_</c> variable the child started with, the ones inherited from this process and the ones set for
    /// it, by name: the runtime settings its figures were measured under (results.json <c>runtimeEnvironment</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> RuntimeEnvironment { get; }

    /// <summary>The runtime's switch for tiered compilation, off in every child (<see cref="Start"/>).</summary>
    private const string TieredCompilationVariable = "DOTNET_TieredCompilation";

    /// <summary>What the .NET runtime's own environment variables start with.</summary>
    private const string RuntimeVariablePrefix = "DOTNET_";

    /// <summary>
    /// Starts this executable (with this process's own runtime) with <paramref name="arguments"/>
    /// (<see cref="ChildArguments"/>), and this process's environment plus <paramref name="environment"/>.
    /// <paramref name="role"/> names the child in messages.
    /// </summary>
    public static ChildProcess Start(string role, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        startInfo.FileName = host;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            // Started as `dotnet harness.dll`: children run the same way.
            startInfo.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        // Every method compiled once, fully optimized, when first called (in the warm-up): with tiered compilation the
        // runtime recompiles hot methods on a background thread, and with two vCPUs that thread runs on the CPU the
        // child is pinned to, inside the window (several ms at a time: docs/benchmarks.md, tenth session). A value the
        // user set is kept (DOTNET_TieredCompilation=1 measures with tiering, as an application would run).
        startInfo.Environment[TieredCompilationVariable] = Environment.GetEnvironmentVariable(TieredCompilationVariable) ?? "0";
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var runtimeEnvironment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string? value) in startInfo.Environment)
        {
            if (value is not null && name.StartsWith(RuntimeVariablePrefix, StringComparison.Ordinal))
            {
                runtimeEnvironment[name] = value;
            }
        }
        var child = new ChildProcess(role, process, runtimeEnvironment);
        process.OutputDataReceived += (_, line) => child.OnOutput(line.Data);
        process.ErrorDataReceived += (_, line) => child.OnOutput(line.Data);
        process.Exited += (_, _) => child.OnExited();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The child's process id (for <c>perf stat -p</c>).</summary>
    public int ProcessId => _process.Id;

    public void SendCommand(ParentCommand command)
    {
        try
        {
            _process.StandardInput.WriteLine(ControlLines.FormatCommand(command));
            _process.StandardInput.Flush();
        }
        catch (IOException)
        {
            // The child is gone; its absence is reported by the next event wait.
        }
    }

    /// <summary>Waits for the next control event; fails with the child's last output if it dies or is silent too long.</summary>
    public async Task<ControlEvent> NextEventAsync(string expected, TimeSpan timeout, CancellationToken cancellation)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeoutSource.CancelAfter(timeout);
        ControlEvent controlEvent;
        try
        {
            controlEvent = await _events.Reader.ReadAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ChildFailedException($"{_role} exited (code {ExitCodeText()}) before '{expected}'{LastOutputText()}");
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new ChildFailedException($"{_role} said nothing for {timeout.TotalSeconds:0} s while the harness waited for '{expected}'{LastOutputText()}");
        }
        if (controlEvent.Event == ControlEvent.Error)
        {
            throw new ChildFailedException($"{_role}: {controlEvent.Message}");
        }
        if (controlEvent.Event != expected)
        {
            throw new ChildFailedException($"{_role} sent '{controlEvent.Event}' where the harness expected '{expected}'");
        }
        return controlEvent;
    }

    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Not started or already reaped.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }
        ControlEvent? controlEvent = null;
        try
        {
            controlEvent = ControlLines.TryParseEvent(line);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not ours: keep it as output.
        }
        if (controlEvent is not null)
        {
            _events.Writer.TryWrite(controlEvent);
            return;
        }
        lock (_lastOutput)
        {
            _lastOutput.Enqueue(line);
            while (_lastOutput.Count > KeptOutputLines)
            {
                _lastOutput.Dequeue();
            }
        }
    }

    private void OnExited()
    {
        // Let the output readers drain before the channel closes, so the last event is not lost.
        _process.WaitForExit();
        _events.Writer.TryComplete();
    }

    /// <summary>"exited with code N" (137 = killed by SIGKILL), or null while it runs.</summary>
    public string? ExitDescription => _process.HasExited ? $"{_role} exited with code {ExitCodeText()}" : null;

    private string ExitCodeText()
    {
        try
        {
            return _process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "still running";
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    private string LastOutputText()
    {
        lock (_lastOutput)
        {
            return _lastOutput.Count == 0 ? "" : ": " + string.Join(" | ", _lastOutput.TakeLast(6));
        }
    }
}

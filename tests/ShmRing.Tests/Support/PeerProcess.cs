using System.Diagnostics;

namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>A ShmRing.TestPeer process: a real second OS process, started with `dotnet` and killed with SIGKILL.</summary>
internal sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _errors = [];

    private PeerProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    _errors.Add(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return string.Join('\n', _errors);
            }
        }
    }

    /// <summary>Starts the peer and waits until it prints "ready".</summary>
    public static PeerProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ShmIpc.ShmRing.TestPeer.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var peer = new PeerProcess(Process.Start(start) ?? throw new InvalidOperationException("cannot start TestPeer"));
        peer.WaitForLine("ready", TimeSpan.FromSeconds(30));
        return peer;
    }

    /// <summary>
    /// Runs the peer to its end under <paramref name="launcher"/> (a command that runs the rest of its arguments, such
    /// as setpriv or unshare): its exit code, standard output and standard error.
    /// </summary>
    public static (int ExitCode, string Output, string Errors) RunUnder(IReadOnlyList<string> launcher, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(launcher[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in launcher.Skip(1).Concat(["dotnet", Path.Combine(AppContext.BaseDirectory, "ShmIpc.ShmRing.TestPeer.dll")]).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {launcher[0]}");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', start.ArgumentList)} still running after {timeout}");
        }

        process.WaitForExit();
        return (process.ExitCode, output.Result, errors.Result);
    }

    public static string[] Ring(string command, string ring, RingOptions options, params object[] more)
    {
        var arguments = new List<string> { command, ring, options.Kind.ToString(), $"{options.Capacity}", $"{options.MaxRecordSize}" };
        arguments.AddRange(more.Select(m => Convert.ToString(m, System.Globalization.CultureInfo.InvariantCulture)!));
        return [.. arguments];
    }

    /// <summary>The peer's next line on standard output.</summary>
    public string ReadLine(TimeSpan timeout)
    {
        Task<string?> line = _process.StandardOutput.ReadLineAsync();
        if (!line.Wait(timeout))
        {
            throw new TimeoutException($"peer {Id} printed nothing within {timeout}; stderr: {Errors}");
        }

        return line.Result ?? throw new InvalidOperationException($"peer {Id} closed its output; stderr: {Errors}");
    }

    /// <summary>Sends SIGSTOP (<paramref name="stop"/>) or SIGCONT: a paused process is alive, just not running.</summary>
    public void Pause(bool stop)
    {
        using Process kill = Process.Start("kill", [stop ? "-STOP" : "-CONT", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) ?? throw new InvalidOperationException("cannot run kill");
        kill.WaitForExit();
    }

    public void WaitForLine(string expected, TimeSpan timeout)
    {
        string? line = NextLine(timeout);
        Assert.True(line == expected, $"peer {Id} printed '{line}', expected '{expected}'; stderr: {Errors}");
    }

    /// <summary>The next line the peer prints (null: it closed its output).</summary>
    public string? NextLine(TimeSpan timeout)
    {
        Task<string?> line = _process.StandardOutput.ReadLineAsync();
        if (!line.Wait(timeout))
        {
            throw new TimeoutException($"peer {Id} printed nothing within {timeout}; stderr: {Errors}");
        }

        return line.Result;
    }

    /// <summary>Writes a line to the peer's stdin (a peer stopped at a step with "resume" goes on).</summary>
    public void SendLine(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Sends a signal by name (STOP, CONT) with kill(1).</summary>
    public void Signal(string name)
    {
        using Process kill = Process.Start("kill", ["-" + name, $"{Id}"]) ?? throw new InvalidOperationException("cannot start kill");
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>SIGKILL, then reap it (until reaped it is a zombie, which the ring already counts as dead).</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException($"peer {Id} still running after {timeout}; stderr: {Errors}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}

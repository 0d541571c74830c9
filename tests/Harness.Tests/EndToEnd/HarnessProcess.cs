using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ShmIpc.Harness.Tests.EndToEnd;

/// <summary>Runs the real `harness` executable (the one this test project builds) as a separate process.</summary>
internal sealed class HarnessProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private HarnessProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public static HarnessProcess Start(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "harness.dll"));
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = startInfo };
        var harness = new HarnessProcess(process);
        process.OutputDataReceived += (_, line) => { lock (harness._output) { harness._output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (harness._error) { harness._error.AppendLine(line.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return harness;
    }

    /// <summary>Waits for the exit and returns its code; kills it and fails the test if it takes longer than <paramref name="timeout"/>.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"harness did not exit within {timeout.TotalSeconds} s. stderr: {Error}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does (to the harness alone here).</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>The sender and receiver processes this harness started (found by the parent id in their settings).</summary>
    public IReadOnlyList<(int ProcessId, string CommandLine)> Children()
    {
        string marker = $"\"parentProcessId\":{_process.Id}";
        var children = new List<(int, string)>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int processId))
            {
                continue;
            }
            try
            {
                string commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (NamesParent(commandLine, marker))
                {
                    children.Add((processId, commandLine));
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours.
            }
        }
        return children;
    }

    /// <summary>
    /// Waits for a line of the harness's stderr (its progress) containing <paramref name="fragment"/>; fails the test,
    /// quoting stderr, if none comes within <paramref name="timeout"/>.
    /// </summary>
    public void WaitForErrorLine(string fragment, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        while (!Error.Contains(fragment, StringComparison.Ordinal))
        {
            if (elapsed.Elapsed > timeout || _process.HasExited)
            {
                Assert.Fail($"no stderr line with '{fragment}' within {timeout.TotalSeconds} s (exited: {_process.HasExited}). stderr: {Error}");
            }
            Thread.Sleep(20);
        }
    }

    /// <summary>
    /// Whether <paramref name="commandLine"/> holds <paramref name="marker"/> with nothing more to the number: a child of
    /// process 1234 is not one of 12345 (another harness on this shared machine).
    /// </summary>
    private static bool NamesParent(string commandLine, string marker)
    {
        int at = commandLine.IndexOf(marker, StringComparison.Ordinal);
        int end = at + marker.Length;
        return at >= 0 && (end == commandLine.Length || !char.IsAsciiDigit(commandLine[end]));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}

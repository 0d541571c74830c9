using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace ShmIpc.NetTransports.Tests.Interop;

/// <summary>One of the Interop/node scripts, run by Node.js as a separate process; its standard output read line by line.</summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly StringBuilder _error = new();

    private NodeProcess(Process process) => _process = process;

    /// <summary>The node executable on PATH, or null.</summary>
    public static string? Executable { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, "node"))
        .FirstOrDefault(File.Exists);

    /// <summary>Where <c>npm ci</c> installed the gRPC peer's package (Interop/node/node_modules in the source tree).</summary>
    public static string NodeModules { get; } = typeof(NodeProcess).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "InteropNodeModules").Value!;

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

    public static NodeProcess Start(string script, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("no node on PATH"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Interop", "node", script));
        startInfo.Environment["NODE_PATH"] = NodeModules;
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        var node = new NodeProcess(process);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                node._lines.Add(line.Data);
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            lock (node._error)
            {
                node._error.AppendLine(line.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>The next line of output; fails the test after <paramref name="timeout"/>.</summary>
    public string ReadLine(TimeSpan timeout)
    {
        Assert.True(_lines.TryTake(out string? line, timeout), $"node wrote no line within {timeout.TotalSeconds} s; stderr: {Error}");
        return line!;
    }

    /// <summary>Waits for the exit and returns its code; kills it and fails the test after <paramref name="timeout"/>.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"node did not exit within {timeout.TotalSeconds} s; stderr: {Error}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Closes the script's standard input, which the servers take as "stop".</summary>
    public void CloseInput() => _process.StandardInput.Close();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        _lines.Dispose();
    }
}

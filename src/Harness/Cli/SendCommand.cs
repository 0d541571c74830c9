using System.CommandLine;
using ShmIpc.Harness.Child.Roles;
using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Cli;

/// <summary>`harness send`: the sender role a comparison runs, on its own, towards a `harness serve` receiver.</summary>
internal static class SendCommand
{
    public static Command Build()
    {
        var options = new HarnessOptions();
        Option<string> transport = TransportOption.Create();
        var connect = new Option<string>("--connect") { Description = "Receiver address:port (network transports), unix:PATH (uds, grpc-uds), or the segment name (shm).", Required = true };
        var command = new Command("send", "Run only the sending side of one transport, on the open-loop schedule.") { transport, connect, options.Payload, options.Rate, options.Warmup, options.Duration, options.Connections, options.Batch, options.Codec };
        // Not async: the sender runs on this thread (the process's main thread), never on a thread-pool worker (SenderRole).
        command.SetAction((parse, cancellation) => Task.FromResult(Send(parse, cancellation)));
        return command;

        int Send(ParseResult parse, CancellationToken cancellation)
        {
            RunSettings settings = RunSettings.For(TransportOption.Read(parse, transport), parse.GetValue(options.Payload), options.ReadRunOptions(parse));
            string target = parse.GetValue(connect)!;
            if (settings.UsesUnixSocket)
            {
                if (!EndPoints.TryParseUnixSocket(target, out _, out string error))
                {
                    Console.Error.WriteLine($"send: --connect: {error}");
                    return 2;
                }
            }
            else if (!settings.UsesSegment && !EndPoints.TryParse(target, out _))
            {
                Console.Error.WriteLine($"send: --connect: '{target}' is not ADDRESS:PORT (e.g. 10.0.0.5:7000)");
                return 2;
            }
            try
            {
                return new SenderRole(settings, target, new TerminalSenderControl(cancellation)).Run();
            }
            catch (TransportFaultException exception)
            {
                // The receiver went away, or the transport failed: say so in one line, not a stack trace.
                Console.Error.WriteLine($"send: stopped: {exception.Message}");
                return 1;
            }
        }
    }
}

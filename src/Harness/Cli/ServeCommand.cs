using System.CommandLine;
using ShmIpc.Harness.Child.Roles;
using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Cli;

/// <summary>
/// `harness serve`: the receiver role a comparison runs, on its own, so that the receiver of a network transport
/// can run on another host than its sender (`harness send`). Latency is only meaningful when both run on the same
/// host (CLOCK_MONOTONIC is per machine); across hosts, read the rates and counts.
/// </summary>
internal static class ServeCommand
{
    public static Command Build()
    {
        var options = new HarnessOptions();
        Option<string> transport = TransportOption.Create();
        var listen = new Option<string>("--listen") { Description = "Address:port to listen on (network transports), or the segment name (shm).", DefaultValueFactory = _ => "127.0.0.1:7000" };
        var command = new Command("serve", "Run only the receiving side of one transport and print what it received.") { transport, listen, options.Payload, options.Warmup, options.Duration, options.Codec, options.ShmWait };
        command.SetAction(async (parse, cancellation) =>
        {
            RunSettings settings = RunSettings.For(TransportOption.Read(parse, transport), parse.GetValue(options.Payload), options.ReadRunOptions(parse));
            string where = parse.GetValue(listen)!;
            if (settings.Transport == TransportKind.SharedMemory)
            {
                settings = settings with { SegmentName = where };
            }
            else if (EndPoints.TryParse(where, out var endPoint))
            {
                settings = settings with { ListenAddress = endPoint.Address.ToString(), ListenPort = endPoint.Port };
            }
            else
            {
                Console.Error.WriteLine($"serve: --listen: '{where}' is not ADDRESS:PORT (e.g. 0.0.0.0:7000)");
                return 2;
            }
            try
            {
                return await new ReceiverRole(settings, new TerminalReceiverControl(settings, cancellation)).RunAsync().ConfigureAwait(false);
            }
            catch (TransportFaultException exception)
            {
                Console.Error.WriteLine($"serve: {exception.Message}");
                return 1;
            }
        });
        return command;
    }
}

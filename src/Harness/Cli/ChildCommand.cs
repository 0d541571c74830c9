using System.CommandLine;
using System.Runtime.InteropServices;
using ShmIpc.Harness.Child.Roles;
using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Cli;

/// <summary>
/// `harness child receiver|sender`: the processes `compare` starts. Hidden: users never type it.
/// A child ignores Ctrl+C (the terminal sends it to the whole process group): the parent decides
/// when it stops, through its stdin, so it can still report partial figures and clean up.
/// </summary>
internal static class ChildCommand
{
    public static Command Build()
    {
        var settingsOption = new Option<string>(ChildArguments.SettingsOption) { Required = true, Description = "RunSettings as JSON." };
        var endpointOption = new Option<string>(ChildArguments.EndpointOption) { Description = "Where the receiver is (sender only)." };
        var receiver = new Command(ChildArguments.ReceiverRole) { settingsOption };
        var sender = new Command(ChildArguments.SenderRole) { settingsOption, endpointOption };
        receiver.SetAction(result => Run(result.GetValue(settingsOption)!, null));
        sender.SetAction(result => Run(result.GetValue(settingsOption)!, result.GetValue(endpointOption) ?? ""));
        return new Command(ChildArguments.Command, "Internal: a sender or receiver process of a comparison.") { Hidden = true, Subcommands = { receiver, sender } };
    }

    private static int Run(string settingsJson, string? endpoint)
    {
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        var control = new ControlChannel(Console.Out, Console.In);
        try
        {
            RunSettings settings = ChildArguments.ReadSettings(settingsJson);
            return endpoint is null
                ? new ReceiverRole(settings, new ParentReceiverControl(control)).Run()
                : new SenderRole(settings, endpoint, new ParentSenderControl(control)).Run();
        }
        catch (TransportFaultException exception)
        {
            // The message names the transport and why: the parent puts it in the row, with no stack trace.
            control.Send(new ControlEvent { Event = ControlEvent.Error, Message = exception.Message });
            return 1;
        }
#pragma warning disable CA1031 // The child reports every failure to the parent, whatever its type, then exits non-zero.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            control.Send(new ControlEvent { Event = ControlEvent.Error, Message = $"{exception.GetType().Name}: {exception.Message}" });
            Console.Error.WriteLine(exception);
            return 1;
        }
    }
}

using Microsoft.Extensions.Logging;

namespace Mobility.Migration;

/// <summary>Log messages of migrations.</summary>
internal static partial class MigrationLog
{
    [LoggerMessage(300, LogLevel.Information, "Process {Process} moved from '{Source}' to '{Destination}' in {Milliseconds:0.###} ms")]
    public static partial void Moved(ILogger logger, ProcessRef process, string source, string destination, double milliseconds);

    [LoggerMessage(301, LogLevel.Warning, "Node refused process {TypeId}#{Process} offered by '{Source}': {Reason}")]
    public static partial void Refused(ILogger logger, string typeId, ProcessId process, string source, string reason);

    [LoggerMessage(302, LogLevel.Warning, "Commit of process {Process} at '{Destination}' was not confirmed ({Detail}); it stays frozen while it asks the outcome")]
    public static partial void CommitUnconfirmed(ILogger logger, ProcessRef process, string destination, string detail);

    [LoggerMessage(303, LogLevel.Warning, "The directory could not record that process {Process} lives on '{Node}': {Detail}")]
    public static partial void DirectoryNotUpdated(ILogger logger, ProcessId process, string node, string detail);

    [LoggerMessage(304, LogLevel.Warning, "Process {Process} offered by '{Source}' was never committed; its inactive copy is dropped")]
    public static partial void NeverCommitted(ILogger logger, ProcessId process, string source);
}

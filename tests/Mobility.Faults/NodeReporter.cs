using System.Diagnostics;
using System.Globalization;

namespace Mobility.Faults;

/// <summary>
/// A node's voice to the campaign (its stdout), one line at a time: <c>E TIMESTAMP EVENT...</c> for what its processes
/// did, <c>R ID STATUS...</c> for the answer to command ID. A line is written and flushed before the writer returns, so
/// what a process reported before it replied is in the pipe even if the node is killed the next instant.
/// </summary>
/// <remarks>
/// Timestamps are <see cref="Stopwatch.GetTimestamp"/>: on Linux the system-wide monotonic clock, the same in every OS
/// process of the machine, so the campaign orders the events of all its nodes on one time line.
/// </remarks>
public sealed class NodeReporter
{
    private readonly Lock _gate = new();
    private readonly TextWriter _output;

    /// <summary>Creates the reporter of node <paramref name="node"/>, writing to <paramref name="output"/>.</summary>
    public NodeReporter(string node, TextWriter output)
    {
        Node = node;
        _output = output;
    }

    /// <summary>The name of the node the reporter speaks for.</summary>
    public string Node { get; }

    /// <summary>Reports an event, stamped now.</summary>
    public void Event(string text) => Line(string.Create(CultureInfo.InvariantCulture, $"E {Stopwatch.GetTimestamp()} {text}"));

    /// <summary>Writes one whole line and flushes it.</summary>
    public void Line(string line)
    {
        lock (_gate)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }
}

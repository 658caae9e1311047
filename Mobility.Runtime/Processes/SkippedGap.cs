
namespace Mobility.Processes;

/// <summary>Numbers of one origin that never arrived and were given up on, so that the messages after them could run.</summary>
/// <param name="Origin">The origin whose numbers they are.</param>
/// <param name="First">The first number given up on (the one that was expected).</param>
/// <param name="Last">The last number given up on (the one before the first held message).</param>
internal readonly record struct SkippedGap(string Origin, long First, long Last);

namespace Mobility.Generators;

/// <summary>
/// Names of the generator's pipeline steps (<c>WithTrackingName</c>), so tests can check that
/// each step stays cached when nothing it depends on changed.
/// </summary>
public static class TrackingNames
{
    /// <summary>Every <c>[MobileProcess]</c> class, parsed to a model or to null when invalid.</summary>
    public const string ParsedProcesses = nameof(ParsedProcesses);

    /// <summary>The classes that are valid mobile processes.</summary>
    public const string ValidProcesses = nameof(ValidProcesses);

    /// <summary>The models of the valid classes, without nulls.</summary>
    public const string ProcessModels = nameof(ProcessModels);

    /// <summary>The fully qualified name of each valid process.</summary>
    public const string ProcessNames = nameof(ProcessNames);

    /// <summary>The names of all valid processes, sorted.</summary>
    public const string SortedProcessNames = nameof(SortedProcessNames);

    /// <summary>Whether the compilation references the Mobility runtime.</summary>
    public const string RuntimeReferenced = nameof(RuntimeReferenced);

    /// <summary>What the registrations file is made of: the sorted names and whether the runtime is referenced.</summary>
    public const string Registrations = nameof(Registrations);
}

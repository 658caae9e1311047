namespace Mobility.Generators.Model;

/// <summary>
/// Where a process class sits: its namespace and the partial types that contain it, enough to
/// re-declare them around the generated part (after CommunityToolkit's <c>HierarchyInfo</c>).
/// </summary>
/// <param name="Namespace">The namespace as written in C# (keywords escaped), empty for the global namespace.</param>
/// <param name="ContainingTypes">The containing types, outermost first.</param>
/// <param name="TypeName">The class's own name as written in C# (keyword escaped).</param>
/// <param name="FullyQualifiedName">The class's C# name with <c>global::</c>, e.g. <c>global::Demo.Outer.Inner</c>.</param>
/// <param name="MetadataName">The class's metadata full name, its type id on the wire, e.g. <c>Demo.Outer+Inner</c>.</param>
/// <param name="FlatName">The class's name with its containing types, joined with <c>_</c>, e.g. <c>Outer_Inner</c>.</param>
/// <param name="HintName">The name of the generated file, e.g. <c>Demo.Outer.Inner.Mobility.g.cs</c>.</param>
internal sealed record HierarchyInfo(
    string Namespace,
    EquatableArray<ContainingTypeInfo> ContainingTypes,
    string TypeName,
    string FullyQualifiedName,
    string MetadataName,
    string FlatName,
    string HintName);

/// <summary>A partial type that contains the process class.</summary>
/// <param name="Name">Its name as written in C#.</param>
/// <param name="Declaration">The keywords that re-declare it, e.g. <c>partial class</c> or <c>readonly partial struct</c>.</param>
internal sealed record ContainingTypeInfo(string Name, string Declaration);

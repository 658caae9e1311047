using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mobility.Generators;

/// <summary>
/// Generates, for every <c>[MobileProcess]</c> class, its dispatch, state codec, message classes and
/// typed <c>ProcessRef&lt;T&gt;</c> extensions, plus one <c>AddMobileProcesses()</c> per assembly.
/// This file is the pipeline only: <see cref="MobileProcessParser"/> builds the models,
/// <see cref="MobileProcessEmitter"/> writes them.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class MobileProcessGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var processes = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                MobileProcessParser.MobileProcessAttributeName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (syntaxContext, cancellationToken) => MobileProcessParser.Parse(syntaxContext, cancellationToken))
            .WithTrackingName(TrackingNames.ParsedProcesses)
            .Where(static model => model is not null)
            .WithTrackingName(TrackingNames.ValidProcesses)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ProcessModels);

        context.RegisterSourceOutput(processes, static (output, model) =>
            output.AddSource(model.Hierarchy.HintName, MobileProcessEmitter.EmitProcess(model)));

        var names = processes
            .Select(static (model, _) => model.Hierarchy.FullyQualifiedName)
            .WithTrackingName(TrackingNames.ProcessNames)
            .Collect()
            .Select(static (names, _) => names.OrderBy(name => name, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.SortedProcessNames);

        var runtimeReferenced = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName(MobileProcessParser.MobileProcessAttributeName) is not null)
            .WithTrackingName(TrackingNames.RuntimeReferenced);

        context.RegisterSourceOutput(names.Combine(runtimeReferenced).WithTrackingName(TrackingNames.Registrations), static (output, registrations) =>
        {
            if (registrations.Right)
            {
                output.AddSource(MobileProcessEmitter.RegistrationsHintName, MobileProcessEmitter.EmitRegistrations(registrations.Left));
            }
        });
    }
}
